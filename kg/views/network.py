"""Interactive views of the actor network: self-contained HTML pages, and inline in notebooks.

The network is assembled with pyvis (``directed=True``: parallel relations stay apart)
from :func:`kg.network.project`, then written into a page of our own rather than
pyvis's templates, which load Bootstrap and vis-network from CDNs, copy a ``lib/``
folder beside the page, and let a title containing ``href`` turn every tooltip into
raw HTML. Our page:

- inlines vis-network from the installed pyvis package, licence notice included, and
  names no external URL: it works offline and sends no request (``library=`` makes it
  load vis-network from a file beside it instead, for a site of many pages sharing one
  copy: :func:`vis_network_js` gives that file's text);
- carries all data as JSON in a ``<script type="application/json">`` block, with ``<``,
  ``>`` and ``&`` escaped, and builds every tooltip, panel and menu from text nodes —
  never ``innerHTML`` of data;
- colours and shapes nodes by class, with a legend drawn in the same shapes and colours
  (class colours stay clear of the sign colours), sizes them by a centrality, colours
  edges by sign (cooperation green, conflict red) and widens them by strength;
- says everything in names: actors by their labels, relations in words ("met with",
  never ``metWith``), articles by their headlines (:func:`read_names`), each quote with
  a link to its article where the dataset records its address;
- has search by label or alias, neighbour highlighting on click, filters (relation,
  date range, article) and a side panel listing each supporting fact with its date,
  event type, quote and article;
- is laid out in Python (NetworkX, seeded) and drawn without a simulation: every
  reader, on every load, sees the same picture; node labels are at least 14 px at the
  first fit, and a tie's relation is written on it on hover, or on every tie once
  zoomed in, so that the labels of a busy pair never pile up.

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
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from pyvis.network import Network
from rdflib import Literal, URIRef

from kg.errors import InputError
from kg.files import write_atomic
from kg.namespaces import expand
from kg.network import centrality, ego, load_facts, words_of
from kg.query import article_title
from kg.views.page import asset, fill, script_json, shared_library

if TYPE_CHECKING:
    from kg.query import Connection

__all__ = [
    "FACTS_PER_TIE",
    "KIND_STYLE",
    "TOP_ACTORS",
    "TOP_TIES",
    "Names",
    "View",
    "ego_view",
    "network_view",
    "read_names",
    "top_actors",
    "vis_network_js",
]

#: Colour and shape of a node by its class: blue, orange, purple, gold and brown, none of
#: them near the green and red of the signs (:data:`EDGE_COLOURS`).
KIND_STYLE: dict[str, tuple[str, str]] = {
    "person": ("#4c78a8", "dot"),
    "organisation": ("#f58518", "square"),
    "group": ("#b279a2", "triangle"),
    "country": ("#d4a017", "diamond"),
    "place": ("#9d755d", "star"),
    "event": ("#bab0ac", "box"),
}
#: Colour of a tie by its sign: cooperation, conflict, neither.
EDGE_COLOURS = {1: "#2e7d32", -1: "#c62828", 0: "#9e9e9e"}
SIGN_WORDS = {1: "cooperation", -1: "conflict", 0: "neither"}
#: The seed of the layout: the same picture for every reader.
LAYOUT_SEED = 42


@dataclass(frozen=True)
class Names:
    """What a page shows in place of ids.

    ``labels`` names entities by id (an actor's country and posts: ``ent:colombia`` →
    Colombia), ``relations`` names relations (``metWith`` → met with), ``articles``
    titles articles (``art:000`` → its headline) and ``urls`` gives an article's address,
    where the dataset records one. Anything not named here is shown as the page can:
    a relation in words made from its name (:func:`kg.network.words_of`), anything else as
    it is. :func:`read_names` reads them all from a built dataset.

    >>> names = Names(articles={"art:x": "Ann meets Bob"})
    >>> names.article("art:x"), names.article("art:y"), names.relation("metWith")
    ('Ann meets Bob', 'art:y', 'met with')
    """

    labels: Mapping[str, str] = field(default_factory=dict)
    relations: Mapping[str, str] = field(default_factory=dict)
    articles: Mapping[str, str] = field(default_factory=dict)
    urls: Mapping[str, str] = field(default_factory=dict)

    def label(self, name: str) -> str:
        """The name of an entity given by its id."""
        return self.labels.get(name, name)

    def relation(self, relation: str) -> str:
        """A relation in words."""
        return words_of(relation, self.relations)

    def article(self, article: str) -> str:
        """An article's title."""
        return self.articles.get(article, article)

    def url(self, article: str) -> str | None:
        """An article's address: only an absolute http(s) URL, else None."""
        url = self.urls.get(article)
        return url if url is not None and _WEB_ADDRESS.fullmatch(url) else None


