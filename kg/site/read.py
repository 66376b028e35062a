"""What the site shows, read from a built dataset at once: articles, quotes, facts, actors.

Each page of the site is written from a :class:`Site`, read here with a few whole-corpus
questions rather than one per page: the named questions ``actor-dossier`` and
``fact-reports`` are run once with their parameter left unbound (every actor, every
fact), and split by actor and by fact here. Every thing that gets a page gets a file
name (:func:`slugs`): the local name of its id as the CLI names its pages, made unique.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.namespaces import curie, slug
from kg.query import Connection, read_queries

__all__ = ["Actor", "Article", "Evidence", "Fact", "Site", "read_site", "slugs"]


def slugs(ids: Iterable[str], fallback: str) -> dict[str, str]:
    """A file name for each id: its local name as the CLI's pages are named, unique among ``ids``.

    Ids are taken in sorted order; a name already given gets ``-2``, ``-3``…; an id whose
    local name has no letter or digit gets ``fallback``.

    >>> slugs(["ent:a_b", "ent:a-b", "ent:***"], "actor")
    {'ent:***': 'actor', 'ent:a-b': 'a-b', 'ent:a_b': 'a-b-2'}
    """
    given: dict[str, str] = {}
    taken: set[str] = set()
    for one in sorted(set(ids)):
        base = slug(one) or fallback
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        given[one] = name
    return given


@dataclass
class Article:
    """An article: its metadata, its text's file and digest, and its quotes in id order."""

    id: str
    slug: str
    title: str
    headline: str | None
    outlet: str | None
    published: str | None
    bylines: list[str]
    url: str | None
    source_file: str | None
    sha256: str | None
    length: int | None
    evidence: list[str] = field(default_factory=list)


@dataclass
class Evidence:
    """A quote: its article and the facts that cite it (in that article's graph)."""

    id: str
    article: str
    quote: str
    attribution: str | None
    facts: list[str] = field(default_factory=list)


@dataclass
class Fact:
    """A fact: its label, class and type in words, support, and the quotes citing it by article."""

    id: str
    slug: str
    label: str
    kind: str
    type: str | None
    article_count: int
    actual_count: int
    evidence: dict[str, list[str]] = field(default_factory=dict)
    reports: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Actor:
    """An entity taking part in a fact: label, aliases, class, and its dossier rows.

    ``dossier`` holds the rows of the named question ``actor-dossier`` for it, dated
    facts first by the earliest day their articles allow, then the undated.
    """

    id: str
    slug: str
    label: str
    aliases: list[str]
    kind: str | None
    dossier: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Site:
    """Everything the pages show, by id; ``evidence`` in id order (the curated order)."""

    articles: dict[str, Article]
    evidence: dict[str, Evidence]
    facts: dict[str, Fact]
    actors: dict[str, Actor]


_ARTICLES = """SELECT ?a ?p ?v WHERE {
  ?a a kg:Article .
  VALUES ?p { schema:headline kg:outlet schema:datePublished schema:url kg:byline
              kg:sourceFile kg:sourceSha256 kg:sourceLength }
  ?a ?p ?v
} ORDER BY ?a ?p ?v"""

_EVIDENCE = """SELECT ?ev ?a ?quote ?attribution ?fact WHERE {
  GRAPH ?a { ?a a kg:Article . ?ev kg:quote ?quote
             OPTIONAL { ?ev kg:attribution ?attribution }
             OPTIONAL { ?fact prov:wasDerivedFrom ?ev } }
} ORDER BY ?ev ?fact"""

_FACTS = """SELECT ?fact ?label ?classLabel ?typeLabel ?n ?actual WHERE {
  ?fact a ?class . ?class rdfs:subClassOf kg:Fact .
  OPTIONAL { ?fact rdfs:label ?label }
  OPTIONAL { ?class rdfs:label ?classLabel }
  OPTIONAL { ?fact kg:eventType|kg:relationType ?type OPTIONAL { ?type rdfs:label ?typeLabel } }
  OPTIONAL { ?fact kg:articleCount ?n }
  OPTIONAL { ?fact kg:actualCount ?actual }
} ORDER BY ?fact ?label ?classLabel ?typeLabel"""

_NAMES = """SELECT ?e ?p ?v WHERE {
  VALUES ?p { rdfs:label kg:alias }
  ?e ?p ?v . FILTER (isIRI(?e))
} ORDER BY ?e ?p ?v"""

_KINDS = """SELECT ?e ?kind WHERE { ?e a ?class . ?class rdfs:label ?kind . FILTER (isIRI(?e)) } ORDER BY ?e ?kind"""


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _rows(conn: Connection, sparql: str, name: str) -> list[tuple[Node | None, ...]]:
    return conn.table(sparql, name=name, trusted=True, complete=True).rows


