"""Dates as the articles give them: a day, a month, a year, or only bounds.

An article rarely dates everything to the day. "Early January" is a month, "last year" a
year, "after the 21 September speech" only a lower bound. A curated fact says so with
``kg:date`` and ``kg:datePrecision`` (and ``kg:endDate`` for a span), or with
``kg:earliestDate``/``kg:latestDate`` where the text gives only bounds. This module turns
either into one honest interval, the first and last day on which the fact can have
happened, and writes it at the precision the article gives, in the Extended Date/Time
Format of ISO 8601-2 (EDTF): ``2026-02-03``, ``2026-01``, ``2025``, ``2025-09/2026-01``,
``2025-09-21/..``. A month is never shown as its first day.

The build (:mod:`kg.build`) adds, in each article's graph, the interval and its text to
every fact that article dates (``kg:earliestDate``, ``kg:latestDate``, ``kg:when``): date
filters compare intervals, the timeline draws them, every output prints ``kg:when``.

Examples
--------
>>> import datetime as dt
>>> interval(dt.date(2026, 1, 1), "month")
(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
>>> edtf(*interval(dt.date(2026, 1, 1), "month"))
'2026-01'
>>> edtf(*interval(dt.date(2025, 3, 1), "year"))
'2025'
>>> edtf(dt.date(2025, 9, 21), None)
'2025-09-21/..'
>>> edtf(None, dt.date(2026, 1, 12))
'../2026-01-12'
>>> edtf(dt.date(2025, 9, 1), dt.date(2026, 1, 31))
'2025-09/2026-01'
>>> overlaps(interval(dt.date(2026, 1, 1), "month"), (dt.date(2026, 1, 20), None))
True

"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable

__all__ = [
    "PRECISIONS",
    "Interval",
    "edtf",
    "end_text",
    "interval",
    "overlaps",
    "precision_name",
    "precision_of",
    "start_text",
]

#: The precisions a date can have, coarsest last.
PRECISIONS = ("day", "month", "year")

#: The first and last day a fact can have happened on; ``None`` where the article gives no bound.
Interval = tuple[datetime.date | None, datetime.date | None]


def interval(
    date: datetime.date | None,
    precision: str | None = "day",
    end: datetime.date | None = None,
    earliest: datetime.date | None = None,
    latest: datetime.date | None = None,
) -> Interval:
    """The first and last day a fact can have happened on, from what its article gives.

    A date covers its whole day, month or year (``precision``); an end date (a span) is
    read at the same precision; bounds narrow the interval further.

    Parameters
    ----------
    date : datetime.date or None
        ``kg:date`` (a month or a year is written as its first day).
    precision : {"day", "month", "year"} or None
        ``kg:datePrecision``; ``None`` is read as the day.
    end : datetime.date or None
        ``kg:endDate``.
    earliest, latest : datetime.date or None
        ``kg:earliestDate`` and ``kg:latestDate``, stated where the text gives bounds.

    Returns
    -------
    tuple
        ``(first, last)``, either ``None`` when unbounded on that side.

    Examples
    --------
    >>> import datetime as dt
    >>> interval(dt.date(2024, 2, 1), "month")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> interval(dt.date(2022, 8, 7), "day", end=dt.date(2026, 1, 1))
    (datetime.date(2022, 8, 7), datetime.date(2026, 1, 1))
    >>> interval(None, None, earliest=dt.date(2025, 9, 21))
    (datetime.date(2025, 9, 21), None)
    >>> interval(None, None, end=dt.date(2026, 8, 7))
    (None, datetime.date(2026, 8, 7))
    >>> interval(None, "month", end=dt.date(2026, 1, 1))  # ended in January 2026
    (None, datetime.date(2026, 1, 31))
    >>> interval(dt.date(2026, 1, 1), "month", latest=dt.date(2026, 1, 12))
    (datetime.date(2026, 1, 1), datetime.date(2026, 1, 12))

    """
    first: datetime.date | None = None
    last: datetime.date | None = None
    if date is not None:
        first = _first_day(date, precision or "day")
        last = _last_day(end if end is not None else date, precision or "day")
    elif end is not None:  # only the end is given: it ended that day, began no one knows when
        last = _last_day(end, precision or "day")
    if earliest is not None and (first is None or earliest > first):
        first = earliest
    if latest is not None and (last is None or latest < last):
        last = latest
    return first, last


def edtf(first: datetime.date | None, last: datetime.date | None) -> str:
    """An interval written at the precision it has (EDTF, ISO 8601-2).

    A whole day, month or year is written as that day, month or year; any other interval
    as ``start/end``, both ends at the coarsest precision that keeps them exact
    (``2025-09-01/2026-01-31`` as ``2025-09/2026-01``), an open end as ``..``. Both ends
    unknown: ``""``.

    Examples
    --------
    >>> import datetime as dt
    >>> edtf(dt.date(2026, 2, 3), dt.date(2026, 2, 3))
    '2026-02-03'
    >>> edtf(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    '2026'
    >>> edtf(dt.date(2026, 1, 1), dt.date(2026, 1, 30))
    '2026-01-01/2026-01-30'
    >>> edtf(dt.date(2025, 1, 1), dt.date(2026, 6, 30))
    '2025-01/2026-06'
    >>> edtf(dt.date(2022, 8, 7), dt.date(2026, 8, 7))
    '2022-08-07/2026-08-07'
    >>> edtf(dt.date(2025, 1, 15), dt.date(2026, 12, 31))  # the end is a year's last day, the start no year's first
    '2025-01-15/2026-12-31'
    >>> edtf(None, None)
    ''

    """
    if first is None and last is None:
        return ""
    if first is not None and last is not None:
        for precision in reversed(PRECISIONS):
            if _first_day(first, precision) == first and _last_day(first, precision) == last:
                return _text(first, precision)
        for precision in reversed(PRECISIONS):  # both ends at one precision, as coarse as stays exact
            if _first_day(first, precision) == first and _last_day(last, precision) == last:
                return f"{_text(first, precision)}/{_text(last, precision)}"
    return f"{start_text(first)}/{end_text(last)}"


def start_text(day: datetime.date | None) -> str:
    """The start of an interval, as coarse as it stays exact (``..`` when open).

    >>> import datetime as dt
    >>> start_text(dt.date(2025, 1, 1)), start_text(dt.date(2025, 9, 1)), start_text(dt.date(2025, 9, 2))
    ('2025', '2025-09', '2025-09-02')
    """
    return _coarsest(day, _first_day)


def end_text(day: datetime.date | None) -> str:
    """The end of an interval, as coarse as it stays exact (``..`` when open).

    >>> import datetime as dt
    >>> end_text(dt.date(2025, 12, 31)), end_text(dt.date(2026, 1, 31)), end_text(dt.date(2026, 1, 12))
    ('2025', '2026-01', '2026-01-12')
    """
    return _coarsest(day, _last_day)


def _coarsest(day: datetime.date | None, edge: Callable[[datetime.date, str], datetime.date]) -> str:
    """``day`` at the coarsest precision whose ``edge`` (first or last day) it is."""
    if day is None:
        return ".."
    return next(_text(day, p) for p in reversed(PRECISIONS) if edge(day, p) == day)  # "day" always matches


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two intervals can share a day (an open end reaches as far as needed).

    >>> import datetime as dt
    >>> overlaps((dt.date(2026, 1, 1), dt.date(2026, 1, 31)), (dt.date(2026, 2, 1), None))
    False
    >>> overlaps((None, None), (dt.date(2026, 2, 1), dt.date(2026, 2, 1)))
    True
    >>> january, from_31st = (dt.date(2026, 1, 1), dt.date(2026, 1, 31)), (dt.date(2026, 1, 31), None)
    >>> overlaps(january, from_31st), overlaps(from_31st, january)  # they share 31 January
    (True, True)
    """
    (a0, a1), (b0, b1) = a, b
    return (a0 is None or b1 is None or a0 <= b1) and (b0 is None or a1 is None or b0 <= a1)


def precision_of(text: str) -> str:
    """The finest precision an EDTF text shows: ``"day"``, ``"month"``, ``"year"`` (or ``""``).

    >>> precision_of("2026-02-03"), precision_of("2026-01"), precision_of("2025"), precision_of("2025-09/..")
    ('day', 'month', 'year', 'month')
    >>> precision_of(""), precision_of("../..")  # no time, or no bound known: no precision
    ('', '')
    """
    lengths = [len(part) for part in _parts(text) if part != ".."]
    if not lengths:
        return ""
    return {10: "day", 7: "month", 4: "year"}[max(lengths)]


def precision_name(iri: object) -> str | None:
    """The precision an IRI such as ``kg:Month`` (or a bare name) names, as :func:`interval` takes it.

    >>> precision_name("https://w3id.org/newskg/ns#Month"), precision_name("Year"), precision_name(None)
    ('month', 'year', None)
    """
    if iri is None:
        return None
    return str(getattr(iri, "value", iri)).rsplit("#", 1)[-1].lower()


def _parts(text: str) -> Iterable[str]:
    return text.split("/") if text else ()


def _first_day(day: datetime.date, precision: str) -> datetime.date:
    if precision == "year":
        return day.replace(month=1, day=1)
    if precision == "month":
        return day.replace(day=1)
    return day


def _last_day(day: datetime.date, precision: str) -> datetime.date:
    if precision == "year":
        return day.replace(month=12, day=31)
    if precision == "month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def _text(day: datetime.date, precision: str) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]
