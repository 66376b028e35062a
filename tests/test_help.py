"""The help texts: their examples are shown as written, and every one of them runs.

Each command's ``--help`` (and ``kg --help``) ends with an Example block. The test reads
the block from the help as a user sees it and runs each line in a built copy of this
project (the seed corpus, its texts in ``data/sources`` when they are available), the
``kg`` commands through click's CliRunner and anything else (``ls``, ``curl``,
``oxigraph``) as a program. A line ending in ``&`` starts a server in the background; the
next line runs once it answers, and it is stopped after the block. Port 7878 is replaced
by a free port, so that the test never meets another server. Lines may use ``&&`` and
``&``, nothing else of the shell.

``kg --help`` must also start fast: it imports none of the heavy libraries.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.build import build_project
from kg.cli import EXPORT_FORMATS, main
from kg.errors import UnverifiedWarning
from kg.formats import FORMATS
from kg.project import Project
from tests.conftest import ROOT
from tests.test_engines import free_port, wait_until_up

COMMANDS = sorted(main.commands)
HEAVY = ("pandas", "rdflib", "networkx", "pyoxigraph", "scipy", "pyvis", "plotly", "pyshacl")
BIN = Path(sys.executable).parent
NEEDS_TEXTS = {"coverage"}


def help_text(command: str | None, width: int = 80) -> str:
    args = [command, "--help"] if command else ["--help"]
    result = CliRunner().invoke(main, args, terminal_width=width)
    assert result.exit_code == 0, result.output
    return result.output


def examples(text: str) -> list[str]:
    """The lines of the Example(s) block of a help text or docstring, as written."""
    lines = text.splitlines()
    found: list[str] = []
    for i, line in enumerate(lines):
        if re.fullmatch(r"\s*Examples?:\s*", line):
            for following in lines[i + 1 :]:
                if not following.strip():
                    break
                found.append(following.strip())
    return found


def test_the_examples_are_found_in_a_help_text() -> None:
    text = "Usage: kg x\n\n  Says what.\n\n  Examples:\n      kg a -p k=v\n      kg b && ls\n\nOptions:\n  -h\n"
    assert examples(text) == ["kg a -p k=v", "kg b && ls"]
    assert examples("  Examples: kg a -p k=v kg b && ls\n") == []  # a reflowed block is not one


@pytest.mark.parametrize("command", [None, *COMMANDS], ids=["kg", *COMMANDS])
def test_examples_are_shown_as_written(command: str | None) -> None:
    cmd: click.Command = main if command is None else main.commands[command]
    written = examples(cmd.help or "")
    assert written, f"kg {command or ''} has no Example block in its docstring"
    # a narrow terminal: click rewraps every paragraph but those marked \b
    assert examples(help_text(command, width=50)) == written


def test_kg_help_imports_no_heavy_library() -> None:
    # every --help in one fresh interpreter: what it imported is in sys.modules at the end
    script = (
        "import json, sys\n"
        "from kg.cli import main\n"
        "for args in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        main(args, prog_name='kg')\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, (args, exc.code)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    helps = [["--help"], *([c, "--help"] for c in COMMANDS)]
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(helps)], capture_output=True, text=True, timeout=60, check=True
    )
    modules = json.loads(done.stdout.splitlines()[-1])
    assert "kg.cli" in modules and "click" in modules  # the list is the one of the process that ran the help
    assert [m for m in modules if m.split(".")[0] in HEAVY] == []


def test_export_formats_are_the_library_s() -> None:
    assert sorted(EXPORT_FORMATS) == sorted(FORMATS)


def test_a_mistyped_question_is_answered_with_the_nearest_names(copy: Path) -> None:
    result = CliRunner().invoke(main, ["--project", str(copy), "query", "who-met"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "no such question 'who-met'",
        "    expected: the name of a question (kg queries lists them) or a .rq file",
        "    hint: did you mean 'who-met-whom'?",
    ]
    result = CliRunner().invoke(main, ["--project", str(copy), "query", "figure"])
    assert "hint: did you mean 'figures' or 'figures-about'?" in result.output
    result = CliRunner().invoke(main, ["--project", str(copy), "query", "missing.rq"])
    assert result.exit_code == 2 and result.output.startswith("no such query file: missing.rq")


# ---------------------------------------------------------------- every example runs


@pytest.fixture(scope="module")
def copy(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built copy of this project, its article texts in data/sources when they are available."""
    dest = tmp_path_factory.mktemp("help") / "project"
    dest.mkdir()
    shutil.copy(ROOT / "pyproject.toml", dest)
    shutil.copy(ROOT / "ontology.ttl", dest)
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("sources"))
    if any(project.sources.glob("*.txt")):
        (dest / "data" / "sources").symlink_to(project.sources.resolve(), target_is_directory=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnverifiedWarning)
        build_project(Project.at(dest))
    return dest


