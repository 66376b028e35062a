"""The HTML views, opened in a real headless Chromium with its network cut off.

Chromium and ChromeDriver are Debian's packages, installed by `make test`. Where they
are missing the browser tests skip, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import colorsys
import datetime
import json
import shutil
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
from kg.views import KIND_STYLE, Names, network_view, read_names
from kg.views.network import EDGE_COLOURS
from tests.chromium import console_errors, headless, outgoing_requests


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with headless() as driver:
        yield driver


def open_page(driver: Any, page: Path) -> None:
    driver.get_log("performance")  # forget what came before
    driver.get_log("browser")
    driver.get(page.resolve().as_uri())
    deadline = time.monotonic() + 30
    while not driver.execute_script("return !!(window.kgView && window.kgView.still)"):
        assert time.monotonic() < deadline, "the view did not become still"
        time.sleep(0.1)


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


@pytest.fixture(scope="module")
def seed_names(built: Path, seed_network: nx.MultiDiGraph) -> Names:
    return read_names(kg.connect(built), seed_network)


#: The articles' titles, as data/articles/*.ttl record their headlines; 003 has none (its
#: text gives none): it is named by its outlet and date.
TITLES = {
    "art:000": "Colombian Defense Minister Visits US to Boost Anti-Drug Cooperation Ahead of Petro’s Trip",
    "art:002": "Gustavo Petro Meets Donald Trump at the White House Amid Tensions in U.S.-Colombia Relations",
    "art:003": "vermelho.org.br, 4 February 2026",
    "art:004": "To repair US-Colombia ties, Trump and Petro should focus on counternarcotics and Venezuela",
}


def test_the_whole_network_renders_with_every_node_and_edge(
    browser: Any, seed_network: nx.MultiDiGraph, seed_names: Names, tmp_path: Path
) -> None:
    page = network_view(seed_network, names=seed_names).save(tmp_path / "network.html")
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
            titles = "; ".join(TITLES[a] for a in sorted(firsts))
            assert f"more quote(s) in {titles}: kg query fact-reports -p fact={fact['fact']}" in panel
    assert any(len(f["evidence"]) > len({q["article"] for q in f["evidence"]}) for f in facts)  # some were left out
    assert "Donald Trump — sanctions → Gustavo Petro" in panel
    # the meeting, as each article tells it: 000 (13 January) anticipates it in "the first week
    # of February", 002 reports it on 3 February 2026; the panel says which article says what
    panel = click_edge(browser, "ent:gustavo-petro", "ent:donald-trump", "metWith")
    assert f"{TITLES['art:000']} · planned · 2026-02-01/2026-02-07" in panel.splitlines()
    assert f"{TITLES['art:002']} · actual · 2026-02-03" in panel.splitlines()
    assert "Gustavo Petro — met with → Donald Trump" in panel
    assert outgoing_requests(browser) == []
    assert console_errors(browser) == []


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
    heading = "</title></textarea><h1 title='x\" y'>Heading</h1><script>document.title='pwned'</script>"
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
    data = json.loads(network_view(seed_network).html.split('id="kg-data">')[1].split("</script>")[0])
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
    assert data["note"] is None and [a["id"] for a in data["articles"]] == ["art:x", "art:y", "art:z"]


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
    assert "2026-01-03 to 2026-06-29 · 3 article(s): art:x; art:y; art:z" in panel
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


# ---------------------------------------------------------------- a view a person can read


def test_the_layout_is_the_same_on_every_load(browser: Any, seed_network: nx.MultiDiGraph, tmp_path: Path) -> None:
    # two pages written apart, each loaded: the same positions and the same pixels
    first = network_view(seed_network).save(tmp_path / "first.html")
    second = network_view(seed_network).save(tmp_path / "second.html")
    assert first.read_bytes() == second.read_bytes()
    pictures = []
    for page in (first, second, first):
        open_page(browser, page)
        positions = browser.execute_script("return kgView.network.getPositions()")
        pixels = browser.execute_script("return document.querySelector('#kg-network canvas').toDataURL()")
        pictures.append((positions, pixels))
    assert pictures[0] == pictures[1] == pictures[2]
    # drawn where the page says: nothing moved them
    sent = {n["id"]: {"x": n["x"], "y": n["y"]} for n in page_data(network_view(seed_network))["nodes"]}
    drawn = pictures[0][0]
    assert set(drawn) == set(sent)  # vis-network gives positions in whole units, cut
    assert all(0 <= sent[n][axis] - drawn[n][axis] < 1 for n in sent for axis in "xy")
    assert browser.execute_script("return kgView.network.physics.options.enabled") is False


#: What the legend must draw for each shape vis-network draws: the element and its corners.
LEGEND_MARKS = {"dot": ("circle", 0), "square": ("rect", 0), "triangle": ("polygon", 3), "diamond": ("polygon", 4)}


def test_the_legend_draws_the_shapes_and_colours_of_the_network(
    browser: Any, seed_network: nx.MultiDiGraph, tmp_path: Path
) -> None:
    open_page(browser, network_view(seed_network).save(tmp_path / "network.html"))
    drawn = browser.execute_script("""
        const out = {};
        for (const n of kgView.nodes.get()) {
          const o = kgView.network.body.nodes[n.id].options;
          (out[n.kind] = out[n.kind] || []).push([o.shape, o.color.background]);
        }
        return out;""")
    legend = browser.execute_script("""
        return Array.from(document.querySelectorAll('#kg-legend li')).map(li => {
          const mark = li.querySelector('svg').firstChild;
          const points = (mark.getAttribute('points') || '').trim().split(/\\s+/).filter(Boolean).length;
          return [li.textContent, li.querySelector('svg').dataset.shape, mark.tagName, points,
                  mark.getAttribute('fill') || mark.getAttribute('stroke')];
        });""")
    classes = {label: (shape, tag, points, colour) for label, shape, tag, points, colour in legend}
    assert set(drawn) == {"person", "organisation", "group", "country"} <= set(classes)
    for kind, marks in drawn.items():
        shape, tag, points, colour = classes[kind]
        assert {tuple(m) for m in marks} == {(shape, colour)}, kind  # every node of the class, as the legend says
        assert (tag, points) == LEGEND_MARKS[shape], kind  # and the legend draws that shape
    # the signs as lines, in the colours the ties are drawn with
    ties = browser.execute_script(
        "return kgView.edges.get().map(e => [e.score, kgView.network.body.edges[e.id].options.color.color])"
    )
    lines = {label: colour for label, shape, _, _, colour in legend if shape == "line"}
    assert {colour for score, colour in ties if score > 0} == {lines["cooperation"]}
    assert {colour for score, colour in ties if score < 0} == {lines["conflict"]}


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_class_colours_are_far_from_the_sign_colours() -> None:
    # countries once shared the cooperation green: no class of actor has a colour near the
    # green or the red of the signs, nor the grey of a tie that is neither
    for kind, (colour, _) in KIND_STYLE.items():
        if kind == "event":  # not an actor: the network draws no event
            continue
        for sign in (1, -1):
            distance = sum((a - b) ** 2 for a, b in zip(rgb(colour), rgb(EDGE_COLOURS[sign]), strict=True)) ** 0.5
            assert distance > 100, (kind, sign, distance)
        _, _, saturation = colorsys.rgb_to_hls(*(c / 255 for c in rgb(colour)))
        assert saturation > 0.25, (kind, saturation)
    assert len({colour for colour, _ in KIND_STYLE.values()}) == len(KIND_STYLE)


def test_node_labels_are_readable_at_the_first_fit(browser: Any, seed_network: nx.MultiDiGraph, tmp_path: Path) -> None:
    for name, G in (("seed", seed_network), ("tiny", example_network()), ("star", star(60))):
        open_page(browser, network_view(G).save(tmp_path / f"{name}.html"))
        sizes = browser.execute_script("""
            const scale = kgView.network.getScale();
            return kgView.nodes.getIds().map(id => kgView.network.body.nodes[id].options.font.size * scale);""")
        assert len(sizes) == len(G) and min(sizes) >= 14, (name, min(sizes))
        # the whole network is in sight
        box = browser.execute_script("""
            const c = document.querySelector('#kg-network canvas').getBoundingClientRect();
            const ps = Object.values(kgView.network.getPositions()).map(p => kgView.network.canvasToDOM(p));
            return [c.width, c.height, Math.min(...ps.map(p => p.x)), Math.max(...ps.map(p => p.x)),
                    Math.min(...ps.map(p => p.y)), Math.max(...ps.map(p => p.y))];""")
        width, height, left, right, top, bottom = box
        assert left >= 0 and right <= width and top >= 0 and bottom <= height, name


def test_shown_labels_never_cover_each_other_and_stay_in_sight(
    browser: Any, seed_network: nx.MultiDiGraph, tmp_path: Path
) -> None:
    def boxes() -> list[list[Any]]:
        # each actor's box in screen pixels: its shape and its whole label (drawn or waiting)
        return list(
            browser.execute_script("""
            const n = kgView.network, hidden = new Set(kgView.hiddenLabels);
            return kgView.nodes.getIds().map(id => {
              const b = n.getBoundingBox(id), tl = n.canvasToDOM({x: b.left, y: b.top}),
                    br = n.canvasToDOM({x: b.right, y: b.bottom});
              return [id, hidden.has(id), tl.x, tl.y, br.x, br.y, n.body.nodes[id].options.size];
            });""")
        )

    def check(found: list[list[Any]], width: float, height: float) -> None:
        shown = [b for b in found if not b[1]]
        for i, (a, *_, ax0, ay0, ax1, ay1, _size) in enumerate(shown):
            for b, *_, bx0, by0, bx1, by1, _ in shown[i + 1 :]:
                assert not (ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1), (a, b)
        # the largest actor is always labelled; a label waits only if it would cover a shown one
        largest = max(found, key=lambda b: (b[6], b[0]))
        assert not largest[1], largest[0]
        for waiting in (b for b in found if b[1]):
            x0, y0, x1, y1 = waiting[2:6]
            assert any(x0 < s[4] and s[2] < x1 and y0 < s[5] and s[3] < y1 for s in shown), waiting[0]
        assert all(b[2] >= 0 and b[4] <= width and b[3] >= 0 and b[5] <= height for b in shown)

    open_page(browser, network_view(seed_network).save(tmp_path / "labels.html"))
    width, height = browser.execute_script(
        "const c = document.querySelector('#kg-network canvas').getBoundingClientRect(); return [c.width, c.height];"
    )
    first = boxes()
    assert 0 < sum(b[1] for b in first) < len(first)  # the seed network is dense enough to need it
    check(first, width, height)
    # zoomed in, labels keep their size on the screen and more of them find room
    browser.execute_script("""
        const n = kgView.network;
        n.moveTo({scale: n.getScale() * 2.5, animation: false});
        n.emit('zoom', {direction: '+', scale: n.getScale()});""")
    zoomed = boxes()
    assert sum(b[1] for b in zoomed) < sum(b[1] for b in first)
    shown = [b for b in zoomed if not b[1]]
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            assert not (a[2] < b[4] and b[2] < a[4] and a[3] < b[5] and b[3] < a[5]), (a[0], b[0])


def shown_text(driver: Any) -> str:
    """Everything a reader can see or hover: the page, the menus' options and every tooltip."""
    return str(
        driver.execute_script("""
        return [document.body.innerText,
                ...Array.from(document.querySelectorAll('option')).map(o => o.textContent),
                ...kgView.nodes.get().map(n => n.title.textContent),
                ...kgView.edges.get().map(e => e.title.textContent)].join('\\n');""")
    )


