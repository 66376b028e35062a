"""What the build adds to what the curators wrote: dates as intervals, support, ties.

Two kinds of addition, both computed by Oxigraph from the articles' own graphs:

- **per article** (:func:`article_statements`): each dated fact of an article's graph as
  an interval (``kg:earliestDate``, ``kg:latestDate``) and its text at the precision
  given (``kg:when``, see :mod:`kg.dates`). They restate what the article says, so they
  go into that article's graph, and depend on nothing else.
- **across articles** (:func:`derive`): where articles that report the same fact
  disagree (:mod:`kg.support`), which articles report each fact and how
  (``kg/rules/fact-support.rq``), the actor-actor edges and their ties
  (``kg/rules/ties.rq``) and the ties' first and last days as text. They go into the
  default graph. Each derived statement is about one fact (its support, its
  disagreements) or one ordered pair of actors (an edge, its tie): :func:`affected`
  finds the statements a change to some articles can alter, which is what lets
  :mod:`kg.incremental` re-derive only those.

Examples
--------
>>> import pyoxigraph as ox
>>> from kg.namespaces import ART, FACT, KG
>>> store = ox.Store()
>>> graph, fact = ox.NamedNode(ART["a1"]), ox.NamedNode(FACT["f"])
>>> store.add(ox.Quad(fact, ox.NamedNode(KG.date), ox.Literal("2026-02-01", datatype=ox.NamedNode(XSD_DATE)), graph))
>>> store.add(ox.Quad(fact, ox.NamedNode(KG.datePrecision), ox.NamedNode(KG.Month), graph))
>>> for line in dated_ntriples(store, graph).decode().splitlines():
...     print(line.replace(FACT["f"], "fact:f").replace(str(KG), "kg:").replace(XSD_DATE, "xsd:date"))
<fact:f> <kg:earliestDate> "2026-02-01"^^<xsd:date> .
<fact:f> <kg:latestDate> "2026-02-28"^^<xsd:date> .
<fact:f> <kg:when> "2026-02" .

"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from importlib import resources

import pyoxigraph as ox

from kg.dates import edtf, end_text, interval, precision_name, start_text
from kg.namespaces import KG, PREFIXES
from kg.support import disagreements_ntriples

__all__ = [
    "XSD_DATE",
    "affected",
    "article_statements",
    "dated_ntriples",
    "derive",
    "read_rules",
    "term_text",
    "tie_when_ntriples",
]

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

#: A key of what is derived: ("fact", IRI) or ("pair", actor IRI, actor IRI).
Key = tuple[str, ...]


def read_rules() -> list[tuple[str, str]]:
    """The derivation rules shipped in ``kg/rules``, as (name, SPARQL) in name order."""
    folder = resources.files("kg") / "rules"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".rq")
    )


def dated_ntriples(store: ox.Store, graph: ox.NamedNode) -> bytes:
    """Each dated fact of one article's graph as an interval: N-Triples to add to that graph.

    For every fact the graph gives a date or a bound: ``kg:earliestDate`` and
    ``kg:latestDate`` where the file does not state them, and ``kg:when``, the interval
    written at its precision (see :mod:`kg.dates`). They restate what the article says,
    so they belong to its graph.
    """
    rows = store.query(
        """SELECT ?fact ?date ?precision ?end ?earliest ?latest WHERE {
            { SELECT DISTINCT ?fact WHERE {
                { ?fact kg:date ?x } UNION { ?fact kg:endDate ?x }
                UNION { ?fact kg:earliestDate ?x } UNION { ?fact kg:latestDate ?x } } }
            OPTIONAL { ?fact kg:date ?date } OPTIONAL { ?fact kg:datePrecision ?precision }
            OPTIONAL { ?fact kg:endDate ?end }
            OPTIONAL { ?fact kg:earliestDate ?earliest } OPTIONAL { ?fact kg:latestDate ?latest } }""",
        prefixes=PREFIXES,
        default_graph=graph,
    )
    assert isinstance(rows, ox.QuerySolutions)
    lines = []
    for row in rows:
        day = {name: _day(row[name]) for name in ("date", "end", "earliest", "latest")}
        first, last = interval(
            day["date"], precision_name(row["precision"]), day["end"], day["earliest"], day["latest"]
        )
        fact = row["fact"]
        if first is not None and day["earliest"] is None:
            lines.append(ox.Triple(fact, ox.NamedNode(KG.earliestDate), _date_literal(first)))
        if last is not None and day["latest"] is None:
            lines.append(ox.Triple(fact, ox.NamedNode(KG.latestDate), _date_literal(last)))
        lines.append(ox.Triple(fact, ox.NamedNode(KG.when), ox.Literal(edtf(first, last))))
    return ox.serialize(lines, format=ox.RdfFormat.N_TRIPLES) or b""


def tie_when_ntriples(ds: ox.Store) -> bytes:
    """Each tie's first and last days written at their precision (``kg:firstWhen``, ``kg:lastWhen``)."""
    triples = []
    for prop, text, show in ((KG.firstDate, KG.firstWhen, start_text), (KG.lastDate, KG.lastWhen, end_text)):
        rows = ds.query(f"SELECT ?tie ?day WHERE {{ ?tie <{prop}> ?day }}")
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            day = _day(row["day"])
            if day is not None:
                triples.append(ox.Triple(row["tie"], ox.NamedNode(text), ox.Literal(show(day))))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _day(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> datetime.date | None:
    return datetime.date.fromisoformat(term.value) if isinstance(term, ox.Literal) else None


def _date_literal(day: datetime.date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD_DATE))


