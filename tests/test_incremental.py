"""A build after a few changed articles updates the previous one, to the bytes a full build gives.

Each kind of change is made to a synthetic corpus whose articles share facts (told
differently) and actors (heavy-tailed), so that a change reaches other articles' support,
disagreements and ties; the updated dataset and store are compared with a full build.
"""

from __future__ import annotations

import re
import shutil
import types
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg.formats
from kg.build import BuildResult, build_project
from kg.cli import main
from kg.errors import InputError
from kg.formats import canonical_nquads, open_store
from kg.project import Project
from kg.synth import synthesize
from tests.conftest import ROOT

ONTOLOGY = ROOT / "ontology.ttl"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("incremental") / "corpus"
    synthesize(dest, articles=40, seed=3, ontology=ONTOLOGY)
    return dest


@pytest.fixture
def project(corpus: Path, tmp_path: Path) -> Project:
    """A copy of the corpus, built once (a full build)."""
    root = tmp_path / "corpus"
    shutil.copytree(corpus, root)
    project = Project.at(root, sources=root / "sources")
    assert not build_project(project).incremental
    return project


def articles(project: Project) -> list[Path]:
    return sorted((project.root / "data" / "articles").glob("*.ttl"))


def rewrite_shared(project: Project, rewrite: Callable[[str], str | None]) -> None:
    """Rewrite the first shared event (a story other articles tell too) that ``rewrite`` can change."""
    for path in articles(project):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"^fact:w\d+ a kg:Event ;.*?\.\n", text, re.S | re.M):
            changed = rewrite(block)
            if changed is not None and changed != block:
                path.write_text(text.replace(block, changed), encoding="utf-8")
                return
    raise AssertionError("no shared event to change")


def edit_modality(project: Project) -> None:
    rewrite_shared(project, lambda block: block.replace("kg:modality kg:Actual", "kg:modality kg:Planned"))


def edit_date(project: Project) -> None:
    def earlier(block: str) -> str | None:
        dated = re.search(r'kg:date "(\d{4})-', block)
        return None if dated is None else block.replace(dated.group(0), f'kg:date "{int(dated.group(1)) - 3}-')

    rewrite_shared(project, earlier)


def edit_target(project: Project) -> None:
    """Swap a shared event's actor and target: the ties of both directions change, other articles' too."""

    def swap(block: str) -> str | None:
        actors = re.findall(r"kg:actor (ent:[\w-]+)", block)
        targets = re.findall(r"kg:target (ent:[\w-]+)", block)
        if len(actors) != 1 or len(targets) != 1 or actors == targets:
            return None
        swapped = block.replace(f"kg:actor {actors[0]}", "kg:actor \0").replace(
            f"kg:target {targets[0]}", f"kg:target {actors[0]}"
        )
        return swapped.replace("kg:actor \0", f"kg:actor {targets[0]}")

    rewrite_shared(project, swap)


def remove_article(project: Project) -> None:
    articles(project)[4].unlink()


def add_article(project: Project) -> None:
    # an article the first build did not have: moved aside, built without, then back
    path = articles(project)[7]
    kept = path.read_bytes()
    path.unlink()
    assert build_project(project, force=True).counts
    path.write_bytes(kept)


def assert_same_as_full(project: Project, result: BuildResult, tmp_path: Path) -> None:
    full = build_project(project.with_build(tmp_path / "full"), force=True)
    updated = (project.build / "dataset.nq").read_bytes()
    assert updated == (tmp_path / "full" / "dataset.nq").read_bytes()
    assert result.counts == full.counts
    store = open_store(project.build / "dataset.nq")
    assert store is not None, "the store was left stale"
    assert canonical_nquads(store) == updated


@pytest.mark.parametrize(
    "change",
    [edit_modality, edit_date, edit_target, remove_article, add_article],
    ids=lambda f: f.__name__.replace("_", " "),
)
def test_an_updated_build_is_byte_identical_to_a_full_build(
    project: Project, tmp_path: Path, change: Callable[[Project], None]
) -> None:
    change(project)
    before = (project.build / "dataset.nq").read_bytes()  # the previous build's
    result = build_project(project)
    assert result.incremental, "the build did not update the previous one"
    assert (project.build / "dataset.nq").read_bytes() != before
    assert_same_as_full(project, result, tmp_path)


def test_several_changes_in_a_row_stay_identical(project: Project, tmp_path: Path) -> None:
    for change in (edit_target, edit_modality, remove_article):
        change(project)
        result = build_project(project)
        assert result.incremental
    assert_same_as_full(project, result, tmp_path)


def test_a_registry_change_rebuilds_everything(project: Project, tmp_path: Path) -> None:
    registry = project.registry
    registry.write_text(
        registry.read_text(encoding="utf-8") + '\nent:new-actor a kg:Person ;\n    rdfs:label "New Actor" .\n',
        encoding="utf-8",
    )
    result = build_project(project)
    assert not result.incremental
    assert b"new-actor" in (project.build / "dataset.nq").read_bytes()
    assert_same_as_full(project, result, tmp_path)


def test_many_changes_rebuild_everything(project: Project) -> None:
    for path in articles(project)[:21]:  # more than the 20 an update takes on
        path.write_text(path.read_text(encoding="utf-8") + "\n# seen\n", encoding="utf-8")
    assert not build_project(project).incremental


def test_a_store_update_that_fails_leaves_the_previous_build_whole(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit_date(project)
    before = (project.build / "dataset.nq").read_bytes()

    class FullDisk:
        """An on-disk store whose loads fail, as on a full disk."""

        read_only = staticmethod(ox.Store.read_only)

        def __init__(self, path: str) -> None:
            self.store = ox.Store(path)

        def __getattr__(self, name: str) -> object:
            return fail if name == "load" else getattr(self.store, name)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    failing = types.SimpleNamespace(**{n: getattr(ox, n) for n in dir(ox) if not n.startswith("_")})
    failing.Store = FullDisk
    monkeypatch.setattr(kg.formats, "ox", failing)
    with pytest.raises(InputError, match="cannot write the build: disk full"):
        build_project(project)
    monkeypatch.undo()
    # the failed generation is gone; the previous one is still current, its store matching its dataset
    assert (project.build / "dataset.nq").read_bytes() == before
    store = open_store(project.build / "dataset.nq")
    assert store is not None and canonical_nquads(store) == before
    assert len(list((project.build / ".generations").iterdir())) == 1
    assert not [p for p in project.build.iterdir() if p.name.startswith(".store-") or ".tmp" in p.name]
    result = build_project(project)
    assert result.incremental
    assert_same_as_full(project, result, tmp_path)


def test_kg_build_says_it_updated(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_SOURCES", raising=False)  # the corpus's own texts
    edit_date(project)
    result = CliRunner().invoke(main, ["--project", str(project.root), "build"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("updated build/dataset.nq\n")
