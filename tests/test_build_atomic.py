"""A build is one atomic generation: killed at any moment, it leaves the old build or the new one.

``build/dataset.nq`` and ``build/store`` are links into ``build/current``, which one
rename switches from the previous generation to the new one (:mod:`kg.generations`).
The main case kills real ``kg build`` processes (SIGKILL) at moments spread over a
build — before it writes, and every few milliseconds once its new generation appears —
and checks after each kill that the build folder holds exactly one of the two known
outcomes, whole, and still answers questions.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.build
from kg.build import build_project, write_dataset
from kg.cli import main
from kg.errors import InputError, UnverifiedWarning
from kg.formats import canonical_nquads, open_store, write_store
from kg.generations import CURRENT, GENERATIONS
from kg.project import Project
from kg.store import read_dataset

KG = str(Path(sys.executable).parent / "kg")


def toggle(project: Path) -> None:
    """Change the meeting's modality in t1 (Actual <-> Planned): a different dataset."""
    article = project / "data" / "articles" / "t1.ttl"
    text = article.read_text(encoding="utf-8")
    flipped = text.replace("kg:Actual", "kg:@@").replace("kg:Planned", "kg:Actual").replace("kg:@@", "kg:Planned")
    article.write_text(flipped, encoding="utf-8")


def stale(build: Path) -> list[str]:
    """What a finished build must not leave: generations but the current one, temporary files."""
    current = os.readlink(build / CURRENT).split("/")[-1]
    left = [f"{GENERATIONS}/{p.name}" for p in (build / GENERATIONS).iterdir() if p.name != current]
    for folder in (build, build / ".cache"):
        if folder.is_dir():
            left += [str(p) for p in folder.iterdir() if ".tmp" in p.name or p.name.startswith(".store-")]
    return left


def assert_whole(build: Path, outcomes: dict[bytes, str]) -> str:
    """The build folder holds exactly one of ``outcomes`` (dataset bytes -> name), store and all."""
    assert os.readlink(build / "dataset.nq") == "current/dataset.nq"
    assert os.readlink(build / "store") == "current/store"
    assert os.readlink(build / CURRENT).startswith(f"{GENERATIONS}/")
    data = (build / "dataset.nq").read_bytes()
    assert data in outcomes, "the dataset is neither the old one nor the new one"
    store = open_store(build / "dataset.nq")
    assert store is not None, "the store does not belong to the dataset beside it"
    assert canonical_nquads(store) == data
    del store
    question = "SELECT ?m WHERE { ?f kg:modality ?m }"
    result = CliRunner().invoke(main, ["--project", str(build.parent), "query", "--format", "csv", "-e", question])
    assert result.exit_code == 0, result.output
    return outcomes[data]