def _construct(ds: ox.Store, sparql: str) -> bytes:
    result = ds.query(sparql, prefixes=PREFIXES)
    assert isinstance(result, ox.QueryTriples)
    return result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""


def article_statements(store: ox.Store, graph: ox.NamedNode) -> bytes:
    """One article's graph as it goes into the dataset: its statements and its dates, as N-Triples."""
    return (store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b"") + dated_ntriples(store, graph)


def derive(ds: ox.Store, compared: Iterable[str], functional: Iterable[str]) -> list[bytes]:
    """Everything derived across the articles of ``ds``, as N-Triples, one chunk per step.

    ``ds`` holds the ontology and the registry in its default graph and each article's
    statements in its named graph; every derived chunk is added to its default graph as
    it is made (a later rule may read an earlier one's). ``compared`` and ``functional``
    are the vocabulary's compared and functional properties (see :mod:`kg.support`).
    """
    derived = []
    for data in (
        disagreements_ntriples(ds, compared, functional),
        *(_construct(ds, rule) for _name, rule in read_rules()),
    ):
        ds.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)
        derived.append(data)
    data = tie_when_ntriples(ds)
    ds.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)
    derived.append(data)
    return derived


def affected(graphs: ox.Store, edges: Iterable[str]) -> set[Key]:
    """The keys of what is derived that the statements in ``graphs`` take part in.

    Every subject of ``graphs`` is a ("fact", IRI) key; every ordered
    pair of actors a fact links (actor and target, subject and object), or a statement
    with an edge property links, is a ("pair", a, b) key.
    """
    keys: set[Key] = set()
    links = {str(KG.actor): str(KG.target), str(KG.subject): str(KG.object)}
    edge_properties = set(edges)
    for quad in graphs:
        subject, predicate = term_text(quad.subject), quad.predicate.value
        keys.add(("fact", subject))
        if predicate in links:
            for other in graphs.quads_for_pattern(quad.subject, ox.NamedNode(links[predicate]), None, quad.graph_name):
                keys.add(("pair", term_text(quad.object), term_text(other.object)))
        elif predicate in edge_properties:
            keys.add(("pair", subject, term_text(quad.object)))
    return keys


def derived_about(store: ox.Store, keys: Iterable[Key], edges: Iterable[str]) -> list[ox.Triple]:
    """The triples of the default graph of ``store`` that derivation makes for ``keys``.

    ``store`` holds what :func:`derive` made and nothing else. For a fact: every triple
    about it but its edges (``edges`` are the edge properties; an edge belongs to its
    pair) and every disagreement on it; for a pair (a, b): every triple from a to b and
    every triple about their ties.
    """
    default = ox.DefaultGraph()
    found: list[ox.Triple] = []
    edge_properties = set(edges)

    def about(node: ox.NamedNode | ox.BlankNode | ox.Triple) -> None:
        found.extend(q.triple for q in store.quads_for_pattern(node, None, None, default))

    for key in keys:
        if key[0] == "fact":
            fact = ox.NamedNode(key[1])
            found.extend(
                q.triple
                for q in store.quads_for_pattern(fact, None, None, default)
                if q.predicate.value not in edge_properties
            )
            for quad in store.quads_for_pattern(None, ox.NamedNode(KG.onFact), fact, default):
                about(quad.subject)
        else:
            a, b = ox.NamedNode(key[1]), ox.NamedNode(key[2])
            found.extend(q.triple for q in store.quads_for_pattern(a, None, b, default))
            for quad in store.quads_for_pattern(None, ox.NamedNode(KG.tieFrom), a, default):
                if any(True for _ in store.quads_for_pattern(quad.subject, ox.NamedNode(KG.tieTo), b, default)):
                    about(quad.subject)
    return found


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> str:
    """The IRI, label or value of a term (a quoted triple as N-Triples, the default graph as "")."""
    if isinstance(term, ox.DefaultGraph):
        return ""
    return str(term) if isinstance(term, ox.Triple) else term.value
