r"""The pages of the site, each a function of what :mod:`kg.site.read` read: text in, HTML out.

Every page is written by one ``*_page`` function returning its whole HTML (see
:func:`kg.site.markup.page` for the shell). Addresses are relative and made by
:class:`Links`, which knows every page the site holds: a label whose thing has a page
is a link to it, any other is text.

Examples
--------
An actor named by two articles in one fact, which one anticipates and the other reports:
its page gives each article's own account, never the two pooled.

>>> from kg.site.read import Actor, Fact
>>> row = {"fact": "fact:m", "fact_label": "Ann meets Bob", "class_label": "event", "when": "2026-02, 2026-02-03",
...        "roles": "actor", "cited": "1 2", "quotes": 2}
>>> site = Site(
...     articles={a: Article(a, a[4:], f"Article {a[4:]}", None, None, None, [], None, None, None, None)
...               for a in ("art:1", "art:2")},
...     evidence={},
...     facts={"fact:m": Fact("fact:m", "m", "Ann meets Bob", "event", "consult", 2, 1, reports=[
...         {"article": "art:1", "modality_label": "planned", "when": "2026-02"},
...         {"article": "art:2", "modality_label": "actual", "when": "2026-02-03"}])},
...     actors={"ent:ann": Actor("ent:ann", "ann", "Ann", [], "person", dossier=[row])},
... )
>>> text = actor_page(site, "ent:ann", Links(site), title="S")
>>> print(re.search(r'<ul class="accounts">.*?</ul>', text).group(0).replace("</li>", "</li>\n"))
<ul class="accounts"><li><a href="../articles/1.html">Article 1</a> — planned, 2026-02</li>
<li><a href="../articles/2.html">Article 2</a> — actual, 2026-02-03</li>
</ul>

"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kg.query import NamedQuery
from kg.site.markup import esc, link, page, script_json, table
from kg.site.read import Article, Fact, Site, slugs
from kg.site.text import Mark, find_quote, highlight

__all__ = [
    "DISPLAY_ROWS",
    "HEADLINE_QUESTIONS",
    "ArticleText",
    "Links",
    "actor_page",
    "actors_page",
    "article_page",
    "articles_page",
    "fact_page",
    "facts_page",
    "frame_page",
    "index_page",
    "notebook_page",
    "notebooks_page",
    "question_page",
    "questions_page",
    "search_page",
]

#: Rows a question's page shows; the page says when there are more.
DISPLAY_ROWS = 500

#: The questions the index page leads with (those ``make demo`` asks), when they exist.
HEADLINE_QUESTIONS = (
    "who-met-whom",
    "fact-reports",
    "facts-in-several-articles",
    "contradictions",
    "who-sanctioned-whom",
    "timeline",
    "events-at-place",
)

_WEB_ADDRESS = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


@dataclass(frozen=True)
class ArticleText:
    """An article's text as the site may show it: the text, or None and the reason why not."""

    text: str | None
    why_not: str | None = None


class Links:
    """The site's relative addresses, from a page ``depth`` folders below the root."""

    def __init__(self, site: Site, ego: Iterable[str] = ()) -> None:
        self.site = site
        self.ego = set(ego)
        self.anchors = {ev: "q-" + slug for ev, slug in slugs(site.evidence, "quote").items()}

    def actor(self, actor: str, depth: int = 1) -> str | None:
        """The page of an actor, or None when it has none."""
        found = self.site.actors.get(actor)
        return f"{'../' * depth}actors/{found.slug}.html" if found else None

    def fact(self, fact: str, depth: int = 1) -> str | None:
        """The page of a fact, or None."""
        found = self.site.facts.get(fact)
        return f"{'../' * depth}facts/{found.slug}.html" if found else None

    def article(self, article: str, depth: int = 1) -> str | None:
        """The page of an article, or None."""
        found = self.site.articles.get(article)
        return f"{'../' * depth}articles/{found.slug}.html" if found else None

    def quote(self, evidence: str, depth: int = 1) -> str | None:
        """A quote, highlighted (or listed) on its article's page."""
        ev = self.site.evidence.get(evidence)
        page_of = self.article(ev.article, depth) if ev else None
        return f"{page_of}#{self.anchors[evidence]}" if page_of else None

    def ego_view(self, actor: str, depth: int = 1) -> str | None:
        """The network view around an actor, when it is in the network."""
        found = self.site.actors.get(actor)
        return f"{'../' * depth}views/ego-{found.slug}.html" if found and actor in self.ego else None

    def any(self, thing: str, depth: int = 1) -> str | None:
        """The page of an actor, fact or article given by id, or None."""
        return self.actor(thing, depth) or self.fact(thing, depth) or self.article(thing, depth)

    def named(self, thing: str, text: object, depth: int = 1) -> str:
        """``text`` linked to ``thing``'s page, or as text when it has none."""
        href = self.any(thing, depth)
        return link(href, text) if href else esc(text)


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def frame_table(frame: pd.DataFrame, links: Links, *, depth: int = 1, rows: int | None = None) -> str:
    """A DataFrame of :meth:`kg.query.Connection.frame` as a table: each id shown by its label, linked."""
    columns = [c for c in frame.columns if not (str(c).endswith("_label") and str(c)[: -len("_label")] in frame)]
    body = []
    for record in frame.head(rows).to_dict("records") if rows is not None else frame.to_dict("records"):
        cells = []
        for c in columns:
            value, label = record[c], record.get(f"{c}_label")
            shown = _cell(label) or _cell(value)
            cells.append(links.named(value, shown, depth) if isinstance(value, str) and shown else esc(shown))
        body.append(cells)
    return table([str(c) for c in columns], body)


