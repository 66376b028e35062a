"""Interactive views of the actor network and the timeline: self-contained HTML pages, and inline in notebooks.

The network is assembled with pyvis (``directed=True``: parallel relations stay apart)
from :func:`kg.network.project`, then written into a page of our own rather than
pyvis's templates, which load Bootstrap and vis-network from CDNs, copy a ``lib/``
folder beside the page, and let a title containing ``href`` turn every tooltip into
raw HTML. Our page:

- inlines vis-network from the installed pyvis package, licence notice included, and
  names no external URL: it works offline and sends no request;
- carries all data as JSON in a ``<script type="application/json">`` block, with ``<``,
  ``>`` and ``&`` escaped, and builds every tooltip, panel and menu from text nodes —
  never ``innerHTML`` of data;
- colours and shapes nodes by class with a legend, sizes them by a centrality, colours
  edges by sign (cooperation green, conflict red) and widens them by strength;
- has search by label or alias, neighbour highlighting on click, filters (relation,
  date range, article) and a side panel listing each supporting fact with its date,
  event type, quote and article;
- bounds the physics simulation and then switches it off; above ``layout_threshold``
  nodes the layout is computed in Python (NetworkX) and sent fixed.

In a notebook a :class:`View` displays itself in a sandboxed ``iframe`` (``srcdoc``),
creating no file; ``view.save(path)`` writes the same page, atomically.

Examples
--------
>>> from kg.network import example_network
>>> view = network_view(example_network(), title="Ann, Bob & Cid")
>>> "<title>Ann, Bob &amp; Cid</title>" in view.html, "http" in view.html.split("<script")[0]
(True, False)
>>> view._repr_html_().startswith('<iframe sandbox="allow-scripts"')
True

"""

from __future__ import annotations

import datetime
import html
import json
import re
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.errors import InputError
from kg.files import write_atomic
from kg.network import centrality, ego, load_facts

__all__ = [
    "FACTS_PER_TIE",
    "KIND_STYLE",
    "TOP_ACTORS",
    "TOP_TIES",
    "View",
    "ego_view",
    "network_view",
    "timeline_view",
    "top_actors",
]

#: Colour and shape of a node by its class.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "person": ("#4c78a8", "dot"),
    "organisation": ("#f58518", "square"),
    "group": ("#b279a2", "triangle"),
    "country": ("#54a24b", "diamond"),
    "place": ("#9d755d", "star"),
    "event": ("#bab0ac", "box"),
}
EDGE_COLOURS = {1: "#2e7d32", -1: "#c62828", 0: "#9e9e9e"}


@dataclass(frozen=True)
class View:
    """A rendered view: a complete HTML page."""

    html: str
    title: str

    def save(self, path: Path | str) -> Path:
        """Write the page to ``path`` (UTF-8, atomically); no other file is created."""
        return write_atomic(Path(path), self.html.encode("utf-8"))

    def _repr_html_(self) -> str:
        # a sandboxed iframe: the page's scripts run apart from the notebook's own page
        return (
            '<iframe sandbox="allow-scripts" style="width:100%;height:660px;border:1px solid #ddd" '
            f'title="{html.escape(self.title, quote=True)}" srcdoc="{html.escape(self.html, quote=True)}"></iframe>'
        )


#: Actors a network page draws by default: those with the most ties, when there are more.
TOP_ACTORS = 150
#: Ties a network page draws by default: fewer top actors when theirs are more.
TOP_TIES = 2000


def top_actors(G: nx.MultiDiGraph, n: int) -> list[str]:
    """The ``n`` actors with the most distinct neighbours (either direction), ties broken by id.

    >>> from kg.network import example_network
    >>> top_actors(example_network(), 2)
    ['ann', 'bob']
    """
    if n < 1:
        raise InputError(f"cannot draw the top {n} actors", expected="a number of actors of at least 1")
    degree = {node: len(set(G.successors(node)) | set(G.predecessors(node))) for node in G}
    return sorted(G, key=lambda node: (-degree[node], node))[:n]


