"""A clone of the repository stands alone: with nothing beside it, it checks and builds.

The article texts are not in the repository. A fresh clone, in an empty folder with no
texts anywhere, must still check and build, saying once that its quotes went unverified,
and build exactly the dataset a build with the texts gives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    dest = tmp_path_factory.mktemp("empty") / "project"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True)
    assert not (dest / "data" / "sources").exists()
    return dest


def kg(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KG_SOURCES"}
    command = [str(Path(sys.executable).parent / "kg"), "--project", str(project), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=project, timeout=300)


def test_a_fresh_clone_checks_and_builds_with_one_warning(clone: Path, built: Path) -> None:
    for command in ("check", "build"):
        result = kg(clone, command)
        assert result.returncode == 0, result.stderr
        warnings = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(warnings) == 1, result.stderr
        assert warnings[0].startswith("warning: 5 of 5 articles unverified: their texts (000_bdb56974d63aa1a5.txt")
        assert warnings[0].endswith(
            "are not in data/sources; point kg at the texts with --sources, KG_SOURCES or [tool.kg] sources"
        )
    # the texts only check the quotes: the dataset is the one built with them (or without: CI has them)
    assert (clone / "build" / "dataset.nq").read_bytes() == (built / "dataset.nq").read_bytes()


def test_a_fresh_clone_answers_questions(clone: Path) -> None:
    result = kg(clone, "query", "fact-reports", "--format", "tsv")
    assert result.returncode == 0, result.stderr
    assert {line.split("\t")[2] for line in result.stdout.splitlines()[1:]} == {
        "art:000",
        "art:002",
        "art:003",
        "art:004",
    }