_WEB_ADDRESS = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
_SCHEMA = "https://schema.org/"
_KG = "https://w3id.org/newskg/ns#"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: What names an id: a label, an article's headline, outlet, date and address.
_NAMING = {
    _RDFS_LABEL: "label",
    _SCHEMA + "headline": "headline",
    _KG + "outlet": "outlet",
    _SCHEMA + "datePublished": "date",
    _SCHEMA + "url": "url",
}


def read_names(conn: Connection, G: nx.MultiDiGraph) -> Names:
    """The names a page of ``G`` shows, read from a built dataset.

    The labels of the countries and posts of its actors, the words of its relations (the
    ontology's ``rdfs:label``), and for each article its title (:func:`article_title`)
    and its ``schema:url``, where recorded.

    >>> import pathlib, tempfile
    >>> from kg.build import EXAMPLE, build_project
    >>> from kg.network import project
    >>> from kg.project import Project
    >>> from kg.query import connect
    >>> example = Project.at(EXAMPLE, sources=EXAMPLE / "sources")
    >>> example = example.with_build(pathlib.Path(tempfile.mkdtemp()) / "build")
    >>> _ = build_project(example)
    >>> conn = connect(example.build)
    >>> names = read_names(conn, project(conn))
    >>> names.article("art:t1"), names.relation("metWith")
    ('Arden and Brook hold talks', 'met with')
    """
    entities = {v for _, d in G.nodes(data=True) for v in [d.get("country"), *(d.get("posts") or [])] if v}
    relations = {key for _, _, key in G.edges(keys=True)}
    articles = {q["article"] for _, _, d in G.edges(data=True) for f in d["facts"] for q in f["evidence"]}
    iris = {expand(e): e for e in entities} | {_KG + r: r for r in relations} | {expand(a): a for a in articles}
    found: dict[str, dict[str, str | datetime.date]] = {}
    wanted = sorted(i for i in iris if i.startswith(("http://", "https://")))
    for start in range(0, len(wanted), 1000):
        chunk = " ".join(URIRef(i).n3() for i in wanted[start : start + 1000])
        table = conn.table(
            f"""SELECT ?s ?p ?v WHERE {{ VALUES ?s {{ {chunk} }}
                  VALUES ?p {{ {" ".join(URIRef(p).n3() for p in sorted(_NAMING))} }} ?s ?p ?v }} ORDER BY ?s ?p ?v""",
            name="names",
            trusted=True,
            complete=True,
        )
        for s, p, v in table.rows:
            key = _NAMING[str(p)]
            if isinstance(v, Literal):
                found.setdefault(str(s), {}).setdefault(key, v.toPython())
            elif key == "url" and isinstance(v, URIRef):  # an address is written as an IRI
                found.setdefault(str(s), {}).setdefault(key, str(v))
    labels, words, titles, urls = {}, {}, {}, {}
    for iri, name in iris.items():
        got = found.get(iri, {})
        if name in articles:
            date = got.get("date")
            titles[name] = article_title(
                name,
                str(got["headline"]) if "headline" in got else None,
                str(got["outlet"]) if "outlet" in got else None,
                date if isinstance(date, datetime.date) else None,
            )
            if "url" in got:
                urls[name] = str(got["url"])
        if name in relations and "label" in got:
            words[name] = str(got["label"])
        if name in entities and "label" in got:
            labels[name] = str(got["label"])
    return Names(labels=labels, relations=words, articles=titles, urls=urls)


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
    warn_threshold: int = 1000,
    names: Names | Connection | None = None,
    library: str | None = None,
) -> View:
    """The page of a projected actor network (see the module's docstring).

    ``size_by`` is a column of :func:`kg.network.centrality` (pagerank, degree,
    betweenness, eigenvector…). ``top`` draws only the ``top`` actors with the most ties
    (:func:`top_actors`) and the ties between them, and says so on the page; None draws
    every actor; ``max_ties`` draws, of those, the most actors whose ties number at most
    ``max_ties`` (at least two actors). A network of more than ``warn_threshold`` actors
    draws, but a warning suggests an ego or filtered view. ``names`` gives the names the
    page shows in place of ids, or the connection to read them from for the actors and
    ties drawn (:func:`read_names`); without them, relations are put in words from their
    names and anything else is shown as it is.

    Each tie carries its summary — the number of facts of each type, cooperation and
    conflict, its first and last dates (EDTF) and its articles — and its first
    :data:`FACTS_PER_TIE` facts in time with their quotes; the page names the command
    that lists the others.

    The layout is computed here, seeded (:func:`_layout`): the page draws it as it is,
    without a simulation, so that it is the same on every load.

    ``library`` is the address, relative to the page, of a file holding
    :func:`vis_network_js` (``../assets/vis-network.min.js``): the page then loads
    vis-network from it instead of inlining it, and works only beside that file. None
    (the default) inlines it: the page is one self-contained file.

    >>> from kg.network import example_network
    >>> page = network_view(example_network(), library="../assets/vis-network.min.js").html
    >>> '<script src="../assets/vis-network.min.js"></script>' in page, vis_network_js()[:40] in page
    (True, False)
    """
    note = None
    kept = top_actors(G, top) if top is not None and len(G) > top else list(G)
    if max_ties is not None and G.subgraph(kept).number_of_edges() > max_ties:
        if len(kept) == len(G):  # not ranked yet: the cut keeps the actors with the most ties
            kept = top_actors(G, len(G))
        kept = kept[: _fitting(G, kept, max_ties)]
    if len(kept) < len(G):
        whole = G
        G = G.subgraph(kept).copy()
        actors, ties = len(G), G.number_of_edges()
        note = (
            f"Showing the {actors:,} actor{'s' if actors != 1 else ''} with the most ties, of {len(whole):,}, "
            f"and the {ties:,} tie{'s' if ties != 1 else ''} between them, of {whole.number_of_edges():,}: "
            "kg view network --top N draws N, --all every actor; an ego view (kg view ego ACTOR) "
            "or filters (--from/--to, --type, --min-articles) show a part in full."
        )
    load_facts(G)  # the facts of the ties drawn, read at once (not those of a whole corpus)
    if names is None:
        names = Names()
    elif not isinstance(names, Names):
        names = read_names(names, G)
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
    positions = _layout(G)
    net = Network(directed=True, cdn_resources="remote")
    for n, d in sorted(G.nodes(data=True)):
        colour, shape = KIND_STYLE.get(str(d.get("kind")), ("#999999", "dot"))
        country = d.get("country")
        net.add_node(
            n,
            label=str(d.get("label", n)),
            color=colour,
            shape=shape,
            size=sizes.get(n, 16),
            kind=d.get("kind"),
            country=names.label(country) if country else None,
            posts=[names.label(p) for p in d.get("posts", [])],
            aliases=d.get("aliases", []),
            x=positions[n][0],
            y=positions[n][1],
            physics=False,
        )
    curves = _curves(G)
    for i, (a, b, key, d) in enumerate(sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))):
        facts = list(d["facts"])
        shown = sorted(facts, key=_in_time)[:FACTS_PER_TIE]
        net.add_edge(
            a,
            b,
            id=f"e{i}",
            relation=key,
            words=names.relation(key),
            color=EDGE_COLOURS[d["sign"]],
            width=1 + min(abs(d["score"]), 30) / 3,
            arrows="to",
            smooth=curves[a, b, key],
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
        "physics": False,
        "iterations": 0,
        "articles": _articles(sorted({a for e in net.edges for a in e["articles"]}), names),
    }
    return View(_page(title, data, library), title)


