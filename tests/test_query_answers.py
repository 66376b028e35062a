"""What kg.query answers: named-question files, parameters, names, limits and answers of each kind.

Expectations come from the tiny example project (tests/fixtures/tiny), read here with rdflib,
with one place added to it: ``ent:arden-town``, whose alias "Arden" it shares with Alice
Arden, so that a name can be ambiguous and a class can pick among the entities it names.
"""

from __future__ import annotations

import datetime
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.build import build_project
from kg.engines import Answer, OxigraphEngine
from kg.errors import InputError, QueryError
from kg.project import Project
from kg.query import (
    Connection,
    NamedQuery,
    Param,
    Table,
    _within,
    bind,
    check_max_rows,
    check_memory,
    check_timeout,
    connect,
    parse_query_file,
    read_query_file,
    to_results_json,
)
from kg.store import read_dataset
from kg.worker import Source
from tests.conftest import copy_tiny

KG = Namespace("https://w3id.org/newskg/ns#")
ENT = Namespace("https://w3id.org/newskg/id/")
ART = Namespace("https://w3id.org/newskg/id/article/")
SCHEMA = Namespace("https://schema.org/")
INT = "<http://www.w3.org/2001/XMLSchema#integer>"

ARDEN_TOWN = """
ent:arden-town a kg:Place ;
    rdfs:label "Arden Town" ;
    kg:alias "Arden" .
"""


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project with Arden Town added, built (a third of a second)."""
    root = copy_tiny(tmp_path_factory.mktemp("answers") / "tiny")
    with (root / "data" / "entities.ttl").open("a", encoding="utf-8") as registry:
        registry.write(ARDEN_TOWN)
    build_project(Project.at(root, sources=root / "sources"))
    return root


@pytest.fixture(scope="module")
def curated(tiny_root: Path) -> Graph:
    """The curated files of the tiny project, read with rdflib (not through kg)."""
    g = Graph()
    for path in sorted((tiny_root / "data").rglob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def store(tiny_root: Path) -> ox.Store:
    return read_dataset(tiny_root / "build")


@pytest.fixture(scope="module")
def local(store: ox.Store) -> Connection:
    """A connection running its questions in this process."""
    return Connection(OxigraphEngine(store))


@pytest.fixture(scope="module")
def worker(tiny_root: Path) -> Iterator[Connection]:
    """A connection running its questions in a worker process (oxigraph)."""
    with connect(tiny_root / "build") as conn:
        yield conn


@pytest.fixture(scope="module")
def on_rdflib(tiny_root: Path) -> Iterator[Connection]:
    """A connection running its questions in a worker process (rdflib)."""
    with connect(tiny_root / "build", engine="rdflib") as conn:
        yield conn


def evidence(curated: Graph) -> set[URIRef]:
    return {e for e in curated.subjects(RDF.type, KG.Evidence) if isinstance(e, URIRef)}


# ---------------------------------------------------------------- named-question files

QUESTION = """\
# title: Events of a day
# description: The events on one day,
#   with their actor.
# a plain comment, not part of the description
# param: day xsd:date = 2026-03-03
# param: who iri = ent:alice-arden
# param: min xsd:integer = 1
# param: share xsd:decimal = 0.5
# param: name xsd:string = Alice Arden
# param: place kg:Place = Capital City
SELECT ?fact WHERE { ?fact kg:date ?day ; kg:actor ?who }
"""


def test_a_query_file_gives_its_title_description_and_parameters(tmp_path: Path) -> None:
    path = tmp_path / "day.rq"
    path.write_text(QUESTION, encoding="utf-8")
    q = read_query_file(path)
    assert q == parse_query_file(str(path), QUESTION)
    assert q.name == str(path)
    assert q.title == "Events of a day"
    assert q.description == "The events on one day, with their actor."  # the indented line continues it
    assert q.text == QUESTION
    assert q.params == {
        "day": Param("day", "xsd:date", "2026-03-03"),
        "who": Param("who", "iri", "ent:alice-arden"),
        "min": Param("min", "xsd:integer", "1"),
        "share": Param("share", "xsd:decimal", "0.5"),
        "name": Param("name", "xsd:string", "Alice Arden"),
        "place": Param("place", "kg:Place", "Capital City"),
    }
    assert list(q.params) == ["day", "who", "min", "share", "name", "place"]  # in the file's order


def test_a_query_file_without_header_is_named_by_its_name() -> None:
    q = parse_query_file("bare", "SELECT * WHERE { ?s ?p ?o }")
    assert (q.title, q.description, q.params) == ("bare", "", {})
    # a continuation line before any title or description continues nothing
    assert parse_query_file("c", "#   stray\n# title: T\nASK {}").title == "T"
    assert parse_query_file("t", "# title: Two\n#   lines\nASK {}").title == "Two lines"


def test_a_malformed_parameter_line_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        parse_query_file("q", "# title: T\n# param: day\nSELECT * {}")
    assert info.value.message == "q:2: bad parameter line '# param: day'"
    assert info.value.expected == "# param: NAME TYPE = DEFAULT"


def test_a_malformed_parameter_line_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("# title: T\n# param: day = 2026-01-01\nSELECT * {}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_query_file(path)
    assert info.value.message.startswith(f"{path}:2:")


def test_a_missing_query_file_or_question(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.rq"
    with pytest.raises(InputError) as info:
        read_query_file(missing)
    assert info.value.message == f"no such query file: {missing}"
    assert info.value.hint == "kg queries lists the named questions"
    # a bare name is a question's name mistyped
    with pytest.raises(InputError, match="no such question 'who-met'") as named:
        read_query_file(Path("who-met"))
    assert named.value.hint == "did you mean 'who-met-whom'?"


# ---------------------------------------------------------------- limits


@pytest.mark.parametrize(("given", "kept"), [(30, 30.0), (0.001, 0.001), (1, 1.0), (1e6, 1e6)])
def test_a_usable_timeout_is_kept_as_seconds(given: float, kept: float) -> None:
    assert check_timeout(given) == kept
    assert isinstance(check_timeout(given), float)


@pytest.mark.parametrize("given", [0, 0.0, -1, -0.5, float("nan"), float("inf"), True, False, "30", None])
def test_an_unusable_timeout_is_refused(given: Any) -> None:
    with pytest.raises(InputError) as info:
        check_timeout(given)
    assert info.value.message == f"timeout: {given!r} is not a usable number of seconds"
    assert info.value.expected == "a number of seconds above 0, such as 30"


def test_a_usable_row_limit_is_a_whole_number_from_one() -> None:
    assert [check_max_rows(n) for n in (1, 2, 10_000)] == [1, 2, 10_000]
    for given in (0, -1, 1.0, 2.5, True, "5", None):
        with pytest.raises(InputError) as info:
            check_max_rows(given)  # type: ignore[arg-type]
        assert info.value.message == f"max_rows: {given!r} is not a usable number of rows"
        assert info.value.expected == "a whole number of rows, at least 1"


def test_a_usable_memory_cap_is_none_or_a_whole_number_from_64() -> None:
    assert [check_memory(m) for m in (None, 64, 65, 4096)] == [None, 64, 65, 4096]
    for given in (63, 0, -64, 64.0, True, "64"):
        with pytest.raises(InputError) as info:
            check_memory(given)  # type: ignore[arg-type]
        assert info.value.message == f"memory: {given!r} is not a usable memory cap"
        assert info.value.expected == "a whole number of megabytes, at least 64"


def test_a_connection_refuses_unusable_limits(store: ox.Store) -> None:
    engine = OxigraphEngine(store)
    with pytest.raises(InputError, match="timeout: 0 is not"):
        Connection(engine, timeout=0)
    with pytest.raises(InputError, match="max_rows: 0 is not"):
        Connection(engine, max_rows=0)
    with pytest.raises(InputError, match="memory: 10 is not"):
        Connection(engine, memory_mb=10)


# ---------------------------------------------------------------- binding


def test_bind_puts_values_at_the_start_of_the_where_group() -> None:
    one: dict[str, Node] = {"o": Literal(1)}
    assert bind("SELECT ?s WHERE { ?s ?p ?o }", {}) == "SELECT ?s WHERE { ?s ?p ?o }"
    assert bind("SELECT ?s WHERE {?s ?p ?o}", one) == f'SELECT ?s WHERE {{ VALUES ?o {{ "1"^^{INT} }} ?s ?p ?o}}'
    assert bind("SELECT * { ?s ?p ?o }", one) == f'SELECT * {{ VALUES ?o {{ "1"^^{INT} }} ?s ?p ?o }}'
    two = bind("ASK { ?s ?p ?o }", {"s": ENT["bob-brook"], "o": Literal("x")})
    assert two == f'ASK {{ VALUES ?s {{ <{ENT["bob-brook"]}> }} VALUES ?o {{ "x" }} ?s ?p ?o }}'
    # the keyword in any case, after a group of the projection's own (EXISTS) that is not the WHERE group
    exists = "SELECT ?s (EXISTS { ?s a kg:Actor } AS ?actor) where { ?s ?p ?o }"
    assert bind(exists, one) == (
        f'SELECT ?s (EXISTS {{ ?s a kg:Actor }} AS ?actor) where {{ VALUES ?o {{ "1"^^{INT} }} ?s ?p ?o }}'
    )


def test_bind_skips_the_template_of_a_construct_without_where() -> None:
    values = f'VALUES ?o {{ "1"^^{INT} }}'
    one: dict[str, Node] = {"o": Literal(1)}
    assert bind("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", one) == f"CONSTRUCT {{ ?s ?p ?o }} {{ {values} ?s ?p ?o }}"
    assert bind("CONSTRUCT {} { ?s ?p ?o }", one) == f"CONSTRUCT {{}} {{ {values} ?s ?p ?o }}"  # an empty template
    # braces in a string are not braces
    assert (
        bind('CONSTRUCT { ?s rdfs:label "}{" } { ?s ?p ?o }', one)
        == f'CONSTRUCT {{ ?s rdfs:label "}}{{" }} {{ {values} ?s ?p ?o }}'
    )
    # a template holding a group (quads, as some endpoints accept): the pattern still gets the values
    quads = "CONSTRUCT { GRAPH ?g { ?s ?p ?o } } { GRAPH ?g { ?s ?p ?o } }"
    assert bind(quads, one) == f"CONSTRUCT {{ GRAPH ?g {{ ?s ?p ?o }} }} {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"
    for nowhere in ("CONSTRUCT { ?s ?p ?o }", "DESCRIBE ent:bob-brook"):
        with pytest.raises(QueryError, match="cannot bind parameters: the query has no WHERE clause"):
            bind(nowhere, one)


def test_bind_gives_a_subquery_the_values_it_projects() -> None:
    bob = f"<{ENT['bob-brook']}>"
    bound = bind("SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } } ?x ?q ?v }", {"x": ENT["bob-brook"]})
    assert bound == (
        f"SELECT ?x WHERE {{ VALUES ?x {{ {bob} }} "
        f"{{ SELECT ?x WHERE {{ VALUES ?x {{ {bob} }}  ?x ?p ?o }} }} ?x ?q ?v }}"
    )


def test_a_subquery_projects_an_expressions_name_not_the_variables_inside_it() -> None:
    one = f"<{ENT['bob-brook']}>"
    inner = "SELECT ?x (SAMPLE(?y) AS ?z) WHERE { ?x ?p ?y }"
    bound = bind(f"SELECT * WHERE {{ {{ {inner} }} }}", {"y": ENT["bob-brook"], "z": ENT["bob-brook"]})
    # ?z is projected (the subquery gets its value), ?y only aggregated (binding it would change the sample)
    assert bound == (
        f"SELECT * WHERE {{ VALUES ?y {{ {one} }} VALUES ?z {{ {one} }} "
        f"{{ SELECT ?x (SAMPLE(?y) AS ?z) WHERE {{ VALUES ?z {{ {one} }}  ?x ?p ?y }} }} }}"
    )


def test_a_row_longer_or_shorter_than_the_variables_is_refused_not_read_as_unbound() -> None:
    for row in ((Literal(1),), (Literal(1), Literal(2), Literal(3))):
        with pytest.raises(ValueError, match="zip"):
            to_results_json(Table(["a", "b"], [row]))


def test_bind_refuses_what_cannot_be_written() -> None:
    with pytest.raises(InputError, match="cannot bind 'x y': not a variable name"):
        bind("SELECT * WHERE { }", {"x y": Literal(1)})
    with pytest.raises(InputError, match=r"who: 'http://x> \} ; DROP ALL \{ <y' is not an IRI: it holds '>'"):
        bind("SELECT * WHERE { }", {"who": URIRef("http://x> } ; DROP ALL { <y")})


BACKSLASHES = ["C:\\Users\\u00e9", "a\\Ub", "\\\\u0041", 'quote " and \\ alone', "line\nbreak", "{ } ; DROP ALL"]


@pytest.mark.parametrize("which", ["local", "worker", "on_rdflib"])
def test_a_bound_text_comes_back_as_it_was(which: str, request: pytest.FixtureRequest) -> None:
    conn: Connection = request.getfixturevalue(which)
    for text in BACKSLASHES:
        assert conn.table("SELECT ?v WHERE { }", {"v": Literal(text)}).rows == [(Literal(text),)], text


def test_a_bound_tab_comes_back_as_a_tab_on_rdflib(on_rdflib: Connection) -> None:
    assert on_rdflib.table("SELECT ?v WHERE { }", {"v": Literal("a\tb")}).rows == [(Literal("a\tb"),)]


# ---------------------------------------------------------------- parameters


def question(tmp_path: Path, text: str = QUESTION) -> NamedQuery:
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    return read_query_file(path)


def test_parameters_become_terms_of_their_type(local: Connection, tmp_path: Path) -> None:
    q = question(tmp_path)
    assert local.bindings(q) == {
        "day": Literal("2026-03-03", datatype=XSD.date),
        "who": ENT["alice-arden"],
        "min": Literal("1", datatype=XSD.integer),
        "share": Literal("0.5", datatype=XSD.decimal),
        "name": Literal("Alice Arden"),  # a plain string, no datatype
        "place": ENT["capital-city"],
    }
    given = local.bindings(
        q, day=datetime.date(2026, 3, 10), who="Brook", min=-3, share=2.25, name="Bob Brook", place="Arden"
    )
    assert given == {
        "day": Literal("2026-03-10", datatype=XSD.date),
        "who": ENT["bob-brook"],
        "min": Literal("-3", datatype=XSD.integer),
        "share": Literal("2.25", datatype=XSD.decimal),
        "name": Literal("Bob Brook"),
        "place": ENT["arden-town"],  # the place called Arden, not the person
    }
    assert local.bindings(q, min="7", day="2026-01-31")["min"] == Literal("7", datatype=XSD.integer)


@pytest.mark.parametrize(
    ("params", "message", "expected"),
    [
        ({"day": "3 March 2026"}, "parameter day: '3 March 2026' is not xsd:date", "YYYY-MM-DD"),
        ({"day": "2026-3-3"}, "parameter day: '2026-3-3' is not xsd:date", "YYYY-MM-DD"),
        ({"min": "three"}, "parameter min: 'three' is not xsd:integer", "xsd:integer"),
        ({"min": "1.5"}, "parameter min: '1.5' is not xsd:integer", "xsd:integer"),
        ({"share": "1,5"}, "parameter share: '1,5' is not xsd:decimal", "xsd:decimal"),
        (
            {"bogus": "1", "extra": "2"},
            "query {q} has no parameter bogus, extra",
            "one of: day, who, min, share, name, place",
        ),
        ({"who": "Arden"}, "'Arden' names 2 entities: ent:alice-arden, ent:arden-town", ""),
        ({"place": "Bob Brook"}, "no entity of class kg:Place is called 'Bob Brook'", None),
        ({"who": "http://x y"}, "parameter who: 'http://x y' is not an IRI: it holds ' '", None),
    ],
)
def test_a_parameter_that_does_not_fit_is_refused(
    local: Connection, tmp_path: Path, params: dict[str, str], message: str, expected: str | None
) -> None:
    q = question(tmp_path)
    with pytest.raises(InputError) as info:
        local.bindings(q, **params)
    assert info.value.message == message.format(q=q.name)
    if expected is not None:
        assert info.value.expected == expected


def test_a_question_without_parameters_says_so(local: Connection) -> None:
    q = parse_query_file("plain", "SELECT * WHERE { ?s ?p ?o }")
    assert local.bindings(q) == {}
    with pytest.raises(InputError) as info:
        local.bindings(q, day="2026-03-03")
    assert info.value.message == "query plain has no parameter day"
    assert info.value.expected == "one of: (none)"


@pytest.mark.parametrize("value", [True, None, [1], 1j, datetime.datetime(2026, 3, 3, 12, 0)])
def test_a_parameter_value_must_be_text_a_number_or_a_date(local: Connection, tmp_path: Path, value: Any) -> None:
    with pytest.raises(InputError) as info:
        local.bindings(question(tmp_path), day=value)
    assert info.value.message == f"parameter day: {value!r} is a {type(value).__name__}"
    assert info.value.expected == "text, a number or a date"
    assert info.value.hint == "pass the value as text, as on the command line"


@pytest.mark.parametrize("which", ["local", "on_rdflib"])
def test_a_text_parameter_matches_the_stored_text(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    conn: Connection = request.getfixturevalue(which)
    q = question(
        tmp_path, "# title: By label\n# param: name xsd:string = Alice Arden\nSELECT ?e WHERE { ?e rdfs:label ?name }\n"
    )
    assert conn.run(q)["e"].tolist() == ["ent:alice-arden"]
    assert conn.run(q, name="Bob Brook")["e"].tolist() == ["ent:bob-brook"]


# ---------------------------------------------------------------- names


def test_every_label_and_unshared_alias_names_its_entity(local: Connection, curated: Graph) -> None:
    names: dict[str, set[URIRef]] = {}
    for prop in (RDFS.label, KG.alias):
        for entity, label in curated.subject_objects(prop):
            if isinstance(entity, URIRef) and str(entity).startswith(str(ENT)) and "/" not in str(entity)[len(ENT) :]:
                names.setdefault(str(label).lower(), set()).add(entity)
    assert len(names) == 6  # 4 labels, and the aliases Brook and Arden (shared)
    for name, entities in names.items():
        if len(entities) == 1:
            (entity,) = entities
            assert local.resolve(name) == entity
            assert local.resolve(name.upper()) == entity
            assert local.resolve(name.title()) == entity


def test_an_iri_or_a_prefixed_name_is_taken_as_it_is(local: Connection) -> None:
    assert local.resolve(str(ENT["bob-brook"])) == ENT["bob-brook"]
    assert local.resolve("https://example.org/not-in-the-registry") == URIRef("https://example.org/not-in-the-registry")
    assert local.resolve("ent:bob-brook") == ENT["bob-brook"]
    assert local.resolve("ent:nobody-yet") == ENT["nobody-yet"]
    assert local.resolve("kg:Place") == KG.Place
    assert local.resolve("ent:a:b") == URIRef(str(ENT) + "a:b")  # a colon may follow in the local name
    with pytest.raises(InputError, match=r"actor: 'http://x y' is not an IRI: it holds ' '"):
        local.resolve("http://x y", what="actor")


def test_a_name_that_is_not_a_prefixed_name_is_looked_up(local: Connection) -> None:
    for name in ("foo:bar", "ent: Bob Brook", "Atlantis"):
        with pytest.raises(InputError) as info:
            local.resolve(name)
        assert info.value.message == f"no entity is called '{name}'"
        assert info.value.expected == "a label or alias from the registry, or an id such as ent:gustavo-petro"


def test_an_ambiguous_name_lists_its_entities_and_a_class_picks_one(local: Connection) -> None:
    with pytest.raises(InputError) as info:
        local.resolve("arden")
    assert info.value.message == "'arden' names 2 entities: ent:alice-arden, ent:arden-town"
    assert info.value.hint == "pass one of these ids instead"
    assert local.resolve("Arden", within=KG.Place) == ENT["arden-town"]
    assert local.resolve("Arden", within=KG.Person) == ENT["alice-arden"]
    with pytest.raises(InputError) as none:
        local.resolve("Capital City", within=KG.Person)
    assert none.value.message == "no entity of class kg:Person is called 'Capital City'"


def test_an_ambiguous_name_stays_ambiguous_under_a_small_row_limit(store: ox.Store) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InputError, match="names 2 entities"):
            Connection(OxigraphEngine(store), max_rows=1).resolve("Arden")


# ---------------------------------------------------------------- labels


def test_labels_are_the_registrys_labels_and_the_articles_headlines(local: Connection, curated: Graph) -> None:
    expected = {s: str(o) for s, o in curated.subject_objects(RDFS.label) if isinstance(s, URIRef)}
    expected |= {s: str(o) for s, o in curated.subject_objects(SCHEMA.headline) if isinstance(s, URIRef)}
    unnamed = evidence(curated) | {ENT["nobody"]}
    assert local.labels([*expected, *unnamed]) == expected
    assert local.labels([]) == {}
    assert local.labels([ART.t2])[ART.t2] == "A promise broken?"


def test_labels_do_not_depend_on_the_row_limit(store: ox.Store, curated: Graph) -> None:
    expected = {s: str(o) for s, o in curated.subject_objects(SCHEMA.headline) if isinstance(s, URIRef)}
    expected[ENT["alice-arden"]] = "Alice Arden"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert Connection(OxigraphEngine(store), max_rows=2).labels(list(expected)) == expected


# ---------------------------------------------------------------- answers


@pytest.mark.parametrize("which", ["local", "worker", "on_rdflib"])
def test_each_kind_of_answer(which: str, request: pytest.FixtureRequest, curated: Graph) -> None:
    conn: Connection = request.getfixturevalue(which)
    events = {(s, o) for s, o in curated.subject_objects(KG.date)}
    select = conn.execute("SELECT ?e ?d WHERE { ?e kg:date ?d } ORDER BY ?d")
    assert select.kind == "select" and select.variables == ["e", "d"]
    assert set(select.rows) == events
    assert conn.execute("ASK { ?e kg:alias 'Brook' }").boolean is True
    assert conn.execute("ASK { ?e kg:alias 'Nobody' }").boolean is False
    graph = conn.execute("CONSTRUCT { ?e kg:date ?d } WHERE { ?e kg:date ?d }")
    assert graph.kind == "graph" and set(graph.triples) == {(s, KG.date, o) for s, o in events}
    assert conn.query("ASK { ?e kg:alias ?name }", name="Brook") is True
    # an rdflib term is bound as it is (an IRI stays an IRI), any other value as a literal
    bob = ENT["bob-brook"]
    assert conn.query("ASK { ?who kg:alias 'Brook' }", who=bob) is True
    assert conn.query("ASK { ?who kg:alias 'Brook' }", who=str(bob)) is False
    assert set(conn.query("CONSTRUCT { ?e kg:date ?d } WHERE { ?e kg:date ?d }")) == {  # type: ignore[arg-type]
        (s, KG.date, o) for s, o in events
    }
    frame = conn.query("SELECT ?e ?d WHERE { ?e kg:date ?d }")
    assert list(frame.columns) == ["e", "e_label", "d"]  # type: ignore[union-attr]
    labels = {str(s).replace(str(ENT) + "fact/", "fact:"): str(o) for s, o in curated.subject_objects(RDFS.label)}
    assert {(e, label) for e, label in zip(frame["e"], frame["e_label"], strict=True)} <= labels.items()  # type: ignore[index]
    assert {(str(e), d) for e, d in zip(frame["e"], frame["d"], strict=True)} == {  # type: ignore[index]
        (str(s).replace(str(ENT) + "fact/", "fact:"), o.toPython() if isinstance(o, Literal) else o) for s, o in events
    }


@pytest.mark.parametrize("which", ["local", "worker"])
def test_a_trusted_question_is_not_inspected(which: str, request: pytest.FixtureRequest) -> None:
    conn: Connection = request.getfixturevalue(which)
    elsewhere = "SELECT ?s FROM <https://example.org/elsewhere> WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match="is refused"):
        conn.execute(elsewhere)
    assert list(conn.execute(elsewhere, trusted=True).rows) == []
    assert conn.table(elsewhere, trusted=True).rows == []
    with pytest.raises(QueryError, match="is refused"):
        conn.table(elsewhere)


def limited(store: ox.Store, rows: int) -> Connection:
    return Connection(OxigraphEngine(store), max_rows=rows)


def test_rows_past_the_limit_are_cut_unless_every_row_is_wanted(
    store: ox.Store, tiny_root: Path, curated: Graph
) -> None:
    every = sorted(evidence(curated))
    assert len(every) == 4
    ask = "SELECT ?e WHERE { ?e a kg:Evidence } ORDER BY ?e"
    with connect(tiny_root / "build", max_rows=2) as by_worker:
        for conn in (limited(store, 2), by_worker):
            # one row past the limit is read, to know that the result was cut
            assert [row[0] for row in conn.execute(ask).rows] == every[:3]
            assert [row[0] for row in conn.execute(ask, complete=True).rows] == every
            complete = conn.table(ask, complete=True)
            assert ([row[0] for row in complete.rows], complete.truncated) == (every, False)
            with pytest.warns(UserWarning, match=r"^evidence: result cut at 2 rows \(max_rows\)$"):
                cut = conn.table(ask, name="evidence")
            assert ([row[0] for row in cut.rows], cut.truncated) == (every[:2], True)


def test_a_result_exactly_at_the_limit_is_whole(store: ox.Store, curated: Graph) -> None:
    evidences = len(evidence(curated))
    conn = limited(store, evidences)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        whole = conn.table("SELECT ?e WHERE { ?e a kg:Evidence }")
        frame = conn.query("SELECT ?e WHERE { ?e a kg:Evidence }")
        graph = conn.query("CONSTRUCT { ?e a kg:Evidence } WHERE { ?e a kg:Evidence }")
    assert (len(whole.rows), whole.truncated) == (evidences, False)
    assert len(frame) == evidences and frame.attrs["truncated"] is False  # type: ignore[arg-type,union-attr]
    assert len(graph) == evidences  # type: ignore[arg-type]


@pytest.mark.stack
def test_a_graph_past_the_limit_is_cut_with_a_warning_at_the_callers_line(store: ox.Store, curated: Graph) -> None:
    conn = limited(store, len(evidence(curated)) - 1)
    with pytest.warns(UserWarning) as caught:
        graph = conn.query("CONSTRUCT { ?e a kg:Evidence } WHERE { ?e a kg:Evidence }")
    assert [str(w.message) for w in caught] == [f"query: graph cut at {conn.max_rows} triples (max_rows)"]
    assert caught[0].filename == __file__  # the warning points at the caller, not into kg
    assert isinstance(graph, Graph) and len(graph) == conn.max_rows
    with pytest.warns(UserWarning) as rows:
        conn.query("SELECT ?e WHERE { ?e a kg:Evidence }")
    assert [str(w.message) for w in rows] == [f"query: result cut at {conn.max_rows} rows (max_rows)"]
    assert rows[0].filename == __file__


def test_a_table_is_of_a_select_query(local: Connection) -> None:
    with pytest.raises(QueryError) as info:
        local.table("ASK { ?s ?p ?o }", name="probe")
    assert info.value.message == "probe: not a SELECT query"
    assert info.value.expected == "SELECT … WHERE { … }"


# ---------------------------------------------------------------- engines in this process


class Held:
    """An Oxigraph engine that answers once released: a question still being worked on."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.inner = OxigraphEngine(store)
        self.release = threading.Event()

    def execute(self, sparql: str) -> Answer:
        self.release.wait(10)
        return self.inner.execute(sparql)


