"""Tables a person can read: query results and network measures, for a terminal or a file.

A DataFrame from :mod:`kg.query` or :mod:`kg.network` is made for programs: every IRI
column ``x`` is followed by its label ``x_label``, a named question's parameter is a column
repeated on every row, a missing value is ``None`` or ``NaN``. This module shows it to a
person: one column per thing holding its label (the identifiers only with ``ids=True``,
beside the labels as ``x_id``), a parameter said once in a caption, a missing value as an
empty cell, and the whole table fitted to the terminal by rich, long cells wrapped so that
no line is wider than ``width``. The plain formats (``csv``, ``tsv``, ``json``) keep the
full frame for programs; ``md`` shows what the table shows, with full values.

Dates are printed as the data holds them: the named questions give a fact's time as the
build's ``kg:when``, an EDTF text at the precision its article gives (``2026-01``, never
``2026-01-01`` for a month; see :mod:`kg.dates`); an ``xsd:date`` is a day.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"actor": ["ent:petro"], "actor_label": ["Gustavo Petro"],
...                       "fact": ["fact:m"], "fact_label": ["Petro meets Trump"], "when": [None]})
>>> print(render(frame, width=40, params={"actor": "Petro"}))
fact                when
────────────────────────
Petro meets Trump
actor: Gustavo Petro
>>> print(render(frame, "md", ids=True, params={"actor": "Petro"}))
| fact | fact_id | when |
|---|---|---|
| Petro meets Trump | fact:m |  |
<BLANKLINE>
actor: Gustavo Petro (ent:petro)

"""

from __future__ import annotations

import datetime
import io
import json
import math
import os
import shutil
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_WIDTH", "FORMATS", "Shown", "cell", "render", "shown", "terminal_width"]

#: The width of a table when the output is not a terminal and ``COLUMNS`` is not set.
DEFAULT_WIDTH = 100
#: The formats :func:`render` writes.
FORMATS = ("table", "csv", "tsv", "json", "md")
#: A number column is at least as wide as this much of its header.
_NUMBER_HEADER = 8
#: What a text column keeps, where its cells are that wide, before numbers give way.
_TEXT_FLOOR = 10
#: The space between two columns of a table.
_GAP = 3
#: Columns that identify a row when another column names it (the network's measures).
_ID_BESIDE = {"id": "actor", "ids": "members"}


@dataclass(frozen=True)
class Shown:
    """What a table shows: its columns and cells as text, and a caption (the parameters)."""

    columns: list[str]
    rows: list[list[str]]
    caption: str
    numeric: frozenset[str]


def terminal_width(width: int | None = None) -> int:
    """The width to fit: ``width``, else ``COLUMNS``, else the terminal's, else 100.

    >>> terminal_width(72)
    72
    """
    if width:
        return width
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return DEFAULT_WIDTH


def cell(value: Any) -> str:
    """A value as a person reads it: empty when missing, numbers without noise.

    >>> [cell(v) for v in (None, float("nan"), 2.5, -12.0, 0.3977334, 7, True, "x")]
    ['', '', '2.5', '-12', '0.397733', '7', 'yes', 'x']
    >>> import datetime; cell(datetime.date(2026, 2, 3))
    '2026-02-03'
    """
    if value is None:
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    if isinstance(value, int) or type(value).__name__.startswith(("int", "uint")):
        return str(int(value))
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        number = float(value)
        return "" if math.isnan(number) else format(number, ".6g")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return str(value)


def shown(frame: pd.DataFrame, *, ids: bool = False, params: Mapping[str, str] | None = None) -> Shown:
    """The columns and cells a person sees of ``frame``.

    Each column ``x`` with a label column ``x_label`` becomes one column ``x`` holding the
    label (the value itself where there is none); with ``ids`` the identifier follows it
    as ``x_id``. The network's ``id`` (beside ``actor``) and ``ids`` (beside ``members``)
    are shown only with ``ids``. A column named after one of ``params`` that holds one
    value on every row is left out and said once in the caption, by its label.

    >>> import pandas as pd
    >>> s = shown(pd.DataFrame({"id": ["ent:a"], "actor": ["Ann"], "score": [2.0]}))
    >>> s.columns, s.rows, s.numeric
    (['actor', 'score'], [['Ann', '2']], frozenset({'score'}))
    """
    params = dict(params or {})
    names = [str(c) for c in frame.columns]
    records = frame.astype(object).to_dict(orient="list")
    values: dict[str, list[Any]] = {name: list(records[name]) for name in names}
    count = len(frame)
    caption: list[str] = []
    columns: list[tuple[str, list[Any]]] = []
    for name in names:
        if name.endswith("_label") and name.removesuffix("_label") in values:
            continue  # shown in place of its identifier
        labels = values.get(f"{name}_label")
        if labels is not None:
            text = [cell(lab) or cell(v) for v, lab in zip(values[name], labels, strict=True)]
        else:
            text = [cell(v) for v in values[name]]
        if name in params and len(set(text)) <= 1:
            said = text[0] if text else params[name]
            if ids and labels is not None and count and cell(values[name][0]) != said:
                said += f" ({cell(values[name][0])})"
            caption.append(f"{name}: {said}")
            continue
        if name in _ID_BESIDE and _ID_BESIDE[name] in values:
            if ids:
                columns.append((name, [cell(v) for v in values[name]]))
            continue
        columns.append((name, text))
        if ids and labels is not None:
            columns.append((f"{name}_id", [cell(v) for v in values[name]]))
    numeric = frozenset(
        name
        for name, _ in columns
        if name in values
        and count
        and all(_is_number(v) for v in values[name] if cell(v) != "")
        and any(cell(v) != "" for v in values[name])
    )
    shown_names = {name for name, _ in columns}
    caption += [f"{name}: {value}" for name, value in params.items() if name not in values and name not in shown_names]
    rows = [[text[i] for _, text in columns] for i in range(count)]
    return Shown([name for name, _ in columns], rows, "; ".join(caption), numeric)