def _articles(articles: list[str], names: Names) -> list[dict[str, str | None]]:
    """Each article of a page with its title and address (None when the dataset records none)."""
    return [{"id": a, "title": names.article(a), "url": names.url(a)} for a in articles]


def _curves(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict[str, Any] | bool]:
    """How each tie is drawn: straight when it is alone between its actors, else bowed apart.

    The ties between two actors (either way) are bowed by steps from one side to the
    other, so that none is drawn over another; a tie the other way round bows the other
    way, which is the same side.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="metWith"); G.add_edge("b", "a", key="accuses"); G.add_edge("a", "c", key="x")
    'metWith'
    'accuses'
    'x'
    >>> curves = _curves(G)
    >>> curves["a", "c", "x"], curves["a", "b", "metWith"], curves["b", "a", "accuses"]
    (False, {'type': 'curvedCCW', 'roundness': 0.15}, {'type': 'curvedCCW', 'roundness': 0.15})
    """
    pairs: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for a, b, key in G.edges(keys=True):
        pairs.setdefault((min(a, b), max(a, b)), []).append((a, b, key))
    curves: dict[tuple[str, str, str], dict[str, Any] | bool] = {}
    for (low, _high), ties in pairs.items():
        ties.sort(key=lambda t: (t[0] != low, t[2]))
        middle = (len(ties) - 1) / 2
        step = min(0.3, 0.9 / middle) if middle else 0.0
        for i, (a, b, key) in enumerate(ties):
            bend = round((i - middle) * step, 4)
            if bend == 0:
                curves[a, b, key] = False
                continue
            clockwise = (bend > 0) == (a == low)  # seen from the other end, clockwise is the other side
            curves[a, b, key] = {"type": "curvedCW" if clockwise else "curvedCCW", "roundness": abs(bend)}
    return curves


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
    signs = {d.get("sign") for _, _, d in G.edges(data=True)}
    items += [
        {"label": SIGN_WORDS[sign], "color": EDGE_COLOURS[sign], "shape": "line"}
        for sign in (1, -1, 0)
        if sign in signs or sign != 0
    ]
    return items


