"""The actor network: the facts of the graph projected onto actors, and what to measure on it.

:func:`project` turns events and relations into a NetworkX ``MultiDiGraph`` of actors.
Between two actors there is one edge per kind of relation (``metWith``, ``sanctions``,
``opposes``…, never merged), each carrying its PLOVER conflict–cooperation score, its
count, its first and last dates and, in ``facts``, every supporting fact with its date,
modality, article and quote — so that every number below can be traced to the text.

Analytics are plain functions of such a graph returning ranked, labelled DataFrames.

Examples
--------
A tiny network: Ann meets Bob twice, Bob accuses Cid, Cid sanctions Ann. Each actor
has two neighbours, and the ties form a cycle, so PageRank is even and the order falls
back to the ids; Bob's conflict is his accusation (-2), Ann's the sanction she receives.

>>> G = example_network()
>>> centrality(G)[["actor", "degree", "cooperation", "conflict"]]
  actor  degree  cooperation  conflict
0   Ann       2          5.0      -6.0
1   Bob       2          5.0      -2.0
2   Cid       2          0.0      -8.0

"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import random
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload
from xml.etree.ElementTree import SubElement

import networkx as nx
import numpy as np
import pandas as pd
import pyoxigraph as ox
from networkx.utils.backends import backend_info
from rdflib import URIRef

from kg.dates import end_text, overlaps, start_text
from kg.errors import InputError
from kg.formats import write_atomic
from kg.namespaces import ENT, PREFIXES, curie
from kg.query import Connection, _within
from kg.terms import literal_value, to_python

__all__ = [
    "EDGE_COLUMNS",
    "MEASURES",
    "NODE_COLUMNS",
    "Facts",
    "Filters",
    "add_tie",
    "balance_by_month",
    "brokers",
    "centrality",
    "change",
    "communities",
    "edge_id",
    "ego",
    "example_network",
    "load_facts",
    "path",
    "path_steps",
    "project",
    "relation_words",
    "signed",
    "structural_balance",
    "ties",
    "to_export",
    "undirected",
    "words_of",
    "write_network",
]

#: Weight of a fact in scores and strengths, by modality (negated facts are left out).
MODALITY_WEIGHT = {"actual": 1.0, "planned": 0.5, "hypothetical": 0.5}

# Reading a built dataset, what costs is turning stored ids back into IRIs and strings
# (about 7 µs each in Oxigraph's on-disk store, 1 µs for a number or a date): at 5,000
# synthetic articles, reading every claim, quote and date of every fact took 10 s before
# any analysis. So the projection reads, where it can, what the build aggregated: one
# kg:Tie per (actor, relation, actor) with its counts, score and dates
# (kg/rules/ties.rq), and the facts themselves only for the few planned or hypothetical
# claims, which make no tie. The facts behind each edge, with their quotes, are read when
# first asked for (:class:`Facts`). Each scan reads one property: one pattern with the
# evidence, the times and the type scores joined in SPARQL took Oxigraph 4.2 s for 831
# rows at 1,000 synthetic articles.
_CLAIMS = {  # each article's own: who acts on whom in a fact, and how sure it is
    side: f"SELECT ?fact ?x ?article WHERE {{ GRAPH ?article {{ ?fact kg:{prop} ?x }} }}"
    for side, prop in (("actor", "actor"), ("target", "target"), ("subject", "subject"), ("object", "object"))
}
_MODALITIES = "SELECT ?fact ?modality ?article WHERE { GRAPH ?article { ?fact kg:modality ?modality } }"
_KINDS = """SELECT ?fact ?type ?kind WHERE {
  { ?fact kg:eventType ?type BIND (1 AS ?kind) } UNION { ?fact kg:relationType ?type BIND (2 AS ?kind) } }"""
_FACT_TERMS = """
SELECT ?fact ?label ?modeScore WHERE {
  ?fact kg:eventType|kg:relationType ?type ; rdfs:label ?label .
  OPTIONAL { ?fact kg:mode/kg:score ?modeScore }  # a mode is the same in every article
}
"""
_TYPE_SCORES = "SELECT ?type ?relation ?score WHERE { ?type kg:edgeProperty ?relation ; kg:score ?score }"
_QUOTES = "SELECT ?fact ?article ?quote WHERE { GRAPH ?article { ?fact prov:wasDerivedFrom ?e . ?e kg:quote ?quote } }"
_TIMES = {
    name: f"SELECT ?fact ?article ?v WHERE {{ GRAPH ?article {{ ?fact kg:{prop} ?v }} }}"
    for name, prop in (("when", "when"), ("first", "earliestDate"), ("last", "latestDate"))
}
_ACTOR_IDS = "SELECT DISTINCT ?a WHERE { ?a a/rdfs:subClassOf* kg:Actor }"
#: The facts some article reports as planned or hypothetical: they make no kg:Tie.
_NOT_ACTUAL = """SELECT DISTINCT ?fact WHERE {
  VALUES ?modality { kg:Planned kg:Hypothetical } GRAPH ?article { ?fact kg:modality ?modality } }"""
#: What the build aggregated per tie, one property per scan (a number or a date each).
_TIE_VALUES = {
    name: f"SELECT ?tie ?v WHERE {{ ?tie kg:{prop} ?v }}"
    for name, prop in (
        ("count", "factCount"),
        ("weight", "weight"),
        ("articles", "articleCount"),
        ("first", "firstDate"),
        ("last", "lastDate"),
    )
}
_TIE_ENDS = {name: f"SELECT ?tie ?v WHERE {{ ?tie kg:{name} ?v }}" for name in ("tieFrom", "tieTo", "tieProperty")}
#: The kinds of fact behind the ties of a relation that more than one type makes.
_TIE_TYPES = """SELECT ?tie ?type WHERE {
  ?tie kg:tieProperty ?relation ; kg:supportedBy ?fact . ?fact kg:eventType|kg:relationType ?type }"""
#: The articles behind a tie: those that name both its actors in one of its facts, as actual.
_TIE_ARTICLES = """SELECT ?tie ?article WHERE {
  ?tie kg:tieFrom ?a ; kg:tieTo ?b ; kg:supportedBy ?fact .
  GRAPH ?article {
    { ?fact kg:actor ?a ; kg:target ?b } UNION { ?fact kg:subject ?a ; kg:object ?b }
    ?fact kg:modality kg:Actual } }"""
_TIE_FACTS = "SELECT ?tie ?fact WHERE { ?tie kg:supportedBy ?fact }"
#: Tie IRIs, as kg/rules/ties.rq makes them: tie/FROM--RELATION--TO (ids after ENT).
_TIE_BASE = str(ENT) + "tie/"

_ACTOR_CLASSES = """SELECT ?actor ?class WHERE {
  ?class rdfs:subClassOf* kg:Actor . FILTER (?class != kg:Actor) ?actor a ?class }"""
_ACTOR_FACTS = {
    name: f"SELECT ?actor ?v WHERE {{ ?class rdfs:subClassOf* kg:Actor . ?actor a ?class ; {prop} ?v }}"
    for name, prop in (("label", "rdfs:label"), ("country", "kg:country"), ("sector", "kg:sector"))
}
_POSTS = "SELECT ?actor ?post WHERE { ?tenure kg:holder ?actor ; kg:post ?post ; kg:modality kg:Actual }"
_ALIASES = "SELECT ?a ?alias WHERE { ?a kg:alias ?alias }"


@dataclass(frozen=True)
class Filters:
    """What to keep when projecting; the defaults keep everything but negated facts.

    ``modalities`` are among actual, planned, hypothetical, negated; planned and
    hypothetical facts weigh half in scores. ``min_articles`` counts the distinct
    articles behind an edge. ``countries`` keeps actors of those countries (ids).
    """

    start: datetime.date | None = None
    end: datetime.date | None = None
    event_types: frozenset[str] | None = None
    modalities: frozenset[str] = frozenset({"actual", "planned", "hypothetical"})
    min_articles: int = 1
    countries: frozenset[str] | None = None
    articles: frozenset[str] | None = None

    @property
    def whole(self) -> bool:
        """Whether every fact is kept as the build aggregated it (then ties are read, not facts)."""
        kept = (self.start, self.end, self.event_types, self.articles) == (None, None, None, None)
        return kept and self.modalities == Filters().modalities


Edge = tuple[str, str, str]


def project(conn: Connection, filters: Filters | None = None) -> nx.MultiDiGraph:
    """The actor network of a built dataset, one edge per (source, target, relation).

    Each article's claims are read from its own graph: an article supports the edge a -> b
    with a fact only when it names both a and b in that fact, and with the modality and
    date it gives the fact.

    Edge attributes: ``relation`` (e.g. ``sanctions``), ``event_types``, ``score`` (sum of
    the facts' scores, each weighted by its modality), ``sign`` (+1, -1 or 0), ``count``
    (facts), ``articles`` (distinct articles that name both actors in one of the facts,
    at the modality the fact counts at: a meeting two articles report as held and two
    others as planned stands on the first two), ``first``/``last`` (the earliest day
    those articles allow for a fact and the latest, at their precision: ``2026-01``),
    ``modalities``, and ``facts``: one dict per fact with its label, type, score, and
    its ``evidence``: each quote with its article and the modality and time that article
    gives the fact (``when``, written at its precision, and ``first``/``last``, its
    interval's days). A fact's own ``modality`` is the strongest its articles give
    (actual, then planned, hypothetical, negated) and its time the narrowest those
    articles give. A date range keeps the facts that an article places, at least in
    part, within it; a fact without a date is kept unless a date range is asked for.
    Node attributes: ``label``, ``kind`` (person, organisation, group, country),
    ``country``, ``sector``, ``posts``, ``aliases``.

    Filters apply to each article's claim (its modality, the article itself), then to
    the facts (type, date) and the edges (number of articles).

    Without filters on claims or facts (the default), the edges are read from the ties
    the build derived (``kg/rules/ties.rq``) and the facts behind each edge when first
    asked for (:class:`Facts`): measuring the network does not read every quote.
    """
    f = filters or Filters()
    reader = _Reader(conn)
    if f.whole:
        G = _tie_network(reader)
    else:
        G = nx.MultiDiGraph()
        for (a, b, relation), entries in _claim_edges(reader, f).items():
            add_tie(G, a, b, relation, entries)
    if f.min_articles > 1:
        G.remove_edges_from(
            [(a, b, k) for a, b, k, d in G.edges(keys=True, data=True) if d["articles"] < f.min_articles]
        )
        G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    _add_actors(reader, G)
    if f.countries is not None:
        G.remove_nodes_from([n for n, d in list(G.nodes(data=True)) if d.get("country") not in f.countries])
    return G


class _Reader:
    """Scans of a built dataset as rows of Python values, each distinct term converted once.

    On the embedded engine the rows come from Oxigraph directly (within the connection's
    time limit); on another, through the connection. Every row is read: a result a
    computation uses is never cut at the display limit.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.store = conn.local_store()
        self.values: dict[Any, Any] = {}
        self.iris: dict[str, str] = {}  # prefixed name -> IRI, for VALUES blocks

    def rows(self, sparql: str, name: str, facts: Iterable[str] | None = None) -> list[tuple[Any, ...]]:
        """The rows of ``sparql``; with ``facts``, only those about these facts (ids)."""
        if facts is not None:
            facts = list(facts)
            if not facts:
                return []  # no fact asked about (an empty VALUES block is more than some engines read)
            block = " ".join(f"<{self.iris.get(x, x)}>" for x in facts)
            sparql = sparql.replace("WHERE {", f"WHERE {{ VALUES ?fact {{ {block} }}", 1)
        store = self.store
        if store is None:
            table = self.conn.table(sparql, name=name, trusted=True, complete=True)
            return [tuple(to_python(t) for t in row) for row in table.rows]

        def run() -> list[Any]:
            solutions = store.query(sparql, prefixes=PREFIXES)
            assert isinstance(solutions, ox.QuerySolutions)
            return list(solutions)

        value = self.value
        return [tuple(value(t) for t in row) for row in _within(self.conn.timeout, run, name)]

    def value(self, term: Any) -> Any:
        """An Oxigraph term as :func:`kg.terms.to_python` gives it."""
        if term is None:
            return None
        known = self.values.get(term, self)
        if known is not self:
            return known
        if isinstance(term, ox.NamedNode):
            name = curie(term.value)
            value: Any = term.value if name.startswith("<") else name
            self.iris[value] = term.value
        elif isinstance(term, ox.Literal):
            value = literal_value(term.value, term.datatype.value)
        else:
            value = f"_:{term.value}"
        self.values[term] = value
        return value


def _claim_edges(reader: _Reader, f: Filters, facts: Collection[str] | None = None) -> dict[Edge, list[dict[str, Any]]]:
    """The edges made by each article's claims, fact by fact (``facts``: only these facts)."""

    def scan(sparql: str, name: str) -> list[tuple[Any, ...]]:
        return reader.rows(sparql, name, facts)

    types = {
        t: (relation.removeprefix("kg:"), float(score)) for t, relation, score in reader.rows(_TYPE_SCORES, "types")
    }
    terms = {fact: (label, mode_score) for fact, label, mode_score in scan(_FACT_TERMS, "facts")}
    quotes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for fact, article, quote in scan(_QUOTES, "quotes"):
        quotes[(fact, article)].append(quote)
    times: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"when": None, "first": None, "last": None})
    for key, sparql in _TIMES.items():
        for fact, article, value in scan(sparql, "times"):
            times[(fact, article)][key] = value
    actors = {a for (a,) in reader.rows(_ACTOR_IDS, "actors")}
    sides: dict[str, dict[tuple[str, str], list[str]]] = {}
    for side, sparql in _CLAIMS.items():
        sides[side] = defaultdict(list)
        for fact, x, article in scan(sparql, side):
            sides[side][(fact, article)].append(x)
    said = {(fact, article): modality for fact, modality, article in scan(_MODALITIES, "modalities")}
    kinds = {fact: (kind, int(which)) for fact, kind, which in scan(_KINDS, "kinds")}
    rows = []
    for (fact, article), modality in said.items():
        kind, which = kinds.get(fact, (None, 0))
        first, second = ("actor", "target") if which == 1 else ("subject", "object")
        for a in sides[first].get((fact, article), []):
            rows += [(fact, a, b, kind, modality, article) for b in sides[second].get((fact, article), []) if a != b]
    claims: dict[tuple[str, str, str, str], list[dict[str, Any]]] = defaultdict(list)
    about: dict[str, tuple[str, str, float]] = {}
    for fact, a, b, kind, modality, article in sorted(rows):
        modality = str(modality).removeprefix("kg:").lower()
        if b not in actors or kind not in types or fact not in terms:
            continue
        kind = kind.removeprefix("kg:")
        if modality not in f.modalities or (f.articles is not None and article not in f.articles):
            continue
        if f.event_types is not None and kind not in f.event_types:
            continue
        relation, type_score = types["kg:" + kind]
        label, mode_score = terms[fact]
        about[fact] = (label, kind, float(mode_score if mode_score is not None else type_score))
        when = times[(fact, article)]
        for quote in sorted(quotes[(fact, article)]):
            claims[(a, b, relation, fact)].append({"article": article, "quote": quote, "modality": modality, **when})
    edges: dict[Edge, list[dict[str, Any]]] = defaultdict(list)
    for (a, b, relation, fact), evidence in sorted(claims.items()):
        label, kind, score = about[fact]
        entry = _fact_entry(fact, label, kind, score, evidence)
        if (f.start or f.end) and not any(
            e["when"] and overlaps((e["first"], e["last"]), (f.start, f.end)) for e in evidence
        ):
            continue
        edges[(a, b, relation)].append(entry)
    return dict(edges)