def start(project: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "KG_SOURCES"}
    command = [KG, "--project", str(project), "build", "--force"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def generations(build: Path) -> set[str]:
    try:
        return set(os.listdir(build / GENERATIONS))
    except FileNotFoundError:
        return set()


def test_a_killed_build_leaves_the_old_or_the_new_generation(tiny: Path, tmp_path: Path) -> None:
    build, article = tiny / "build", tiny / "data" / "articles" / "t1.ttl"
    texts = {"a": article.read_text(encoding="utf-8")}
    toggle(tiny)
    texts["b"] = article.read_text(encoding="utf-8")
    # the two outcomes, each built once aside
    outcomes = {}
    for name, text in texts.items():
        article.write_text(text, encoding="utf-8")
        result = build_project(Project.at(tiny).with_build(tmp_path / name), force=True)
        outcomes[result.outputs[0].read_bytes()] = name
    assert len(outcomes) == 2
    article.write_text(texts["a"], encoding="utf-8")
    build_project(Project.at(tiny))
    assert assert_whole(build, outcomes) == "a"
    # how long a build takes before its generation appears (python, imports, the check)
    article.write_text(texts["b"], encoding="utf-8")
    started, before, process = time.monotonic(), generations(build), start(tiny)
    appeared = None
    while process.poll() is None:
        if appeared is None and generations(build) - before:
            appeared = time.monotonic() - started
        time.sleep(0.0005)
    assert process.returncode == 0 and appeared is not None
    # kills while the build reads and checks, then every few ms while it writes its generation
    moments = [("early", appeared * f) for f in (0.1, 0.4, 0.7, 0.9)]
    moments += [("writing", ms / 1000) for ms in (0, 3, 8, 15, 25, 35, 45, 52, 60, 70, 90)]
    seen = []
    for when, delay in moments:
        was = assert_whole(build, outcomes)
        article.write_text(texts["b" if was == "a" else "a"], encoding="utf-8")  # each build changes the dataset
        before = generations(build)
        process = start(tiny)
        if when == "early":
            time.sleep(delay)
        else:
            deadline = time.monotonic() + 30
            while not generations(build) - before and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.0002)
            time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        now = assert_whole(build, outcomes)
        seen.append((when, round(delay, 3), process.returncode, was, now, len(stale(build))))
    print("\nkill moment, delay s, exit, before, after, stale entries left:", *seen, sep="\n  ")
    assert any(n > 0 for *_, n in seen), "no kill landed while a generation was being written"
    # one further build cleans what the killed ones left
    assert subprocess.run([KG, "--project", str(tiny), "build"], capture_output=True, check=False).returncode == 0
    assert stale(build) == []
    assert len(generations(build)) == 1


def test_the_public_paths_link_into_the_current_generation(tiny: Path) -> None:
    project = Project.at(tiny)
    first = build_project(project)
    build = tiny / "build"
    assert first.outputs == (build / "dataset.nq",)
    old = (build / CURRENT).resolve()
    assert sorted(p.name for p in old.iterdir()) == ["build.json", "dataset.nq", "store"]
    toggle(tiny)
    again = build_project(project)
    assert again.incremental  # the incremental build writes a new generation too
    new = (build / CURRENT).resolve()
    assert new != old and not old.exists()
    assert (build / "dataset.nq").resolve() == new / "dataset.nq"
    assert (build / "store").resolve() == new / "store"
    assert generations(build) == {new.name}
    assert build_project(project).up_to_date
    assert (build / CURRENT).resolve() == new  # an up-to-date build switches nothing


def test_a_reader_keeps_its_store_across_a_switch(tiny: Path) -> None:
    project = Project.at(tiny)
    build_project(project)
    before = read_dataset(tiny / "build")
    quads = set(before)
    toggle(tiny)
    build_project(project, force=True)
    assert set(before) == quads  # its generation is gone from the folder, not from the open store
    assert set(read_dataset(tiny / "build")) != quads


def test_what_killed_builds_left_is_removed_by_the_next_build(tiny: Path) -> None:
    project = Project.at(tiny)
    build_project(project)
    build = tiny / "build"
    current = (build / CURRENT).resolve()
    (build / GENERATIONS / "20000101T000000-dead").mkdir()
    (build / GENERATIONS / "20000101T000000-dead" / "dataset.nq").write_bytes(b"half")
    (build / ".dataset.nq.x1y2.tmp").write_bytes(b"half")
    (build / ".current.tmp-0badf00d").symlink_to(".generations/20000101T000000-dead")
    (build / ".store-new-killed" / "db").mkdir(parents=True)
    (build / ".cache" / ".check.json.abcd.tmp").write_bytes(b"{")
    assert build_project(project).up_to_date  # even a build with nothing to do cleans up
    assert stale(build) == []
    assert (build / CURRENT).resolve() == current


