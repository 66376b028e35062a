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

import datetime
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from rdflib import URIRef

from kg.dates import end_text, overlaps, start_text
from kg.errors import InputError
from kg.formats import write_atomic
from kg.namespaces import curie
from kg.query import Connection
from kg.terms import to_python

__all__ = [
    "Filters",
    "add_tie",
    "balance_by_month",
    "brokers",
    "centrality",
    "change",
    "communities",
    "ego",
    "example_network",
    "path",
    "project",
    "signed",
    "structural_balance",
    "to_export",
    "undirected",
    "write_network",
]

#: Weight of a fact in scores and strengths, by modality (negated facts are left out).
MODALITY_WEIGHT = {"actual": 1.0, "planned": 0.5, "hypothetical": 0.5}

# The projection reads simple scans and joins them here: one pattern with the evidence,
# the times and the type scores joined in SPARQL took Oxigraph 4.2 s for 831 rows (the
# actor-class path alone 3.5 s), and the union of events and relations 1.8 s for 16,830
# rows at 1,000 synthetic articles; each scan reads one property.
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

_ACTORS = """
SELECT ?actor ?label ?class ?country ?sector ?post WHERE {
  ?actor a ?class ; rdfs:label ?label .
  ?class rdfs:subClassOf* kg:Actor .
  FILTER (?class != kg:Actor)
  OPTIONAL { ?actor kg:country ?country }
  OPTIONAL { ?actor kg:sector ?sector }
  OPTIONAL { ?tenure kg:holder ?actor ; kg:post ?post ; kg:modality kg:Actual }
}
ORDER BY ?actor ?post
"""


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


def project(conn: Connection, filters: Filters | None = None) -> nx.MultiDiGraph:
    """The actor network of a built dataset, one edge per (source, target, relation).

    Each article's claims are read from its own graph: an article supports the edge a -> b
    with a fact only when it names both a and b in that fact, and with the modality and
    date it gives the fact.

    Edge attributes: ``relation`` (e.g. ``sanctions``), ``event_types``, ``score`` (sum of
    the facts' scores, each weighted by its modality), ``sign`` (+1, -1 or 0), ``count``
    (facts), ``articles`` (distinct articles that name both actors in one of the facts),
    ``first``/``last`` (when the earliest fact can have begun and the latest ended, at
    their precision: ``2026-01``), ``modalities``, and ``facts``: one dict per fact with its
    label, type, score, and its ``evidence``: each quote with its article and the
    modality and time that article gives the fact (``when``, written at its precision,
    and ``first``/``last``, its interval's days). A fact's own ``modality`` is the
    strongest its articles give (actual, then planned, hypothetical, negated) and its
    time the narrowest those articles give. A date range keeps the facts that an article
    places, at least in part, within it; a fact without a date is kept unless a date
    range is asked for. Node attributes: ``label``, ``kind``
    (person, organisation, group, country), ``country``, ``sector``, ``posts``.

    Filters apply to each article's claim (its modality, the article itself), then to
    the facts (type, date) and the edges (number of articles).
    """
    f = filters or Filters()

    def scan(sparql: str, name: str) -> list[list[Any]]:
        return [[to_python(t) for t in row] for row in conn.table(sparql, name=name, trusted=True, complete=True).rows]

    types = {t: (relation.removeprefix("kg:"), float(score)) for t, relation, score in scan(_TYPE_SCORES, "types")}
    terms = {fact: (label, mode_score) for fact, label, mode_score in scan(_FACT_TERMS, "facts")}
    quotes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for fact, article, quote in scan(_QUOTES, "quotes"):
        quotes[(fact, article)].append(quote)
    times: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"when": None, "first": None, "last": None})
    for key, sparql in _TIMES.items():
        for fact, article, value in scan(sparql, "times"):
            times[(fact, article)][key] = value
    actors = {a for (a,) in scan("SELECT DISTINCT ?a WHERE { ?a a/rdfs:subClassOf* kg:Actor }", "actors")}
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
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for (a, b, relation, fact), evidence in sorted(claims.items()):
        label, kind, score = about[fact]
        entry = _fact_entry(fact, label, kind, score, evidence)
        if (f.start or f.end) and not any(
            e["when"] and overlaps((e["first"], e["last"]), (f.start, f.end)) for e in evidence
        ):
            continue
        edges[(a, b, relation)].append(entry)
    G = nx.MultiDiGraph()
    for (a, b, relation), entries in edges.items():
        articles = {e["article"] for entry in entries for e in entry["evidence"]}
        if len(articles) < f.min_articles:
            continue
        add_tie(G, a, b, relation, entries)
    _add_actors(conn, G)
    if f.countries is not None:
        G.remove_nodes_from([n for n, d in list(G.nodes(data=True)) if d.get("country") not in f.countries])
    return G


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
    dated = sorted((e for e in strongest if e["when"]), key=_narrowest)
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


def _narrowest(e: dict[str, Any]) -> tuple[int, datetime.date, str]:
    """Sort key: a closed interval before an open one, a shorter before a longer, then by day."""
    first, last = e["first"], e["last"]
    days = (last - first).days if first and last else 10**6
    return days, first or last or datetime.date.max, e["when"]


