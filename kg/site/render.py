"""Every file of the site, in order, handed to a writer: assets, views, charts, pages, notebooks.

:func:`render_site` reads the dataset once (:func:`kg.site.read.read_site`, the stats, the
actor network) and writes each file through ``write(path, data, kind)`` as soon as it is
made, so that a large site is never held in memory whole. The views and charts are the
pages of :mod:`kg.views`, made with ``library=``: one shared copy of vis-network and of
plotly.js under ``assets/`` instead of one inlined in each page. Each is shown in a frame
of a page of the site (with its nav bar), and can be opened alone.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import KGError
from kg.project import Project
from kg.site import pages
from kg.site.markup import esc, link, page
from kg.site.pages import ArticleText, Links
from kg.site.read import Article, read_site, slugs

if TYPE_CHECKING:
    from kg.query import Connection

__all__ = ["LIBRARIES", "article_text", "busiest_pair", "render_site"]

#: How each file is handed on: ``write(path, data, kind)``, ``kind`` the kind of page (None: not a page).
Write = Callable[[str, bytes, "str | None"], None]
#: The shared library scripts, by file name under ``assets/``.
LIBRARIES = {"vis-network": "vis-network.min.js", "plotly": "plotly.min.js"}


def busiest_pair(network: nx.MultiDiGraph) -> tuple[str, str] | None:
    """The two actors whose ties carry the most facts (either direction), ties broken by id; None if none.

    >>> from kg.network import example_network
    >>> busiest_pair(example_network())
    ('ann', 'bob')
    """
    counts: dict[tuple[str, str], int] = {}
    for a, b, d in network.edges(data=True):
        if a != b:
            pair = (min(a, b), max(a, b))
            counts[pair] = counts.get(pair, 0) + len(d["facts"])
    if not counts:
        return None
    return min(counts, key=lambda pair: (-counts[pair], pair))


def article_text(project: Project, article: Article, *, texts: bool) -> tuple[ArticleText, str | None]:
    """What an article page may show of its text, and a warning when the text is not the curated one.

    The text is read from the project's sources (:func:`kg.check.read_source`) and shown
    only when its SHA-256 and length are those the curated file records, as
    :mod:`kg.check` verifies them.
    """
    from kg.check import read_source

    in_order = "its quotes are listed in reading order (the order of their ids)"
    if not texts:
        return ArticleText(None, f"Published without the article texts (kg publish --no-texts): {in_order}."), None
    if article.source_file is None:
        return ArticleText(None, f"The dataset records no text file for this article: {in_order}."), None
    data = read_source(project.sources, article.source_file)
    if data is None:
        why = f"Its text ({article.source_file}) was not in the texts folder when the site was published: {in_order}."
        return ArticleText(None, why), None
    digest = hashlib.sha256(data).hexdigest()
    if article.sha256 is not None and (digest != article.sha256 or len(data) != article.length):
        why = f"Its text {article.source_file} is not the text it was curated from (its SHA-256 differs): {in_order}."
        return ArticleText(None, why), f"{article.id}: {why} (kg check says more)"
    try:
        return ArticleText(data.decode("utf-8")), None
    except UnicodeDecodeError:
        why = f"Its text {article.source_file} is not valid UTF-8: {in_order}."
        return ArticleText(None, why), f"{article.id}: {why}"


def render_site(
    project: Project,
    conn: Connection,
    write: Write,
    *,
    notebooks: bool,
    texts: bool,
    title: str,
    leave_out: Iterable[Path] = (),
) -> list[str]:
    """Make every file of the site and hand each to ``write``; return the warnings (things left out).

    ``notebooks`` runs and renders the notebooks; ``texts`` publishes the article texts
    (see :func:`article_text`); ``title`` names the site; ``leave_out`` are folders the
    notebooks' copy of the project leaves out (the site being written).
    """
    from kg.network import project as project_network
    from kg.query import read_queries
    from kg.stats import read_stats
    from kg.views import (
        TOP_ACTORS,
        TOP_TIES,
        activity_chart,
        article_info,
        balance_chart,
        ego_view,
        network_view,
        plotly_js,
        read_names,
        timeline_view,
        vis_network_js,
    )
    from kg.views.page import asset

    def html(path: str, text: str, kind: str | None) -> None:
        write(path, text.encode("utf-8"), kind)

    # notebooks first: they take longest, and nothing is written if one cannot be read
    warned: list[str] = []
    rendered: dict[str, str] = {}
    why_not: str | None = "Not published: kg publish --no-notebooks leaves them out."
    if notebooks:
        from kg.site.notebooks import render_notebooks

        rendered, said = render_notebooks(project, leave_out=leave_out)
        warned.extend(said)
        why_not = None if rendered else "The project has no notebook (notebooks/*.ipynb)."

    site = read_site(conn)
    stats = read_stats(conn)
    network = project_network(conn)
    names = read_names(conn, network)
    ego = [a for a in sorted(network) if a in site.actors]
    links = Links(site, ego)

    write("assets/site.css", asset("site.css", "site/assets").encode("utf-8"), None)
    write("assets/search.js", asset("search.js", "site/assets").encode("utf-8"), None)
    write(f"assets/{LIBRARIES['vis-network']}", vis_network_js().encode("utf-8"), None)
    write(f"assets/{LIBRARIES['plotly']}", plotly_js().encode("utf-8"), None)
    vis, plotly = (f"../../assets/{LIBRARIES[k]}" for k in ("vis-network", "plotly"))

    # the views and charts: each alone in frames/, and in a page of the site
    def framed(path: str, view: Any, about: str, section: str, kind: str, extra: str = "") -> None:
        folder, _, name = path.rpartition("/")
        html(f"{folder}/frames/{name}", view.html, "frames")
        frame = f"frames/{name}"
        html(path, pages.frame_page(view.title, frame, about, depth=1, title=title, section=section, extra=extra), kind)

    view = network_view(network, title="Actor network", top=TOP_ACTORS, max_ties=TOP_TIES, names=names, library=vis)
    about = "Actors sized by PageRank, ties coloured by sign; click one for its facts and quotes."
    framed("views/network.html", view, about, "network", "views")
    info = article_info(conn)
    view = timeline_view(network, title="Timeline of events", articles=info, library=plotly)
    about = "Each dated fact over the interval its articles give; click one for its quotes."
    framed("views/timeline.html", view, about, "timeline", "views")
    for actor in ego:
        who = site.actors[actor]
        view = ego_view(network, actor, 1, names=names, library=vis)
        back = f"<p>{link(f'../actors/{who.slug}.html', f'Everything about {who.label}')}</p>"
        framed(f"views/ego-{who.slug}.html", view, "The actors one step away.", "network", "ego views", back)
    pair = busiest_pair(network)
    view = balance_chart(network, *(pair or (None, None)), library=plotly)
    why = "The pair of actors whose ties carry the most facts." if pair else "The whole network."
    other = f"<p>{link('activity.html', 'The facts each article reports')}</p>"
    framed("charts/balance.html", view, why, "charts", "charts", other)
    view = activity_chart(network, by="type", articles=info, library=plotly)
    other = f"<p>{link('balance.html', 'Cooperation and conflict by month')}</p>"
    framed("charts/activity.html", view, "By event type.", "charts", "charts", other)

    html("actors/index.html", pages.actors_page(site, links, title=title), "actors")
    for actor, one in site.actors.items():
        html(f"actors/{one.slug}.html", pages.actor_page(site, actor, links, title=title), "actors")
    html("facts/index.html", pages.facts_page(site, title=title), "facts")
    for fact, f in site.facts.items():
        html(f"facts/{f.slug}.html", pages.fact_page(site, fact, links, title=title), "facts")
    html("articles/index.html", pages.articles_page(site, title=title), "articles")
    missing = []
    for article, a in site.articles.items():
        text, problem = article_text(project, a, texts=texts)
        if problem:
            warned.append(problem)
        elif texts and text.text is None and a.source_file is not None:
            missing.append(a.source_file)
        html(f"articles/{a.slug}.html", pages.article_page(site, article, text, links, title=title), "articles")
    if missing:
        warned.append(
            f"{len(missing)} of {len(site.articles)} articles published with their quotes only: their texts "
            f"({', '.join(missing[:3])}{' and more' if len(missing) > 3 else ''}) are not in "
            f"{project.display(project.sources)}"
        )

    questions = read_queries()
    html("questions/index.html", pages.questions_page(questions, title=title), "questions")
    for name, q in questions.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a cut result is said on the page
                frame = conn.run(q)
        except KGError as exc:
            body = f'<p class="note">{esc(f"It cannot run with its defaults here: {exc}")}</p>'
            html(
                f"questions/{name}.html",
                page(q.title, body, depth=1, site=title, section="questions"),
                "questions",
            )
            continue
        html(f"questions/{name}.html", pages.question_page(q, frame, links, title=title), "questions")

    stems = {Path(name).stem: name for name in rendered}
    files = {slug: rendered_name for stem, slug in slugs(stems, "notebook").items() for rendered_name in [stems[stem]]}
    for slug, name in files.items():
        html(f"notebooks/{slug}.html", pages.notebook_page(name, rendered[name], title=title), "notebooks")
    html("notebooks/index.html", pages.notebooks_page(files, why_not=why_not, title=title), "notebooks")

    html("search.html", pages.search_page(site, links, title=title), "home")
    sections = {
        "articles/index.html": f"The {len(site.articles)} articles, their texts and marked quotes",
        "actors/index.html": f"The {len(site.actors)} actors and their dossiers",
        "facts/index.html": f"The {len(site.facts)} facts, as each article tells them",
        "questions/index.html": f"The {len(questions)} named questions, answered",
        "views/network.html": "The actor network",
        "views/timeline.html": "The timeline",
        "charts/balance.html": "Cooperation and conflict by month",
        "charts/activity.html": "The facts each article reports",
        "notebooks/index.html": f"The notebooks ({len(files)})",
        "search.html": "Search actors, facts and quotes",
    }
    index = pages.index_page(site, stats, questions, sections, title=title, notebooks=why_not)
    html("index.html", index, "home")
    return warned
