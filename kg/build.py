"""Assemble a checked corpus into one dataset and write it canonically.

The dataset keeps apart what each article says:

- **one named graph per article**, named by the article's IRI (``art:002``): every
  statement of that article's curated file — the article, its quotes, and its claims
  about each fact (modality, date, participants, place…). ``GRAPH ?article { … }`` asks
  what one article says; a fact several articles report is the IRI where they meet.
- **the default graph**: the merge of everything — the ontology, the registry, every
  article's statements (each once) and what the build derives. It answers simple
  questions ("is there an article that says…"); it is stored merged, so that every
  engine reads it with set semantics (Oxigraph's union of named graphs would repeat a
  statement once per article that makes it).

What the build derives goes into the default graph: which articles report each fact
and how (``kg/rules/fact-support.rq``), where they disagree (:mod:`kg.support`) and
the actor-actor edges (``kg/rules/ties.rq``). The rules are SPARQL CONSTRUCT queries
run by Oxigraph, in file-name order, over a store whose default graph holds the
ontology, the registry and what earlier rules derived, and whose named graphs are the
articles': a rule reads each claim from the article that makes it.

Blank nodes (the ontology's SHACL shapes use them) were skolemised by :mod:`kg.load`
into IRIs derived from their file's content, so that the dataset reloads and
re-exports to the same bytes. The output is N-Quads with the default graph first and
then each named graph, lines sorted, and TriG written from the same sorted quads: the
same corpus always gives the same bytes. Both files are written aside and then
renamed, so a failed build leaves the previous output untouched.

Examples
--------
>>> import shutil, tempfile, pathlib
>>> example = Project.at(EXAMPLE, sources=EXAMPLE / "sources")
>>> project = example.with_build(pathlib.Path(tempfile.mkdtemp()) / "build")
>>> result = build_project(project)
>>> sorted(p.name for p in result.outputs)
['dataset.nq', 'dataset.trig']
>>> result.counts["derived"] > 0, result.counts["article graphs"] < result.counts["default graph"]
(True, True)

"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import warnings
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.check import CheckedCorpus, check_project, file_graph, unverified_message
from kg.dates import edtf, end_text, interval, precision_name, start_text
from kg.errors import UnverifiedWarning
from kg.formats import from_nquads, sorted_lines, stage, store_is_current, write_atomic, write_store
from kg.load import CuratedFile
from kg.namespaces import KG, PREFIXES
from kg.project import Project
from kg.support import disagreements_ntriples

__all__ = ["EXAMPLE", "BuildResult", "build_graphs", "build_nquads", "build_project", "read_rules", "write_dataset"]

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

#: A small complete example project shipped with the tests (used by doctests).
EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tiny"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: its files, the triples in each part, whether it was up to date.

    ``unverified`` names the article texts that were not found (their quotes went unchecked).
    """

    outputs: tuple[Path, ...]
    counts: dict[str, int]
    up_to_date: bool = False
    unverified: tuple[str, ...] = ()


def read_rules() -> list[tuple[str, str]]:
    """The derivation rules shipped in ``kg/rules``, as (name, SPARQL) in name order."""
    folder = resources.files("kg") / "rules"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".rq")
    )


def build_graphs(checked: CheckedCorpus) -> tuple[list[bytes], bytes, dict[str, int]]:
    """The default graph's N-Triples lines (sorted), the articles' graphs as N-Quads, counts.

    Taken from the store the corpus was checked in, where each file has a graph of its
    own: Oxigraph writes every triple (no Python object per triple is made) and Python
    only sorts lines. The rules and :mod:`kg.support` run on a store holding the ontology
    and the registry in its default graph and each article's statements in its named
    graph: every claim they read is read from the article that makes it. The counts:
    ``default graph`` (of which ``derived``) and ``article graphs`` (the sum of the named
    graphs: a statement two articles make counts twice).
    """
    corpus, store = checked.corpus, checked.store

    def dump(f: CuratedFile) -> bytes:
        return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=file_graph(f)) or b""

    vocabulary = dump(corpus.ontology) + dump(corpus.registry)
    statements = {
        checked.articles[file_graph(f).value]: dump(f) + dated_ntriples(store, file_graph(f)) for f in corpus.articles
    }
    named = b"".join(line for article in sorted(statements) for line in sorted_lines(statements[article], article))
    ds = ox.Store()
    ds.bulk_load(input=vocabulary, format=ox.RdfFormat.N_TRIPLES)
    ds.bulk_load(input=named, format=ox.RdfFormat.N_QUADS)
    derived = []
    for data in (
        disagreements_ntriples(ds, checked.vocabulary.compared, checked.vocabulary.functional),
        *(_construct(ds, rule) for _name, rule in read_rules()),
    ):
        ds.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)  # a later rule may read an earlier one's
        derived.append(data)
    derived.append(tie_when_ntriples(ds))
    default = sorted_lines(b"".join([vocabulary, *statements.values(), *derived]))
    counts = {
        "default graph": len(default),
        "derived": len(sorted_lines(b"".join(derived))),
        "article graphs": named.count(b"\n"),
    }
    return default, named, counts


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


