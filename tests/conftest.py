"""Shared fixtures: the real project, its built dataset, and the tiny example project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build_project
from kg.project import Project
from kg.store import read_dataset

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (ROOT.parent / "shared" / "seeds").resolve()
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


@pytest.fixture(scope="session")
def project() -> Project:
    """The project itself, reading article texts from ../shared/seeds."""
    if not SEEDS.is_dir():
        pytest.fail(f"the seed articles are missing: {SEEDS} (clone the project beside shared/)")
    return Project.at(ROOT, sources=SEEDS)


@pytest.fixture(scope="session")
def built(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus built once into a temporary folder."""
    out = tmp_path_factory.mktemp("build")
    build_project(project.with_build(out))
    return out


@pytest.fixture(scope="session")
def store(built: Path) -> ox.Store:
    """The built seed dataset, opened."""
    return read_dataset(built)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of the tiny example project (its ontology is the real one)."""
    dest = tmp_path / "tiny"
    shutil.copytree(TINY, dest)
    settings = dest / "pyproject.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("../../../ontology.ttl", str(ROOT / "ontology.ttl")),
        encoding="utf-8",
    )
    return dest