@pytest.fixture
def background() -> Iterator[list[subprocess.Popen[bytes]]]:
    """The servers an example started with '&', stopped (each its whole group) after the block."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def program(argv: list[str]) -> list[str]:
    """``argv`` with its program found in this virtual environment first (kg, oxigraph), then on PATH."""
    found = shutil.which(argv[0], path=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]))
    assert found, f"no program {argv[0]}"
    return [found, *argv[1:]]


def run_command(argv: list[str], cwd: Path) -> None:
    if argv[0] == "kg":
        result = CliRunner().invoke(main, argv[1:])
        assert result.exit_code == 0, f"{shlex.join(argv)} exited with {result.exit_code}:\n{result.output}"
    else:
        done = subprocess.run(program(argv), cwd=cwd, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{shlex.join(argv)} exited with {done.returncode}:\n{done.stderr}"


def run_line(line: str, cwd: Path, started: list[subprocess.Popen[bytes]], log: Path) -> None:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    shell = [t for t in tokens if t and set(t) <= set("();<>|&") and t not in ("&&", "&")]
    assert not shell, f"{line!r}: the examples may use && and a final &, not {shell}"
    if tokens[-1] == "&":
        argv = tokens[:-1]
        assert "&&" not in argv, f"{line!r}: one program per background line"
        port = re.search(r"(?:--port[ =]|:)(\d+)\b", line)
        assert port, f"{line!r}: a server started in the background needs its port written in the line"
        with log.open("ab") as out:
            process = subprocess.Popen(
                program(argv), cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        started.append(process)
        wait_until_up(f"http://127.0.0.1:{port.group(1)}/query", process, log=log)
        return
    command: list[str] = []
    for token in [*tokens, "&&"]:
        if token == "&&":
            run_command(command, cwd)
            command = []
        else:
            command.append(token)


@pytest.mark.parametrize("command", [None, *COMMANDS], ids=["kg", *COMMANDS])
def test_every_help_example_runs(
    command: str | None,
    copy: Path,
    background: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    lines = examples(help_text(command))
    assert lines, f"kg {command or ''} --help shows no example"
    if command in NEEDS_TEXTS and not (copy / "data" / "sources").exists():
        pytest.skip("the article texts are not available: point KG_SOURCES at them (CI: ../shared/seeds)")
    monkeypatch.chdir(copy)
    monkeypatch.delenv("KG_SOURCES", raising=False)  # as a user: the texts in data/sources
    port = str(free_port())
    for line in lines:
        run_line(line.replace("7878", port), copy, background, tmp_path / "server.log")


# ---------------------------------------------------------------- the README's examples run too

#: Shown in the README with the error they give, not run here (the did-you-mean test checks it).
SHOWN_FAILING = {"kg query who-met"}


def readme_examples() -> list[list[str]]:
    """The command lines of the README's examples (kg, and the servers they need), block by block."""
    blocks = []
    for block in re.findall(r"```\w*\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S):
        lines = [re.sub(r"\s+#.*$", "", line.removeprefix("$ ")).strip() for line in block.splitlines()]
        lines = [line for line in lines if re.match(r"(kg|oxigraph) ", line) and line not in SHOWN_FAILING]
        if lines:
            blocks.append(lines)
    return blocks


def test_the_readme_examples_are_found() -> None:
    lines = [line for block in readme_examples() for line in block]
    assert "kg analyze path Moreno Petro" in lines and "kg export --format facts-csv -o facts.csv" in lines
    assert not [line for line in lines if line.startswith("kg/")]


@pytest.mark.parametrize("block", readme_examples(), ids=lambda block: block[0][:40])
def test_every_readme_example_runs(
    block: list[str],
    copy: Path,
    background: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(copy)
    monkeypatch.delenv("KG_SOURCES", raising=False)
    port = str(free_port())
    for line in block:
        line = line.replace("7878", port).replace("/srv/kg", str(tmp_path / "server-store"))
        run_line(line, copy, background, tmp_path / "server.log")
