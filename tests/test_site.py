"""kg publish: a static site that opens from the disk, offline, in a real headless Chromium.

The seed corpus is published once for the session (without its notebooks, which
tests/test_notebooks.py runs; a tiny notebook is run and published here instead). The
expectations come from the dataset itself, through SPARQL written here, or from the
fixtures written here, never from the pages checked.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import nbformat
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib import RDF, RDFS

import kg.site.pages
from kg.build import build_project
from kg.cli import main
from kg.dates import edtf, interval, precision_name
from kg.errors import InputError
from kg.project import Project
from kg.site import SITE_MARK, publish
from tests.chromium import console_errors, headless, outgoing_requests
from tests.conftest import copy_tiny

KG = "https://w3id.org/newskg/ns#"
PROV = "http://www.w3.org/ns/prov#"
ROLES = " ".join(
    f"<{KG}{r}>" for r in ["actor", "target", "participant", "subject", "object", "holder", "about", "claimedBy"]
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with headless() as driver:
        yield driver


@pytest.fixture(scope="session")
def seed_site(project: Project, built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus published once, with its texts where they are available."""
    return publish(project.with_build(built), tmp_path_factory.mktemp("site") / "site", notebooks=False).where


def built_tiny(dest: Path) -> Project:
    copy_tiny(dest)
    tiny = Project.at(dest, sources=dest / "sources")
    build_project(tiny)
    return tiny


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Page(HTMLParser):
    """The addresses a page refers to, the ids it defines, and the text of its elements by tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()
        self.fact_links: list[str] = []
        self._in_table = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self._in_table += tag == "tbody"
        for name in ("href", "src"):
            if found.get(name):
                self.refs.append(str(found[name]))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and self._in_table and str(found.get("href", "")).startswith("../facts/"):
            self.fact_links.append(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        self._in_table -= tag == "tbody"


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def settle(driver: Any, path: Path) -> None:
    """Wait until the page's own scripts have drawn it (a view, a timeline, a chart; ``get`` waits for the rest)."""
    deadline = time.monotonic() + 30
    source = path.read_text(encoding="utf-8")
    flag = "kgView" if "assets/vis-network.min.js" in source else None
    flag = "kgTimeline" if 'id="kg-timeline"' in source else "kgChart" if 'id="kg-chart"' in source else flag
    while flag and not driver.execute_script(f"return !!(window.{flag} && window.{flag}.still)"):
        assert time.monotonic() < deadline, f"{path} did not become still"
        time.sleep(0.05)


# ---------------------------------------------------------------- the seed site


#: Loads each page of a list in a frame, one after the other; a page's errors and requests
#: reach the driver's logs as a page loaded alone does (a frame is a page of its own).
HARNESS = """
const [pages, done] = [arguments[0], arguments[arguments.length - 1]];
let i = 0;
function next() {
  document.querySelectorAll('iframe').forEach(f => f.remove());
  if (i >= pages.length) { done(i); return; }
  const frame = document.createElement('iframe');
  frame.onload = () => setTimeout(next, 0);
  frame.src = pages[i++];
  document.body.appendChild(frame);
}
next();
"""


