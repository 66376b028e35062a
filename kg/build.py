"""Assemble a checked corpus into one dataset and write it canonically.

The dataset keeps apart what each article says:

- **one named graph per article**, named by the article's IRI (``art:002``): every
  statement of that article's curated file — the article, its quotes, and its claims
  about each fact (modality, date, participants, place…) — with the dates it gives as
  intervals (:mod:`kg.derive`). ``GRAPH ?article { … }`` asks what one article says; a
  fact several articles report is the IRI where they meet.
- **the default graph**: the merge of everything — the ontology, the registry, every
  article's statements (each once) and what the build derives (:mod:`kg.derive`: which
  articles report each fact and how, where they disagree, the actor-actor edges and
  their ties). It answers simple questions ("is there an article that says…"); it is
  stored merged, so that every engine reads it with set semantics (Oxigraph's union of
  named graphs would repeat a statement once per article that makes it).

Blank nodes (the ontology's SHACL shapes use them) were skolemised by :mod:`kg.load`
into IRIs derived from their file's content, so that the dataset reloads and
re-exports to the same bytes. The output is ``dataset.nq``: N-Quads with the default
graph first and then each named graph, lines sorted: the same corpus always gives the
same bytes, and a diff shows what changed. Beside it the build leaves the same dataset
as an on-disk Oxigraph store (``build/store``) that queries open in milliseconds. Both
are written aside and then renamed, so a failed build leaves the previous output
untouched. Other formats (TriG, Turtle, JSON-LD) are exports (:mod:`kg.store`).

When only some articles changed since the last build, :mod:`kg.incremental` updates
the previous dataset and store instead of rebuilding them, to the same bytes.

Examples
--------
>>> import shutil, tempfile, pathlib
>>> example = Project.at(EXAMPLE, sources=EXAMPLE / "sources")
>>> project = example.with_build(pathlib.Path(tempfile.mkdtemp()) / "build")
>>> result = build_project(project)
>>> sorted(p.name for p in result.outputs)
['dataset.nq']
>>> result.counts["derived"] > 0, result.counts["article graphs"] < result.counts["default graph"]
(True, True)

"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.check import CheckedCorpus, check_project, file_graph, unverified_message
from kg.derive import article_statements, derive, read_rules
from kg.errors import UnverifiedWarning
from kg.formats import open_store, sorted_lines, stage, store_is_current, update_store, write_atomic, write_store
from kg.incremental import Previous, Update, update
from kg.project import Project

__all__ = ["EXAMPLE", "BuildResult", "Dataset", "build_dataset", "build_nquads", "build_project", "write_dataset"]

#: A small complete example project shipped with the tests (used by doctests).
EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tiny"

#: At most this share of the articles changed (and at least this many), a build updates
#: the previous one (:mod:`kg.incremental`); past it, rebuilding is as fast.
INCREMENTAL_SHARE, INCREMENTAL_AT_LEAST = 0.1, 20


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: its files, the triples in each part, whether it was up to date.

    ``unverified`` names the article texts that were not found (their quotes went
    unchecked); ``incremental`` says the previous build was updated rather than redone.
    """

    outputs: tuple[Path, ...]
    counts: dict[str, int]
    up_to_date: bool = False
    unverified: tuple[str, ...] = ()
    incremental: bool = False


@dataclass(frozen=True)
class Dataset:
    """A built dataset: canonical N-Quads, the byte range of each article's graph in them, counts.

    The default graph's lines come first and end at ``default_end``. The counts:
    ``default graph`` (of which ``derived``) and ``article graphs`` (the sum of the named
    graphs: a statement two articles make counts twice).
    """

    nquads: bytes
    ranges: dict[str, tuple[int, int]]
    default_end: int
    counts: dict[str, int]


