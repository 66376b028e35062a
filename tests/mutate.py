"""Mutation testing: how many realistic bugs the suite catches, module by module (``make mutate``).

mutmut writes each module's mutants (a flipped comparison, an off-by-one, a dropped
argument, a changed string…) and runs, for each, the tests of the module's specification
(:data:`TESTS`: its doctests and the test files written for what it produces) that call
the mutated function: a mutant is *killed* when a test fails, *timeout* when the tests ran
far longer than without it (also a catch), *survived* when every test passed, *no tests*
when none of them calls the function (uncaught, like a survivor). Mutants that cannot change behaviour
(an equivalent mutant) are listed with the reason in ``tests/mutants.toml`` and left out
of the rate; so are the few that mutmut cannot judge, listed there with the test that
catches them in ``make test`` (a warning's ``stacklevel``: mutmut's trampolines add
frames between a warning and its caller, so the tests of where a warning points are
skipped under it).

The core modules have about 13,500 mutants; at one to two seconds each on two cores, all
of them take hours. So each module's rate is measured on a seeded random sample of its
mutants (``--sample``, 100 by default; the same sample on every run, so a change of the
tests is measured on the same mutants), and the table gives the 95 % interval the sample
allows. ``--sample 0`` runs every mutant.

One scratch copy of the project (``build/mutate/run``: mutmut rewrites the sources there,
never here) holds the mutants of every chosen module, so that the tests are traced once. Each
specification runs kg in the test's own process: a test that starts ``kg`` in a
subprocess, a kernel or a server of its own cannot see a mutant. The rest of the suite
calls the core modules too, through a build or a page, by the hundred: the rate says how
well a module's own tests pin it down, which the whole suite can only better.

Usage::

    make mutate                            # every core module, 100 mutants each
    make mutate MODULES="dates network"    # some of them
    python tests/mutate.py --sample 0 dates  # every mutant of one module

The table (mutants, killed, timeout, survived, no test, equivalent, judged outside, rate)
and the survivors are
printed and written to ``build/mutate.md``; ``cd build/mutate/run && mutmut show NAME``
shows a survivor's diff.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import os
import random
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

#: Each core module and its source files (globs, relative to the project).
MODULES: dict[str, str] = {
    "dates": "kg/dates.py",
    "check": "kg/check.py",
    "build": "kg/build.py",
    "query": "kg/query.py",
    "network": "kg/network.py",
    "views-network": "kg/views/network.py",
    "views-timeline": "kg/views/timeline.py",
    "views-charts": "kg/views/charts.py",
    "serve": "kg/serve.py",
    "site": "kg/site/*",
}

#: Each module's specification: its own doctests and the test files written for what it
#: produces. A mutant runs only the tests of its module's specification that call the
#: mutated function, so the rate says how well a module's own tests pin it down. (The
#: other tests call it too, through a build or a page, by the hundred: a mutant they all
#: let through costs a quarter of an hour, and the rate would say less of where a bug is
#: caught.) Every file runs kg in the test's process: a kg started in a subprocess, a
#: kernel or a server cannot see a mutant.
TESTS: dict[str, tuple[str, ...]] = {
    "dates": (
        "kg/dates.py",
        "tests/test_support.py",
        "tests/test_competency.py",
        "tests/test_second_reading.py",
        "tests/test_check_findings.py",
        "tests/test_query_answers.py",
        "tests/test_view_data.py",
    ),
    "check": (
        "kg/check.py",
        "tests/test_check_findings.py",
        "tests/test_check_errors.py",
        "tests/test_shapes.py",
        "tests/test_incremental.py",
        "tests/test_build_decisions.py",
    ),
    "build": (
        "kg/build.py",
        "tests/test_build_decisions.py",
        "tests/test_build_atomic.py",
        "tests/test_incremental.py",
        "tests/test_store.py",
        "tests/test_io_safety.py",
        "tests/test_support.py",
    ),
    "query": (
        "kg/query.py",
        "tests/test_query_answers.py",
        "tests/test_query_api.py",
        "tests/test_query_safety.py",
        "tests/test_named_queries.py",
        "tests/test_tables.py",
    ),
    "network": (
        "kg/network.py",
        "tests/test_network.py",
        "tests/test_network_values.py",
        "tests/test_outputs.py",
        "tests/test_support.py",
    ),
    "views-network": ("kg/views/network.py", "tests/test_view_data.py", "tests/test_views.py"),
    "views-timeline": (
        "kg/views/timeline.py",
        "tests/test_view_data.py",
        "tests/test_timeline_figure.py",
        "tests/test_timeline.py",
    ),
    "views-charts": ("kg/views/charts.py", "tests/test_charts.py", "tests/test_network_values.py"),
    "serve": ("kg/serve.py", "tests/test_serve_wsgi.py"),
    "site": ("kg/site", "tests/test_site_pages.py", "tests/test_site.py"),
}


def selection(modules: list[str]) -> list[str]:
    """pytest's arguments for the specification tests of ``modules`` (mutmut traces them all)."""
    return sorted({path for module in modules for path in TESTS[module]})