def test_every_page_loads_offline_without_an_error(seed_site: Path, browser: Any, tmp_path: Path) -> None:
    pages = sorted(seed_site.rglob("*.html"))
    assert len(pages) > 250
    # a page with a script is loaded alone and waited for; the others, plain HTML, in frames of one page
    scripted = [p for p in pages if re.search(r"<script(?! type=\"application/json\")", p.read_text(encoding="utf-8"))]
    plain = [p for p in pages if p not in scripted]
    assert len(plain) > 200 and any(p.name == "search.html" for p in scripted)
    # every page with a script runs; of the plain pages (one function writes each kind, and the test
    # below follows every address of every page) each tenth of a kind, and every page of a small kind
    kinds = {folder: [p for p in plain if p.parent == folder] for folder in {p.parent for p in plain}}
    plain = [p for p in plain if len(kinds[p.parent]) <= 12 or kinds[p.parent].index(p) % 10 == 0]
    assert len(plain) > 30
    failures = []
    browser.get_log("performance")  # forget what came before; then each page's logs are read after it
    browser.get_log("browser")
    for path in scripted:
        browser.get(path.as_uri())
        settle(browser, path)
        errors, requests = console_errors(browser), outgoing_requests(browser)
        if errors or requests:
            failures.append((str(path.relative_to(seed_site)), errors, requests))
    harness = tmp_path / "harness.html"
    harness.write_text("<!DOCTYPE html><title>pages</title><body></body>", encoding="utf-8")
    browser.get(harness.as_uri())
    browser.set_script_timeout(120)
    assert browser.execute_async_script(HARNESS, [p.as_uri() for p in plain]) == len(plain)
    errors, requests = console_errors(browser), outgoing_requests(browser)
    if errors or requests:
        failures.append(("the plain pages", errors, requests))
    assert failures == []


def test_every_internal_link_reaches_a_file_and_its_anchor(seed_site: Path, store: ox.Store) -> None:
    addresses = {str(row[0].value) for row in store.query("SELECT ?u WHERE {{ ?a <https://schema.org/url> ?u }}")}  # type: ignore[index,union-attr]
    parsed = {path: parse(path) for path in seed_site.rglob("*.html")}
    broken = []
    for path, page in parsed.items():
        for ref in page.refs:
            parts = urlsplit(ref)
            if parts.scheme:
                assert ref in addresses, f"{path}: {ref} leaves the site"
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if (
                not target.is_file()
                or seed_site.resolve() not in target.parents
                or (parts.fragment and parts.fragment not in parsed[Path(os.path.normpath(target))].ids)
            ):
                broken.append((str(path.relative_to(seed_site)), ref))
    assert broken == []


def test_the_shared_libraries_are_files_not_copies(seed_site: Path) -> None:
    from kg.views import plotly_js, vis_network_js

    assert (seed_site / "assets" / "vis-network.min.js").read_text(encoding="utf-8") == vis_network_js()
    assert (seed_site / "assets" / "plotly.min.js").read_text(encoding="utf-8") == plotly_js()
    frames = sorted(seed_site.rglob("frames/*.html"))
    assert frames and all(p.stat().st_size < 400_000 for p in frames)


class Dossier(HTMLParser):
    """The rows of the table of an actor page: each cell's text, its links, and its list items (link, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[dict[str, Any]]] = []
        self._cell: dict[str, Any] | None = None
        self._item: list[str] | None = None

    @classmethod
    def parse(cls, path: Path) -> list[list[dict[str, Any]]]:
        table = cls()
        table.feed(path.read_text(encoding="utf-8"))
        return [row for row in table.rows if row]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = {"text": "", "links": [], "items": []}
        elif tag == "li" and self._cell is not None:
            self._item = []
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(str(dict(attrs)["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._cell is not None and self._item is not None:
            self._cell["items"].append((self._cell["links"][-1], "".join(self._item)))
            self._item = None
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] += data
        if self._item is not None:
            self._item.append(data)


Account = tuple[str, str | None, datetime.date | None]  # modality, the date as EDTF, its first (or last) day


def curated_accounts(project: Project) -> dict[str, dict[str, dict[str, Account]]]:
    """Actor → fact → article → what that article's curated file says of the fact, read with rdflib alone."""
    kg_, prov = rdflib.Namespace(KG), rdflib.Namespace(PROV)
    ontology = rdflib.Graph().parse(project.root / "ontology.ttl")
    classes = set(ontology.transitive_subjects(RDFS.subClassOf, kg_.Fact)) - {kg_.Fact}
    found: dict[str, dict[str, dict[str, Account]]] = {}
    for path in sorted((project.root / "data" / "articles").glob("*.ttl")):
        g = rdflib.Graph().parse(path)
        (article,) = g.subjects(RDF.type, kg_.Article)
        for fact in {f for c in classes for f in g.subjects(RDF.type, c) if (f, prov.wasDerivedFrom, None) in g}:

            def one(p: str, fact: Any = fact, g: rdflib.Graph = g) -> Any:
                value = g.value(fact, kg_[p])
                return value.toPython() if isinstance(value, rdflib.Literal) else value

            bounds = [one(p) for p in ("date", "endDate", "earliestDate", "latestDate")]
            first = last = None
            if any(bounds):
                precision = precision_name(one("datePrecision")) if one("datePrecision") else "day"
                first, last = interval(bounds[0], precision, *bounds[1:])
            account = (
                str(ontology.value(one("modality"), RDFS.label)),
                edtf(first, last) if any(bounds) else None,
                first or last,
            )
            for role in ("actor", "target", "participant", "subject", "object", "holder", "about", "claimedBy"):
                for who in g.objects(fact, kg_[role]):
                    name = str(fact).rpartition("/")[2]
                    found.setdefault(str(who).rpartition("/")[2], {}).setdefault(name, {})[str(article)[-3:]] = account
    return found


