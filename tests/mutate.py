"""Mutation testing: how many realistic bugs the suite catches, module by module (``make mutate``).

mutmut writes each module's mutants (a flipped comparison, an off-by-one, a dropped
argument, a changed string…) and runs, for each, the tests that call the mutated function:
a mutant is *killed* when a test fails, *timeout* when the tests ran far longer than
without it (also a catch), *survived* when every test passed. Mutants that cannot change
behaviour (an equivalent mutant) are listed with the reason in ``tests/mutants.toml`` and
left out of the rate.

Each module runs in a scratch copy of the project under ``build/mutate/MODULE`` (mutmut
rewrites the sources there, never here), with the test files that exercise it, in two
processes (CI's cores). Tests that start ``kg`` in a subprocess cannot see a mutant (the
child imports the installed package): a module's selection holds in-process tests.

Usage::

    make mutate                         # every core module (hours: see the budget)
    make mutate MODULES="dates network" # some of them
    python tests/mutate.py --budget 900 check

The table (mutants, killed, timeout, survived, equivalent, rate) and the survivors are
printed and written to ``build/mutate.md``; ``cd build/mutate/MODULE && mutmut show NAME``
shows a survivor's diff.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

#: Each core module and the tests that exercise it in-process (doctests included).
MODULES: dict[str, tuple[str, list[str]]] = {
    "dates": ("kg/dates.py", ["kg/dates.py", "tests/test_named_queries.py"]),
    "check": ("kg/check.py", ["kg/check.py", "tests/test_check_errors.py", "tests/test_shapes.py"]),
    "build": ("kg/build.py", ["kg/build.py", "tests/test_corpus.py", "tests/test_incremental.py"]),
    "query": ("kg/query.py", ["kg/query.py", "tests/test_query_api.py", "tests/test_query_safety.py"]),
    "network": ("kg/network.py", ["kg/network.py", "tests/test_network.py", "tests/test_outputs.py"]),
    "views-network": ("kg/views/network.py", ["kg/views/network.py", "tests/test_views.py"]),
    "views-timeline": ("kg/views/timeline.py", ["kg/views/timeline.py", "tests/test_timeline.py"]),
    "views-charts": ("kg/views/charts.py", ["kg/views/charts.py", "tests/test_charts.py"]),
    "serve": ("kg/serve.py", ["kg/serve.py", "tests/test_serve_named.py"]),
    "site": ("kg/site/*", ["kg/site", "tests/test_site.py"]),
}

#: What a scratch copy needs besides the package and the tests.
COPY = ["pyproject.toml", "ontology.ttl", "data", "notebooks", "README.md", "Makefile"]


@dataclass
class Outcome:
    """One module's mutants by status, and how long they took."""

    module: str
    counts: Counter[str] = field(default_factory=Counter)
    survivors: list[str] = field(default_factory=list)
    equivalent: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    complete: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def caught(self) -> int:
        return self.counts["killed"] + self.counts["timeout"] + self.counts["caught by type check"]

    @property
    def rate(self) -> float | None:
        """Caught among the mutants that can change behaviour (equivalent ones left out)."""
        judged = self.caught + len(self.survivors)
        return self.caught / judged if judged else None


def equivalents() -> dict[str, str]:
    """The mutants known to be equivalent, with why (``tests/mutants.toml``)."""
    path = ROOT / "tests" / "mutants.toml"
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.get("equivalent", {}).items()}


def scratch(module: str, source: str, tests: list[str]) -> Path:
    """A copy of the project for ``module``'s mutants, its mutmut settings in its pyproject."""
    where = ROOT / "build" / "mutate" / module
    if where.exists():
        shutil.rmtree(where)
    where.mkdir(parents=True)
    shutil.copytree(ROOT / "kg", where / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", where / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    for name in COPY:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, where / name, ignore=shutil.ignore_patterns("__pycache__", "sources"))
        elif path.exists():
            shutil.copy2(path, where / name)
    settings = (
        "\n[tool.mutmut]\n"
        'source_paths = ["kg/"]\n'
        f"only_mutate = [{source!r}]\n"
        f"also_copy = {COPY!r}\n"
        'pytest_add_cli_args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-q", "-x"]\n'
        f"pytest_add_cli_args_test_selection = {tests!r}\n"
    ).replace("'", '"')
    with (where / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write(settings)
    return where


def run(module: str, budget: float, known: dict[str, str]) -> Outcome:
    """Run ``module``'s mutants for at most ``budget`` seconds and read their statuses."""
    source, tests = MODULES[module]
    where = scratch(module, source, tests)
    started = time.monotonic()
    outcome = Outcome(module)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    try:
        subprocess.run(
            [str(BIN / "mutmut"), "run", "--max-children", "2"],
            cwd=where,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(where / "mutmut.log").open("wb"),
            timeout=budget,
            check=False,
        )
    except subprocess.TimeoutExpired:
        outcome.complete = False
    outcome.seconds = time.monotonic() - started
    listed = subprocess.run(
        [str(BIN / "mutmut"), "results", "--all", "true"], cwd=where, env=env, capture_output=True, text=True
    ).stdout
    for line in listed.splitlines():
        match = re.match(r"\s*(\S+): (.+)$", line)
        if not match:
            continue
        name, status = match.groups()
        if status == "not checked":
            outcome.complete = False
            continue
        if name in known:
            outcome.equivalent[name] = known[name]
            continue
        outcome.counts[status] += 1
        if status == "survived":
            outcome.survivors.append(name)
    return outcome


def table(outcomes: list[Outcome]) -> str:
    """The results as a Markdown table, then each module's survivors."""
    lines = [
        "| module | mutants | killed | timeout | survived | equivalent | other | rate | minutes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        other = o.total - o.counts["killed"] - o.counts["timeout"] - o.counts["survived"]
        rate = "–" if o.rate is None else f"{o.rate:.0%}"
        mark = "" if o.complete else " (budget spent: partial)"
        lines.append(
            f"| {o.module}{mark} | {o.total + len(o.equivalent)} | {o.counts['killed']} | {o.counts['timeout']} | "
            f"{o.counts['survived']} | {len(o.equivalent)} | {other} | {rate} | {o.seconds / 60:.1f} |"
        )
    for o in outcomes:
        if o.survivors:
            lines += ["", f"Survivors in {o.module} (`cd build/mutate/{o.module} && mutmut show NAME`):", ""]
            lines += [f"- {name}" for name in sorted(o.survivors)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"some of: {', '.join(MODULES)} (default: all)")
    parser.add_argument("--budget", type=float, default=1800, help="seconds per module at most (default 1800)")
    args = parser.parse_args()
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"no module {', '.join(unknown)}: choose among {', '.join(MODULES)}")
    if shutil.which("mutmut", path=str(BIN)) is None:
        print("mutmut is not installed in this environment: make mutate installs it (.[dev])", file=sys.stderr)
        return 2
    known = equivalents()
    outcomes = []
    for module in args.modules or list(MODULES):
        print(f"== {module}: mutating {MODULES[module][0]} (at most {args.budget / 60:.0f} min)", flush=True)
        outcome = run(module, args.budget, known)
        outcomes.append(outcome)
        print(table([outcome]), flush=True)
    report = table(outcomes)
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "mutate.md").write_text(report, encoding="utf-8")
    print("== every module\n" + report + "\n(written to build/mutate.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
