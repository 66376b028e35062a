"""The timeline figure's layout, labels and article info, read without a browser."""

from __future__ import annotations

import datetime
import json
import warnings
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.engines import OxigraphEngine
from kg.errors import InputError
from kg.network import add_tie
from kg.query import Connection
from kg.views.timeline import article_info, timeline_view

KG = "https://w3id.org/newskg/ns#"
ART = "https://w3id.org/newskg/id/article/"
SCHEMA = "https://schema.org/"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def one_meeting() -> nx.MultiDiGraph:
    """Ann met Bob on 10 January 2026: one fact, dated to the day, in two actor lanes."""
    G = nx.MultiDiGraph()
    G.add_node("ann", label="Ann", kind="person", posts=[])
    G.add_node("bob", label="Bob", kind="person", posts=[])
    day = datetime.date(2026, 1, 10)
    meeting = {
        "fact": "f1",
        "label": "Ann meets Bob",
        "type": "CONSULT",
        "date": day,
        "when": "2026-01-10",
        "first": day,
        "last": day,
        "modality": "actual",
        "score": 2.5,
        "evidence": [{"article": "art:a", "quote": "Ann met Bob."}],
    }
    add_tie(G, "ann", "bob", "metWith", [meeting])
    return G


def figures(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Both figures the timeline page embeds (its JSON data island), by way of dividing the lanes."""
    html = timeline_view(G).html
    island = html.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    found: dict[str, Any] = json.loads(island)["figures"]
    return found


def test_the_layout_fits_the_lane_labels_and_draws_a_titled_gridded_date_axis_on_top() -> None:
    layout = figures(one_meeting())["actor"]["layout"]
    # lanes "Ann" and "Bob": 3 characters of 6.8 px, widened by 5 %: 16 + round(21.42) = 37 px
    assert layout["margin"] == {"l": 37, "r": 20, "t": 70, "b": 20, "autoexpand": False}
    assert layout["width"] == 37 + 900 + 20
    assert layout["height"] == 70 + 3 * 24 + 20  # two rows, but room for three at least
    assert layout["font"] == {"family": "Arial, sans-serif", "size": 12}
    xaxis = {k: v for k, v in layout["xaxis"].items() if k != "range"}
    assert xaxis == {
        "type": "date",
        "side": "top",
        "showline": True,
        "linecolor": "#888888",
        "ticks": "outside",
        "showgrid": True,
        "gridcolor": "#dddddd",
        "title": {"text": "date", "standoff": 6},
    }
    assert layout["yaxis"] == {
        "range": [1.5, -0.5],
        "tickvals": [0, 1],
        "ticktext": ["Ann", "Bob"],
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
    }
    assert (layout["barmode"], layout["showlegend"], layout["hovermode"], layout["dragmode"]) == (
        "overlay",
        False,
        "closest",
        "zoom",
    )


def test_type_lanes_are_named_in_words_and_the_margin_fits_them() -> None:
    layout = figures(one_meeting())["type"]["layout"]
    # "Meeting or call": 15 characters of 6.8 px, widened by 5 %: 16 + round(107.1) = 123 px
    assert layout["margin"] == {"l": 123, "r": 20, "t": 70, "b": 20, "autoexpand": False}
    assert (layout["yaxis"]["tickvals"], layout["yaxis"]["ticktext"]) == ([0], ["Meeting or call"])
    assert layout["yaxis"]["range"] == [0.5, -0.5]


def test_item_texts_are_11_px_arial_and_no_trace_has_a_legend_entry() -> None:
    data = figures(one_meeting())["actor"]["data"]
    assert [trace["type"] for trace in data] == ["bar", "bar", "bar", "scatter"]
    assert [trace["showlegend"] for trace in data] == [False, False, False, False]
    text = data[-1]
    assert text["text"] == ["meeting or call: Ann \u2192 Bob"] * 2  # once in each actor's lane
    # a day's bar (6 px) has no room for the text: it follows the bar, dark
    assert text["textfont"] == {"size": 11, "family": "Arial, sans-serif", "color": ["#222222", "#222222"]}


def test_an_unknown_way_of_dividing_the_lanes_is_refused_naming_the_ways() -> None:
    with pytest.raises(InputError) as refused:
        timeline_view(one_meeting(), lanes="month")
    assert refused.value.expected == "actor or type"
    assert str(refused.value) == "no lanes 'month'\n    expected: actor or type"


def articles_store() -> ox.Store:
    """Three articles: one with a headline, one with only an outlet and a date, one bare."""
    store = ox.Store()
    a = ox.NamedNode(KG + "Article")

    def add(article: str, prop: str, value: ox.Literal | ox.NamedNode) -> None:
        store.add(ox.Quad(ox.NamedNode(ART + article), ox.NamedNode(prop), value))

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    for article in ("a1", "a2", "a3"):
        add(article, rdf_type, a)
    add("a1", SCHEMA + "headline", ox.Literal("Talks resume"))
    add("a2", KG + "outlet", ox.Literal("Daily Planet"))
    add("a2", SCHEMA + "datePublished", ox.Literal("2026-03-11", datatype=ox.NamedNode(XSD_DATE)))
    return store


def test_article_info_gives_each_articles_title_date_and_outlet_by_id() -> None:
    info = article_info(Connection(OxigraphEngine(articles_store())))
    assert info == {
        "art:a1": {"title": "Talks resume", "date": None, "outlet": None},
        "art:a2": {"title": "Daily Planet, 11 March 2026", "date": "2026-03-11", "outlet": "Daily Planet"},
        "art:a3": {"title": "Article a3", "date": None, "outlet": None},
    }


def test_article_info_reads_every_article_whatever_the_row_limit() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and says nothing of a cut
        info = article_info(Connection(OxigraphEngine(articles_store()), max_rows=2))
    assert sorted(info) == ["art:a1", "art:a2", "art:a3"]


def test_article_info_is_the_packages_own_look_up_and_is_not_inspected(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the package's own look-up was inspected as a user's question")

    monkeypatch.setattr("kg.query.check_limits", refuse)
    monkeypatch.setattr("kg.query.inspect_query", refuse)
    info = article_info(Connection(OxigraphEngine(articles_store())))
    assert sorted(info) == ["art:a1", "art:a2", "art:a3"]
