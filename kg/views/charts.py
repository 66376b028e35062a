"""Charts of the actor network: cooperation and conflict by month, and each article's facts.

Each chart is a function of a projected network (:func:`kg.network.project`) returning a
:class:`~kg.views.network.View`: it shows itself in a notebook (a sandboxed ``iframe``)
and ``view.save(path)`` writes the same page. The page is one self-contained file drawn
with plotly.js, inlined from the installed ``plotly`` package (its licence notice kept):
it names no external URL and sends no request. With ``library=`` (the address of a file
holding :func:`plotly_js`, relative to the page) the page loads plotly.js from that file
instead, for a site of many pages sharing one copy.

The figure travels as JSON in a ``<script type="application/json">`` block, ``<``,
``>`` and ``&`` escaped; every string plotly draws is entity-escaped first, so that
plotly's own markup (``<b>``, ``<a href>``, ``<br>``) in a name or a headline shows as
text. Numbers are drawn as given: the chart's values are the table's.

- :func:`balance_chart`: cooperation (above zero) and conflict (below) month by month,
  and their sum, between two actors (:func:`kg.network.balance_by_month`) or over the
  whole network (:func:`monthly_balance`).
- :func:`activity_chart`: the facts each article reports, split by event type or by sign
  (:func:`activity_by_article`).

Examples
--------
>>> from kg.network import example_network
>>> G = example_network()
>>> monthly_balance(G)
     month  cooperation  conflict  net  facts
0  2026-01          2.5       0.0  2.5      1
1  2026-02          2.5       0.0  2.5      1
2  2026-03          0.0      -8.0 -8.0      2
>>> view = balance_chart(G, "ann", "bob")
>>> view.title
'Cooperation and conflict between Ann and Bob, by month'
>>> "<script src" in view.html, view._repr_html_().startswith('<iframe sandbox="allow-scripts"')
(False, True)

"""

from __future__ import annotations

import datetime
import html
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx
import pandas as pd

from kg.errors import InputError
from kg.network import MODALITY_ORDER, balance_by_month, narrowest
from kg.views.network import View
from kg.views.page import asset, fill, script_json, shared_library

__all__ = [
    "SIGN_COLOURS",
    "TYPE_ORDER",
    "TYPE_WORDS",
    "activity_by_article",
    "activity_chart",
    "balance_chart",
    "distinct_facts",
    "monthly_balance",
    "plotly_js",
    "sign_name",
    "type_words",
]

#: Colours of cooperation, conflict and neither (a score of zero), as in the network view.
SIGN_COLOURS = {"cooperation": "#2e7d32", "conflict": "#c62828", "neutral": "#9e9e9e"}

#: The PLOVER event types in words, from cooperation to conflict, then the relation types
#: (a lasting stance or tie); the ontology's labels are verbs, a lane or a legend needs nouns.
TYPE_WORDS = {
    "AGREE": "agreement",
    "CONSULT": "meeting or call",
    "SUPPORT": "support",
    "CONCEDE": "concession",
    "COOPERATE": "cooperation",
    "AID": "aid",
    "RETREAT": "retreat",
    "REQUEST": "request",
    "ACCUSE": "accusation",
    "REJECT": "rejection",
    "THREATEN": "threat",
    "PROTEST": "protest",
    "SANCTION": "sanction",
    "MOBILIZE": "mobilisation",
    "COERCE": "coercion",
    "ASSAULT": "assault",
    "alliance": "alliance",
    "partnership": "partnership",
    "backing": "backing",
    "presence": "presence",
    "listing": "designation",
    "kinship": "kinship",
    "opposition": "opposition",
}
#: The types in the order a legend or the lanes list them (unknown types follow, by name).
TYPE_ORDER = tuple(TYPE_WORDS)

# a palette of distinct colours for the types (Tableau 20, reordered so neighbours differ)
_PALETTE = (
    "#4e79a7", "#59a14f", "#8cd17d", "#76b7b2", "#2f8f5b", "#499894", "#a0cbe8", "#b6992d",
    "#e15759", "#ff9d9a", "#f28e2b", "#ffbe7d", "#9d7660", "#b07aa1", "#d4a6c8", "#79706e",
    "#86bcb6", "#f1ce63", "#fabfd2", "#d37295", "#bab0ac", "#d7b5a6", "#7b4173",
)  # fmt: skip

