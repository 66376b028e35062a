"""The site's pieces, in process and fast: its pages, its quote marks, its escaping, its mark, its notebooks.

tests/test_site.py publishes the seed corpus and looks at it in Chromium; here the tiny
example project (tests/fixtures/tiny) is published once, without notebooks, and the page
functions are called on hand-made data. Expected values come from the tiny project's
curated files (read with rdflib), the query files shipped in ``kg/queries``, or the
fixtures written here, never from the pages checked.
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
import rdflib
from rdflib import RDF, RDFS

import kg
from kg.build import build_project
from kg.errors import InputError
from kg.project import Project
from kg.query import parse_query_file
from kg.site import SITE_MARK, SiteReport, check_destination, publish
from kg.site.notebooks import render_notebooks
from kg.site.pages import (
    DISPLAY_ROWS,
    HEADLINE_QUESTIONS,
    ArticleText,
    Links,
    actor_page,
    actors_page,
    article_page,
    articles_page,
    fact_page,
    facts_page,
    frame_page,
    index_page,
    question_page,
    search_entries,
    search_page,
)
from kg.site.publish import _stage, _write
from kg.site.read import Actor, Article, Evidence, Fact, Site
from kg.site.text import Mark, find_quote, highlight
from tests.conftest import TINY, copy_tiny

SCHEMA = rdflib.Namespace("https://schema.org/")
KG = rdflib.Namespace("https://w3id.org/newskg/ns#")
PREFIXES = {
    "https://w3id.org/newskg/id/article/": "art:",
    "https://w3id.org/newskg/id/evidence/": "ev:",
    "https://w3id.org/newskg/id/fact/": "fact:",
    "https://w3id.org/newskg/id/": "ent:",
}
#: How a site's mark begins (kg/site/publish.py documents it; written out here as the spec).
HEAD = "A site written by kg publish: kg publish replaces this folder whole. Its files:\n"
OLD_HEAD = "A site written by kg publish: kg publish replaces this folder whole.\n"


def local(term: rdflib.term.Node) -> str:
    """The local name of an id of the tiny project (``art:t1`` → ``t1``)."""
    for base in PREFIXES:
        if str(term).startswith(base):
            return str(term)[len(base) :]
    raise AssertionError(term)


def curated() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((TINY / "data").rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


class Parsed(HTMLParser):
    """What a page shows: its title, headings, links, marks (id → text), tags, attributes, scripts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.headings: dict[str, list[str]] = {"h1": [], "h2": []}
        self.links: list[tuple[str, str]] = []
        self.marks: dict[str, str] = {}
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []  # each start tag and its attributes
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.article_text = ""
        self._open: list[tuple[str, str]] = []  # (tag, id) of the elements open
        self._href: str | None = None
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]
        self.elements.append((tag, found))
        if tag == "mark":
            key = found.get("id") or f"+{found.get('data-of')}"
            self.marks.setdefault(str(key), "")
        if tag == "a":
            self._href, self._text = str(found.get("href")), []
        if tag == "script":
            self.scripts.append((found, ""))
        self._open.append((tag, str(found.get("id") or found.get("data-of") or found.get("class") or "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self._open]
        if tags and tags[-1] == "title":
            self.title += data
        if tags and tags[-1] in self.headings:
            self.headings[tags[-1]].append(data)
        if tags and tags[-1] == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        if self._href is not None:
            self._text.append(data)
        for tag, key in self._open:
            if tag == "mark":
                self.marks[key if key in self.marks else f"+{key}"] += data
        if ("div", "article-text") in self._open and "sup" not in tags:
            self.article_text += data

    @property
    def h1(self) -> str:
        return "".join(self.headings["h1"])


# ---------------------------------------------------------------- the tiny site, published once


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project built and published without its notebooks."""
    root = copy_tiny(tmp_path_factory.mktemp("tiny") / "tiny")
    project = Project.at(root, sources=root / "sources")
    build_project(project)
    return publish(project, tmp_path_factory.mktemp("site") / "site", notebooks=False).where


def read(site: Path, path: str) -> Parsed:
    return Parsed((site / path).read_text(encoding="utf-8"))


def test_the_index_links_every_article_to_its_page_and_leads_with_the_questions(tiny_site: Path) -> None:
    graph = curated()
    headlines = {local(a): str(graph.value(a, SCHEMA.headline)) for a in graph.subjects(RDF.type, KG.Article)}
    assert len(headlines) == 2
    index = read(tiny_site, "index.html")
    articles = {
        href: text for href, text in index.links if href.startswith("articles/") and href != "articles/index.html"
    }
    assert articles == {f"articles/{name}.html": headline for name, headline in headlines.items()}
    assert all((tiny_site / href).is_file() for href in articles)
    shipped = {p.stem: p for p in (Path(kg.__file__).parent / "queries").glob("*.rq")}
    titles = {
        name: re.search(r"^# title: (.*)$", path.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
        for name, path in shipped.items()
    }
    led = [(href, text) for href, text in index.links if href.startswith("questions/") and "index" not in href]
    assert led == [(f"questions/{n}.html", titles[n]) for n in HEADLINE_QUESTIONS if n in shipped]
    assert len(led) >= 5 and all((tiny_site / href).is_file() for href, _ in led)
    assert ("questions/index.html", f"All {len(shipped)} named questions") in index.links
    assert sorted(p.stem for p in (tiny_site / "questions").glob("*.html")) == sorted([*shipped, "index"])
    assert index.title == "News knowledge graph \u2014 News knowledge graph"


def test_each_page_is_titled_and_headed_by_its_curated_label(tiny_site: Path) -> None:
    graph = curated()
    site = "News knowledge graph"
    for a in graph.subjects(RDF.type, KG.Article):
        page = read(tiny_site, f"articles/{local(a)}.html")
        headline = str(graph.value(a, SCHEMA.headline))
        assert (page.title, page.h1) == (f"{headline} \u2014 {site}", headline)
    facts = {local(f) for f in graph.subjects(KG.modality, None)}
    assert facts == {p.stem for p in (tiny_site / "facts").glob("*.html")} - {"index"}
    for name in facts:
        label = str(graph.value(rdflib.URIRef(f"https://w3id.org/newskg/id/fact/{name}"), RDFS.label))
        page = read(tiny_site, f"facts/{name}.html")
        assert (page.title, page.h1) == (f"{label} \u2014 {site}", label)
    people = set(graph.subjects(RDF.type, KG.Person))
    assert {local(p) for p in people} == {p.stem for p in (tiny_site / "actors").glob("*.html")} - {"index"}
    for person in people:
        source = (tiny_site / "actors" / f"{local(person)}.html").read_text(encoding="utf-8")
        parsed = Parsed(source)
        label = str(graph.value(person, RDFS.label))
        assert (parsed.title, parsed.h1) == (f"{label} \u2014 {site}", label)
        assert f"Also called: {', '.join(sorted(str(x) for x in graph.objects(person, KG.alias)))}." in source
    listed = read(tiny_site, "actors/index.html").links
    for person in people:
        assert (f"{local(person)}.html", str(graph.value(person, RDFS.label))) in listed


def test_an_article_page_shows_its_text_whole_with_each_quote_marked(tiny_site: Path) -> None:
    graph = curated()
    for a in graph.subjects(RDF.type, KG.Article):
        text = (TINY / "sources" / str(graph.value(a, KG.sourceFile))).read_text(encoding="utf-8")
        page = read(tiny_site, f"articles/{local(a)}.html")
        assert page.article_text == text
        quotes = {f"q-{local(ev)}": str(graph.value(ev, KG.quote)) for ev in graph.subjects(KG.inArticle, a)}
        assert len(quotes) == 2 and page.marks == quotes
        numbered = [h for h, _ in page.links if h.startswith("../facts/") and h != "../facts/index.html"]
        # the facts are numbered in the order the text cites them: in tiny, that of the quotes' ids
        cited = [local(f) for ev in sorted(graph.subjects(KG.inArticle, a), key=str) for f in graph.subjects(None, ev)]
        assert numbered[: len(cited)] == [f"../facts/{name}.html" for name in cited]


# ---------------------------------------------------------------- quotes in a text


def test_a_quote_is_found_everywhere_it_occurs_runs_of_whitespace_aside() -> None:
    assert find_quote("Go. Stop. Go.", "Go.") == [(0, 3), (10, 13)]  # at the very start and the very end
    assert find_quote("ab ab  ab", "ab ab") == [(0, 5), (3, 9)]  # overlapping occurrences both
    assert find_quote("Say\n\t it.", " Say it. ") == [(0, 9)]
    assert find_quote("Say it.", "Sayit.") == [] and find_quote("Sayit.", "Say it.") == []
    assert find_quote("axb a.b", "a.b") == [(4, 7)]  # the quote is text, not a pattern
    assert find_quote("abc", "") == [] and find_quote("a b", " \n ") == []
    assert find_quote("Ann met Bob.", "ann met bob.") == []


def test_marks_at_the_edges_adjacent_nested_and_overlapping() -> None:
    def opened(key: str, cls: str = "q") -> str:
        return f'<mark id="{key}" class="{cls}">'

    assert highlight("Ann met Bob", [Mark(8, 11, "b"), Mark(0, 3, "a")]) == (
        f"{opened('a')}Ann</mark> met {opened('b')}Bob</mark>"
    )
    assert highlight("AnnBob", [Mark(3, 6, "b"), Mark(0, 3, "a")]) == f"{opened('a')}Ann</mark>{opened('b')}Bob</mark>"
    assert highlight("Ann met Bob", [Mark(4, 7, "in"), Mark(0, 11, "out")]) == (
        f"{opened('out')}Ann {opened('in')}met</mark> Bob</mark>"
    )
    # starting together: the longer holds the shorter, whatever the order given
    assert highlight("Ann met Bob", [Mark(0, 3, "s"), Mark(0, 7, "l")]) == (
        f"{opened('l')}{opened('s')}Ann</mark> met</mark> Bob"
    )
    # overlapping: the first is closed where it ends, its "after" follows it, the other goes on
    assert highlight("abcdef", [Mark(2, 6, "y", "<i>2</i>"), Mark(0, 4, "x", "<i>1</i>")]) == (
        f'{opened("x")}ab{opened("y")}cd</mark></mark><i>1</i><mark class="q q-more" data-of="y">ef</mark><i>2</i>'
    )
    ending = highlight("abcdef", [Mark(0, 6, "o", "<i>1</i>"), Mark(3, 6, "i", "<i>2</i>")])
    assert ending.startswith(f"{opened('o')}abc{opened('i')}def</mark></mark>") and ending.endswith("</i>")
    assert sorted(re.findall(r"<i>\d</i>", ending)) == ["<i>1</i>", "<i>2</i>"]
    assert highlight("a<b>&c", [Mark(1, 4, 'q"1', cls='x"y')]) == (
        'a<mark id="q&quot;1" class="q x&quot;y">&lt;b&gt;</mark>&amp;c'
    )
    assert highlight("abc", [Mark(2, 2, "empty")]) == "abc" and highlight("", []) == ""
    assert highlight("a > b", []) == "a &gt; b"


# ---------------------------------------------------------------- hostile data


HOSTILE = "Zed </title></textarea></script><script>kgPwned=1</script>\"'><img src=x onerror=alert(1)> & \u2028"


def hostile_site() -> tuple[Site, str]:
    art = Article("art:h", "h", HOSTILE, HOSTILE, HOSTILE, "2026-03-03", [HOSTILE], None, "h.txt", None, None)
    art.evidence = ["ev:h-1"]
    quote = f"{HOSTILE} said so."
    site = Site(
        articles={"art:h": art},
        evidence={"ev:h-1": Evidence("ev:h-1", "art:h", quote, HOSTILE, ["fact:h"])},
        facts={"fact:h": Fact("fact:h", "h", HOSTILE, HOSTILE, HOSTILE, 1, 1, {"art:h": ["ev:h-1"]})},
        actors={"ent:h": Actor("ent:h", "h", HOSTILE, [HOSTILE], HOSTILE)},
    )
    site.facts["fact:h"].reports = [{"article": "art:h", "modality_label": HOSTILE, "when": "2026-03-03"}]
    row = {"fact": "fact:h", "fact_label": HOSTILE, "class_label": HOSTILE, "when": HOSTILE, "roles": HOSTILE}
    site.actors["ent:h"].dossier = [{**row, "cited": "h", "quotes": 1}]
    return site, f"Before. {quote} After."


def test_hostile_data_is_text_in_every_page_it_reaches() -> None:
    site, text = hostile_site()
    links = Links(site, ["ent:h"])
    stats = SimpleNamespace(facts=1, several=0, corroborated=0, by_class=pd.DataFrame({"class": [HOSTILE], "n": [1]}))
    pages = {
        "actor": actor_page(site, "ent:h", links, title=HOSTILE),
        "fact": fact_page(site, "fact:h", links, title=HOSTILE),
        "article": article_page(site, "art:h", ArticleText(text), links, title=HOSTILE),
        "quotes": article_page(site, "art:h", ArticleText(None, HOSTILE), links, title=HOSTILE),
        "index": index_page(site, stats, {}, {"x.html": HOSTILE}, title=HOSTILE, notebooks=HOSTILE),
        "actors": actors_page(site, links, title=HOSTILE),
        "facts": facts_page(site, title=HOSTILE),
        "articles": articles_page(site, title=HOSTILE),
        "search": search_page(site, links, title=HOSTILE),
    }
    for kind, page in pages.items():
        parsed = Parsed(page)
        assert "img" not in parsed.tags and "textarea" not in parsed.tags, kind
        assert not [a for a in parsed.attributes if a.startswith("on")], kind
        assert parsed.tags.count("title") == 1 and parsed.title.endswith(f"\u2014 {HOSTILE}"), kind
        inline = [body for attrs, body in parsed.scripts if not attrs.get("src")]
        assert all(attrs.get("type") == "application/json" for attrs, body in parsed.scripts if not attrs.get("src"))
        assert all("<" not in body and "\u2028" not in body for body in inline), kind
        if kind not in ("actors", "facts", "articles", "search"):
            assert parsed.h1 == HOSTILE, kind
    assert Parsed(pages["article"]).marks == {"q-h-1": f"{HOSTILE} said so."}
    assert Parsed(pages["article"]).article_text == text
    (entries,) = [json.loads(body) for attrs, body in Parsed(pages["search"]).scripts if not attrs.get("src")]
    assert {e["text"] for e in entries} == {HOSTILE, f"{HOSTILE} said so."}
    assert ("articles/h.html", HOSTILE) in Parsed(pages["index"]).links


def test_a_quote_links_to_its_mark_on_its_articles_page() -> None:
    site, text = hostile_site()
    links = Links(site)
    assert links.quote("ev:h-1") == "../articles/h.html#q-h-1"  # from a page one folder down
    assert links.quote("ev:h-1", depth=0) == "articles/h.html#q-h-1"  # from the home page
    assert links.quote("ev:nowhere") is None
    marked = Parsed(article_page(site, "art:h", ArticleText(text), links, title="S")).marks
    assert "q-h-1" in marked  # the anchor is the id of the quote's mark on that page


# ---------------------------------------------------------------- the pages of a small plain site

#: The text of the plain site's first article: its first quote is in it, its second is not.
PLAIN_TEXT = "Ann met Bob. Then they left."


def plain_site() -> Site:
    """Two articles, three quotes, two facts, two actors, each value distinct and plain.

    ``art:a1`` (Daily Post, 2026-03-01, by Ann Lee and Bo Chan) quotes "Ann met Bob." (fact
    ``meet``) and "Nobody said this." (fact ``talk``, not in :data:`PLAIN_TEXT`); ``art:a2``
    (no outlet, date or byline) quotes "Bob met Ann." (fact ``meet``) and reports nothing of it.
    """
    a1 = Article(
        "art:a1",
        "a1",
        "Alpha report",
        "Alpha report",
        "Daily Post",
        "2026-03-01",
        ["Ann Lee", "Bo Chan"],
        None,
        "a1.txt",
        None,
        None,
        ["ev:a1-1", "ev:a1-2"],
    )
    a2 = Article("art:a2", "a2", "Beta report", None, None, None, [], None, "a2.txt", None, None, ["ev:a2-1"])
    meet = Fact(
        "fact:meet",
        "meet",
        "Ann meets Bob",
        "event",
        "consult",
        2,
        1,
        {"art:a1": ["ev:a1-1"], "art:a2": ["ev:a2-1"]},
        [{"article": "art:a1", "modality_label": "actual", "when": "2026-03-01"}],
    )
    talk = Fact(
        "fact:talk",
        "talk",
        "Ann talks",
        "statement",
        None,
        1,
        0,
        {"art:a1": ["ev:a1-2"]},
        [{"article": "art:a1", "modality_label": "planned"}],
    )
    return Site(
        articles={"art:a1": a1, "art:a2": a2},
        evidence={
            "ev:a1-1": Evidence("ev:a1-1", "art:a1", "Ann met Bob.", None, ["fact:meet"]),
            "ev:a1-2": Evidence("ev:a1-2", "art:a1", "Nobody said this.", None, ["fact:talk"]),
            "ev:a2-1": Evidence("ev:a2-1", "art:a2", "Bob met Ann.", None, ["fact:meet"]),
        },
        facts={"fact:meet": meet, "fact:talk": talk},
        actors={
            "ent:ann": Actor("ent:ann", "ann", "Ann", ["Annie", "A. Lee"], "person", [{"fact": "fact:meet"}]),
            "ent:bob": Actor("ent:bob", "bob", "Bob", [], None),
        },
    )


def cells(markup: str) -> list[list[str]]:
    """The text of each cell of a page's table body, row by row."""
    body = re.search(r"<tbody>(.*?)</tbody>", markup, re.S)
    assert body is not None
    return [
        [shown_text(c) for c in re.findall(r"<td>(.*?)</td>", row)] for row in re.findall(r"<tr>(.*?)</tr>", body[1])
    ]


def current_section(markup: str) -> list[str]:
    """Where the nav bar's entry marked as the current page leads."""
    return [str(attrs["href"]) for tag, attrs in Parsed(markup).elements if attrs.get("aria-current") == "page"]


def test_the_home_page_follows_each_article_with_its_outlet_date_and_bylines() -> None:
    site = plain_site()
    stats = SimpleNamespace(facts=2, several=1, corroborated=0, by_class=pd.DataFrame({"class": ["event"], "n": [1]}))
    home = index_page(site, stats, {}, {}, title="S", notebooks=None)
    listed = re.search(r"<h2>The articles</h2>\s*<ul>(.*?)</ul>", home, re.S)
    assert listed is not None
    items = [shown_text(li) for li in re.findall(r"<li>(.*?)</li>", listed[1])]
    assert items == ["Alpha report (Daily Post \u00b7 2026-03-01 \u00b7 Ann Lee, Bo Chan)", "Beta report"]


def test_the_actors_page_gives_each_actors_kind_aliases_and_number_of_facts() -> None:
    site = plain_site()
    page = actors_page(site, Links(site), title="S")
    assert cells(page) == [["Ann", "person", "Annie, A. Lee", "1"], ["Bob", "", "", "0"]]
    assert ("ann.html", "Ann") in Parsed(page).links and current_section(page) == ["../actors/index.html"]


def test_an_article_page_numbers_its_facts_from_one_and_says_which_quotes_its_text_lacks() -> None:
    site = plain_site()
    links = Links(site)
    page = article_page(site, "art:a1", ArticleText(PLAIN_TEXT), links, title="S")
    described = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page)
    assert described == [
        ("headline", "Alpha report"),
        ("outlet", "Daily Post"),
        ("published", "2026-03-01"),
        ("byline", "Ann Lee"),
        ("byline", "Bo Chan"),
    ]
    parsed = Parsed(page)
    assert parsed.marks == {"q-a1-1": "Ann met Bob."}
    # the fact of the quote found comes first: 1; the fact of the quote the text lacks, 2
    numbered = [(href, text) for href, text in parsed.links if text.isdigit()]
    assert numbered == [("../facts/meet.html", "1"), ("../facts/talk.html", "2")]
    shown = shown_text(page)
    assert "Not found in the text (runs of whitespace aside): kg check says why.\nNobody said this.2\n" in shown
    assert "The facts it supports\nAnn meets BobAnn talks" in shown
    without = shown_text(article_page(site, "art:a1", ArticleText(None, "No text here."), links, title="S"))
    assert "The quotesNo text here.\nAnn met Bob.1Nobody said this.2\n" in without  # listed, and not "not found"
    assert "Not found in the text" not in without


def test_a_fact_page_gives_each_articles_own_account_even_of_an_article_that_reports_none() -> None:
    site = plain_site()
    page = fact_page(site, "fact:meet", Links(site), title="S")
    shown = shown_text(page)
    assert "Reported by 2 articles: Alpha report, Beta report.As having happened (actual): Alpha report." in shown
    sections = [shown_text(s) for s in re.findall(r"<section>(.*?)</section>", page, re.S)]
    assert sections == [
        "Alpha report (2026-03-01)modalityactualwhen2026-03-01Ann met Bob.in the article",
        "Beta reportBob met Ann.in the article",  # no date, and nothing it reports: only its quote
    ]
    assert ("../articles/a2.html#q-a2-1", "in the article") in Parsed(page).links
    talk = shown_text(fact_page(site, "fact:talk", Links(site), title="S"))
    assert "Reported by 1 article: Alpha report.As having happened (actual): none." in talk


def test_an_actor_page_counts_its_facts_and_gives_each_ones_dates_label_type_role_and_accounts() -> None:
    site = plain_site()
    site.actors["ent:bob"] = Actor(
        "ent:bob",
        "bob",
        "Bob",
        [],
        None,
        [
            {
                "fact": "fact:meet",
                "fact_label": "Bob is met",
                "class_label": "event",
                "when": "2026-03-01",
                "roles": "target",
                "cited": "a1 a2",
                "quotes": 2,
            },
            {
                "fact": "fact:talk",
                "fact_label": "Talk of Bob",
                "class_label": "statement",
                "roles": "about",
                "cited": "a1",
            },
        ],
    )
    page = actor_page(site, "ent:bob", Links(site), title="S")
    assert "<h2>2 facts</h2>" in page
    # each account: the article, then the modality and date its own report gives (a2 reports none)
    assert cells(page) == [
        ["2026-03-01", "Bob is met", "event: consult", "target", "Alpha report — actual, 2026-03-01Beta report", "2"],
        ["", "Talk of Bob", "statement", "about", "Alpha report — planned", ""],
    ]
    parsed = Parsed(page)
    assert ("../facts/meet.html", "Bob is met") in parsed.links and (
        "../facts/talk.html",
        "Talk of Bob",
    ) in parsed.links
    assert current_section(page) == ["../actors/index.html"]
    # Ann's one row has no label: the fact is named by its id; nor a class: the type is the fact's own
    ann = actor_page(site, "ent:ann", Links(site), title="S")
    assert "<h2>1 fact</h2>" in ann and ("../facts/meet.html", "fact:meet") in Parsed(ann).links
    assert [row[1:3] for row in cells(ann)] == [["fact:meet", "consult"]]


def test_any_id_links_to_the_page_of_its_actor_fact_or_article_and_a_quote_to_none() -> None:
    links = Links(plain_site())
    assert links.any("ent:ann") == "../actors/ann.html"
    assert links.any("fact:meet") == "../facts/meet.html"
    assert links.any("art:a2", 0) == "articles/a2.html"
    assert links.any("ev:a1-1") is None and links.any("fact:none") is None


def test_the_facts_page_lists_each_fact_with_its_kind_and_type_one_folder_down() -> None:
    site = plain_site()
    page = facts_page(site, title="S")
    assert cells(page) == [["Ann meets Bob", "event: consult", "2"], ["Ann talks", "statement", "1"]]
    parsed = Parsed(page)
    assert ("meet.html", "Ann meets Bob") in parsed.links and ("../index.html", "S") in parsed.links
    assert ("link", {"rel": "stylesheet", "href": "../assets/site.css"}) in parsed.elements
    assert current_section(page) == ["../facts/index.html"]


def test_search_finds_each_fact_by_its_label_with_its_kind_and_its_type_when_it_has_one() -> None:
    site = plain_site()
    facts = [e for e in search_entries(site, Links(site)) if e["kind"] == "fact"]
    assert facts == [
        {"kind": "fact", "text": "Ann meets Bob", "more": "event: consult", "href": "facts/meet.html"},
        {"kind": "fact", "text": "Ann talks", "more": "statement", "href": "facts/talk.html"},
    ]


def test_search_finds_each_quote_by_its_text_with_its_articles_title_and_its_mark() -> None:
    site = plain_site()
    quotes = [e for e in search_entries(site, Links(site)) if e["kind"] == "quote"]
    assert quotes == [
        {"kind": "quote", "text": "Ann met Bob.", "more": "Alpha report", "href": "articles/a1.html#q-a1-1"},
        {"kind": "quote", "text": "Nobody said this.", "more": "Alpha report", "href": "articles/a1.html#q-a1-2"},
        {"kind": "quote", "text": "Bob met Ann.", "more": "Beta report", "href": "articles/a2.html#q-a2-1"},
    ]


# ---------------------------------------------------------------- the mark: what publish may replace


def site_folder(where: Path, mark: bytes, files: list[str]) -> Path:
    where.mkdir()
    for name in files:
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        if name.endswith("/"):
            (where / name).mkdir(exist_ok=True)
        else:
            (where / name).write_text("x", encoding="utf-8")
    (where / SITE_MARK).write_bytes(mark)
    return where


def refused(dest: Path) -> str:
    with pytest.raises(InputError) as caught:
        check_destination(dest)
    return str(caught.value)


def test_a_site_whose_mark_lists_all_it_holds_may_be_replaced(tmp_path: Path) -> None:
    files = ["index.html", "actors/a.html", "actors/deep/b.html"]
    site = site_folder(tmp_path / "site", (HEAD + "".join(f"{f}\n" for f in files)).encode(), files)
    assert check_destination(site) == site
    (site / "index.html").unlink()  # a file of the site gone is no reason to refuse
    assert check_destination(site) == site
    empty = tmp_path / "empty"
    empty.mkdir()
    assert check_destination(empty) == empty and check_destination(tmp_path / "new") == tmp_path / "new"


def test_what_the_mark_does_not_list_is_named_and_refused(tmp_path: Path) -> None:
    listed = ["index.html", "actors/a.html"]
    site = site_folder(tmp_path / "site", (HEAD + "".join(f"{f}\n" for f in listed)).encode(), [*listed, "CNAME"])
    (site / "drafts" / "old").mkdir(parents=True)
    (site / "actors" / "notes.md").write_text("mine", encoding="utf-8")
    (site / "empty").mkdir()
    said = refused(site)
    assert "holding what kg did not write (CNAME, actors/notes.md, drafts/ and 1 more)" in said
    assert sorted(os.listdir(site)) == sorted([SITE_MARK, "CNAME", "actors", "drafts", "empty", "index.html"])
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.html").write_text("x", encoding="utf-8")
    linked = site_folder(tmp_path / "linked", (HEAD + "index.html\nactors/a.html\n").encode(), ["index.html"])
    (linked / "actors").symlink_to(outside)  # a link is never something kg wrote, even where a folder was
    assert "(actors/)" in refused(linked)


def test_a_mark_that_is_not_utf8_is_read_and_never_a_traceback(tmp_path: Path) -> None:
    listed = HEAD.encode() + b"index.html\n\xff\xfe-garbled.html\nsearch.html\n"
    site = site_folder(tmp_path / "site", listed, ["index.html", "search.html"])
    assert check_destination(site) == site
    junk = site_folder(tmp_path / "junk", b"\xff\xfe not a mark \x80\n", ["index.html", "assets/site.css"])
    assert "holding what kg did not write (assets/, index.html)" in refused(junk)


def test_a_site_marked_before_marks_listed_files_is_known_by_its_top_level(tmp_path: Path) -> None:
    written = ["index.html", "search.html", "articles/t1.html", "assets/site.css", "notebooks/index.html"]
    site = site_folder(tmp_path / "old", OLD_HEAD.encode(), written)
    assert check_destination(site) == site
    (site / "CNAME").write_text("graph.example.org\n", encoding="utf-8")
    (site / "articles" / "mine.html").write_text("inside a folder kg wrote: replaced with it", encoding="utf-8")
    assert "holding what kg did not write (CNAME)" in refused(site)
    other = site_folder(tmp_path / "other", (OLD_HEAD + "x").encode(), ["index.html"])  # not the old mark
    assert "(index.html)" in refused(other)


def test_what_is_not_a_site_kg_wrote_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work", encoding="utf-8")
    assert "not a site kg wrote (it holds thesis.tex)" in refused(mine)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert "is a file, not a folder" in refused(tmp_path / "file")
    assert "does not exist" in refused(tmp_path / "nowhere" / "site")


def test_a_site_is_written_in_a_hidden_folder_beside_its_target_readable_as_mkdir_makes_one(tmp_path: Path) -> None:
    staged = _stage(tmp_path / "site")
    try:
        assert staged.parent == tmp_path  # beside it: the rename into place stays on one file system
        assert staged.name.startswith(".site.") and staged.name.endswith(".tmp") and staged.is_dir()
        assert not (tmp_path / "site").exists()
        (tmp_path / "made").mkdir()
        assert stat.S_IMODE(staged.stat().st_mode) == stat.S_IMODE((tmp_path / "made").stat().st_mode)
    finally:
        staged.rmdir()


def test_a_staging_folder_that_vanished_is_an_error_that_says_what_may_have_cleaned_it(tmp_path: Path) -> None:
    report = SiteReport(tmp_path / "site")
    staged = tmp_path / ".site.x.tmp"
    with pytest.raises(InputError) as caught:
        _write(staged, "index.html", b"<p>x</p>", report, "home")
    said = str(caught.value)
    assert f"{staged}: the temporary folder the site was being written into is gone" in said
    assert "hint: was something cleaning that folder (kg build cleans build/)? publish again" in said
    assert not staged.exists() and report.pages == {} and report.bytes == 0
    staged.mkdir()
    _write(staged, "index.html", b"<p>x</p>", report, "home")
    assert (staged / "index.html").read_bytes() == b"<p>x</p>" and (report.pages, report.bytes) == ({"home": 1}, 8)


# ---------------------------------------------------------------- notebooks


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def shown_text(markup: str) -> str:
    """What a rendered notebook shows, as text (tags, character references and colour codes aside)."""
    return ANSI.sub("", html.unescape(re.sub(r"<[^>]*>", "", markup)))


def write_notebook(path: Path, cells: list[str]) -> None:
    """A notebook of code cells at ``path``."""
    made = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])  # type: ignore[no-untyped-call]
    nbformat.write(made, path)  # type: ignore[no-untyped-call]


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, str], list[str]]:
    """The tiny project with two notebooks, one that runs and one whose second cell raises, run and rendered."""
    root = copy_tiny(tmp_path_factory.mktemp("notebooks") / "tiny")
    (root / "notebooks").mkdir()
    good = [
        "import os, pathlib",
        "pathlib.Path('made.txt').write_text('x')",
        "print(os.environ['KG_SOURCES'], pathlib.Path('../data/entities.ttl').is_file(), 6 * 7)",
    ]
    write_notebook(root / "notebooks" / "a.ipynb", ["\n".join(good)])
    write_notebook(root / "notebooks" / "b.ipynb", ["print('before')", "raise ValueError('no answer: 41')", "'never'"])
    project = Project.at(root, sources=root.parent / "texts")
    rendered, warnings = render_notebooks(project, timeout=60)
    return project, rendered, warnings


