"""The charts: the values a browser plots are the facts' own, counted here independently."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import InputError
from kg.network import add_tie, balance_by_month, example_network, project
from kg.views import activity_chart, article_info, balance_chart
from kg.views.charts import activity_by_article, monthly_balance
from tests.test_timeline import HOSTILE, console_errors, open_page, outgoing_requests
from tests.test_timeline import browser as browser  # the fixture, shared

TRUMP, PETRO = "ent:donald-trump", "ent:gustavo-petro"


@pytest.fixture(scope="module")
def seed(built: Path) -> tuple[nx.MultiDiGraph, dict[str, Any]]:
    conn = kg.connect(built)
    return project(conn), article_info(conn)


def plotted(driver: Any) -> dict[str, dict[str, list[Any]]]:
    """Each trace's x and y as the browser holds them once drawn, by trace name."""
    traces = driver.execute_script("return kgChart.div.data.map(t => [t.name, t.x, t.y])")
    return {name: {"x": x, "y": y} for name, x, y in traces}


def by_month_by_hand(G: nx.MultiDiGraph, a: str, b: str) -> dict[str, list[float]]:
    """Cooperation, conflict and facts by month between ``a`` and ``b``: every fact within one month."""
    months: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for u, v, d in G.edges(data=True):
        if {u, v} != {a, b}:
            continue
        for f in d["facts"]:
            first, last = f["first"], f["last"]
            if first and last and first.strftime("%Y-%m") == last.strftime("%Y-%m"):
                months[first.strftime("%Y-%m")][0 if f["score"] > 0 else 1] += f["score"]
                months[first.strftime("%Y-%m")][2] += 1
    return dict(sorted(months.items()))


def test_the_pair_chart_plots_the_balance_by_month(browser: Any, seed: tuple[nx.MultiDiGraph, Any]) -> None:
    G = seed[0]
    expected = by_month_by_hand(G, TRUMP, PETRO)
    # the day of the White House meeting: the meeting and the talks (CONSULT 2.5 each), the
    # promise (AGREE 2.5), the work on the drug flow (COOPERATE 9.5), each saying it went well (SUPPORT 5 twice)
    assert expected["2026-02"] == [2.5 + 2.5 + 2.5 + 9.5 + 5 + 5, 0.0, 6]
    open_page(browser, balance_chart(G, TRUMP, PETRO), "kgChart")
    drawn = plotted(browser)
    months = list(expected)
    assert drawn["cooperation"] == {"x": months, "y": [c for c, _, _ in expected.values()]}
    assert drawn["conflict"] == {"x": months, "y": [x for _, x, _ in expected.values()]}
    assert drawn["net (sum)"]["y"] == [c + x for c, x, _ in expected.values()]
    # and the table says the same
    table = balance_by_month(G, TRUMP, PETRO)
    assert table["month"].tolist() == months and table["facts"].tolist() == [n for _, _, n in expected.values()]
    bars = browser.execute_script(
        "return [...document.querySelectorAll('.barlayer .point path')].filter(p => p.getBBox().height > 1).length"
    )
    assert bars == sum(1 for c, x, _ in expected.values() for v in (c, x) if v)
    heading = browser.find_element("id", "kg-title").text
    assert heading == "Cooperation and conflict between Donald Trump and Gustavo Petro, by month"
    placed = sum(n for _, _, n in expected.values())
    assert browser.find_element("id", "kg-note").text.startswith(f"{placed} of ")
    ticks = browser.execute_script("return [...document.querySelectorAll('.xtick text')].map(t => t.textContent)")
    assert ticks[0] == "Jan 2025" and ticks[-1] == "Feb 2026" and len(ticks) == len(set(ticks)) == 14
    assert outgoing_requests(browser) == [] and console_errors(browser) == []


def test_the_whole_network_counts_each_fact_once() -> None:
    G = example_network()
    # a meeting of Ann, Bob and Cid on 20 March (CONSULT 2.5): three edges, one fact
    day = datetime.date(2026, 3, 20)
    meeting = {
        "fact": "summit", "label": "summit", "type": "CONSULT", "date": day, "when": "2026-03-20", "first": day,
        "last": day, "modality": "actual", "score": 2.5,
        "evidence": [{"article": "art:y", "quote": "summit", "modality": "actual", "when": "2026-03-20"}],
    }  # fmt: skip
    for a, b in (("ann", "cid"), ("bob", "cid"), ("cid", "bob")):
        add_tie(G, a, b, "metWith", [meeting])
    frame = monthly_balance(G)
    # March: the accusation (-2) and the sanction (-6), and the summit once
    assert frame[frame["month"] == "2026-03"][["cooperation", "conflict", "facts"]].values.tolist() == [[2.5, -8.0, 3]]
    assert frame["facts"].sum() == 5  # two meetings, the accusation, the sanction, the summit
    with pytest.raises(InputError, match="two actors or none"):
        balance_chart(G, "ann")