def _fitting(G: nx.MultiDiGraph, ranked: list[str], max_ties: int) -> int:
    """How many of the ``ranked`` actors, from the first, have at most ``max_ties`` ties between them."""
    ties, seen = 0, set()
    for i, node in enumerate(ranked):
        added = sum(1 for other in G.successors(node) if other in seen for _ in G[node][other])
        added += sum(1 for other in G.predecessors(node) if other in seen for _ in G[other][node])
        if ties + added > max_ties and i >= 2:
            return i
        ties += added
        seen.add(node)
    return len(ranked)


def network_view(
    G: nx.MultiDiGraph,
    *,
    title: str = "Actor network",
    size_by: str = "pagerank",
    top: int | None = None,
    max_ties: int | None = None,
    layout_threshold: int = 300,
    warn_threshold: int = 1000,
    stabilization_iterations: int = 200,
) -> View:
    """The page of a projected actor network (see the module's docstring).

    ``size_by`` is a column of :func:`kg.network.centrality` (pagerank, degree,
    betweenness, eigenvector…). ``top`` draws only the ``top`` actors with the most ties
    (:func:`top_actors`) and the ties between them, and says so on the page; None draws
    every actor; ``max_ties`` draws, of those, the most actors whose ties number at most
    ``max_ties`` (at least two actors). A network of more than ``warn_threshold`` actors
    draws, but a warning suggests an ego or filtered view.

    Each tie carries its summary — the number of facts of each type, cooperation and
    conflict, its first and last dates (EDTF) and its articles — and its first
    :data:`FACTS_PER_TIE` facts in time with their quotes; the page names the command
    that lists the others.
    """
    note = None
    kept = top_actors(G, top) if top is not None and len(G) > top else list(G)
    if max_ties is not None and G.subgraph(kept).number_of_edges() > max_ties:
        kept = kept[: _fitting(G, kept, max_ties)]
    if len(kept) < len(G):
        whole = G
        G = G.subgraph(kept).copy()
        note = (
            f"Showing the {len(G):,} actors with the most ties, of {len(whole):,}, and the "
            f"{G.number_of_edges():,} ties between them, of {whole.number_of_edges():,}: "
            "kg view network --top N draws N, --all every actor; an ego view (kg view ego ACTOR) "
            "or filters (--from/--to, --type, --min-articles) show a part in full."
        )
    load_facts(G)  # the facts of the ties drawn, read at once (not those of a whole corpus)
    if len(G) > warn_threshold:
        warnings.warn(
            f"{len(G)} actors: the page will be slow to read; an ego view (kg view ego ACTOR) or a filtered one "
            "(--from/--to, --type, --min-articles) shows more",
            stacklevel=2,
        )
    measures = centrality(G, costly={size_by}).set_index("id") if len(G) else None
    sizes = {}
    if measures is not None and size_by in measures.columns:
        column = measures[size_by].astype(float)
        biggest = float(column.max()) or 1.0
        sizes = {n: 12 + 28 * float(v) / biggest for n, v in column.items()}
    positions = _layout(G) if len(G) > layout_threshold else {}
    net = Network(directed=True, cdn_resources="remote")
    for n, d in sorted(G.nodes(data=True)):
        colour, shape = KIND_STYLE.get(str(d.get("kind")), ("#999999", "dot"))
        extra = {"x": positions[n][0], "y": positions[n][1], "physics": False} if n in positions else {}
        net.add_node(
            n,
            label=str(d.get("label", n)),
            color=colour,
            shape=shape,
            size=sizes.get(n, 16),
            kind=d.get("kind"),
            country=d.get("country"),
            posts=d.get("posts", []),
            aliases=d.get("aliases", []),
            **extra,
        )
    for i, (a, b, key, d) in enumerate(sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))):
        facts = list(d["facts"])
        shown = sorted(facts, key=_in_time)[:FACTS_PER_TIE]
        net.add_edge(
            a,
            b,
            id=f"e{i}",
            relation=key,
            color=EDGE_COLOURS[d["sign"]],
            width=1 + min(abs(d["score"]), 30) / 3,
            arrows="to",
            label=key,
            **_summary(d, facts),
            facts=_facts(shown),
            more=len(facts) - len(shown),
            command=f"kg analyze path {a} {b}",
        )
    data = {
        "title": title,
        "note": note,
        "nodes": net.nodes,
        "edges": net.edges,
        "legend": _legend(G),
        "physics": not positions,
        "iterations": stabilization_iterations,
        "articles": sorted({a for e in net.edges for a in e["articles"]}),
    }
    return View(_page(title, data), title)


