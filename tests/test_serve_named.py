"""Named questions by URL on ``kg serve``: ``/q/`` lists them, ``/q/NAME`` answers as ``kg query`` does.

One real ``kg serve`` (one worker, a short deadline) runs on the seed build for the whole
module, started and stopped by the fixture (its processes are gone after, also when a test
fails). The served CSV and JSON are compared with the command line's output, run on the
same build; the HTML page with the CSV; the index with the files in ``kg/queries``. The
landing page's SPARQL form is used in a real headless Chromium: a person gets a page with a
table, while every protocol client keeps the SPARQL format it asks for (JSON by default).
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.build import build_project
from kg.cli import main
from kg.namespaces import ART, ENT, FACT, KG, PREFIXES
from kg.project import Project
from kg.serve import Endpoint
from kg.worker import Source
from tests.chromium import console_errors, headless, outgoing_requests
from tests.conftest import ROOT
from tests.test_hardening import CROSS, ask, send, served, session
from tests.test_hardening import KG as KG_COMMAND
from tests.test_serve_wsgi import Page

QUERIES = ROOT / "kg" / "queries"
HOSTILE = '</td><script>alert("kg")</script>'
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TIMEOUT = 4  # seconds per query: the named questions take a fraction of it; the busy test waits it out

# (question, parameters): entities by alias, label, prefixed name and full IRI; dates; a number; defaults
CASES = [
    ("who-met-whom", {}),
    ("actor-dossier", {"actor": "Petro"}),
    ("actor-dossier", {"actor": str(ENT["gustavo-petro"])}),
    ("positions-of", {"holder": "Marco Rubio"}),
    ("events-at-place", {"place": "Bogotá"}),
    ("fact-reports", {"fact": "fact:petro-trump-meeting-2026-02-03"}),
    ("facts-in-several-articles", {"min": "3"}),
    ("timeline", {"from": "2026-01-01", "to": "2026-02-28"}),
]


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    """The base URL of ``kg serve`` on the seed build; no process of it is left after."""
    process = served(built, "--workers", "1", "--timeout", str(TIMEOUT))
    with process as url:
        yield url.removesuffix("/query")
    deadline = time.monotonic() + 10  # what was killed last may take a moment to go
    while session(process.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session(process.process.pid) == []


def cli(built: Path, name: str, params: dict[str, str], fmt: str) -> bytes:
    """What ``kg query NAME -p k=v --format FMT`` prints, on ``built``."""
    args = [arg for key, value in params.items() for arg in ("-p", f"{key}={value}")]
    result = CliRunner().invoke(main, ["--build-dir", str(built), "query", name, *args, "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], str]:
    return send(url, headers={"Accept": accept} if accept else {})


def named(base: str, name: str, params: dict[str, str], **more: str) -> str:
    return f"{base}/q/{urllib.parse.quote(name)}?{urllib.parse.urlencode({**params, **more})}"


def shown_by_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The CSV's columns as a person sees them (each ``x`` with ``x_label`` shows the label) and its rows."""
    reader = csv.DictReader(io.StringIO(text))
    columns = list(reader.fieldnames or [])
    rows = list(reader)
    labelled = [c for c in columns if not (c.endswith("_label") and c.removesuffix("_label") in columns)]
    return labelled, [{c: row.get(f"{c}_label") or row[c] for c in labelled} for row in rows]


def same_value(shown: str, value: str) -> bool:
    """A cell shows the CSV's value: the same text, or the same number to six significant digits."""
    if shown == value:
        return True
    try:
        return math.isclose(float(shown), float(value), rel_tol=1e-5)
    except ValueError:
        return False


def header(path: Path) -> tuple[str, dict[str, str]]:
    """A question file's title and its parameters' defaults, read from the file itself."""
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^# title:\s*(.+)$", text, re.M)
    assert title is not None, path
    defaults = dict(re.findall(r"^# param:\s*(\w+)\s+\S+\s*=\s*(\S+)", text, re.M))
    return title.group(1).strip(), defaults


# ---------------------------------------------------------------- the answers equal the command line's


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{'-'.join(p) or 'defaults'}" for n, p in CASES])
def test_served_csv_and_json_are_the_command_lines_bytes(server: str, built: Path, name: str, params: dict) -> None:
    for fmt in ("csv", "json"):
        status, headers, body = get(named(server, name, params, format=fmt))
        assert status == 200, body
        assert body.encode() == cli(built, name, params, fmt), (name, params, fmt)
        assert headers["Content-Type"].startswith({"csv": "text/csv", "json": "application/sparql-results+json"}[fmt])
    assert json.loads(body)["results"]["bindings"], "a case with no rows would prove little"


