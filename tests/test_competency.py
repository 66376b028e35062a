"""Competency questions: what a reader of the five articles can answer, asked of the graph.

Each expected answer was written by hand from reading the article named in the case,
not copied from the graph. The queries ask about meaning (event type, roles, dates,
figures), so that they hold whatever ids the curators chose for facts.
"""

from __future__ import annotations

import datetime

import pyoxigraph as ox
import pytest

from kg.namespaces import PREFIXES
from kg.query import select


def ask(store: ox.Store, sparql: str) -> bool:
    result = store.query(sparql, prefixes=PREFIXES)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def values(store: ox.Store, sparql: str) -> set[object]:
    frame = select(store, sparql)
    assert [c for c in frame.columns if not c.endswith("_label")] == [frame.columns[0]], "select one column"
    return set(frame.iloc[:, 0])


# (question, article it comes from, ASK query that must be true)
ASKS = [
    (
        "Did Petro meet Trump at the White House on 3 February 2026?",
        "002",
        """ASK { ?m a kg:Event ; kg:eventType kg:CONSULT ; kg:modality kg:Actual ;
                   kg:actor ent:gustavo-petro ; kg:target ent:donald-trump ;
                   kg:date "2026-02-03"^^xsd:date ; kg:place ent:white-house-building }""",
    ),
    (
        "Did the US Treasury's OFAC sanction Petro in October 2025?",
        "004",
        """ASK { ?s kg:eventType kg:SANCTION ; kg:actor ent:ofac ; kg:target ent:gustavo-petro ;
                   kg:date ?d . FILTER (STRSTARTS(STR(?d), "2025-10")) }""",
    ),
    (
        "Were Petro's family members sanctioned too?",
        "004",
        "ASK { ?s kg:eventType kg:SANCTION ; kg:target ent:petro-family ; kg:modality kg:Actual }",
    ),
    (
        "Did Trump call Petro an 'illegal drug leader'?",
        "003",
        """ASK { ?a kg:eventType kg:ACCUSE ; kg:actor ent:donald-trump ; kg:target ent:gustavo-petro ;
                   prov:wasDerivedFrom/kg:quote ?q . FILTER (CONTAINS(?q, "illegal drug leader")) }""",
    ),
    (
        "Did Petro call Trump a 'barbarian'?",
        "001",
        """ASK { ?a kg:eventType kg:ACCUSE ; kg:actor ent:gustavo-petro ; kg:target ent:donald-trump ;
                   prov:wasDerivedFrom/kg:quote ?q . FILTER (CONTAINS(?q, "barbarian")) }""",
    ),
    (
        "Did Sánchez invite Hegseth to visit Colombia?",
        "001",
        """ASK { ?i kg:eventType kg:REQUEST ; kg:actor ent:pedro-sanchez ; kg:target ent:pete-hegseth ;
                   kg:modality kg:Actual }""",
    ),
    (
        "Is Hegseth's reply to the invitation recorded as not having happened (yet)?",
        "001",
        "ASK { ?r kg:actor ent:pete-hegseth ; kg:modality kg:Negated }",
    ),
    (
        "Did Foreign Minister Villavicencio warn the United States against aggression?",
        "001",
        """ASK { ?w kg:eventType kg:THREATEN ; kg:actor ent:rosa-villavicencio ;
                   kg:target ent:united-states }""",
    ),
    (
        "Did Petro refuse deportees from the US in January 2025?",
        "004",
        """ASK { ?r kg:eventType kg:REJECT ; kg:actor ent:gustavo-petro ; kg:date ?d .
                 FILTER (STRSTARTS(STR(?d), "2025-01")) }""",
    ),
    (
        "Did Trump threaten Colombia with tariffs in January 2025?",
        "004",
        """ASK { ?t kg:eventType kg:THREATEN ; kg:actor ent:donald-trump ; kg:target ent:colombia ;
                   kg:date ?d ; prov:wasDerivedFrom/kg:quote ?q .
                 FILTER (STRSTARTS(STR(?d), "2025-01") && CONTAINS(?q, "tariffs")) }""",
    ),
    (
        "Did Petro back down afterwards (concede)?",
        "004",
        "ASK { ?c kg:eventType kg:CONCEDE ; kg:actor ent:gustavo-petro ; kg:modality kg:Actual }",
    ),
    (
        "Did Petro give a speech in New York in September 2025?",
        "004",
        """ASK { ?s kg:actor ent:gustavo-petro ; kg:place ent:new-york ; kg:date ?d .
                 FILTER (STRSTARTS(STR(?d), "2025-09")) }""",
    ),
    (
        "Did Sánchez travel to the United States in January 2026?",
        "000",
        """ASK { ?v kg:eventType kg:CONSULT ; kg:mode kg:visit ; kg:actor ent:pedro-sanchez ;
                   kg:date ?d . FILTER (STRSTARTS(STR(?d), "2026-01")) }""",
    ),
    (
        "Did Petro and Trump speak by phone in early January 2026?",
        "000",
        """ASK { ?c kg:mode kg:phoneCall ; kg:actor|kg:target ent:gustavo-petro ;
                   kg:actor|kg:target ent:donald-trump ; kg:date ?d .
                 FILTER (STRSTARTS(STR(?d), "2026-01")) }""",
    ),
    (
        "Did thousands demonstrate in Plaza Bolívar during the meeting?",
        "003",
        """ASK { ?p kg:eventType kg:PROTEST ; kg:place ent:plaza-bolivar ;
                   kg:date "2026-02-03"^^xsd:date }""",
    ),
    (
        "Does the US designate the ELN as a terrorist organization?",
        "001",
        """ASK { ?r kg:relationType kg:listing ; kg:subject ent:united-states ; kg:object ent:eln ;
                   kg:designation ?d . FILTER (CONTAINS(LCASE(?d), "terrorist")) }""",
    ),
    (
        "Does Petro's term end when his successor takes office on 7 August 2026?",
        "004",
        """ASK { ?t a kg:Tenure ; kg:holder ent:gustavo-petro ; kg:post ent:president-of-colombia ;
                   kg:endDate "2026-08-07"^^xsd:date }""",
    ),
    (
        "Did Washington deny Colombia its anti-drug certification?",
        "003",
        """ASK { ?s kg:eventType kg:SANCTION ; kg:mode kg:decertification ;
                   kg:actor ent:united-states ; kg:target ent:colombia }""",
    ),
    (
        "Is Senator Moreno described as one of Petro's strongest detractors?",
        "003",
        """ASK { ?r kg:relationType kg:opposition ; kg:subject ent:bernie-moreno ;
                   kg:object ent:gustavo-petro }""",
    ),
    (
        "Was Maduro overthrown by a US military operation?",
        "003",
        """ASK { ?o kg:eventType kg:ASSAULT ; kg:actor ent:united-states ;
                   kg:target ent:nicolas-maduro ; kg:modality kg:Actual }""",
    ),
    (
        "Did Trump suggest the US might stage military operations inside Colombia (hypothetical)?",
        "004",
        """ASK { ?o kg:eventType kg:ASSAULT ; kg:modality kg:Hypothetical ; kg:target ?t .
                 VALUES ?t { ent:colombia ent:gustavo-petro } }""",
    ),
    (
        "Was Petro's government willing to engage with the Maduro government?",
        "002",
        """ASK { ?p prov:wasDerivedFrom/kg:inArticle art:002 ; prov:wasDerivedFrom/kg:quote ?q .
                 FILTER (CONTAINS(?q, "engage more openly with the Maduro government")) }""",
    ),
    (
        "Is the 'EFE news agency' the attributed source of Sánchez's Washington agenda?",
        "000",
        """ASK { ?e kg:inArticle art:000 ; kg:attributedTo ent:efe }""",
    ),
]


