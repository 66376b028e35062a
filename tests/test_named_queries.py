"""The named questions of kg/queries, asked of the seed corpus.

Every expectation below was written by hand from reading the five articles (000 to
004; their texts are in CI's ../shared/seeds); the comment above each one quotes the
sentence that justifies it. Expectations are set inclusions or exact counts on stable
columns (ids of entities, PLOVER types, modes, dates, values, articles), not copies of
the output. Each article's claims are its own: a count of articles counts those that
say the thing asked, and a row cites only the articles that say what it shows.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.namespaces import KG
from kg.query import connect, read_queries, run_named, select

ROOT = Path(__file__).resolve().parent.parent
F000, F001, F002, F003, F004 = (f"art:00{i}" for i in range(5))
ALL_ARTICLES = {F000, F001, F002, F003, F004}
FILES = {
    "000_bdb56974d63aa1a5.txt",
    "001_fb9e2e396a99c2c9.txt",
    "002_abd051de6be29da0.txt",
    "003_78bcf8b5b94587eb.txt",
    "004_d9f217f239483bd2.txt",
}

PETRO = "ent:gustavo-petro"
TRUMP = "ent:donald-trump"
SANCHEZ = "ent:pedro-sanchez"
US = "ent:united-states"
COLOMBIA = "ent:colombia"
FACT_CLASSES = {"kg:Event", "kg:Relation", "kg:Tenure", "kg:Measurement", "kg:Position"}
# What each article says of the White House meeting: 000 (written 13 January: "the
# long-anticipated meeting") and 004 ("Oval Office visit on February 3 comes on the heels of
# the tensest year") anticipate it; 002 ("met with U.S. President Donald Trump at the White
# House on February 3, 2026") and 003 ("met this Tuesday (3)") report it.
MEETING_SAYS = {(F000, "kg:Planned"), (F002, "kg:Actual"), (F003, "kg:Actual"), (F004, "kg:Planned")}

# the questions this file was written for: the six first ones and the ones added with it
OLD = {
    "count-by-article",
    "count-by-class",
    "count-by-event-type",
    "facts-in-several-articles",
    "who-met-whom",
    "who-sanctioned-whom",
}
NEW = {
    "actor-dossier",
    "actors-by-fact-count",
    "article-facts",
    "attributed-quotes",
    "claims-by",
    "conflict-cooperation",
    "conflict-cooperation-directed",
    "contradictions",
    "corroborated-quotes",
    "events-at-place",
    "fact-reports",
    "events-by-type",
    "figures",
    "figures-about",
    "meetings",
    "names-of",
    "not-actual",
    "positions-of",
    "relations-of-type",
    "roles-and-tenures",
    "sanctions-against",
    "strongest-ties",
    "sub-events",
    "timeline",
}


def run(store: ox.Store, name: str, **params: str) -> pd.DataFrame:
    return run_named(store, read_queries()[name], **params)


def rows(frame: pd.DataFrame, *columns: str) -> set[tuple[Any, ...]]:
    """The distinct tuples of ``columns``, missing values as None."""
    return {
        tuple(None if _missing(v) else v for v in values)
        for values in frame[list(columns)].itertuples(index=False, name=None)
    }


def values(store: ox.Store, sparql: str) -> set[Any]:
    return set(select(store, sparql).iloc[:, 0])


def column(frame: pd.DataFrame, name: str) -> set[Any]:
    return {None if _missing(v) else v for v in frame[name]}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def with_quote(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    return frame[frame["quote"].str.contains(text, regex=False)]


def listed(text: Any, separator: str = ", ") -> set[str]:
    """The items of a list a question gives in one cell ("a, b"), none when it is empty."""
    return set() if _missing(text) or not text else set(str(text).split(separator))


def name_of(store: ox.Store, iri: str) -> str:
    """An entity's label, asked of the store apart from the question under test."""
    (label,) = values(store, f"SELECT ?label WHERE {{ {iri} rdfs:label ?label }}")
    return str(label)


def quoting(store: ox.Store, text: str) -> set[str]:
    """The facts an article grounds in a quote containing ``text`` (plain ASCII)."""
    return values(
        store,
        f"""SELECT DISTINCT ?fact WHERE {{ GRAPH ?a {{ ?a a kg:Article . ?fact prov:wasDerivedFrom ?e .
            ?e kg:quote ?q }} FILTER (CONTAINS(?q, "{text}")) }}""",
    )


ROLES = "VALUES ?role { kg:actor kg:target kg:participant kg:subject kg:object kg:holder kg:about kg:claimedBy }"
NUMBERS = {a.removeprefix("art:") for a in ALL_ARTICLES}


# ---------------------------------------------------------------- every question


def test_the_expected_questions_are_there() -> None:
    assert set(read_queries()) >= OLD | NEW


def test_every_question_has_a_header_and_runs_with_its_defaults(store: ox.Store) -> None:
    queries = read_queries()
    for name, q in queries.items():
        assert q.title and q.title != name, f"{name}: no '# title:' line"
        assert q.description, f"{name}: no '# description:' line"
        assert re.search(r"\bORDER\s+BY\b", q.text, re.IGNORECASE), f"{name}: no ORDER BY"
        assert not re.search(r"^\s*PREFIX\b", q.text, re.IGNORECASE | re.MULTILINE), f"{name}: PREFIX line"
        for param in q.params.values():
            assert param.default, f"{name}: parameter {param.name} has no default"
        frame = run_named(store, q)
        assert len(frame) >= 1, f"{name}: no rows with the default parameters"
        # each parameter is returned, first, so that a table says what it answers (the first
        # six questions predate this rule: facts-in-several-articles and who-met-whom do not)
        if name not in OLD:
            plain = [c for c in frame.columns if not c.endswith("_label")]
            assert plain[: len(q.params)] == list(q.params), f"{name}: parameters are not the first columns"


def test_every_question_gives_the_same_rows_in_the_same_order_on_both_engines(built: Path) -> None:
    # Oxigraph and rdflib break ties of an ORDER BY differently, so equal tables mean the
    # order is total (and that the question is portable SPARQL, with bag semantics honoured)
    oxigraph, rdflib = connect(built), connect(built, engine="rdflib")
    for name, q in read_queries().items():
        first = oxigraph.run(q)
        pd.testing.assert_frame_equal(first, rdflib.run(q), check_dtype=False, obj=name)
        # a repeated row is a join that multiplies rows without saying why
        assert not first.duplicated().any(), f"{name}: repeated rows"


# ---------------------------------------------------------------- the six first questions


def test_who_met_whom_on_3_february_2026(store: ox.Store) -> None:
    frame = run(store, "who-met-whom", day="2026-02-03")
    # one row per meeting, its sides listed: the trip to Washington and the meeting itself
    assert frame["fact"].tolist() == ["fact:petro-trip-to-washington-2026-02", "fact:petro-trump-meeting-2026-02-03"]
    meeting = frame.set_index("fact").loc["fact:petro-trump-meeting-2026-02-03"]
    # each name is followed by the articles that give it: 002 ("at the White House") and 003
    assert meeting["places"] == "White House (building) (002, 003)"
    # 003: "Participating in the meeting, on the North American side, were Vice President
    # JD Vance, Secretary of State Marco Rubio and Senator Bernie Moreno" — with Trump, the host;
    # 002 names only the two presidents.
    assert meeting["hosts"] == "Bernie Moreno (003), Donald Trump (002, 003), JD Vance (003), Marco Rubio (003)"
    # 003: "Petro was accompanied by Defense Minister Pedro Sánchez, Ambassador Daniel
    # García-Peña and Foreign Minister Rosa Villavicencio in Colombia" — whether she was at
    # the White House is ambiguous ("in Colombia"), so she may or may not be on the list.
    in_the_room = "Daniel García-Peña (003), Gustavo Petro (002, 003), Pedro Sánchez (003)"
    assert meeting["visitors"] in (in_the_room, in_the_room + ", Rosa Villavicencio (003)")
    # 002 ("met with U.S. President Donald Trump at the White House on February 3, 2026") and
    # 003 ("met this Tuesday (3) ... at the White House") report that Petro met Trump; 000
    # ("the long-anticipated meeting") and 004 ("Oval Office visit on February 3") were
    # written before it and anticipate it; 001 does not mention it.
    assert meeting["articles"] == 2