#: Facts a page embeds per tie, the first in time; the others are counted, and the
#: command that lists them all is named, so that a page of a large corpus stays small.
FACTS_PER_TIE = 3


def _in_time(fact: dict[str, Any]) -> tuple[bool, datetime.date, str]:
    """Sort key: dated facts first, earliest first, then by id."""
    return fact["date"] is None, fact["date"] or datetime.date.max, fact["fact"]


def _summary(d: dict[str, Any], facts: list[dict[str, Any]]) -> dict[str, Any]:
    """What a page says of a tie without its facts: counts by type, balance, time, articles.

    ``spans`` are the distinct intervals (first and last day, either open) of its dated
    facts, for the page's date filter.
    """
    types: dict[str, int] = {}
    for f in facts:
        types[f["type"]] = types.get(f["type"], 0) + 1
    spans = sorted({(_iso(f.get("first")) or "", _iso(f.get("last")) or "") for f in facts if f.get("when")})
    return {
        "count": d["count"],
        "score": d["score"],
        "types": dict(sorted(types.items())),
        "cooperation": round(sum(f["score"] for f in facts if f["score"] > 0), 6),
        "conflict": round(sum(f["score"] for f in facts if f["score"] < 0), 6),
        "first": d.get("first"),
        "last": d.get("last"),
        "articles": sorted({e["article"] for f in facts for e in f["evidence"]}),
        "spans": [list(span) for span in spans],
    }


def ego_view(G: nx.MultiDiGraph, actor: str, k: int = 1, **options: Any) -> View:
    """The page of the actors within ``k`` steps of ``actor``."""
    label = G.nodes[actor].get("label", actor) if actor in G else actor
    options.setdefault("title", f"{label} and the actors within {k} step{'s' if k != 1 else ''}")
    return network_view(ego(G, actor, k), **options)


def timeline_view(G: nx.MultiDiGraph, *, title: str = "Timeline of events", day_width: float = 130.0) -> View:
    """Events placed by date along the horizontal axis, each linked to the actors in it.

    Each dated fact becomes an event node at its date (one row per PLOVER type; the dates
    are spaced in order, so that a quiet year takes no room); the actors sit above, near
    their events, and an edge joins each actor to the events it takes part in. Positions
    are fixed: there is no simulation.
    """
    events: dict[str, dict[str, Any]] = {}
    for a, b, key, d in G.edges(keys=True, data=True):
        for f in d["facts"]:
            if f["date"] is None:
                continue
            entry = events.setdefault(f["fact"], {**f, "actors": set(), "relation": key, "sign": d["sign"]})
            entry["actors"].update((a, b))
    if not events:
        return network_view(nx.MultiDiGraph(), title=title)
    # dates in order along the axis (one step per distinct date: years of quiet take no room)
    days = sorted({e["date"] for e in events.values()})
    step = {d: i * day_width for i, d in enumerate(days)}
    types = sorted({e["type"] for e in events.values()})
    net = Network(directed=True, cdn_resources="remote")
    ordered = sorted(events.items(), key=lambda kv: (kv[1]["date"], kv[0]))
    xs: dict[str, list[float]] = {}
    for _fid, e in ordered:
        for a in e["actors"]:
            xs.setdefault(a, []).append(step[e["date"]])
    x_of: dict[str, float] = {}
    last = None
    for a in sorted(xs, key=lambda a: (sum(xs[a]) / len(xs[a]), a)):  # actors above, near their events
        x = sum(xs[a]) / len(xs[a])
        x = x if last is None else max(x, last + 110)
        x_of[a], last = x, x
    for n, x in x_of.items():
        colour, shape = KIND_STYLE.get(str(G.nodes[n].get("kind")), ("#999999", "dot"))
        net.add_node(
            n,
            label=str(G.nodes[n].get("label", n)),
            color=colour,
            shape=shape,
            size=14,
            x=x,
            y=-320,
            physics=False,
            kind=G.nodes[n].get("kind"),
            aliases=G.nodes[n].get("aliases", []),
            posts=G.nodes[n].get("posts", []),
            country=G.nodes[n].get("country"),
        )
    edge_id = 0
    stacked: dict[tuple[datetime.date, str], int] = {}
    for fid, e in ordered:
        slot = stacked[(e["date"], e["type"])] = stacked.get((e["date"], e["type"]), -1) + 1
        net.add_node(
            fid,
            label=f"{e['when']}\n{e['type'].lower()}",
            color=EDGE_COLOURS[e["sign"]],
            shape="box",
            x=step[e["date"]] + 14 * slot,
            y=types.index(e["type"]) * 90 + 22 * slot,
            physics=False,
            kind="event",
            date=e["when"],
            day=e["date"].isoformat(),
            facts=_facts([e]),
            font={"color": "#ffffff"},
        )
        for a in sorted(e["actors"]):
            net.add_edge(
                a,
                fid,
                id=f"t{edge_id}",
                relation=e["relation"],
                color="#cccccc",
                width=1,
                arrows="to",
                **_summary({"count": 1, "score": e["score"], "first": e["when"], "last": e["when"]}, [e]),
                facts=_facts([e]),
                more=0,
            )
            edge_id += 1
    data = {
        "title": title,
        "note": None,
        "nodes": net.nodes,
        "edges": net.edges,
        "legend": _legend(G, with_events=True),
        "physics": False,
        "iterations": 0,
        "articles": sorted({q["article"] for e in events.values() for q in e["evidence"]}),
    }
    return View(_page(title, data), title)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if isinstance(day, datetime.date) else None


