"""The timeline: what happened when, lane by lane, each item opening its quotes.

A page drawn with plotly.js (inlined, as in :mod:`kg.views.charts`): a date axis along
the top, and one labelled lane per actor or per event type, switchable on the page (and
chosen at first with ``lanes=``). Each dated fact of the network is an item: a bar over
the interval its articles give — a day, a month, a year, or a range such as
``2025-09/2026-01`` — coloured by sign (cooperation green, conflict red, neither grey),
pale when planned or hypothetical, hatched when only one bound is known ("by 2 February
2026", "from 2022 on"). Its text says what happened: the type in words and the actors'
names. A click lists in a side panel each supporting quote with its article's title
and date, built from text nodes.

The layout is computed here, not in the browser: a day is drawn at least
:data:`MIN_DAY_PX` wide, any longer interval at least :data:`MIN_SPAN_PX` (so a month
never looks like a day), and within a lane items are stacked in rows so that no two
bars, nor their texts, overlap. The stacking is done in the axis's own units, so that
zooming in (which only spreads the items apart) keeps it true. Facts without a date
are counted in a note, not drawn.

Examples
--------
>>> from kg.network import example_network
>>> view = timeline_view(example_network(), title="Ann, Bob & Cid")
>>> "<title>Ann, Bob &amp; Cid</title>" in view.html, "<script src" in view.html
(True, False)
>>> [(item["fact"], item["text"]) for item in timeline_items(example_network())[0]][:2]
[('accusation', 'accusation: Bob \u2192 Cid'), ('meeting-1', 'meeting or call: Ann \u2192 Bob')]

"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping
from typing import Any

import networkx as nx

from kg.dates import edtf
from kg.errors import InputError
from kg.query import article_title
from kg.views.charts import PLOTLY_CONFIG, SIGN_COLOURS, _plain, _type_key, plotly_page, sign_name, type_words
from kg.views.network import View

__all__ = [
    "LANES",
    "MIN_DAY_PX",
    "MIN_SPAN_PX",
    "QUOTES_PER_ITEM",
    "article_info",
    "timeline_items",
    "timeline_view",
]

#: The ways to divide the timeline into lanes, and their names on the page.
LANES = {"actor": "by actor", "type": "by event type"}

#: Pixels of the time axis; the page is as wide as that and the lanes' labels.
PLOT_WIDTH = 900
#: Pixels at the right of the latest item, for its text.
LABEL_ROOM = 310
#: Pixels left free at the left of the earliest item.
EDGE_PX = 24
#: Height of a row of items.
ROW_PX = 24
#: The least width of an item known to the day, and of one known to a longer interval.
MIN_DAY_PX = 6
MIN_SPAN_PX = 14
#: The width of an item known by one bound only ("by 2 February", "from 2022 on").
OPEN_PX = 16
#: Pixels between two items in a row.
GAP_PX = 8
#: An item's text is cut at this many characters (the whole of it is in the hover and the panel).
TEXT_CHARS = 44
#: A lane's label is cut at this many characters.
LANE_CHARS = 30
#: Width of a character of the items' text (11 px Arial), generous; a wide (CJK) one counts twice.
CHAR_PX = 6.8
#: Quotes a page carries per item; the others are counted, and the question that lists them named.
QUOTES_PER_ITEM = 5

_DAY_MS = 86_400_000
_EPOCH = datetime.date(1970, 1, 1)

_ARTICLES = """SELECT ?article ?headline ?published ?outlet WHERE {
  ?article a kg:Article .
  OPTIONAL { ?article schema:headline ?headline }
  OPTIONAL { ?article schema:datePublished ?published }
  OPTIONAL { ?article kg:outlet ?outlet }
} ORDER BY ?article ?headline ?published ?outlet"""


def article_info(conn: Any) -> dict[str, dict[str, str | None]]:
    """Each article's ``title``, ``date`` (published, ISO) and ``outlet``, by id (``art:003``).

    The title is :func:`kg.query.article_title`'s, as the network view shows it:
    the headline, else the outlet and the date. ``conn`` is a :class:`kg.query.Connection`.
    """
    from kg.namespaces import curie

    found: dict[str, dict[str, str | None]] = {}
    rows = conn.table(_ARTICLES, name="articles", trusted=True, complete=True).rows  # never cut at max_rows
    for article, headline, published, outlet in rows:
        key = curie(article)
        if key in found:
            continue
        day = published.toPython() if published is not None else None
        day = day if isinstance(day, datetime.date) else None
        found[key] = {
            "title": article_title(
                key, str(headline) if headline is not None else None, str(outlet) if outlet else None, day
            ),
            "date": day.isoformat() if day else None,
            "outlet": str(outlet) if outlet is not None else None,
        }
    return found


def _ms(day: datetime.date) -> int:
    return (day - _EPOCH).days * _DAY_MS


def _iso(ms: float) -> str:
    """A time for plotly's date axis (UTC, to the millisecond)."""
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=round(ms))
    return moment.isoformat(sep=" ", timespec="milliseconds")


