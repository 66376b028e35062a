"""Benchmark: check and build a corpus many times the seed, against a baseline, side by side.

Run with ``make bench`` (or ``python tests/bench.py --copies 1000``). The corpus is the
five seed articles copied N times with their fact, evidence and article ids renamed per
copy (the registry is shared), so a copy of 1000 gives about three million triples.

Each measurement runs in a fresh child process, so that its peak memory is its own.

- **kg**: ``check_project`` + ``build_project`` (Oxigraph parsing, shapes compiled to
  SPARQL, rules, canonical output), cold; then again after one article changed.
- **baseline**: the straightforward pipeline this project started from — rdflib parses
  each file and pySHACL validates it with the registry and ontology beside it — on the
  same corpus where it finishes in reasonable time (``--baseline-copies``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(dest: Path, copies: int) -> Path:
    """Write a project of ``copies`` renamed copies of the seed articles into ``dest``."""
    (dest / "data" / "articles").mkdir(parents=True)
    (dest / "sources").mkdir()
    shutil.copy(ROOT / "ontology.ttl", dest / "ontology.ttl")
    shutil.copy(ROOT / "data" / "entities.ttl", dest / "data" / "entities.ttl")
    (dest / "pyproject.toml").write_text('[tool.kg]\nsources = "sources"\n', encoding="utf-8")
    articles = sorted((ROOT / "data" / "articles").glob("*.ttl"))
    texts = {p.name: p.read_bytes() for p in _sources().glob("*.txt")}
    for k in range(copies):
        for path in articles:
            text = path.read_text(encoding="utf-8")
            for space in ("fact", "evidence", "article"):
                text = text.replace(
                    f"<https://w3id.org/newskg/id/{space}/>", f"<https://w3id.org/newskg/id/{space}/c{k}/>"
                )
            text = re.sub(r'kg:sourceFile "([^"]+)"', rf'kg:sourceFile "c{k}-\1"', text)
            (dest / "data" / "articles" / f"c{k:04d}-{path.name}").write_text(text, encoding="utf-8")
        for name, body in texts.items():
            (dest / "sources" / f"c{k}-{name}").write_bytes(body)
    return dest


def _sources() -> Path:
    """The seed articles' texts (KG_SOURCES or the project's setting); without them, quotes go unverified."""
    from kg.project import Project

    return Project.at(ROOT).sources


def _kg_build(project_dir: str) -> dict[str, Any]:
    from kg.build import build_project
    from kg.project import Project

    start = time.perf_counter()
    result = build_project(Project.at(project_dir))
    return {
        "seconds": time.perf_counter() - start,
        "triples": result.counts["default graph"] + result.counts["article graphs"],
        "unverified": len(result.unverified),
    }


def _baseline(project_dir: str) -> dict[str, Any]:
    import pyshacl
    from rdflib import RDF, Graph

    start = time.perf_counter()
    root = Path(project_dir)
    ontology = Graph().parse(root / "ontology.ttl")
    registry = Graph().parse(root / "data" / "entities.ttl")
    files = [Graph().parse(p) for p in sorted((root / "data" / "articles").glob("*.ttl"))]
    parsed = time.perf_counter() - start
    types = Graph()
    for g in files:
        for t in g.triples((None, RDF.type, None)):
            types.add(t)
    context = registry + types + ontology
    for g in files:
        pyshacl.validate(g + context, shacl_graph=ontology, inference="none")
    return {"seconds": time.perf_counter() - start, "parse": parsed, "triples": sum(len(g) for g in files)}


def synthetic_network(n: int) -> Any:
    """A random actor network of ``n`` actors, three ties each on average (seeded)."""
    import random

    import networkx as nx

    rng = random.Random(42)
    G = nx.MultiDiGraph()
    for i in range(n):
        G.add_node(f"a{i}", label=f"Actor {i}", kind=rng.choice(["person", "organisation", "group", "country"]))
    for i in range(1, n):
        for j in {rng.randrange(i) for _ in range(3)}:
            score = rng.choice([2.5, 5.0, -2.0, -6.0])
            fact = {
                "fact": f"f{i}-{j}",
                "label": "a fact",
                "type": "CONSULT",
                "date": None,
                "modality": "actual",
                "score": score,
                "evidence": [{"article": "art:x", "quote": "a quote"}],
            }
            G.add_edge(
                f"a{i}",
                f"a{j}",
                key="metWith",
                relation="metWith",
                score=score,
                sign=1 if score > 0 else -1,
                count=1,
                articles=1,
                first=None,
                last=None,
                event_types=["CONSULT"],
                modalities=["actual"],
                facts=[fact],
            )
    return G


def _view(spec: str) -> dict[str, Any]:
    """Open a view of a synthetic network in headless Chromium; time until it is still."""
    import warnings

    from chromium import start_chromium  # tests/chromium.py, beside this script

    from kg.views import network_view

    n, mode = spec.split(":")
    G = synthetic_network(int(n))
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        view = network_view(G, layout_threshold=300 if mode == "kg" else 10**9)
    rendered = time.perf_counter() - start
    folder = Path(tempfile.mkdtemp())
    page = view.save(folder / "view.html")
    driver = start_chromium(folder / "profile", offline=False)
    try:
        start = time.perf_counter()
        driver.get(page.as_uri())
        while not driver.execute_script("return !!(window.kgView && window.kgView.still)"):
            if time.perf_counter() - start > 600:
                break
            time.sleep(0.05)
        still = time.perf_counter() - start
    finally:
        driver.quit()
    return {"seconds": still, "python": rendered, "mb": page.stat().st_size / 1e6}


RUNS: dict[str, Callable[[str], dict[str, Any]]] = {"kg": _kg_build, "baseline": _baseline, "view": _view}


def measure(run: str, project: Path) -> dict[str, Any]:
    """Run one measurement in a fresh Python process; return its figures and peak memory."""
    # the corpus has its own texts: KG_SOURCES, if set, named the seed's
    env = {k: v for k, v in os.environ.items() if k != "KG_SOURCES"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", run, str(project)], capture_output=True, text=True, check=False, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"the {run} run failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def change_one_article(project: Path) -> None:
    first = sorted((project / "data" / "articles").glob("*.ttl"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace('kg:note "', 'kg:note "(edited) ', 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="*", default=[330, 1000], help="copies of the seed corpus for kg")
    parser.add_argument("--baseline-copies", type=int, default=5, help="copies for the side-by-side run")
    parser.add_argument("--views", type=int, default=2000, help="actors in the synthetic network view (0: skip)")
    parser.add_argument("--child", nargs=2, metavar=("RUN", "PROJECT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = RUNS[args.child[0]](args.child[1])
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        small = make_corpus(Path(tmp) / "small", args.baseline_copies)
        kg_small = measure("kg", small)
        base_small = measure("baseline", small)
        if kg_small["unverified"]:
            print(f"(the article texts are not in {_sources()}: quotes go unverified; set KG_SOURCES)")
        print(
            f"side by side, {args.baseline_copies} copies ({kg_small['triples']:,} triples in the dataset, "
            f"{base_small['triples']:,} curated):"
        )
        print(f"  {'':28}{'seconds':>10}{'peak MB':>10}")
        print(
            f"  {'baseline (rdflib+pySHACL)':28}{base_small['seconds']:>10.2f}{base_small['peak_mb']:>10.0f}"
            f"   (parsing alone {base_small['parse']:.2f} s)"
        )
        print(f"  {'kg check + build':28}{kg_small['seconds']:>10.2f}{kg_small['peak_mb']:>10.0f}")
        print(
            f"  baseline / kg: {base_small['seconds'] / kg_small['seconds']:.1f}x the time, "
            f"{base_small['peak_mb'] / kg_small['peak_mb']:.1f}x the memory"
        )
        shutil.rmtree(small)

        per_triple = base_small["seconds"] / base_small["triples"]
        for copies in args.copies:
            big = make_corpus(Path(tmp) / f"big{copies}", copies)
            cold = measure("kg", big)
            print(f"\nkg at {copies} copies ({cold['triples']:,} triples in the dataset):")
            print(f"  cold check + build      {cold['seconds']:>8.1f} s   peak {cold['peak_mb']:,.0f} MB")
            print(f"  baseline, extrapolated  {per_triple * cold['triples']:>8.0f} s   (from its rate above; not run)")
            same = measure("kg", big)
            print(f"  nothing changed         {same['seconds']:>8.1f} s   peak {same['peak_mb']:,.0f} MB")
            change_one_article(big)
            again = measure("kg", big)
            print(f"  one article changed     {again['seconds']:>8.1f} s   peak {again['peak_mb']:,.0f} MB")
            shutil.rmtree(big)
        print("\ntarget: >= 1M triples checked and built in under 60 s; one changed article in seconds")
    if args.views and shutil.which("chromium"):
        print(f"\nview of a synthetic network of {args.views} actors in headless Chromium (open until still):")
        for mode, what in (("kg", "layout computed in Python"), ("browser", "physics in the browser, 200 steps")):
            result = measure("view", Path(f"{args.views}:{mode}"))
            print(
                f"  {what:34} {result['seconds']:>7.1f} s  (page {result['mb']:.1f} MB, "
                f"made in {result['python']:.1f} s)"
            )


if __name__ == "__main__":
    main()
