"""What the second, independent reading of the five articles fixed, asked of the graph.

One group per class of problem the readers found (see the README's "Curating an article"):
one real-world fact split into unlinked nodes; whose voice a claim is in; dates the
articles allow; places within places; figures that are not figures; disagreements between
articles; facts not curated at all. Each expected answer was written from the article
text quoted beside it, not copied from the graph.
"""

from __future__ import annotations

import datetime

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.query import select

TRUMP_THREAT = "fact:trump-suggests-military-action-against-colombia"
POSSIBLE_ACTION = "fact:possible-us-military-action-against-colombia"
OPPOSES = "?f kg:relationType kg:opposition ; kg:subject {} ; kg:object {}"


def ask(store: ox.Store, sparql: str) -> bool:
    result = store.query(sparql, prefixes=PREFIXES)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def values(store: ox.Store, sparql: str) -> set[object]:
    return set(select(store, sparql).iloc[:, 0])


def articles(store: ox.Store, pattern: str) -> set[str]:
    """The articles (numbers) whose own graph matches ``pattern``."""
    found = values(store, f"SELECT DISTINCT ?a WHERE {{ GRAPH ?a {{ {pattern} }} }}")
    return {str(a).removeprefix("art:") for a in found}


def when(store: ox.Store, fact: str, article: str) -> set[object]:
    """The time ``article`` gives ``fact``, as written (EDTF)."""
    return values(store, f"SELECT ?w WHERE {{ GRAPH art:{article} {{ {fact} kg:when ?w }} }}")


# ---------------------------------------------------------------- split: one fact, one node


def test_trumps_threat_of_military_action_is_one_fact_in_two_articles(store: ox.Store) -> None:
    # 003: "the Republican insinuated that Colombia could be the target of similar action";
    # 004: "last month, Trump suggested that the United States might stage military
    # operations inside Colombia" — the same threat, so it counts as reported twice
    assert articles(store, f"{TRUMP_THREAT} kg:eventType kg:THREATEN ; kg:actor ent:donald-trump") == {"003", "004"}
    assert values(store, f"SELECT ?n WHERE {{ {TRUMP_THREAT} kg:actualCount ?n }}") == {2}
    others = f"ASK {{ ?f kg:reportedIn art:003 , art:004 ; kg:eventType kg:THREATEN FILTER (?f != {TRUMP_THREAT}) }}"
    assert not ask(store, others)


def test_the_action_trump_suggests_is_one_hypothetical_fact(store: ox.Store) -> None:
    # both articles report the action itself only as a possibility, on Trump's word
    assert articles(store, f"{POSSIBLE_ACTION} kg:modality kg:Hypothetical ; kg:claimedBy ent:donald-trump") == {
        "003",
        "004",
    }
    assert values(store, f"SELECT ?n WHERE {{ {POSSIBLE_ACTION} kg:hypotheticalCount ?n }}") == {2}


def test_the_tension_of_2025_is_one_relation_each_way_in_all_five(store: ox.Store) -> None:
    # 000 "Tensions over the past year", 001 "tensions surfaced", 002 "The diplomatic strain in
    # 2025", 003 "a year of open tension", 004 "the tensest year ... in the past three decades"
    every = {"000", "001", "002", "003", "004"}
    assert articles(store, OPPOSES.format("ent:colombia", "ent:united-states")) == every
    assert articles(store, OPPOSES.format("ent:united-states", "ent:colombia")) == every
    both_ways = """SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f kg:relationType kg:opposition ;
        kg:subject ?a ; kg:object ?b
        VALUES (?a ?b) { (ent:colombia ent:united-states) (ent:united-states ent:colombia) } }"""
    assert values(store, both_ways) == {2}


def test_the_anti_drug_partnership_is_one_fact(store: ox.Store) -> None:
    # 000 "the traditional cooperation between the two countries"; 001 "his country’s
    # collaboration with the United States in combating drug trafficking"; 002 the
    # "counternarcotics" cooperation
    assert articles(store, "fact:colombia-us-counternarcotics-partnership kg:relationType kg:partnership") == {
        "000",
        "001",
        "002",
    }