# ---------------------------------------------------------------- index


def index_page(
    site: Site,
    stats: Any,
    questions: Mapping[str, NamedQuery],
    sections: Mapping[str, str],
    *,
    title: str,
    notebooks: str | None,
) -> str:
    """The home page: what the graph holds, the articles, the headline questions, every section.

    ``sections`` maps each section's address to what it holds; ``notebooks`` says why the
    notebooks are not there, when they are not.
    """
    links = Links(site)
    counts = (
        f"<p>{len(site.articles)} articles, {len(site.evidence)} quotes, {stats.facts} facts "
        f"({stats.several} reported by two or more articles, {stats.corroborated} of them by two or more as "
        f"having happened), {len(site.actors)} actors.</p>"
    )
    articles = "".join(
        f"<li>{link(links.article(a.id, 0) or '', a.title)}{_byline(a)}</li>" for a in site.articles.values()
    )
    headline = "".join(
        f"<li>{link(f'questions/{name}.html', questions[name].title)}</li>"
        for name in HEADLINE_QUESTIONS
        if name in questions
    )
    parts = [
        counts,
        "<h2>The articles</h2>",
        f"<ul>{articles}</ul>",
        "<h2>Questions</h2>",
        f"<ul>{headline}</ul>",
        f"<p>{link('questions/index.html', f'All {len(questions)} named questions')}</p>",
        "<h2>What the graph holds</h2>",
        frame_table(stats.by_class, links, depth=0),
        "<h2>Sections</h2>",
        "<ul>" + "".join(f"<li>{link(href, what)}</li>" for href, what in sections.items()) + "</ul>",
    ]
    if notebooks:
        parts.append(f'<p class="note">{esc(notebooks)}</p>')
    return page(title, "\n".join(parts), depth=0, site=title, section="home")


def _byline(article: Article) -> str:
    said = [s for s in (article.outlet, article.published, ", ".join(article.bylines)) if s]
    return f' <span class="meta">({esc(" · ".join(said))})</span>' if said else ""


# ---------------------------------------------------------------- actors


def actors_page(site: Site, links: Links, *, title: str) -> str:
    """Every actor, by name, with the number of facts it takes part in."""
    rows = [
        [link(f"{a.slug}.html", a.label), esc(a.kind or ""), esc(", ".join(a.aliases)), str(len(a.dossier))]
        for a in sorted(site.actors.values(), key=lambda a: (a.label.casefold(), a.id))
    ]
    body = "<p>Every entity the facts name, in any role.</p>" + table(["actor", "kind", "aliases", "facts"], rows)
    return page("Actors", body, depth=1, site=title, section="actors")


