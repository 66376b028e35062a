"""Where articles that report the same fact disagree: derived at build, never hand-written.

Each article's claims are in its own named graph (see :mod:`kg.build`). For every fact
that two or more articles report, and every compared property
(``kg:ComparedProperty``: modality, date, participants, place, figures...), the
articles are compared, and each difference becomes a :data:`~kg.namespaces.KG`
``Disagreement`` node in the derived graph:

- on a property a fact has once (its modality, its date): two values, each with the
  articles that state it — ``actual`` in 002 and 003, ``planned`` in 000 and 004;
- a value that some of the reporting articles state and the others do not — Sánchez
  among the meeting's actors in 003, not in 000, 002 or 004.

Dates are compared as intervals, the ones the build writes into each article's graph
(:mod:`kg.dates`): two articles disagree on when a fact happened only when no day fits
both, so February 2026 and 3 February 2026 agree, and "2025" and "before 13 January
2026" too. The values are shown as the articles give them (``kg:when``: ``2026-02``),
never as a first-of-month day. Which articles report each fact at all, and with which modality, is derived
by the rule ``kg/rules/fact-support.rq``.

Examples
--------
>>> import pyoxigraph as ox
>>> from kg.namespaces import ART, FACT, KG, curie
>>> ds = ox.Store()
>>> meeting, event = ox.NamedNode(FACT["m"]), ox.NamedNode(KG.Event)
>>> ds.add(ox.Quad(event, ox.NamedNode(RDFS_SUBCLASS), ox.NamedNode(KG.Fact)))
>>> for article, said in (("a1", KG.Actual), ("a2", KG.Planned)):
...     graph = ox.NamedNode(ART[article])
...     ds.add(ox.Quad(meeting, ox.NamedNode(RDF_TYPE), event, graph))
...     ds.add(ox.Quad(meeting, ox.NamedNode(KG.modality), ox.NamedNode(said), graph))
>>> for d in disagreements(ds, compared={str(KG.modality)}, functional={str(KG.modality)}):
...     print(curie(d.fact), curie(d.predicate), curie(d.value.value), [curie(a) for a in sorted(d.stated_in)],
...           curie(d.other.value), [curie(a) for a in sorted(d.other_stated_in)])
fact:m kg:modality kg:Actual ['art:a1'] kg:Planned ['art:a2']

"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.dates import Interval, overlaps
from kg.namespaces import BASE, DIS, KG, PREFIXES

__all__ = ["Disagreement", "disagreements", "disagreements_ntriples"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


@dataclass(frozen=True)
class Disagreement:
    """Articles reporting ``fact`` differ on the compared property ``predicate``.

    ``stated_in`` state ``value``; ``other_stated_in`` state ``other`` instead, or, when
    ``other`` is None, report the fact without stating ``value``.
    """

    fact: str
    predicate: str
    value: ox.NamedNode | ox.Literal
    stated_in: frozenset[str]
    other: ox.NamedNode | ox.Literal | None
    other_stated_in: frozenset[str]

    @property
    def iri(self) -> str:
        """A stable IRI: the fact, the property and a digest of the two sides' values."""
        key = f"{self.fact}|{self.predicate}|{self.value}|{self.other}"
        local = self.fact.removeprefix(BASE + "id/fact/").replace("/", "-")
        name = self.predicate.rsplit("#", 1)[-1]
        return f"{DIS}{local}--{name}--{hashlib.sha256(key.encode()).hexdigest()[:10]}"

    def triples(self) -> Iterable[ox.Triple]:
        """The derived triples of this disagreement."""
        node = ox.NamedNode(self.iri)
        yield ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(KG.Disagreement))
        yield ox.Triple(node, ox.NamedNode(KG.onFact), ox.NamedNode(self.fact))
        yield ox.Triple(node, ox.NamedNode(KG.onProperty), ox.NamedNode(self.predicate))
        yield ox.Triple(node, ox.NamedNode(KG.statedValue), self.value)
        for article in sorted(self.stated_in):
            yield ox.Triple(node, ox.NamedNode(KG.statedIn), ox.NamedNode(article))
        if self.other is not None:
            yield ox.Triple(node, ox.NamedNode(KG.otherValue), self.other)
        for article in sorted(self.other_stated_in):
            yield ox.Triple(node, ox.NamedNode(KG.otherStatedIn), ox.NamedNode(article))