def _tie_network(reader: _Reader) -> nx.MultiDiGraph:
    """The unfiltered network from the ties the build derived, and the planned or hypothetical facts.

    A tie holds what the articles report as actual; a fact that some article reports as
    planned or hypothetical, and none that names the same two actors as actual, makes no
    tie: those facts (a few in a hundred) are read one by one and added to their edge.
    """
    types = {
        t: (relation.removeprefix("kg:"), float(score)) for t, relation, score in reader.rows(_TYPE_SCORES, "types")
    }
    relations = {relation for relation, _ in types.values()}
    values: dict[str, dict[str, Any]] = defaultdict(dict)
    for name, sparql in _TIE_VALUES.items():
        for tie, value in reader.rows(sparql, "ties"):
            values[tie][name] = value
    ties = {tie: v for tie, v in values.items() if "count" in v and "weight" in v}  # articleCount names facts too
    ends = {tie: _tie_ends(reader.iris.get(tie, tie), relations) for tie in ties}
    if any(e is None for e in ends.values()):  # an id the tie's IRI cannot be split back into: read the ends
        found: dict[str, dict[str, str]] = defaultdict(dict)
        for name, sparql in _TIE_ENDS.items():
            for tie, value in reader.rows(sparql, "ties"):
                found[tie][name] = value
        ends = {
            t: (e["tieFrom"], e["tieTo"], e["tieProperty"].removeprefix("kg:")) for t, e in found.items() if t in ties
        }
    by_edge: dict[Edge, str] = {}
    for tie, end in ends.items():
        if end is not None:
            by_edge[end] = tie
    # the kinds of fact behind each tie: one, unless two types make the same relation
    kinds_of: dict[str, set[str]] = defaultdict(set)
    for t, (relation, _) in types.items():
        kinds_of[relation].add(t.removeprefix("kg:"))
    mixed = sorted(f"<{reader.iris.get('kg:' + r, r)}>" for r, k in kinds_of.items() if len(k) > 1)
    tie_kinds: dict[str, set[str]] = defaultdict(set)
    if mixed:
        sparql = _TIE_TYPES.replace("WHERE {", f"WHERE {{ VALUES ?relation {{ {' '.join(mixed)} }}", 1)
        for tie, kind in reader.rows(sparql, "tie types"):
            tie_kinds[tie].add(str(kind).removeprefix("kg:"))
    # the facts no tie holds: planned or hypothetical for the two actors an article names
    doubtful = [fact for (fact,) in reader.rows(_NOT_ACTUAL, "not actual")]
    extra = {
        key: [e for e in entries if e["modality"] != "actual"]
        for key, entries in _claim_edges(reader, Filters(), doubtful).items()
    }
    extra = {key: entries for key, entries in extra.items() if entries}
    # where an edge has both, the articles behind its tie, so that none is counted twice
    shared = [by_edge[key] for key in extra if key in by_edge]
    tie_articles: dict[str, set[str]] = defaultdict(set)
    if shared:
        block = " ".join(f"<{reader.iris.get(t, t)}>" for t in shared)
        sparql = _TIE_ARTICLES.replace("WHERE {", f"WHERE {{ VALUES ?tie {{ {block} }}", 1)
        for tie, article in reader.rows(sparql, "tie articles"):
            tie_articles[tie].add(article)
    source = _FactSource(reader, by_edge, extra)
    G = nx.MultiDiGraph()
    for key in sorted(set(by_edge) | set(extra)):
        a, b, relation = key
        tie = by_edge.get(key)
        v = ties[tie] if tie else {}
        entries = extra.get(key, [])
        counted = [(f, e) for f in entries for e in f["evidence"] if e["modality"] == f["modality"]]
        articles = {e["article"] for _, e in counted}
        starts = [e["first"] for _, e in counted if e.get("first")] + ([v["first"]] if v.get("first") else [])
        stops = [e["last"] for _, e in counted if e.get("last")] + ([v["last"]] if v.get("last") else [])
        score = round(float(v.get("weight", 0)) + sum(f["score"] for f in entries), 6)
        kinds = ({*(tie_kinds.get(tie) or kinds_of[relation])} if tie else set()) | {f["type"] for f in entries}
        G.add_edge(
            a,
            b,
            key=relation,
            relation=relation,
            score=score,
            sign=(score > 0) - (score < 0),
            count=int(v.get("count", 0)) + len(entries),
            articles=len(tie_articles[tie] | articles)
            if tie and articles
            else int(v.get("articles", 0)) + len(articles),
            first=start_text(min(starts)) if starts else None,
            last=end_text(max(stops)) if stops else None,
            event_types=sorted(kinds),
            modalities=sorted(({"actual"} if tie else set()) | {f["modality"] for f in entries}),
            facts=Facts(source, key),
        )
    return G