def test_nobody_met_on_the_day_of_the_hospital_event(store: ox.Store) -> None:
    # 004's photo caption: on January 27, 2026 Petro announced a hospital restoration; no
    # article reports a meeting, visit or call on that day.
    assert run(store, "who-met-whom", day="2026-01-27").empty


def test_who_sanctioned_whom(store: ox.Store) -> None:
    frame = run(store, "who-sanctioned-whom")
    found = rows(frame, "by", "target", "mode")
    assert {
        # 004: "the US Treasury Department’s Office of Foreign Assets Control sanctioned Petro and his family"
        ("ent:ofac", PETRO, "kg:financialSanction"),
        ("ent:ofac", "ent:petro-family", "kg:financialSanction"),
        # 004: "Trump retaliated by revoking visas from several Colombian officials, including Petro"
        (TRUMP, PETRO, "kg:visaRevocation"),
        (TRUMP, "ent:colombian-officials", "kg:visaRevocation"),
        # 003: "Washington had denied Colombia annual certification in anti-drug policy"
        (US, COLOMBIA, "kg:decertification"),
        # 000: "months of strain that at one point escalated to cuts in anti-drug aid"
        (US, COLOMBIA, "kg:aidCut"),
    } <= found
    # 003: Trump "applied restrictions to members of his government and family members"
    assert {(TRUMP, "ent:colombian-officials"), (TRUMP, "ent:petro-family")} <= rows(frame, "by", "target")
    # no article reports Colombia sanctioning the United States
    assert US not in column(frame, "target")
    # the OFAC sanction is dated: 004 "in October" follows "In September 2025"
    ofac = frame[frame["by"] == "ent:ofac"]
    assert column(ofac, "when") == {"2025-10"}  # a month, never "2025-10-01"


def reporting_articles(frame: pd.DataFrame) -> dict[str, set[tuple[str, str]]]:
    """For each fact of facts-in-several-articles, the articles that report it and the modality each gives."""
    found: dict[str, set[tuple[str, str]]] = {}
    for fact, reports in zip(frame["fact"], frame["reports"], strict=True):
        said = (item.split(" ", 1) for item in listed(reports))
        found[fact] = {(f"art:{number}", f"kg:{modality.capitalize()}") for number, modality in said}
    return found


def test_facts_in_several_articles(store: ox.Store) -> None:
    frame = run(store, "facts-in-several-articles", min="2")
    # one row per fact, its articles listed
    assert frame["fact"].is_unique
    counts = dict(zip(frame["fact"], frame["articles"], strict=True))
    says = reporting_articles(frame)
    reported = {fact: {article for article, _ in said} for fact, said in says.items()}
    # the White House meeting: 000 ("the long-anticipated meeting between Petro and Trump at
    # the White House"), 002, 003 and 004 ("Oval Office visit on February 3") report it; only
    # 002 and 003, written after it, report that it took place
    assert counts["fact:petro-trump-meeting-2026-02-03"] == 4
    assert reported["fact:petro-trump-meeting-2026-02-03"] == {F000, F002, F003, F004}
    meeting = frame[frame["fact"] == "fact:petro-trump-meeting-2026-02-03"]
    assert column(meeting, "actual") == {2}
    assert says["fact:petro-trump-meeting-2026-02-03"] == MEETING_SAYS
    # Petro is called President in all five ("President Gustavo Petro" in 000, 001, 002, 004;
    # "the President of Colombia, Gustavo Petro" in 003)
    assert counts["fact:tenure-petro-president"] == 5
    # the sanctions on Petro: 001 ("implemented sanctions against Petro"), 003 ("imposed
    # sanctions on the Colombian leader"), 004 (OFAC)
    assert reported["fact:us-sanctions-petro"] == {F001, F003, F004}
    # the visa: 003 ("revoked his visa") and 004 ("revoking visas ... including Petro")
    assert reported["fact:us-revokes-petro-visa"] == {F003, F004}
    # Sánchez as defence minister: 000, 001 and 003 ("Defense Minister Pedro Sánchez")
    assert reported["fact:tenure-sanchez-defence-minister"] == {F000, F001, F003}
    # Rubio as Secretary of State: 003 and 004
    assert reported["fact:tenure-rubio-secretary-of-state"] == {F003, F004}
    # US military actions in the Caribbean: 000 and 001
    assert reported["fact:us-military-actions-caribbean"] == {F000, F001}
    # the count is the number of reporting articles; the actual ones among them are counted apart
    assert all(counts[fact] == len(articles) for fact, articles in reported.items())
    assert all(n >= 2 for n in frame["articles"])
    actual = {fact: len({a for a, m in said if m == "kg:Actual"}) for fact, said in says.items()}
    assert dict(zip(frame["fact"], frame["actual"], strict=True)) == actual
    order = list(zip(frame["actual"], frame["articles"], strict=True))
    assert order == sorted(order, reverse=True)


def test_facts_in_all_five_articles(store: ox.Store) -> None:
    # only facts all five articles state: Petro's presidency, the Colombia–US alliance
    # (000 "security alliance", 001 "main ally", 002 "longstanding alliance", 003 "number 1
    # ally", 004 "accustomed to close cooperation"), the tension on both sides (000 "months
    # of strain", 001 "tensions surfaced", 002 "several disagreements", 003 "a year of open
    # tension", 004 "the tensest year") and perhaps Trump's presidency (001 only implies it:
    # "Donald Trump’s administration").
    facts = column(run(store, "facts-in-several-articles", min="5"), "fact")
    both = {"fact:tenure-petro-president", "fact:colombia-us-alliance"}
    tension = {"fact:colombia-us-tensions", "fact:us-colombia-tensions"}
    assert both | tension <= facts
    assert facts <= both | tension | {"fact:tenure-trump-president"}


def test_count_by_article(store: ox.Store) -> None:
    frame = run(store, "count-by-article")
    assert set(frame["file"]) == FILES
    assert set(frame["article"]) == ALL_ARTICLES
    published = {f: (None if _missing(d) else d) for f, d in zip(frame["article"], frame["published"], strict=True)}
    # 000: "Written on 01/13/2026"; 003: "Published 02/04/2026"; the others give no date
    assert published == {
        F000: datetime.date(2026, 1, 13),
        F001: None,
        F002: None,
        F003: datetime.date(2026, 2, 4),
        F004: None,
    }
    assert (frame["quotes"] > 0).all() and (frame["facts"] > 0).all()


def test_count_by_class(store: ox.Store) -> None:
    frame = run(store, "count-by-class")
    counts = dict(zip(frame["class"], frame["count"], strict=True))
    assert counts["kg:Article"] == 5
    # the people the articles name: Petro, Trump, Sánchez, Hegseth, Villavicencio, Vance,
    # Rubio, Moreno, García-Peña, Maduro, Duque, Uribe, Santos; and the authors whose own
    # opinions the articles give: Josep Freixes (000's byline) and the unnamed authors of
    # 002 and 004
    assert counts["kg:Person"] == 16
    # Colombia, the United States, Venezuela, and (004) "Cuba, Iran, Russia, and China"
    assert counts["kg:Country"] == 7
    assert all(counts[c] > 0 for c in FACT_CLASSES)