def disagreements(ds: ox.Store, compared: Iterable[str], functional: Iterable[str]) -> list[Disagreement]:
    """Every disagreement between the article graphs of ``ds``, sorted.

    ``ds`` holds one named graph per article; ``compared`` are the properties to compare
    and ``functional`` those an article states at most once per fact (compared value
    against value, where the others are compared value against silence).
    """
    props = " ".join(f"<{p}>" for p in sorted(compared))
    if not props:
        return []
    functional = set(functional)
    shared = """{ SELECT ?fact WHERE { GRAPH ?reporter { ?fact a ?class } ?class rdfs:subClassOf kg:Fact }
                  GROUP BY ?fact HAVING (COUNT(DISTINCT ?reporter) > 1) }"""
    reporters: dict[str, set[str]] = defaultdict(set)
    for fact, article in _select(
        ds, f"SELECT DISTINCT ?fact ?article WHERE {{ {shared} GRAPH ?article {{ ?fact a ?class }} }}"
    ):
        reporters[fact.value].add(article.value)
    claims: dict[tuple[str, str], dict[str, set[Claim]]] = defaultdict(lambda: defaultdict(set))
    rows = _select(
        ds,
        f"""SELECT ?fact ?p ?o ?article WHERE {{ {shared}
            GRAPH ?article {{ ?fact ?p ?o }} VALUES ?p {{ {props} }} FILTER (?p != kg:date) }}""",
    )
    for fact, p, o, article in rows:
        claims[(fact.value, p.value)][article.value].add((o, None))
    if str(KG.date) in compared:  # when: each article's interval, written at its precision
        rows = _select(
            ds,
            f"""SELECT ?fact ?when ?article ?first ?last WHERE {{ {shared}
                GRAPH ?article {{ ?fact kg:when ?when
                    OPTIONAL {{ ?fact kg:earliestDate ?first }} OPTIONAL {{ ?fact kg:latestDate ?last }} }} }}""",
        )
        for fact, when, article, first, last in rows:
            span = (_day(first), _day(last))
            claims[(fact.value, str(KG.date))][article.value].add((when, span))
    found = []
    for (fact, prop), by_article in sorted(claims.items()):
        found += _compare(fact, prop, by_article, reporters[fact], prop in functional)
    return sorted(found, key=lambda d: (d.fact, d.predicate, _key(d.value), _key(d.other)))


def _select(ds: ox.Store, sparql: str) -> list[tuple[Any, ...]]:
    result = ds.query(sparql, prefixes=PREFIXES)
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(row) for row in result]


def disagreements_ntriples(ds: ox.Store, compared: Iterable[str], functional: Iterable[str]) -> bytes:
    """The derived triples of :func:`disagreements`, as N-Triples."""
    triples = [t for d in disagreements(ds, compared, functional) for t in d.triples()]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


#: A value an article states, and for a date the interval it spans (see :mod:`kg.dates`).
Claim = tuple[ox.NamedNode | ox.Literal, Interval | None]


def _compare(
    fact: str, prop: str, by_article: dict[str, set[Claim]], reporters: set[str], functional: bool
) -> list[Disagreement]:
    stating: dict[Claim, set[str]] = defaultdict(set)
    for article, claims in by_article.items():
        for claim in claims:
            stating[claim].add(article)
    found = []
    values = sorted(stating, key=lambda c: _key(c[0]))
    if functional:
        for one, other in itertools.combinations(values, 2):
            if not _compatible(prop, one, other):
                found.append(
                    Disagreement(fact, prop, one[0], frozenset(stating[one]), other[0], frozenset(stating[other]))
                )
        silent = reporters - set(by_article)
        found += [
            Disagreement(fact, prop, c[0], frozenset(stating[c]), None, frozenset(silent)) for c in values if silent
        ]
    else:
        for c in values:
            others = reporters - stating[c]
            if others:
                found.append(Disagreement(fact, prop, c[0], frozenset(stating[c]), None, frozenset(others)))
    return found


def _compatible(prop: str, one: Claim, other: Claim) -> bool:
    """Two dates agree when their intervals share a day: 2026-02 holds 2026-02-03."""
    return prop == str(KG.date) and one[1] is not None and other[1] is not None and overlaps(one[1], other[1])


def _day(term: ox.Literal | None) -> datetime.date | None:
    return datetime.date.fromisoformat(term.value) if term is not None else None


def _key(term: ox.NamedNode | ox.Literal | None) -> str:
    return "" if term is None else str(term)