def test_relations_show_in_words_and_only_on_hover_or_zoom(
    browser: Any, seed_network: nx.MultiDiGraph, seed_names: Names, tmp_path: Path
) -> None:
    open_page(browser, network_view(seed_network, names=seed_names).save(tmp_path / "network.html"))
    raw = sorted({key for _, _, key in seed_network.edges(keys=True) if key.lower() != key})
    assert "metWith" in raw and "mobilisesAgainst" in raw
    # no tie is labelled at first: the labels of the busy pairs would pile up
    labels = "return kgView.edges.get().map(e => (kgView.network.body.edges[e.id].options.label || '').trim())"
    assert set(browser.execute_script(labels)) == {""}
    texts = [shown_text(browser)]
    # pointing at a tie writes its relation on it, and on it alone
    edge = browser.execute_script(
        "return kgView.edges.get({filter: e => e.relation === 'requested'}).map(e => e.id)[0]"
    )
    browser.execute_script("kgView.network.body.emitter.emit('hoverEdge', {edge: arguments[0]})", edge)
    assert sorted(set(browser.execute_script(labels))) == ["", "made a request of"]  # the ontology's words
    browser.execute_script("kgView.network.body.emitter.emit('blurEdge', {edge: arguments[0]})", edge)
    assert set(browser.execute_script(labels)) == {""}
    # zoomed in, every tie says its relation, at a readable size
    browser.execute_script("kgView.network.moveTo({scale: kgView.fitScale * 2.5}); kgView.network.emit('zoom', {})")
    shown = browser.execute_script(labels)
    assert "" not in shown and "met with" in shown and "mobilises against" in shown
    font = browser.execute_script(
        "return kgView.network.body.edges[kgView.edges.getIds()[0]].options.font.size * kgView.network.getScale()"
    )
    assert font >= 12
    texts.append("\n".join(shown))
    for a, b, key in sorted(seed_network.edges(keys=True))[:: max(1, seed_network.number_of_edges() // 12)]:
        texts.append(click_edge(browser, a, b, key))
    for node in ("ent:gustavo-petro", "ent:donald-trump"):
        browser.execute_script("kgView.showNode(arguments[0])", node)
        texts.append(str(browser.find_element("id", "kg-panel").text))
    seen = "\n".join(texts)
    assert "met with" in seen
    assert [word for word in raw if word in seen] == []


def panel_without_commands(driver: Any) -> str:
    """The panel's text, leaving out the commands it names (those are typed, with ids)."""
    return str(
        driver.execute_script("""
        const copy = document.getElementById('kg-panel').cloneNode(true);
        copy.querySelectorAll('code').forEach(c => c.remove());
        document.body.appendChild(copy);
        const text = copy.innerText;
        copy.remove();
        return text;""")
    )


def test_the_panel_names_actors_and_articles_never_ids(
    browser: Any, seed_network: nx.MultiDiGraph, seed_names: Names, tmp_path: Path
) -> None:
    open_page(browser, network_view(seed_network, names=seed_names).save(tmp_path / "network.html"))
    texts = []
    for node in ("ent:bernie-moreno", "ent:gustavo-petro"):
        browser.execute_script("kgView.showNode(arguments[0])", node)
        texts.append(panel_without_commands(browser))
    # Bernie Moreno: a US senator (the registry's ent:united-states and ent:us-senator)
    assert "person · United States · US Senator" in texts[0].splitlines()
    click_edge(browser, "ent:donald-trump", "ent:gustavo-petro", "sanctions")
    texts.append(panel_without_commands(browser))
    assert TITLES["art:003"] in texts[-1] and TITLES["art:004"] in texts[-1]
    seen = "\n".join(texts)
    assert TITLES["art:002"] in seen
    for prefix in ("art:", "ent:", "fact:", ".txt"):
        assert prefix not in seen, prefix
    # the article menu lists titles
    options = browser.execute_script(
        "return Array.from(document.querySelectorAll('#kg-article option')).map(o => o.text)"
    )
    assert set(TITLES.values()) <= set(options) and not [o for o in options if o.startswith("art:")]


def test_article_titles_fall_back_to_outlet_and_date(seed_names: Names) -> None:
    # 003's text gives no headline (it opens with "Published 02/04/2026 11:20"): its outlet
    # and date name it, never its file name
    text = next(Path("/work/shared/seeds").glob("003_*.txt")) if Path("/work/shared/seeds").is_dir() else None
    if text is not None:
        assert text.read_text(encoding="utf-8").startswith("Published 02/04/2026")
    assert {a: seed_names.article(a) for a in TITLES} == TITLES


def test_each_quote_links_to_its_article(browser: Any, tmp_path: Path) -> None:
    G = example_network()
    hostile = "https://example.org/news?id=1&x=\"><img/src=x/onerror=document.title='pwned'>&y=</a>"
    names = Names(
        articles={"art:x": "Ann and Bob meet"},
        urls={"art:x": hostile, "art:y": "javascript:document.title='pwned'"},
    )
    G.edges["ann", "bob", "metWith"]["facts"][0]["evidence"].append(
        {"article": "art:y", "quote": "a quote of y", "modality": "actual", "when": None}
    )
    open_page(browser, network_view(G, names=names).save(tmp_path / "links.html"))
    click_edge(browser, "ann", "bob", "metWith")
    links = browser.execute_script("""
        return Array.from(document.querySelectorAll('#kg-panel blockquote + .source a')).map(a =>
          [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target'), a.textContent]);""")
    facts = len(G.edges["ann", "bob", "metWith"]["facts"])
    assert links and len(links) == facts  # one per quote of art:x
    assert set(map(tuple, links)) == {(hostile, "noopener noreferrer", "_blank", "Ann and Bob meet")}
    # art:y's address is not on the web: its quote names it, without a link
    assert "a quote of y" in browser.find_element("id", "kg-panel").text
    assert browser.execute_script("return document.querySelectorAll('img, a[href^=javascript]').length") == 0
    assert browser.execute_script("return document.title") != "pwned" and console_errors(browser) == []


def test_kg_view_ego_names_its_page_after_the_actor(project: kg.Project, built: Path, tmp_path: Path) -> None:
    for name in ("ontology.ttl", "data", "pyproject.toml"):
        (tmp_path / name).symlink_to(project.root / name)
    shutil.copytree(built, tmp_path / "build", symlinks=True, ignore=shutil.ignore_patterns("views"))
    pages = []
    for args in (["Petro"], ["Trump"], ["Petro", "--hops", "2"]):
        result = CliRunner().invoke(main, ["--project", str(tmp_path), "view", "ego", *args])
        assert result.exit_code == 0, result.output
        pages.append(Path(result.output.strip()))
    assert [p.name for p in pages] == [
        "ego-gustavo-petro.html",
        "ego-donald-trump.html",
        "ego-gustavo-petro-2-steps.html",
    ]
    assert all(p.parent == tmp_path / "build" / "views" and p.exists() for p in pages)
    titles = [page_data(kg.views.View(p.read_text(encoding="utf-8"), ""))["title"] for p in pages]
    assert titles == [
        "Gustavo Petro and the actors within 1 step",
        "Donald Trump and the actors within 1 step",
        "Gustavo Petro and the actors within 2 steps",
    ]
    # the CLI's page names articles by their titles
    articles = page_data(kg.views.View(pages[0].read_text(encoding="utf-8"), ""))["articles"]
    assert {a["id"]: a["title"] for a in articles if a["id"] in TITLES} == {
        a: t for a, t in TITLES.items() if a in {x["id"] for x in articles}
    }


def test_an_address_curated_as_an_iri_reaches_the_page(tiny: Path) -> None:
    article = tiny / "data" / "articles" / "t1.ttl"
    text = article.read_text(encoding="utf-8")
    address = "https://example.org/news/arden-brook?a=1&b=2"
    article.write_text(
        text.replace("kg:sourceFile", f"schema:url <{address}> ;\n    kg:sourceFile", 1), encoding="utf-8"
    )
    kg.build_project(kg.Project.at(tiny))
    with kg.connect(tiny / "build") as conn:
        G = project_network(conn)
        names = read_names(conn, G)
    assert names.url("art:t1") == address and names.url("art:t2") is None
    assert address in json.dumps(page_data(network_view(G, names=names)))
