r"""An article's text with its quotes marked: every place each quote occurs, nested where they overlap.

Quotes are found as :mod:`kg.check` finds them: runs of whitespace may differ (line
breaks included), nothing else; every occurrence is found, those that overlap each
other too. :func:`highlight` writes the text as HTML with a ``<mark>`` per occurrence.
Marks that overlap without one holding the other cannot nest in HTML: the one that
started first is closed where the other starts and opened again after it (a piece
without the ``id``), so that every character of every occurrence is inside a mark of
its quote.

Examples
--------
>>> text = "Ann met Bob.\nAnn met\n Bob again."
>>> find_quote(text, "Ann met Bob")
[(0, 11), (13, 25)]
>>> marks = [Mark(0, 11, "q1", "<sup>1</sup>"), Mark(4, 18, "q2")]
>>> for piece in highlight("Ann met Bob & Cid, then Dan.", marks).split("</sup>"):
...     print(piece)
<mark id="q1" class="q">Ann <mark id="q2" class="q">met Bob</mark></mark><sup>1
<mark class="q q-more" data-of="q2"> &amp; Cid,</mark> then Dan.

"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.check import collapse_spaces

__all__ = ["Mark", "find_quote", "highlight"]


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    r"""Every ``(start, end)`` of ``text`` where ``quote`` occurs, runs of whitespace aside.

    Overlapping occurrences are all given. An empty quote occurs nowhere.

    >>> find_quote("aXa Xa", "a Xa"), find_quote("abc", " "), find_quote("a  b\tb", "b b")
    ([(2, 6)], [], [(3, 6)])
    """
    words = collapse_spaces(quote).split(" ")
    if words == [""]:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    found = []
    at = pattern.search(text)
    while at is not None:
        found.append((at.start(), at.end()))
        at = pattern.search(text, at.start() + 1)
    return found


@dataclass(frozen=True)
class Mark:
    """One occurrence of a quote in a text: where, its ``id`` (unique in the page), and what follows it.

    ``after`` is markup written right after the occurrence (its links to its facts);
    ``cls`` extra classes of its marks.
    """

    start: int
    end: int
    id: str
    after: str = ""
    cls: str = ""


def highlight(text: str, marks: Iterable[Mark]) -> str:
    """``text`` as HTML (escaped) with each mark a ``<mark>``; see the module's docstring.

    Marks starting together nest the longer outside; a mark's first piece has its
    ``id``, any piece it must be reopened as has ``class="q q-more"`` and ``data-of``.
    """
    chosen = sorted((m for m in marks if m.end > m.start), key=lambda m: (m.start, -m.end, m.id))
    stops = sorted({0, len(text)} | {m.start for m in chosen} | {m.end for m in chosen})
    starting: dict[int, list[Mark]] = {}
    for m in chosen:
        starting.setdefault(m.start, []).append(m)
    out: list[str] = []
    stack: list[Mark] = []
    previous = 0
    for stop in stops:
        out.append(html.escape(text[previous:stop], quote=False))
        previous = stop
        ending = [i for i, m in enumerate(stack) if m.end == stop]
        if ending:
            deepest = ending[0]
            kept = [m for m in stack[deepest:] if m.end != stop]
            out.append("</mark>" * (len(stack) - deepest))
            out.extend(m.after for m in stack[deepest:] if m.end == stop)
            del stack[deepest:]
            for m in kept:  # an overlapping mark goes on as another piece
                out.append(f'<mark class="{_classes(m, "q-more")}" data-of="{html.escape(m.id, quote=True)}">')
                stack.append(m)
        for m in starting.get(stop, []):
            out.append(f'<mark id="{html.escape(m.id, quote=True)}" class="{_classes(m)}">')
            stack.append(m)
    return "".join(out)


def _classes(m: Mark, *more: str) -> str:
    return html.escape(" ".join(c for c in ("q", *more, m.cls) if c), quote=True)
