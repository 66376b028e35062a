"""make mutate's table: each core module maps to real files, and the rate leaves equivalent mutants out."""

from __future__ import annotations

from collections import Counter

from tests.mutate import MODULES, ROOT, Outcome, equivalents, table


def test_every_module_and_test_selection_exists() -> None:
    for module, (source, tests) in MODULES.items():
        assert list(ROOT.glob(source)), f"{module}: no file {source}"
        for path in tests:
            assert (ROOT / path).exists(), f"{module}: no test file {path}"
        assert any(t.startswith("tests/test_") for t in tests), f"{module}: no test file selected"


def test_the_rate_counts_timeouts_as_caught_and_leaves_equivalents_out() -> None:
    outcome = Outcome(
        "demo",
        counts=Counter({"killed": 15, "timeout": 2, "survived": 3}),
        survivors=["kg.demo.x_f__mutmut_1", "kg.demo.x_f__mutmut_2", "kg.demo.x_g__mutmut_7"],
        equivalent={"kg.demo.x_h__mutmut_4": "a cache size: any size gives the same answers"},
    )
    assert outcome.rate == 17 / 20
    lines = table([outcome]).splitlines()
    assert lines[2] == "| demo | 21 | 15 | 2 | 3 | 1 | 0 | 85% | 0.0 |"
    assert "- kg.demo.x_g__mutmut_7" in lines


def test_the_equivalent_mutants_each_say_why() -> None:
    for name, why in equivalents().items():
        assert name.startswith("kg.") and len(why.split()) >= 4, f"{name}: say why it cannot change behaviour"
