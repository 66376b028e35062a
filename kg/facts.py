"""Every fact as each article reports it: one flat table for spreadsheets.

A fact reported by three articles gives three rows, each with what that article says
(see DESIGN, "Claims are per article"): when, at the precision it gives and in its own
words; who acts and on whom; whether it reports the fact as having happened; and its
quotes. The columns are :data:`COLUMNS`. Rows are sorted by the day the article's date
for the fact starts (or ends, when only that is known; undated last), then by fact and
article: the same dataset always gives the same bytes.

Each column is read by one scan of the built dataset and joined in Python, as
:mod:`kg.network` does: a join of every optional property in one SPARQL query grows
with their product.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.build import EXAMPLE, build_project
>>> from kg.project import Project
>>> from kg.store import read_dataset
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = build_project(Project.at(EXAMPLE, sources=EXAMPLE / "sources").with_build(out))
>>> rows = fact_reports(read_dataset(out))
>>> sorted(rows[0]) == sorted(COLUMNS)
True
>>> to_csv(rows).decode("utf-8-sig").splitlines()[0]
'date,fact,type,actors,targets,participants,happened,modality,date_as_written,article,article_date,outlet,quote,fact_id,article_id'

"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.namespaces import PREFIXES, curie

__all__ = ["COLUMNS", "fact_reports", "to_csv"]

#: The columns, in order. ``date`` is EDTF (``2026-02-03``, ``2026-01``, ``../2026-02-02``);
#: ``happened`` is ``yes`` when the article reports the fact as actual; names, quotes and
#: several wordings of a date are joined with ``"; "``, ``" | "`` and ``" / "``.
COLUMNS = (
    "date",
    "fact",
    "type",
    "actors",
    "targets",
    "participants",
    "happened",
    "modality",
    "date_as_written",
    "article",
    "article_date",
    "outlet",
    "quote",
    "fact_id",
    "article_id",
)

_HEAD = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(PREFIXES.items()))
_REPORTS = "SELECT ?fact ?article WHERE { ?fact kg:reportedIn ?article }"
#: What each article says about a fact, one property per scan.
_CLAIMS = {
    name: f"SELECT ?fact ?article ?v WHERE {{ GRAPH ?article {{ ?fact {path} ?v }} }}"
    for name, path in (
        ("modality", "kg:modality"),
        ("date", "kg:when"),
        ("date_as_written", "kg:dateText"),
        ("earliest", "kg:earliestDate"),
        ("latest", "kg:latestDate"),
        ("actors", "kg:actor|kg:subject|kg:holder"),
        ("targets", "kg:target|kg:object|kg:about"),
        ("participants", "kg:participant"),
    )
}
_QUOTES = """SELECT ?fact ?article ?v ?evidence WHERE {
  GRAPH ?article { ?fact prov:wasDerivedFrom ?evidence . ?evidence kg:quote ?v } }"""
#: What defines a fact, the same in every article: its label and its kind.
_FACTS = {
    name: f"SELECT DISTINCT ?fact ?v WHERE {{ ?fact kg:reportedIn ?article ; {path} ?v }}"
    for name, path in (
        ("label", "rdfs:label"),
        ("type", "kg:eventType|kg:relationType"),
        ("mode", "kg:mode|kg:post"),
    )
}
_CLASSES = "SELECT DISTINCT ?fact ?v WHERE { ?fact kg:reportedIn ?a ; a ?v . ?v rdfs:subClassOf kg:Fact }"
_ARTICLES = {
    name: f"SELECT ?article ?v WHERE {{ ?article a kg:Article ; {path} ?v }}"
    for name, path in (("title", "schema:headline"), ("date", "schema:datePublished"), ("outlet", "kg:outlet"))
}
_LABELS = "SELECT ?x ?v WHERE { ?x rdfs:label ?v }"


def fact_reports(store: ox.Store) -> list[dict[str, str]]:
    """One row per fact and article that reports it, as :data:`COLUMNS` (see the module).

    Names are actors' labels (their ids where they have none); a type is said in words,
    with its mode or post: ``consult (meeting)``, ``tenure (President of Colombia)``.
    """
    labels: dict[str, str] = {}
    for x, v in _scan(store, _LABELS):
        labels[x] = min(labels.get(x, v), v)
    reports = sorted(set(_scan(store, _REPORTS)))
    claims: dict[str, dict[tuple[str, str], list[str]]] = {}
    for name, sparql in _CLAIMS.items():
        found = defaultdict(list)
        for fact, article, value in _scan(store, sparql):
            found[fact, article].append(value)
        claims[name] = found
    quotes: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for fact, article, quote, evidence in _scan(store, _QUOTES):
        quotes[fact, article].append((evidence, quote))
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, sparql in {**_FACTS, "class": _CLASSES}.items():
        for fact, value in _scan(store, sparql):
            facts[fact][name].append(value)
    articles: dict[str, dict[str, str]] = defaultdict(dict)
    for name, sparql in _ARTICLES.items():
        for article, value in _scan(store, sparql):
            articles[article].setdefault(name, value)

    def names(values: Iterable[str]) -> str:
        return "; ".join(sorted({labels.get(v, curie(v)) for v in values}))

    rows = []
    for fact, article in reports:
        key = (fact, article)
        modalities = sorted(labels.get(m, curie(m)) for m in claims["modality"].get(key, []))
        about = facts[fact]
        rows.append(
            {
                "date": min(claims["date"].get(key, [""])),
                "fact": min(about.get("label", [curie(fact)])),
                "type": _type_words(about, labels),
                "actors": names(claims["actors"].get(key, [])),
                "targets": names(claims["targets"].get(key, [])),
                "participants": names(claims["participants"].get(key, [])),
                "happened": "yes" if modalities == ["actual"] else "no",
                "modality": "; ".join(modalities),
                "date_as_written": " / ".join(sorted(claims["date_as_written"].get(key, []))),
                "article": articles[article].get("title", ""),
                "article_date": articles[article].get("date", ""),
                "outlet": articles[article].get("outlet", ""),
                "quote": " | ".join(q for _, q in sorted(quotes.get(key, []))),
                "fact_id": curie(fact),
                "article_id": curie(article),
                "_sort": min(claims["earliest"].get(key, []) or claims["latest"].get(key, []) or ["~"]),
            }
        )
    rows.sort(key=lambda r: (r.pop("_sort"), r["fact_id"], r["article_id"]))
    return rows


def to_csv(rows: Iterable[dict[str, str]]) -> bytes:
    r"""The rows as CSV in UTF-8 with a byte-order mark (spreadsheets then read accents right).

    >>> to_csv([dict.fromkeys(COLUMNS, "x")]).startswith("\ufeffdate,fact,".encode())
    True
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _type_words(about: dict[str, list[str]], labels: dict[str, str]) -> str:
    kinds = about.get("type") or about.get("class") or []
    kind = min((labels.get(k, curie(k)) for k in kinds), default="")
    detail = sorted(labels.get(m, curie(m)) for m in about.get("mode", []))
    return f"{kind} ({', '.join(detail)})" if detail else kind


def _scan(store: ox.Store, sparql: str) -> Iterable[tuple[str, ...]]:
    """The rows of a SELECT as tuples of IRIs and lexical forms (a row with an unbound value is skipped)."""
    for solution in store.query(_HEAD + sparql):  # type: ignore[union-attr]
        values = [term.value if term is not None else None for term in solution]
        if None not in values:
            yield tuple(values)  # type: ignore[arg-type]