def actor_rows(site: Path, actor: str) -> list[tuple[str, str, dict[str, str]]]:
    """An actor page's rows: when, the fact's id (read from its page), and each article's account by article."""
    rows = []
    for cells in Dossier.parse(site / "actors" / f"{actor}.html"):
        fact_page = (site / "actors" / cells[1]["links"][0]).resolve()
        fact_id = re.search(r"<code>fact:([^<]+)</code>", fact_page.read_text(encoding="utf-8"))
        assert fact_id is not None
        accounts = {Path(href).stem: text.partition(" — ")[2] for href, text in cells[4]["items"]}
        rows.append((cells[0]["text"], fact_id.group(1), accounts))
    return rows


def test_each_actor_page_gives_each_articles_own_account_dated_first(seed_site: Path, project: Project) -> None:
    expected = curated_accounts(project)
    assert len(expected) > 30 and "gustavo-petro" in expected
    assert sorted(p.stem for p in (seed_site / "actors").glob("*.html") if p.stem != "index") == sorted(expected)
    for actor, facts in expected.items():
        rows = actor_rows(seed_site, actor)
        shown = {fact: accounts for _, fact, accounts in rows}
        assert len(rows) == len(shown), actor  # one row per fact
        assert shown == {
            fact: {a: ", ".join(x for x in (m, when) if x) for a, (m, when, _) in by.items()}
            for fact, by in facts.items()
        }, actor
        for when, fact, _ in rows:  # the dates the articles give, each once
            assert when == ", ".join(sorted({w for _, w, _ in facts[fact].values() if w})), (actor, fact)
        days = [min((d for _, _, d in facts[fact].values() if d), default=None) for _, fact, _ in rows]
        dated = [d for d in days if d is not None]
        assert days == [*dated, *[None] * (len(days) - len(dated))] and dated == sorted(dated), actor
    # the 3 February meeting: 000 and 004 anticipate it, 002 and 003 report it; only 003 names Sánchez in it
    meeting = "petro-trump-meeting-2026-02-03"
    petro = {f: a for _, f, a in actor_rows(seed_site, "gustavo-petro")}[meeting]
    assert {a: said.split(",")[0] for a, said in petro.items()} == {
        "000": "planned",
        "002": "actual",
        "003": "actual",
        "004": "planned",
    }
    assert list({f: a for _, f, a in actor_rows(seed_site, "pedro-sanchez")}[meeting]) == ["003"]


def quotes_by_article(store: ox.Store) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for row in store.query(f"""SELECT ?a ?ev ?q WHERE {{ GRAPH ?a {{ ?a a <{KG}Article> . ?ev <{KG}quote> ?q }} }}
                              ORDER BY ?a ?ev"""):
        found.setdefault(str(row[0].value).rpartition("/")[2], []).append((str(row[1].value), str(row[2].value)))  # type: ignore[index]
    return found