@pytest.mark.parametrize(("question", "article", "sparql"), ASKS, ids=[q for q, _, _ in ASKS])
def test_ask(store: ox.Store, question: str, article: str, sparql: str) -> None:
    assert ask(store, sparql), f"{question} (article {article})"


def test_us_side_of_the_white_house_meeting(store: ox.Store) -> None:
    # 003: "on the North American side, were Vice President JD Vance, Secretary of State
    # Marco Rubio and Senator Bernie Moreno" — and Trump, the host.
    hosts = values(
        store,
        """SELECT DISTINCT ?who WHERE {
        ?m kg:eventType kg:CONSULT ; kg:date "2026-02-03"^^xsd:date ; kg:actor ent:gustavo-petro ;
           kg:target ?who }""",
    )
    assert {"ent:donald-trump", "ent:jd-vance", "ent:marco-rubio", "ent:bernie-moreno"} <= hosts


def test_colombian_delegation(store: ox.Store) -> None:
    # 003: "Petro was accompanied by Defense Minister Pedro Sánchez, Ambassador Daniel García-Peña"
    visitors = values(
        store,
        """SELECT DISTINCT ?who WHERE {
        ?m kg:eventType kg:CONSULT ; kg:date "2026-02-03"^^xsd:date ; kg:target ent:donald-trump ;
           kg:actor ?who }""",
    )
    assert {"ent:gustavo-petro", "ent:pedro-sanchez", "ent:daniel-garcia-pena"} <= visitors