def test_us_military_aid_is_one_fact(store: ox.Store) -> None:
    # 001: "Historically, U.S.-Colombia relations have been characterized by substantial military
    # aid"; 002 reports the same aid
    assert articles(store, "fact:us-military-aid-colombia kg:eventType kg:AID ; kg:actor ent:united-states") == {
        "001",
        "002",
    }


def test_the_exchange_of_criticism_is_one_fact_each_way(store: ox.Store) -> None:
    # 000: "harsh exchanges of statements between President Gustavo Petro and U.S. President
    # Donald Trump"; 002: "Both leaders exchanged publicly critical statements"
    for fact in ("fact:petro-criticises-trump-2025", "fact:trump-criticises-petro-2025"):
        assert articles(store, f"{fact} kg:mode kg:criticism") == {"000", "002"}, fact


# ---------------------------------------------------------------- voice: who says so


def test_the_opinions_of_004_are_its_authors(store: ox.Store) -> None:
    # 004 is an opinion piece: "Trump and Petro should focus on counternarcotics and
    # Venezuela", "Petro would be wise to use this meeting", "It would be a gift to his successor"
    claimed = values(store, "SELECT ?f WHERE { GRAPH art:004 { ?f kg:claimedBy ent:author-of-004 } }")
    assert len(claimed) >= 15
    # "Real stability in Venezuela is profoundly in Colombia’s interest" is the author's
    # opinion, not a stance Colombia states
    assert not ask(
        store,
        """ASK { GRAPH art:004 { ?p a kg:Position ; kg:holder ent:colombia
                 FILTER NOT EXISTS { ?p kg:claimedBy ?someone } } }""",
    )


def test_an_authors_assessment_is_not_a_countrys_position(store: ox.Store) -> None:
    # 000 (byline Josep Freixes): "Colombia’s bet is clear"; "It represents, in some way,
    # Colombia’s bet" — the author's reading of the visit
    bet = values(
        store,
        """SELECT ?h WHERE { GRAPH art:000 { ?p a kg:Position ; kg:holder ?h ; kg:claimedBy ent:josep-freixes ;
               prov:wasDerivedFrom/kg:quote ?q FILTER (CONTAINS(?q, "bet")) } }""",
    )
    assert bet == {"ent:josep-freixes"}
    # 002: "one of the most challenging periods in U.S.-Colombia relations in three decades"
    assert ask(
        store,
        """ASK { GRAPH art:002 { ?p a kg:Position ; kg:claimedBy ent:author-of-002 ;
                 prov:wasDerivedFrom/kg:quote ?q FILTER (CONTAINS(?q, "three decades")) } }""",
    )


def test_the_outlets_characterisations_are_its_own(store: ox.Store) -> None:
    # 003 (vermelho.org.br): Moreno is "one of Petro’s strongest detractors in the United
    # States"; "This week’s meeting marks a rhetorical inflection."
    detractor = "?f kg:subject ent:bernie-moreno ; kg:object ent:gustavo-petro ; kg:claimedBy ent:vermelho"
    assert articles(store, detractor) == {"003"}
    assert ask(
        store,
        """ASK { GRAPH art:003 { ?p a kg:Position ; kg:holder ent:vermelho ; kg:claimedBy ent:vermelho ;
                 prov:wasDerivedFrom/kg:quote ?q FILTER (CONTAINS(?q, "rhetorical inflection")) } }""",
    )


def test_what_a_source_says_is_its_claim(store: ox.Store) -> None:
    # 000: "Sanchez has scheduled a series of meetings ... according to EFE news agency"
    assert articles(store, "?f kg:eventType kg:CONSULT ; kg:actor ent:pedro-sanchez ; kg:claimedBy ent:efe") == {"000"}
    # 001: "Sánchez asserted that Colombia is the U.S.’s main ally": his claim in 001, where
    # 002 ("longstanding alliance") states the alliance in its own voice
    assert articles(store, "fact:colombia-us-alliance kg:claimedBy ent:pedro-sanchez") == {"001"}
    assert "002" not in articles(store, "fact:colombia-us-alliance kg:claimedBy ?who")


