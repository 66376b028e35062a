"""What a build decides and what it leaves behind: kept, updated, rebuilt, shared, failed.

``kg build`` keeps an up-to-date build without reading its inputs again, updates the
previous one when at most ``max(INCREMENTAL_AT_LEAST, INCREMENTAL_SHARE x articles)``
articles changed or went, rebuilds everything past that or when forced, rewrites only a
removed store (sharing the dataset file of the previous generation: a hard link, or a
copy where links are refused), and reads a damaged record as no record. A step that
fails leaves the previous generation current and no half-written one; a failure after
the switch keeps the new generation. The library functions ``build_nquads`` and
``write_dataset`` are checked against the curated files and hand-made quads.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.build
import kg.generations
from kg.build import build_nquads, build_project, write_dataset
from kg.check import check_project
from kg.errors import InputError
from kg.files import read_bytes
from kg.formats import canonical_nquads, open_store, write_store
from kg.generations import CURRENT, GENERATIONS
from kg.project import Project
from kg.store import read_dataset
from kg.synth import synthesize
from tests.conftest import ROOT

ART = "https://w3id.org/newskg/id/article/"


def toggle(root: Path) -> None:
    """Change the meeting's modality in t1 (Actual <-> Planned): a different dataset."""
    article = root / "data" / "articles" / "t1.ttl"
    text = article.read_text(encoding="utf-8")
    flipped = text.replace("kg:Actual", "kg:@@").replace("kg:Planned", "kg:Actual").replace("kg:@@", "kg:Planned")
    article.write_text(flipped, encoding="utf-8")


def current(build: Path) -> Path:
    return (build / CURRENT).resolve()


def generations(build: Path) -> list[str]:
    return sorted(os.listdir(build / GENERATIONS))


def whole(build: Path) -> bytes:
    """The build's dataset, after checking that its store was loaded from it and answers the same."""
    data = (build / "dataset.nq").read_bytes()
    store = open_store(build / "dataset.nq")
    assert store is not None, "the store does not belong to the dataset beside it"
    assert canonical_nquads(store) == data
    return data


def reference(project: Project, folder: Path) -> bytes:
    """The dataset of ``project`` as it is now, made from scratch (checked in ``folder``)."""
    return build_nquads(check_project(project.with_build(folder), incremental=False))[0]


def triples(path: Path) -> set[tuple[str, str, str]]:
    """The triples of a curated Turtle file without blank nodes, as N-Triples terms."""
    return {
        (str(t.subject), str(t.predicate), str(t.object))
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    }


# -- up to date: no input read again; force rebuilds ---------------------------------------


def test_an_up_to_date_build_reads_only_the_inputs_that_changed(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.at(tiny)
    build_project(project)
    read: list[str] = []

    def spy(path: Path | str, *, limit: int | None = None) -> bytes:
        read.append(Path(path).name)
        return read_bytes(path, limit=limit)

    monkeypatch.setattr(kg.build, "read_bytes", spy)
    assert build_project(project).up_to_date
    assert read == [], "an input whose size and time are known was read again"
    toggle(tiny)
    assert not build_project(project).up_to_date
    assert read == ["t1.ttl"]
    read.clear()
    # force: the previous record is not used, every input is read (and the build redone)
    inputs = [project.ontology, project.registry, *project.article_files(), *sorted(project.sources.iterdir())]
    result = build_project(project, force=True)
    assert not result.up_to_date and not result.incremental
    assert sorted(read) == sorted(p.name for p in inputs)


def test_force_rebuilds_what_an_unforced_build_keeps_or_updates(tiny: Path) -> None:
    project = Project.at(tiny)
    build = tiny / "build"
    build_project(project)
    data, first = (build / "dataset.nq").read_bytes(), current(build)
    forced = build_project(project, force=True)
    assert not forced.up_to_date and not forced.incremental
    assert current(build) != first and not first.exists(), "force wrote no new generation"
    assert whole(build) == data
    toggle(tiny)
    forced = build_project(project, force=True)
    assert not forced.incremental, "force updated the previous build instead of rebuilding it"
    assert whole(build) != data


# -- the build's record ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    ["[]", "{not json"],
    ids=["a list", "not json"],
)
def test_a_damaged_record_is_read_as_no_record(tiny: Path, record: str) -> None:
    project = Project.at(tiny)
    build = tiny / "build"
    build_project(project)
    data = (build / "dataset.nq").read_bytes()
    (current(build) / "build.json").write_text(record, encoding="utf-8")
    result = build_project(project)
    assert not result.up_to_date and not result.incremental  # rebuilt in full
    assert whole(build) == data
    assert json.loads((current(build) / "build.json").read_text(encoding="utf-8"))["counts"] == result.counts
    assert build_project(project).up_to_date


