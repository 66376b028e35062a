"""The build leaves an on-disk store that opens at once; readers never trust a stale one."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build_project
from kg.formats import STORE_DIR, store_is_current
from kg.project import Project
from kg.store import read_dataset


@pytest.fixture
def built(tiny: Path) -> Path:
    build_project(Project.at(tiny))
    return tiny / "build"


def test_the_build_leaves_a_store_that_holds_the_dataset(built: Path) -> None:
    assert (built / STORE_DIR).is_dir() and store_is_current(built / "dataset.nq")
    opened = read_dataset(built)
    in_memory = ox.Store()
    in_memory.bulk_load(path=str(built / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    assert set(opened) == set(in_memory)
    with pytest.raises((OSError, RuntimeError)):  # read-only: a question cannot change the build
        opened.add(next(iter(in_memory)))


def test_a_dataset_changed_by_hand_is_read_from_the_file_not_the_store(built: Path) -> None:
    nquads = built / "dataset.nq"
    lines = nquads.read_bytes().splitlines(keepends=True)
    nquads.write_bytes(b"".join(lines[:10]))  # a different dataset.nq than the store was loaded from
    assert not store_is_current(nquads)
    assert len(read_dataset(built)) == 10


def test_a_removed_store_is_rewritten_by_an_up_to_date_build(tiny: Path, built: Path) -> None:
    import shutil

    shutil.rmtree((built / STORE_DIR).resolve())  # build/store links into the current generation
    stamp = (built / "dataset.nq").stat().st_mtime_ns
    result = build_project(Project.at(tiny))
    assert result.up_to_date
    assert (built / "dataset.nq").stat().st_mtime_ns == stamp  # the dataset was not rewritten
    assert store_is_current(built / "dataset.nq")


def test_what_a_killed_build_left_aside_is_removed(tiny: Path, built: Path) -> None:
    leftover = built / ".store-new-killed"
    (leftover / "db").mkdir(parents=True)
    os.utime(built / "dataset.nq")  # the store is stale: the next build rewrites it
    build_project(Project.at(tiny), force=True)
    assert not leftover.exists()
    assert sorted(p.name for p in built.iterdir() if p.name.startswith(".store")) == []
