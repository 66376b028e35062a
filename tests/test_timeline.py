"""The timeline page, opened in a real headless Chromium with its network cut off.

The boxes, texts and ticks are measured as the browser draws them (SVG bounding boxes);
the quotes are checked against the network's own facts and the articles' metadata.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import Select

import kg
from kg.cli import main
from kg.errors import InputError
from kg.network import add_tie, example_network, project
from kg.views import View, article_info, timeline_view
from kg.views.charts import TYPE_WORDS
from kg.views.timeline import timeline_items
from tests.chromium import console_errors, headless, outgoing_requests

HOSTILE = {
    "script": "</script><script>document.title='pwned'</script>",
    "img": "<img src=x onerror=\"document.title='pwned'\">",
    "href": "<a href=\"javascript:document.title='pwned'\">link</a>",
    "bold": "<b>bold</b> &amp; <br>",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with headless() as driver:
        driver.kg_pages = driver.kg_profile / "pages"  # where open_page saves the pages it opens
        driver.kg_pages.mkdir()
        yield driver


def open_page(driver: Any, page: View, ready: str = "kgTimeline") -> Path:
    """Open ``page``, saved at the one address the tests use for its kind, and wait until it is drawn.

    Chromium compiles plotly.js (4.8 MB) for a page once per address, in 4 s here; a page of
    the same kind at the same address is drawn in under a second.
    """
    driver.get_log("performance")  # forget what came before
    driver.get_log("browser")
    target = page.save(driver.kg_pages / f"{ready}.html")
    driver.get(target.as_uri())
    wait(driver, ready)
    return target


def wait(driver: Any, ready: str = "kgTimeline") -> None:
    deadline = time.monotonic() + 30
    while not driver.execute_script(f"return !!(window.{ready} && window.{ready}.still)"):
        assert time.monotonic() < deadline, "the page did not become still"
        time.sleep(0.05)


# each bar and each text as drawn: its item (the fact's id), its box on the screen
DRAWN = """
const items = window.kgTimeline.data.items, gd = window.kgTimeline.div;
const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const bars = [], texts = [];
gd.querySelectorAll('.barlayer .trace').forEach((trace, t) => {
  trace.querySelectorAll('.point').forEach(p => bars.push([items[gd.data[t].customdata[p.__data__.i]].fact, box(p)]));
});
gd.querySelectorAll('.scatterlayer .trace .textpoint').forEach(p => {
  const data = gd.data[gd.data.length - 1];
  texts.push([items[data.customdata[p.__data__.i]].fact, box(p.querySelector('text'))]);
});
return [bars, texts];
"""


def overlap(a: list[float], b: list[float]) -> bool:
    """Whether two boxes share more than half a pixel each way (touching is not overlapping)."""
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def drawn(driver: Any) -> tuple[list[tuple[str, list[float]]], list[tuple[str, list[float]]]]:
    bars, texts = driver.execute_script(DRAWN)
    return [(f, b) for f, b in bars], [(f, b) for f, b in texts]


def width(boxes: list[tuple[str, list[float]]], fact: str) -> float:
    (found,) = {round(b[2] - b[0], 2) for f, b in boxes if f == fact}  # the same in every lane
    return found


@pytest.fixture(scope="module")
def seed(built: Path) -> tuple[nx.MultiDiGraph, dict[str, dict[str, str | None]]]:
    conn = kg.connect(built)
    return project(conn), article_info(conn)


@pytest.fixture(scope="module")
def seed_page(seed: tuple[nx.MultiDiGraph, dict[str, Any]]) -> View:
    G, articles = seed
    return timeline_view(G, articles=articles)


# ---------------------------------------------------------------- the page in a browser


def test_the_axis_shows_dated_ticks_in_order_and_the_items_sit_on_their_dates(browser: Any, seed_page: View) -> None:
    open_page(browser, seed_page)
    ticks = browser.execute_script(
        "return [...document.querySelectorAll('.xtick text')].map(t => "
        "{const r = t.getBoundingClientRect(); return [t.textContent, r.left + r.width / 2, r.width, r.height]})"
    )
    assert len(ticks) >= 3
    assert all(w > 0 and h > 0 for _, _, w, h in ticks)  # drawn, not hidden
    # the seed runs from 2022 (Petro's denial, "from 2022 on") to February 2026: yearly ticks
    years = [int(text) for text, *_ in ticks if re.fullmatch(r"\d{4}", text)]
    assert len(years) == len(ticks) and years == sorted(years) and {2022, 2025, 2026} <= set(years)
    xs = [x for _, x, _, _ in ticks]
    assert xs == sorted(xs)
    tick_x = {int(text): x for text, x, _, _ in ticks}
    bars, _ = drawn(browser)
    # Trump criticises Petro "in 2025" (a year): its bar runs from the tick of 2025 to that of 2026
    (year,) = {(round(b[0], 2), round(b[2], 2)) for f, b in bars if f == "fact:trump-criticises-petro-2025"}
    assert abs(year[0] - tick_x[2025]) < 2 and abs(year[1] - tick_x[2026]) < 2
    # the day of the White House meeting sits a little after the tick of 2026 (34 days of 365)
    (day,) = {round(b[0], 2) for f, b in bars if f == "fact:petro-trump-meeting-2026-02-03"}
    assert abs(day - (tick_x[2026] + (tick_x[2026] - tick_x[2025]) * 33 / 365)) < 2
    lanes = browser.execute_script("return [...document.querySelectorAll('.ytick text')].map(t => t.textContent)")
    assert lanes[:3] == ["Gustavo Petro", "United States", "Donald Trump"]  # the busiest actors first, by name
    assert outgoing_requests(browser) == [] and console_errors(browser) == []


def test_no_two_boxes_overlap_and_no_text_runs_over_another_item(browser: Any, seed_page: View) -> None:
    open_page(browser, seed_page)
    for lanes in ("actor", "type"):
        browser.execute_script("return window.kgTimeline.draw(arguments[0])", lanes)
        wait(browser)
        bars, texts = drawn(browser)
        assert len(bars) >= 50 and len(texts) == len(bars)
        clashes = [(f, g) for i, (f, a) in enumerate(bars) for g, b in bars[i + 1 :] if overlap(a, b)]
        assert clashes == [], lanes
        clashes = [(f, g) for i, (f, a) in enumerate(texts) for g, b in texts[i + 1 :] if overlap(a, b)]
        assert clashes == [], lanes
        # a text runs over no other item's bar (it may sit inside its own)
        clashes = [(f, g) for f, a in texts for g, b in bars if f != g and overlap(a, b)]
        assert clashes == [], lanes


def test_months_are_spans_wider_than_days(browser: Any, seed_page: View) -> None:
    open_page(browser, seed_page)
    bars, _ = drawn(browser)
    month = width(bars, "fact:000-sanchez-trip-to-us")  # "2026-01"
    day = width(bars, "fact:petro-trump-meeting-2026-02-03")  # "2026-02-03"
    year = width(bars, "fact:trump-criticises-petro-2025")  # "2025"
    assert day < month < year
    # on a shorter axis every interval is drawn to scale: February (28 days) is 28 times a day
    G = example_network()
    feb = datetime.date(2026, 2, 1)
    facts = list(G.edges["ann", "bob", "metWith"]["facts"])
    facts[1] = {**facts[1], "when": "2026-02", "first": feb, "last": datetime.date(2026, 2, 28), "date": feb}
    G.remove_edge("ann", "bob", "metWith")
    add_tie(G, "ann", "bob", "metWith", facts)
    open_page(browser, timeline_view(G))
    bars, _ = drawn(browser)
    ratio = width(bars, "meeting-2") / width(bars, "meeting-1")
    assert 27 < ratio < 29


def test_lanes_switch_between_actors_and_event_types(
    browser: Any, seed_page: View, seed: tuple[nx.MultiDiGraph, dict[str, Any]]
) -> None:
    items, _ = timeline_items(seed[0])
    open_page(browser, seed_page)
    lanes = "return [...document.querySelectorAll('.ytick text')].map(t => t.textContent)"
    by_actor = browser.execute_script(lanes)
    assert len(drawn(browser)[0]) == sum(len(item["actors"]) for item in items)  # an item in each actor's lane
    Select(browser.find_element("id", "kg-lanes")).select_by_visible_text("by event type")
    wait(browser)
    by_type = browser.execute_script(lanes)
    assert by_type != by_actor and browser.execute_script("return kgTimeline.lanes") == "type"
    words = {TYPE_WORDS[item["type"]] for item in items}
    assert {lane.lower() for lane in by_type} == words
    assert by_type[:2] == ["Agreement", "Meeting or call"]  # cooperation first, as PLOVER orders the types
    assert len(drawn(browser)[0]) == len(items)  # each item once
    Select(browser.find_element("id", "kg-lanes")).select_by_visible_text("by actor")
    wait(browser)
    assert browser.execute_script(lanes) == by_actor


def click_item(driver: Any, fact: str) -> str:
    """Click the first bar of ``fact`` with the mouse, and give back the panel's text."""
    index = driver.execute_script("return kgTimeline.data.items.findIndex(i => i.fact === arguments[0])", fact)
    bar = driver.execute_script(
        """const gd = kgTimeline.div;
        for (const [t, trace] of [...gd.querySelectorAll('.barlayer .trace')].entries())
          for (const p of trace.querySelectorAll('.point'))
            if (gd.data[t].customdata[p.__data__.i] === arguments[0]) {
              p.scrollIntoView({block: 'center'}); return p;
            }""",
        index,
    )
    ActionChains(driver).move_to_element(bar).pause(0.2).click().perform()
    deadline = time.monotonic() + 10
    while driver.execute_script("return kgTimeline.shown") != fact:
        assert time.monotonic() < deadline, "the click showed nothing"
        time.sleep(0.05)
    return str(driver.find_element("id", "kg-panel").text)


