r"""The shell of every page of the site: escaping, the nav bar, the shared stylesheet, tables.

Data never becomes markup: every string from the dataset goes through :func:`esc` (text
and attribute values alike), and data a script reads travels as JSON in a
``<script type="application/json">`` block through :func:`script_json`. Links are
relative (``../actors/x.html``), so that the site opens from the file system and from
any folder of a web server.

Examples
--------
>>> esc('"><img src=x onerror=alert(1)>')
'&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
>>> script_json({"q": "</script><!-- \u2028"})
'{"q": "\\u003c/script\\u003e\\u003c!-- \\u2028"}'
>>> print(link("../facts/a.html#ev-1", "A & B"))
<a href="../facts/a.html#ev-1">A &amp; B</a>

"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from kg.views.page import script_json

__all__ = ["SECTIONS", "esc", "link", "page", "script_json", "table"]

#: The sections of the nav bar: (key, address from the site's root, name).
SECTIONS = (
    ("home", "index.html", "Home"),
    ("articles", "articles/index.html", "Articles"),
    ("actors", "actors/index.html", "Actors"),
    ("facts", "facts/index.html", "Facts"),
    ("questions", "questions/index.html", "Questions"),
    ("network", "views/network.html", "Network"),
    ("timeline", "views/timeline.html", "Timeline"),
    ("charts", "charts/balance.html", "Charts"),
    ("notebooks", "notebooks/index.html", "Notebooks"),
    ("search", "search.html", "Search"),
)


def esc(value: object) -> str:
    """``value`` as text in HTML, for an element's content or a quoted attribute's value."""
    return html.escape(str(value), quote=True)


def link(href: str, text: object, **attributes: str) -> str:
    """An ``<a>`` to ``href`` (an address the site made) showing ``text``, both escaped."""
    extra = "".join(f' {name.rstrip("_")}="{esc(value)}"' for name, value in sorted(attributes.items()))
    return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'


def page(title: str, body: str, *, depth: int, site: str, section: str | None = None, head: str = "") -> str:
    """A whole page: ``body`` (markup) under the nav bar, ``title`` (text) in its head and heading.

    ``depth`` is how many folders below the site's root the page is (``actors/x.html``: 1),
    for its relative links; ``section`` marks the nav bar's current entry; ``head`` is
    markup added to the head (a page's own script).

    >>> text = page("A <b>", "<p>x</p>", depth=1, site="S", section="actors")
    >>> "<title>A &lt;b&gt; \u2014 S</title>" in text, 'href="../assets/site.css"' in text
    (True, True)
    >>> '<a href="../actors/index.html" aria-current="page">Actors</a>' in text
    True
    """
    up = "../" * depth
    items = []
    for key, href, name in SECTIONS:
        current = ' aria-current="page"' if key == section else ""
        items.append(f'<li><a href="{up}{href}"{current}>{esc(name)}</a></li>')
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} \u2014 {esc(site)}</title>\n"
        f'<link rel="stylesheet" href="{up}assets/site.css">\n{head}</head>\n<body>\n'
        f'<nav class="site"><a class="brand" href="{up}index.html">{esc(site)}</a><ul>{"".join(items)}</ul></nav>\n'
        f"<main>\n<h1>{esc(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str | None = None) -> str:
    """A table: ``headers`` are text (escaped here), each row's cells markup already escaped."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>"
