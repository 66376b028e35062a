"""Run questions in a worker process that is stopped at the deadline and capped in memory.

A query is work of unknown size: a cross product of the whole graph, a backtracking
``REGEX``, the parse of a huge text. A thread cannot be stopped once an engine runs it (it
would go on in the background, holding its memory), so the questions a
:class:`~kg.query.Connection` opened by :func:`~kg.query.connect` asks run in a
:class:`Worker`, a process of its own:

- **forked** from a small server process (multiprocessing's ``forkserver``) that has the
  engines imported: it starts in milliseconds, shares no threads with the caller, and
  opens the dataset itself (the on-disk store opens read-only in milliseconds);
- **stopped at the deadline**: the caller kills it (``SIGKILL``) and starts a new one for
  the next question, so nothing of an abandoned query goes on;
- **capped in memory**: its address space (``RLIMIT_AS``) may grow by ``memory_mb`` past
  what opening the dataset took; a query that needs more fails in the worker (a
  ``MemoryError``, or an abort in the compiled engine), never in the caller;
- **the guard runs inside**: the query is parsed (:func:`kg.guard.inspect_query`) within
  the deadline and the cap, on a deep stack, before the engine sees it;
- **tied to its parent**: it dies with the process that forked it (``PR_SET_PDEATHSIG``),
  which exits with the caller; it ignores Ctrl-C, which the caller handles by killing it.

Results cross back as plain tuples (:func:`kg.terms.encode`): pickling rdflib terms costs
7 times as much (measured: 4.9 s against 0.7 s for 400,000 terms).

Examples
--------
>>> import tempfile
>>> from kg.build import EXAMPLE, build_project
>>> from kg.project import Project
>>> example = Project.at(EXAMPLE, sources=EXAMPLE / "sources").with_build(tempfile.mkdtemp())
>>> out = build_project(example).outputs[0].parent
>>> worker = Worker(Source("oxigraph", str(out)))
>>> reply = worker.run(Job("SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/newskg/ns#Evidence> }"), 30)
>>> answer = reply.answer()
>>> answer.kind, answer.variables, list(answer.rows)
('select', ['n'], [(rdflib.term.Literal('4', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')),)])
>>> worker.run(Job("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", limit=None), 0.5)
Traceback (most recent call last):
  ...
kg.errors.QueryError: query: no answer within 0.5 s; the query was stopped
    hint: narrow the query (a LIMIT, a date range) or raise the timeout (--timeout)
>>> worker.close()

"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection
import multiprocessing.util
import os
import resource
import signal
import sys
import tempfile
import threading
import weakref
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from rdflib.term import Node

from kg.engines import Answer, Engine, OxigraphEngine, RdflibEngine, RemoteEngine
from kg.errors import InputError, KGError, QueryError
from kg.guard import inspect_query
from kg.project import DEFAULT_MEMORY_MB
from kg.store import dataset_path, read_dataset
from kg.terms import Encoded, decode, encode

__all__ = ["Job", "Reply", "Source", "Worker"]

#: The stack of the thread that parses and runs the questions: the parser recurses deeply.
STACK_BYTES = 256 * 1024 * 1024
RECURSION_LIMIT = 60_000

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload([__name__])
_PR_SET_PDEATHSIG = 1
#: The longest temporary folder the forkserver's socket fits in: a Unix socket's path
#: holds at most 107 bytes, and multiprocessing adds ``/pymp-…/listener-…`` (35).
_TEMP_DIR_ROOM = 70


def _short_temp_dir() -> None:
    """Give multiprocessing a temporary folder short enough for the forkserver's socket.

    multiprocessing makes its folder (``pymp-…``) in the temporary folder (``TMPDIR``)
    once, and binds the forkserver's Unix socket in it: under a long ``TMPDIR`` (a test
    runner's, a deep home folder) the bind fails with "AF_UNIX path too long". Then its
    folder is made in the system's ``/tmp`` instead; it is removed at exit as usual.
    """
    if len(os.fsencode(tempfile.gettempdir())) <= _TEMP_DIR_ROOM or not os.access("/tmp", os.W_OK | os.X_OK):
        return
    before = tempfile.tempdir
    tempfile.tempdir = "/tmp"
    try:
        multiprocessing.util.get_temp_dir()  # made now, kept for the life of the process
    finally:
        tempfile.tempdir = before


@dataclass(frozen=True)
class Source:
    """Where a worker's questions run: ``engine`` (oxigraph, rdflib or remote) at ``location``.

    ``location`` is a build folder for the local engines, an endpoint URL for ``remote``;
    ``timeout`` bounds each request to a remote endpoint.
    """

    engine: str
    location: str
    timeout: float = 60.0

    def open(self) -> Engine:
        """The engine, opened in this process.

        Raises
        ------
        InputError
            If there is no built dataset, or the engine is unknown.

        """
        if self.engine == "oxigraph":
            return OxigraphEngine(read_dataset(Path(self.location)))
        if self.engine == "rdflib":
            return RdflibEngine(dataset_path(Path(self.location)))
        if self.engine == "remote":
            return RemoteEngine(self.location, timeout=self.timeout)
        raise InputError(f"unknown engine '{self.engine}'", expected="oxigraph or rdflib, or an --endpoint URL")


@dataclass(frozen=True)
class Job:
    """One question for a worker.

    ``text`` is what the engine runs; ``inspect``, when given, is the user's text that the
    guard reads first (None for the package's own questions). ``limit`` is how many rows
    (or triples of a graph) to read at most (None: every one).
    """

    text: str
    name: str = "query"
    inspect: str | None = None
    allow_external: bool = False
    limit: int | None = 10_001


@dataclass
class Reply:
    """A worker's answer: encoded rows for SELECT, a boolean for ASK, triples for a graph."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Encoded, ...]] = field(default_factory=list)
    boolean: bool | None = None

    def answer(self) -> Answer:
        """The :class:`~kg.engines.Answer` of this reply, as rdflib terms (each distinct term decoded once)."""
        terms: dict[Encoded, Node | None] = {}

        def term(data: Encoded) -> Node | None:
            if data is None:
                return None
            found = terms.get(data)
            if found is None:
                found = terms[data] = decode(data)
            return found

        rows = [tuple(term(t) for t in row) for row in self.rows]
        if self.kind == "select":
            return Answer("select", self.variables, iter(rows))
        if self.kind == "ask":
            return Answer("ask", boolean=self.boolean)
        return Answer("graph", triples=iter(rows))  # type: ignore[arg-type]


class Worker:
    """A process that answers :class:`Job` s on one :class:`Source`; restarted when stopped.

    Thread-safe: one question at a time. :meth:`close` (or the garbage collector, or the
    interpreter's exit) stops the process.
    """

    def __init__(self, source: Source, *, memory_mb: int | None = DEFAULT_MEMORY_MB) -> None:
        self.source = source
        self.memory_mb = memory_mb
        self._lock = threading.Lock()
        self._live: dict[str, Any] = {}  # the process and its pipe, shared with the finalizer
        self._finalizer = weakref.finalize(self, _stop, self._live)

    def __repr__(self) -> str:
        return f"<kg.Worker {self.source.engine} pid={self.pid}>"

    @property
    def pid(self) -> int | None:
        """The worker process's id while one runs."""
        process = self._live.get("process")
        return process.pid if process is not None and process.is_alive() else None

    def run(self, job: Job, timeout: float) -> Reply:
        """Send ``job``, wait at most ``timeout`` seconds for its reply.

        Raises
        ------
        QueryError
            If the guard refuses the query, the engine fails, the deadline passes (the
            worker is killed) or the query needs more memory than the cap (the worker dies).
        InputError
            If the dataset cannot be opened.

        """
        with self._lock:
            pipe = self._start()
            try:
                pipe.send(job)
                if not pipe.poll(timeout):
                    _stop(self._live)
                    raise QueryError(
                        f"{job.name}: no answer within {timeout:g} s; the query was stopped",
                        hint="narrow the query (a LIMIT, a date range) or raise the timeout (--timeout)",
                    )
                reply: tuple[Any, ...] = pipe.recv()
            except (EOFError, OSError) as exc:
                closed = "process" not in self._live or self._live.get("closing")
                code = _stop(self._live)
                raise _death(job.name, code, self.memory_mb, bool(closed)) from exc
            except BaseException:  # Ctrl-C while waiting: the work must not go on
                _stop(self._live)
                raise
        if reply[0] == "error":
            if reply[1] == "MemoryError":  # the worker may be left in a poor state: start afresh
                _stop(self._live)
            raise _error(reply, job.name, self.memory_mb)
        return Reply(*reply)

    def close(self) -> None:
        """Stop the worker process (a new one starts if the worker is used again).

        A question it is answering fails at once (the worker is killed first, which ends
        the wait of the thread that asked).
        """
        process = self._live.get("process")
        if process is not None:
            self._live["closing"] = True
            with contextlib.suppress(ValueError):  # closed meanwhile
                process.kill()
        with self._lock:
            _stop(self._live)

    def _start(self) -> multiprocessing.connection.Connection:
        process = self._live.get("process")
        if process is not None and process.is_alive():
            pipe: multiprocessing.connection.Connection = self._live["pipe"]
            return pipe
        _stop(self._live)
        _short_temp_dir()
        mine, theirs = _CONTEXT.Pipe()
        lifeline, held = _CONTEXT.Pipe(duplex=False)  # never written: its end is this process's death
        process = _CONTEXT.Process(
            target=_main,
            args=(theirs, lifeline, self.source, self.memory_mb),
            name=f"kg-worker-{self.source.engine}",
            daemon=True,
        )
        process.start()
        theirs.close()
        lifeline.close()
        self._live.update(process=process, pipe=mine, lifeline=held)
        return mine


def _stop(live: dict[str, Any]) -> int | None:
    """Kill the worker in ``live`` (if any), reap it, and return its exit code."""
    process = live.pop("process", None)
    live.pop("closing", None)
    for end in (live.pop("pipe", None), live.pop("lifeline", None)):
        if end is not None:
            end.close()
    if process is None:
        return None
    with contextlib.suppress(ValueError):  # already closed
        if process.is_alive():
            process.kill()
        process.join(10)
        code: int | None = process.exitcode
        process.close()
        return code
    return None


def _megabytes(memory_mb: int | None) -> str:
    return "no cap: what the machine has" if memory_mb is None else f"{memory_mb:,} MB"


def _death(name: str, code: int | None, memory_mb: int | None, closed: bool) -> QueryError:
    """The error for a worker that died while answering."""
    if closed:
        return QueryError(f"{name}: stopped: the connection was closed while the query ran")
    if code == -signal.SIGABRT:  # the compiled engine aborts when an allocation fails at the cap
        return QueryError(
            f"{name}: the query used more memory than allowed ({_megabytes(memory_mb)}) and was stopped",
            hint="narrow the query, or raise the cap (--memory, memory_mb=)",
        )
    return QueryError(
        f"{name}: the process answering the query ended unexpectedly (exit {code})",
        hint="if the machine ran short of memory, lower the cap (--memory, memory_mb=)",
    )


def _error(reply: tuple[Any, ...], name: str, memory_mb: int | None) -> KGError:
    _, kind, message, expected, hint = reply
    if kind == "MemoryError":
        return QueryError(
            f"{name}: the query used more memory than allowed ({_megabytes(memory_mb)}) and was stopped",
            hint="narrow the query, or raise the cap (--memory, memory_mb=)",
        )
    error = InputError if kind == "InputError" else QueryError
    return error(message, expected=expected, hint=hint)


# ---------------------------------------------------------------- in the worker process


def _main(
    pipe: multiprocessing.connection.Connection,
    lifeline: multiprocessing.connection.Connection,
    source: Source,
    memory_mb: int | None,
) -> None:
    """The worker process: answer jobs on a deep stack; exit the moment the caller is gone.

    The jobs run in a thread; this thread waits on ``lifeline``, whose other end only the
    caller holds: it reads end-of-file when the caller exits or is killed, even in the
    middle of a query. (The forkserver that forked this process stays alive as long as
    its children do, so ``PR_SET_PDEATHSIG``, also set, is only a second net.)
    """
    with contextlib.suppress(OSError, AttributeError):  # Linux only
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort at the memory cap leaves no core file
    _quiet_stderr()
    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=_serve, args=(pipe, source, memory_mb), name="kg-worker", daemon=True)
    thread.start()
    multiprocessing.connection.wait([lifeline])
    os._exit(0)