def test_a_notebook_that_fails_is_rendered_with_its_last_error_line(
    notebooks: tuple[Project, dict[str, str], list[str]],
) -> None:
    project, rendered, warnings = notebooks
    assert [ANSI.sub("", w) for w in warnings] == [
        "notebook b.ipynb failed: ValueError: no answer: 41 (rendered as far as it ran)"
    ]
    assert sorted(rendered) == ["a.ipynb", "b.ipynb"]
    assert f"{project.root.parent / 'texts'} True 42" in rendered["a.ipynb"]  # its texts, from notebooks/ of a copy
    assert not (project.root / "notebooks" / "made.txt").exists()  # it ran in a copy of the project
    failed = shown_text(rendered["b.ipynb"])
    assert failed.count("before") == 2 and "ValueError: no answer: 41" in failed  # its source, its output, its error
    assert failed.count("'never'") == 1  # the cell after the error: shown, never run
    shown, said = render_notebooks(project, execute=False)
    assert said == [] and "6 * 7" in shown_text(shown["a.ipynb"]) and "True 42" not in shown_text(shown["a.ipynb"])


def test_a_failing_notebooks_warning_is_plain_text(notebooks: tuple[Project, dict[str, str], list[str]]) -> None:
    _, _, warnings = notebooks
    assert warnings and not any("\x1b" in w for w in warnings)