def test_in_this_process_the_wait_ends_at_the_deadline(store: ox.Store) -> None:
    held = Held(store)
    conn = Connection(held, timeout=0.2)
    try:
        with pytest.raises(QueryError) as info:
            conn.query("SELECT * WHERE { ?s ?p ?o }")
        assert info.value.message == "query: no answer within 0.2 s"
        assert info.value.hint == "narrow the query (a LIMIT, a date range) or raise the timeout (--timeout)"
        # the package's own look-ups say which they are
        with pytest.raises(QueryError, match=r"^resolve: no answer within 0\.2 s"):
            conn.resolve("Brook")
        with pytest.raises(QueryError, match=r"^labels: no answer within 0\.2 s"):
            conn.labels([ENT["bob-brook"]])
    finally:
        held.release.set()
    assert conn.resolve("Brook") == ENT["bob-brook"]  # released, it answers


class Rows:
    """Rows that note the thread that closes them."""

    def __init__(self, rows: Iterator[tuple[Node | None, ...]]) -> None:
        self.rows = rows
        self.closed_in: threading.Thread | None = None

    def __iter__(self) -> Rows:
        return self

    def __next__(self) -> tuple[Node | None, ...]:
        return next(self.rows)

    def close(self) -> None:
        self.closed_in = threading.current_thread()


