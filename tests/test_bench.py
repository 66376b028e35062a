"""``make bench`` runs: a small size in the suite (its figures are not asserted here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_the_benchmark_runs_and_saves_its_tables(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench.py"), "--sizes", "6", "--rounds", "1", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = out.read_text(encoding="utf-8")
    assert report.startswith("## kg bench, ")
    assert "### 6 articles (" in report
    for measure in ("cold check + build", "check, nothing changed", "one article changed", "kg query, selective"):
        assert f"| {measure}" in report
    assert "the API over raw pyoxigraph" in report and "rdflib's own engine" in report