def _text_px(text: str) -> float:
    return sum(CHAR_PX * (2 if unicodedata.east_asian_width(c) in "WF" else 1) for c in text)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def _time_words(first: datetime.date | None, last: datetime.date | None, when: str) -> str:
    """``when`` (EDTF) for a reader: ``2025-09/2026-01`` as "2025-09 to 2026-01", an open end in words."""
    if first is not None and last is None:
        return f"from {when.split('/')[0]} on"
    if first is None and last is not None:
        return f"by {when.split('/')[-1]}"
    return when.replace("/", " to ")


def _label(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("label", node)) if node in G else node


def timeline_items(
    G: nx.MultiDiGraph, articles: Mapping[str, Mapping[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The items a timeline draws, in order of fact id, and the number of facts left out undated.

    Each item is one fact of ``G``: ``fact``, ``label``, ``type`` and ``words`` (the type
    in words), ``when`` (EDTF, from the days where the fact gives none) and ``time`` (in
    words), ``first``/``last`` (ISO days, either None when open), ``modality``, ``sign``,
    ``actors`` (ids, by label), ``who`` (who did it to whom, by name), ``text`` (what the
    item says) and ``quotes`` (each with its article's ``title`` and ``date`` from
    ``articles``; see :func:`article_info`).
    """
    from kg.views.charts import distinct_facts

    info = articles or {}
    sides: dict[str, tuple[set[str], set[str]]] = {}
    for a, b, _key, d in G.edges(keys=True, data=True):
        for fact in d["facts"]:
            sources, targets = sides.setdefault(fact["fact"], (set(), set()))
            sources.add(a)
            targets.add(b)
    items, undated = [], 0
    for fact, actors in distinct_facts(G):
        first, last = fact.get("first"), fact.get("last")
        if first is None and last is None:
            undated += 1
            continue
        sources, targets = sides[fact["fact"]]
        by_name = sorted(actors, key=lambda n: (_label(G, n), n))
        if sources & targets:
            who = ", ".join(_label(G, n) for n in by_name)
        else:
            who = " \u2192 ".join(
                ", ".join(_label(G, n) for n in sorted(side, key=lambda n: (_label(G, n), n)))
                for side in (sources, targets)
            )
        words = type_words(fact["type"])
        modality = fact["modality"]
        when = fact["when"] or edtf(first, last)  # a network made by hand may give the days alone
        shown: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for q in fact["evidence"]:
            if (q["article"], q["quote"]) in seen:
                continue
            seen.add((q["article"], q["quote"]))
            if len(shown) < QUOTES_PER_ITEM:
                meta = info.get(q["article"]) or {}
                shown.append(
                    {
                        "quote": q["quote"],
                        "article": q["article"],
                        "title": meta.get("title"),
                        "date": meta.get("date"),
                        "modality": q.get("modality", modality),
                        "when": q.get("when"),
                    }
                )
        items.append(
            {
                "fact": fact["fact"],
                "label": fact["label"],
                "type": fact["type"],
                "words": words,
                "when": when,
                "time": _time_words(first, last, when),
                "first": first.isoformat() if first else None,
                "last": last.isoformat() if last else None,
                "modality": modality,
                "score": fact["score"],
                "sign": sign_name(fact["score"]),
                "actors": by_name,
                "who": who,
                "text": f"{words}: {who}" + ("" if modality == "actual" else f" ({modality})"),
                "quotes": shown,
                "more": len(seen) - len(shown),
            }
        )
    return items, undated


def _geometry(items: list[dict[str, Any]]) -> tuple[list[dict[str, float]], tuple[float, float]]:
    """Where each item is drawn, in milliseconds: its bar, where its text starts and where it ends.

    Returns each item's ``start``/``end`` (the bar), ``text_at``, ``inside`` (1 when the
    text fits inside the bar) and ``reach`` (the end of the bar or of its text), and the
    range of the time axis.
    """
    bounds: list[tuple[float | None, float | None]] = [
        (_ms(datetime.date.fromisoformat(i["first"])) if i["first"] else None,
         _ms(datetime.date.fromisoformat(i["last"])) + _DAY_MS if i["last"] else None)
        for i in items
    ]  # fmt: skip
    known = [t for pair in bounds for t in pair if t is not None]
    t0, t1 = min(known), max(known)
    if t1 - t0 < 30 * _DAY_MS:  # a short timeline still shows a month
        middle = (t0 + t1) / 2
        t0, t1 = middle - 15 * _DAY_MS, middle + 15 * _DAY_MS
    scale = (PLOT_WIDTH - LABEL_ROOM - EDGE_PX) / (t1 - t0)  # pixels per millisecond
    shapes = []
    for item, (first, last) in zip(items, bounds, strict=True):
        if first is not None and last is not None:
            least = MIN_DAY_PX if last - first <= _DAY_MS else MIN_SPAN_PX
            start, end = first, first + max(last - first, least / scale)
        elif first is not None:
            start, end = first, first + OPEN_PX / scale
        else:
            assert last is not None
            start, end = last - OPEN_PX / scale, last
        width = (end - start) * scale
        text = _text_px(_cut(item["text"], TEXT_CHARS))
        inside = width >= text + 12
        shapes.append(
            {
                "start": start,
                "end": end,
                "inside": float(inside),
                "text_at": start + 3 / scale if inside else end,
                "reach": end if inside else end + (text + 6) / scale,
            }
        )
    left = t0 - EDGE_PX / scale
    return shapes, (left, left + PLOT_WIDTH / scale)


def _rows(shapes: list[dict[str, float]], members: list[int], gap: float) -> dict[int, int]:
    """Each member's row in its lane: the first row whose last item ends ``gap`` before it starts."""
    rows: dict[int, int] = {}
    ends: list[float] = []
    for i in sorted(members, key=lambda i: (shapes[i]["start"], shapes[i]["reach"], i)):
        r = next((r for r, end in enumerate(ends) if end + gap <= shapes[i]["start"]), len(ends))
        if r == len(ends):
            ends.append(0.0)
        ends[r] = shapes[i]["reach"]
        rows[i] = r
    return rows


def _figure(
    G: nx.MultiDiGraph,
    items: list[dict[str, Any]],
    shapes: list[dict[str, float]],
    span: tuple[float, float],
    lanes: str,
) -> dict[str, Any]:
    """The plotly figure of one way of dividing the lanes."""
    members: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        for key in item["actors"] if lanes == "actor" else [item["type"]]:
            members.setdefault(key, []).append(i)
    if lanes == "actor":
        order = sorted(members, key=lambda k: (-len(members[k]), _label(G, k), k))
        names = {k: _label(G, k) for k in order}
    else:
        order = sorted(members, key=_type_key)
        names = {k: type_words(k)[:1].upper() + type_words(k)[1:] for k in order}
    gap = GAP_PX * (span[1] - span[0]) / PLOT_WIDTH
    points: list[tuple[int, float]] = []  # (item, y)
    ticks, labels, bands = [], [], []
    y = 0
    for n, key in enumerate(order):
        rows = _rows(shapes, members[key], gap)
        height = max(rows.values()) + 1
        points += [(i, y + rows[i]) for i in sorted(rows)]
        ticks.append(y)  # on the lane's first row: found without scrolling through a tall lane
        labels.append(_plain(_cut(names[key], LANE_CHARS)))
        bands.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": y - 0.5,
                "y1": y + height - 0.5,
                "fillcolor": "#f3f5f7" if n % 2 == 0 else "#ffffff",
                "line": {"width": 0},
                "layer": "below",
            }
        )
        y += height
    data: list[dict[str, Any]] = []
    for sign, colour in SIGN_COLOURS.items():
        mine = [(i, row) for i, row in points if items[i]["sign"] == sign]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": sign,
                "base": [_iso(shapes[i]["start"]) for i, _ in mine],
                "x": [round(shapes[i]["end"] - shapes[i]["start"]) for i, _ in mine],
                "y": [row for _, row in mine],
                "width": 0.72,
                "customdata": [i for i, _ in mine],
                "hovertext": [_hover(items[i]) for i, _ in mine],
                "hoverinfo": "text",
                "marker": {
                    "color": colour,
                    "opacity": [1.0 if items[i]["modality"] == "actual" else 0.42 for i, _ in mine],
                    "line": {"color": colour, "width": 1},
                    "pattern": {
                        "shape": ["/" if None in (items[i]["first"], items[i]["last"]) else "" for i, _ in mine],
                        "fillmode": "overlay",
                        "fgcolor": "#ffffff",
                        "solidity": 0.45,
                    },
                },
                "showlegend": False,
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "name": "text",
            "x": [_iso(shapes[i]["text_at"]) for i, _ in points],
            "y": [row for _, row in points],
            "text": [_plain(_cut(items[i]["text"], TEXT_CHARS)) for i, _ in points],
            "textposition": "middle right",
            "textfont": {
                "size": 11,
                "family": "Arial, sans-serif",
                "color": [
                    "#ffffff"
                    if shapes[i]["inside"] and items[i]["modality"] == "actual" and items[i]["sign"] != "neutral"
                    else "#222222"
                    for i, _ in points
                ],
            },
            "customdata": [i for i, _ in points],
            "hovertext": [_hover(items[i]) for i, _ in points],
            "hoverinfo": "text",
            "cliponaxis": False,
            "showlegend": False,
        }
    )
    left = 16 + round(max((_text_px(label) for label in labels), default=0) * 1.05)
    layout = {
        "width": left + PLOT_WIDTH + 20,
        "height": 70 + max(y, 3) * ROW_PX + 20,
        "margin": {"l": left, "r": 20, "t": 70, "b": 20, "autoexpand": False},
        "font": {"family": "Arial, sans-serif", "size": 12},
        "xaxis": {
            "type": "date",
            "range": [_iso(span[0]), _iso(span[1])],
            "side": "top",
            "showline": True,
            "linecolor": "#888888",
            "ticks": "outside",
            "showgrid": True,
            "gridcolor": "#dddddd",
            "title": {"text": "date", "standoff": 6},
        },
        "yaxis": {
            "range": [max(y, 1) - 0.5, -0.5],
            "tickvals": ticks,
            "ticktext": labels,
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        "shapes": bands,
        "barmode": "overlay",
        "showlegend": False,
        "hovermode": "closest",
        "dragmode": "zoom",
    }
    return {"data": data, "layout": layout}


def _hover(item: dict[str, Any]) -> str:
    lines = [item["label"], f"{item['words']} \u00b7 {item['time']} \u00b7 {item['modality']}", item["who"]]
    return "<br>".join(_plain(_cut(line, 90)) for line in lines)


def timeline_view(
    G: nx.MultiDiGraph,
    *,
    title: str = "Timeline of events",
    lanes: str = "actor",
    articles: Mapping[str, Mapping[str, Any]] | None = None,
    library: str | None = None,
) -> View:
    """The timeline page of the facts of ``G`` (see the module's docstring).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A projected network (:func:`kg.network.project`), filtered or not.
    title : str
        The page's heading.
    lanes : {"actor", "type"}
        The lanes the page opens with; a control on the page switches them.
    articles : mapping, optional
        Each article's ``title`` and ``date`` (:func:`article_info`), shown with its
        quotes; without it an article is named by its id.
    library : str, optional
        The address, relative to the page, of a file holding
        :func:`kg.views.charts.plotly_js`: the page loads plotly.js from it instead of
        inlining it (for a site of many pages sharing one copy). None inlines it.

    Raises
    ------
    InputError
        For an unknown way of dividing the lanes.

    Examples
    --------
    >>> from kg.network import example_network
    >>> timeline_view(example_network(), lanes="type").title
    'Timeline of events'

    """
    if lanes not in LANES:
        raise InputError(f"no lanes {lanes!r}", expected=" or ".join(LANES))
    items, undated = timeline_items(G, articles)
    figures = {}
    if items:
        shapes, span = _geometry(items)
        figures = {mode: _figure(G, items, shapes, span, mode) for mode in LANES}
    notes = []
    if undated:
        notes.append(
            f"{undated} undated fact{'s are' if undated != 1 else ' is'} not drawn "
            "(the network view, kg view network, shows them)."
        )
    if not items:
        notes.insert(0, "No dated fact to draw.")
    data = {
        "title": title,
        "note": " ".join(notes) or None,
        "lanes": lanes,
        "modes": LANES,
        "items": items,
        "figures": figures,
        "config": PLOTLY_CONFIG,
        "colours": SIGN_COLOURS,
    }
    return View(plotly_page("timeline", title, data, library), title)