def test_the_report_says_how_many_pages_of_each_kind_how_big_how_long_and_where() -> None:
    report = SiteReport(Path("/srv/site"), {"actor": 3, "fact": 2}, bytes=1_260_000, seconds=2.34)
    assert report.summary() == "wrote 5 pages (3 actor, 2 fact), 1.3 MB, in 2.3 s\nopen file:///srv/site/index.html"


# ---------------------------------------------------------------- a view's page and a question's page


def test_a_view_page_frames_the_view_titled_by_its_heading_and_links_it_alone() -> None:
    html_page = frame_page(HOSTILE, "../views/network.html", "Who met whom.", depth=1, title="S", section="views")
    parsed = Parsed(html_page)
    (frame,) = [attrs for tag, attrs in parsed.elements if tag == "iframe"]
    assert frame == {"class": "view", "src": "../views/network.html", "title": HOSTILE}  # a frame is named for a reader
    assert ("../views/network.html", "Open it alone") in parsed.links
    assert parsed.h1 == HOSTILE and parsed.title == f"{HOSTILE} \u2014 S"


QUESTION = """# title: Who met whom
# description: Meetings on one day.
# param: day date = 2026-02-03
# param: place iri = ent:bogota
SELECT ?fact WHERE { ?fact ?p ?o }
"""


