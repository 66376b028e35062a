"""Shared fixtures: the real project, its built dataset, and the tiny example project.

The article texts are not part of the repository. The project reads them from its
sources folder (``KG_SOURCES``, or ``data/sources``); ``.ci/run`` points at CI's copy.
Without them everything still runs, with quotes unverified, and the tests that need the
texts themselves (the ``texts`` fixture) skip, saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from collections import Counter
from pathlib import Path
from typing import NoReturn

import pyoxigraph as ox
import pytest

from kg.build import build_project
from kg.errors import UnverifiedWarning
from kg.project import Project
from kg.store import read_dataset
from tests.mutate import in_specification, module_of

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under mutation testing (``make mutate``, ``tests/mutate.py``): run a mutant against
    its module's specification only, quickest files first, and skip the tests of where a
    warning points.

    mutmut writes every variant of a function beside it, docstring included: their
    doctests, the original's again, are left out (they never run outside mutmut). It hands
    a mutant's tests over in no particular order and stops at the first failure (``-x``):
    with the files whose tests took least time in its clean run first
    (``mutmut-stats.json``), a mutant a quick test catches costs a second, not a site's
    build first. Its trampolines put a frame of their own between a warning and its
    caller, so a warning's ``stacklevel`` is judged by ``make test`` alone (the ``stack``
    tests).
    """
    copies = [item for item in items if "__mutmut_" in item.name]
    if copies:
        config.hook.pytest_deselected(items=copies)
        items[:] = [item for item in items if "__mutmut_" not in item.name]
    mutant = os.environ.get("MUTANT_UNDER_TEST")
    if mutant is None:
        return
    skip = pytest.mark.skip(reason="mutmut's trampolines add a frame between a warning and its caller")
    for item in items:
        if item.get_closest_marker("stack"):
            item.add_marker(skip)
    module = module_of(mutant)
    own = [item for item in items if module is not None and in_specification(module, item.nodeid)]
    if own and len(own) < len(items):  # never none: pytest would exit 5, which mutmut takes for a catch
        config.hook.pytest_deselected(items=[item for item in items if item not in own])
        items[:] = own
    stats = ROOT / "mutmut-stats.json"
    if stats.is_file():
        took = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
        per_file: Counter[str] = Counter()
        for item in items:
            per_file[item.location[0]] += took.get(item.nodeid, 0.0)
        items.sort(key=lambda item: per_file[item.location[0]])  # stable: a file's tests keep their order


@pytest.fixture(scope="session")
def project() -> Project:
    """The project itself, reading article texts from its sources folder (KG_SOURCES)."""
    return Project.at(ROOT)


@pytest.fixture(scope="session")
def texts(project: Project, store: ox.Store) -> Path:
    """The folder of the seed articles' texts; the test is skipped when they are not there."""
    names = [
        row[0].value for row in store.query("SELECT ?name WHERE { ?a <https://w3id.org/newskg/ns#sourceFile> ?name }")
    ]  # type: ignore[index,union-attr]
    if not names or not all((project.sources / name).is_file() for name in names):
        pytest.skip(f"the article texts are not in {project.sources}: point KG_SOURCES at them (CI: ../shared/seeds)")
    return project.sources


@pytest.fixture(scope="session")
def built(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus built once into a temporary folder (with or without the texts)."""
    out = tmp_path_factory.mktemp("build")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnverifiedWarning)
        build_project(project.with_build(out))
    return out


@pytest.fixture(scope="session")
def store(built: Path) -> ox.Store:
    """The built seed dataset, opened."""
    return read_dataset(built)


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the tiny example project (its ontology is the real one, its texts its own)."""
    monkeypatch.delenv("KG_SOURCES", raising=False)
    return copy_tiny(tmp_path / "tiny")


def copy_tiny(dest: Path) -> Path:
    """A writable copy of the tiny example project at ``dest``, its settings pointing at the real ontology."""
    shutil.copytree(TINY, dest)
    settings = dest / "pyproject.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("../../../ontology.ttl", str(ROOT / "ontology.ttl")),
        encoding="utf-8",
    )
    return dest


def missing(reason: str) -> NoReturn:
    """A system program a test needs is not installed: skip here, fail under CI (which installs it)."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)