def test_count_by_event_type(store: ox.Store) -> None:
    frame = run(store, "count-by-event-type").set_index("type")
    # sanctions: the aid cut (000), the sanctions on Petro (001/003/004), the visa revocation
    # (003/004), the restrictions on his government and family (003), the decertification (003)
    assert frame.loc["kg:SANCTION", "events"] == 5
    assert frame.loc["kg:SANCTION", "actual"] == 5
    # one protest: 003 "Thousands gathered in Bogotá’s Plaza Bolívar"
    assert frame.loc["kg:PROTEST", "events"] == 1
    # one concession: 004 Petro refused the deportees "only to back down"
    assert frame.loc["kg:CONCEDE", "events"] == 1
    # the ontology's PLOVER scores: ACCUSE is -2 (sign typo of the manual corrected)
    assert frame.loc["kg:ACCUSE", "score"] == -2
    # each event counts in every modality an article gives it: the meeting is actual (002,
    # 003) and planned (000, 004), so CONSULT events count more modalities than events
    parts = frame[["actual", "planned", "hypothetical", "negated"]].sum(axis=1)
    assert (parts >= frame["events"]).all()
    assert parts["kg:CONSULT"] > frame.loc["kg:CONSULT", "events"]


# ---------------------------------------------------------------- 1. an actor's dossier


def test_actor_dossier_of_petro(store: ox.Store) -> None:
    frame = run(store, "actor-dossier", actor=PETRO)
    assert column(frame, "actor") == {PETRO}
    # one row per fact: every fact an article names Petro in, in any role, once
    named = select(
        store,
        f"""SELECT ?fact (COUNT(DISTINCT ?a) AS ?articles) (COUNT(DISTINCT ?e) AS ?quotes) WHERE {{ {ROLES}
            GRAPH ?a {{ ?a a kg:Article . ?fact ?role {PETRO} ; prov:wasDerivedFrom ?e }} }} GROUP BY ?fact""",
    ).set_index("fact")
    assert frame["fact"].is_unique
    assert set(frame["fact"]) == set(named.index)
    by_fact = frame.set_index("fact")
    # the articles that name him in it, and the quotes they give for it, counted apart
    assert by_fact["articles"].to_dict() == named["articles"].to_dict()
    assert by_fact["quotes"].to_dict() == named["quotes"].to_dict()
    assert all(len(listed(c, " ")) == n for c, n in zip(frame["cited"], frame["articles"], strict=True))
    # Petro is named in every article
    assert set().union(*(listed(c, " ") for c in frame["cited"])) == NUMBERS
    # he acts, is acted upon, holds posts and positions, is the subject of figures and claims
    roles = set().union(*(listed(r) for r in frame["roles"]))
    assert {"actor", "target", "holder", "claimed by", "about", "object"} <= roles
    assert column(frame, "class") == FACT_CLASSES
    # 004: "the US Treasury Department’s Office of Foreign Assets Control sanctioned Petro and his family"
    (ofac,) = quoting(store, "Office of Foreign Assets Control") & set(frame["fact"])
    assert listed(by_fact.loc[ofac, "roles"]) == {"target"} and by_fact.loc[ofac, "class"] == "kg:Event"
    assert "004" in listed(by_fact.loc[ofac, "cited"], " ") and "2025-10" in listed(by_fact.loc[ofac, "when"])
    # 000 and 004 anticipate the White House meeting, 002 and 003 report it: one row, both modalities
    meeting = by_fact.loc["fact:petro-trump-meeting-2026-02-03"]
    assert "actor" in listed(meeting["roles"])
    assert listed(meeting["cited"], " ") == {a.removeprefix("art:") for a, _ in MEETING_SAYS}
    assert listed(meeting["modalities"]) == {m.removeprefix("kg:").lower() for _, m in MEETING_SAYS}
    # 002: "met with U.S. President Donald Trump at the White House on February 3, 2026"
    assert "2026-02-03" in listed(meeting["when"])
    # 003: "Petro rated the meeting with a “nine” rating" — his claim, a figure about him
    rating = frame[frame["fact"].isin(quoting(store, "rating")) & (frame["class"] == "kg:Measurement")]
    assert {"claimed by", "about"} <= set().union(*(listed(r) for r in rating["roles"]))
    # 003: "one of Petro’s strongest detractors in the United States"
    (detractor,) = quoting(store, "strongest detractors") & set(frame["fact"])
    assert (by_fact.loc[detractor, "roles"], by_fact.loc[detractor, "class"]) == ("object", "kg:Relation")
    # 004: Trump "suggested that the United States might stage military operations inside
    # Colombia, possibly even targeting Petro" (hypothetical); 003: "not one second" (negated)
    hypothetical = frame[frame["fact"].isin(quoting(store, "might stage military operations"))]
    assert any("hypothetical" in listed(m) for m in hypothetical["modalities"])
    negated = frame[frame["fact"].isin(quoting(store, "not one second"))]
    assert any("negated" in listed(m) for m in negated["modalities"])


def test_actor_dossier_by_alias(store: ox.Store) -> None:
    # "Sanchez" (000's spelling) names the defence minister
    frame = run(store, "actor-dossier", actor="Sanchez")
    assert column(frame, "actor") == {SANCHEZ}
    assert frame["fact"].is_unique
    # 001: "Sánchez has reached out to U.S. Defense Secretary Pete Hegseth"; 000: "embarked
    # on an official trip to the United States"; 003: he accompanied Petro
    assert {"000", "001", "003"} <= set().union(*(listed(c, " ") for c in frame["cited"]))
    assert quoting(store, "reached out to U.S. Defense Secretary Pete Hegseth") & set(frame["fact"])
    assert quoting(store, "embarked on an official trip to the United States") & set(frame["fact"])


# ---------------------------------------------------------------- 2. meetings, any date


def test_meetings(store: ox.Store) -> None:
    frame = run(store, "meetings")
    # one row per meeting, its sides listed
    assert frame["fact"].is_unique
    petro, trump, sanchez, us = (name_of(store, e) for e in (PETRO, TRUMP, SANCHEZ, US))
    sides = [
        (listed(v), listed(h), m, w)
        for v, h, m, w in zip(*(frame[c] for c in ("visitors", "hosts", "mode", "when")), strict=True)
    ]
    # 000: "a phone call between Petro and Trump in early January marked a turning point"
    # ... written on 13 January: January, no later than the 13th, never "2026-01-01"
    assert ({petro}, {trump}, "kg:phoneCall", "2026-01-01/2026-01-13") in sides
    # 000: Sánchez "embarked on an official trip to the United States" (January 2026)
    assert any(sanchez in v and us in h and m == "kg:visit" for v, h, m, _ in sides)
    # 001: "Sánchez has reached out to U.S. Defense Secretary Pete Hegseth"
    hegseth = name_of(store, "ent:pete-hegseth")
    assert any(sanchez in v and hegseth in h for v, h, _, _ in sides)
    # 003: the White House meeting of 3 February 2026 with Vance, Rubio and Moreno
    meeting = frame.set_index("fact").loc["fact:petro-trump-meeting-2026-02-03"]
    us_side = {TRUMP, "ent:jd-vance", "ent:marco-rubio", "ent:bernie-moreno"}
    assert listed(meeting["hosts"]) == {name_of(store, e) for e in us_side}
    assert meeting["when"] == "2026-02-03"
    # 002 and 003 report it as having taken place (000 and 004 anticipate it)
    assert meeting["articles"] == len([a for a, m in MEETING_SAYS if m == "kg:Actual"])
    # not meetings that did not take place: 001 "Hegseth has yet to publicly respond to the
    # invitation" (his visit is only proposed), 000 Petro's trip "scheduled for the first
    # week of February" (planned as of 13 January)
    assert not any(hegseth in v and name_of(store, COLOMBIA) in h for v, h, _, _ in sides)
    assert "fact:001-hegseth-visit-colombia-proposed" not in column(frame, "fact")
    trip = frame[frame["fact"] == "fact:petro-trip-to-washington-2026-02"]
    assert column(trip, "articles") == {1}  # 003's, not 000's
    # in date order (undated first)
    dates = [min(first_day(w) for w in listed(d)) for d in frame["when"] if not _missing(d)]
    assert dates == sorted(dates)