def test_a_fact_counts_in_the_month_any_of_its_edges_places_it(seed: tuple[nx.MultiDiGraph, Any]) -> None:
    G, _ = seed
    # the Treasury's sanctions on Petro: 004 dates them to October 2025 (its edge is OFAC and the
    # United States to Petro); 003 names Trump as the one who imposed them, dated only "before" the
    # meeting. Counted once, in October, whichever edge comes first.
    october = monthly_balance(G).set_index("month").loc["2025-10"]
    assert (october["conflict"], october["facts"]) == (-6.0, 1)  # SANCTION, reported as done


def test_activity_counts_each_articles_facts_as_the_dataset_records_them(
    seed: tuple[nx.MultiDiGraph, Any], store: ox.Store
) -> None:
    G = seed[0]
    facts = {f["fact"] for _, _, d in G.edges(data=True) for f in d["facts"]}
    reported: dict[str, set[str]] = defaultdict(set)
    rows = store.query(
        "SELECT ?article ?fact WHERE { GRAPH ?article { ?fact <http://www.w3.org/ns/prov#wasDerivedFrom> ?e } }"
    )
    for row in rows:  # type: ignore[union-attr]
        article = "art:" + row[0].value.rsplit("/", 1)[1]  # type: ignore[index]
        fact = "fact:" + row[1].value.rsplit("/", 1)[1]  # type: ignore[index]
        if fact in facts:
            reported[article].add(fact)
    by_sign = activity_by_article(G, by="sign")
    assert by_sign.groupby("article")["facts"].sum().to_dict() == {a: len(f) for a, f in reported.items()}
    by_type = activity_by_article(G, by="type")
    assert by_type.groupby("article")["facts"].sum().to_dict() == {a: len(f) for a, f in reported.items()}
    conflict = {f["fact"] for _, _, d in G.edges(data=True) for f in d["facts"] if f["score"] < 0}
    assert by_sign[by_sign["sign"] == "conflict"].set_index("article")["facts"].to_dict() == {
        a: len(f & conflict) for a, f in reported.items() if f & conflict
    }


def test_the_activity_chart_names_articles_as_text(browser: Any) -> None:
    articles = {"art:x": {"title": HOSTILE["href"] + HOSTILE["bold"], "date": "2026-03-03"}}
    open_page(browser, activity_chart(example_network(), by="sign", articles=articles), "kgChart")
    labels = browser.execute_script("return [...document.querySelectorAll('.ytick text')].map(t => t.textContent)")
    assert labels == [(HOSTILE["href"] + HOSTILE["bold"])[:55] + "\u2026"]
    drawn = plotted(browser)
    assert drawn["cooperation"]["x"] == [2] and drawn["conflict"]["x"] == [2]
    assert browser.execute_script("return document.querySelectorAll('img, svg a, b, br').length") == 0
    assert console_errors(browser) == []


def test_kg_chart_writes_one_file_per_chart(project: kg.Project, built: Path, tmp_path: Path) -> None:
    for name in ("ontology.ttl", "data", "pyproject.toml"):
        (tmp_path / name).symlink_to(project.root / name)
    (tmp_path / "build").symlink_to(built, target_is_directory=True)

    def run(*args: str) -> Any:
        return CliRunner().invoke(main, ["--project", str(tmp_path), "chart", *args])

    result = run("balance", "Trump", "Petro")
    assert result.exit_code == 0, result.output
    pair = built / "charts" / "balance-donald-trump-gustavo-petro.html"
    assert result.output.strip() == str(tmp_path / "build" / "charts" / pair.name) and pair.is_file()
    data = json.loads(pair.read_text(encoding="utf-8").split('id="kg-data">')[1].split("</script>")[0])
    assert data["table"] == json.loads(balance_by_month(project_of(built), TRUMP, PETRO).to_json(orient="records"))
    out = tmp_path / "activity.html"
    assert run("activity", "--by", "sign", "-o", str(out)).exit_code == 0 and out.is_file()
    bad = run("balance", "Trump")
    assert bad.exit_code == 2 and "balance takes two actors or none, got 1" in bad.output


def project_of(built: Path) -> nx.MultiDiGraph:
    return project(kg.connect(built))