MARKED = """
const id = arguments[0];
const pieces = [document.getElementById(id), ...document.querySelectorAll('[data-of="' + id + '"]')];
if (!pieces[0] || pieces[0].tagName !== 'MARK') return null;
return pieces.map(m => { const c = m.cloneNode(true); c.querySelectorAll('sup.refs').forEach(s => s.remove());
                         return c.textContent; }).join('');
"""


def test_each_article_page_marks_every_quote_in_its_text(
    seed_site: Path, store: ox.Store, texts: Path, browser: Any
) -> None:
    quotes = quotes_by_article(store)
    assert len(quotes) == 5
    for article, pairs in quotes.items():
        browser.get((seed_site / "articles" / f"{article}.html").as_uri())
        anchors = browser.execute_script("return [...document.querySelectorAll('mark[id]')].map(m => m.id)")
        assert len(set(anchors)) >= len(pairs)
        for evidence, quote in pairs:
            anchor = "q-" + evidence.rpartition("/")[2].lower()
            marked = browser.execute_script(MARKED, anchor)
            assert marked is not None, f"{article}: {evidence} is not marked"
            assert " ".join(marked.split()) == " ".join(quote.split())


def test_an_article_page_numbers_its_facts_in_reading_order(seed_site: Path, store: ox.Store) -> None:
    cited: dict[str, set[str]] = {}
    for row in store.query(f"""
        SELECT ?a ?fact WHERE {{
          GRAPH ?a {{ ?a a <{KG}Article> . ?fact <{PROV}wasDerivedFrom> ?ev ; a ?c . ?ev <{KG}quote> ?q }}
          ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{KG}Fact> }}"""):
        cited.setdefault(str(row[0].value).rpartition("/")[2], set()).add(str(row[1].value).rpartition("/")[2])  # type: ignore[index]
    assert len(cited) == 5
    for article, facts in cited.items():
        page = (seed_site / "articles" / f"{article}.html").read_text(encoding="utf-8")
        refs = [
            int(n) for sup in re.findall(r'<sup class="refs">(.*?)</sup>', page) for n in re.findall(r">(\d+)</a>", sup)
        ]
        assert list(dict.fromkeys(refs)) == list(range(1, len(facts) + 1)), article  # each first met in order
        listed = re.findall(r'<li><a href="\.\./facts/([^"]+)\.html">', page.partition("The facts it supports")[2])
        assert sorted(listed) == sorted(facts)
        numbered = dict(re.findall(r'<a href="\.\./facts/([^"]+)\.html" title="[^"]*">(\d+)</a>', page))
        assert {f: int(n) for f, n in numbered.items()} == {f: i for i, f in enumerate(listed, start=1)}