def in_specification(module: str, test: str) -> bool:
    """Whether the test ``test`` (a pytest node id) is of ``module``'s specification.

    >>> in_specification("site", "kg/site/pages.py::kg.site.pages.page")
    True
    >>> in_specification("site", "tests/test_site.py::t"), in_specification("site", "kg/site.py::x")
    (True, False)
    >>> in_specification("serve", "tests/test_serve_named.py::t")
    False
    """
    path = test.split("::")[0]
    return any(path == spec or path.startswith(spec + "/") for spec in TESTS[module])


def untested(where: Path, names: list[str]) -> set[str]:
    """The mutants of ``names`` that no test of their module's specification calls, read
    from the trace mutmut made in ``where`` (they are reported as having no test)."""
    stats = where / "mutants" / "mutmut-stats.json"
    if not stats.is_file():
        return set()
    traced = json.loads(stats.read_text(encoding="utf-8")).get("tests_by_mangled_function_name", {})
    found = set()
    for name in names:
        module = module_of(name)
        tests = traced.get(name.partition("__mutmut_")[0], [])
        if module is not None and not any(in_specification(module, test) for test in tests):
            found.add(name)
    return found


def module_of(mutant: str) -> str | None:
    """The core module a mutant (``kg.site.pages.x_page__mutmut_3``) belongs to, if any.

    >>> module_of("kg.site.pages.x_page__mutmut_3"), module_of("kg.query.xǁConnectionǁrun__mutmut_1")
    ('site', 'query')
    >>> module_of("kg.cli.x_main__mutmut_1") is None
    True
    """
    dotted = mutant.split(".x_")[0].split(".xǁ")[0]
    path = dotted.replace(".", "/") + ".py"
    return next((m for m, source in MODULES.items() if fnmatch.fnmatch(path, source)), None)


#: What a scratch copy needs besides the package and the tests.
COPY = ["pyproject.toml", "ontology.ttl", "data", "notebooks", "README.md", "Makefile"]


@dataclass
class Outcome:
    """One module's mutants by status, and how long they took."""

    module: str
    counts: Counter[str] = field(default_factory=Counter)
    survivors: list[str] = field(default_factory=list)
    equivalent: dict[str, str] = field(default_factory=dict)
    outside: dict[str, str] = field(default_factory=dict)  # judged by a test mutmut must skip
    seconds: float = 0.0
    complete: bool = True
    population: int = 0  # every mutant of the module, of which these were drawn

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def caught(self) -> int:
        return self.counts["killed"] + self.counts["timeout"] + self.counts["caught by type check"]

    @property
    def rate(self) -> float | None:
        """Caught among the mutants that can change behaviour (equivalent ones and those
        judged outside mutmut left out).

        A mutant that no selected test runs ("no tests") counts as uncaught, like a survivor.
        """
        judged = self.caught + len(self.survivors)
        return self.caught / judged if judged else None


