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
as an on-disk Oxigraph store (``build/store``) that queries open in milliseconds. Each
build writes both, with its record (``build.json``), as one new *generation* and
switches to it in one rename (:mod:`kg.generations`): ``build/dataset.nq`` and
``build/store`` always belong to the same build, and a failed or killed build leaves
the previous output untouched. Other formats (TriG, Turtle, JSON-LD) are exports
(:mod:`kg.store`).

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

import errno
import hashlib
import json
import os
import shutil
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.check import CheckedCorpus, check_project, file_graph, unverified_message
from kg.derive import article_statements, derive, read_rules
from kg.errors import InputError, UnverifiedWarning
from kg.files import ARTICLE_LIMIT, input_error, read_bytes
from kg.formats import STORE_DIR, open_store, sorted_lines, store_is_current, update_store, write_store
from kg.generations import clean, current_generation, link_public, locked, new_generation, publish
from kg.incremental import Previous, Update, update
from kg.project import Project

__all__ = ["EXAMPLE", "BuildResult", "Dataset", "build_dataset", "build_nquads", "build_project", "write_dataset"]

#: A small complete example project shipped with the tests (used by doctests).
EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tiny"

#: At most this share of the articles changed (and at least this many), a build updates
#: the previous one (:mod:`kg.incremental`); past it, rebuilding is as fast.
INCREMENTAL_SHARE, INCREMENTAL_AT_LEAST = 0.1, 20

#: The dataset file of a build, the build's record in each generation, and the public
#: names of a build folder (links into its current generation, see :mod:`kg.generations`).
DATASET, MANIFEST = "dataset.nq", "build.json"
PUBLIC = (DATASET, STORE_DIR)


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
    """Write ``dataset.nq`` and its on-disk store into ``folder``, as a new generation.

    Both are written whole aside, then switched to in one rename (:mod:`kg.generations`):
    a reader of ``folder/dataset.nq`` sees the old dataset or the new one, never a part.

    Raises
    ------
    InputError
        If the build cannot be written (full disk, no permission…); the previous one stays.

    """
    with locked(folder):
        _write_generation(folder, nquads)
    return (folder / DATASET,)


def build_project(project: Project, *, force: bool = False) -> BuildResult:
    """Check ``project``, build its dataset and write it into ``project.build``.

    When nothing that goes into the build has changed since the last one (the curated
    files, the article texts, the rules, this version of kg) and its outputs have the size
    and modification time it gave them, they are kept as they are (``up_to_date`` in the
    result). When only a few article files changed, were added or removed (and the
    ontology, the registry, the rules and kg did not), the previous dataset and store are
    updated (:mod:`kg.incremental`; ``incremental`` in the result) to the bytes a full
    build gives. ``force`` rebuilds everything. Whatever is written is a new generation,
    switched to in one rename (:mod:`kg.generations`).

    Raises
    ------
    CurationError
        If the check finds problems; nothing is written then.
    InputError
        If an input cannot be read (an unreadable or empty articles folder, a file that
        is not a regular file…) or the build cannot be written; the previous build stays.

    """
    with locked(project.build):
        return _build(project, force)


def _build(project: Project, force: bool) -> BuildResult:
    build = project.build
    current = current_generation(build)
    previous = {} if force or current is None else _read_json(current / MANIFEST)
    key, inputs = _inputs_key(project, previous.get("inputs", {}))
    outputs = tuple(build / name for name in previous.get("outputs", {}))
    kept = bool(outputs) and all(p.is_file() and _stamp(p) == previous["outputs"][p.name] for p in outputs)
    if kept and previous.get("key") == key and current is not None:
        if store_is_current(build / DATASET):
            try:
                link_public(build, PUBLIC)
                clean(build)
            except OSError as exc:
                raise input_error(build, exc, what="a folder to write the build into", writing=True) from exc
        else:  # removed or stale: only it is rewritten, into a generation sharing the dataset file
            _write_generation(build, None, previous_generation=current)
        unverified = tuple(previous.get("unverified", ()))
        if unverified:
            message = unverified_message(unverified, previous.get("articles", 0), project.display(project.sources))
            warnings.warn(message, UnverifiedWarning, stacklevel=3)
        return BuildResult(outputs, dict(previous["counts"]), up_to_date=True, unverified=unverified)
    checked = check_project(project, incremental=not force)
    files = {checked.articles[file_graph(f).value]: f.digest for f in checked.corpus.articles}
    base = _base_key(checked)
    change = None
    if kept and current is not None and previous.get("base") == base and store_is_current(build / DATASET):
        change = _update(current, checked, previous, files)
    if change is None:
        dataset = build_dataset(checked)
    else:
        dataset = Dataset(change.nquads, change.ranges, change.default_end, change.counts)
    record = {
        "key": key,
        "inputs": inputs,
        "base": base,
        "counts": dataset.counts,
        "unverified": list(checked.unverified),
        "articles": len(checked.corpus.articles),
        "files": files,
        "ranges": dataset.ranges,
        "default_end": dataset.default_end,
    }
    _write_generation(build, dataset.nquads, change, current, record)
    return BuildResult(
        (build / DATASET,), dataset.counts, unverified=checked.unverified, incremental=change is not None
    )