# ---------------------------------------------------------------- 3. sanctions per target


def test_sanctions_against_petro(store: ox.Store) -> None:
    frame = run(store, "sanctions-against", target=PETRO)
    assert column(frame, "target") == {PETRO}
    found = rows(frame, "by", "mode")
    # 004: "the US Treasury Department’s Office of Foreign Assets Control sanctioned Petro"
    assert ("ent:ofac", "kg:financialSanction") in found
    # 003: Trump "revoked his visa"; 004: "Trump retaliated by revoking visas ... including Petro"
    assert (TRUMP, "kg:visaRevocation") in found
    # nothing else is aimed at Petro himself: the aid cut (000) and the decertification (003)
    # hit Colombia, the restrictions (003) "members of his government and family members"
    assert column(frame, "mode") == {"kg:financialSanction", "kg:visaRevocation"}
    # all of them happened
    assert column(frame, "modality") == {"kg:Actual"}
    # 004: "in October" (2025)
    assert column(frame[frame["by"] == "ent:ofac"], "when") == {"2025-10"}
    # the visa revocation: 003 and 004, one row for each time they give it
    assert frame[frame["mode"] == "kg:visaRevocation"]["articles"].sum() == 2
    # a label or alias works as the parameter
    assert run(store, "sanctions-against", target="Petro").equals(frame)


def test_sanctions_against_others(store: ox.Store) -> None:
    family = run(store, "sanctions-against", target="ent:petro-family")
    # 004: OFAC "sanctioned Petro and his family"; 003: Trump "applied restrictions to ... family members"
    assert {"ent:ofac", TRUMP} <= column(family, "by")
    colombia = run(store, "sanctions-against", target=COLOMBIA)
    # 000: "cuts in anti-drug aid"; 003: "Washington had denied Colombia annual certification"
    assert {(US, "kg:aidCut"), (US, "kg:decertification")} <= rows(colombia, "by", "mode")
    # no article reports sanctions against the United States
    assert run(store, "sanctions-against", target=US).empty


# ---------------------------------------------------------------- 4. timeline


def first_day(when: str) -> datetime.date:
    """The first day an EDTF date or interval allows (its last, when it is open at the start)."""
    start, _, end = when.partition("/")
    if start != "..":
        return datetime.date.fromisoformat({4: start + "-01-01", 7: start + "-01"}.get(len(start), start))
    if len(end) == 10:
        return datetime.date.fromisoformat(end)
    if len(end) == 4:
        return datetime.date(int(end), 12, 31)
    following = datetime.date.fromisoformat(end + "-28") + datetime.timedelta(days=4)
    return following - datetime.timedelta(days=following.day)  # the month's last day


def test_timeline_lists_each_event_once_in_order(store: ox.Store) -> None:
    frame = run(store, "timeline")
    assert frame["fact"].is_unique
    starts = [first_day(min(w.split(" · "), key=first_day)) for w in frame["when"]]
    assert starts == sorted(starts)
    assert all(start <= datetime.date(2026, 12, 31) for start in starts)
    found = rows(frame, "fact", "type", "when")
    # 004: "In January 2025, Petro refused to accept deportees from the United States" — a
    # month, written as one
    assert ("fact:004-petro-refuses-deportees", "kg:REJECT", "2025-01") in found
    # 004: "only to back down after US President Donald Trump threatened to levy crippling tariffs"
    january_2025 = frame[frame["when"] == "2025-01"]
    assert {"kg:REJECT", "kg:THREATEN", "kg:CONCEDE"} <= column(january_2025, "type")
    # 004's photo caption: "on January 27, 2026" — a day
    assert column(frame[frame["when"] == "2026-01-27"], "type") == {"kg:AGREE"}
    # the meeting once, with the time each article gives: 002 "February 3, 2026", 003 "this
    # Tuesday (3)", 004 "February 3" (ahead of the visit); 000, three weeks before it, gives
    # only "the first week of February" for the trip: 1 to 7 February
    meeting = frame[frame["fact"] == "fact:petro-trump-meeting-2026-02-03"]
    assert len(meeting) == 1
    assert set(meeting["when"].iloc[0].split(" · ")) == {"2026-02-01/2026-02-07", "2026-02-03"}
    assert set(meeting["modalities"].iloc[0].split(" · ")) == {"actual", "planned"}
    assert meeting["articles"].iloc[0] == "000 002 003 004"


def test_an_event_known_only_by_bounds_is_on_the_timeline(store: ox.Store) -> None:
    # 004, written before the 3 February visit: "last month, Trump suggested that the United
    # States might stage military operations inside Colombia" — December 2025 or January
    # 2026; 003 reports the same suggestion "after the US military operation that overthrew
    # Nicolás Maduro", before the meeting. One event, two articles, on the timeline of January.
    frame = run(store, "timeline", **{"from": "2026-01-01", "to": "2026-01-31"})
    threat = frame[frame["fact"] == "fact:trump-suggests-military-action-against-colombia"]
    assert len(threat) == 1
    assert threat["articles"].iloc[0] == "003 004"
    assert "2025-12/2026-01" in threat["when"].iloc[0].split(" · ")
    # and not on the timeline after the meeting, which neither article's bounds reach
    later = run(store, "timeline", **{"from": "2026-02-03", "to": "2026-12-31"})
    assert "fact:trump-suggests-military-action-against-colombia" not in set(later["fact"])


def test_timeline_september_and_october_2025(store: ox.Store) -> None:
    frame = run(store, "timeline", **{"from": "2025-09-01", "to": "2025-10-31"})
    # 004: "In September 2025, Petro made an outrageous speech in New York" and "in October,
    # the US Treasury Department’s Office of Foreign Assets Control sanctioned Petro"; "Trump
    # retaliated by revoking visas" — after the speech, so from September 2025 on
    found = rows(frame, "fact", "type")
    assert {
        ("fact:004-petro-new-york-speech", "kg:REQUEST"),
        ("fact:us-sanctions-petro", "kg:SANCTION"),
        ("fact:us-revokes-petro-visa", "kg:SANCTION"),
    } <= found
    speech = frame[frame["fact"] == "fact:004-petro-new-york-speech"]
    assert column(speech, "when") == {"2025-09"}
    # events dated to a day or a month outside the range are not there: the meeting, the
    # January 2025 deportation dispute
    assert "fact:petro-trump-meeting-2026-02-03" not in column(frame, "fact")
    assert "fact:004-petro-refuses-deportees" not in column(frame, "fact")
    assert column(frame, "from") == {datetime.date(2025, 9, 1)}
    assert column(frame, "to") == {datetime.date(2025, 10, 31)}