class Recording(OxigraphEngine):
    """An Oxigraph engine noting its row iterators and the thread that made them."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self.made: list[tuple[Rows, threading.Thread]] = []

    def execute(self, sparql: str) -> Answer:
        answer = super().execute(sparql)
        if answer.kind == "select":
            rows = Rows(answer.rows)
            answer.rows = rows
            self.made.append((rows, threading.current_thread()))
        return answer


def test_an_engines_rows_are_read_and_closed_in_the_thread_that_made_them(store: ox.Store, curated: Graph) -> None:
    engine = Recording(store)
    table = Connection(engine, max_rows=1).table("SELECT ?e WHERE { ?e a kg:Evidence }", complete=True)
    assert {row[0] for row in table.rows} == evidence(curated)
    ((rows, maker),) = engine.made
    assert rows.closed_in is maker
    assert maker is not threading.current_thread()


# ---------------------------------------------------------------- connections


def test_connect_opens_a_build_on_each_engine(tiny_root: Path, store: ox.Store) -> None:
    with connect(tiny_root / "build") as oxigraph:
        assert oxigraph.engine_name == "oxigraph"
        mine = oxigraph.local_store()
        assert isinstance(mine, ox.Store) and len(mine) == len(store)
    with connect(tiny_root / "build", engine="rdflib") as rdflib:
        assert rdflib.engine_name == "rdflib"
        assert rdflib.local_store() is None
    assert Connection(OxigraphEngine(store)).local_store() is store
    with pytest.raises(InputError) as info:
        connect(tiny_root / "build", engine="sqlite")
    assert info.value.message == "unknown engine 'sqlite'"
    assert info.value.expected == "oxigraph or rdflib, or an --endpoint URL"


def test_connect_hands_its_limits_to_the_worker_and_the_endpoint(tiny_root: Path) -> None:
    with connect(tiny_root / "build", memory_mb=None, timeout=7, max_rows=5) as uncapped:
        assert uncapped.worker is not None and uncapped.worker.memory_mb is None
        assert (uncapped.timeout, uncapped.max_rows, uncapped.memory_mb) == (7.0, 5, None)
    with connect(tiny_root / "build", memory_mb=256) as capped:
        assert capped.worker is not None and capped.worker.memory_mb == 256
    url = "http://127.0.0.1:9/sparql"
    with connect(endpoint=url, timeout=5) as remote:  # nothing is sent before a question
        assert remote.source == Source("remote", url, 5)
        assert remote.engine_name == "remote"


# ---------------------------------------------------------------- a query's thread


def test_an_error_in_a_querys_thread_reaches_the_caller_without_the_threads_frames() -> None:
    def work() -> int:
        try:
            {}["missing"]
        except KeyError as cause:
            raise ValueError("the engine failed") from cause
        return 0

    with pytest.raises(ValueError, match="the engine failed") as caught:
        _within(5, work, "q")
    frames = [frame.name for frame in caught.traceback]
    assert "work" not in frames and "target" not in frames  # only the caller's side of the wait
    assert isinstance(caught.value.__cause__, KeyError) and caught.value.__cause__.__traceback__ is None
    assert _within(5, lambda: 42, "q") == 42