def test_a_build_from_before_generations_is_taken_over(tiny: Path) -> None:
    project = Project.at(tiny)
    build_project(project)
    build = tiny / "build"
    data = (build / "dataset.nq").read_bytes()
    legacy = tiny / "legacy"
    shutil.copytree((build / CURRENT).resolve(), legacy)
    shutil.rmtree(build)
    build.mkdir()
    os.replace(legacy / "dataset.nq", build / "dataset.nq")  # a regular file, a folder: the old layout
    os.replace(legacy / "store", build / "store")
    (build / "dataset.trig").write_bytes(b"old export")
    result = build_project(project)
    assert not result.up_to_date
    assert os.readlink(build / "dataset.nq") == "current/dataset.nq"
    assert os.readlink(build / "store") == "current/store"
    assert (build / "dataset.nq").read_bytes() == data
    assert not (build / "dataset.trig").exists() and stale(build) == []


def test_write_dataset_writes_a_generation(tmp_path: Path) -> None:
    data = b'<http://x/s> <http://x/p> "o" .\n'
    assert write_dataset(data, tmp_path) == (tmp_path / "dataset.nq",)
    assert (tmp_path / "dataset.nq").read_bytes() == data and len(read_dataset(tmp_path)) == 1
    write_dataset(data + b'<http://x/s> <http://x/p> "p" .\n', tmp_path)
    assert len(read_dataset(tmp_path)) == 2 and stale(tmp_path) == []


@pytest.mark.parametrize("name", ["dataset.nq", "store"])
def test_a_removed_public_link_is_put_back(tiny: Path, name: str) -> None:
    project = Project.at(tiny)
    build_project(project)
    (tiny / "build" / name).unlink()
    build_project(project)
    assert os.readlink(tiny / "build" / name) == f"current/{name}"


# -- what a build that cannot write says, and what it leaves -----------------------------------

#: What every failure to write a build expects.
BUILD_FOLDER = "a folder to write the build into"


