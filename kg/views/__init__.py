"""Views: self-contained, offline HTML pages of the graph, and the same pages inline in notebooks.

- :mod:`kg.views.network`: the actor network and an actor's neighbourhood (pyvis and
  vis-network).
- :mod:`kg.views.timeline`: the facts along a time axis, in lanes by actor or by event
  type, each opening its quotes (plotly.js).
- :mod:`kg.views.charts`: cooperation and conflict by month, and the facts of each
  article (plotly.js).

Each page inlines its library (vis-network, plotly.js) unless given ``library=``, the
address of a shared copy (:func:`vis_network_js`, :func:`plotly_js`) relative to the page.

Every page carries its data as escaped JSON and builds what it shows from text nodes: data
never becomes markup.
"""

from kg.views.charts import activity_chart, balance_chart, plotly_js
from kg.views.network import (
    FACTS_PER_TIE,
    KIND_STYLE,
    TOP_ACTORS,
    TOP_TIES,
    Names,
    View,
    ego_view,
    network_view,
    read_names,
    top_actors,
    vis_network_js,
)
from kg.views.timeline import article_info, timeline_view

__all__ = [
    "FACTS_PER_TIE",
    "KIND_STYLE",
    "TOP_ACTORS",
    "TOP_TIES",
    "Names",
    "View",
    "activity_chart",
    "article_info",
    "balance_chart",
    "ego_view",
    "network_view",
    "plotly_js",
    "read_names",
    "timeline_view",
    "top_actors",
    "vis_network_js",
]