def test_a_question_page_gives_the_command_that_lists_a_long_answer_whole() -> None:
    q = parse_query_file("who-met", QUESTION)
    links = Links(hostile_site()[0], [])
    command = "kg query who-met -p day=2026-02-03 -p place=ent:bogota"
    for rows, cut, expected in (
        (1, False, "1 row."),
        (3, False, "3 rows."),
        (DISPLAY_ROWS, False, f"{DISPLAY_ROWS} rows."),
        (DISPLAY_ROWS + 1, False, f"The first {DISPLAY_ROWS} of {DISPLAY_ROWS + 1} rows: {command} lists them all."),
        (DISPLAY_ROWS, True, f"The first {DISPLAY_ROWS} of {DISPLAY_ROWS}+ rows: {command} lists them all."),
    ):
        frame = pd.DataFrame({"fact": [f"fact:f{i}" for i in range(rows)]})
        frame.attrs["truncated"] = cut
        text = shown_text(question_page(q, frame, links, title="S"))
        assert f"{expected} {command}" in text, (rows, cut)
        assert text.count("fact:f") == min(rows, DISPLAY_ROWS)


# ---------------------------------------------------------------- a publish of its own: what render_site writes

#: A question whose default names no one in the tiny project: it cannot run with its defaults.
STRANGER = """# title: Facts about a stranger
# param: who iri = Nobody The Tiny Project Knows
SELECT ?fact WHERE { ?fact ?role $who }
"""