def test_an_up_to_date_build_that_cannot_relink_its_outputs_says_it_cannot_write(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.at(tiny)
    build_project(project)
    build = tiny / "build"
    current = (build / CURRENT).resolve()

    def refused(build: Path, names: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(build / "dataset.nq"))

    monkeypatch.setattr(kg.build, "link_public", refused)
    with pytest.raises(InputError) as raised:
        build_project(project)  # nothing changed: only the public links are put back
    monkeypatch.undo()
    # input_error for a folder being written: "cannot write", the reason in words, its hint
    assert raised.value.message == f"{build}: cannot write: permission denied"
    assert raised.value.expected == BUILD_FOLDER
    assert raised.value.hint == "give this user permission (chmod, chown) or use another path"
    assert (build / CURRENT).resolve() == current
    assert build_project(project).up_to_date


@pytest.mark.parametrize(
    ("error", "message", "hint"),
    [
        (
            OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
            "cannot write: No space left on device",
            "free some disk space (or write elsewhere) and run again; what was there is untouched",
        ),
        (
            OSError("IO error: No space left on device (os error 28)"),  # the store's own: no errno
            "cannot write the build: IO error: No space left on device (os error 28)",
            "free some disk space, or check the permissions, and run again; the previous build is untouched",
        ),
    ],
    ids=["an errno", "the store's own message"],
)
def test_a_generation_that_cannot_be_written_says_why_and_leaves_the_previous_build(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, message: str, hint: str
) -> None:
    project = Project.at(tiny)
    build_project(project)
    build = tiny / "build"
    data, current = (build / "dataset.nq").read_bytes(), (build / CURRENT).resolve()
    toggle(tiny)

    def fail(dataset: Path, folder: Path) -> Path:
        write_store(dataset, folder)
        raise error

    monkeypatch.setattr(kg.build, "write_store", fail)
    with pytest.raises(InputError) as raised:
        build_project(project, force=True)
    monkeypatch.undo()
    assert raised.value.message == f"{build}: {message}"
    assert raised.value.expected == BUILD_FOLDER
    assert raised.value.hint == hint
    assert (build / CURRENT).resolve() == current and generations(build) == {current.name}
    assert (build / "dataset.nq").read_bytes() == data


def test_a_build_interrupted_while_writing_leaves_the_previous_build(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.at(tiny)
    build_project(project)
    build = tiny / "build"
    data, current = (build / "dataset.nq").read_bytes(), (build / CURRENT).resolve()
    toggle(tiny)
    written: list[Path] = []

    def interrupted(dataset: Path, folder: Path) -> Path:
        written.append(folder)
        write_store(dataset, folder)
        raise KeyboardInterrupt  # Ctrl-C: not an OSError, still no half generation left

    monkeypatch.setattr(kg.build, "write_store", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_project(project, force=True)
    monkeypatch.undo()
    assert written and not written[0].exists(), "the interrupted generation was left behind"
    assert (build / CURRENT).resolve() == current and generations(build) == {current.name}
    assert (build / "dataset.nq").read_bytes() == data


# -- an up-to-date build still says which texts were missing -----------------------------------

#: The tiny project's two articles, their texts not found in its ``sources`` folder.
UNVERIFIED = (
    "2 of 2 articles unverified: their texts (t1.txt, t2.txt) are not in sources; "
    "point kg at the texts with --sources, KG_SOURCES or [tool.kg] sources"
)


def test_an_up_to_date_build_warns_again_of_the_texts_it_did_not_find(tiny: Path) -> None:
    shutil.rmtree(tiny / "sources")
    project = Project.at(tiny)
    counts = []
    for built in ("fresh", "up to date"):
        with pytest.warns(UnverifiedWarning) as record:
            result = build_project(project)
        assert [str(w.message) for w in record] == [UNVERIFIED], built
        assert result.unverified == ("t1.txt", "t2.txt")
        assert result.up_to_date == (built == "up to date")
        counts.append(result.counts)
    # the up-to-date build gives the same counts, read from the last one's record
    assert counts[1] == counts[0] and {"default graph", "article graphs"} <= set(counts[0])


@pytest.mark.stack
def test_the_up_to_date_builds_warning_points_at_the_caller(tiny: Path) -> None:
    shutil.rmtree(tiny / "sources")
    project = Project.at(tiny)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnverifiedWarning)
        build_project(project)
    with pytest.warns(UnverifiedWarning) as record:
        line, result = sys._getframe().f_lineno, build_project(project)
    assert result.up_to_date
    assert (record[0].filename, record[0].lineno) == (__file__, line)  # the line that called build_project


def test_a_record_without_its_unverified_texts_reads_as_none_unverified(tiny: Path) -> None:
    project = Project.at(tiny)
    build_project(project)
    build = tiny / "build"
    manifest = (build / CURRENT).resolve() / "build.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    del record["unverified"]
    manifest.write_text(json.dumps(record), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnverifiedWarning)  # every text is there
        result = build_project(project)
    assert result.unverified == ()
    assert os.readlink(build / "dataset.nq") == "current/dataset.nq"


def test_an_article_file_over_the_size_limit_is_not_read_for_the_builds_key(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.at(tiny)
    big = tiny / "data" / "articles" / "t2.ttl"
    monkeypatch.setattr(kg.build, "ARTICLE_LIMIT", big.stat().st_size - 1)
    _, inputs = kg.build._inputs_key(project, {})
    # counted as unreadable ("-"), with no size, time and digest kept: the check that follows says why
    assert str(big) not in inputs and str(tiny / "data" / "articles" / "t1.ttl") in inputs


def test_a_folder_of_texts_that_cannot_be_listed_is_named_in_the_error(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.at(tiny)
    scandir = os.scandir

    def refused(path: str | os.PathLike[str]) -> object:
        if Path(path) == project.sources:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return scandir(path)

    monkeypatch.setattr(kg.build.os, "scandir", refused)
    with pytest.raises(InputError) as raised:
        build_project(project)
    monkeypatch.undo()
    assert raised.value.message == f"{project.display(project.sources)}: cannot read: permission denied"
    assert raised.value.expected == "the folder of article texts (--sources, KG_SOURCES)"
    assert generations(tiny / "build") == set()  # nothing built
