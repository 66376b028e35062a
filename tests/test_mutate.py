"""make mutate's table: each core module maps to real files, and the rate leaves equivalent mutants out."""

from __future__ import annotations

import fnmatch
import re
from collections import Counter

from tests.mutate import MODULES, ROOT, TESTS, Outcome, equivalents, in_specification, module_of, selection, table

# they run kg in a subprocess, a kernel or a server of their own
IN_A_PROCESS_OF_THEIR_OWN = {
    f"tests/{name}"
    for name in (
        "test_bench.py",
        "test_lab.py",
        "test_notebooks.py",
        "test_standalone.py",
        "test_virtuoso.py",
        "test_serve_named.py",
        "test_magic.py",
    )
}


def test_every_module_and_its_specification_exist_and_run_kg_in_process() -> None:
    for module, source in MODULES.items():
        assert list(ROOT.glob(source)), f"{module}: no file {source}"
        assert fnmatch.fnmatch(TESTS[module][0] + ("/x.py" if "*" in source else ""), source), module  # its doctests
        for path in TESTS[module]:
            assert (ROOT / path).exists(), f"{module}: no {path}"
            assert path not in IN_A_PROCESS_OF_THEIR_OWN, f"{module}: {path} cannot see a mutant"
    assert set(TESTS) == set(MODULES)
    assert selection(["serve", "site"]) == [
        "kg/serve.py",
        "kg/site",
        "tests/test_serve_wsgi.py",
        "tests/test_site.py",
        "tests/test_site_pages.py",
    ]


def test_a_mutant_runs_against_its_own_modules_specification() -> None:
    assert module_of("kg.views.network.x_network_view__mutmut_7") == "views-network"
    assert module_of("kg.site.render.xǁPagesǁwrite__mutmut_2") == "site"
    assert in_specification("views-network", "tests/test_view_data.py::test_a_tie_carries_its_summary")
    assert not in_specification("views-network", "tests/test_timeline.py::test_x")
    assert not in_specification("views-network", "kg/views/timeline.py::kg.views.timeline.timeline_view")


def test_the_rate_counts_timeouts_as_caught_and_leaves_equivalents_out() -> None:
    outcome = Outcome(
        "demo",
        counts=Counter({"killed": 15, "timeout": 2, "survived": 2, "no tests": 1}),
        survivors=["kg.demo.x_f__mutmut_1", "kg.demo.x_f__mutmut_2", "kg.demo.x_g__mutmut_7"],
        equivalent={"kg.demo.x_h__mutmut_4": "a cache size: any size gives the same answers"},
        outside={"kg.demo.x_w__mutmut_2": "stacklevel=3: test_demo.py::test_where_it_points fails"},
        population=40,
    )
    assert outcome.rate == 17 / 20
    lines = table([outcome]).splitlines()
    # 17 of 20 caught: Wilson's 95 % interval (p + z²/2n ± z·√(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.96
    assert lines[2] == "| demo | 22 (of 40) | 15 | 2 | 2 | 1 | 1 | 1 | 0 | 85% | 64%–95% |"
    assert "- kg.demo.x_g__mutmut_7" in lines
    assert "- kg.demo.x_w__mutmut_2: stacklevel=3: test_demo.py::test_where_it_points fails" in lines


def test_the_equivalent_mutants_each_say_why() -> None:
    for name, why in equivalents().items():
        assert name.startswith("kg.") and len(why.split()) >= 4, f"{name}: say why it cannot change behaviour"


def test_a_mutant_judged_outside_mutmut_names_an_existing_test_that_mutmut_skips() -> None:
    for name, why in equivalents("outside").items():
        path, test = re.search(r"(tests/test_\w+\.py)::(test_\w+)", why).groups()  # type: ignore[union-attr]
        source = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"@pytest\.mark\.stack\s*\ndef {test}\(", source), f"{name}: {path}::{test}"