def _tie_ends(iri: str, relations: set[str]) -> Edge | None:
    """The two actors and the relation a tie's IRI is made of; None where that is ambiguous."""
    if not iri.startswith(_TIE_BASE):
        return None
    local = iri[len(_TIE_BASE) :]
    found = [(r, local.split(f"--{r}--")) for r in relations if f"--{r}--" in local]
    if len(found) != 1 or len(found[0][1]) != 2 or not all(found[0][1]):
        return None
    relation, (a, b) = found[0]
    return curie(str(ENT) + a), curie(str(ENT) + b), relation


class _FactSource:
    """The facts behind the edges of one projection, read when first asked for."""

    def __init__(self, reader: _Reader, ties: dict[Edge, str], known: dict[Edge, list[dict[str, Any]]]) -> None:
        self.reader = reader
        self.ties = ties
        self.known = known  # the planned and hypothetical facts, read already
        self.loaded: dict[Edge, list[dict[str, Any]]] = {}
        self.complete = False

    def facts(self, key: Edge) -> list[dict[str, Any]]:
        """The facts of edge ``key``, sorted by id (an edge not read yet: every edge's are read)."""
        if key not in self.loaded:
            self.load(None)
        return self.loaded.get(key, [])

    def load(self, keys: Iterable[Edge] | None) -> None:
        """Read the facts of the edges ``keys`` (None: of every edge) in one pass."""
        if self.complete:
            return
        wanted = None if keys is None else [k for k in keys if k not in self.loaded]
        if wanted == []:
            return
        facts: set[str] | None = None
        if wanted is not None:
            ties = [self.ties[k] for k in wanted if k in self.ties]
            facts = {f["fact"] for k in wanted for f in self.known.get(k, [])}
            if ties:
                block = " ".join(f"<{self.reader.iris.get(t, t)}>" for t in ties)
                sparql = _TIE_FACTS.replace("WHERE {", f"WHERE {{ VALUES ?tie {{ {block} }}", 1)
                facts |= {fact for _, fact in self.reader.rows(sparql, "tie facts")}
        edges = _claim_edges(self.reader, Filters(), facts)
        for key in wanted if wanted is not None else set(self.ties) | set(self.known):
            self.loaded[key] = edges.get(key, [])
        self.complete = wanted is None