def test_the_real_command_prints_the_same_bytes(server: str, built: Path) -> None:
    run = subprocess.run(
        [KG_COMMAND, "--build-dir", str(built), "query", "actor-dossier", "-p", "actor=Petro", "--format", "csv"],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert get(named(server, "actor-dossier", {"actor": "Petro"}, format="csv"))[2].encode() == run.stdout


def test_an_entity_by_alias_label_or_iri_is_the_same_entity(server: str) -> None:
    registry = Graph().parse(ROOT / "data" / "entities.ttl")
    petro = next(s for s, o in registry.subject_objects(KG.alias) if str(o) == "Petro")
    label = str(registry.value(petro, registry.namespace_manager.expand_curie("rdfs:label")))
    answers = {
        given: get(named(server, "actor-dossier", {"actor": given}, format="csv"))[2]
        for given in ("Petro", label, f"ent:{petro.removeprefix(str(ENT))}", str(petro))
    }
    assert len(set(answers.values())) == 1, answers
    _, rows = shown_by_csv(answers["Petro"])
    raw = list(csv.DictReader(io.StringIO(answers["Petro"])))
    assert rows and {row["actor"] for row in raw} == {f"ent:{petro.removeprefix(str(ENT))}"}


def test_defaults_are_those_the_question_file_declares(server: str, built: Path) -> None:
    _, defaults = header(QUERIES / "timeline.rq")
    assert set(defaults) == {"from", "to"}
    served_json = get(named(server, "timeline", {}), accept="application/json")[2]
    assert served_json.encode() == cli(built, "timeline", defaults, "json")
    changed = get(named(server, "timeline", {"to": "2025-12-31"}), accept="application/json")[2]
    assert changed != served_json  # the parameter is used, not only the default


def test_the_format_follows_accept(server: str) -> None:
    url = named(server, "who-met-whom", {})
    by_field = {fmt: get(f"{url}&format={fmt}")[2] for fmt in ("csv", "json")}
    assert get(url, "text/csv")[2] == by_field["csv"]
    assert get(url, "application/json")[2] == by_field["json"]
    assert get(url, "application/sparql-results+json")[2] == by_field["json"]
    assert get(url)[2] == by_field["json"]  # a program that says nothing gets JSON
    assert get(url, "*/*")[2] == by_field["json"]
    status, headers, body = get(url, BROWSER)
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8") and "<table>" in body
    assert get(url, "image/png")[0] == 406
    assert get(f"{url}&format=xml")[0] == 400


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize(
    ("name", "params"),
    [("actor-dossier", {"actor": "Petro"}), ("conflict-cooperation", {}), ("timeline", {"from": "2026-01-01"})],
)
def test_the_page_is_a_table_of_the_csvs_values(server: str, name: str, params: dict[str, str]) -> None:
    status, _, text = get(named(server, name, params), BROWSER)
    assert status == 200
    page = Page(text)
    columns, rows = shown_by_csv(get(named(server, name, params, format="csv"))[2])
    _, defaults = header(QUERIES / f"{name}.rq")
    # a parameter's column, one value on every row, is said once above the table, by its label
    said = [c for c in columns if c in defaults and len({row[c] for row in rows}) == 1]
    for column in said:
        assert f"{column}: {rows[0][column]}" in page.all_text
    assert page.header == [c for c in columns if c not in said]
    assert len(page.rows) == len(rows) > 0
    for cells, row in zip(page.rows, rows, strict=True):
        for column, cell in zip(page.header, cells, strict=True):
            assert same_value(cell, row[column]), (column, cell, row[column])
    assert page.inputs == {**defaults, **params}  # the form shows what ran
    assert [form["action"] for form in page.forms] == [name]
    assert urllib.parse.urljoin(f"{server}/q/{name}", page.hrefs[0]) == f"{server}/q/"


def test_values_on_the_page_are_escaped(server: str) -> None:
    # a prefixed name the guard lets through, naming no entity: no rows, the value said above the table
    value = "ent:nobody&amp;'x"
    status, _, text = get(named(server, "actor-dossier", {"actor": value}), BROWSER)
    assert status == 200
    assert f"actor: {value}" in Page(text).all_text
    assert html.escape(f"actor: {value}") in text and value not in text


def test_a_hostile_label_in_the_data_is_a_cell_of_text(tiny: Path) -> None:
    label = "</td><script>alert('kg')</script> & <b>Arden</b>"
    entities = tiny / "data" / "entities.ttl"
    entities.write_text(entities.read_text(encoding="utf-8").replace('"Alice Arden"', f'"{label}"'), encoding="utf-8")
    build_project(Project.at(tiny))
    app = Endpoint(Source("oxigraph", str(tiny / "build")), workers=1)
    try:
        environ = {"PATH_INFO": "/q/who-met-whom", "QUERY_STRING": "day=2026-03-03", "HTTP_ACCEPT": BROWSER}
        setup_testing_defaults(environ)
        text = b"".join(app(environ, lambda status, headers: None)).decode()
    finally:
        app.close()
    page = Page(text)
    assert page.tags.count("td") == len(page.header) * len(page.rows) and "script" not in page.tags
    assert [cells[page.header.index("visitors")] for cells in page.rows] == [f"{label} (t1, t2)"]


# ---------------------------------------------------------------- refusals


def test_an_unknown_question_is_404_naming_the_close_ones(server: str) -> None:
    status, headers, body = get(f"{server}/q/who-met")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    assert body.splitlines() == [
        "no such question 'who-met'",
        "    expected: the name of a question (/q/ lists them)",
        "    hint: did you mean 'who-met-whom'?",
    ]
    assert (QUERIES / "who-met-whom.rq").is_file()


def test_bad_parameters_are_400_with_the_librarys_message(server: str) -> None:
    _, defaults = header(QUERIES / "who-met-whom.rq")
    status, _, body = get(named(server, "who-met-whom", {"dya": "2026-02-03"}))
    assert (status, body.splitlines()) == (
        400,
        ["query who-met-whom has no parameter dya", f"    expected: one of: {', '.join(defaults)}"],
    )
    status, _, body = get(named(server, "who-met-whom", {"day": "yesterday"}))
    assert status == 400 and "'yesterday' is not xsd:date" in body and "YYYY-MM-DD" in body
    status, _, body = get(named(server, "actor-dossier", {"actor": "Nobody At All"}))
    assert status == 400 and "no entity is called 'Nobody At All'" in body
    status, _, body = get(f"{server}/q/who-met-whom?day=2026-02-03&day=2026-02-04")
    assert status == 400 and "give one value" in body
    assert send(f"{server}/q/who-met-whom", data=b"day=2026-02-03")[0] == 405  # a question is asked by GET
    assert get(f"{server}/q/who-met-whom", accept="text/csv")[0] == 200  # the server still answers


@pytest.mark.parametrize("where", ["parameter", "name"])
def test_a_hostile_value_is_shown_as_text_never_as_markup(server: str, where: str) -> None:
    url = named(server, "actor-dossier", {"actor": HOSTILE}) if where == "parameter" else named(server, HOSTILE, {})
    status, headers, text = get(url, BROWSER)
    assert (status, headers["Content-Type"]) == ({"parameter": 400, "name": 404}[where], "text/html; charset=utf-8")
    page = Page(text)
    assert "script" not in page.tags and HOSTILE not in text
    assert HOSTILE in page.all_text  # shown, as text
    if where == "parameter":
        assert page.inputs == {"actor": HOSTILE}  # the form holds it, to be corrected
    status, headers, text = get(url)  # a program gets the message as text
    assert headers["Content-Type"] == "text/plain; charset=utf-8" and headers["X-Content-Type-Options"] == "nosniff"


def test_a_busy_server_answers_503_at_once(server: str) -> None:
    replies: list[tuple[int, dict[str, str], str]] = []

    def persist() -> None:
        """Ask until the worker takes the query (the named question below may hold it a moment)."""
        while (reply := ask(f"{server}/query", CROSS))[2].startswith("busy:"):
            time.sleep(0.05)
        replies.append(reply)

    heavy = threading.Thread(target=persist)
    heavy.start()
    try:
        deadline = time.monotonic() + TIMEOUT
        while (reply := get(named(server, "who-met-whom", {})))[0] == 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        status, headers, body = reply
        assert (status, headers.get("Retry-After"), body) == (
            503,
            "1",
            "busy: 1 queries are running; try again shortly\n",
        )
    finally:
        heavy.join()
    assert replies[0][0] == 503 and "was stopped" in replies[0][2]  # stopped at the deadline: 503 too
    assert get(named(server, "who-met-whom", {}))[0] == 200  # a new worker answers


# ---------------------------------------------------------------- the index and the landing page


@pytest.mark.parametrize("path", ["/q/", "/q"])
def test_the_index_lists_every_question_file(server: str, path: str) -> None:
    status, _, text = get(server + path)
    assert status == 200
    page = Page(text)
    linked = {urllib.parse.urljoin(server + path, href) for href in page.hrefs}
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) > 20
    for file in files:
        assert f"{server}/q/{file.stem}" in linked, file.name
        title, defaults = header(file)
        assert title in page.all_text
        for name, default in defaults.items():
            assert f"{name} (" in page.all_text and default in page.all_text, (file.name, name)