def test_timeline_of_the_meeting_day(store: ox.Store) -> None:
    frame = run(store, "timeline", **{"from": "2026-02-03", "to": "2026-02-03"})
    # the meeting, and 003: "Thousands gathered in Bogotá’s Plaza Bolívar while the meeting took place"
    assert {"kg:CONSULT", "kg:PROTEST"} <= column(frame, "type")
    assert "fact:petro-trump-meeting-2026-02-03" in column(frame, "fact")
    # nothing dated to another day is listed
    for when in frame["when"]:
        days = [w for w in when.split(" · ") if len(w) == 10]
        assert not days or "2026-02-03" in days or "/" in when, when


def test_no_output_shows_a_month_or_a_year_as_a_day(store: ox.Store) -> None:
    # every fact a curated file dates to a month or a year, with no bound of its own, is
    # written "2026-01" or "2025" in the article's graph, never as the first day
    curated = Graph()
    for path in sorted((ROOT / "data" / "articles").glob("*.ttl")):
        curated.parse(path)
    checked = 0
    for fact, date, precision in curated.query(
        """SELECT ?f ?d ?p WHERE { ?f kg:date ?d ; kg:datePrecision ?p
           FILTER NOT EXISTS { ?f kg:endDate ?e } FILTER NOT EXISTS { ?f kg:earliestDate ?x }
           FILTER NOT EXISTS { ?f kg:latestDate ?y } FILTER (?p != kg:Day) }""",
        initNs={"kg": KG},
    ):
        width = 7 if precision == KG.Month else 4
        said = values(
            store,
            f'SELECT ?w WHERE {{ GRAPH ?g {{ <{fact}> kg:when ?w ; kg:date ?d }} FILTER (?d = "{date}"^^xsd:date) }}',
        )
        assert said == {str(date)[:width]}, (fact, said)
        checked += 1
    assert checked >= 10


# ---------------------------------------------------------------- 5. roles and tenures


def test_roles_and_tenures(store: ox.Store) -> None:
    frame = run(store, "roles-and-tenures")
    held = rows(frame, "holder", "post")
    assert {
        (PETRO, "ent:president-of-colombia"),  # "President Gustavo Petro" (all five)
        (TRUMP, "ent:president-of-the-united-states"),  # "U.S. President Donald Trump" (000, 002, 004)
        (SANCHEZ, "ent:colombian-minister-of-defence"),  # "Colombia’s Minister of Defense, Pedro Sanchez" (000)
        ("ent:rosa-villavicencio", "ent:colombian-minister-of-foreign-affairs"),  # "Colombian Foreign Minister" (001)
        ("ent:pete-hegseth", "ent:us-secretary-of-defense"),  # "U.S. Defense Secretary Pete Hegseth" (001)
        ("ent:jd-vance", "ent:vice-president-of-the-united-states"),  # "Vice President JD Vance" (003)
        ("ent:marco-rubio", "ent:us-secretary-of-state"),  # "Secretary of State Marco Rubio" (003, 004)
        ("ent:bernie-moreno", "ent:us-senator"),  # "Senator Bernie Moreno" (003)
        ("ent:daniel-garcia-pena", "ent:colombian-ambassador"),  # "Ambassador Daniel García-Peña" (003)
    } <= held
    # 003 compares Petro's government with "previous governments: 760 under Iván Duque, 751 in
    # Álvaro Uribe’s second term and 724 in Juan Manuel Santos’ first term"
    presidents = {h for h, p in held if p == "ent:president-of-colombia"}
    assert presidents == {PETRO, "ent:ivan-duque", "ent:alvaro-uribe", "ent:juan-manuel-santos"}
    # 004: Petro "is term-limited"; his successor "will take office on August 7" (2026)
    # only 004 gives the end; the four others report the presidency without it
    # 001: tensions "following the election of President Gustavo Petro in 2022": in office
    # from 2022 on; the three others give no dates
    petro = frame[(frame["holder"] == PETRO) & (frame["post"] == "ent:president-of-colombia")]
    assert rows(petro, "when", "articles") == {("../2026-08-07", 1), ("2022/..", 1), (None, 3)}
    # the post belongs to Colombia
    assert column(petro, "postIn") == {COLOMBIA}


# ---------------------------------------------------------------- 6. figures


def test_figures(store: ox.Store) -> None:
    frame = run(store, "figures")
    # 003: "810 extraditions have been carried out — a higher number than that recorded in
    # previous governments: 760 under Iván Duque, 751 in Álvaro Uribe’s second term and 724
    # in Juan Manuel Santos’ first term"
    extraditions = frame[frame["unit"] == "extraditions"]
    assert set(extraditions["value"]) == {810, 760, 751, 724}
    assert extraditions["fact"].nunique() == 4
    assert column(extraditions, "qualifier") == {"kg:Exact"}
    assert column(extraditions, "article") == {F003}
    figures = rows(frame, "value", "unit", "qualifier", "article")
    assert {
        # 003: "around 2,800 tons of cocaine had been seized"
        (2800, "tons", "kg:Approximate", F003),
        # 003: "approximately 30 thousand hectares registered"
        (30000, "hectares", "kg:Approximate", F003),
        # 001: "Approximately 30,000 troops have been mobilized to secure the extensive 1,400-mile border"
        (30000, "troops", "kg:Approximate", F001),
        (1400, "miles", "kg:Exact", F001),
        # 004: "two-way trade between those two nations peaked at more than seven billion dollars"
        (7_000_000_000, "US dollars", "kg:MoreThan", F004),
    } <= figures
    # 003: "As of December 31" (2025, before publication on 4 February 2026)
    cocaine = frame[frame["unit"] == "tons"]
    assert column(cocaine, "when") == {"2025-12-31"}
    assert not with_quote(cocaine, "2,800 tons of cocaine").empty
    # 004: "In 2008"
    assert column(frame[frame["unit"] == "US dollars"], "when") == {"2008"}


def test_figures_about(store: ox.Store) -> None:
    colombia = run(store, "figures-about", about=COLOMBIA)
    assert column(colombia, "about") == {COLOMBIA}
    assert {810, 2800, 30000, 7_000_000_000} <= column(colombia, "value")
    # 003: "Data presented by the Colombian government indicate ... 810 extraditions"
    assert (810, COLOMBIA) in rows(colombia, "value", "claimedBy")
    # 003: "according to the Colombian Ministry of Justice, around 2,800 tons of cocaine"
    assert (2800, "ent:colombian-ministry-of-justice") in rows(colombia, "value", "claimedBy")
    # each former president has exactly one figure: his extraditions (003)
    for president, value in (("ent:ivan-duque", 760), ("ent:alvaro-uribe", 751), ("ent:juan-manuel-santos", 724)):
        frame = run(store, "figures-about", about=president)
        assert rows(frame, "value", "unit") == {(value, "extraditions")}, president


# ---------------------------------------------------------------- 7. corroboration


def test_corroborated_quotes(store: ox.Store) -> None:
    frame = run(store, "corroborated-quotes", min="2")
    assert column(frame, "min") == {2}
    assert (frame["actual"] >= 2).all()
    # the corroboration is the number of articles that report the fact as actual
    actual = frame[frame["modality"] == "kg:Actual"].groupby("fact")["article"].nunique()
    assert actual.equals(frame.groupby("fact")["actual"].first())
    meeting = frame[frame["fact"] == "fact:petro-trump-meeting-2026-02-03"]
    # two articles report that it took place (002, 003); 000 and 004 anticipate it: their
    # quotes are there, side by side, marked as planned
    assert column(meeting, "actual") == {2}
    assert rows(meeting, "article", "modality") == MEETING_SAYS
    by_article = defaultdict(set)
    for article, quote in rows(meeting, "article", "quote"):
        by_article[article].add(quote)
    # each article's own words for the meeting
    assert any("on February 3, 2026" in q for q in by_article[F002])
    assert any("this Tuesday (3)" in q for q in by_article[F003])
    assert any("Oval Office visit on February 3" in q for q in by_article[F004])
    assert any("meeting that, in official discourse" in q for q in by_article[F000])
    # the sanctions on Petro, in 001, 003 and 004
    sanctions = frame[frame["fact"] == "fact:us-sanctions-petro"]
    assert column(sanctions, "article") == {F001, F003, F004}
    assert column(with_quote(sanctions, "Office of Foreign Assets Control"), "article") == {F004}