class Facts(Sequence[dict[str, Any]]):
    """The facts behind one edge of a projected network, read from the dataset when first asked for.

    A sequence of fact dicts (see :func:`project`), sorted by fact id. Asking for the
    facts of one edge reads those of every edge of the network, in one pass, unless
    :func:`load_facts` named the edges first (a view of a few hundred actors, say).
    """

    def __init__(self, source: _FactSource, key: Edge) -> None:
        self._source = source
        self._key = key

    def _items(self) -> list[dict[str, Any]]:
        return self._source.facts(self._key)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        return self._items()[index]

    def __len__(self) -> int:
        return len(self._items())

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._items())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __copy__(self) -> Facts:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Facts:
        # the facts are read once and shared: a copy of the network (to_undirected, say)
        # must not copy the dataset they are read from
        return self

    def __repr__(self) -> str:
        return f"<Facts of {self._key[0]} -{self._key[2]}-> {self._key[1]}>"


def load_facts(G: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str]] | None = None) -> None:
    """Read now the facts behind ``edges`` (``(a, b, relation)``; None: every edge) of ``G``.

    Only needed for speed: the facts of a projected network are read when first asked
    for, and then those of every edge at once; naming the edges that will be asked for
    (those a view shows) reads theirs alone.
    """
    chosen = list(G.edges(keys=True)) if edges is None else list(edges)
    sources: dict[int, tuple[_FactSource, list[Edge]]] = {}
    for a, b, k in chosen:
        facts = G.edges[a, b, k]["facts"]
        if isinstance(facts, Facts):
            sources.setdefault(id(facts._source), (facts._source, []))[1].append(facts._key)
    for source, keys in sources.values():
        source.load(keys)


#: Modalities from the strongest claim to the weakest.
MODALITY_ORDER = ("actual", "planned", "hypothetical", "negated")