def actor_page(site: Site, actor: str, links: Links, *, title: str) -> str:
    """An actor's dossier: every fact it takes part in, with date, type, role, and each article's account.

    A fact several articles name the actor in is one row, but what each of those articles
    says of it (its modality and its date) is listed article by article, never pooled:
    an article that anticipates a meeting is not made to report it.
    """
    a = site.actors[actor]
    about = [f'<p class="meta"><code>{esc(a.id)}</code>{f" · {esc(a.kind)}" if a.kind else ""}</p>']
    if a.aliases:
        about.append(f"<p>Also called: {esc(', '.join(a.aliases))}.</p>")
    ego = links.ego_view(actor)
    if ego:
        about.append(f"<p>{link(ego, f'{a.label} in the actor network')} (the actors one step away).</p>")
    rows = []
    for row in a.dossier:
        fact = site.facts.get(row["fact"])
        kind = ": ".join(k for k in (row.get("class_label"), fact.type if fact is not None else None) if k)
        cited = [f"art:{n}" for n in str(row.get("cited") or "").split()]
        rows.append(
            [
                esc(row.get("when") or ""),
                links.named(row["fact"], row.get("fact_label") or row["fact"]),
                esc(kind),
                esc(row.get("roles") or ""),
                _accounts(site, fact, cited, links),
                esc(row.get("quotes") or ""),
            ]
        )
    body = "\n".join(
        [
            *about,
            f"<h2>{len(rows)} fact{'s' if len(rows) != 1 else ''}</h2>",
            "<p>Dated facts first, by the earliest day their articles allow, then the undated. <i>when</i>: "
            "the dates the articles give, each at its article's precision (EDTF); then, article by article, "
            "each article that names the actor in the fact, with the modality and date it gives.</p>",
            table(["when", "fact", "type", "role", "as each article gives it", "quotes"], rows),
        ]
    )
    return page(a.label, body, depth=1, site=title, section="actors")


def _accounts(site: Site, fact: Fact | None, articles: Sequence[str], links: Links) -> str:
    """Each article's own account of ``fact``: its link, then the modality and date it gives."""
    reports = {r["article"]: r for r in fact.reports} if fact is not None else {}
    items = []
    for one in articles:
        report = reports.get(one, {})
        said = ", ".join(str(report[key]) for key in ("modality_label", "when") if report.get(key))
        name = site.articles[one].title if one in site.articles else one
        items.append(f"<li>{links.named(one, name)}{f' — {esc(said)}' if said else ''}</li>")
    return f'<ul class="accounts">{"".join(items)}</ul>'


# ---------------------------------------------------------------- facts


def facts_page(site: Site, *, title: str) -> str:
    """Every fact, by label, with its kind and support."""
    rows = [
        [link(f"{f.slug}.html", f.label), esc(f.kind + (f": {f.type}" if f.type else "")), str(f.article_count)]
        for f in sorted(site.facts.values(), key=lambda f: (f.label.casefold(), f.id))
    ]
    return page("Facts", table(["fact", "type", "articles"], rows), depth=1, site=title, section="facts")


_REPORT_FIELDS = (
    ("modality_label", "modality"),
    ("when", "when"),
    ("dateText", "in its words"),
    ("actors", "who"),
    ("targets", "to whom, or about"),
    ("participants", "with"),
    ("places", "where"),
)


def fact_page(site: Site, fact: str, links: Links, *, title: str) -> str:
    """A fact as each article tells it: modality, date, actors, places, and its quotes, article by article."""
    f = site.facts[fact]
    reports = {r["article"]: r for r in f.reports}
    articles = sorted(set(reports) | set(f.evidence))
    actual = [a for a in articles if reports.get(a, {}).get("modality_label") == "actual"]

    def named(ids: Sequence[str]) -> str:
        return ", ".join(links.named(a, site.articles[a].title if a in site.articles else a) for a in ids) or "none"

    parts = [
        f'<p class="meta"><code>{esc(f.id)}</code> · {esc(f.kind)}{f" · {esc(f.type)}" if f.type else ""}</p>',
        f"<p>Reported by {len(articles)} article{'s' if len(articles) != 1 else ''}: {named(articles)}.<br>"
        f"As having happened (actual): {named(actual)}.</p>",
        "<p>What each article says is its own: below, article by article.</p>",
    ]
    for a in articles:
        report = reports.get(a, {})
        info = site.articles.get(a)
        name = info.title if info else a
        items = "".join(
            f"<dt>{esc(words)}</dt><dd>{esc(report[key])}</dd>" for key, words in _REPORT_FIELDS if report.get(key)
        )
        quotes = "".join(
            f"<li><blockquote>{esc(site.evidence[ev].quote)}</blockquote>"
            f"{link(links.quote(ev) or '', 'in the article')}</li>"
            for ev in f.evidence.get(a, [])
        )
        published = f" ({esc(info.published)})" if info and info.published else ""
        parts.append(
            f"<section><h2>{links.named(a, name)}{published}</h2><dl>{items}</dl>"
            f'<ul class="quotes">{quotes}</ul></section>'
        )
    return page(f.label, "\n".join(parts), depth=1, site=title, section="facts")