def _is_number(value: Any) -> bool:
    """An int or a float (Python's or NumPy's), and not a bool."""
    kind = type(value).__name__
    if isinstance(value, bool) or kind == "bool_":
        return False
    return isinstance(value, int | float) or kind.startswith(("int", "uint", "float"))


def render(
    frame: pd.DataFrame,
    fmt: str = "table",
    *,
    width: int | None = None,
    ids: bool = False,
    params: Mapping[str, str] | None = None,
) -> str:
    """``frame`` in one of :data:`FORMATS`.

    ``table`` fits the terminal (:func:`terminal_width`; long cells wrap, a word longer
    than its column folds), ``md`` shows the same columns with full values; ``csv``,
    ``tsv`` and ``json`` keep every column of the frame, identifiers and labels.

    Raises
    ------
    ValueError
        For a format not in :data:`FORMATS`.

    """
    if fmt == "csv":
        return frame.to_csv(index=False).rstrip("\n")
    if fmt == "tsv":
        return frame.to_csv(index=False, sep="\t").rstrip("\n")
    if fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        return json.dumps(records, ensure_ascii=False, indent=1, default=str)
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}")
    view = shown(frame, ids=ids, params=params)
    if fmt == "md":
        return _markdown(view)
    return _table(view, terminal_width(width))


def _widths(view: Shown, width: int) -> list[int] | None:
    """Each column's width when the table is wider than ``width`` (None when it fits as it is).

    A number keeps its width (a long header folds above it); the text columns share what
    is left, the narrow ones whole and the wide ones evenly (water-filling), so that a
    long quote wraps and a name stays on one line where it can. In a very narrow
    terminal, numbers fold too.
    """
    columns = view.columns
    natural = [max(len(name), *(len(row[i]) for row in view.rows)) for i, name in enumerate(columns)]
    values = [max(len(row[i]) for row in view.rows) for i in range(len(columns))]
    room = width - _GAP * (len(columns) - 1)
    if sum(natural) <= room:
        return None
    texts = [i for i, name in enumerate(columns) if name not in view.numeric]
    for header, floor in ((_NUMBER_HEADER, _TEXT_FLOOR), (1, 4)):
        widths = [0 if i in texts else max(values[i], min(len(columns[i]), header), 1) for i in range(len(columns))]
        if sum(widths) + sum(min(natural[i], floor) for i in texts) <= room:
            left = room - sum(widths)
            for n, i in enumerate(sorted(texts, key=lambda i: natural[i])):  # narrowest first: whole, or a fair share
                widths[i] = min(natural[i], left // (len(texts) - n))
                left -= widths[i]
            return widths
    return [max(room // len(columns), 1)] * len(columns)


def _markdown(view: Shown) -> str:
    def md(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(map(md, view.columns)) + " |", "|" + "---|" * len(view.columns)]
    lines += ["| " + " | ".join(map(md, row)) + " |" for row in view.rows]
    return "\n".join(lines + (["", view.caption] if view.caption else []))


def _table(view: Shown, width: int) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if not view.rows:
        return "(no rows)" + (f"\n{view.caption}" if view.caption else "")

    fixed = _widths(view, width)
    # where a cell wraps, a rule between rows shows where each row ends
    lines = fixed is not None and any(len(row[i]) > fixed[i] for row in view.rows for i in range(len(row)))
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        force_interactive=False,
        markup=False,
        emoji=False,
        highlight=False,
    )
    table = Table(
        box=box.HORIZONTALS if lines else box.SIMPLE_HEAD,
        show_edge=False,
        show_lines=lines,
        pad_edge=False,
    )
    for i, name in enumerate(view.columns):
        justify: Literal["left", "right"] = "right" if name in view.numeric else "left"
        table.add_column(Text(name), justify=justify, overflow="fold", width=fixed[i] if fixed else None)
    for row in view.rows:
        table.add_row(*(Text(value) for value in row))
    console.print(table, crop=True)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    drawn = [line.rstrip() for line in str(text).splitlines()]
    caption = textwrap.wrap(view.caption, width, break_on_hyphens=False) if view.caption else []
    return "\n".join([*drawn, *caption])