def _fact_entry(fact: str, label: str, kind: str, score: float, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """A fact as its articles report it: the strongest modality they give, and its time.

    Its time is the narrowest interval those articles give (``when`` as written at its
    precision, ``first``/``last`` its days); ``date``, the day it sorts by, is the
    interval's first day (or its last, when only that is known).
    """
    modality = min((e["modality"] for e in evidence), key=MODALITY_ORDER.index)
    strongest = [e for e in evidence if e["modality"] == modality]
    dated = sorted((e for e in strongest if e["when"]), key=narrowest)
    best = dated[0] if dated else {"when": None, "first": None, "last": None}
    return {
        "fact": fact,
        "label": label,
        "type": kind,
        "date": best["first"] or best["last"],
        "when": best["when"],
        "first": best["first"],
        "last": best["last"],
        "modality": modality,
        "score": score * MODALITY_WEIGHT.get(modality, 0.0),
        "evidence": evidence,
    }


def narrowest(e: Mapping[str, Any]) -> tuple[int, datetime.date, str]:
    """Sort key of a time (``first``, ``last``, ``when``): the most precise first.

    A closed interval before an open one, a shorter before a longer, then by day; no
    time at all comes last.

    >>> d = datetime.date
    >>> times = [{"first": None, "last": None, "when": None}, {"first": d(2025, 1, 1), "last": d(2025, 12, 31),
    ...     "when": "2025"}, {"first": d(2025, 10, 1), "last": d(2025, 10, 31), "when": "2025-10"}]
    >>> [t["when"] for t in sorted(times, key=narrowest)]
    ['2025-10', '2025', None]
    """
    first, last = e["first"], e["last"]
    days = (last - first).days if first and last else 10**6
    return days, first or last or datetime.date.max, e["when"] or ""


def add_tie(G: nx.MultiDiGraph, a: str, b: str, relation: str, facts: list[dict[str, Any]]) -> None:
    """Add the edge ``a`` -> ``b`` of kind ``relation`` made of ``facts``, with its aggregates.

    Each fact is a dict with ``fact``, ``label``, ``type``, ``date`` (the day it sorts by,
    or None), ``when``, ``first`` and ``last`` (its time, see :mod:`kg.dates`),
    ``modality``, ``score`` (already weighted) and ``evidence`` (dicts of article and
    quote, and of the modality and time that article gives the fact).

    The edge's ``articles`` and ``first``/``last`` come from the quotes whose article
    gives the fact the modality it counts at (its strongest): the same figures as the
    build's ties (``kg:articleCount``, ``kg:firstDate``, ``kg:lastDate``).
    """
    counted = [(f, e) for f in facts for e in f["evidence"] if e.get("modality", f["modality"]) == f["modality"]]
    starts = [e["first"] if "first" in e else f.get("first") for f, e in counted]
    ends = [e["last"] if "last" in e else f.get("last") for f, e in counted]
    first = min((d for d in starts if d is not None), default=None)
    last = max((d for d in ends if d is not None), default=None)
    score = round(sum(f["score"] for f in facts), 6)
    G.add_edge(
        a,
        b,
        key=relation,
        relation=relation,
        score=score,
        sign=(score > 0) - (score < 0),
        count=len(facts),
        articles=len({e["article"] for _, e in counted}),
        first=start_text(first) if first else None,
        last=end_text(last) if last else None,
        event_types=sorted({f["type"] for f in facts}),
        modalities=sorted({f["modality"] for f in facts}),
        facts=facts,
    )


def _add_actors(reader: _Reader, G: nx.MultiDiGraph) -> None:
    """Label, class, country, sector, posts and aliases of the network's actors."""
    classes: dict[str, list[str]] = defaultdict(list)
    for actor, kind in reader.rows(_ACTOR_CLASSES, "actors"):
        if actor in G:
            classes[actor].append(str(kind))
    facts: dict[str, dict[str, Any]] = defaultdict(dict)
    for name, sparql in _ACTOR_FACTS.items():
        for actor, value in reader.rows(sparql, "actors"):
            if actor in G:
                facts[actor].setdefault(name, value)
    for actor in sorted(classes.keys() | facts.keys()):  # an actor typed kg:Actor alone has facts but no narrower class
        sector = facts[actor].get("sector")
        G.nodes[actor].update(
            label=facts[actor].get("label", actor),
            kind=min(classes.get(actor) or ["kg:Actor"]).removeprefix("kg:").lower(),
            country=facts[actor].get("country"),
            sector=str(sector).removeprefix("kg:").removesuffix("Sector").lower() if sector else None,
        )
    posts: dict[str, set[str]] = defaultdict(set)
    for actor, post in reader.rows(_POSTS, "posts"):
        posts[actor].add(post)
    aliases: dict[str, list[str]] = defaultdict(list)
    for actor, alias in reader.rows(_ALIASES, "aliases"):
        aliases[str(actor)].append(str(alias))
    for node in G:
        G.nodes[node]["posts"] = sorted(posts.get(node, ()))
        G.nodes[node]["aliases"] = sorted(aliases.get(node, []))
        G.nodes[node].setdefault("label", node)


# ---------------------------------------------------------------- collapsed views


def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per pair: ``score`` summed, ``count`` of facts, ``relations``.

    >>> U = undirected(example_network())
    >>> sorted((a, b, d["score"], d["count"]) for a, b, d in U.edges(data=True))
    [('ann', 'bob', 5.0, 2), ('ann', 'cid', -6.0, 1), ('bob', 'cid', -2.0, 1)]
    """
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    for a, b, d in G.edges(data=True):
        pair = U.get_edge_data(a, b)
        if pair is None:
            U.add_edge(a, b, score=0.0, count=0, relations=[])
            pair = U.edges[a, b]
        pair["score"] = round(pair["score"] + d["score"], 6)
        pair["count"] += d["count"]
        pair["relations"] = sorted({*pair["relations"], d["relation"]})
    return U


def signed(G: nx.MultiDiGraph) -> nx.Graph:
    """The signed graph: ``sign`` +1 (cooperation) or -1 (conflict) per pair; pairs that net to 0 are left out.

    >>> sorted((a, b, d["sign"]) for a, b, d in signed(example_network()).edges(data=True))
    [('ann', 'bob', 1), ('ann', 'cid', -1), ('bob', 'cid', -1)]
    """
    S = nx.Graph()
    S.add_nodes_from(G.nodes(data=True))
    for a, b, d in undirected(G).edges(data=True):
        if d["score"] != 0:
            S.add_edge(a, b, sign=1 if d["score"] > 0 else -1)
    return S


# ---------------------------------------------------------------- analytics


#: Up to this many actors betweenness is exact; above, it is estimated from a sample of sources.
EXACT_BETWEENNESS_UP_TO = 2000
#: How many source actors the estimate starts from.
BETWEENNESS_SAMPLES = 500


def _betweenness(U: nx.Graph) -> tuple[dict[str, float], str]:
    """Betweenness of the undirected network, and how it was computed.

    The same figures as ``nx.betweenness_centrality(U, normalized=True)`` (with ``k``
    and ``seed=0`` above :data:`EXACT_BETWEENNESS_UP_TO`: the same sources), computed
    by :func:`_brandes` on arrays.
    """
    nodes = list(U)
    exact = len(nodes) <= EXACT_BETWEENNESS_UP_TO
    how = "exact" if exact else f"estimated from {BETWEENNESS_SAMPLES} of {len(U):,} actors"
    backend = betweenness_backend()
    if backend is not None:  # NetworkX dispatches to it
        k = None if exact else BETWEENNESS_SAMPLES
        return dict(nx.betweenness_centrality(U, k=k, seed=0, backend=backend)), f"{how}, by {backend}"
    if exact:
        return _brandes(U, nodes, nodes), how
    sources = random.Random(0).sample(nodes, BETWEENNESS_SAMPLES)  # as NetworkX chooses them with seed=0
    return _brandes(U, nodes, sources), how


def betweenness_backend() -> str | None:
    """An installed NetworkX backend that implements betweenness (nx-parallel, nx-cugraph…), or None.

    NetworkX finds backends by their entry points; the first one that lists
    ``betweenness_centrality`` among its functions is used.
    """
    for name, info in sorted(backend_info.items()):
        if name != "networkx" and "betweenness_centrality" in (info.get("functions") or {}):
            return str(name)
    return None


def _brandes(U: nx.Graph, nodes: list[str], sources: list[str], batch: int = 256) -> dict[str, float]:
    """Brandes' betweenness (unweighted, normalised) from ``sources``, many sources at a time.

    Each breadth-first search is a product of the adjacency matrix with a block of
    columns, one per source: the number of shortest paths to each actor (sigma) level by
    level, then the dependencies (delta) back from the farthest level. NetworkX's pure
    Python loop over sources took 12 s for 500 sources at 4,279 actors; this, 0.5 s.
    """
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    A = nx.to_scipy_sparse_array(U, nodelist=nodes, weight=None, format="csr").astype(float)
    total = np.zeros(n)
    for start in range(0, len(sources), batch):
        columns = [index[s] for s in sources[start : start + batch]]
        width = np.arange(len(columns))
        sigma = np.zeros((n, len(columns)))
        sigma[columns, width] = 1.0
        depth = np.full((n, len(columns)), -1, dtype=np.int32)
        depth[columns, width] = 0
        frontier, level = sigma.copy(), 0
        while True:
            reached = A @ frontier
            reached[depth >= 0] = 0.0
            if not reached.any():
                break
            level += 1
            depth[reached > 0] = level
            sigma += reached
            frontier = reached
        delta = np.zeros_like(sigma)
        for d in range(level, 0, -1):
            at = depth == d
            share = np.zeros_like(sigma)
            share[at] = (1.0 + delta[at]) / sigma[at]
            back = A @ share
            before = depth == d - 1
            delta[before] += back[before] * sigma[before]
        delta[columns, width] = 0.0
        total += delta.sum(axis=1)
    k = len(sources)
    if k == n:
        scale = np.full(n, 1.0 / ((n - 1) * (n - 2)))
    else:  # NetworkX's rescaling of a sample: a source is not counted as a path's end
        scale = np.full(n, 1.0 / (k * (n - 2)))
        scale[[index[s] for s in sources]] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else 0.0
    return {node: float(v) for node, v in zip(nodes, total * scale, strict=True)}


def centrality(G: nx.MultiDiGraph, *, costly: Iterable[str] = ("betweenness", "eigenvector")) -> pd.DataFrame:
    """Who is central: degree, strength, cooperation and conflict, betweenness, PageRank, eigenvector.

    ``degree`` counts distinct neighbours (either direction); ``in_facts``/``out_facts``
    count facts received and initiated; ``cooperation`` and ``conflict`` sum the positive
    and negative scores of all the actor's edges. Betweenness (how often an actor lies on
    the shortest path between two others: a broker between camps) and eigenvector (being
    tied to well-tied actors) use the undirected pairs; PageRank (attention received,
    weighted by the number of facts) uses directions. Ranked by PageRank.

    ``costly`` names the measures worth their time (betweenness grows with actors times
    ties): one left out is reported as 0. Betweenness is exact up to
    :data:`EXACT_BETWEENNESS_UP_TO` actors, and above estimated from
    :data:`BETWEENNESS_SAMPLES` source actors chosen with a fixed seed (the same network
    gives the same figures; 12 s instead of 120 s for 4,279 actors and 26,000 pairs).
    ``frame.attrs["betweenness"]`` says which was done.
    """
    U = undirected(G)
    weighted = nx.DiGraph()
    weighted.add_nodes_from(G)
    for a, b, d in G.edges(data=True):
        w = weighted.get_edge_data(a, b, {"weight": 0})["weight"]
        weighted.add_edge(a, b, weight=w + d["count"])
    pagerank = nx.pagerank(weighted, weight="weight") if len(G) else {}
    betweenness, how = _betweenness(U) if "betweenness" in costly else ({}, "not computed")
    eigen: dict[str, float] = {}
    for part in nx.connected_components(U) if "eigenvector" in costly else []:
        sub = U.subgraph(part)
        if len(sub) > 2:
            values = nx.eigenvector_centrality_numpy(sub, weight="count")
            share = len(sub) / len(U)
            eigen.update({n: abs(v) * share for n, v in values.items()})
    rows = []
    for n, data in G.nodes(data=True):
        edges = [*G.out_edges(n, data=True), *G.in_edges(n, data=True)]
        rows.append(
            {
                "id": n,
                "actor": data.get("label", n),
                "degree": U.degree(n),
                "out_facts": sum(d["count"] for _, _, d in G.out_edges(n, data=True)),
                "in_facts": sum(d["count"] for _, _, d in G.in_edges(n, data=True)),
                "cooperation": round(sum(d["score"] for _, _, d in edges if d["score"] > 0), 6),
                "conflict": round(sum(d["score"] for _, _, d in edges if d["score"] < 0), 6),
                "betweenness": round(betweenness.get(n, 0.0), 6),
                "pagerank": round(pagerank.get(n, 0.0), 6),
                "eigenvector": round(eigen.get(n, 0.0), 6),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "actor",
            "degree",
            "out_facts",
            "in_facts",
            "cooperation",
            "conflict",
            "betweenness",
            "pagerank",
            "eigenvector",
        ],
    )
    frame.attrs["betweenness"] = how
    return frame.sort_values(["pagerank", "degree", "id"], ascending=[False, False, True]).reset_index(drop=True)


def communities(G: nx.MultiDiGraph, method: str = "louvain", seed: int = 42) -> pd.DataFrame:
    """Groups of actors more tied to each other than to the rest (Louvain or greedy modularity).

    Ties are weighted by the number of facts, whatever their sign: a community is a
    cluster of interaction, not of agreement. Louvain is run with a fixed ``seed``.

    >>> communities(example_network())[["community", "size", "members"]]
       community  size        members
    0          1     3  Ann, Bob, Cid
    """
    U = undirected(G)
    for _, _, d in U.edges(data=True):
        d["weight"] = d["count"]
    if method == "louvain":
        groups = nx.community.louvain_communities(U, weight="weight", seed=seed)
    elif method == "greedy":
        groups = nx.community.greedy_modularity_communities(U, weight="weight")
    else:
        raise InputError(f"unknown community method '{method}'", expected="louvain or greedy")
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g))
    return pd.DataFrame(
        [
            {
                "community": i + 1,
                "size": len(g),
                "members": ", ".join(U.nodes[n].get("label", n) for n in g),
                "ids": " ".join(g),
            }
            for i, g in enumerate(ordered)
        ]
    )


def ego(G: nx.MultiDiGraph, actor: str, k: int = 1) -> nx.MultiDiGraph:
    """The actors within ``k`` steps of ``actor`` (either direction), with their edges.

    >>> sorted(ego(example_network(), "ann", 1))
    ['ann', 'bob', 'cid']
    """
    _known(G, actor)
    near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), actor, cutoff=k)
    return G.subgraph(near).copy()


def path(G: nx.MultiDiGraph, source: str, target: str) -> pd.DataFrame:
    """A shortest chain of ties from ``source`` to ``target``, with the facts that make each hop.

    One row per fact behind each hop (either direction) and quote, with its article and
    what that article says of the fact (``says``: its modality): how a story links two
    actors who never met, and the evidence for every link.

    >>> path(example_network(), "ann", "cid")[["hop", "from", "relation", "to", "when"]]
       hop from   relation   to        when
    0    1  cid  sanctions  ann  2026-03-02
    """
    _known(G, source)
    _known(G, target)
    try:
        hops = nx.shortest_path(undirected(G), source, target)
    except nx.NetworkXNoPath as exc:
        raise InputError(f"no chain of ties links {source} and {target}") from exc
    hop_edges = [(u, v, k) for a, b in itertools.pairwise(hops) for u, v in ((a, b), (b, a)) for k in G[u].get(v, {})]
    load_facts(G, hop_edges)  # the facts of these ties alone, not of the whole network
    rows = []
    for step, (a, b) in enumerate(itertools.pairwise(hops), start=1):
        for u, v in ((a, b), (b, a)):
            for relation, d in sorted((G.get_edge_data(u, v) or {}).items()):
                for fact in d["facts"]:
                    for ev in fact["evidence"]:
                        rows.append(
                            {
                                "hop": step,
                                "from": u,
                                "from_label": G.nodes[u].get("label", u),
                                "relation": relation,
                                "to": v,
                                "to_label": G.nodes[v].get("label", v),
                                "fact": fact["fact"],
                                "label": fact["label"],
                                "when": fact["when"],
                                "article": ev["article"],
                                "says": ev.get("modality", fact["modality"]),
                                "quote": ev["quote"],
                            }
                        )
    columns = ["hop", "from", "from_label", "relation", "to", "to_label", "fact", "label", "when", "article"]
    return pd.DataFrame(rows, columns=[*columns, "says", "quote"])


def path_steps(G: nx.MultiDiGraph, source: str, target: str) -> pd.DataFrame:
    """A shortest chain of ties from ``source`` to ``target``, one row per tie of each hop.

    The ties of each hop in either direction, each with its actors' labels, the number of
    facts and articles behind it, its first and last dates (at their precision) and the
    facts themselves, by label, in time order; :func:`path` gives their quotes.

    >>> path_steps(example_network(), "ann", "cid")[["hop", "from_label", "relation", "to_label", "facts"]]
       hop from_label   relation to_label  facts
    0    1        Cid  sanctions      Ann      1
    """
    detail = path(G, source, target)
    rows = []
    for (step, u, relation, v), group in detail.groupby(["hop", "from", "relation", "to"], sort=False):
        d = G.edges[u, v, relation]
        first, last = d.get("first"), d.get("last")
        labels = list(dict.fromkeys(group["label"]))
        rows.append(
            {
                "hop": step,
                "from": u,
                "from_label": G.nodes[u].get("label", u),
                "relation": relation,
                "to": v,
                "to_label": G.nodes[v].get("label", v),
                "facts": len(labels),
                "articles": int(d["articles"]),
                "when": first if first == last else f"{first or '..'}/{last or '..'}" if first or last else None,
                "what": "; ".join(labels),
            }
        )
    columns = ["hop", "from", "from_label", "relation", "to", "to_label", "facts", "articles", "when", "what"]
    return pd.DataFrame(rows, columns=columns)


def ties(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Every edge of ``G``, one row each: its actors with their labels, relation, score and counts.

    >>> ties(ego(example_network(), "ann"))[["from_label", "relation", "to_label", "score"]]
      from_label   relation to_label  score
    0        Ann    metWith      Bob    5.0
    1        Bob    accuses      Cid   -2.0
    2        Cid  sanctions      Ann   -6.0
    """
    rows = [
        {
            "from": a,
            "from_label": G.nodes[a].get("label", a),
            "relation": k,
            "to": b,
            "to_label": G.nodes[b].get("label", b),
            "score": d["score"],
            "facts": d["count"],
            "articles": d["articles"],
        }
        for a, b, k, d in sorted(G.edges(keys=True, data=True))
    ]
    columns = ["from", "from_label", "relation", "to", "to_label", "score", "facts", "articles"]
    return pd.DataFrame(rows, columns=columns)


