"""Benchmark: synthetic corpora of growing size, every target of the scale work side by side.

Run with ``make bench`` (``python tests/bench.py --sizes 50 500 1600 5000``). Each size is a
corpus written by ``kg synth`` (×10, ×100, ×1000 the five seed articles, and 1,600
articles: about a million triples, where the targets are set), and each figure
is measured in a fresh child process, so that its peak memory (RSS) is its own:

- check + build, cold (no build folder); ``kg check`` with nothing changed; check + build
  after one article changed;
- ``kg query`` end to end from the command line, a selective question (one actor's
  dossier) and a whole-graph one (the strongest ties);
- every named question through the API against the same SPARQL on raw pyoxigraph (the
  API's cost: parameters, labels, the DataFrame), and on rdflib's own engine where a
  corpus is small enough for it;
- the actor network: projection and centrality; the network view and its page size.

It prints one Markdown table per size (median, min, max over the rounds, peak RSS,
triples per second where it applies, the target and whether it is met) and saves them to
``build/bench.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).parent / "kg"

# (measure, target in seconds or None, what the target says)
TARGETS = {
    "cold check + build": (60.0, "≤ 60 s"),
    "check, nothing changed": (1.0, "≤ 1 s"),
    "one article changed: check + build": (3.0, "≤ 3 s"),
    "kg query, selective (CLI)": (1.0, "≤ 1 s"),
    "kg query, whole graph (CLI)": (1.0, "≤ 1 s"),
    "network projection + centrality": (10.0, "≤ 10 s"),
    "kg view network": (5.0, "≤ 5 s, page ≤ 5 MB"),
}


# ---------------------------------------------------------------- the runs (in a child process)


def _build(project: str) -> dict[str, Any]:
    from kg.build import build_project
    from kg.project import Project

    start = time.perf_counter()
    result = build_project(Project.at(project))
    seconds = time.perf_counter() - start
    triples = result.counts["default graph"] + result.counts["article graphs"]
    return {"seconds": seconds, "triples": triples, "per_second": triples / seconds}


def _check(project: str) -> dict[str, Any]:
    from kg.check import check_project
    from kg.project import Project

    start = time.perf_counter()
    check_project(Project.at(project))
    return {"seconds": time.perf_counter() - start}


def _cli(spec: str) -> dict[str, Any]:
    project, *args = json.loads(spec)
    start = time.perf_counter()
    done = subprocess.run([str(KG), "--project", project, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return {
        "seconds": time.perf_counter() - start,
        "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _questions(project: str) -> dict[str, Any]:
    """Every named question through the API and on raw pyoxigraph (and rdflib if asked)."""
    import pyoxigraph as ox

    from kg.namespaces import PREFIXES
    from kg.query import bind, connect, read_queries

    build = Path(project) / "build"
    params = json.loads((Path(project) / "bench-params.json").read_text(encoding="utf-8"))
    conn = connect(build, max_rows=10**7, timeout=600)
    raw = ox.Store.read_only(str(build / "store" / "db"))
    with_rdflib = os.environ.get("BENCH_RDFLIB") == "1"
    slow = connect(build, engine="rdflib", max_rows=10**7, timeout=600) if with_rdflib else None
    found: dict[str, Any] = {}
    for name, q in read_queries().items():
        given = {k: v for k, v in params.items() if k in q.params}
        conn.run(q, **given)  # warm: the first run pays for opening and caches
        start = time.perf_counter()
        frame = conn.run(q, **given)
        api = time.perf_counter() - start
        sparql = bind(q.text, conn.bindings(q, **given))
        start = time.perf_counter()
        rows = list(raw.query(sparql, prefixes=PREFIXES))
        bare = time.perf_counter() - start
        entry = {"api": api, "raw": bare, "rows": len(frame), "raw_rows": len(rows), "selective": bool(given)}
        if slow is not None:
            start = time.perf_counter()
            slow.run(q, **given)
            entry["rdflib"] = time.perf_counter() - start
        found[name] = entry
    return {"questions": found}


def _network(project: str) -> dict[str, Any]:
    from kg.network import centrality
    from kg.network import project as projection
    from kg.query import connect

    conn = connect(Path(project) / "build", timeout=600)
    start = time.perf_counter()
    G = projection(conn)
    centrality(G)
    return {"seconds": time.perf_counter() - start, "actors": G.number_of_nodes(), "ties": G.number_of_edges()}


def _view(project: str) -> dict[str, Any]:
    import warnings

    from kg.network import project as projection
    from kg.query import connect
    from kg.views import TOP_ACTORS, TOP_TIES, network_view

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G = projection(connect(Path(project) / "build", timeout=600))
        # as kg view network draws it by default: the actors with the most ties, when there are more
        page = network_view(G, top=TOP_ACTORS, max_ties=TOP_TIES).save(Path(project) / "view.html")
    return {"seconds": time.perf_counter() - start, "mb": page.stat().st_size / 1e6}


RUNS: dict[str, Callable[[str], dict[str, Any]]] = {
    "build": _build,
    "check": _check,
    "cli": _cli,
    "questions": _questions,
    "network": _network,
    "view": _view,
}


def measure(run: str, arg: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh Python process; its figures and its peak memory."""
    environment = {k: v for k, v in os.environ.items() if k != "KG_SOURCES"} | (env or {})
    done = subprocess.run(
        [sys.executable, __file__, "--child", run, arg], capture_output=True, text=True, check=False, env=environment
    )
    if done.returncode != 0:
        raise SystemExit(f"the {run} run failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


# ---------------------------------------------------------------- one size


def corpus(dest: Path, articles: int, seed: int) -> tuple[Path, float]:
    start = time.perf_counter()
    subprocess.run(
        [str(KG), "--project", str(ROOT), "synth", "--articles", str(articles), "--seed", str(seed), str(dest)],
        check=True,
        capture_output=True,
    )
    return dest, time.perf_counter() - start


def parameters(project: Path) -> dict[str, str]:
    """Values for the named questions' parameters that fit the corpus: its busiest actor, and so on."""
    import pyoxigraph as ox

    from kg.namespaces import PREFIXES

    store = ox.Store.read_only(str(project / "build" / "store" / "db"))

    def first(sparql: str) -> str:
        row = next(iter(store.query(sparql, prefixes=PREFIXES)))
        return str(row[0].value)

    busiest = first("SELECT ?a WHERE { ?f kg:actor ?a } GROUP BY ?a ORDER BY DESC(COUNT(?f)) LIMIT 1")
    # a selective question asks about a typical well-covered actor (at the 90th percentile of
    # facts), not the busiest one, whose dossier holds a large share of a heavy-tailed corpus
    ranked = [
        str(row[0].value)
        for row in store.query(
            "SELECT ?a WHERE { ?f kg:actor ?a } GROUP BY ?a ORDER BY DESC(COUNT(?f)) ?a", prefixes=PREFIXES
        )
    ]
    actor = ranked[len(ranked) // 10]
    fact = first("SELECT ?f WHERE { ?f kg:articleCount ?n } ORDER BY DESC(?n) ?f LIMIT 1")
    place = first("SELECT ?p WHERE { ?f kg:place ?p } GROUP BY ?p ORDER BY DESC(COUNT(?f)) LIMIT 1")
    day = first("SELECT ?d WHERE { ?f kg:eventType kg:CONSULT ; kg:date ?d ; kg:datePrecision kg:Day } LIMIT 1")
    found = {
        "actor": actor,
        "busiest": busiest,
        "target": actor,
        "fact": fact,
        "place": place,
        "day": day,
        "type": "kg:ACCUSE",
    }
    found |= {"from": "2020-01-01", "to": "2020-12-31", "min": "3"}
    (project / "bench-params.json").write_text(json.dumps(found), encoding="utf-8")
    return found


def rounds_of(run: str, arg: str, rounds: int, before: Callable[[], None] = lambda: None) -> list[dict[str, Any]]:
    results = []
    for _ in range(rounds):
        before()
        results.append(measure(run, arg))
    return results


def row(name: str, results: list[dict[str, Any]], key: str = "seconds", note: str = "") -> str:
    values = [r[key] for r in results]
    target, says = TARGETS.get(name, (None, ""))
    median = statistics.median(values)
    peak = max(r.get("child_mb", r["peak_mb"]) for r in results)  # a command's own memory, not the harness's
    per = [r["per_second"] for r in results if "per_second" in r]
    met = "" if target is None else ("yes" if median <= target else "**no**")
    rate = f"{statistics.median(per):,.0f}" if per else ""
    return (
        f"| {name} | {median:.2f} | {min(values):.2f} | {max(values):.2f} | {peak:,.0f} | {rate} | {says} | {met} |"
        + (f" {note}" if note else "")
    )


def bench_size(articles: int, rounds: int, seed: int, tmp: Path) -> str:
    project, made = corpus(tmp / f"corpus-{articles}", articles, seed)
    build = project / "build"
    cold = rounds_of("build", str(project), rounds, lambda: shutil.rmtree(build, ignore_errors=True))
    triples = cold[0]["triples"]
    unchanged = rounds_of("check", str(project), rounds)
    first = sorted((project / "data" / "articles").glob("*.ttl"))[0]

    def touch_one() -> None:
        text = first.read_text(encoding="utf-8")
        first.write_text(text.replace('kg:dateText "', 'kg:dateText "(as edited) ', 1), encoding="utf-8")

    changed = rounds_of("build", str(project), rounds, touch_one)
    params = parameters(project)
    selective = rounds_of(
        "cli", json.dumps([str(project), "query", "actor-dossier", "-p", f"actor={params['actor']}"]), rounds
    )
    busiest = rounds_of(
        "cli", json.dumps([str(project), "query", "actor-dossier", "-p", f"actor={params['busiest']}"]), rounds
    )
    whole = rounds_of("cli", json.dumps([str(project), "query", "strongest-ties", "--format", "csv"]), rounds)
    env = {"BENCH_RDFLIB": "1"} if triples <= 300_000 else {}
    questions = measure("questions", str(project), env)["questions"]
    network = rounds_of("network", str(project), rounds)
    view = rounds_of("view", str(project), 1)

    ratios = [q["api"] / q["raw"] for q in questions.values() if q["raw"] > 0]
    fast_selective = sum(1 for q in questions.values() if q["selective"] and q["api"] <= 0.1)
    n_selective = sum(1 for q in questions.values() if q["selective"])
    fast_whole = sum(1 for q in questions.values() if not q["selective"] and q["api"] <= 1.0)
    n_whole = len(questions) - n_selective
    lines = [
        f"### {articles:,} articles ({triples:,} triples; written by kg synth in {made:.1f} s)",
        "",
        "| measure | median s | min s | max s | peak MB | triples/s | target | met |",
        "|---|---|---|---|---|---|---|---|",
        row("cold check + build", cold),
        row("check, nothing changed", unchanged),
        row("one article changed: check + build", changed),
        row("kg query, selective (CLI)", selective, note="(a typical actor's dossier: the 90th percentile)"),
        row("kg query, the busiest actor's dossier (CLI)", busiest),
        row("kg query, whole graph (CLI)", whole),
        row(
            "network projection + centrality",
            network,
            note=f"({network[0]['actors']:,} actors, {network[0]['ties']:,} ties)",
        ),
        row("kg view network", view, note=f"(page {view[0]['mb']:.1f} MB)"),
        "",
        f"- the API over raw pyoxigraph, same SPARQL, {len(ratios)} named questions: median "
        f"{statistics.median(ratios):.1f}× (max {max(ratios):.1f}×; target ≤ 1.5×)",
        f"- selective questions within 100 ms: {fast_selective} of {n_selective}; whole-graph within 1 s: "
        f"{fast_whole} of {n_whole}",
    ]
    if all("rdflib" in q for q in questions.values()):
        api = sum(q["api"] for q in questions.values())
        slow = sum(q["rdflib"] for q in questions.values())
        ratio = slow / api
        lines.append(
            f"- rdflib's own engine, the same questions: {slow:.1f} s, against {api:.2f} s through the API "
            f"({ratio:.0f}×)"
        )
    slowest = sorted(questions.items(), key=lambda kv: -kv[1]["api"])[:3]
    lines.append(
        "- slowest through the API: " + ", ".join(f"{n} {q['api']:.2f} s ({q['rows']:,} rows)" for n, q in slowest)
    )
    shutil.rmtree(project, ignore_errors=True)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 500, 1600, 5000], help="articles per corpus")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per measure (1 above 1,000 articles)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.md")
    parser.add_argument("--child", nargs=2, metavar=("RUN", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = RUNS[args.child[0]](args.child[1])
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    report = [f"## kg bench, {time.strftime('%Y-%m-%d')} ({machine})", ""]
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            table = bench_size(size, args.rounds if size <= 1000 else 1, args.seed, Path(tmp))
            print(table, flush=True)
            report.append(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(report), encoding="utf-8")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