def equivalents(section: str = "equivalent") -> dict[str, str]:
    """The mutants of a section of ``tests/mutants.toml``, with why: ``equivalent`` ones,
    or those judged ``outside`` mutmut, by the test that catches them."""
    path = ROOT / "tests" / "mutants.toml"
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.get(section, {}).items()}


def scratch(where: Path, sources: list[str], tests: list[str]) -> Path:
    """A copy of the project in ``where`` to mutate ``sources`` in, its mutmut settings in its pyproject."""
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
        f"only_mutate = {sources!r}\n"
        f"also_copy = {COPY!r}\n"
        'pytest_add_cli_args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-q", "-x", "--assert=plain", "--tb=no"]\n'
        f"pytest_add_cli_args_test_selection = {tests!r}\n"
        # Each mutant's tests run in a child of a fork server that has imported pytest but
        # opened no store: a child forked from a process holding an open Oxigraph store
        # (RocksDB's threads) spins in its next bulk load until the CPU limit, which mutmut
        # then reports as a timeout, a catch that never happened.
        'process_isolation = "forkserver"\n'
    ).replace("'", '"')
    with (where / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write(settings)
    return where


def mutant_names(where: Path, modules: list[str]) -> dict[str, list[str]]:
    """Each module's mutants, as mutmut generated them in ``where`` (its ``.meta`` files)."""
    names: dict[str, list[str]] = {module: [] for module in modules}
    for meta in sorted((where / "mutants").rglob("*.py.meta")):
        source = meta.relative_to(where / "mutants").as_posix().removesuffix(".meta")
        for module in modules:
            if fnmatch.fnmatch(source, MODULES[module]):
                names[module] += json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
    return {module: sorted(found) for module, found in names.items()}


def choose(names: list[str], sample: int | None, seed: str) -> list[str]:
    """``sample`` of ``names`` drawn at random with a fixed seed (all of them when ``None``).

    The same module, mutants and size give the same sample on every run, so two runs
    before and after a change of the tests are measured on the same mutants.

    >>> choose(["a", "b", "c"], None, "m")
    ['a', 'b', 'c']
    >>> choose(["a", "b", "c", "d"], 2, "m") == choose(["d", "c", "b", "a"], 2, "m")
    True
    >>> len(choose(["a", "b", "c", "d"], 2, "m")), choose(["a"], 5, "m")
    (2, ['a'])
    """
    names = sorted(names)
    if sample is None or sample >= len(names):
        return names
    return sorted(random.Random(seed).sample(names, sample))


def refresh(where: Path) -> None:
    """Bring the scratch copy ``where`` up to the project's package and tests (mutmut then
    regenerates the mutants of changed functions and traces the new tests only)."""
    for name in ("kg", "tests"):
        shutil.rmtree(where / name)
        shutil.copytree(ROOT / name, where / name, ignore=shutil.ignore_patterns("__pycache__"))
    # mutmut copies an unmutated file only when its copy is missing: remove them all
    for path in (where / "mutants" / "kg").rglob("*"):
        if path.is_file() and path.suffix != ".meta" and not path.with_name(path.name + ".meta").exists():
            path.unlink()


def statuses(where: Path) -> dict[str, str]:
    """Each mutant's status in the scratch copy ``where``, as ``mutmut results`` gives it."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    listed = subprocess.run(
        [str(BIN / "mutmut"), "results", "--all", "true"], cwd=where, env=env, capture_output=True, text=True
    ).stdout
    return dict(re.findall(r"^\s*(\S+): (.+)$", listed, flags=re.M))


def run(
    modules: list[str],
    budget: float,
    known: dict[str, str],
    sample: int | None = None,
    *,
    again: bool = False,
    outside: dict[str, str] | None = None,
    where: Path = ROOT / "build" / "mutate" / "run",
) -> list[Outcome]:
    """Run a seeded ``sample`` of each module's mutants in the copy ``where``, all within ``budget`` seconds.

    With ``again``, the last run's copy is brought up to date and only the sampled mutants it
    did not catch (or did not reach), equivalent and outside ones aside, run again: after new
    tests, a measure in minutes.
    """
    if again and not (where / "mutants").is_dir():
        raise SystemExit(f"no earlier run in {where.relative_to(ROOT)} to measure again: run make mutate first")
    if again:
        refresh(where)
        traced = tomllib.loads((where / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
        unseen = sorted(set(selection(modules)) - set(traced["pytest_add_cli_args_test_selection"]))
        if unseen:  # mutmut starts over when its test selection changes: only a new run adds them
            print(
                f"warning: {', '.join(unseen)}: not in this copy's specifications (new since its run), so not run; "
                "make mutate without --again measures with them",
                file=sys.stderr,
                flush=True,
            )
    else:
        where = scratch(where, [MODULES[m] for m in modules], selection(modules))
    started = time.monotonic()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    log = (where / "mutmut.log").open("ab")
    mutmut = [str(BIN / "mutmut"), "run", "--max-children", "2"]
    complete = True
    try:
        # First pass: generate the mutants (again: those of the functions changed since) and trace
        # which tests call which function (mutmut then stops, as no mutant has this name); the
        # sample is drawn from what it generated; second pass: run the chosen ones.
        subprocess.run([*mutmut, "kg.none"], cwd=where, env=env, stdout=log, stderr=log, timeout=budget, check=False)
        names = mutant_names(where, modules)
        chosen = [name for m in modules for name in choose(names[m], sample, m)]
        none = untested(where, chosen)
        chosen = [name for name in chosen if name not in none]
        if again:
            before = statuses(where)
            # an equivalent mutant survives every run: only a change of its function (a new status) runs it again
            judged = known.keys() | (outside or {}).keys()
            uncaught = [n for n in chosen if before.get(n) in ("survived", "no tests") and n not in judged]
            chosen = uncaught + [n for n in chosen if before.get(n, "not checked") == "not checked"]
        left = budget - (time.monotonic() - started)
        if chosen:
            subprocess.run(
                [*mutmut, *chosen], cwd=where, env=env, stdout=log, stderr=log, timeout=max(left, 1), check=False
            )
    except subprocess.TimeoutExpired:
        complete = False
    return outcomes(where, modules, known, sample, time.monotonic() - started, complete, outside=outside)


def outcomes(
    where: Path,
    modules: list[str],
    known: dict[str, str],
    sample: int | None,
    seconds: float,
    complete: bool = True,
    *,
    outside: dict[str, str] | None = None,
) -> list[Outcome]:
    """Each module's sampled mutants by status, read from the scratch copy ``where``: ``known``
    are equivalent, ``outside`` judged by a test mutmut must skip (both with why)."""
    outside = outside or {}
    status_of = statuses(where)
    names = mutant_names(where, modules)
    none = untested(where, [name for module in modules for name in choose(names[module], sample, module)])
    found = []
    for module in modules:
        outcome = Outcome(module, seconds=seconds, complete=complete, population=len(names[module]))
        for name in choose(names[module], sample, module):
            status = "no tests" if name in none else status_of.get(name, "not checked")
            if status == "not checked":
                outcome.complete = False
            elif name in known:
                outcome.equivalent[name] = known[name]
            elif name in outside:
                outcome.outside[name] = outside[name]
            else:
                outcome.counts[status] += 1
                if status in ("survived", "no tests"):  # a mutant no test runs is a bug no test catches
                    outcome.survivors.append(name)
        found.append(outcome)
    return found


def wilson(caught: int, judged: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a rate measured on a sample of mutants.

    >>> [round(x, 3) for x in wilson(85, 100)]
    [0.767, 0.907]
    >>> wilson(0, 0)
    (0.0, 1.0)
    """
    if judged == 0:
        return (0.0, 1.0)
    p = caught / judged
    centre = (p + z * z / (2 * judged)) / (1 + z * z / judged)
    half = z * math.sqrt(p * (1 - p) / judged + z * z / (4 * judged * judged)) / (1 + z * z / judged)
    return (max(0.0, centre - half), min(1.0, centre + half))


def table(outcomes: list[Outcome], where: Path = Path("build/mutate/run")) -> str:
    """The results as a Markdown table, then each module's survivors (their mutants in ``where``)."""
    lines = [
        "| module | mutants run (of all) | killed | timeout | survived | no test | equivalent | judged outside "
        "| other | rate | 95 % interval |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        other = o.total - o.counts["killed"] - o.counts["timeout"] - o.counts["survived"] - o.counts["no tests"]
        rate = "–" if o.rate is None else f"{o.rate:.0%}"
        low, high = wilson(o.caught, o.caught + len(o.survivors))
        interval = "–" if o.rate is None else f"{low:.0%}–{high:.0%}"
        run = o.total + len(o.equivalent) + len(o.outside)
        drawn = f"{run} (of {o.population})" if o.population > run else f"{run}"
        mark = "" if o.complete else " (partial: not every sampled mutant ran)"
        lines.append(
            f"| {o.module}{mark} | {drawn} | {o.counts['killed']} | {o.counts['timeout']} | "
            f"{o.counts['survived']} | {o.counts['no tests']} | {len(o.equivalent)} | {len(o.outside)} | {other} "
            f"| {rate} | {interval} |"
        )
    if outcomes and max(o.seconds for o in outcomes):
        lines += ["", f"{max(o.seconds for o in outcomes) / 60:.0f} minutes on two cores."]
    for o in outcomes:
        if o.survivors:
            lines += ["", f"Survivors in {o.module} (`cd {where.as_posix()} && mutmut show NAME`):", ""]
            lines += [f"- {name}" for name in sorted(o.survivors)]
    for o in outcomes:
        if o.outside:
            lines += ["", f"Judged outside mutmut in {o.module}:", ""]
            lines += [f"- {name}: {why}" for name, why in sorted(o.outside.items())]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"some of: {', '.join(MODULES)} (default: all)")
    parser.add_argument(
        "--budget", type=float, default=3600, help="seconds at most, for all the chosen modules together (default 3600)"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=100,
        help="mutants drawn per module, with a fixed seed (default 100; 0 runs every mutant)",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="bring the last run's copy up to date and run again only the sampled mutants it did not catch",
    )
    parser.add_argument("--report", action="store_true", help="print the last run's table without running anything")
    parser.add_argument(
        "--copy",
        default="run",
        help="the scratch copy's folder in build/mutate (default run): another one measures some modules "
        "without replacing the last run's copy",
    )
    args = parser.parse_args()
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"no module {', '.join(unknown)}: choose among {', '.join(MODULES)}")
    if shutil.which("mutmut", path=str(BIN)) is None:
        print("mutmut is not installed in this environment: make mutate installs it (.[dev])", file=sys.stderr)
        return 2
    known, outside = equivalents(), equivalents("outside")
    modules = args.modules or list(MODULES)
    size = f"a sample of {args.sample} mutants" if args.sample else "every mutant"
    print(f"== {size} of each of {', '.join(modules)} (at most {args.budget / 60:.0f} min)", flush=True)
    where = ROOT / "build" / "mutate" / args.copy
    if args.report:
        found = outcomes(where, modules, known, args.sample or None, 0.0, outside=outside)
    else:
        found = run(modules, args.budget, known, args.sample or None, again=args.again, outside=outside, where=where)
    report = table(found, where.relative_to(ROOT))
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "mutate.md").write_text(report, encoding="utf-8")
    print("== every module\n" + report + "\n(written to build/mutate.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
