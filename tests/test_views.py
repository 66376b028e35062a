"""The HTML views, opened in a real headless Chromium with its network cut off.

Chromium and ChromeDriver are Debian's packages, installed by `make test`. Where they
are missing the browser tests skip, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import datetime
import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import networkx as nx
import pytest
from click.testing import CliRunner
from nbclient import NotebookClient

import kg
import kg.views
from kg.cli import main
from kg.network import add_tie, example_network, project
from kg.network import project as project_network
from kg.views import network_view, timeline_view
from tests.chromium import find_browser, start_chromium
from tests.conftest import missing


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    found = find_browser()
    if found is None:
        missing("no headless Chromium: install Debian's chromium and chromium-driver (make test does, as root)")
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


def test_a_projected_network_gets_a_computed_layout(seed_network: nx.MultiDiGraph) -> None:
    data = json.loads(
        network_view(seed_network, layout_threshold=5).html.split('id="kg-data">')[1].split("</script>")[0]
    )
    assert data["physics"] is False and len(data["nodes"]) == len(seed_network)
    assert all("x" in n and "y" in n for n in data["nodes"])


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


# ---------------------------------------------------------------- large networks


def page_data(view: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(view.html.split('id="kg-data">')[1].split("</script>")[0])
    return data


def busy_pair() -> nx.MultiDiGraph:
    """Ann meets Bob five times (listed out of order) and once insults him, from three articles."""
    G = example_network()
    tie_facts = []
    for name, day, score, article in (
        ("meeting-may", "2026-05-01", 2.5, "art:x"),
        ("meeting-jan", "2026-01-03", 2.5, "art:y"),
        ("insult-feb", "2026-02-01", -2.0, "art:x"),
        ("meeting-mar", "2026-03-01", 2.5, "art:z"),
        ("meeting-apr", "2026-04-01", 2.5, "art:y"),
        ("meeting-jun", "2026-06-29", 2.5, "art:z"),
    ):
        date = datetime.date.fromisoformat(day)
        tie_facts.append(
            {
                "fact": name,
                "label": f"label of {name}",
                "type": "ACCUSE" if score < 0 else "CONSULT",
                "date": date,
                "when": day,
                "first": date,
                "last": date,
                "modality": "actual",
                "score": score,
                "evidence": [{"article": article, "quote": f"quote of {name}", "modality": "actual", "when": day}],
            }
        )
    G.remove_edge("ann", "bob", "metWith")
    add_tie(G, "ann", "bob", "metWith", tie_facts)
    return G


def test_a_tie_carries_its_summary_and_its_first_facts_in_time() -> None:
    data = page_data(network_view(busy_pair()))
    (edge,) = [e for e in data["edges"] if (e["from"], e["to"], e["relation"]) == ("ann", "bob", "metWith")]
    # the three earliest of six: January, February, March; the other three are counted
    assert [f["fact"] for f in edge["facts"]] == ["meeting-jan", "insult-feb", "meeting-mar"]
    assert (edge["count"], edge["more"], edge["command"]) == (6, 3, "kg analyze path ann bob")
    # five meetings (2.5 each) and an insult (-2)
    assert edge["types"] == {"ACCUSE": 1, "CONSULT": 5}
    assert (edge["cooperation"], edge["conflict"], edge["score"]) == (12.5, -2.0, 10.5)
    assert (edge["first"], edge["last"]) == ("2026-01-03", "2026-06-29")
    assert edge["articles"] == ["art:x", "art:y", "art:z"]
    assert ["2026-06-29", "2026-06-29"] in edge["spans"] and len(edge["spans"]) == 6
    assert data["note"] is None and data["articles"] == ["art:x", "art:y", "art:z"]


def star(n: int) -> nx.MultiDiGraph:
    """Hub h0 tied to every other actor; h1 also to h2 and h3; the rest to h0 alone."""
    G = nx.MultiDiGraph()
    for i in range(1, n):
        add_tie(G, "h0", f"h{i}", "metWith", [])
    for i in (2, 3):
        add_tie(G, "h1", f"h{i}", "accuses", [])
    for node in G:
        G.nodes[node].update(label=node.upper(), kind="person")
    return G


def test_a_large_network_draws_its_actors_with_the_most_ties_and_says_so() -> None:
    G = star(12)  # degrees: h0 11, h1 3, h2 and h3 2, the others 1
    data = page_data(network_view(G, top=4))
    assert sorted(n["id"] for n in data["nodes"]) == ["h0", "h1", "h2", "h3"]
    assert len(data["edges"]) == 5  # h0 to each of h1..h3, and h1 to h2 and h3
    assert data["note"].startswith("Showing the 4 actors with the most ties, of 12, and the 5 ties between them, of 13")
    assert "kg view network --top N" in data["note"] and "--all" in data["note"]
    # fewer actors when theirs are too many ties: h0, h1, h2 have 3 ties, with h3 5
    assert sorted(n["id"] for n in page_data(network_view(G, top=4, max_ties=4))["nodes"]) == ["h0", "h1", "h2"]
    # all of them, without a note
    whole = page_data(network_view(G))
    assert len(whole["nodes"]) == 12 and whole["note"] is None


def test_the_rest_of_a_tie_is_named_as_text_and_never_runs(browser: Any, tmp_path: Path) -> None:
    G = busy_pair()
    nx.relabel_nodes(G, {"ann": HOSTILE["img"]}, copy=False)  # an id that would be markup
    page = network_view(G).save(tmp_path / "busy.html")
    open_page(browser, page)
    panel = click_edge(browser, HOSTILE["img"], "bob", "metWith")
    assert "label of meeting-jan" in panel and "label of meeting-mar" in panel
    assert "label of meeting-apr" not in panel and "quote of meeting-apr" not in panel
    assert f"3 more fact(s): kg analyze path {HOSTILE['img']} bob" in panel.splitlines()
    assert "6 fact(s): ACCUSE 1, CONSULT 5 · score 10.5 (cooperation 12.5, conflict -2)" in panel
    assert "2026-01-03 to 2026-06-29 · 3 article(s): art:x art:y art:z" in panel
    assert browser.execute_script("return document.querySelectorAll('#kg-panel img, img').length") == 0
    assert browser.execute_script("return document.title") != "pwned"
    assert console_errors(browser) == []


def test_the_page_note_shows_when_part_of_the_network_is_drawn(browser: Any, tmp_path: Path) -> None:
    open_page(browser, network_view(star(12), top=4).save(tmp_path / "part.html"))
    note = browser.find_element("id", "kg-note")
    assert note.is_displayed() and note.text.startswith("Showing the 4 actors with the most ties, of 12")
    # the date filter reads each tie's spans: a range no fact reaches leaves no tie
    open_page(browser, network_view(busy_pair()).save(tmp_path / "busy.html"))
    assert not browser.find_element("id", "kg-note").is_displayed()
    count = "return kgView.network.body.data.edges.length"
    before = browser.execute_script(count)
    browser.execute_script(
        "const f = document.getElementById('kg-from'); f.value = '2026-06-15'; f.dispatchEvent(new Event('change'))"
    )
    assert browser.execute_script(count) == 1  # only Ann and Bob met after mid-June
    assert before == 3


def test_kg_view_network_draws_the_whole_seed_network_by_default(
    project: kg.Project, built: Path, tmp_path: Path
) -> None:
    for name in ("ontology.ttl", "data", "pyproject.toml"):
        (tmp_path / name).symlink_to(project.root / name)
    (tmp_path / "build").symlink_to(built, target_is_directory=True)

    def run(*args: str) -> dict[str, Any]:
        out = tmp_path / "page.html"
        result = CliRunner().invoke(main, ["--project", str(tmp_path), "view", "network", *args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        return page_data(kg.views.View(out.read_text(encoding="utf-8"), ""))

    whole = run()
    seed = project_network(kg.connect(built))
    assert len(whole["nodes"]) == len(seed) and whole["note"] is None
    five = run("--top", "5")
    assert len(five["nodes"]) == 5 and five["note"].startswith(
        f"Showing the 5 actors with the most ties, of {len(seed)}"
    )
    assert "ent:united-states" in {n["id"] for n in five["nodes"]}  # tied to most
    bad = CliRunner().invoke(main, ["--project", str(tmp_path), "view", "network", "--top", "5", "--all"])
    assert bad.exit_code == 2 and "--top and --all exclude each other" in bad.output