def test_the_landing_page_links_the_questions_and_its_form_knows_the_prefixes(server: str) -> None:
    text = get(server + "/")[2]
    page = Page(text)
    assert f"{server}/q/" in {urllib.parse.urljoin(server + "/", href) for href in page.hrefs}
    for prefix, namespace in PREFIXES.items():
        assert f"PREFIX {prefix}: <{namespace}>" in page.all_text
    assert "needs no PREFIX lines" in page.all_text
    # a query typed in the form, with ent: and fact: and no PREFIX line, as a browser posts it
    action = urllib.parse.urljoin(server + "/", page.forms[0]["action"])
    meeting, minister = "petro-trump-meeting-2026-02-03", "pedro-sanchez"
    typed = f"SELECT ?article WHERE {{ GRAPH ?article {{ fact:{meeting} kg:actor ent:{minister} }} }}"
    status, _, body = send(
        action,
        data=urllib.parse.urlencode({"query": typed}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    assert status == 200, body
    found = {b["article"]["value"] for b in json.loads(body)["results"]["bindings"]}
    # the articles whose curated file places the minister in the meeting
    expected = {
        str(ART[file.stem])
        for file in sorted((ROOT / "data" / "articles").glob("*.ttl"))
        if (FACT[meeting], KG.actor, ENT[minister]) in Graph().parse(file)
    }
    assert found == expected and expected


# ---------------------------------------------------------------- the SPARQL form: a page for a person


def post_query(base: str, sparql: str, accept: str | None) -> tuple[int, dict[str, str], str]:
    """POST ``sparql`` to ``/query`` as the landing page's form does, with ``accept`` (None: no header)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", **({"Accept": accept} if accept else {})}
    return send(f"{base}/query", data=urllib.parse.urlencode({"query": sparql}).encode(), headers=headers)


PERSONS = "SELECT ?actor ?name WHERE { ?actor a kg:Person ; rdfs:label ?name } ORDER BY ?name"


def registry_persons() -> dict[str, str]:
    """Every person of the registry, by prefixed name, with its label: read from data/entities.ttl."""
    registry = Graph().parse(ROOT / "data" / "entities.ttl")
    label = registry.namespace_manager.expand_curie("rdfs:label")
    return {
        f"ent:{s.removeprefix(str(ENT))}": str(registry.value(s, label))
        for s in registry.subjects(registry.namespace_manager.expand_curie("rdf:type"), KG.Person)
    }


@pytest.mark.parametrize(
    ("accept", "mime"),
    [
        (None, "application/sparql-results+json"),  # no Accept: SPARQL JSON, as before
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/html;q=0.5, application/sparql-results+json", "application/sparql-results+json"),  # JSON preferred
        ("text/html;q=0.9, application/xml;q=0.5", "text/html; charset=utf-8"),
        (BROWSER, "text/html; charset=utf-8"),  # text/html first: a person
    ],
)
def test_query_answers_in_the_format_accept_prefers(server: str, accept: str | None, mime: str) -> None:
    status, headers, body = post_query(server, PERSONS, accept)
    assert (status, headers["Content-Type"]) == (200, mime), body
    persons = registry_persons()
    if mime.startswith("application/sparql-results+json"):
        bindings = json.loads(body)["results"]["bindings"]
        assert {b["name"]["value"] for b in bindings} == set(persons.values())
    elif mime.startswith("text/html"):
        page = Page(body)
        assert page.header == ["actor", "name"]
        assert {tuple(row) for row in page.rows} == set(persons.items())  # ids as prefixed names, names as text
        assert page.textareas == [PERSONS]  # the query, to change and run again
        assert f"{len(persons)} rows" in page.all_text


def test_ask_and_graphs_are_pages_for_a_browser_and_unchanged_for_programs(server: str) -> None:
    ask_query = "ASK { ent:gustavo-petro a kg:Person }"
    assert json.loads(post_query(server, ask_query, None)[2]) == {"head": {}, "boolean": True}
    assert post_query(server, ask_query, "application/sparql-results+xml")[1]["Content-Type"].startswith(
        "application/sparql-results+xml"
    )
    status, headers, body = post_query(server, ask_query, BROWSER)
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert "The answer: yes" in Page(body).all_text
    assert "The answer: no" in Page(post_query(server, "ASK { ent:gustavo-petro a kg:Place }", BROWSER)[2]).all_text

    construct = "CONSTRUCT { ent:gustavo-petro rdfs:label ?name } WHERE { ent:gustavo-petro rdfs:label ?name }"
    status, headers, body = post_query(server, construct, None)
    assert (status, headers["Content-Type"]) == (200, "text/turtle; charset=utf-8")
    assert len(Graph().parse(data=body, format="turtle")) == 1
    page = Page(post_query(server, construct, BROWSER)[2])
    assert page.header == ["subject", "predicate", "object"]
    assert page.rows == [["ent:gustavo-petro", "rdfs:label", registry_persons()["ent:gustavo-petro"]]]


def test_a_refusal_is_a_page_for_a_browser_and_text_for_a_program(server: str) -> None:
    refused = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    status, headers, body = post_query(server, refused, None)
    assert (status, headers["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert body == "query: SERVICE is refused: it sends requests to other servers\n"
    status, headers, text = post_query(server, refused, BROWSER)
    assert (status, headers["Content-Type"]) == (400, "text/html; charset=utf-8")
    page = Page(text)
    assert body.strip() in page.all_text and "400 Bad Request" in page.all_text
    assert page.textareas == [refused]  # kept, to be corrected
    status, _, text = send(f"{server}/query", headers={"Accept": BROWSER})  # no query at all
    assert status == 400 and Page(text).textareas == [""]


def test_values_and_the_query_are_text_on_the_page(server: str) -> None:
    hostile = f'SELECT ?x WHERE {{ BIND("{HOSTILE}</textarea><b>x</b>" AS ?x) }}'.replace('"kg"', "'kg'")
    status, _, text = post_query(server, hostile, BROWSER)
    assert status == 200, text
    page = Page(text)
    assert not {"script", "b"} & set(page.tags)
    assert page.rows == [[HOSTILE.replace('"kg"', "'kg'") + "</textarea><b>x</b>"]]
    assert page.textareas == [hostile]


def test_a_long_answer_is_a_whole_table_cut_at_max_rows(server: str) -> None:
    many = "SELECT ?s ?p ?o WHERE { ?s ?p ?o . ?x a kg:Person } LIMIT 10001"
    status, headers, text = post_query(server, many, BROWSER)
    assert status == 200 and headers["Kg-Truncated"] == "result cut at 10000 rows"
    page = Page(text)
    assert len(page.rows) == 10_000 and all(len(row) == 3 for row in page.rows)
    assert "10,000 rows, cut at 10,000 (max-rows)" in page.all_text


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium that reaches the server on 127.0.0.1 and no other host."""
    with headless(local=True) as driver:
        yield driver


def submit(browser: Any) -> None:
    """Press the page's button and wait for the next page."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    button = browser.find_element(By.TAG_NAME, "button")
    button.click()
    # while the old page goes, chromedriver may answer a look at its button with an inspector
    # error rather than "stale" (seen once in a full run): ask again until the button is gone
    wait = WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,))
    wait.until(expected_conditions.staleness_of(button))


def test_a_person_uses_the_forms_in_a_browser(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/")
    submit(browser)  # the example query, as the page offers it
    assert browser.current_url == f"{server}/query"
    assert browser.execute_script("return document.contentType") == "text/html"
    header = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "thead th")]
    rows = [
        [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    persons = registry_persons()
    assert header == ["actor", "name"] and len(rows) == 10 and all(persons[a] == n for a, n in rows)

    box = browser.find_element(By.NAME, "query")  # the answer page holds the form again: change the query
    box.clear()
    box.send_keys("ASK { ent:gustavo-petro a kg:Person }")
    submit(browser)
    assert "The answer: yes" in browser.find_element(By.TAG_NAME, "body").text

    # a named question: its form runs it again with another actor, by label
    browser.get(named(server, "actor-dossier", {"actor": "Petro"}))
    assert "actor: Gustavo Petro" in browser.find_element(By.TAG_NAME, "body").text
    field = browser.find_element(By.NAME, "actor")
    field.clear()
    field.send_keys("Marco Rubio")
    submit(browser)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)
    assert query == {"actor": ["Marco Rubio"], "format": ["html"]}
    assert "actor: Marco Rubio" in browser.find_element(By.TAG_NAME, "body").text
    browser.find_element(By.LINK_TEXT, "← the named questions").click()
    assert browser.current_url == f"{server}/q/"
    assert console_errors(browser) == []  # nor a favicon asked for
    assert all(url.startswith(server) for url in outgoing_requests(browser))