def build_nquads(checked: CheckedCorpus) -> tuple[bytes, dict[str, int]]:
    """The dataset as canonical N-Quads (see the module's docstring), and its counts."""
    default, named, counts = build_graphs(checked)
    return b"".join(default) + named, counts


def write_dataset(nquads: bytes, folder: Path) -> tuple[Path, ...]:
    """Write ``dataset.nq`` and ``dataset.trig`` into ``folder``, both or neither.

    Both are written aside first, then renamed over the old ones.
    """
    folder.mkdir(parents=True, exist_ok=True)
    targets = (folder / "dataset.nq", folder / "dataset.trig")
    staged = [stage(targets[0], nquads), stage(targets[1], from_nquads(nquads, "trig"))]
    for tmp, target in zip(staged, targets, strict=True):
        os.replace(tmp, target)
    return targets


def build_project(project: Project, *, force: bool = False) -> BuildResult:
    """Check ``project``, build its dataset and write it into ``project.build``.

    When nothing that goes into the build has changed since the last one (the curated
    files, the article texts, the rules, this version of kg) and its outputs have the size
    and modification time it gave them, they are kept as they are (``up_to_date`` in the
    result); ``force`` rebuilds anyway.

    Raises
    ------
    CurationError
        If the check finds problems; nothing is written then.

    """
    manifest = project.build / ".cache" / "build.json"
    key = _inputs_key(project)
    if not force:
        previous = _read_json(manifest)
        outputs = tuple(project.build / name for name in previous.get("outputs", {}))
        if (
            previous.get("key") == key
            and outputs
            and all(p.is_file() and _stamp(p) == previous["outputs"][p.name] for p in outputs)
        ):
            if not store_is_current(project.build / "dataset.nq"):  # removed or stale: only it is rewritten
                write_store(project.build / "dataset.nq", project.build)
            unverified = tuple(previous.get("unverified", ()))
            if unverified:
                message = unverified_message(unverified, previous.get("articles", 0), project.display(project.sources))
                warnings.warn(message, UnverifiedWarning, stacklevel=2)
            return BuildResult(outputs, dict(previous["counts"]), up_to_date=True, unverified=unverified)
    checked = check_project(project, incremental=not force)
    nquads, counts = build_nquads(checked)
    outputs = write_dataset(nquads, project.build)
    write_store(outputs[0], project.build)
    record = {
        "key": key,
        "counts": counts,
        "outputs": {p.name: _stamp(p) for p in outputs},
        "unverified": list(checked.unverified),
        "articles": len(checked.corpus.articles),
    }
    write_atomic(manifest, json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))
    return BuildResult(outputs, counts, unverified=checked.unverified)


def _inputs_key(project: Project) -> str:
    """A digest of everything a build reads."""
    digest = hashlib.sha256(f"kg {version('kg')}".encode())
    paths = [project.ontology, project.registry, *project.article_files()]
    if project.sources.is_dir():
        paths += sorted(p for p in project.sources.iterdir() if p.is_file())
    for path in paths:
        digest.update(str(path).encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
    for name, rule in read_rules():
        digest.update(name.encode() + rule.encode())
    return digest.hexdigest()


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _stamp(path: Path) -> list[int]:
    # size and modification time, as make does: a touched or rewritten output is rebuilt
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]