def add_tie(G: nx.MultiDiGraph, a: str, b: str, relation: str, facts: list[dict[str, Any]]) -> None:
    """Add the edge ``a`` -> ``b`` of kind ``relation`` made of ``facts``, with its aggregates.

    Each fact is a dict with ``fact``, ``label``, ``type``, ``date`` (the day it sorts by,
    or None), ``when``, ``first`` and ``last`` (its time, see :mod:`kg.dates`),
    ``modality``, ``score`` (already weighted) and ``evidence`` (dicts of article and
    quote, and of the modality and time that article gives the fact).
    """
    starts = [f.get("first") or f.get("last") for f in facts]
    ends = [f.get("last") or f.get("first") for f in facts]
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
        articles=len({e["article"] for f in facts for e in f["evidence"]}),
        first=start_text(first) if first else None,
        last=end_text(last) if last else None,
        event_types=sorted({f["type"] for f in facts}),
        modalities=sorted({f["modality"] for f in facts}),
        facts=facts,
    )


def _add_actors(conn: Connection, G: nx.MultiDiGraph) -> None:
    posts: dict[str, list[str]] = defaultdict(list)
    for row in conn.table(_ACTORS, name="actors", trusted=True, complete=True).rows:
        actor, label, kind, country, sector, post = (to_python(t) for t in row)
        if actor not in G:
            continue
        G.nodes[actor].update(
            label=label,
            kind=str(kind).removeprefix("kg:").lower(),
            country=country,
            sector=str(sector).removeprefix("kg:").removesuffix("Sector").lower() if sector else None,
        )
        if post and post not in posts[actor]:
            posts[actor].append(post)
    aliases: dict[str, list[str]] = defaultdict(list)
    for actor, alias in conn.table(
        "SELECT ?a ?alias WHERE { ?a kg:alias ?alias } ORDER BY ?a ?alias", name="aliases", trusted=True, complete=True
    ).rows:
        aliases[str(to_python(actor))].append(str(alias))
    for node in G:
        G.nodes[node]["posts"] = posts.get(node, [])
        G.nodes[node]["aliases"] = aliases.get(node, [])
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
    """Betweenness of the undirected network, and how it was computed."""
    if len(U) <= EXACT_BETWEENNESS_UP_TO:
        return nx.betweenness_centrality(U, normalized=True), "exact"
    values = nx.betweenness_centrality(U, k=BETWEENNESS_SAMPLES, normalized=True, seed=0)
    return values, f"estimated from {BETWEENNESS_SAMPLES} of {len(U):,} actors"


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
                                "relation": relation,
                                "to": v,
                                "fact": fact["fact"],
                                "label": fact["label"],
                                "when": fact["when"],
                                "article": ev["article"],
                                "says": ev.get("modality", fact["modality"]),
                                "quote": ev["quote"],
                            }
                        )
    return pd.DataFrame(rows)


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
    return pd.DataFrame(rows, columns=["month", "cooperation", "conflict", "net", "facts"])


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
        rows.append(
            {"a": a, "b": b, "c": c, "signs": "".join("+" if s > 0 else "-" for s in signs), "balanced": product > 0}
        )
    return pd.DataFrame(rows, columns=["a", "b", "c", "signs", "balanced"])


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


def to_export(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all text or numbers (GraphML and GEXF need that).

    Lists and the ``facts`` become JSON text (each fact's time as ``when``, with the
    ``first`` and ``last`` days of its interval), dates ISO text; missing values are dropped.
    """
    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, **_flat(d))
    for a, b, k, d in G.edges(keys=True, data=True):
        H.add_edge(a, b, key=k, **_flat(d))
    return H


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, datetime.date):
            out[key] = value.isoformat()
        elif key == "facts":  # each fact's time as its articles give it; its sort day would read as a date
            facts = [{k: v for k, v in fact.items() if k != "date"} for fact in value]
            out[key] = json.dumps(facts, ensure_ascii=False, default=str)
        elif isinstance(value, list | dict):
            out[key] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            out[key] = value
    return out


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


def write_network(G: nx.MultiDiGraph, fmt: str, path: Path) -> list[Path]:
    """Write the network as GraphML, GEXF (Gephi) or CSV, atomically; return the files written.

    CSV gives two files: the edges at ``path`` and the nodes beside it (``NAME.nodes.csv``).
    Every attribute is kept, lists and facts as JSON text; NetworkX reads GraphML and GEXF back.
    """
    H = to_export(G)
    if fmt == "graphml":
        return [write_atomic(path, "\n".join(nx.generate_graphml(H)).encode("utf-8"))]
    if fmt == "gexf":
        return [write_atomic(path, "\n".join(nx.generate_gexf(H)).encode("utf-8"))]
    if fmt == "csv":
        edges = pd.DataFrame(
            [{"source": a, "target": b, "key": k, **d} for a, b, k, d in H.edges(keys=True, data=True)]
        )
        nodes = pd.DataFrame([{"id": n, **d} for n, d in H.nodes(data=True)])
        nodes_path = path.with_name(f"{path.stem}.nodes.csv")
        return [
            write_atomic(path, edges.to_csv(index=False).encode("utf-8")),
            write_atomic(nodes_path, nodes.to_csv(index=False).encode("utf-8")),
        ]
    raise InputError(f"unknown network format '{fmt}'", expected="graphml, gexf or csv")