def balance_by_month(G: nx.MultiDiGraph, a: str, b: str) -> pd.DataFrame:
    """Cooperation and conflict between two actors, month by month (both directions).

    A fact counts in the month its articles place it in; facts without a date, or known
    only within a longer interval (a year, "before 13 January"), are left out. ``net`` is cooperation + conflict.

    >>> balance_by_month(example_network(), "ann", "bob")
         month  cooperation  conflict  net  facts
    0  2026-01          2.5       0.0  2.5      1
    1  2026-02          2.5       0.0  2.5      1
    """
    _known(G, a)
    _known(G, b)
    months: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for u, v in ((a, b), (b, a)):
        for d in (G.get_edge_data(u, v) or {}).values():
            for fact in d["facts"]:
                first, last = fact.get("first"), fact.get("last")
                if first is None or last is None or (first.year, first.month) != (last.year, last.month):
                    continue
                slot = months[first.strftime("%Y-%m")]
                slot[0 if fact["score"] > 0 else 1] += fact["score"] if fact["score"] else 0.0
                slot[2] += 1
    rows = [
        {"month": m, "cooperation": round(c, 6), "conflict": round(x, 6), "net": round(c + x, 6), "facts": int(n)}
        for m, (c, x, n) in sorted(months.items())
    ]
    frame = pd.DataFrame(rows, columns=["month", "cooperation", "conflict", "net", "facts"])
    frame.attrs["between"] = f"{G.nodes[a].get('label', a)} and {G.nodes[b].get('label', b)}"
    return frame