# ---------------------------------------------------------------- articles


def articles_page(site: Site, *, title: str) -> str:
    """Every article, with outlet, date, byline and number of quotes."""
    rows = [
        [
            link(f"{a.slug}.html", a.title),
            esc(a.outlet or ""),
            esc(a.published or ""),
            esc(", ".join(a.bylines)),
            str(len(a.evidence)),
        ]
        for a in site.articles.values()
    ]
    body = table(["article", "outlet", "published", "byline", "quotes"], rows)
    return page("Articles", body, depth=1, site=title, section="articles")


def article_page(site: Site, article: str, text: ArticleText, links: Links, *, title: str) -> str:
    """An article: its metadata, and its text with every quote marked (or its quotes in reading order)."""
    a = site.articles[article]
    spans = {ev: find_quote(text.text, site.evidence[ev].quote) for ev in a.evidence} if text.text is not None else {}
    # the facts numbered in reading order: as their first quote comes in the text (a quote not
    # found, or no text: after, in the order of the quotes' ids)
    reading = sorted(a.evidence, key=lambda ev: (not spans.get(ev), spans[ev][0] if spans.get(ev) else (0, 0)))
    facts = list(dict.fromkeys(f for ev in reading for f in site.evidence[ev].facts if f in site.facts))
    number = {f: i for i, f in enumerate(facts, start=1)}

    def refs(ev: str) -> str:
        cited = sorted((f for f in site.evidence[ev].facts if f in number), key=number.__getitem__)
        inner = " ".join(link(links.fact(f) or "", str(number[f]), title=site.facts[f].label) for f in cited)
        return f'<sup class="refs">{inner}</sup>' if inner else ""

    meta = [("headline", a.headline), ("outlet", a.outlet), ("published", a.published)]
    meta += [("byline", b) for b in a.bylines]
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta if v)
    if a.url and _WEB_ADDRESS.fullmatch(a.url):
        items += f'<dt>address</dt><dd><a href="{esc(a.url)}" rel="noopener noreferrer">{esc(a.url)}</a></dd>'
    parts = [f'<p class="meta"><code>{esc(a.id)}</code></p>', f"<dl>{items}</dl>"]
    missing: list[str] = []
    if text.text is not None:
        marks = []
        for ev in a.evidence:
            if not spans[ev]:
                missing.append(ev)
            for i, (start, end) in enumerate(spans[ev]):
                anchor = links.anchors[ev] + (f"-{i + 1}" if i else "")
                marks.append(Mark(start, end, anchor, refs(ev)))
        parts.append(
            f'<h2>The text</h2><p class="meta">Each of its {len(a.evidence)} curated quotes is marked; '
            "the numbers after a quote are the facts it supports (listed below, in the order the text "
            "first cites them).</p>"
        )
        parts.append(f'<div class="article-text">{highlight(text.text, marks)}</div>')
    else:
        missing = list(a.evidence)
        parts.append(f'<h2>The quotes</h2><p class="note">{esc(text.why_not or "The text is not published here.")}</p>')
    if missing:
        if text.text is not None:
            parts.append('<p class="note">Not found in the text (runs of whitespace aside): kg check says why.</p>')
        parts.append(
            '<ol class="quotes">'
            + "".join(
                f'<li id="{esc(links.anchors[ev])}"><blockquote>{esc(site.evidence[ev].quote)}</blockquote>'
                f"{_attribution(site.evidence[ev].attribution)}{refs(ev)}</li>"
                for ev in missing
            )
            + "</ol>"
        )
    parts.append("<h2>The facts it supports</h2>")
    parts.append(
        "<ol>" + "".join(f"<li>{link(links.fact(f) or '', site.facts[f].label)}</li>" for f in facts) + "</ol>"
    )
    return page(a.title, "\n".join(parts), depth=1, site=title, section="articles")


def _attribution(said: str | None) -> str:
    return f' <span class="meta">({esc(said)})</span>' if said else ""


# ---------------------------------------------------------------- questions


def questions_page(questions: Mapping[str, NamedQuery], *, title: str) -> str:
    """Every named question with its description."""
    rows = [
        [link(f"{name}.html", q.title), f"<code>{esc(name)}</code>", esc(q.description)]
        for name, q in questions.items()
    ]
    return page(
        "Questions", table(["question", "name", "what it answers"], rows), depth=1, site=title, section="questions"
    )