#: Quotes a page embeds per fact: one from each of the first articles, the others counted
#: and named by the question that lists them, so that a page of a large corpus stays small.
QUOTES_PER_FACT = 3


def _facts(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for f in facts:
        shown: list[dict[str, Any]] = []
        seen: set[str] = set()
        for q in f["evidence"]:  # one quote from each article first, in article order
            if q["article"] not in seen and len(shown) < QUOTES_PER_FACT:
                seen.add(q["article"])
                shown.append(q)
        out.append(
            {
                "fact": f["fact"],
                "label": f["label"],
                "type": f["type"],
                "modality": f["modality"],
                "when": f.get("when"),
                "first": _iso(f.get("first")),
                "last": _iso(f.get("last")),
                "articles": sorted({q["article"] for q in f["evidence"]}),
                "more": len(f["evidence"]) - len(shown),
                "quotes": [
                    {
                        "quote": q["quote"],
                        "article": q["article"],
                        "modality": q.get("modality", f["modality"]),
                        "when": q.get("when"),
                    }
                    for q in shown
                ],
            }
        )
    return out


def _legend(G: nx.MultiDiGraph, with_events: bool = False) -> list[dict[str, str]]:
    kinds = sorted({str(d.get("kind")) for _, d in G.nodes(data=True)} | ({"event"} if with_events else set()))
    items = [
        {"label": k, "color": KIND_STYLE.get(k, ("#999999", "dot"))[0], "shape": KIND_STYLE.get(k, ("", "dot"))[1]}
        for k in kinds
    ]
    items += [
        {"label": "cooperation", "color": EDGE_COLOURS[1], "shape": "line"},
        {"label": "conflict", "color": EDGE_COLOURS[-1], "shape": "line"},
    ]
    return items


def _layout(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    # computed once in Python: a browser needs about a minute to settle 1,000 nodes itself
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from(G.edges())  # the layout needs who is tied to whom, not the facts
    pos = nx.spring_layout(U, seed=42, iterations=25, scale=40 * len(G) ** 0.5)  # 2,000 actors: about 4 s
    return {n: (round(float(x), 2), round(float(y), 2)) for n, (x, y) in pos.items()}


def _json(data: Any) -> str:
    # safe inside <script>: no "</script>", no "<!--", no HTML entity can be formed
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _asset(name: str) -> str:
    return (resources.files("kg") / "assets" / name).read_text(encoding="utf-8")


def _vis_network() -> str:
    source = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return source.read_text(encoding="utf-8").replace("</script", "<\\/script")


def _page(title: str, data: dict[str, Any]) -> str:
    parts = {
        "TITLE": html.escape(title),
        "STYLE": _asset("view.css"),
        "VIS_NETWORK": _vis_network(),
        "DATA": _json(data),
        "APP": _asset("view.js"),
    }
    # one pass over the template: what is inserted is never searched for placeholders
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: parts[m.group(1)], _asset("view.html"))