def structural_balance(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Every triangle of the signed graph, and whether it is balanced.

    A triad is balanced when the product of its three signs is positive ("the friend of my
    friend is my friend", "the enemy of my enemy is my friend"); an unbalanced triad is a
    tension that news often resolves by a change of alliance.

    >>> structural_balance(example_network())[["a", "b", "c", "signs", "balanced"]]
         a    b    c signs  balanced
    0  ann  bob  cid   +--      True
    """
    S = signed(G)
    rows = []
    for a, b, c in sorted(tuple(sorted(t)) for t in _triangles(S)):
        signs = [S.edges[a, b]["sign"], S.edges[a, c]["sign"], S.edges[b, c]["sign"]]
        product = signs[0] * signs[1] * signs[2]
        names = {f"{k}_label": S.nodes[n].get("label", n) for k, n in (("a", a), ("b", b), ("c", c))}
        rows.append(
            {
                "a": a,
                "b": b,
                "c": c,
                **names,
                "signs": "".join("+" if s > 0 else "-" for s in signs),
                "balanced": product > 0,
            }
        )
    return pd.DataFrame(rows, columns=["a", "b", "c", "a_label", "b_label", "c_label", "signs", "balanced"])


def _triangles(S: nx.Graph) -> Iterable[tuple[str, str, str]]:
    seen = set()
    for a in S:
        for b in S[a]:
            for c in set(S[a]) & set(S[b]):
                t = tuple(sorted((a, b, c)))
                if t not in seen:
                    seen.add(t)
                    yield t


def brokers(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Actors whose removal cuts the network apart or lengthens its paths.

    ``cut`` says whether the actor is an articulation point (removing it disconnects
    others); ``separated`` counts the pairs of actors that can no longer reach each other
    without it; ``longer`` the pairs whose shortest path gets longer. Ranked by both. In a
    news network these are the go-betweens: remove them and camps stop talking.

    In a triangle nobody is indispensable: without any one actor, the other two are still
    tied directly.

    >>> brokers(example_network())[["actor", "cut", "separated", "longer"]]
      actor    cut  separated  longer
    0   Ann  False          0       0
    1   Bob  False          0       0
    2   Cid  False          0       0
    """
    U = undirected(G)
    cuts = set(nx.articulation_points(U))
    before = dict(nx.all_pairs_shortest_path_length(U))
    rows = []
    for n in U:
        H = U.copy()
        H.remove_node(n)
        after = dict(nx.all_pairs_shortest_path_length(H))
        separated = longer = 0
        for x in H:
            for y in H:
                if x < y and y in before.get(x, {}):
                    if y not in after.get(x, {}):
                        separated += 1
                    elif after[x][y] > before[x][y]:
                        longer += 1
        rows.append(
            {"id": n, "actor": U.nodes[n].get("label", n), "cut": n in cuts, "separated": separated, "longer": longer}
        )
    frame = pd.DataFrame(rows, columns=["id", "actor", "cut", "separated", "longer"])
    return frame.sort_values(["separated", "longer", "id"], ascending=[False, False, True]).reset_index(drop=True)


def change(conn: Connection, before: Filters, after: Filters) -> pd.DataFrame:
    """Who gained or lost centrality between two projections (two periods, say).

    One row per actor present in either, with PageRank and degree in each and the change:
    who rose into the story (a newcomer at a summit) and who faded from it.
    """
    first = centrality(project(conn, before)).set_index("id")
    second = centrality(project(conn, after)).set_index("id")
    ids = sorted(set(first.index) | set(second.index))
    rows = []
    for i in ids:
        p0 = float(first["pagerank"].get(i, 0.0))
        p1 = float(second["pagerank"].get(i, 0.0))
        rows.append(
            {
                "id": i,
                "actor": second["actor"].get(i, first["actor"].get(i, i)),
                "pagerank_before": p0,
                "pagerank_after": p1,
                "pagerank_change": round(p1 - p0, 6),
                "degree_before": int(first["degree"].get(i, 0)),
                "degree_after": int(second["degree"].get(i, 0)),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["pagerank_change", "id"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------- export


def to_export(
    G: nx.MultiDiGraph, relations: Mapping[str, str] | None = None, *, measures: bool = True
) -> nx.MultiDiGraph:
    """A copy for GraphML and GEXF: typed attributes only, nodes and edges sorted by id.

    Attributes are text, whole numbers or decimals, each of one type throughout, so that
    Gephi, yEd and igraph read them as typed columns; missing values are left out. Lists
    become text joined with ``"; "`` (an edge's ``facts`` are its facts' ids: the quotes
    are in the CSV export), dates ISO text.

    Each edge gets ``label``, its relation in words (``relations`` maps a relation to its
    words, see :func:`relation_words`; without it ``metWith`` reads ``met with``), and
    ``weight``, its number of facts as a decimal: the tie's strength as PageRank and the
    communities weigh it (the signed PLOVER total is ``score``). Each node gets the
    measures of :func:`centrality` unless ``measures`` is False. Edges keep their keys
    (the relation): :func:`write_network` gives each a unique id, :func:`edge_id`.

    >>> H = to_export(example_network())
    >>> d = H.edges["ann", "bob", "metWith"]
    >>> d["label"], d["weight"], d["count"], d["score"], d["facts"]
    ('met with', 2.0, 2, 5.0, 'meeting-1; meeting-2')
    >>> H.nodes["cid"]["degree"], H.nodes["cid"]["conflict"]
    (2, -8.0)
    """
    measured = centrality(G).set_index("id") if measures and len(G) else None
    H = nx.MultiDiGraph()
    for n in sorted(G):
        data = _flat(G.nodes[n])
        if measured is not None:
            data.update({k: _typed(v) for k, v in measured.loc[n].items() if k in MEASURES})
        H.add_node(n, **data)
    for a, b, k in sorted(G.edges(keys=True)):
        d = G.edges[a, b, k]
        words = words_of(d.get("relation", k), relations)
        facts = "; ".join(str(f["fact"]) for f in d.get("facts", ()))
        flat = _flat({key: value for key, value in d.items() if key != "facts"})
        H.add_edge(a, b, key=k, **{"label": words, "weight": float(d.get("count", 0)), **flat, "facts": facts})
    return H


#: The measures of :func:`centrality` each exported node carries.
MEASURES = ("degree", "out_facts", "in_facts", "cooperation", "conflict", "betweenness", "pagerank", "eigenvector")


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    """Attributes as text or numbers: lists joined with "; ", dates ISO, None left out."""
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, datetime.date):
            out[key] = value.isoformat()
        elif isinstance(value, list | tuple | set | frozenset):
            out[key] = "; ".join(sorted(str(v) for v in value))
        else:
            out[key] = _typed(value)
    return out


def _typed(value: Any) -> Any:
    """A NumPy or Python number as a plain int or float (bool stays bool), else the value."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    return value


def words_of(relation: str, relations: Mapping[str, str] | None = None) -> str:
    """A relation in words: from ``relations`` (:func:`relation_words`), else its camelCase name split.

    >>> words_of("metWith"), words_of("mobilisesAgainst"), words_of("metWith", {"metWith": "met"})
    ('met with', 'mobilises against', 'met')
    """
    if relations and relation in relations:
        return relations[relation]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", relation).lower()


def relation_words(conn: Connection) -> dict[str, str]:
    """The relations of the network in words, from the ontology's labels: ``metWith``: ``met with``."""
    sparql = "SELECT ?relation ?label WHERE { ?relation a kg:DerivedEdge ; rdfs:label ?label }"
    found: dict[str, str] = {}
    for relation, label in _Reader(conn).rows(sparql, "relation labels"):
        name = str(relation).removeprefix("kg:")
        found[name] = min(found.get(name, str(label)), str(label))
    return dict(sorted(found.items()))


def edge_id(a: str, b: str, key: str) -> str:
    """The id of an exported edge: its ends and relation, as the build names its tie.

    >>> edge_id("ent:donald-trump", "ent:gustavo-petro", "sanctions")
    'ent:donald-trump--sanctions--ent:gustavo-petro'
    """
    return f"{a}--{key}--{b}"


def _known(G: nx.MultiDiGraph, node: str) -> None:
    if node not in G:
        raise InputError(f"{node} is not in the network", hint="check the name, or the filters that built the network")


def example_network() -> nx.MultiDiGraph:
    """A three-actor network for examples and tests (no dataset needed).

    Ann meets Bob on 10 January and 5 February 2026 (CONSULT, 2.5 each), Bob accuses Cid
    on 1 March (ACCUSE, -2), Cid sanctions Ann on 2 March (SANCTION, -6).
    """
    G = nx.MultiDiGraph()
    for n in ("ann", "bob", "cid"):
        G.add_node(n, label=n.title(), kind="person", country=None, sector=None, posts=[])

    def fact(name: str, date: datetime.date, score: float, kind: str) -> dict[str, Any]:
        return {
            "fact": name,
            "label": name,
            "type": kind,
            "date": date,
            "when": date.isoformat(),
            "first": date,
            "last": date,
            "modality": "actual",
            "score": score,
            "evidence": [
                {"article": "art:x", "quote": name, "modality": "actual", "when": date.isoformat(), "first": date}
            ],
        }

    meetings = [
        fact("meeting-1", datetime.date(2026, 1, 10), 2.5, "CONSULT"),
        fact("meeting-2", datetime.date(2026, 2, 5), 2.5, "CONSULT"),
    ]
    for a, b, relation, facts in (
        ("ann", "bob", "metWith", meetings),
        ("bob", "cid", "accuses", [fact("accusation", datetime.date(2026, 3, 1), -2.0, "ACCUSE")]),
        ("cid", "ann", "sanctions", [fact("sanction", datetime.date(2026, 3, 2), -6.0, "SANCTION")]),
    ):
        add_tie(G, a, b, relation, facts)
    return G


def node_id(conn: Connection, name: str) -> str:
    """The network id (a prefixed name) of an actor given by id, label or alias."""
    return curie(URIRef(conn.resolve(name)))


def write_network(
    G: nx.MultiDiGraph, fmt: str, path: Path, *, relations: Mapping[str, str] | None = None
) -> list[Path]:
    """Write the network as GraphML, GEXF (Gephi) or CSV, atomically; return the files written.

    GraphML and GEXF hold :func:`to_export`'s graph: typed attributes, each edge with a
    unique id (:func:`edge_id`), its relation in words as ``label`` and its number of
    facts as ``weight``, each node with its measures. The same network gives the same bytes.

    CSV gives two tidy files, with no list or JSON in a cell but names, quotes aside:
    the edges at ``path``, one row per edge and fact (:data:`EDGE_COLUMNS`: the fact's
    own sign, score and date at its precision, and the articles that report it), and the
    nodes beside it as ``NAME.nodes.csv`` (:data:`NODE_COLUMNS`). ``relations`` gives
    the relations in words (see :func:`to_export`).

    Raises
    ------
    InputError
        For an unknown format.

    """
    if fmt not in ("graphml", "gexf", "csv"):
        raise InputError(f"unknown network format '{fmt}'", expected="graphml, gexf or csv")
    H = to_export(G, relations)
    if fmt == "graphml":
        return [write_atomic(path, _graphml(H))]
    if fmt == "gexf":
        return [write_atomic(path, _gexf(H))]
    nodes_path = path.with_name(f"{path.stem}.nodes.csv")
    return [write_atomic(path, _edges_csv(G, H)), write_atomic(nodes_path, _nodes_csv(H))]


#: The columns of the edges CSV: one row per edge and fact.
EDGE_COLUMNS = (
    "source",
    "target",
    "source_name",
    "target_name",
    "relation",
    "sign",
    "date",
    "fact",
    "articles",
    "score",
    "event_type",
    "modality",
    "fact_id",
    "relation_id",
)
#: The columns of the nodes CSV.
NODE_COLUMNS = ("id", "name", "class", "country", "sector", *MEASURES, "posts", "aliases")


def _graphml(H: nx.MultiDiGraph) -> bytes:
    K = nx.MultiDiGraph()
    K.add_nodes_from(H.nodes(data=True))
    K.add_edges_from((a, b, edge_id(a, b, k), d) for a, b, k, d in H.edges(keys=True, data=True))
    out = io.BytesIO()
    nx.write_graphml_xml(K, out, encoding="utf-8")
    return out.getvalue()


_GEXF_NOTE = "weight: the number of facts behind the tie; score: their signed PLOVER total"


def _gexf(H: nx.MultiDiGraph) -> bytes:
    K = nx.MultiDiGraph()
    K.add_nodes_from(H.nodes(data=True))
    K.add_edges_from((a, b, k, {"id": edge_id(a, b, k), **d}) for a, b, k, d in H.edges(keys=True, data=True))
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(K)
    # the same network, the same bytes: no date of writing; and no copy of the key (the relation)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        SubElement(meta, "description").text = _GEXF_NOTE
    copies = set()
    for attributes in writer.xml.iter("attributes"):
        for attribute in attributes.findall("attribute[@title='networkx_key']"):
            copies.add(attribute.get("id"))
            attributes.remove(attribute)
    for values in writer.xml.iter("attvalues"):
        for value in [v for v in values if v.get("for") in copies]:
            values.remove(value)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _csv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _edges_csv(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> bytes:
    def rows() -> Iterator[dict[str, Any]]:
        for a, b, k, d in H.edges(keys=True, data=True):
            for fact in G.edges[a, b, k].get("facts", ()):
                score = fact.get("score", 0.0)
                yield {
                    "source": a,
                    "target": b,
                    "source_name": H.nodes[a].get("label", a),
                    "target_name": H.nodes[b].get("label", b),
                    "relation": d["label"],
                    "sign": (score > 0) - (score < 0),
                    "date": fact.get("when") or "",
                    "fact": fact.get("label", fact["fact"]),
                    "articles": "; ".join(sorted({e["article"] for e in fact.get("evidence", ())})),
                    "score": score,
                    "event_type": fact.get("type", ""),
                    "modality": fact.get("modality", ""),
                    "fact_id": fact["fact"],
                    "relation_id": d.get("relation", k),
                }

    return _csv(EDGE_COLUMNS, rows())


def _nodes_csv(H: nx.MultiDiGraph) -> bytes:
    rows = (
        {"id": n, "name": d.get("label", n), "class": d.get("kind", ""), **{c: d.get(c, "") for c in NODE_COLUMNS[3:]}}
        for n, d in H.nodes(data=True)
    )
    return _csv(NODE_COLUMNS, rows)