def test_without_texts_an_article_page_lists_its_quotes_in_order(tmp_path: Path) -> None:
    tiny = built_tiny(tmp_path / "tiny")
    site = publish(tiny, tmp_path / "site", notebooks=False, texts=False).where
    store = ox.Store()
    store.load(path=str(tiny.build / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    for article, pairs in quotes_by_article(store).items():
        page = (site / "articles" / f"{article}.html").read_text(encoding="utf-8")
        assert "<mark" not in page and "--no-texts" in page
        listed = re.findall(r'<li id="(q-[^"]+)"><blockquote>(.*?)</blockquote>', page)
        assert [a for a, _ in listed] == ["q-" + ev.rpartition("/")[2] for ev, _ in pairs]
        assert [html.unescape(q) for _, q in listed] == [q for _, q in pairs]


def test_the_search_finds_a_quote_by_a_word_of_it_accents_aside(seed_site: Path, store: ox.Store, browser: Any) -> None:
    rows = [str(r[0].value) for r in store.query(f"SELECT ?q WHERE {{ ?ev <{KG}quote> ?q }} ORDER BY ?q")]  # type: ignore[index]
    quote = next(q for q in rows if re.search(r"\w*[áéíóúñ]\w*", q))
    word = max(re.findall(r"\w*[áéíóúñ]\w*", quote), key=len)
    typed = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).upper()
    browser.get((seed_site / "search.html").as_uri())
    box = browser.find_element("id", "kg-q")
    box.send_keys(typed)
    results = browser.execute_script(
        "return [...document.querySelectorAll('#kg-results li.quote a')]"
        ".map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert any(text == quote for text, _ in results), (typed, results)
    href = next(h for text, h in results if text == quote)
    browser.find_element("css selector", f'#kg-results a[href="{href}"]').click()
    assert browser.execute_script("return location.hash.slice(1)") == href.partition("#")[2]
    assert browser.execute_script("return document.getElementById(location.hash.slice(1)).tagName") in ("MARK", "LI")


# ---------------------------------------------------------------- hostile data


HOSTILE = (
    "Zed </title><script>window.kgPwned=1</script> </textarea></script> "
    "\"><img src=x onerror=window.kgPwned=2> it's\u2028end"
)


def turtle(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\u2028", "\\u2028")


def hostile_project(dest: Path) -> Project:
    copy_tiny(dest)
    registry = dest / "data" / "entities.ttl"
    registry.write_text(
        registry.read_text(encoding="utf-8")
        .replace('rdfs:label "Alice Arden"', f'rdfs:label "{turtle(HOSTILE)}"')
        .replace('kg:alias "Arden"', f'kg:alias "Arden", "{turtle(HOSTILE)} alias"'),
        encoding="utf-8",
    )
    text = dest / "sources" / "t1.txt"
    body = text.read_text(encoding="utf-8") + f"\n{HOSTILE} said so.\n"
    text.write_text(body, encoding="utf-8")
    data = body.encode("utf-8")
    curated = dest / "data" / "articles" / "t1.ttl"
    old = curated.read_text(encoding="utf-8")
    old = re.sub(r'kg:sourceSha256 "[0-9a-f]+"', f'kg:sourceSha256 "{hashlib.sha256(data).hexdigest()}"', old)
    old = re.sub(r"kg:sourceLength \d+", f"kg:sourceLength {len(data)}", old)
    old = old.replace('schema:headline "Arden and Brook hold talks"', f'schema:headline "{turtle(HOSTILE)}"')
    old = old.replace('rdfs:label "Alice Arden meets Bob Brook"', f'rdfs:label "{turtle(HOSTILE)} meets"')
    other = dest / "data" / "articles" / "t2.ttl"  # it states the shared fact's label too
    other.write_text(
        other.read_text(encoding="utf-8").replace(
            'rdfs:label "Alice Arden meets Bob Brook"', f'rdfs:label "{turtle(HOSTILE)} meets"'
        ),
        encoding="utf-8",
    )
    old = old.replace(
        "    kg:inArticle art:t1 .\n\nev:t1-02",
        f'    kg:inArticle art:t1 .\n\nev:t1-03 a kg:Evidence ;\n    kg:quote "{turtle(HOSTILE)} said so." ;\n'
        f'    rdfs:comment "{turtle(HOSTILE)}" ;\n    kg:inArticle art:t1 .\n\nev:t1-02',
    )
    old = old.replace("prov:wasDerivedFrom ev:t1-01 .", "prov:wasDerivedFrom ev:t1-01, ev:t1-03 .")
    curated.write_text(old, encoding="utf-8")
    project = Project.at(dest, sources=dest / "sources")
    build_project(project)
    return project


INERT = """
return {
  pwned: window.kgPwned || null,
  images: document.querySelectorAll('img').length,
  handlers: [...document.querySelectorAll('*')]
    .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  scripts: [...document.scripts].filter(s => !s.src && s.type !== 'application/json').length,
  title: document.title,
  heading: (document.querySelector('h1') || {}).textContent || null,
  text: document.body.innerText,
};
"""


def test_hostile_data_stays_inert_and_shows_literally(tmp_path: Path, browser: Any) -> None:
    site = publish(hostile_project(tmp_path / "hostile"), tmp_path / "site", notebooks=False).where
    pages = [p for p in sorted(site.rglob("*.html")) if "/frames/" not in str(p)]  # the views' own tests cover those
    shown = 0
    for path in pages:
        browser.get(path.as_uri())
        settle(browser, path)
        seen = browser.execute_script(INERT)
        assert (seen["pwned"], seen["images"], seen["handlers"], seen["scripts"]) == (None, 0, 0, 0), path
        if "Zed </title>" in (seen["heading"] or ""):
            assert HOSTILE in seen["heading"], path
            assert HOSTILE.split("\u2028")[0] in seen["title"], path
            shown += 1
    assert shown >= 3  # the actor, the fact and the article are named by it
    browser.get((site / "articles" / "t1.html").as_uri())
    assert browser.execute_script(MARKED, "q-t1-03").replace("\u2028", " ") == f"{HOSTILE} said so.".replace(
        "\u2028", " "
    )
    browser.get((site / "search.html").as_uri())
    browser.find_element("id", "kg-q").send_keys("textarea onerror")
    found = browser.execute_script("return [...document.querySelectorAll('#kg-results a')].map(a => a.textContent)")
    assert f"{HOSTILE} said so." in found and browser.execute_script("return window.kgPwned || null") is None


# ---------------------------------------------------------------- writing


def test_a_failure_part_way_leaves_the_previous_site_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny = built_tiny(tmp_path / "tiny")
    site = tmp_path / "out" / "site"
    site.parent.mkdir()
    publish(tiny, site, notebooks=False)
    before = tree(site)
    assert SITE_MARK in before and "articles/t1.html" in before

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(kg.site.pages, "article_page", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        publish(tiny, site, notebooks=False, title="Another")
    assert tree(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_the_same_input_writes_the_same_bytes(tmp_path: Path) -> None:
    tiny = built_tiny(tmp_path / "tiny")
    first = tree(publish(tiny, tmp_path / "a", notebooks=False).where)
    assert tree(publish(tiny, tmp_path / "b", notebooks=False).where) == first
    listed = first[SITE_MARK].decode().splitlines()[1:]  # the mark lists every file of the site
    assert listed == sorted(set(first) - {SITE_MARK}) and "index.html" in listed
    again = publish(tiny, tmp_path / "a", notebooks=False, texts=False)  # a kg site is replaced whole
    assert tree(again.where) != first and "--no-texts" in tree(again.where)["articles/t1.html"].decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "tiny"]  # nothing beside the sites


def test_a_folder_kg_did_not_write_is_refused_untouched(tmp_path: Path) -> None:
    tiny = built_tiny(tmp_path / "tiny")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work", encoding="utf-8")
    with pytest.raises(InputError, match="not a site kg wrote") as caught:
        publish(tiny, mine, notebooks=False)
    assert caught.value.hint and "another folder" in caught.value.hint
    assert tree(mine) == {"thesis.tex": b"years of work"}
    for folder in (tiny.root, tiny.build, tiny.root / "data"):  # the project, its build, its data
        before = tree(folder)
        with pytest.raises(InputError, match="not a site kg wrote"):
            publish(tiny, folder, notebooks=False)
        assert tree(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "tiny"]


def test_a_site_holding_what_kg_did_not_write_is_refused_untouched(tmp_path: Path) -> None:
    tiny = built_tiny(tmp_path / "tiny")
    site = tmp_path / "site"
    publish(tiny, site, notebooks=False)
    (site / ".git").mkdir()  # published to GitHub Pages from the folder itself
    (site / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (site / "CNAME").write_text("graph.example.org\n", encoding="utf-8")
    (site / "drafts").mkdir()
    before = tree(site)
    with pytest.raises(InputError, match=r"holding what kg did not write \(\.git/, CNAME, drafts/\)") as caught:
        publish(tiny, site, notebooks=False, title="Again")
    assert caught.value.hint and "move them out" in caught.value.hint
    assert tree(site) == before and (site / "drafts").is_dir()
    shutil.rmtree(site / ".git")
    (site / "CNAME").unlink()
    (site / "drafts").rmdir()
    (site / "search.html").unlink()  # a file of the site gone is no reason to refuse
    publish(tiny, site, notebooks=False, title="Again")
    assert "Again" in (site / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tiny"]


def test_a_file_put_in_the_site_while_it_is_made_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny = built_tiny(tmp_path / "tiny")
    site = tmp_path / "site"
    publish(tiny, site, notebooks=False)
    search_page = kg.site.pages.search_page

    def meanwhile(*args: Any, **kwargs: Any) -> str:
        (site / "notes.md").write_text("written while kg publish ran", encoding="utf-8")
        return search_page(*args, **kwargs)

    monkeypatch.setattr(kg.site.pages, "search_page", meanwhile)
    with pytest.raises(InputError, match=r"notes\.md"):
        publish(tiny, site, notebooks=False)
    assert (site / "notes.md").read_text(encoding="utf-8") == "written while kg publish ran"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tiny"]


def test_a_link_to_a_site_is_kept_and_the_site_it_names_replaced(tmp_path: Path) -> None:
    tiny = built_tiny(tmp_path / "tiny")
    real = tmp_path / "www" / "site"
    real.parent.mkdir()
    publish(tiny, real, notebooks=False)
    public = tmp_path / "public"
    public.symlink_to(real)
    report = publish(tiny, public, notebooks=False, title="Through the link")
    assert public.is_symlink() and public.resolve() == real and report.where == real
    assert "Through the link" in (real / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in real.parent.iterdir()) == ["site"]


def test_without_a_build_publish_says_to_run_kg_build(tmp_path: Path) -> None:
    copy_tiny(tmp_path / "tiny")
    with pytest.raises(InputError, match="no built dataset") as caught:
        publish(Project.at(tmp_path / "tiny"), tmp_path / "site")
    assert caught.value.hint == "run kg build"


def test_the_command_prints_what_it_wrote_and_refuses_a_file(tmp_path: Path) -> None:
    tiny = built_tiny(tmp_path / "tiny")
    runner = CliRunner()
    dest = tmp_path / "public"
    done = runner.invoke(main, ["--project", str(tiny.root), "publish", "--no-notebooks", str(dest)])
    assert done.exit_code == 0, done.output
    assert (dest / "index.html").as_uri() in done.output and "articles" in done.output
    index = (dest / "index.html").read_text(encoding="utf-8")
    assert "--no-notebooks" in index
    file = tmp_path / "notes.txt"
    file.write_text("x", encoding="utf-8")
    refused = runner.invoke(main, ["--project", str(tiny.root), "publish", str(file)])
    assert refused.exit_code == 2
    assert f"{file}: is a file, not a folder" in refused.output and "Traceback" not in refused.output


# ---------------------------------------------------------------- notebooks


def test_notebooks_are_run_in_a_copy_and_rendered_without_a_cdn(tmp_path: Path, browser: Any) -> None:
    tiny = built_tiny(tmp_path / "tiny")
    (tiny.root / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# A tour\n\nSome maths: $x^2$."),
            nbformat.v4.new_code_cell("import pathlib\npathlib.Path('made.txt').write_text('x')\nprint(6 * 7)"),
        ]
    )
    nbformat.write(nb, tiny.root / "notebooks" / "tour.ipynb")
    site = publish(tiny, tmp_path / "site").where
    page = site / "notebooks" / "tour.html"
    written = page.read_text(encoding="utf-8")
    assert "42" in written and "A tour" in written
    assert "http://" not in written and "https://" not in written
    assert not (tiny.root / "notebooks" / "made.txt").exists()  # it ran in a copy
    browser.get_log("performance")
    browser.get_log("browser")
    browser.get(page.as_uri())
    settle(browser, page)
    assert (console_errors(browser), outgoing_requests(browser)) == ([], [])
    assert "tour.html" in (site / "notebooks" / "index.html").read_text(encoding="utf-8")