def question_page(q: NamedQuery, frame: pd.DataFrame, links: Links, *, title: str) -> str:
    """A named question: what it asks, its parameters and defaults, its SPARQL, its answer with the defaults."""
    params = table(
        ["parameter", "type", "default"],
        [[f"<code>{esc(p.name)}</code>", esc(p.type), f"<code>{esc(p.default)}</code>"] for p in q.params.values()],
    )
    command = " ".join(["kg query", q.name, *(f"-p {p.name}={p.default}" for p in q.params.values())])
    shown = min(len(frame), DISPLAY_ROWS)
    if frame.attrs.get("truncated") or len(frame) > DISPLAY_ROWS:
        more = "+" if frame.attrs.get("truncated") else ""
        count = f"The first {shown} of {len(frame)}{more} rows: {command} lists them all."
    else:
        count = f"{len(frame)} row{'s' if len(frame) != 1 else ''}."
    parts = [
        f"<p>{esc(q.description)}</p>",
        "<h2>Parameters</h2>" + (params if q.params else "<p>None.</p>"),
        f'<h2>The answer, with the defaults</h2><p class="meta">{esc(count)} <code>{esc(command)}</code></p>',
        frame_table(frame, links, rows=DISPLAY_ROWS),
        f"<h2>SPARQL</h2><pre><code>{esc(q.text)}</code></pre>",
    ]
    return page(q.title, "\n".join(parts), depth=1, site=title, section="questions")


# ---------------------------------------------------------------- views, charts, notebooks, search


def frame_page(heading: str, frame: str, about: str, *, depth: int, title: str, section: str, extra: str = "") -> str:
    """A view or chart page (``frame``, an address) shown in a frame under the nav bar."""
    body = (
        f'<p class="meta">{esc(about)} {link(frame, "Open it alone")}.</p>{extra}'
        f'<iframe class="view" src="{esc(frame)}" title="{esc(heading)}"></iframe>'
    )
    return page(heading, body, depth=depth, site=title, section=section)


def notebooks_page(names: Mapping[str, str], *, why_not: str | None, title: str) -> str:
    """The notebooks: a link to each (name → title), or why there are none."""
    body = "<ul>" + "".join(f"<li>{link(f'{slug}.html', name)}</li>" for slug, name in names.items()) + "</ul>"
    if why_not:
        body = f'<p class="note">{esc(why_not)}</p>'
    return page("Notebooks", body, depth=1, site=title, section="notebooks")


def notebook_page(name: str, body: str, *, title: str) -> str:
    """A notebook rendered by nbconvert (``body``, nbconvert's own escaped HTML) under the nav bar."""
    return page(name, f'<div class="notebook">{body}</div>', depth=1, site=title, section="notebooks")


def search_entries(site: Site, links: Links) -> list[dict[str, str]]:
    """What the search page searches: actors (labels, aliases), facts (labels) and quotes."""
    entries = [
        {"kind": "actor", "text": a.label, "more": ", ".join(a.aliases), "href": links.actor(a.id, 0) or ""}
        for a in site.actors.values()
    ]
    entries += [
        {
            "kind": "fact",
            "text": f.label,
            "more": f.kind + (f": {f.type}" if f.type else ""),
            "href": links.fact(f.id, 0) or "",
        }
        for f in site.facts.values()
    ]
    entries += [
        {
            "kind": "quote",
            "text": ev.quote,
            "more": site.articles[ev.article].title if ev.article in site.articles else ev.article,
            "href": links.quote(ev.id, 0) or "",
        }
        for ev in site.evidence.values()
    ]
    return entries


def search_page(site: Site, links: Links, *, title: str) -> str:
    """The search page: its index embedded as JSON, matched by ``assets/search.js``."""
    head = (
        f'<script type="application/json" id="kg-search-index">{script_json(search_entries(site, links))}</script>\n'
        '<script src="assets/search.js" defer></script>\n'
    )
    body = (
        '<p class="meta">Actors (names and aliases), facts and quotes: every word typed must begin a word of '
        "what is found (case and accents aside).</p>"
        '<input id="kg-q" type="search" autocomplete="off" placeholder="Search" aria-label="Search">'
        '<p id="kg-count" class="meta" aria-live="polite"></p><ol id="kg-results"></ol>'
    )
    return page("Search", body, depth=0, site=title, section="search", head=head)
