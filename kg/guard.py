"""What a read-only question may do: the checks every query text passes before an engine sees it.

A query can reach further than the dataset: ``SERVICE`` makes the engine send a request
to another server (rdflib, Oxigraph and the Oxigraph server all do, through HTTP clients
that Python's audit hooks do not see); ``FROM <url>`` and ``LOAD`` fetch a document; an
update changes the data. The guard refuses all of them *before* execution, by reading the
parsed query, the same way for the library, the command line, the notebook magic and
``kg serve``:

- **size and nesting first**, on the raw text: at most :data:`MAX_QUERY_CHARS` characters
  and :data:`MAX_NESTING` levels of ``{ ( [``. rdflib's parser recurses once per level and
  per clause (measured: 30 nested groups exhaust Python's default stack; a 600 kB query takes
  17 s and 1 GB to parse), so what is beyond a question's needs is refused with a message,
  not a ``RecursionError``;
- then the **parse** (rdflib), reported with line and column;
- then the **forms**: updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``…) always; more
  than one ``FROM`` always (engines merge several graphs differently: Oxigraph keeps a
  statement once per graph, rdflib once; one ``FROM`` and any number of ``FROM NAMED``
  give the same answers on every engine); and, unless ``allow_external``, ``SERVICE``
  and ``FROM``/``FROM NAMED`` naming a graph outside the dataset (an article's graph,
  ``art:…``, is inside).

Where parsing runs matters too: :mod:`kg.worker` runs it in the worker process, inside
the query's deadline and memory cap, on a deep stack.

Examples
--------
>>> inspect_query("SELECT * WHERE { ?s ?p ?o }")
'select'
>>> inspect_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
  ...
kg.errors.QueryError: query: SERVICE is refused: it sends requests to other servers
    hint: pass --allow-external (allow_external=True) if you mean it
>>> check_limits("SELECT * WHERE " + "{ " * 100 + "}" * 100)
Traceback (most recent call last):
  ...
kg.errors.QueryError: query:1:144: nested 65 levels deep, more than 64
    expected: a question nested at most 64 levels of { ( [
    hint: write the groups one after another, or name the intermediate results with a subquery

"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kg.errors import QueryError
from kg.namespaces import ART, PREFIXES

__all__ = ["MAX_NESTING", "MAX_QUERY_CHARS", "OPAQUE", "check_limits", "dataset_iris", "inspect_query"]

#: The longest query text accepted (characters); the package's own questions are under 4,000.
MAX_QUERY_CHARS = 128 * 1024
#: The deepest nesting of ``{ ( [`` accepted; the package's own questions go 6 deep.
MAX_NESTING = 64

#: Strings, IRIs and comments: the parts of a query whose braces are not structure. A string
#: left open runs to the end of its line (a long one, to the end of the text): each
#: opening quote is read once, so the scan is linear whatever the text (no re-reading
#: from every quote of ``"\\"\\"\\"…`` left open).
OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*(?:"""|\\?\Z)|\'\'\'(?:[^\'\\]|\\[\s\S]|\'(?!\'\'))*(?:\'\'\'|\\?\Z)'
    r'|"(?:[^"\\\n]|\\.)*(?:"|\\?$)|\'(?:[^\'\\\n]|\\.)*(?:\'|\\?$)|<[^<>"{}|^`\\\s]*>|#[^\n]*',
    re.MULTILINE,
)
_BRACKETS = re.compile(r"[{}()\[\]]")


def check_limits(sparql: str, *, name: str = "query") -> None:
    r"""Refuse a query text longer or more deeply nested than a question needs.

    Raises
    ------
    QueryError
        If ``sparql`` is longer than :data:`MAX_QUERY_CHARS` or nests deeper than
        :data:`MAX_NESTING`, with the line and column where the limit is passed, or holds
        something that is not a character (an escape past U+10FFFF, a lone surrogate).

    Notes
    -----
    The nesting is counted after the code point escapes are read (``\u007B`` is a
    ``{``: SPARQL reads them before anything else, and so does rdflib's parser); the line
    and column are then those of the text as read.

    """
    if len(sparql) > MAX_QUERY_CHARS:
        raise QueryError(
            f"{name}: the query is {len(sparql):,} characters long, more than {MAX_QUERY_CHARS:,}",
            expected=f"a question of at most {MAX_QUERY_CHARS:,} characters",
            hint="a long list of values belongs in a named question's parameter or in the curated data",
        )
    text = _expanded(sparql, name)
    plain = OPAQUE.sub(lambda m: " " * len(m.group()), text)
    depth = 0
    for bracket in _BRACKETS.finditer(plain):
        depth += 1 if bracket.group() in "{([" else -1
        if depth > MAX_NESTING:
            line = plain.count("\n", 0, bracket.start()) + 1
            col = bracket.start() - plain.rfind("\n", 0, bracket.start())
            raise QueryError(
                f"{name}:{line}:{col}: nested {depth} levels deep, more than {MAX_NESTING}",
                expected=f"a question nested at most {MAX_NESTING} levels of {{ ( [",
                hint="write the groups one after another, or name the intermediate results with a subquery",
            )