# ---------------------------------------------------------------- dates the articles allow


def test_last_month_is_december_or_january(store: ox.Store) -> None:
    # 004, written between the 27 January photo and the 3 February visit: "when last month,
    # Trump suggested ..." — December 2025 or January 2026, no day
    assert when(store, TRUMP_THREAT, "004") == {"2025-12/2026-01"}


def test_last_week_is_not_a_month(store: ox.Store) -> None:
    # 004: Rubio's "Senate testimony last week": a week before a day between 27 January and
    # 3 February, so from 19 January to 1 February (not "January 2026")
    rubio = "?f kg:eventType kg:CONSULT ; kg:actor ent:marco-rubio ; kg:when ?w"
    assert values(store, f"SELECT ?w WHERE {{ GRAPH art:004 {{ {rubio} }} }}") == {"2026-01-19/2026-02-01"}


def test_a_retaliation_after_a_dated_speech_has_a_lower_bound(store: ox.Store) -> None:
    # 004: "In September 2025, Petro made an outrageous speech in New York ... Trump retaliated
    # by revoking visas" — from September 2025 on
    bound = "SELECT ?d WHERE { GRAPH art:004 { fact:us-revokes-petro-visa kg:earliestDate ?d } }"
    assert values(store, bound) == {datetime.date(2025, 9, 1)}


def test_what_was_said_after_the_meeting_is_not_dated_to_the_day(store: ox.Store) -> None:
    # 003 (published 4 February): "Petro rated the meeting with a “nine” rating"; "he declared
    # after the meeting" — on the 3rd or the 4th
    rating = "?f a kg:Measurement ; kg:claimedBy ent:gustavo-petro ; kg:when ?w"
    assert values(store, f"SELECT ?w WHERE {{ GRAPH art:003 {{ {rating} }} }}") == {"2026-02-03/2026-02-04"}


def test_what_came_before_the_meeting_is_placed_before_it(store: ox.Store) -> None:
    # 003: "After months of public accusations, sanctions and threats, ... met this Tuesday (3)":
    # Trump called Petro an "illegal drug leader" before 3 February
    latest = values(
        store,
        """SELECT ?d WHERE { GRAPH art:003 { ?f kg:eventType kg:ACCUSE ; kg:actor ent:donald-trump ;
               kg:target ent:gustavo-petro ; kg:latestDate ?d } }""",
    )
    assert latest and all(str(d) < "2026-02-03" for d in latest)


def test_the_past_year_is_not_the_year_2025(store: ox.Store) -> None:
    # 000 (13 January 2026): "Over the past year, there were moments of sharp disagreement,
    # including aid cuts" — from 13 January 2025 to 13 January 2026
    aid_cut = "?f kg:mode kg:aidCut ; kg:when ?w"
    assert values(store, f"SELECT ?w WHERE {{ GRAPH art:000 {{ {aid_cut} }} }}") == {"2025-01-13/2026-01-13"}


# ---------------------------------------------------------------- places within places


def test_the_white_house_is_in_washington_in_the_united_states(store: ox.Store) -> None:
    assert ask(store, "ASK { ent:white-house-building kg:partOf+ ent:washington-dc }")
    assert ask(store, "ASK { ent:white-house-building kg:partOf+ ent:united-states-place }")
    assert ask(store, "ASK { ent:plaza-bolivar kg:partOf+ ent:colombia-place }")
    assert not ask(store, "ASK { ent:plaza-bolivar kg:partOf+ ent:united-states-place }")


def test_the_colombian_delegation_was_at_the_white_house(store: ox.Store) -> None:
    # 003: "Petro was accompanied by Defense Minister Pedro Sánchez, Ambassador Daniel García-Peña"
    assert articles(
        store, "?f kg:mode kg:accompaniment ; kg:actor ent:pedro-sanchez ; kg:place ent:white-house-building"
    ) == {"003"}