def test_corroborated_quotes_three_or_more(store: ox.Store) -> None:
    frame = run(store, "corroborated-quotes", min="3")
    assert (frame["actual"] >= 3).all()
    # the visa revocation is in two articles only (003, 004); the meeting took place
    # according to two (002, 003), however many anticipated it
    assert "fact:us-revokes-petro-visa" not in column(frame, "fact")
    assert "fact:petro-trump-meeting-2026-02-03" not in column(frame, "fact")
    assert "fact:us-sanctions-petro" in column(frame, "fact")


# ---------------------------------------------------------------- 8. contradictions


def test_contradictions(store: ox.Store) -> None:
    frame = run(store, "contradictions")
    # each pair of linked facts once
    linked = frame[frame["property"] == "kg:contradicts"]
    pairs = rows(linked, "fact", "otherFact")
    assert not any((b, a) in pairs for a, b in pairs)
    # 003: Trump said they were "also working on other things, including sanctions", while
    # Petro "did not dedicate “not one second” to discussing the sanctions"; 003 again: "Foreign
    # Minister Rosa Villavicencio in Colombia": she went with Petro, or stayed home
    assert pairs == {
        ("fact:003-petro-says-sanctions-not-discussed", "fact:003-trump-says-sanctions-discussed"),
        ("fact:003-villavicencio-absent-from-meeting", "fact:003-villavicencio-accompanies-petro"),
    }
    assert rows(linked, "statedIn", "otherStatedIn") == {("003", "003")}
    # the articles that report the White House meeting disagree on whether it took place:
    # 002 and 003 report it, 000 and 004 (written before) anticipate it
    meeting = frame[frame["fact"] == "fact:petro-trump-meeting-2026-02-03"]
    assert rows(meeting[meeting["property"] == "kg:modality"], "value", "statedIn", "otherValue", "otherStatedIn") == {
        ("kg:Actual", "002 003", "kg:Planned", "000 004")
    }
    # and on who was in the room: only 003 names the ministers and the US officials
    assert rows(meeting[meeting["property"].isin(["kg:actor", "kg:target"])], "property", "value", "statedIn") == {
        ("kg:actor", SANCHEZ, "003"),
        ("kg:actor", "ent:daniel-garcia-pena", "003"),
        ("kg:target", "ent:jd-vance", "003"),
        ("kg:target", "ent:marco-rubio", "003"),
        ("kg:target", "ent:bernie-moreno", "003"),
    }
    assert column(meeting[meeting["property"] == "kg:actor"], "otherStatedIn") == {"000 002 004"}
    # 000 dates it to February (month) and the others to 3 February: not a disagreement
    assert meeting[meeting["property"] == "kg:date"].empty
    # the sanctions on Petro: 001 names the US, 003 Trump, 004 the US and OFAC
    sanctions = frame[frame["fact"] == "fact:us-sanctions-petro"]
    assert rows(sanctions[sanctions["property"] == "kg:actor"], "value", "statedIn", "otherStatedIn") == {
        (US, "001 004", "003"),
        (TRUMP, "003", "001 004"),
        ("ent:ofac", "004", "001 003"),
    }
    # and they do not disagree on when: 004 "in October" (2025), 001 after Petro's election
    # "in 2022", 003 before the meeting ("After months of public accusations, sanctions and
    # threats"): October 2025 fits all three
    assert sanctions[sanctions["property"] == "kg:date"].empty
    # a date one article gives and the others reporting the fact do not is listed, at the
    # precision given: 000 writes on 13 January of US "military actions ... in the Caribbean"
    caribbean = frame[(frame["fact"] == "fact:us-military-actions-caribbean") & (frame["property"] == "kg:date")]
    assert rows(caribbean, "value", "statedIn", "otherStatedIn") == {("../2026-01-13", "000", "001")}


# ---------------------------------------------------------------- 9. conflict and cooperation


def test_conflict_cooperation_per_pair(store: ox.Store) -> None:
    frame = run(store, "conflict-cooperation")
    assert (frame["a"] < frame["b"]).all()
    assert frame[["a", "b"]].duplicated().sum() == 0
    assert ((frame["cooperative"] + frame["conflictual"]) <= frame["events"]).all()
    pairs = frame.set_index(["a", "b"])
    # 004: OFAC's one act, the sanction (PLOVER SANCTION, -6)
    assert tuple(pairs.loc[(PETRO, "ent:ofac"), ["events", "total", "cooperative", "conflictual"]]) == (1, -6, 0, 1)
    # 004: Petro's only act toward the US troops, calling on them to ignore Trump's orders
    # (a REQUEST: 0, neither cooperative nor conflictual)
    assert tuple(pairs.loc[(PETRO, "ent:us-military"), ["events", "total", "cooperative", "conflictual"]]) == (
        1,
        0,
        0,
        0,
    )
    # Petro and Trump: insults both ways (001 "barbarian", 003 "illegal drug leader") and a
    # phone call and a meeting (000, 002, 003)
    petro_trump = pairs.loc[(TRUMP, PETRO)]
    assert petro_trump["conflictual"] >= 2 and petro_trump["cooperative"] >= 3
    # Colombia and the US: cuts in aid, decertification, threats — and decades of cooperation
    colombia_us = pairs.loc[(COLOMBIA, US)]
    assert colombia_us["conflictual"] >= 2 and colombia_us["cooperative"] >= 2
    assert list(frame["total"]) == sorted(frame["total"])


def test_conflict_cooperation_directed(store: ox.Store) -> None:
    frame = run(store, "conflict-cooperation-directed")
    pairs = frame.set_index(["from", "to"])
    assert tuple(pairs.loc[("ent:ofac", PETRO), ["events", "total"]]) == (1, -6)
    # 001: Sánchez reached out to Hegseth and invited him; nothing hostile ("He is a soldier
    # and I’m a soldier")
    sanchez = pairs.loc[(SANCHEZ, "ent:pete-hegseth")]
    assert sanchez["cooperative"] >= 1 and sanchez["conflictual"] == 0
    # 001: Hegseth "has yet to publicly respond": no actual event from him
    assert "ent:pete-hegseth" not in column(frame, "from")
    # 001: "Petro referred to Trump as a “barbarian”"; 000: "harsh exchanges of statements"
    assert pairs.loc[(PETRO, TRUMP), "conflictual"] >= 2
    # the undirected table is the sum of both directions
    undirected = run(store, "conflict-cooperation").set_index(["a", "b"])
    for (a, b), row in undirected.iterrows():
        parts = [pairs.loc[key] for key in ((a, b), (b, a)) if key in pairs.index]
        assert row["events"] == sum(p["events"] for p in parts), (a, b)
        assert row["total"] == pytest.approx(sum(p["total"] for p in parts)), (a, b)


