"""JSON-LD of a dataset in compacted form, with the project's context inlined.

The context (``kg/assets/context.jsonld``, the file to publish at :data:`CONTEXT_URL`)
maps the project's prefixes (``kg:``, ``ent:``, ``art:``, ``schema:``…) and nothing
else: every IRI of the dataset is written as a prefixed name where one fits, ``rdf:type``
as ``@type``, a plain string as a JSON string and any other literal as a value object
with its datatype. With no term coercion and no JSON numbers, expanding the document
gives back exactly the quads it was written from (``tests/test_exports.py`` checks it
with pyld against the built dataset).

The default graph's nodes come first, then each named graph as a node object of its
own, ``{"@id": "art:003", "@graph": [...]}``, in the order of the canonical N-Quads
(:mod:`kg.formats`): the same dataset always gives the same bytes. The context is
embedded, never referenced by its URL, so the document reloads offline.

Examples
--------
>>> import pyoxigraph as ox
>>> s, p = ox.NamedNode(ENT_IRI + "gustavo-petro"), ox.NamedNode(RDFS + "label")
>>> kind = ox.Quad(s, ox.NamedNode(RDF_TYPE), ox.NamedNode(KG_IRI + "Person"))
>>> label = ox.Quad(s, p, ox.Literal("Gustavo Petro"), ox.NamedNode(ART_IRI + "003"))
>>> doc = json.loads(to_jsonld([kind, label]))
>>> doc["@context"]["ent"]
'https://w3id.org/newskg/id/'
>>> doc["@graph"][0]
{'@id': 'ent:gustavo-petro', '@type': 'kg:Person'}
>>> doc["@graph"][1]
{'@id': 'art:003', '@graph': [{'@id': 'ent:gustavo-petro', 'rdfs:label': 'Gustavo Petro'}]}

"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError

__all__ = ["CONTEXT_URL", "context", "to_jsonld"]

#: Where the context is published: the project's namespace base (see :mod:`kg.namespaces`).
CONTEXT_URL = "https://w3id.org/newskg/context.jsonld"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
KG_IRI = "https://w3id.org/newskg/ns#"
ENT_IRI = "https://w3id.org/newskg/id/"
ART_IRI = "https://w3id.org/newskg/id/article/"


@functools.cache
def context() -> dict[str, str]:
    """The project's JSON-LD context: prefix -> namespace, as shipped in ``kg/assets/context.jsonld``.

    >>> context()["kg"], context()["schema"]
    ('https://w3id.org/newskg/ns#', 'https://schema.org/')
    """
    text = (resources.files("kg") / "assets" / "context.jsonld").read_text(encoding="utf-8")
    value: dict[str, str] = json.loads(text)["@context"]
    return value


def to_jsonld(quads: Iterable[ox.Quad]) -> bytes:
    """The quads as a compacted JSON-LD document with the context inlined (see the module).

    Consecutive quads of one subject in one graph make one node object, as they come in
    canonical N-Quads; values keep the order they come in.
    """
    ctx = context()
    compact = _compactor(ctx)
    default: list[dict[str, Any]] = []
    named: dict[str, list[dict[str, Any]]] = {}
    for (graph, subject), group in itertools.groupby(quads, key=lambda q: (q.graph_name, q.subject)):
        node = _node(subject, [(q.predicate.value, q.object) for q in group], compact)
        if isinstance(graph, ox.DefaultGraph):
            default.append(node)
        else:
            named.setdefault(_ref(graph, compact), []).append(node)
    items = _objects(default, "    ")
    for name, nodes in named.items():
        inner = ",\n".join(_objects(nodes, "        "))
        items.append(f'    {{\n      "@id": {_json(name)},\n      "@graph": [\n{inner}\n      ]\n    }}')
    head = json.dumps(ctx, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    body = ",\n".join(items)
    return f'{{\n  "@context": {head},\n  "@graph": [\n{body}\n  ]\n}}\n'.encode()


def _objects(nodes: list[dict[str, Any]], indent: str) -> list[str]:
    """Each node object as text at ``indent``: one line per key, its value on the same line."""
    out = []
    for node in nodes:
        lines = [f"{indent}  {_json(key)}: {_json(value)}" for key, value in node.items()]
        out.append(f"{indent}{{\n" + ",\n".join(lines) + f"\n{indent}}}")
    return out


#: One encoder for every value (``json.dumps`` with options makes one per call: half the time).
_json = json.JSONEncoder(ensure_ascii=False).encode


def _compactor(ctx: dict[str, str]) -> Any:
    """A function giving an IRI's prefixed name with the longest matching namespace, else the IRI."""
    spaces = sorted(((iri, prefix) for prefix, iri in ctx.items()), key=lambda p: -len(p[0]))

    @functools.lru_cache(maxsize=65536)
    def compact(iri: str) -> str:
        for space, prefix in spaces:
            local = iri[len(space) :]
            # "prefix:" alone, or a local part starting "//", would read back as another IRI
            if iri.startswith(space) and local and not local.startswith("//"):
                return f"{prefix}:{local}"
        return iri

    return compact


def _ref(term: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | ox.Literal | ox.Triple, compact: Any) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return str(compact(term.value))
    raise InputError(f"not a node of RDF 1.1: {term}", expected="an IRI or a blank node")


def _node(subject: Any, pairs: list[tuple[str, Any]], compact: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": _ref(subject, compact)}
    values: dict[str, list[Any]] = {}
    for predicate, obj in pairs:
        if predicate == RDF_TYPE and not isinstance(obj, ox.Literal):
            values.setdefault("@type", []).append(_ref(obj, compact))
        else:
            values.setdefault(compact(predicate), []).append(_value(obj, compact))
    if "@type" in values:  # @type first, after @id
        types = values.pop("@type")
        node["@type"] = types[0] if len(types) == 1 else types
    for key, items in values.items():
        node[key] = items[0] if len(items) == 1 else items
    return node


def _value(obj: Any, compact: Any) -> Any:
    if isinstance(obj, ox.Literal):
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        if obj.datatype.value == XSD_STRING:
            return obj.value
        return {"@value": obj.value, "@type": compact(obj.datatype.value)}
    return {"@id": _ref(obj, compact)}
