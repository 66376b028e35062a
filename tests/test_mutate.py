"""make mutate's table: each core module maps to real files, and the rate leaves equivalent mutants out."""

from __future__ import annotations

import re
from collections import Counter

from tests.mutate import MODULES, OUTSIDE, ROOT, Outcome, equivalents, selection, table


def test_every_module_and_test_selection_exists() -> None:
    for module, source in MODULES.items():
        assert list(ROOT.glob(source)), f"{module}: no file {source}"
    chosen = selection()
    assert chosen[:2] == ["kg", "tests"] and "--ignore=tests/test_notebooks.py" in chosen
    assert not any(a.startswith("--ignore") and "test_network" in a for a in chosen)
    assert all((ROOT / "tests" / name).exists() for name in OUTSIDE), "a file left out that is not there"


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