def test_strongest_ties(store: ox.Store) -> None:
    frame = run(store, "strongest-ties")
    ties = frame.set_index(["from", "edge", "to"])
    # insults both ways: 001 "barbarian" and 003 "illegal drug leader"
    assert (PETRO, "kg:accuses", TRUMP) in ties.index
    assert (TRUMP, "kg:accuses", PETRO) in ties.index
    # 004: OFAC sanctioned Petro, once (a financial sanction: PLOVER SANCTION, -6)
    assert tuple(ties.loc[("ent:ofac", "kg:sanctions", PETRO), ["facts", "weight"]]) == (1, -6)
    # ... "in October" (2025, after "In September 2025"): first and last at month precision
    assert tuple(ties.loc[("ent:ofac", "kg:sanctions", PETRO), ["first", "last"]]) == ("2025-10", "2025-10")
    # Trump's sanctions on Petro begin no earlier than the visas he revoked after Petro's
    # September 2025 speech (004), and end by 3 February 2026 (004, written before the visit)
    assert tuple(ties.loc[(TRUMP, "kg:sanctions", PETRO), ["first", "last"]]) == ("2025-09", "2026-02-03")
    # 001: "Sánchez has reached out to U.S. Defense Secretary Pete Hegseth": a consultation of
    # no particular mode, so its score is CONSULT's own, 2.5
    assert tuple(ties.loc[(SANCHEZ, "kg:metWith", "ent:pete-hegseth"), ["facts", "articles", "weight"]]) == (1, 1, 2.5)
    # the alliance is in all five articles
    assert ties.loc[(COLOMBIA, "kg:alliedWith", US), "articles"] == 5
    assert list(frame["facts"]) == sorted(frame["facts"], reverse=True)


# ---------------------------------------------------------------- sources and claims


def test_attributed_quotes(store: ox.Store) -> None:
    frame = run(store, "attributed-quotes")
    found = rows(frame, "source", "article")
    assert {
        ("ent:efe", F000),  # 000: "according to EFE news agency"
        ("ent:britpanorama", F001),  # 001: "reports BritPanorama"
        ("ent:colombian-ministry-of-justice", F003),  # 003: "according to the Colombian Ministry of Justice"
        (COLOMBIA, F003),  # 003: "Data presented by the Colombian government"
    } <= found
    efe = frame[frame["source"] == "ent:efe"]
    assert not with_quote(efe, "Sanchez has scheduled a series of meetings").empty
    assert column(efe, "attribution") == {"according to EFE news agency"}
    justice = frame[frame["source"] == "ent:colombian-ministry-of-justice"]
    assert "fact:003-cocaine-seized" in column(justice, "fact")


def test_claims_by(store: ox.Store) -> None:
    trump = run(store, "claims-by", actor=TRUMP)
    assert column(trump, "actor") == {TRUMP}
    # 003: "Trump replied: “We worked on it and we got along very well.”" and "also working
    # on other things, including sanctions"; 004: Trump "suggested that the United States
    # might stage military operations inside Colombia" (a hypothetical he claims)
    assert not with_quote(trump, "we got along very well").empty
    assert not with_quote(trump, "including sanctions").empty
    assert column(with_quote(trump, "might stage military operations"), "modality") == {"kg:Hypothetical"}
    petro = run(store, "claims-by", actor="Petro")
    # 003: "not one second"; "Petro rated the meeting with a “nine” rating"; "eradication must be manual"
    assert column(with_quote(petro, "not one second"), "modality") == {"kg:Negated"}
    assert "kg:Measurement" in column(with_quote(petro, "rating"), "class")
    assert "kg:Position" in column(with_quote(petro, "eradication must be manual"), "class")
    assert column(petro, "article") <= ALL_ARTICLES
    # each actor's claims only: Petro's "not one second" is not Trump's, Trump's words not Petro's
    assert with_quote(trump, "not one second").empty
    assert with_quote(petro, "we got along very well").empty


def test_article_facts(store: ox.Store) -> None:
    frame = run(store, "article-facts", article="art:001")
    assert column(frame, "article") == {"art:001"}
    # 001 reports every kind of fact: posts ("Colombian Foreign Minister Rosa Villavicencio"),
    # a figure ("Approximately 30,000 troops"), a relation ("the U.S. designates as a
    # terrorist organization"), a position ("The enemies are the criminals, not the nations")
    # and events ("referred to Trump as a “barbarian”")
    assert column(frame, "class") == FACT_CLASSES
    assert "kg:Event" in column(with_quote(frame, "barbarian"), "class")
    assert "kg:Measurement" in column(with_quote(frame, "30,000 troops"), "class")
    assert "kg:Relation" in column(with_quote(frame, "terrorist organization"), "class")
    # 001: "Hegseth has yet to publicly respond to the invitation."
    assert "kg:Negated" in column(with_quote(frame, "yet to publicly respond"), "modality")
    # 001 does not mention the White House meeting
    assert "fact:petro-trump-meeting-2026-02-03" not in column(frame, "fact")
    # 004 reports it, and OFAC
    art004 = run(store, "article-facts", article="art:004")
    assert "fact:petro-trump-meeting-2026-02-03" in column(art004, "fact")
    assert not with_quote(art004, "Office of Foreign Assets Control").empty


def test_not_actual(store: ox.Store) -> None:
    frame = run(store, "not-actual")
    assert column(frame, "modality") == {"kg:Planned", "kg:Hypothetical", "kg:Negated"}
    found = rows(frame, "fact", "modality")
    assert {
        # 000: Petro's trip "scheduled for the first week of February"
        ("fact:petro-trip-to-washington-2026-02", "kg:Planned"),
        # 001: inviting Hegseth "to visit Colombia" — "Hegseth has yet to publicly respond"
        ("fact:001-hegseth-visit-colombia-proposed", "kg:Hypothetical"),
        ("fact:001-hegseth-no-response", "kg:Negated"),
        # 003: "but without announcing concrete agreements"
        ("fact:003-no-concrete-agreements", "kg:Negated"),
    } <= found
    # 004: "the United States might stage military operations inside Colombia": claimed by Trump
    assert (
        "kg:Hypothetical",
        "kg:ASSAULT",
        TRUMP,
    ) in rows(frame, "modality", "type", "claimedBy")
    # the meeting is here as the two articles written before it anticipate it (000 "the
    # long-anticipated meeting", 004 "Oval Office visit on February 3"), not as 002 and 003 report it
    meeting = frame[frame["fact"] == "fact:petro-trump-meeting-2026-02-03"]
    assert rows(meeting, "article", "modality") == {(F000, "kg:Planned"), (F004, "kg:Planned")}


def test_positions_of(store: ox.Store) -> None:
    petro = run(store, "positions-of", holder=PETRO)
    assert column(petro, "holder") == {PETRO}
    assert column(petro, "fact").isdisjoint({None})
    stances = " | ".join(petro["stance"]).lower()
    # 003: "eradication must be manual and carried out by the farmers themselves"
    assert "manual" in stances
    # 003: "cooperation must focus on organized crime structures"
    assert "organised crime" in stances or "organized crime" in stances
    # 004: "Petro is now willing to use force against illegal armed groups"
    assert "force" in stances
    # 003: "he would go to the White House to “defend the nation”"
    assert "defend the nation" in stances
    # 001: Villavicencio asserted "that Colombia’s military would defend its sovereignty"
    villavicencio = run(store, "positions-of", holder="ent:rosa-villavicencio")
    assert "sovereignty" in " ".join(villavicencio["stance"]).lower()
    # 003: "Moreno warned that the future of the bilateral relationship would depend on the
    # total eradication of coca cultivation"
    moreno = run(store, "positions-of", holder="Moreno")
    assert "eradication" in " ".join(moreno["stance"]).lower()
    # Moreno, "one of Petro’s strongest detractors", shares none of Petro's positions
    assert column(moreno, "fact").isdisjoint(column(petro, "fact"))
    assert column(moreno, "holder") == {"ent:bernie-moreno"}