#: An actor's name and id in Chinese characters (Li Ming): none of them is a letter or digit a file name keeps.
UNLATIN = "\u674e\u660e"


def test_a_publish_counts_its_pages_by_kind_links_its_charts_and_says_what_it_could_not_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One publish (2 to 5 s) of the tiny project with one text missing, a notebook and a question that cannot
    run, and an actor whose id has no letter or digit (its name in another script)."""
    root = copy_tiny(tmp_path / "tiny")
    with (root / "data" / "entities.ttl").open("a", encoding="utf-8") as entities:
        entities.write(f'\nent:{UNLATIN} a kg:Person ;\n    rdfs:label "{UNLATIN}" .\n')
    with (root / "data" / "articles" / "t1.ttl").open("a", encoding="utf-8") as t1:
        t1.write(f"\nfact:arden-brook-meeting kg:participant ent:{UNLATIN} .\n")
    build_project(Project.at(root, sources=root / "sources"))
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "t1.txt").write_bytes((TINY / "sources" / "t1.txt").read_bytes())  # t2.txt is not there
    (root / "notebooks").mkdir()
    write_notebook(root / "notebooks" / "_.ipynb", ["6 * 7"])  # a name with no letter or digit
    shipped = [p.stem for p in (Path(kg.__file__).parent / "queries").glob("*.rq")]
    stranger = parse_query_file("stranger", STRANGER)
    questions = {**kg.query.read_queries(), "stranger": stranger}
    monkeypatch.setattr("kg.query.read_queries", lambda: dict(questions))

    report = publish(Project.at(root, sources=texts), tmp_path / "site", notebooks=True)
    site = report.where

    # each question's page and their index; the notebook's page and their index
    assert report.pages["questions"] == len(shipped) + 1 + 1
    assert report.pages["notebooks"] == 1 + 1
    assert report.warnings == [
        f"1 of 2 articles published with their quotes only: their texts (t2.txt) are not in {texts}"
    ]

    assert read(site, "views/network.html").h1 == "Actor network"
    index = read(site, "index.html")
    for href, text in (("views/network.html", "The actor network"), ("views/timeline.html", "The timeline")):
        assert (href, text) in index.links and (site / href).is_file()
    assert ("activity.html", "The facts each article reports") in read(site, "charts/balance.html").links
    assert ("balance.html", "Cooperation and conflict by month") in read(site, "charts/activity.html").links

    # a notebook whose name has no letter or digit is the page notebook.html
    assert sorted(p.name for p in (site / "notebooks").iterdir()) == ["index.html", "notebook.html"]
    listed = read(site, "notebooks/index.html")
    assert (listed.h1, listed.title) == ("Notebooks", "Notebooks \u2014 News knowledge graph")
    assert [(h, t) for h, t in listed.links if not h.startswith("../")] == [("notebook.html", "_.ipynb")]
    assert "42" in shown_text((site / "notebooks" / "notebook.html").read_text(encoding="utf-8"))

    # an actor whose id has no letter or digit is the page actor.html
    actors = sorted(p.name for p in (site / "actors").iterdir())
    assert actors == ["actor.html", "alice-arden.html", "bob-brook.html", "index.html"]
    assert read(site, "actors/actor.html").h1 == UNLATIN
    assert ("actor.html", UNLATIN) in read(site, "actors/index.html").links

    asked = (site / "questions" / "stranger.html").read_text(encoding="utf-8")
    assert Parsed(asked).h1 == "Facts about a stranger"
    assert "It cannot run with its defaults here: " in shown_text(asked)

    assert read(site, "articles/t1.html").article_text == (TINY / "sources" / "t1.txt").read_text(encoding="utf-8")
    without = shown_text((site / "articles" / "t2.html").read_text(encoding="utf-8"))
    why = (
        "Its text (t2.txt) was not in the texts folder when the site was published: "
        "its quotes are listed in reading order (the order of their ids)."
    )
    assert why in without
