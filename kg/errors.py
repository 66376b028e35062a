"""The exceptions of the package: one tree, messages with location, expectation and hint.

::

    KGError                     base of everything the package raises on purpose
    ├── CurationError           the curated files have problems (exit code 1);
    │                           carries every Problem found, each with file:line:col
    └── InputError              unusable input or usage: a missing file or folder,
        │                       an unreadable file, no built dataset (exit code 2)
        └── QueryError          a query that is refused, does not parse, times out
                                or fails on its endpoint (exit code 2)

One warning, for what works but is not fully checked::

    UnverifiedWarning           article texts were not found: their quotes went unchecked

A :class:`Problem` is one finding of the checker. Printed, it reads::

    data/articles/003.ttl:41:5: unknown property 'kg:particpant'
        expected: a property declared in ontology.ttl
        hint: did you mean 'kg:participant'?

Examples
--------
>>> p = Problem("data/articles/003.ttl", 41, 5, "unknown property 'kg:particpant'",
...             expected="a property declared in ontology.ttl",
...             hint="did you mean 'kg:participant'?")
>>> print(p)
data/articles/003.ttl:41:5: unknown property 'kg:particpant'
    expected: a property declared in ontology.ttl
    hint: did you mean 'kg:participant'?
>>> print(CurationError([p]).args[0].splitlines()[-1])
1 problem found

"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CurationError", "InputError", "KGError", "Problem", "QueryError", "UnverifiedWarning"]


class KGError(Exception):
    """Base class of the package's own errors; ``exit_code`` is what the CLI returns."""

    exit_code = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a curated file, located to the line and column (both 1-based)."""

    file: str
    line: int
    col: int
    message: str
    expected: str = ""
    hint: str = ""
    kind: str = ""

    def __str__(self) -> str:
        lines = [f"{self.file}:{self.line}:{self.col}: {self.message}"]
        if self.expected:
            lines.append(f"    expected: {self.expected}")
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)


class CurationError(KGError):
    """The curated files have problems; ``problems`` lists all of them, sorted."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        n = len(self.problems)
        summary = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__("\n".join([*map(str, self.problems), summary]))


class InputError(KGError):
    """Unusable input or usage: the message says what was expected and a hint.

    Examples
    --------
    >>> print(InputError("no such folder: data/articles", hint="run from the project root"))
    no such folder: data/articles
        hint: run from the project root

    """

    exit_code = 2

    def __init__(self, message: str, *, expected: str = "", hint: str = "") -> None:
        self.message, self.expected, self.hint = message, expected, hint
        lines = [message]
        if expected:
            lines.append(f"    expected: {expected}")
        if hint:
            lines.append(f"    hint: {hint}")
        super().__init__("\n".join(lines))


class QueryError(InputError):
    """A query that is refused, does not parse, takes too long or fails on its endpoint.

    Examples
    --------
    >>> print(QueryError("who-met-whom.rq:7:3: SPARQL syntax error: expected '}'"))
    who-met-whom.rq:7:3: SPARQL syntax error: expected '}'

    """


class UnverifiedWarning(UserWarning):
    """Some article texts were not found, so their quotes could not be checked.

    The check and the build still succeed: the texts are not part of the project (they
    are not ours to redistribute), and a project without them is still usable.
    """