PLOTLY_CONFIG = {"displaylogo": False, "responsive": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def type_words(kind: str) -> str:
    """An event or relation type in words (an unknown one as it is written).

    >>> type_words("CONSULT"), type_words("listing"), type_words("SOMETHING_NEW")
    ('meeting or call', 'designation', 'something new')
    """
    return TYPE_WORDS.get(kind, kind.replace("_", " ").lower())


def sign_name(score: float) -> str:
    """``"cooperation"`` for a positive score, ``"conflict"`` for a negative one, else ``"neutral"``.

    >>> sign_name(2.5), sign_name(-6), sign_name(0)
    ('cooperation', 'conflict', 'neutral')
    """
    return "cooperation" if score > 0 else "conflict" if score < 0 else "neutral"


def _type_key(kind: str) -> tuple[int, str]:
    """Where an event type sorts: in the ontology's order, then the types it lacks, by name.

    >>> sorted(["ZEPPELIN", "ACCUSE", "CONSULT", "AIRSHIP"], key=_type_key)
    ['CONSULT', 'ACCUSE', 'AIRSHIP', 'ZEPPELIN']
    """
    return (TYPE_ORDER.index(kind) if kind in TYPE_WORDS else len(TYPE_ORDER), kind)


def distinct_facts(G: nx.MultiDiGraph) -> Iterator[tuple[dict[str, Any], set[str]]]:
    """Each fact of ``G`` once, with the actors at either end of its edges, in order of fact id.

    A fact on several edges (a meeting of five; a sanction one article lays on a president
    and another on his government) is given with the strongest modality and then the
    narrowest time any of its edges carries (each edge holds the claims of the articles
    that name its two actors), with the quotes of all of them.
    """
    found: dict[str, tuple[list[dict[str, Any]], set[str], list[dict[str, Any]]]] = {}
    for a, b, _key, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        for fact in d["facts"]:
            entry = found.setdefault(fact["fact"], ([], set(), []))
            entry[0].append(fact)
            entry[1].update((a, b))
            entry[2].extend(q for q in fact["evidence"] if q not in entry[2])
    for fid in sorted(found):
        copies, actors, evidence = found[fid]
        best = min(copies, key=lambda f: (MODALITY_ORDER.index(f["modality"]), narrowest(f)))
        yield {**best, "evidence": evidence}, actors


def monthly_balance(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Cooperation and conflict over the whole network, month by month: each fact counted once.

    The whole-network counterpart of :func:`kg.network.balance_by_month`, with its
    columns: a fact counts in the month its articles place it in; facts without a date,
    or known only within a longer interval (a year, "before 13 January"), are left out.
    A fact between several actors (a meeting of five) counts once, not once per pair.

    >>> from kg.network import example_network
    >>> monthly_balance(example_network())["net"].tolist()
    [2.5, 2.5, -8.0]
    """
    months: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for fact, _actors in distinct_facts(G):
        first, last = fact.get("first"), fact.get("last")
        if first is None or last is None or (first.year, first.month) != (last.year, last.month):
            continue
        slot = months[first.strftime("%Y-%m")]
        slot[0 if fact["score"] > 0 else 1] += fact["score"]
        slot[2] += 1
    rows = [
        {"month": m, "cooperation": round(c, 6), "conflict": round(x, 6), "net": round(c + x, 6), "facts": int(n)}
        for m, (c, x, n) in sorted(months.items())
    ]
    return pd.DataFrame(rows, columns=["month", "cooperation", "conflict", "net", "facts"])


def _month_axis(months: list[str]) -> dict[str, Any]:
    """A date axis over whole ``months`` (``YYYY-MM``), a label per month, quarter or year."""
    axis: dict[str, Any] = {"type": "date", "title": {"text": "month"}, "ticklabelmode": "period"}
    if not months:
        return axis
    first, last = (datetime.date.fromisoformat(m + "-01") for m in (months[0], months[-1]))
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    after = datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    step = 1 if count <= 18 else 3 if count <= 48 else 12
    axis.update(
        range=[first.isoformat(), after.isoformat()],
        dtick=f"M{step}",
        tick0="2000-01-01",
        tickformat="%b %Y" if step < 12 else "%Y",
    )
    return axis


def _pair_facts(G: nx.MultiDiGraph, a: str, b: str) -> int:
    """How many facts the edges between ``a`` and ``b`` carry (both directions), each edge's counted."""
    return sum(len(d["facts"]) for u, v in ((a, b), (b, a)) for d in (G.get_edge_data(u, v) or {}).values())


def balance_chart(
    G: nx.MultiDiGraph,
    a: str | None = None,
    b: str | None = None,
    *,
    title: str | None = None,
    library: str | None = None,
) -> View:
    """Cooperation and conflict by month, between actors ``a`` and ``b`` or over the whole network.

    Bars above zero are cooperation, below zero conflict (PLOVER scores summed, planned
    and hypothetical facts at half weight); the line is their sum. The values are those
    of :func:`kg.network.balance_by_month` for a pair, of :func:`monthly_balance` for the
    network; the page says how many facts are placed in a month and why the others are not.
    ``library``: see the module's docstring (None inlines plotly.js).

    Raises
    ------
    InputError
        For one actor without the other, or an actor not in the network.

    Examples
    --------
    >>> from kg.network import example_network
    >>> balance_chart(example_network()).title
    'Cooperation and conflict by month'

    """
    if (a is None) != (b is None):
        raise InputError(
            "a balance chart takes two actors or none", expected="A B (a pair), or nothing (the whole network)"
        )
    if a is not None and b is not None:
        frame = balance_by_month(G, a, b)
        names = [str(G.nodes[n].get("label", n)) for n in (a, b)]
        title = title or f"Cooperation and conflict between {names[0]} and {names[1]}, by month"
        total = _pair_facts(G, a, b)
    else:
        frame = monthly_balance(G)
        title = title or "Cooperation and conflict by month"
        total = sum(1 for _ in distinct_facts(G))
    placed = int(frame["facts"].sum())
    note = (
        f"{placed} of {total} facts are placed in a month; the others are known only to a year or a longer "
        "interval (\u201cbefore 13 January\u201d), or not dated. Scores are PLOVER's (\u221210 to +10), "
        "planned and hypothetical facts at half weight."
    )
    months = frame["month"].tolist()
    counts = [int(n) for n in frame["facts"]]
    period = {"xperiod": "M1", "xperiodalignment": "middle", "customdata": counts}
    data = [
        {
            "type": "bar",
            "name": "cooperation",
            "x": months,
            "y": [float(v) for v in frame["cooperation"]],
            "marker": {"color": SIGN_COLOURS["cooperation"]},
            "hovertemplate": "%{x|%B %Y}: cooperation %{y} (%{customdata} facts that month)<extra></extra>",
            **period,
        },
        {
            "type": "bar",
            "name": "conflict",
            "x": months,
            "y": [float(v) for v in frame["conflict"]],
            "marker": {"color": SIGN_COLOURS["conflict"]},
            "hovertemplate": "%{x|%B %Y}: conflict %{y}<extra></extra>",
            **period,
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "net (sum)",
            "x": months,
            "y": [float(v) for v in frame["net"]],
            "line": {"color": "#333333", "width": 2},
            "hovertemplate": "%{x|%B %Y}: net %{y}<extra></extra>",
            **period,
        },
    ]
    layout = {
        "barmode": "relative",
        "height": 460,
        "margin": {"l": 70, "r": 30, "t": 30, "b": 60},
        "xaxis": _month_axis(months),
        "yaxis": {"title": {"text": "score, summed"}, "zeroline": True, "zerolinecolor": "#444444"},
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "closest",
    }
    return _chart(title, note, {"data": data, "layout": layout}, frame, library)


def activity_by_article(G: nx.MultiDiGraph, by: str = "type") -> pd.DataFrame:
    """How many facts of the network each article reports, by event type or by sign.

    A fact counts once in each article that gives a quote for it. ``by="type"`` splits
    by event or relation type (``type`` column), ``by="sign"`` by the sign of its score
    (``sign``: cooperation, conflict or neutral). Only the facts between actors (those
    of the network) are counted.

    >>> from kg.network import example_network
    >>> activity_by_article(example_network(), by="sign")
      article         sign  facts
    0   art:x  cooperation      2
    1   art:x     conflict      2
    """
    if by not in ("type", "sign"):
        raise InputError(f"cannot split the facts by {by!r}", expected="type or sign")
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for fact, _actors in distinct_facts(G):
        key = fact["type"] if by == "type" else sign_name(fact["score"])
        for article in sorted({q["article"] for q in fact["evidence"]}):
            counts[article, key] += 1
    order = _type_key if by == "type" else lambda k: (list(SIGN_COLOURS).index(k), k)
    rows = [
        {"article": article, by: key, "facts": n}
        for (article, key), n in sorted(counts.items(), key=lambda kv: (kv[0][0], order(kv[0][1])))
    ]
    return pd.DataFrame(rows, columns=["article", by, "facts"])


def activity_chart(
    G: nx.MultiDiGraph,
    *,
    by: str = "type",
    articles: Mapping[str, Mapping[str, Any]] | None = None,
    title: str | None = None,
    library: str | None = None,
) -> View:
    """The facts each article reports, one bar per article, split by event type or by sign.

    ``articles`` gives each article's ``title`` and ``date`` (see
    :func:`kg.views.timeline.article_info`); without it, articles are named by id.
    ``library``: see the module's docstring (None inlines plotly.js).

    >>> from kg.network import example_network
    >>> activity_chart(example_network(), by="sign").title
    'Facts reported by each article, by sign'
    """
    frame = activity_by_article(G, by)
    title = title or f"Facts reported by each article, by {'event type' if by == 'type' else 'sign'}"
    info = articles or {}
    ids = sorted(set(frame["article"]))
    names = [_article_name(a, info) for a in ids]
    keys = sorted(set(frame[by]), key=_type_key if by == "type" else lambda k: (list(SIGN_COLOURS).index(k), k))
    data = []
    for i, key in enumerate(keys):
        part = frame[frame[by] == key]
        colour = SIGN_COLOURS[key] if by == "sign" else _PALETTE[_type_key(key)[0] % len(_PALETTE)]
        name = type_words(key) if by == "type" else key
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": _plain(name),
                "y": part["article"].tolist(),
                "x": [int(n) for n in part["facts"]],
                "marker": {"color": colour if by == "sign" or i < len(_PALETTE) else "#999999"},
                "hovertext": [
                    f"{_plain(_article_name(a, info))}: {n} {_plain(name)}"
                    for a, n in zip(part["article"], part["facts"], strict=True)
                ],
                "hoverinfo": "text",
            }
        )
    total = frame.groupby("article")["facts"].sum() if len(frame) else pd.Series(dtype=int)
    layout = {
        "barmode": "stack",
        "height": max(260, 120 + 34 * len(ids)),
        "margin": {"l": 20 + min(56, max((len(n) for n in names), default=0)) * 7, "r": 170, "t": 30, "b": 60},
        "xaxis": {"title": {"text": "facts"}, "rangemode": "tozero"},
        "yaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": ids,
            "tickvals": ids,
            "ticktext": [_plain(_cut(n, 56)) for n in names],
            "autorange": "reversed",
        },
        "legend": {"orientation": "v", "x": 1.02, "y": 1, "traceorder": "normal"},
        "hovermode": "closest",
    }
    note = (
        f"{len(ids)} articles, {int(total.sum()) if len(total) else 0} reports of facts between actors "
        "(a fact that several articles report counts in each)."
    )
    return _chart(title, note, {"data": data, "layout": layout}, frame, library)