@pytest.mark.parametrize(
    ("measures", "value", "unit_word"),
    [
        ("troops", 30000, "troop"),  # 001: "Approximately 30,000 troops have been mobilized"
        ("border", 1400, "mile"),  # 001: "the extensive 1,400-mile border with Venezuela"
        ("extradition", 810, "extradition"),  # 003: "810 extraditions have been carried out"
        ("extradition", 760, "extradition"),  # 003: "760 under Iván Duque"
        ("extradition", 751, "extradition"),  # 003: "751 in Álvaro Uribe's second term"
        ("extradition", 724, "extradition"),  # 003: "724 in Juan Manuel Santos' first term"
        ("cocaine", 2800, "ton"),  # 003: "around 2,800 tons of cocaine had been seized"
        ("substitution", 30000, "hectare"),  # 003: "approximately 30 thousand hectares"
        ("trade", 7000000000, "dollar"),  # 004: "more than seven billion dollars"
    ],
)
def test_figures(store: ox.Store, measures: str, value: int, unit_word: str) -> None:
    found = select(
        store,
        """SELECT ?value ?unit ?measures WHERE {
        ?m a kg:Measurement ; kg:value ?value ; kg:unit ?unit ; kg:measures ?measures }""",
    )
    rows = found[(found["value"] == value) & found["unit"].str.lower().str.contains(unit_word)]
    assert not rows.empty, f"no measurement of {value} {unit_word}"
    text = " ".join(rows["measures"]).lower() + " " + " ".join(rows["unit"]).lower()
    assert measures in text


def test_cocaine_seized_is_approximate_and_attributed_to_the_ministry_of_justice(store: ox.Store) -> None:
    # 003: "As of December 31, according to the Colombian Ministry of Justice, around 2,800 tons"
    assert ask(
        store,
        """ASK { ?m kg:value ?v ; kg:valueQualifier kg:Approximate ;
        prov:wasDerivedFrom/kg:attributedTo ent:colombian-ministry-of-justice . FILTER (?v = 2800) }""",
    )


# ---------------------------------------------------------------- what each article says
# Each article's claims are in its own graph (GRAPH ?article); these questions ask who says
# what, and must not take one article's word for another's.

MEETING = "fact:petro-trump-meeting-2026-02-03"


def articles_saying(store: ox.Store, claim: str) -> set[str]:
    """The articles (their numbers) whose own graph states ``claim`` about the meeting."""
    found = values(store, f"SELECT DISTINCT ?article WHERE {{ GRAPH ?article {{ {MEETING} {claim} }} }}")
    return {str(a).removeprefix("art:") for a in found}


def test_articles_reporting_the_white_house_meeting(store: ox.Store) -> None:
    # 000 ("the long-anticipated meeting between Petro and Trump at the White House"), 002,
    # 003 and 004 ("Oval Office visit on February 3") report the meeting; 001 never mentions it.
    assert articles_saying(store, "a kg:Event") == {"000", "002", "003", "004"}


def test_the_articles_that_say_the_meeting_took_place(store: ox.Store) -> None:
    # 002: "Gustavo Petro met with U.S. President Donald Trump at the White House on February 3,
    # 2026"; 003: "met this Tuesday (3) with the President of the United States"
    assert articles_saying(store, "kg:modality kg:Actual") == {"002", "003"}


def test_the_articles_that_anticipate_the_meeting(store: ox.Store) -> None:
    # 000 (13 January): "Three weeks ahead of the long-anticipated meeting"; 004: "Oval Office
    # visit on February 3 comes on the heels of the tensest year" — both written before it
    assert articles_saying(store, "kg:modality kg:Planned") == {"000", "004"}


def test_the_only_article_placing_sanchez_at_the_meeting(store: ox.Store) -> None:
    # 003: "Petro was accompanied by Defense Minister Pedro Sánchez, Ambassador Daniel García-Peña"
    assert articles_saying(store, "kg:actor ent:pedro-sanchez") == {"003"}
    # ... and the US side: "Vice President JD Vance, Secretary of State Marco Rubio and Senator
    # Bernie Moreno"
    for who in ("ent:jd-vance", "ent:marco-rubio", "ent:bernie-moreno"):
        assert articles_saying(store, f"kg:target {who}") == {"003"}, who
    # all four have Petro and Trump face to face
    assert articles_saying(store, "kg:actor ent:gustavo-petro ; kg:target ent:donald-trump") == {
        "000",
        "002",
        "003",
        "004",
    }