def test_relations_of_type(store: ox.Store) -> None:
    opposition = run(store, "relations-of-type", type="kg:opposition")
    found = rows(opposition, "subject", "object")
    # 003: Moreno, "one of Petro’s strongest detractors"; 002: "the more confrontational
    # posture the U.S. maintained" toward "the Maduro government"
    assert {("ent:bernie-moreno", PETRO), (US, "ent:maduro-government")} <= found
    # 001: "the ELN, which the U.S. designates as a terrorist organization" — only the US designates
    listing = run(store, "relations-of-type", type="kg:listing")
    assert (US, "ent:eln", "terrorist organization") in rows(listing, "subject", "object", "designation")
    assert column(listing, "subject") == {US}
    # 001: "Sánchez asserted that Colombia is the U.S.’s main ally"; 003: García-Peña's folder
    # "Colombia, America’s number 1 ally against narcoterrorism"
    alliance = run(store, "relations-of-type", type="kg:alliance")
    assert column(alliance, "type") == {"kg:alliance"}
    assert {(COLOMBIA, US, SANCHEZ), (COLOMBIA, US, "ent:daniel-garcia-pena")} <= rows(
        alliance, "subject", "object", "claimedBy"
    )


def test_actors_by_fact_count(store: ox.Store) -> None:
    frame = run(store, "actors-by-fact-count")
    # the four protagonists of all five articles come first
    assert set(frame["actor"].head(4)) == {PETRO, TRUMP, COLOMBIA, US}
    articles = dict(zip(frame["actor"], frame["articles"], strict=True))
    assert articles[PETRO] == articles[TRUMP] == 5
    # Hegseth is only in 001, and so is everything he takes part in
    assert articles["ent:pete-hegseth"] == 1
    # Vance is named once, in 003: "Participating in the meeting, on the North American side,
    # were Vice President JD Vance": his post and the meeting. The three other articles that
    # report the meeting do not name him.
    facts = dict(zip(frame["actor"], frame["facts"], strict=True))
    assert facts["ent:jd-vance"] == 2
    assert articles["ent:jd-vance"] == 1
    assert list(frame["facts"]) == sorted(frame["facts"], reverse=True)
    assert (frame["actualEvents"] <= frame["facts"]).all()


def test_events_at_place(store: ox.Store) -> None:
    bogota = run(store, "events-at-place", place="ent:bogota-city")
    # places inside Bogotá count: 003 "Thousands gathered in Bogotá’s Plaza Bolívar"; and
    # 004's caption, "an event announcing a joint operation for restoring the San Juan de
    # Dios hospital in Bogota"
    assert {("ent:plaza-bolivar", "kg:PROTEST"), ("ent:bogota-city", "kg:AGREE")} <= rows(bogota, "at", "type")
    # 004: "In September 2025, Petro made an outrageous speech in New York": the only event there
    new_york = run(store, "events-at-place", place="ent:new-york")
    assert rows(new_york, "fact", "type", "when") == {("fact:004-petro-new-york-speech", "kg:REQUEST", "2025-09")}
    # places form a hierarchy: the White House is in Washington, which is in the United States.
    # 002: "met with U.S. President Donald Trump at the White House"; 003: "the meeting took
    # place in Washington"
    washington = run(store, "events-at-place", place="ent:washington-dc")
    assert "fact:petro-trump-meeting-2026-02-03" in column(washington, "fact")
    assert "ent:white-house-building" in column(washington, "at")
    in_us = run(store, "events-at-place", place="ent:united-states-place")
    assert {"fact:petro-trump-meeting-2026-02-03", "fact:004-petro-new-york-speech"} <= column(in_us, "fact")
    # ... and Bogotá is not
    assert not column(in_us, "at") & {"ent:bogota-city", "ent:plaza-bolivar"}
    # 000/001: "military actions ... in the Caribbean"
    caribbean = run(store, "events-at-place", place="ent:caribbean")
    assert "kg:ASSAULT" in column(caribbean, "type")


def test_events_by_type(store: ox.Store) -> None:
    accuse = run(store, "events-by-type", type="kg:ACCUSE")
    assert column(accuse, "type") == {"kg:ACCUSE"}
    # one row per event: every ACCUSE event an article names an actor of, once
    assert accuse["fact"].is_unique
    assert set(accuse["fact"]) == values(
        store, "SELECT DISTINCT ?f WHERE { GRAPH ?a { ?a a kg:Article . ?f kg:eventType kg:ACCUSE ; kg:actor ?x } }"
    )
    petro, trump, us, colombia = (name_of(store, e) for e in (PETRO, TRUMP, US, COLOMBIA))
    sides = [
        (listed(a), listed(t), m) for a, t, m in zip(accuse["actors"], accuse["targets"], accuse["mode"], strict=True)
    ]
    pairs = {(a, t) for actors, targets, _ in sides for a in actors for t in targets}
    assert {
        (petro, trump),  # 001: "Petro referred to Trump as a “barbarian”"
        (trump, petro),  # 003: "Trump called Petro an “illegal drug leader”"
        (trump, colombia),  # 003: "accusing the country of flooding the United States with cocaine"
        (petro, us),  # 003: "Petro criticized the action and even classified it as “kidnapping”"
        (us, name_of(store, "ent:petro-family")),  # 001: "accused his family of drug-related activities"
    } <= pairs
    assert any(petro in a and trump in t and m == "kg:insult" for a, t, m in sides)
    assert any(trump in a and petro in t and m == "kg:insult" for a, t, m in sides)
    # 003: "Thousands gathered in Bogotá’s Plaza Bolívar": the one protest
    protest = run(store, "events-by-type", type="kg:PROTEST")
    demonstrators = name_of(store, "ent:bogota-demonstrators")
    assert rows(protest, "actors", "when", "modalities", "articles") == {(demonstrators, "2026-02-03", "actual", 1)}


def test_names_of(store: ox.Store) -> None:
    petro = run(store, "names-of", entity=PETRO)
    assert column(petro, "entity") == {PETRO}
    assert rows(petro[petro["kind"] == "label"], "name") == {("Gustavo Petro",)}
    assert {"Petro", "President Petro"} <= column(petro, "name")
    # 000 writes "Pedro Sanchez", 001 and 003 "Pedro Sánchez"
    sanchez = run(store, "names-of", entity="Sanchez")
    assert {"Pedro Sánchez", "Pedro Sanchez"} <= column(sanchez, "name")
    # 000 "between Bogota and Washington", 002 "between Washington and Bogotá"
    colombia = run(store, "names-of", entity=COLOMBIA)
    assert {"Colombia", "Bogota", "Bogotá"} <= column(colombia, "name")


def test_sub_events(store: ox.Store) -> None:
    meeting = run(store, "sub-events", event="fact:petro-trump-meeting-2026-02-03")
    assert column(meeting, "event") == {"fact:petro-trump-meeting-2026-02-03"}
    # 003: the meeting "ended with cordial statements and the promise of cooperation ... but
    # without announcing concrete agreements"
    assert {("kg:AGREE", "kg:Actual"), ("kg:AGREE", "kg:Negated")} <= rows(meeting, "type", "modality")
    # 003: Trump "also working on other things, including sanctions" vs Petro "not one second"
    assert {("kg:CONSULT", TRUMP, "kg:Actual"), ("kg:CONSULT", PETRO, "kg:Negated")} <= rows(
        meeting, "type", "actor", "modality"
    )
    # sub-events of sub-events count: 000's trip > its meetings > presenting Colombia's results
    trip = run(store, "sub-events", event="fact:000-sanchez-trip-to-us")
    assert {"fact:000-sanchez-meetings-us-officials", "fact:000-colombia-presents-anti-drug-results"} <= column(
        trip, "fact"
    )