def test_a_click_lists_the_quotes_with_their_articles(
    browser: Any, seed_page: View, seed: tuple[nx.MultiDiGraph, dict[str, Any]]
) -> None:
    G, articles = seed
    open_page(browser, seed_page)
    fact = "fact:petro-trump-meeting-2026-02-03"
    panel = click_item(browser, fact)
    quotes = {
        (q["article"], q["quote"])
        for _, _, d in G.edges(data=True)
        for f in d["facts"]
        if f["fact"] == fact
        for q in f["evidence"]
    }
    shown = [(a, q) for a, q in sorted(quotes, key=lambda aq: aq) if f"\u201c{q}\u201d" in panel]
    assert len(shown) == 5 and f"{len(quotes) - 5} more quote(s): kg query fact-reports -p fact={fact}" in panel
    lines = panel.splitlines()
    for article, quote in shown:
        source = lines[lines.index(f"\u201c{quote}\u201d") + 1]
        title, date = articles[article]["title"], articles[article]["date"]
        assert source == (f"{title} \u00b7 {date}" if date else title)
    assert lines[0] == "Gustavo Petro meets Donald Trump at the White House"
    assert "meeting or call \u00b7 2026-02-03 \u00b7 actual" in lines
    # 003 has no headline: its outlet and date name it, never its file or its id
    panel = click_item(browser, "fact:003-promise-drug-cooperation")
    assert "vermelho.org.br, 4 February 2026 \u00b7 2026-02-04" in panel.splitlines()
    assert "art:003" not in panel
    assert outgoing_requests(browser) == [] and console_errors(browser) == []


