"""Ask SPARQL questions of a built dataset: named questions and parameters as bindings.

Named questions live in ``kg/queries/*.rq``, one per file, each opening with a header::

    # title: Who met whom on a given day
    # description: Meetings, visits and calls on one day, with both sides.
    # param: day xsd:date = 2026-02-03

Parameters are bound as values of the query's variables (Oxigraph substitutions),
never pasted into the text; a parameter must therefore be one of the query's result
columns (Oxigraph only substitutes projected variables). A parameter of type ``iri``
accepts an IRI, a prefixed name (``ent:gustavo-petro``) or a label or alias (``Petro``).

Examples
--------
>>> q = read_queries()["who-met-whom"]
>>> q.title
'Who met whom on a given day'
>>> q.params["day"].default
'2026-02-03'

"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import PREFIXES, curie, expand

__all__ = [
    "NamedQuery",
    "Param",
    "parse_query_file",
    "read_queries",
    "read_query_file",
    "resolve_name",
    "run_named",
    "select",
    "to_python",
]

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Param:
    """A named question's parameter: its type (``iri`` or an XSD datatype) and default."""

    name: str
    type: str
    default: str


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL question kept in a file, with its header."""

    name: str
    title: str
    description: str
    text: str
    params: dict[str, Param] = field(default_factory=dict)


def parse_query_file(name: str, text: str) -> NamedQuery:
    """Read the header comments of a named question.

    Examples
    --------
    >>> q = parse_query_file("x", chr(10).join(["# title: T", "# param: who iri = ent:x", "SELECT * {}"]))
    >>> q.params["who"]
    Param(name='who', type='iri', default='ent:x')

    """
    header: dict[str, str] = {}
    params: dict[str, Param] = {}
    for line in text.splitlines():
        found = re.match(r"#\s*(title|description|param):\s*(.*)$", line.strip())
        if not found:
            continue
        key, value = found.groups()
        if key == "param":
            spec = re.match(r"(\w+)\s+(\S+)\s*=\s*(.*)$", value)
            if not spec:
                raise InputError(
                    f"query {name}: bad parameter line '{line.strip()}'",
                    expected="# param: NAME TYPE = DEFAULT",
                )
            params[spec.group(1)] = Param(spec.group(1), spec.group(2), spec.group(3).strip())
        else:
            header[key] = (header.get(key, "") + " " + value).strip()
    return NamedQuery(name, header.get("title", name), header.get("description", ""), text, params)


def read_queries() -> dict[str, NamedQuery]:
    """The named questions shipped in ``kg/queries``, by name."""
    folder = resources.files("kg") / "queries"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name.removesuffix(".rq")
            found[name] = parse_query_file(name, entry.read_text(encoding="utf-8"))
    return found


def to_python(term: Any) -> Any:
    """A result term as a Python value: IRIs as prefixed names, typed literals converted.

    Examples
    --------
    >>> to_python(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")))
    3
    >>> to_python(ox.NamedNode("https://w3id.org/newskg/id/gustavo-petro"))
    'ent:gustavo-petro'

    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        name = curie(term.value)
        return term.value if name.startswith("<") else name
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.removeprefix(XSD)
        try:
            if datatype in ("integer", "int", "long", "nonNegativeInteger"):
                return int(term.value)
            if datatype == "decimal":
                value = Decimal(term.value)
                return int(value) if value == value.to_integral_value() else float(value)
            if datatype in ("double", "float"):
                return float(term.value)
            if datatype == "boolean":
                return term.value in ("true", "1")
            if datatype == "date":
                return datetime.date.fromisoformat(term.value)
        except ValueError:
            return term.value
        return term.value
    return str(term)


def select(store: ox.Store, sparql: str, bindings: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run a SELECT query on the union of the dataset's graphs; one column per variable.

    Raises
    ------
    InputError
        If the query does not parse, or is not a SELECT query.

    """
    substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
    try:
        result = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=substitutions)
    except SyntaxError as exc:
        raise InputError(f"SPARQL syntax error: {exc}", hint="check the query text") from exc
    if not isinstance(result, ox.QuerySolutions):
        raise InputError("not a SELECT query", expected="a SPARQL SELECT query")
    columns = [v.value for v in result.variables]
    rows = [[to_python(solution[c]) for c in columns] for solution in result]
    return pd.DataFrame(rows, columns=columns)


def resolve_name(store: ox.Store, name: str) -> ox.NamedNode:
    """The registry entity named ``name``: an IRI, a prefixed name, a label or an alias.

    Raises
    ------
    InputError
        If no entity, or more than one, goes by that name.

    """
    if name.startswith(("http://", "https://")):
        return ox.NamedNode(name)
    prefix, colon, local = name.partition(":")
    if colon and prefix in PREFIXES and " " not in name:
        return ox.NamedNode(PREFIXES[prefix] + local)
    found = select(
        store,
        """SELECT DISTINCT ?e WHERE {
             ?e rdfs:label|kg:alias ?n . FILTER (LCASE(STR(?n)) = LCASE(?name))
           } ORDER BY ?e""",
        {"name": ox.Literal(name)},
    )
    matches = list(found["e"]) if not found.empty else []
    if len(matches) == 1:
        return ox.NamedNode(expand(matches[0]))
    if not matches:
        raise InputError(
            f"no entity is called '{name}'",
            expected="a label or alias from the registry, or an id such as ent:gustavo-petro",
        )
    raise InputError(
        f"'{name}' names {len(matches)} entities: {', '.join(matches)}",
        hint="pass one of these ids instead",
    )


def run_named(store: ox.Store, query: NamedQuery, **params: str) -> pd.DataFrame:
    """Run a named question; ``params`` override its defaults (given as text).

    Raises
    ------
    InputError
        For an unknown parameter or a value that does not fit its type.

    """
    unknown = set(params) - set(query.params)
    if unknown:
        raise InputError(
            f"query {query.name} has no parameter {', '.join(sorted(unknown))}",
            expected=f"one of: {', '.join(query.params) or '(none)'}",
        )
    bindings: dict[str, Any] = {}
    for name, param in query.params.items():
        value = params.get(name, param.default)
        bindings[name] = _term(store, param, value)
    return select(store, query.text, bindings)


def _term(store: ox.Store, param: Param, value: str) -> ox.NamedNode | ox.Literal:
    if param.type == "iri":
        return resolve_name(store, value)
    datatype = expand(param.type)
    if datatype == XSD + "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InputError(f"parameter {param.name}: '{value}' is not a date", expected="YYYY-MM-DD")
    if datatype == XSD + "integer" and not re.fullmatch(r"-?\d+", value):
        raise InputError(f"parameter {param.name}: '{value}' is not an integer")
    if datatype == XSD + "string":
        return ox.Literal(value)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def read_query_file(path: Path) -> NamedQuery:
    """A question kept in a file of the user's."""
    if not path.is_file():
        raise InputError(f"no such query file: {path}")
    return parse_query_file(path.stem, path.read_text(encoding="utf-8"))