def test_the_hospital_event_was_in_bogota(store: ox.Store) -> None:
    # 004's caption: "an event announcing a joint operation for restoring the San Juan de Dios
    # hospital in Bogota" — an announcement (AGREE) in Bogotá; the restoration has not happened
    found = values(
        store,
        """SELECT ?t WHERE { GRAPH art:004 { ?f kg:place ent:bogota-city ; kg:eventType ?t ;
               kg:date "2026-01-27"^^xsd:date } }""",
    )
    assert found == {"kg:AGREE"}


# ---------------------------------------------------------------- figures that are figures


def test_no_figure_is_made_up_from_words(store: ox.Store) -> None:
    # 002 "in three decades" is a period of comparison; 001 "the principal consumer" and 004
    # "No country has received more Venezuelan migrants" are comparisons: none is a quantity
    units = values(store, "SELECT DISTINCT ?u WHERE { ?f a kg:Measurement ; kg:unit ?u }")
    assert not units & {"decades", "rank"}


def test_millions_is_at_least_two_million(store: ox.Store) -> None:
    # 004: Venezuela's collapse "causes millions of its citizens to flee"
    found = select(
        store,
        """SELECT ?v ?q WHERE { GRAPH art:004 { ?f a kg:Measurement ; kg:about ent:venezuelan-migrants ;
               kg:value ?v ; kg:valueQualifier ?q ; prov:wasDerivedFrom/kg:quote ?text
               FILTER (CONTAINS(?text, "millions")) } }""",
    )
    assert [(int(v), q) for v, q in zip(found["v"], found["q"], strict=True)] == [(2_000_000, "kg:MoreThan")]


# ---------------------------------------------------------------- disagreements between articles


def test_only_004_names_petro_as_a_possible_target(store: ox.Store) -> None:
    # 004: "possibly even targeting Petro"; 003 speaks of Colombia only: the build lists it
    rows = select(
        store,
        f"""SELECT ?value ?in WHERE {{ ?d kg:onFact {POSSIBLE_ACTION} ; kg:onProperty kg:target ;
               kg:statedValue ?value ; kg:statedIn ?in ; kg:otherStatedIn art:003 }}""",
    )
    assert set(zip(rows["value"], rows["in"], strict=True)) == {("ent:gustavo-petro", "art:004")}


def test_000_plans_the_trip_that_003_reports(store: ox.Store) -> None:
    # 000 (13 January): Petro's trip "scheduled for the first week of February"; 003: "Before
    # the trip, he called for demonstrations"
    rows = select(
        store,
        """SELECT ?value ?other WHERE { ?d kg:onFact fact:petro-trip-to-washington-2026-02 ;
               kg:onProperty kg:modality ; kg:statedValue ?value ; kg:otherValue ?other }""",
    )
    assert {frozenset(pair) for pair in zip(rows["value"], rows["other"], strict=True)} == {
        frozenset({"kg:Actual", "kg:Planned"})
    }


def test_the_bolivarian_regime_is_not_the_maduro_government(store: ox.Store) -> None:
    # 003: "the US military operation that overthrew Nicolás Maduro"; 004: the United States
    # "is giving nonnegotiable instructions to the Bolivarian regime" — after Maduro
    assert articles(store, "?f kg:actor ent:united-states ; kg:target ent:bolivarian-regime") == {"004"}
    assert "004" not in articles(store, "?f kg:target ent:maduro-government")


# ---------------------------------------------------------------- facts not curated before


def test_petros_election_in_2022_is_an_event(store: ox.Store) -> None:
    # 001: "tensions surfaced following the election of President Gustavo Petro in 2022"
    assert articles(store, '?f kg:topic kg:elections ; kg:participant ent:gustavo-petro ; kg:when "2022"') == {"001"}


def test_the_us_side_of_the_tension_is_in_004(store: ox.Store) -> None:
    # 004: "the two nations careened from crisis to crisis" — mutual
    assert "004" in articles(store, OPPOSES.format("ent:united-states", "ent:colombia"))