def test_hostile_labels_titles_and_quotes_stay_text(browser: Any) -> None:
    G = example_network()
    G.nodes["ann"]["label"] = HOSTILE["script"]
    G.nodes["bob"]["label"] = HOSTILE["img"]
    G.nodes["cid"]["label"] = HOSTILE["bold"]
    sanction = G.edges["cid", "ann", "sanctions"]["facts"][0]
    sanction["label"] = HOSTILE["href"]
    sanction["evidence"][0]["quote"] = HOSTILE["img"] + HOSTILE["script"]
    articles = {"art:x": {"title": HOSTILE["href"], "date": "2026-03-03"}}
    heading = "</title></textarea><h1 title='x\" y'>Heading</h1><script>document.title='pwned'</script>"
    open_page(browser, timeline_view(G, title=heading, articles=articles))
    assert browser.execute_script("return document.title") == heading
    assert browser.find_element("id", "kg-title").text == heading
    lanes = browser.execute_script("return [...document.querySelectorAll('.ytick text')].map(t => t.textContent)")
    assert set(lanes) == {HOSTILE["script"][:29] + "\u2026", HOSTILE["img"][:29] + "\u2026", HOSTILE["bold"]}
    texts = browser.execute_script("return [...document.querySelectorAll('.textpoint text')].map(t => t.textContent)")
    assert any(t.startswith("sanction: " + HOSTILE["bold"]) for t in texts)
    panel = click_item(browser, "sanction")
    assert HOSTILE["href"] in panel.splitlines()[0]
    assert f"\u201c{HOSTILE['img']}{HOSTILE['script']}\u201d" in panel
    assert f"{HOSTILE['href']} \u00b7 2026-03-03" in panel
    assert browser.execute_script("return document.querySelectorAll('img, svg a, h1 h1, b, br').length") == 0
    assert browser.execute_script("return document.title") == heading
    assert console_errors(browser) == []