def test_a_record_without_its_article_digests_counts_every_article_as_changed(tiny: Path, tmp_path: Path) -> None:
    project = Project.at(tiny)
    build = tiny / "build"
    build_project(project)
    manifest = current(build) / "build.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    del record["files"]
    manifest.write_text(json.dumps(record), encoding="utf-8")
    toggle(tiny)
    result = build_project(project)
    assert not result.up_to_date
    assert whole(build) == reference(project, tmp_path / "reference")


# -- update or rebuild: the threshold -------------------------------------------------------

#: A synthetic corpus a few articles larger than the least number an update takes on, so
#: that with the real constants the least number, not the share, decides.
ARTICLES = kg.build.INCREMENTAL_AT_LEAST + 4


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic project of ARTICLES articles, built once."""
    assert kg.build.INCREMENTAL_SHARE * ARTICLES < kg.build.INCREMENTAL_AT_LEAST, "the share would decide"
    root = tmp_path_factory.mktemp("decisions") / "corpus"
    synthesize(root, articles=ARTICLES, seed=5, ontology=ROOT / "ontology.ttl")
    assert build_project(Project.at(root, sources=root / "sources")).counts
    return root


def touched(synthetic: Path, tmp_path: Path, changed: int, removed: int) -> Project:
    """A copy of the built synthetic project with ``changed`` articles edited and ``removed`` others deleted."""
    root = tmp_path / "corpus"
    shutil.copytree(synthetic, root, symlinks=True)  # copy2 keeps the times: the copied build can be updated
    articles = sorted((root / "data" / "articles").glob("*.ttl"))
    assert len(articles) == ARTICLES and changed + removed <= ARTICLES
    for path in articles[:changed]:
        path.write_text(path.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
    for path in articles[ARTICLES - removed :]:
        path.unlink()
    return Project.at(root, sources=root / "sources")


AT_LEAST = kg.build.INCREMENTAL_AT_LEAST


@pytest.mark.parametrize(
    ("changed", "removed", "incremental"),
    [
        (AT_LEAST, 0, True),  # exactly the least number: still an update
        (AT_LEAST // 2, AT_LEAST - AT_LEAST // 2 + 1, False),  # removals count as changes: one too many
    ],
    ids=["changed, at the least number", "changed and removed, one more"],
)
def test_an_update_takes_on_at_least_the_least_number_of_changes(
    synthetic: Path, tmp_path: Path, changed: int, removed: int, incremental: bool
) -> None:
    project = touched(synthetic, tmp_path, changed, removed)
    result = build_project(project)
    assert not result.up_to_date
    assert result.incremental is incremental


@pytest.mark.parametrize(("changed", "incremental"), [(["t1"], True), (["t1", "t2"], False)], ids=["1 of 2", "2 of 2"])
def test_past_the_least_number_the_share_of_articles_decides(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, changed: list[str], incremental: bool
) -> None:
    project = Project.at(tiny)
    build_project(project)
    # with no least number, half of the tiny project's 2 articles may change: 1, not 2
    monkeypatch.setattr(kg.build, "INCREMENTAL_AT_LEAST", 0)
    monkeypatch.setattr(kg.build, "INCREMENTAL_SHARE", 0.5)
    for name in changed:
        path = tiny / "data" / "articles" / f"{name}.ttl"
        path.write_text(path.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
    result = build_project(project)
    assert not result.up_to_date and result.incremental is incremental


# -- a removed store: rewritten beside the same dataset file ---------------------------------


def test_a_removed_store_is_rebuilt_beside_the_same_dataset_file(tiny: Path) -> None:
    project = Project.at(tiny)
    build = tiny / "build"
    build_project(project)
    data, inode, first = (build / "dataset.nq").read_bytes(), (build / "dataset.nq").stat().st_ino, current(build)
    shutil.rmtree(first / "store")
    result = build_project(project)
    assert result.up_to_date
    assert current(build) != first and generations(build) == [current(build).name]
    assert whole(build) == data
    assert (build / "dataset.nq").stat().st_ino == inode, "the dataset file was copied, not linked"
    assert build_project(project).up_to_date  # the record came along
    assert generations(build) == [current(build).name]


@pytest.mark.parametrize("code", [errno.EXDEV, errno.EPERM], ids=errno.errorcode.get)
def test_where_hard_links_are_refused_the_dataset_file_is_copied(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    project = Project.at(tiny)
    build = tiny / "build"
    build_project(project)
    data, inode, first = (build / "dataset.nq").read_bytes(), (build / "dataset.nq").stat().st_ino, current(build)
    shutil.rmtree(first / "store")

    def refuse(source: object, target: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(source), None, str(target))

    monkeypatch.setattr(os, "link", refuse)
    assert build_project(project).up_to_date
    monkeypatch.undo()
    assert current(build) != first
    assert whole(build) == data
    assert (build / "dataset.nq").stat().st_ino != inode
    again = build_project(project)  # the copy kept the size and time the record gave the dataset
    assert again.up_to_date and generations(build) == [current(build).name]


@pytest.mark.parametrize("code", [errno.EIO], ids=errno.errorcode.get)
def test_another_error_sharing_the_dataset_file_keeps_the_previous_build(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    project = Project.at(tiny)
    build = tiny / "build"
    build_project(project)
    data, first = (build / "dataset.nq").read_bytes(), current(build)
    shutil.rmtree(first / "store")

    def fail(source: object, target: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(source), None, str(target))

    monkeypatch.setattr(os, "link", fail)
    with pytest.raises(InputError, match=f"cannot write: .*{os.strerror(code)}"):
        build_project(project)
    assert current(build) == first and generations(build) == [first.name]
    assert (build / "dataset.nq").read_bytes() == data


# -- failures part-way ----------------------------------------------------------------------


def test_a_store_that_cannot_be_written_leaves_the_previous_build(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.at(tiny)
    build = tiny / "build"
    build_project(project)
    data, first = whole(build), current(build)
    toggle(tiny)
    written: list[Path] = []

    def full_disk(dataset: Path, folder: Path) -> Path:
        written.append(folder)
        write_store(dataset, folder)  # written, then the sync or the record fails
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(kg.build, "write_store", full_disk)
    with pytest.raises(InputError, match="cannot write: No space left on device"):
        build_project(project, force=True)
    assert written and not written[0].exists(), "the failed generation was left behind"
    assert current(build) == first and generations(build) == [first.name]
    assert whole(build) == data


def test_a_generation_removed_under_a_failing_build_still_gives_the_cause(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Removing a generation that is already gone must not hide why the build failed."""
    project = Project.at(tiny)
    build = tiny / "build"
    build_project(project)
    data, first = whole(build), current(build)
    toggle(tiny)

    def removed_then_full(dataset: Path, folder: Path) -> Path:
        shutil.rmtree(folder)  # someone cleaned .generations while the build ran
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(kg.build, "write_store", removed_then_full)
    with pytest.raises(InputError, match="cannot write: No space left on device"):
        build_project(project, force=True)
    assert current(build) == first and generations(build) == [first.name]
    assert whole(build) == data