def build_dataset(checked: CheckedCorpus) -> Dataset:
    """The whole dataset of a checked corpus (see the module's docstring).

    Taken from the store the corpus was checked in, where each file has a graph of its
    own: Oxigraph writes every triple (no Python object per triple is made) and Python
    only sorts lines. The derivation (:func:`kg.derive.derive`) runs on a store holding
    the ontology and the registry in its default graph and each article's statements in
    its named graph: every claim it reads is read from the article that makes it.
    """
    corpus, store = checked.corpus, checked.store
    vocabulary = _vocabulary(checked)
    statements = {
        checked.articles[file_graph(f).value]: article_statements(store, file_graph(f)) for f in corpus.articles
    }
    graphs = {article: b"".join(sorted_lines(statements[article], article)) for article in sorted(statements)}
    ds = ox.Store()
    ds.bulk_load(input=vocabulary, format=ox.RdfFormat.N_TRIPLES)
    ds.bulk_load(input=b"".join(graphs.values()), format=ox.RdfFormat.N_QUADS)
    derived = derive(ds, checked.vocabulary.compared, checked.vocabulary.functional)
    default = b"".join(sorted_lines(b"".join([vocabulary, *statements.values(), *derived])))
    ranges, at = {}, len(default)
    for article, data in graphs.items():
        ranges[article] = (at, at + len(data))
        at += len(data)
    counts = {
        "default graph": default.count(b"\n"),
        "derived": len(sorted_lines(b"".join(derived))),
        "article graphs": sum(data.count(b"\n") for data in graphs.values()),
    }
    return Dataset(default + b"".join(graphs.values()), ranges, len(default), counts)


def build_nquads(checked: CheckedCorpus) -> tuple[bytes, dict[str, int]]:
    """The dataset as canonical N-Quads (see the module's docstring), and its counts."""
    dataset = build_dataset(checked)
    return dataset.nquads, dataset.counts


def write_dataset(nquads: bytes, folder: Path) -> tuple[Path, ...]:
    """Write ``dataset.nq`` into ``folder``: aside first, then renamed over the old one."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "dataset.nq"
    os.replace(stage(target, nquads), target)
    (folder / "dataset.trig").unlink(missing_ok=True)  # written by builds before 0.10, now an export
    return (target,)


def build_project(project: Project, *, force: bool = False) -> BuildResult:
    """Check ``project``, build its dataset and write it into ``project.build``.

    When nothing that goes into the build has changed since the last one (the curated
    files, the article texts, the rules, this version of kg) and its outputs have the size
    and modification time it gave them, they are kept as they are (``up_to_date`` in the
    result). When only a few article files changed, were added or removed (and the
    ontology, the registry, the rules and kg did not), the previous dataset and store are
    updated (:mod:`kg.incremental`; ``incremental`` in the result) to the bytes a full
    build gives. ``force`` rebuilds everything.

    Raises
    ------
    CurationError
        If the check finds problems; nothing is written then.

    """
    manifest = project.build / ".cache" / "build.json"
    previous = {} if force else _read_json(manifest)
    key, inputs = _inputs_key(project, previous.get("inputs", {}))
    outputs = tuple(project.build / name for name in previous.get("outputs", {}))
    kept = bool(outputs) and all(p.is_file() and _stamp(p) == previous["outputs"][p.name] for p in outputs)
    if kept and previous.get("key") == key:
        if not store_is_current(project.build / "dataset.nq"):  # removed or stale: only it is rewritten
            write_store(project.build / "dataset.nq", project.build)
        unverified = tuple(previous.get("unverified", ()))
        if unverified:
            message = unverified_message(unverified, previous.get("articles", 0), project.display(project.sources))
            warnings.warn(message, UnverifiedWarning, stacklevel=2)
        return BuildResult(outputs, dict(previous["counts"]), up_to_date=True, unverified=unverified)
    checked = check_project(project, incremental=not force)
    files = {checked.articles[file_graph(f).value]: f.digest for f in checked.corpus.articles}
    base = _base_key(checked)
    change = None
    if kept and previous.get("base") == base and store_is_current(project.build / "dataset.nq"):
        change = _update(project, checked, previous, files)
    if change is None:
        dataset = build_dataset(checked)
    else:
        dataset = Dataset(change.nquads, change.ranges, change.default_end, change.counts)
    outputs = write_dataset(dataset.nquads, project.build)
    if change is None:
        write_store(outputs[0], project.build)
    else:
        update_store(outputs[0], project.build, change.removed, change.added, change.graphs, change.loaded)
    record = {
        "key": key,
        "inputs": inputs,
        "base": base,
        "counts": dataset.counts,
        "outputs": {p.name: _stamp(p) for p in outputs},
        "unverified": list(checked.unverified),
        "articles": len(checked.corpus.articles),
        "files": files,
        "ranges": dataset.ranges,
        "default_end": dataset.default_end,
    }
    write_atomic(manifest, json.dumps(record, indent=0, sort_keys=True).encode("utf-8"))
    return BuildResult(outputs, dataset.counts, unverified=checked.unverified, incremental=change is not None)


def _update(project: Project, checked: CheckedCorpus, previous: dict[str, Any], files: dict[str, str]) -> Update | None:
    """The previous build's dataset brought up to date; None when rebuilding is as fast."""
    before: dict[str, str] = previous.get("files", {})
    changed = {article for article, digest in files.items() if before.get(article) != digest}
    removed = set(before) - set(files)
    if len(changed) + len(removed) > max(INCREMENTAL_AT_LEAST, INCREMENTAL_SHARE * len(files)):
        return None
    files_changed = [f for f in checked.corpus.articles if checked.articles[file_graph(f).value] in changed]
    store = checked.store_with([checked.corpus.ontology, checked.corpus.registry, *files_changed])
    statements = {
        checked.articles[file_graph(f).value]: article_statements(store, file_graph(f)) for f in files_changed
    }
    nquads = (project.build / "dataset.nq").read_bytes()
    ranges = {article: (start, end) for article, (start, end) in previous["ranges"].items()}
    built = open_store(project.build / "dataset.nq")
    if built is None:
        return None
    old = Previous(nquads, ranges, previous["default_end"], previous["counts"]["derived"], built)
    vocabulary = _vocabulary(checked)
    return update(old, vocabulary, statements, removed, checked.vocabulary.compared, checked.vocabulary.functional)