#: Room for each actor in the layout, in the page's units (its label is drawn below it).
SPACING = 150
#: How much wider than tall a group of actors is laid out: labels are wider than tall.
WIDEN = 1.6


def _layout(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Seeded positions of the actors: the same on every run, in every browser.

    Each group of actors tied together is laid out apart — Kamada–Kawai (even spacing)
    from a seeded force-directed start when it is small, the force-directed layout
    alone (NetworkX's ``spring_layout``) when it is large — and given :data:`SPACING`
    units of room per actor, :data:`WIDEN` times wider than tall; the other groups are then
    set in columns beside the largest, so that a small group is not thrown to a far
    corner. Computed once in Python: a browser needed about a minute to settle 1,000
    actors itself, and a simulation in the browser draws another picture on every load.

    >>> from kg.network import example_network
    >>> layout = _layout(example_network())
    >>> layout == _layout(example_network()), sorted(layout)
    (True, ['ann', 'bob', 'cid'])
    """
    U = nx.Graph()
    U.add_nodes_from(sorted(G))
    U.add_edges_from(sorted((a, b) for a, b in G.edges() if a != b))  # who is tied to whom, not the facts
    groups = sorted((sorted(c) for c in nx.connected_components(U)), key=lambda c: (-len(c), c[0]))
    placed: list[tuple[dict[str, tuple[float, float]], float, float]] = []
    for group in groups:
        H = U.subgraph(group)
        radius = SPACING * len(H) ** 0.5 / 2
        if len(H) == 1:
            pos = {group[0]: (0.0, 0.0)}
        else:
            iterations = 200 if len(H) <= 300 else 25  # 2,000 actors at 25: about 4 s
            start = nx.spring_layout(H, seed=LAYOUT_SEED, iterations=iterations)
            if len(H) <= 150:
                start = nx.kamada_kawai_layout(H, pos=start)
            scaled = nx.rescale_layout_dict(start, scale=radius).items()
            pos = {n: (float(x) * WIDEN, float(y)) for n, (x, y) in scaled}  # labels are wider than tall
        xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
        left, top = min(xs), min(ys)
        placed.append(({n: (x - left, y - top) for n, (x, y) in pos.items()}, max(xs) - left, max(ys) - top))
    # the largest group first, the others in columns beside it, as tall as it is (or as a
    # landscape page of their area)
    area = sum((w + SPACING) * (h + SPACING) for _, w, h in placed)
    height = max(placed[0][2], (area / WIDEN) ** 0.5) if placed else 0.0
    layout: dict[str, tuple[float, float]] = {}
    x = y = column = 0.0
    for pos, w, h in placed:
        if y > 0 and y + h > height:
            x, y, column = x + column + SPACING, 0.0, 0.0
        layout.update({n: (round(x + px, 2), round(y + py, 2)) for n, (px, py) in pos.items()})
        y, column = y + h + SPACING, max(column, w)
    return layout


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network from the installed pyvis package (licence notice included), safe to inline in a ``<script>``.

    The same text serves as the file a page made with ``library=`` loads.
    """
    source = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return source.read_text(encoding="utf-8").replace("</script", "<\\/script")


def _page(title: str, data: dict[str, Any], library: str | None = None) -> str:
    parts = {
        "TITLE": html.escape(title),
        "STYLE": asset("view.css"),
        "VIS_NETWORK": vis_network_js() if library is None else "",
        "DATA": script_json(data),
        "APP": asset("view.js"),
    }
    template = shared_library(asset("view.html"), "VIS_NETWORK", library)
    return fill(template, parts)