def test_a_failure_after_the_switch_keeps_the_new_build(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.at(tiny)
    build = tiny / "build"
    build_project(project)
    first = current(build)
    toggle(tiny)
    expected = reference(project, tmp_path / "reference")

    def broken_links(build: Path, names: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(kg.generations, "link_public", broken_links)
    with pytest.raises(InputError, match="cannot write: Input/output error"):
        build_project(project, force=True)
    monkeypatch.undo()
    # the switch is the point of no return: the new generation is current, whole, and kept
    assert current(build) != first
    assert (current(build) / "dataset.nq").read_bytes() == expected
    assert whole(build) == expected
    assert build_project(project).up_to_date
    assert generations(build) == [current(build).name]


# -- the library functions ------------------------------------------------------------------


def test_build_nquads_holds_each_article_in_its_graph_and_everything_in_the_default(tiny: Path) -> None:
    project = Project.at(tiny)
    nquads, counts = build_nquads(check_project(project))
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    default = {(str(q.subject), str(q.predicate), str(q.object)) for q in quads if q.graph_name == ox.DefaultGraph()}
    named: dict[str, set[tuple[str, str, str]]] = {}
    for q in quads:
        if q.graph_name != ox.DefaultGraph():
            named.setdefault(str(q.graph_name), set()).add((str(q.subject), str(q.predicate), str(q.object)))
    t1, t2 = (triples(tiny / "data" / "articles" / f"{n}.ttl") for n in ("t1", "t2"))
    assert sorted(named) == [f"<{ART}t1>", f"<{ART}t2>"]
    assert t1 <= named[f"<{ART}t1>"] and t2 <= named[f"<{ART}t2>"]
    assert not (t1 - t2) & named[f"<{ART}t2>"], "a statement of t1 only is in t2's graph"
    iris = {t for t in triples(project.ontology) if not t[2].startswith('"')}  # literals are canonicalised
    assert t1 | t2 | triples(project.registry) | iris <= default
    assert counts["default graph"] == len(default) == sum(q.graph_name == ox.DefaultGraph() for q in quads)
    assert counts["article graphs"] == sum(len(g) for g in named.values())
    assert 0 < counts["derived"] < counts["default graph"]
    # canonical: the default graph first, then each graph's lines sorted; the same every time
    lines, at = nquads.splitlines(keepends=True), counts["default graph"]
    graphs = [str(q.graph_name) for q in quads]  # in the order of the lines
    t1_lines = len(named[f"<{ART}t1>"])
    assert graphs == ["DEFAULT"] * at + [f"<{ART}t1>"] * t1_lines + [f"<{ART}t2>"] * (len(lines) - at - t1_lines)
    for block in (lines[:at], lines[at : at + t1_lines], lines[at + t1_lines :]):
        assert block == sorted(block)
    assert nquads == build_nquads(check_project(project))[0]


def test_build_nquads_gives_the_bytes_a_build_writes(tiny: Path) -> None:
    project = Project.at(tiny)
    nquads, counts = build_nquads(check_project(project))
    result = build_project(project)
    assert result.outputs[0].read_bytes() == nquads and result.counts == counts


def test_write_dataset_writes_the_quads_and_their_store_as_one_generation(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "build"  # made on the way
    first = b'<http://x/s> <http://x/p> "o" .\n<http://x/s> <http://x/p> "o" <http://x/g> .\n'
    assert write_dataset(first, folder) == (folder / "dataset.nq",)
    assert (folder / "dataset.nq").read_bytes() == first
    store = read_dataset(folder)
    assert {(q.object.value, q.graph_name) for q in store} == {
        ("o", ox.DefaultGraph()),
        ("o", ox.NamedNode("http://x/g")),
    }
    one = current(folder)
    second = b'<http://x/s> <http://x/p> "p" .\n'
    assert write_dataset(second, folder) == (folder / "dataset.nq",)
    assert whole(folder) == second and not one.exists()
    assert generations(folder) == [current(folder).name]
    assert sorted(p.name for p in current(folder).iterdir()) == ["dataset.nq", "store"]