def _quiet_stderr() -> None:
    """Send the worker's own error output to nowhere.

    Every failure reaches the caller through the pipe, or as the worker's death, which
    the caller names (:func:`_death`); what an engine writes itself on the way down (the
    Rust allocator's "memory allocation of N bytes failed" and a backtrace, at the memory
    cap) would only be noise under the caller's message.
    """
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC)
        os.dup2(devnull, 2)
        os.close(devnull)


def _serve(pipe: multiprocessing.connection.Connection, source: Source, memory_mb: int | None) -> None:
    engine: Engine | None = None
    failure: tuple[Any, ...] | None = None
    try:
        engine = source.open()
    except BaseException as exc:  # every question is told why the dataset did not open
        failure = _failure(exc, "open")
    if memory_mb is not None:
        _cap_memory(memory_mb)
    while True:
        try:
            job: Job = pipe.recv()
        except (EOFError, OSError):  # the caller closed the worker
            os._exit(0)
        reply = failure if engine is None else _answer(engine, job)
        pipe.send(reply)


def _cap_memory(memory_mb: int) -> None:
    size = _address_space()
    if size is not None:
        limit = size + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _address_space() -> int | None:
    """The address space of this process in bytes (``VmSize``), None where /proc does not tell."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return None


def _answer(engine: Engine, job: Job) -> tuple[Any, ...]:
    try:
        if job.inspect is not None:
            inspect_query(job.inspect, name=job.name, allow_external=job.allow_external)
        answer = engine.execute(job.text)
        return _encode(answer, job.limit)
    except BaseException as exc:
        return _failure(exc, job.name)


def _encode(answer: Answer, limit: int | None) -> tuple[Any, ...]:
    if answer.kind == "ask":
        return ("ask", [], [], answer.boolean)
    if answer.kind == "select":
        source = answer.rows
        rows = [tuple(encode(t) for t in row) for row in (source if limit is None else islice(source, limit))]
        getattr(source, "close", lambda: None)()
        return ("select", answer.variables, rows, None)
    triples = answer.triples if limit is None else islice(answer.triples, limit)
    return ("graph", [], [tuple(encode(t) for t in triple) for triple in triples], None)


def _failure(exc: BaseException, name: str) -> tuple[Any, ...]:
    if isinstance(exc, InputError):
        return (
            "error",
            type(exc).__name__ if type(exc) is InputError else "QueryError",
            exc.message,
            exc.expected,
            exc.hint,
        )
    if isinstance(exc, MemoryError):
        return ("error", "MemoryError", "", "", "")
    if isinstance(exc, RecursionError):
        return ("error", "QueryError", f"{name}: the query is too complex to evaluate", "", "simplify it")
    return ("error", "QueryError", f"{name}: the engine failed: {type(exc).__name__}: {exc}", "", "")
