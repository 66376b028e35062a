r"""What every page of kg shares: its files, its data as script-safe JSON, its template's fill.

The views (:mod:`kg.views.network`, :mod:`kg.views.timeline`, :mod:`kg.views.charts`) and
the published site (:mod:`kg.site`) build their pages from templates kept beside the code
(``kg/assets``, ``kg/site/assets``). Data enters a page only as JSON inside a
``<script type="application/json">`` block (:func:`script_json`) or as escaped text:
it never becomes markup.

Examples
--------
>>> print(script_json({"label": "</script><b>&"}))
{"label": "\u003c/script\u003e\u003cb\u003e\u0026"}
>>> fill("<title>{{TITLE}}</title>", {"TITLE": "{{TITLE}}"})
'<title>{{TITLE}}</title>'

"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

__all__ = ["asset", "fill", "script_json", "shared_library"]

_SCRIPT_UNSAFE = (
    ("&", "\\u0026"),
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(data: Any) -> str:
    """``data`` as JSON safe inside ``<script>``: no ``</script>``, ``<!--``, entity or line separator.

    Keys are sorted, so the same data writes the same bytes; values JSON cannot hold
    (dates) are written as their text.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    for char, escaped in _SCRIPT_UNSAFE:
        text = text.replace(char, escaped)
    return text


def asset(name: str, folder: str = "assets") -> str:
    """The text of a page file shipped with kg: ``kg/<folder>/<name>``."""
    return (resources.files("kg").joinpath(*folder.split("/"), name)).read_text(encoding="utf-8")


def fill(template: str, parts: Mapping[str, str]) -> str:
    """``template`` with each ``{{NAME}}`` replaced by ``parts[NAME]``, in one pass.

    What is inserted is never searched for placeholders, so data that happens to read
    ``{{TITLE}}`` stays as it is.
    """
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: parts[m.group(1)], template)


def shared_library(template: str, placeholder: str, library: str | None) -> str:
    r"""``template`` with its inlined library (``<script>{{PLACEHOLDER}}</script>``) made a ``<script src>``.

    With ``library`` None the template is returned as it is.

    >>> shared_library("<script>\n{{LIB}}\n</script>", "LIB", "../a&b.js")
    '<script src="../a&amp;b.js"></script>'
    """
    if library is None:
        return template
    block = f"<script>\n{{{{{placeholder}}}}}\n</script>"
    if block not in template:  # a template changed without this function: say so rather than inline silently
        raise ValueError(f"the page template has no {block!r} block")
    return template.replace(block, f'<script src="{html.escape(library, quote=True)}"></script>')