def test_the_meeting_is_corroborated_by_two_articles_not_four(store: ox.Store) -> None:
    assert values(store, f"SELECT ?n WHERE {{ {MEETING} kg:actualCount ?n }}") == {2}
    assert values(store, f"SELECT ?n WHERE {{ {MEETING} kg:plannedCount ?n }}") == {2}
    assert values(store, f"SELECT ?n WHERE {{ {MEETING} kg:articleCount ?n }}") == {4}
    # the sanctions on Petro took place according to all three that report them (001, 003, 004);
    # Petro's trip to Washington is "scheduled for the first week of February" in 000, and has
    # happened in 003 ("Before the trip, he called for demonstrations"): one trip, two claims
    counts = """SELECT ?p ?n WHERE {{ {} ?p ?n
                VALUES ?p {{ kg:actualCount kg:plannedCount kg:hypotheticalCount kg:negatedCount }} }}"""
    found = select(store, counts.format("fact:us-sanctions-petro"))
    assert dict(zip(found["p"], found["n"], strict=True)) == {"kg:actualCount": 3}
    found = select(store, counts.format("fact:petro-trip-to-washington-2026-02"))
    assert dict(zip(found["p"], found["n"], strict=True)) == {"kg:plannedCount": 1, "kg:actualCount": 1}


def test_who_says_who_sanctioned_petro(store: ox.Store) -> None:
    # 001: "Donald Trump’s administration, which implemented sanctions against Petro"; 003:
    # "Trump ... imposed sanctions on the Colombian leader"; 004: "the US Treasury Department’s
    # Office of Foreign Assets Control sanctioned Petro and his family"
    said = select(
        store,
        """SELECT ?article ?by WHERE { GRAPH ?article { fact:us-sanctions-petro kg:actor ?by } }""",
    )
    assert set(zip(said["article"], said["by"], strict=True)) == {
        ("art:001", "ent:united-states"),
        ("art:003", "ent:donald-trump"),
        ("art:004", "ent:united-states"),
        ("art:004", "ent:ofac"),
    }
    # the sanction tie from Trump to Petro stands on 003 (and on the visa, 003 and 004), never on 001
    assert not ask(
        store,
        """ASK { ?tie kg:tieFrom ent:donald-trump ; kg:tieTo ent:gustavo-petro ; kg:tieProperty kg:sanctions ;
                   kg:articleCount ?n . FILTER (?n > 2) }""",
    )


def test_article_metadata(store: ox.Store) -> None:
    meta = select(
        store,
        """SELECT ?file ?published ?byline ?outlet WHERE {
        ?a a kg:Article ; kg:sourceFile ?file .
        OPTIONAL { ?a schema:datePublished ?published }
        OPTIONAL { ?a kg:byline ?byline }
        OPTIONAL { ?a kg:outlet ?outlet } } ORDER BY ?file""",
    ).set_index("file")
    assert len(meta) == 5
    first = meta.loc["000_bdb56974d63aa1a5.txt"]
    assert (first["published"], first["byline"]) == (datetime.date(2026, 1, 13), "Josep Freixes")
    third = meta.loc["003_78bcf8b5b94587eb.txt"]
    assert (third["published"], third["outlet"]) == (datetime.date(2026, 2, 4), "vermelho.org.br")
    # 001, 002 and 004 print no date: none may be invented
    for name in ("001_fb9e2e396a99c2c9.txt", "002_abd051de6be29da0.txt", "004_d9f217f239483bd2.txt"):
        assert meta.loc[name]["published"] is None


def test_offices_held(store: ox.Store) -> None:
    posts = select(store, """SELECT ?who ?post WHERE { ?t a kg:Tenure ; kg:holder ?who ; kg:post ?post }""")
    held = set(zip(posts["who"], posts["post"], strict=True))
    assert {
        ("ent:gustavo-petro", "ent:president-of-colombia"),  # all five
        ("ent:donald-trump", "ent:president-of-the-united-states"),
        ("ent:pedro-sanchez", "ent:colombian-minister-of-defence"),  # 000, 001, 003
        ("ent:rosa-villavicencio", "ent:colombian-minister-of-foreign-affairs"),  # 001, 003
        ("ent:marco-rubio", "ent:us-secretary-of-state"),  # 003, 004
        ("ent:pete-hegseth", "ent:us-secretary-of-defense"),  # 001
        ("ent:jd-vance", "ent:vice-president-of-the-united-states"),  # 003
    } <= held


def test_every_article_contributes_facts(store: ox.Store) -> None:
    counts = select(
        store,
        """SELECT ?file (COUNT(DISTINCT ?f) AS ?n) WHERE {
        ?f prov:wasDerivedFrom/kg:inArticle/kg:sourceFile ?file } GROUP BY ?file""",
    )
    assert len(counts) == 5
    assert counts["n"].min() >= 20