def _write_generation(
    build: Path,
    nquads: bytes | None,
    change: Update | None = None,
    previous_generation: Path | None = None,
    record: dict[str, Any] | None = None,
) -> None:
    """Write a new generation of ``build`` and switch to it (see :mod:`kg.generations`).

    It holds ``dataset.nq`` (``nquads``; None: the previous generation's file, shared
    through a hard link), its store (loaded, or ``change`` applied to the previous
    generation's store) and the build's ``record`` (None: the previous one's, if any).
    A generation that fails before the switch is removed; the previous one stays current.
    """
    generation = None
    try:
        generation = new_generation(build)
        dataset = generation / DATASET
        if nquads is not None:
            with open(dataset, "xb") as out:
                out.write(nquads)
        else:
            assert previous_generation is not None
            _share(previous_generation / DATASET, dataset)
        if change is None:
            write_store(dataset, generation)
        else:
            assert previous_generation is not None
            update_store(
                dataset,
                generation,
                change.removed,
                change.added,
                change.graphs,
                change.loaded,
                source=previous_generation,
            )
        if record is not None:
            record = {**record, "outputs": {DATASET: _stamp(dataset)}}
            (generation / MANIFEST).write_text(json.dumps(record, indent=0, sort_keys=True), encoding="utf-8")
        elif previous_generation is not None and (previous_generation / MANIFEST).is_file():
            shutil.copyfile(previous_generation / MANIFEST, generation / MANIFEST)
        publish(build, generation, PUBLIC)
    except OSError as exc:
        _discard(build, generation)
        if exc.errno is None:  # raised by the store with a message of its own
            raise InputError(
                f"{build}: cannot write the build: {exc}",
                expected="a folder to write the build into",
                hint="free some disk space, or check the permissions, and run again; the previous build is untouched",
            ) from exc
        raise input_error(build, exc, what="a folder to write the build into", writing=True) from exc
    except BaseException:
        _discard(build, generation)
        raise


def _discard(build: Path, generation: Path | None) -> None:
    """Remove ``generation`` unless it became current (the switch is the point of no return)."""
    if generation is not None and current_generation(build) != generation:
        shutil.rmtree(generation, ignore_errors=True)


def _share(source: Path, target: Path) -> None:
    """``target`` as the same file as ``source`` (a hard link; a copy where links are refused)."""
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(source, target)


def _update(current: Path, checked: CheckedCorpus, previous: dict[str, Any], files: dict[str, str]) -> Update | None:
    """The previous build's dataset (generation ``current``) brought up to date; None when rebuilding is as fast."""
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
    nquads = (current / DATASET).read_bytes()
    ranges = {article: (start, end) for article, (start, end) in previous["ranges"].items()}
    built = open_store(current / DATASET)
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
    is not read again (its digest is taken from there). One that cannot be read counts
    as ``-`` here: the check that follows reports it.

    Raises
    ------
    InputError
        If the articles folder or the folder of article texts cannot be listed, or an
        entry of the articles folder is not a regular file.

    """
    digest = hashlib.sha256(f"kg {version('kg')}".encode())
    paths: list[tuple[Path, int | None]] = [(project.ontology, None), (project.registry, None)]
    paths += [(p, ARTICLE_LIMIT) for p in project.article_files()]
    paths += [(p, None) for p in _source_files(project)]
    inputs: dict[str, list[Any]] = {}
    for path, limit in paths:
        name = str(path)
        try:
            stat = path.stat()
            seen = [stat.st_size, stat.st_mtime_ns]
            before = known.get(name)
            if before and before[:2] == seen:
                content = before[2]
            else:
                content = hashlib.sha256(read_bytes(path, limit=limit)).hexdigest()
            inputs[name] = [*seen, content]
        except (OSError, InputError):
            content = "-"
        digest.update(f"{name}\0{content}\0".encode())
    for rule_name, rule in read_rules():
        digest.update(rule_name.encode() + rule.encode())
    return digest.hexdigest(), inputs


def _source_files(project: Project) -> list[Path]:
    """The regular files of the folder of article texts (none when it does not exist)."""
    try:
        with os.scandir(project.sources) as entries:
            return sorted(Path(e.path) for e in entries if e.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise input_error(
            project.display(project.sources), exc, what="the folder of article texts (--sources, KG_SOURCES)"
        ) from exc


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
