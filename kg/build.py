"""Assemble a checked corpus into one dataset of named graphs and write it canonically.

The layers, each a named graph (see :data:`kg.namespaces.GRAPHS`):

``ontology``  the vocabulary and shapes         ``registry``  actors, places, posts
``curated``   the facts the articles report     ``evidence``  quotes and article metadata
``derived``   actor-actor edges and counts written by the rules in ``kg/rules/*.rq``

The rules are SPARQL CONSTRUCT queries run by Oxigraph over the union of the other
layers, in file-name order. Blank nodes (the ontology's SHACL shapes use them) are
skolemised into IRIs under ``/.well-known/genid/`` with labels derived from their
file's content, so that the dataset reloads and re-exports to the same bytes.
The output is N-Quads with its lines sorted, and TriG
written from the same sorted quads: the same corpus always gives the same bytes.
Both files are written aside and then renamed, so a failed build leaves the previous
output untouched.

Examples
--------
>>> import shutil, tempfile, pathlib
>>> project = Project.at(EXAMPLE).with_build(pathlib.Path(tempfile.mkdtemp()) / "build")
>>> result = build_project(project)
>>> sorted(p.name for p in result.outputs)
['dataset.nq', 'dataset.trig']
>>> result.counts["derived"] > 0
True

"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.term import Node

from kg.check import check_project
from kg.formats import canonical_order, stage, to_bytes
from kg.load import Corpus
from kg.namespaces import BASE, GRAPHS, KG
from kg.project import Project

__all__ = ["EXAMPLE", "BuildResult", "build_dataset", "build_project", "read_rules", "write_dataset"]

#: A small complete example project shipped with the tests (used by doctests).
EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tiny"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the files and the number of triples in each layer."""

    outputs: tuple[Path, ...]
    counts: dict[str, int]


def read_rules() -> list[tuple[str, str]]:
    """The derivation rules shipped in ``kg/rules``, as (name, SPARQL) in name order."""
    folder = resources.files("kg") / "rules"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    )


def build_dataset(corpus: Corpus) -> ox.Store:
    """Put a checked corpus into an in-memory Oxigraph store, layer by layer, and derive.

    Evidence and article nodes go to the evidence graph, every other triple of an
    article file to the curated graph.
    """
    store = ox.Store()
    quads: list[ox.Quad] = []
    graph = {name: ox.NamedNode(str(iri)) for name, iri in GRAPHS.items()}
    quads += (_quad(t, graph["ontology"]) for t in corpus.ontology.triples)
    quads += (_quad(t, graph["registry"]) for t in corpus.registry.triples)
    evidence_nodes = {
        s
        for f in corpus.articles
        for s, p, o in f.triples
        if p == RDF.type and o in (KG.Evidence, KG.Article)
    }
    for f in corpus.articles:
        for s, p, o in f.triples:
            layer = "evidence" if s in evidence_nodes else "curated"
            quads.append(_quad((s, p, o), graph[layer]))
    store.bulk_extend(quads)
    for _name, rule in read_rules():
        derived = store.query(rule, use_default_graph_as_union=True)
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph["derived"]) for t in derived)  # type: ignore[union-attr]
    return store


def write_dataset(store: ox.Store, folder: Path) -> tuple[Path, ...]:
    """Write ``dataset.nq`` and ``dataset.trig`` canonically and atomically into ``folder``."""
    quads = canonical_order(store)
    nquads, trig = to_bytes(quads, "nquads"), to_bytes(quads, "trig")
    folder.mkdir(parents=True, exist_ok=True)
    targets = (folder / "dataset.nq", folder / "dataset.trig")
    staged = [stage(target, data) for target, data in zip(targets, (nquads, trig), strict=True)]
    for tmp, target in zip(staged, targets, strict=True):
        os.replace(tmp, target)
    return targets


def build_project(project: Project) -> BuildResult:
    """Check ``project``, build its dataset and write it into ``project.build``.

    Raises
    ------
    CurationError
        If the check finds problems; nothing is written then.

    """
    corpus = check_project(project)
    store = build_dataset(corpus)
    outputs = write_dataset(store, project.build)
    counts = {
        name: sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(str(iri))))
        for name, iri in GRAPHS.items()
    }
    return BuildResult(outputs, counts)


def _quad(triple: tuple[Node, Node, Node], graph: ox.NamedNode) -> ox.Quad:
    s, p, o = (_ox(t) for t in triple)
    if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {triple!r}")
    return ox.Quad(s, p, o, graph)


def _ox(term: Node) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.NamedNode(f"{BASE}.well-known/genid/{term}")
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected RDF term {term!r}")