def _article_name(article: str, info: Mapping[str, Mapping[str, Any]]) -> str:
    meta = info.get(article) or {}
    title = meta.get("title") or article
    return f"{title} ({meta['date']})" if meta.get("date") else str(title)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def _plain(text: str) -> str:
    """``text`` for plotly to draw as text: its markup (``<b>``, ``<a href>``, ``&amp;``) escaped.

    >>> _plain("<b>Ann</b> & Bob")
    '&lt;b&gt;Ann&lt;/b&gt; &amp; Bob'
    """
    return html.escape(text, quote=False)


def _chart(
    title: str, note: str | None, figure: dict[str, Any], frame: pd.DataFrame, library: str | None = None
) -> View:
    data = {
        "title": title,
        "note": note,
        "figure": figure,
        "config": PLOTLY_CONFIG,
        "table": json.loads(frame.to_json(orient="records")),
    }
    return View(plotly_page("chart", title, data, library), title)


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.js from the installed ``plotly`` package, safe to inline in a ``<script>``."""
    source = resources.files("plotly") / "package_data" / "plotly.min.js"
    return source.read_text(encoding="utf-8").replace("</script", "<\\/script").replace("<!--", "<\\!--")


def plotly_page(kind: str, title: str, data: dict[str, Any], library: str | None = None) -> str:
    """A page from the template ``kg/assets/KIND.html`` with its CSS, plotly.js, ``data`` and script.

    ``library`` is the address of a file holding :func:`plotly_js`, relative to the page:
    the page loads plotly.js from it rather than inlining it (None inlines it).

    >>> page = plotly_page("chart", "T", {}, library="../assets/plotly.min.js")
    >>> '<script src="../assets/plotly.min.js"></script>' in page, len(page) < 100_000
    (True, True)
    """
    parts = {
        "TITLE": html.escape(title),
        "STYLE": asset(f"{kind}.css"),
        "PLOTLY": plotly_js() if library is None else "",
        "DATA": script_json(data),
        "APP": asset(f"{kind}.js"),
    }
    template = shared_library(asset(f"{kind}.html"), "PLOTLY", library)
    return fill(template, parts)
