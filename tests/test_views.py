"""The HTML views, opened in a real headless Chromium with its network cut off.

Chromium and ChromeDriver are Debian's packages, installed by `make test`. Where they
are missing the browser tests skip, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import networkx as nx
import pytest
from nbclient import NotebookClient

import kg
from kg.network import example_network, project
from kg.views import network_view, timeline_view
from tests.chromium import find_browser, start_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    found = find_browser()
    if found is None:
        reason = "no headless Chromium: install Debian's chromium and chromium-driver (make test does, as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    profile = Path(tempfile.mkdtemp(prefix="kg-chromium-"))
    driver = start_chromium(profile, logs=True)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver: Any, page: Path) -> None:
    driver.get_log("performance")  # forget what came before
    driver.get_log("browser")
    driver.get(page.resolve().as_uri())
    deadline = time.monotonic() + 30
    while not driver.execute_script("return !!(window.kgView && window.kgView.still)"):
        assert time.monotonic() < deadline, "the view did not become still"
        time.sleep(0.1)


def outgoing_requests(driver: Any) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("file:", "data:", "chrome:", "about:", "blob:")):
                urls.append(url)
    return urls


def console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def click_edge(driver: Any, source: str, target: str, relation: str) -> str:
    edge = driver.execute_script(
        "return kgView.edges.get({filter: e => e.from === arguments[0] && e.to === arguments[1]"
        " && e.relation === arguments[2]})[0].id",
        source,
        target,
        relation,
    )
    # the network's own click event, as vis-network emits it for a click on that edge
    driver.execute_script(
        "kgView.network.body.emitter.emit('click', {nodes: [], edges: [arguments[0]], event: {}, pointer: {}})", edge
    )
    return str(driver.find_element("id", "kg-panel").text)


@pytest.fixture(scope="module")
def seed_network(built: Path) -> nx.MultiDiGraph:
    return project(kg.connect(built))


def test_the_whole_network_renders_with_every_node_and_edge(
    browser: Any, seed_network: nx.MultiDiGraph, tmp_path: Path
) -> None:
    page = network_view(seed_network).save(tmp_path / "network.html")
    open_page(browser, page)
    counts = browser.execute_script("return [kgView.nodes.length, kgView.edges.length]")
    assert counts == [len(seed_network), seed_network.number_of_edges()]
    painted = browser.execute_script("""
        const c = document.querySelector('#kg-network canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return n;""")
    assert painted > 1000, "the canvas drew nothing"
    panel = click_edge(browser, "ent:donald-trump", "ent:gustavo-petro", "sanctions")
    # 003: Trump "revoked his visa"; 004: "Trump retaliated by revoking visas": the page carries
    # one quote from each article that reports a fact (up to three), and names the question
    # that lists the others
    facts = seed_network.edges["ent:donald-trump", "ent:gustavo-petro", "sanctions"]["facts"]
    for fact in facts:
        firsts = {q["article"]: q["quote"] for q in reversed(fact["evidence"])}  # each article's first quote
        assert all(quote in panel for quote in list(firsts.values())[:3]), fact["fact"]
        others = [q["quote"] for q in fact["evidence"] if q["quote"] not in firsts.values()]
        if others:
            assert f"more quote(s) in {' '.join(sorted(firsts))}: kg query fact-reports -p fact={fact['fact']}" in panel
    assert any(len(f["evidence"]) > len({q["article"] for q in f["evidence"]}) for f in facts)  # some were left out
    assert "Donald Trump — sanctions → Gustavo Petro" in panel
    # the meeting, as each article tells it: 000 (13 January) anticipates it in "the first week
    # of February", 002 reports it on 3 February 2026; the panel says which article says what
    panel = click_edge(browser, "ent:gustavo-petro", "ent:donald-trump", "metWith")
    assert "art:000 · planned · 2026-02-01/2026-02-07" in panel.splitlines()
    assert "art:002 · actual · 2026-02-03" in panel.splitlines()
    assert outgoing_requests(browser) == []
    assert console_errors(browser) == []


def test_the_timeline_and_ego_pages_render(browser: Any, seed_network: nx.MultiDiGraph, tmp_path: Path) -> None:
    page = timeline_view(seed_network).save(tmp_path / "timeline.html")
    open_page(browser, page)
    kinds = browser.execute_script("return kgView.nodes.get().map(n => n.kind)")
    assert "event" in kinds and "person" in kinds
    events = browser.execute_script(
        "return kgView.nodes.get({filter: n => n.kind === 'event'}).sort((a, b) => a.x - b.x).map(n => [n.day, n.date])"
    )
    days = [day for day, _ in events]
    assert days == sorted(days)  # placed by date along the axis
    dates = [when for _, when in events]
    assert "2026-02-03" in dates
    # a month is shown as a month (004: "In January 2025"), never as its first day
    assert "2025-01" in dates and "2025-01-01" not in dates
    assert outgoing_requests(browser) == [] and console_errors(browser) == []


def test_search_and_filters(browser: Any, seed_network: nx.MultiDiGraph, tmp_path: Path) -> None:
    open_page(browser, network_view(seed_network).save(tmp_path / "network.html"))
    box = browser.find_element("id", "kg-search")
    box.send_keys("Sanchez")  # an alias: the label is "Pedro Sánchez"
    assert browser.find_element("css selector", "#kg-panel h2").text == "Pedro Sánchez"
    shown = browser.execute_script("return kgView.network.body.data.edges.length")
    browser.execute_script(
        "const s = document.getElementById('kg-relation'); s.value = 'sanctions'; s.dispatchEvent(new Event('change'))"
    )
    sanctions = browser.execute_script("return kgView.network.body.data.edges.get().map(e => e.relation)")
    assert sanctions and set(sanctions) == {"sanctions"} and len(sanctions) < shown


HOSTILE = {
    "script": "</script><script>document.title='pwned'</script>",
    "img": "<img src=x onerror=\"document.title='pwned'\">",
    "href": "<a href=\"javascript:document.title='pwned'\">link</a>",
}


def test_hostile_data_shows_as_text_and_never_runs(browser: Any, tmp_path: Path) -> None:
    G = example_network()
    nx.relabel_nodes(G, {"ann": "x:ann"}, copy=False)
    G.nodes["x:ann"]["label"] = HOSTILE["script"]
    G.nodes["bob"]["label"] = HOSTILE["img"]
    G.nodes["cid"]["aliases"] = [HOSTILE["href"]]
    G.edges["cid", "x:ann", "sanctions"]["facts"][0]["evidence"][0]["quote"] = HOSTILE["img"] + HOSTILE["script"]
    G.edges["cid", "x:ann", "sanctions"]["facts"][0]["label"] = HOSTILE["href"]
    heading = "<h1>Heading</h1><script>document.title='pwned'</script>"
    page = network_view(G, title=heading).save(tmp_path / "hostile.html")
    open_page(browser, page)
    assert browser.execute_script("return document.title") == heading  # the text, not markup
    assert browser.find_element("id", "kg-title").text == heading
    assert browser.execute_script("return document.querySelectorAll('img, a, h1 h1').length") == 0
    panel = click_edge(browser, "cid", "x:ann", "sanctions")
    assert HOSTILE["img"] + HOSTILE["script"] in panel and HOSTILE["href"] in panel
    tooltip = browser.execute_script("return kgView.nodes.get('bob').title.textContent")
    assert HOSTILE["img"] in tooltip
    assert browser.execute_script("return document.title") == heading
    assert console_errors(browser) == []


def test_the_page_is_one_self_contained_file(tmp_path: Path) -> None:
    view = network_view(example_network(), title="Ann, Bob & Cid")
    target = view.save(tmp_path / "out" / "view.html")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out", "view.html"]
    text = target.read_text(encoding="utf-8")
    shell = text.replace(text[text.index("<script>") : text.rindex("</script>")], "")
    assert "src=" not in shell and "href=" not in shell and "<link" not in shell
    assert "@copyright" in text and "vis-network" in text  # the inlined library keeps its notice


def test_large_networks_get_a_computed_layout_and_a_warning() -> None:
    G = nx.MultiDiGraph()
    for i in range(1200):
        G.add_node(f"n{i}", label=f"actor {i}", kind="person")
    for i in range(1, 1200):
        G.add_edge(
            f"n{i}",
            f"n{i // 2}",
            key="metWith",
            relation="metWith",
            score=2.5,
            sign=1,
            count=1,
            articles=1,
            first=None,
            last=None,
            event_types=["CONSULT"],
            modalities=["actual"],
            facts=[],
        )
    with pytest.warns(UserWarning, match="1200 actors"):
        view = network_view(G)
    data = json.loads(view.html.split('id="kg-data">')[1].split("</script>")[0])
    assert data["physics"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_notebook_display_is_a_sandboxed_iframe(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from kg.network import example_network\nfrom kg.views import network_view\nnetwork_view(example_network())"
        )
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    html = nb.cells[0].outputs[0]["data"]["text/html"]
    assert html.startswith('<iframe sandbox="allow-scripts"') and "srcdoc=" in html
    assert "&lt;script&gt;" in html  # the page travels escaped inside the attribute
    assert list(tmp_path.iterdir()) == []  # displaying wrote no file