def _vocabulary(checked: CheckedCorpus) -> bytes:
    """The ontology and the registry, as N-Triples."""
    corpus = checked.corpus
    store = checked.store_with([corpus.ontology, corpus.registry])
    return b"".join(
        store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=file_graph(f)) or b""
        for f in (corpus.ontology, corpus.registry)
    )


def _base_key(checked: CheckedCorpus) -> str:
    """A digest of what every article's part of the build depends on: kg, the rules, ontology and registry."""
    digest = hashlib.sha256(f"kg {version('kg')}".encode())
    digest.update(checked.corpus.ontology.digest.encode() + b"\0" + checked.corpus.registry.digest.encode())
    for name, rule in read_rules():
        digest.update(name.encode() + rule.encode())
    return digest.hexdigest()


def _inputs_key(project: Project, known: dict[str, list[Any]]) -> tuple[str, dict[str, list[Any]]]:
    """A digest of everything a build reads, and each input's size, modification time and digest.

    An input whose size and modification time are those ``known`` from the last build
    is not read again (its digest is taken from there).
    """
    digest = hashlib.sha256(f"kg {version('kg')}".encode())
    paths = [project.ontology, project.registry, *project.article_files()]
    if project.sources.is_dir():
        paths += sorted(p for p in project.sources.iterdir() if p.is_file())
    inputs: dict[str, list[Any]] = {}
    for path in paths:
        name = str(path)
        try:
            stat = path.stat()
            seen = [stat.st_size, stat.st_mtime_ns]
            before = known.get(name)
            content = before[2] if before and before[:2] == seen else hashlib.sha256(path.read_bytes()).hexdigest()
            inputs[name] = [*seen, content]
        except OSError:
            content = "-"
        digest.update(f"{name}\0{content}\0".encode())
    for rule_name, rule in read_rules():
        digest.update(rule_name.encode() + rule.encode())
    return digest.hexdigest(), inputs


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