# ---------------------------------------------------------------- the page as a file


def test_the_page_is_one_self_contained_file(tmp_path: Path) -> None:
    target = timeline_view(example_network(), title="Ann, Bob & Cid").save(tmp_path / "out" / "timeline.html")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out", "timeline.html"]
    text = target.read_text(encoding="utf-8")
    shell = re.sub(r"<script[^>]*>.*?</script>", "", text, flags=re.DOTALL)
    assert "src=" not in shell and "href=" not in shell and "<link" not in shell
    assert "plotly.js v" in text and "Licensed under the MIT license" in text  # the inlined library keeps its notice
    payload = text.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in payload and ">" not in payload


def test_items_say_what_happened_at_the_precision_the_articles_give(
    seed: tuple[nx.MultiDiGraph, dict[str, Any]],
) -> None:
    items, undated = timeline_items(seed[0])
    by_fact = {item["fact"]: item for item in items}
    facts = {f["fact"]: f for _, _, d in seed[0].edges(data=True) for f in d["facts"]}
    assert undated == sum(1 for f in facts.values() if f["first"] is None and f["last"] is None) > 0
    assert len(items) + undated == len(facts)
    # 004: "In January 2025, ... Petro refused" -- a month, never its first day
    refusal = by_fact["fact:004-petro-refuses-deportees"]
    assert (refusal["when"], refusal["time"], refusal["first"], refusal["last"]) == (
        "2025-01", "2025-01", "2025-01-01", "2025-01-31"
    )  # fmt: skip
    assert refusal["text"] == "rejection: Gustavo Petro \u2192 United States"
    assert by_fact["fact:003-trump-calls-petro-drug-leader"]["time"] == "by 2026-02-02"
    assert by_fact["fact:001-petro-denies-family-allegations"]["time"] == "from 2022 on"
    planned = by_fact["fact:000-sanchez-meetings-us-officials"]
    assert planned["text"].endswith("(planned)") and planned["modality"] == "planned"
    with pytest.raises(InputError, match="no lanes 'place'"):
        timeline_view(example_network(), lanes="place")


def test_kg_view_timeline_writes_the_page_with_the_lanes_asked_for(
    project: kg.Project, built: Path, tmp_path: Path
) -> None:
    for name in ("ontology.ttl", "data", "pyproject.toml"):
        (tmp_path / name).symlink_to(project.root / name)
    (tmp_path / "build").symlink_to(built, target_is_directory=True)
    out = tmp_path / "t.html"
    result = CliRunner().invoke(
        main, ["--project", str(tmp_path), "view", "timeline", "--lanes", "type", "--type", "SANCTION", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = View(out.read_text(encoding="utf-8"), "")
    data = json.loads(page.html.split('id="kg-data">')[1].split("</script>")[0])
    assert data["lanes"] == "type"
    assert {item["type"] for item in data["items"]} == {"SANCTION"}  # the filter reached the page
    titles = {q["article"]: q["title"] for item in data["items"] for q in item["quotes"]}
    assert titles["art:003"] == "vermelho.org.br, 4 February 2026"