def _expanded(sparql: str, name: str) -> str:
    """``sparql`` with its code point escapes read, as rdflib's parser reads them first."""
    try:
        text = expandUnicodeEscapes(sparql)
    except ValueError as exc:  # past U+10FFFF
        raise QueryError(
            f"{name}: {exc}",
            expected="code point escapes \\uXXXX or \\UXXXXXXXX of at most U+10FFFF",
            hint="check the escape; a backslash in a string is written \\\\",
        ) from exc
    surrogate = _SURROGATE.search(text)
    if surrogate:
        line = text.count("\n", 0, surrogate.start()) + 1
        col = surrogate.start() - text.rfind("\n", 0, surrogate.start())
        raise QueryError(
            f"{name}:{line}:{col}: U+{ord(surrogate.group()):04X} is half of a UTF-16 pair, not a character",
            expected="text of Unicode characters",
            hint="write the character itself, or its \\UXXXXXXXX escape",
        )
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def inspect_query(sparql: str, *, name: str = "query", allow_external: bool = False) -> str:
    """Parse ``sparql`` and refuse what a read-only question must not do; return its form.

    The form is ``select``, ``ask``, ``construct`` or ``describe``.

    Raises
    ------
    QueryError
        For a query beyond the limits (:func:`check_limits`), a syntax error (with line and
        column), an update, or — unless ``allow_external`` — ``SERVICE`` or ``FROM``
        naming a graph outside the dataset.

    """
    check_limits(sparql, name=name)
    try:
        parsed = parseQuery(sparql)
    except ParseException as exc:
        raise _not_a_query(sparql, name, exc) from exc
    except RecursionError as exc:
        raise QueryError(
            f"{name}: the query is too complex to parse within the available stack",
            expected="a shorter question, or one with fewer clauses",
            hint="split it into several questions",
        ) from exc
    except Exception as exc:  # rdflib's own failures on some valid text (TypeError: Not a number)
        raise QueryError(
            f"{name}: the query parser failed on this text: {str(exc).split(';')[0][:200]}",
            expected="a SPARQL 1.1 query",
            hint="write the part it names another way (a negative number as an object: (-3.5) in a FILTER)",
        ) from exc
    query = parsed[1]
    defaults = list(dataset_iris(query, "default", parsed[0]))
    if len(defaults) > 1:
        raise QueryError(
            f"{name}: FROM names {len(defaults)} graphs: the engines merge several graphs differently "
            "(Oxigraph keeps a statement once per graph, rdflib once), so one FROM is accepted",
            expected="one FROM art:…, or FROM NAMED art:… for each graph with GRAPH ?g { … }",
            hint="SELECT DISTINCT over GRAPH ?g { … } gives the merge of several articles",
        )
    if not allow_external:
        if _contains(query, "ServiceGraphPattern"):
            raise QueryError(
                f"{name}: SERVICE is refused: it sends requests to other servers",
                hint="pass --allow-external (allow_external=True) if you mean it",
            )
        outside = sorted(str(iri) for iri in dataset_iris(query, None, parsed[0]) if not str(iri).startswith(str(ART)))
        if outside:
            raise QueryError(
                f"{name}: FROM <{outside[0]}> is refused: it is not a graph of the dataset",
                expected="the graph of an article, named by the article (FROM art:002)",
                hint="pass --allow-external (allow_external=True) to read other graphs",
            )
    return str(query.name).removesuffix("Query").lower()


def _not_a_query(sparql: str, name: str, exc: ParseException) -> QueryError:
    """The error for text that is not a query: an update, or a syntax error."""
    try:
        update = parseUpdate(sparql)
    except Exception:  # any failure here means: not an update either
        update = None
    if update is None or not update.request:  # an update parses from empty text, or comments
        return QueryError(
            f"{name}:{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg}",
            expected="SELECT, ASK, CONSTRUCT or DESCRIBE",
            hint="check the query near this point",
        )
    kinds = sorted({str(part.name) for part in update.request})
    return QueryError(
        f"{name}: {', '.join(kinds)} is an update: kg answers read queries only",
        expected="SELECT, ASK, CONSTRUCT or DESCRIBE",
        hint="to change the graph, edit the curated files and run kg build",
    )


def _contains(node: Any, name: str) -> bool:
    if isinstance(node, CompValue):
        return node.name == name or any(_contains(v, name) for v in node.values())
    if isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        return any(_contains(v, name) for v in node)
    return False


def dataset_iris(query: CompValue, kind: str | None = None, prologue: Any = ()) -> Iterable[str]:
    """The IRIs of a parsed query's ``FROM`` (``kind="default"``) and ``FROM NAMED`` (``"named"``) clauses.

    A prefixed name is expanded with the query's own ``PREFIX`` lines (``prologue``, the
    first part of :func:`parseQuery`'s result) over kg's prefixes, and a relative IRI
    against its ``BASE``, as the engines read them: ``PREFIX art: <http://elsewhere/>``
    makes ``FROM art:x`` a graph elsewhere.
    """
    base, prefixes = "", dict(PREFIXES)
    for decl in prologue:
        if decl.name == "Base":
            base = urljoin(base, str(decl.iri))
        elif decl.name == "PrefixDecl":
            prefixes[str(decl.prefix or "")] = urljoin(base, str(decl.iri))
    # CompValue.get answers a missing key with the key's name: test membership instead
    for clause in query["datasetClause"] if "datasetClause" in query else []:  # noqa: SIM401
        for key in ("default", "named"):
            if key in clause and kind in (None, key):
                iri = clause[key]
                if isinstance(iri, CompValue):  # a prefixed name; an unknown prefix stays as written
                    prefix, local = str(iri.prefix or ""), str(iri.localname or "")
                    yield prefixes[prefix] + local if prefix in prefixes else f"{prefix}:{local}"
                else:
                    yield urljoin(base, str(iri))