def _named(conn: Connection, name: str) -> pd.DataFrame:
    """A named question run once over the whole corpus: its parameters left unbound."""
    q = read_queries()[name]
    return conn.frame(conn.table(q.text, {}, name=name, trusted=True, complete=True))


def _plain(value: Any) -> Any:
    """A DataFrame cell as a plain value: None for a missing one, ISO text for a date."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def read_site(conn: Connection) -> Site:
    """Read everything the site shows from the built dataset ``conn`` opens."""
    from kg.query import article_title

    meta: dict[str, dict[str, list[Node]]] = {}
    for a, p, v in _rows(conn, _ARTICLES, "site-articles"):
        assert a is not None and p is not None and v is not None
        meta.setdefault(curie(a), {}).setdefault(curie(p), []).append(v)
    ids = slugs(meta, "article")
    articles: dict[str, Article] = {}
    for key in sorted(meta):
        m = meta[key]

        def one(prop: str, m: dict[str, list[Node]] = m) -> str | None:
            return _text(m[prop][0]) if prop in m else None

        day = m["schema:datePublished"][0] if "schema:datePublished" in m else None
        value = day.toPython() if isinstance(day, Literal) else None
        published = value if isinstance(value, datetime.date) else None
        articles[key] = Article(
            id=key,
            slug=ids[key],
            title=article_title(key, one("schema:headline"), one("kg:outlet"), published),
            headline=one("schema:headline"),
            outlet=one("kg:outlet"),
            published=published.isoformat() if published else one("schema:datePublished"),
            bylines=[str(b) for b in m.get("kg:byline", [])],
            url=one("schema:url"),
            source_file=one("kg:sourceFile"),
            sha256=one("kg:sourceSha256"),
            length=int(str(m["kg:sourceLength"][0])) if "kg:sourceLength" in m else None,
        )
    evidence: dict[str, Evidence] = {}
    for ev, a, quote, attribution, fact in _rows(conn, _EVIDENCE, "site-evidence"):
        key = curie(ev)
        if key not in evidence:
            evidence[key] = Evidence(key, curie(a), str(quote), _text(attribution))
            if curie(a) in articles:
                articles[curie(a)].evidence.append(key)
        if fact is not None and curie(fact) not in evidence[key].facts:
            evidence[key].facts.append(curie(fact))
    facts = _read_facts(conn, evidence)
    actors = _read_actors(conn)
    return Site(articles, evidence, facts, actors)


def _read_facts(conn: Connection, evidence: dict[str, Evidence]) -> dict[str, Fact]:
    found: dict[str, Fact] = {}
    rows = _rows(conn, _FACTS, "site-facts")
    names = slugs({curie(row[0]) for row in rows}, "fact")
    for fact, label, kind, kind_of, n, actual in rows:
        key = curie(fact)
        if key in found:
            continue
        found[key] = Fact(
            id=key,
            slug=names[key],
            label=_text(label) or key,
            kind=_text(kind) or "fact",
            type=_text(kind_of),
            article_count=int(n.toPython()) if isinstance(n, Literal) else 0,
            actual_count=int(actual.toPython()) if isinstance(actual, Literal) else 0,
        )
    for ev in evidence.values():
        for fact_id in ev.facts:
            if fact_id in found:
                found[fact_id].evidence.setdefault(ev.article, []).append(ev.id)
    reports = _named(conn, "fact-reports")
    for row in reports.to_dict("records"):
        if row["fact"] in found:
            found[row["fact"]].reports.append({str(k): _plain(v) for k, v in row.items()})
    return found


def _read_actors(conn: Connection) -> dict[str, Actor]:
    dossier = _named(conn, "actor-dossier")
    ids = sorted(set(dossier["actor"])) if len(dossier) else []
    wanted = set(ids)
    labels: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    for e, p, v in _rows(conn, _NAMES, "site-names"):
        key = curie(e)
        if key not in wanted or not isinstance(e, URIRef):
            continue
        if curie(p) == "rdfs:label":
            labels.setdefault(key, str(v))
        else:
            aliases.setdefault(key, []).append(str(v))
    kinds: dict[str, str] = {}
    for e, kind in _rows(conn, _KINDS, "site-kinds"):
        if curie(e) in wanted:
            kinds.setdefault(curie(e), str(kind))
    names = slugs(ids, "actor")
    actors = {a: Actor(a, names[a], labels.get(a, a), aliases.get(a, []), kinds.get(a)) for a in ids}
    for row in dossier.to_dict("records"):
        actors[row["actor"]].dossier.append({str(k): _plain(v) for k, v in row.items()})
    for one in actors.values():  # SPARQL sorts an unbound date first: the undated go last here
        one.dossier.sort(key=lambda row: row.get("when") is None)
    return actors
