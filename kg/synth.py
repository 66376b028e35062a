"""A synthetic news corpus shaped like a real one, for benchmarks and tests at scale.

``kg synth --articles N --seed S DIR`` (and :func:`synthesize`) writes a complete project:
an ontology (a copy of the project's), a registry of invented actors, places and posts,
one curated file per article and the article texts its quotes are taken from. It is
deterministic for a seed, and it passes ``kg check``.

What makes it realistic rather than a copy of the seed:

- **actors** — countries with their territory, capital and a palace in it (a place
  hierarchy), ministries, armed groups, outlets, groups of people, and many persons, each
  with aliases (a surname, a title); about one actor per article and at least 60. Who
  appears in the news is heavy-tailed: actors are drawn with Zipf-like weights, so a few
  are everywhere and most appear once or twice;
- **facts of every kind** — events of all sixteen PLOVER types (with their modes), with two
  to five participants (actors, targets, others), relations, tenures, figures and stated
  positions; dates spread over a decade at day, month or year precision, some known only
  by a bound ("before 3 March 2021");
- **shared stories** — about a third of what an article reports is a story other articles
  report too, drawn with Zipf-like weights among the stories of its time, and each article
  tells it its own way: as planned when written before it, with the month rather than the
  day, without one of the participants or with one more, now and then with another day:
  the disagreements the build derives;
- **texts** — each fact is told in one sentence of the article's text (at most 25 words),
  which is also the quote that supports it; the texts' digests and lengths are recorded.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.project import Project
>>> from kg.check import check_project
>>> dest = pathlib.Path(tempfile.mkdtemp()) / "corpus"
>>> result = synthesize(dest, articles=3, seed=7, ontology=Project.at(EXAMPLE).ontology)
>>> result.articles, result.actors >= 60, sorted(p.name for p in dest.iterdir())
(3, True, ['data', 'ontology.ttl', 'pyproject.toml', 'sources'])
>>> len(check_project(Project.at(dest, sources=dest / "sources"), incremental=False).corpus.articles)
3

"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import os
import random
import shutil
import tempfile
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError

__all__ = ["SynthResult", "synthesize"]

#: The example project of the tests, for the doctests (its ontology is the project's).
EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tiny"

PREFIXES = """@prefix kg:     <https://w3id.org/newskg/ns#> .
@prefix ent:    <https://w3id.org/newskg/id/> .
@prefix art:    <https://w3id.org/newskg/id/article/> .
@prefix ev:     <https://w3id.org/newskg/id/evidence/> .
@prefix fact:   <https://w3id.org/newskg/id/fact/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
"""

# PLOVER types, with the modes the ontology gives them, and how a sentence tells each
# (actual, planned, hypothetical, negated)
EVENT_KINDS: list[tuple[str, str | None, tuple[str, str, str, str]]] = [
    ("CONSULT", "meeting", ("met", "is to meet", "could meet", "did not meet")),
    ("CONSULT", "visit", ("visited", "is to visit", "could visit", "did not visit")),
    ("CONSULT", "phoneCall", ("spoke by phone with", "is to call", "could call", "did not call")),
    ("REQUEST", "invitation", ("invited", "is to invite", "could invite", "did not invite")),
    ("REQUEST", None, ("asked for help from", "is to ask help from", "could ask help from", "did not ask")),
    ("SUPPORT", "statement", ("praised", "is to praise", "could praise", "did not praise")),
    (
        "AGREE",
        None,
        ("signed an agreement with", "is to sign an agreement with", "could sign with", "did not sign with"),
    ),
    ("CONCEDE", None, ("made concessions to", "is to concede to", "could concede to", "did not concede to")),
    ("COOPERATE", "securityCooperation", ("worked with", "is to work with", "could work with", "did not work with")),
    ("AID", "militaryAid", ("sent aid to", "is to send aid to", "could send aid to", "did not send aid to")),
    ("RETREAT", None, ("withdrew from", "is to withdraw from", "could withdraw from", "did not withdraw from")),
    ("ACCUSE", "criticism", ("criticised", "is expected to criticise", "could criticise", "did not criticise")),
    ("ACCUSE", "allegation", ("accused", "is expected to accuse", "could accuse", "did not accuse")),
    ("REJECT", "refusal", ("rebuffed", "is expected to rebuff", "could rebuff", "did not rebuff")),
    ("THREATEN", "warning", ("warned", "is expected to warn", "could warn", "did not warn")),
    (
        "PROTEST",
        "demonstration",
        ("protested against", "is to protest against", "could protest against", "did not protest"),
    ),
    ("SANCTION", "financialSanction", ("sanctioned", "is to sanction", "could sanction", "did not sanction")),
    (
        "SANCTION",
        "tariffs",
        ("imposed tariffs on", "is to impose tariffs on", "could impose tariffs on", "imposed no tariffs on"),
    ),
    (
        "MOBILIZE",
        "troopDeployment",
        ("deployed troops against", "is to deploy troops against", "could deploy against", "did not deploy against"),
    ),
    (
        "COERCE",
        "seizure",
        ("seized assets of", "is to seize assets of", "could seize assets of", "did not seize assets of"),
    ),
    ("ASSAULT", "militaryOperation", ("attacked", "is to attack", "could attack", "did not attack")),
]
RELATIONS = [
    ("opposition", "opposes"),
    ("alliance", "is allied with"),
    ("partnership", "works closely with"),
    ("backing", "backs"),
]
TOPICS = ["drugs", "security", "military", "diplomacy", "economy", "migration", "sovereignty", "elections", "energy"]
MODALITIES = ("Actual", "Planned", "Hypothetical", "Negated")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SYLLABLES = [
    "ba",
    "be",
    "bo",
    "da",
    "de",
    "do",
    "ka",
    "ke",
    "ko",
    "la",
    "le",
    "lo",
    "ma",
    "me",
    "mo",
    "na",
    "ne",
    "no",
    "ra",
    "re",
    "ro",
    "sa",
    "se",
    "so",
    "ta",
    "te",
    "to",
    "va",
    "ve",
    "vo",
    "za",
    "ri",
    "ni",
    "mi",
]
FIRST = datetime.date(2015, 1, 1)
SPAN_DAYS = 4015  # to early 2026


@dataclass(frozen=True)
class SynthResult:
    """What :func:`synthesize` wrote: its folder and how many articles, actors, facts, quotes."""

    path: Path
    articles: int
    actors: int
    facts: int
    quotes: int


@dataclass
class Actor:
    id: str
    cls: str
    label: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str = "GovernmentSector"


@dataclass
class Story:
    """A real-world fact several articles may report, each its own way."""

    id: str
    kind: int  # index into EVENT_KINDS
    actors: list[str]
    targets: list[str]
    others: list[str]
    day: datetime.date
    place: str | None
    topic: str


def synthesize(dest: Path | str, *, articles: int, seed: int = 0, ontology: Path) -> SynthResult:
    """Write a synthetic project of ``articles`` articles into the new folder ``dest``.

    Parameters
    ----------
    dest : path
        A folder that does not exist yet (or is empty); written aside and renamed, so a
        failure leaves nothing behind.
    articles : int
        How many articles (the seed corpus has 5: ×1000 is 5,000).
    seed : int
        The same seed writes the same bytes.
    ontology : path
        The ontology to copy into the project.

    Raises
    ------
    InputError
        If ``dest`` is not empty, ``articles`` is not positive or the ontology is missing.

    """
    dest = Path(dest)
    if articles < 1:
        raise InputError(f"--articles must be at least 1, not {articles}", hint="e.g. --articles 50")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError(
            f"{dest} exists and is not empty",
            expected="a new or empty folder for the synthetic project",
            hint="choose another folder; nothing was written",
        )
    if not Path(ontology).is_file():
        raise InputError(f"no ontology at {ontology}", hint="run kg synth from a project (or pass --project)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        result = _Writer(work, random.Random(seed), articles).write(ontology)
        if dest.exists():
            dest.rmdir()
        os.replace(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return SynthResult(dest, result.articles, result.actors, result.facts, result.quotes)


class _Zipf:
    """Draw items with weight 1/(rank+1)^s: a few very often, most seldom."""

    def __init__(self, items: Sequence[str], rng: random.Random, s: float = 1.2) -> None:
        self.items = list(items)
        self.rng = rng
        self.cumulative = list(itertools.accumulate(1 / (r + 1) ** s for r in range(len(self.items))))

    def draw(self, k: int = 1) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < min(k, len(self.items)):
            item = self.items[bisect(self.cumulative, self.rng.random() * self.cumulative[-1])]
            if item not in chosen:
                chosen.append(item)
        return chosen


class _Writer:
    def __init__(self, root: Path, rng: random.Random, articles: int) -> None:
        self.root, self.rng, self.n = root, rng, articles
        self.actors: dict[str, Actor] = {}
        self.places: dict[str, tuple[str, str | None, str | None]] = {}  # id: label, country, part of
        self.posts: dict[str, tuple[str, str]] = {}  # id: label, post in
        self.names: set[str] = set()
        self.place_names: dict[str, str] = {}  # how a sentence names a place, where not by its label
        self.facts: set[str] = set()
        self.quotes = 0
        self.countries = max(6, (articles + 60) // 80)

    # ------------------------------------------------------------------ the world

    def name(self, parts: int, suffix: str = "") -> str:
        while True:
            words = [
                "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.choice((2, 2, 3)))).capitalize()
                for _ in range(parts)
            ]
            text = " ".join(words) + suffix
            if text not in self.names:
                self.names.add(text)
                return text

    def add(self, actor: Actor) -> str:
        self.actors[actor.id] = actor
        return actor.id

    def world(self) -> None:
        for c in range(self.countries):
            name = self.name(1, self.rng.choice(("ia", "land", "ora", "stan")))
            cid = self.add(Actor(f"c{c}", "Country", name, [f"the {name}n government"]))
            self.places[f"p{c}"] = (f"{name} (territory)", cid, None)
            self.place_names[f"p{c}"] = name
            capital = self.name(1, " City")
            self.places[f"p{c}-capital"] = (capital, cid, f"p{c}")
            self.places[f"p{c}-palace"] = (f"Palace of {capital}", cid, f"p{c}-capital")
            for office in ("President", "Minister of Defence", "Minister of Foreign Affairs"):
                self.posts[f"c{c}-{office.split()[-1].lower()}"] = (f"{office} of {name}", cid)
            for ministry in ("Defence", "Justice", "Foreign Affairs"):
                ministry_id = f"c{c}-ministry-{ministry.split()[-1].lower()}"
                self.add(Actor(ministry_id, "Organisation", f"Ministry of {ministry} of {name}", [], cid))
            group = self.name(1, " Front")
            self.add(Actor(f"c{c}-armed", "Organisation", group, [group.split()[0]], cid, "ArmedGroupSector"))
            self.add(Actor(f"c{c}-farmers", "Group", f"Farmers of {name}", [], cid, "CivilSocietySector"))
            outlet = self.name(1, " Times")
            self.add(Actor(f"c{c}-outlet", "Organisation", outlet, [], cid, "MediaSector"))
        people = max(60, self.n + 50) - len(self.actors)
        country_ids = [a.id for a in self.actors.values() if a.cls == "Country"]
        for p in range(max(people, 20)):
            label = self.name(2)
            country = self.rng.choice(country_ids)
            sector = self.rng.choice(
                ("GovernmentSector", "GovernmentSector", "LegislatureSector", "MilitarySector", "CivilSocietySector")
            )
            self.add(Actor(f"a{p}", "Person", label, [label.split()[-1]], country, sector))
        order = list(self.actors)
        self.rng.shuffle(order)
        self.zipf = _Zipf(order, self.rng)
        self.people = _Zipf([a for a in order if self.actors[a].cls == "Person"], self.rng)

    def registry(self) -> str:
        out = [
            "\n".join(line for line in PREFIXES.splitlines() if line.split()[1] in ("kg:", "ent:", "rdfs:")) + "\n\n"
        ]
        for a in self.actors.values():
            lines = [f"ent:{a.id} a kg:{a.cls} ;", f"    rdfs:label {_lit(a.label)}"]
            lines += [f"    kg:alias {_lit(alias)}" for alias in a.aliases]
            if a.country and a.cls != "Country":
                lines.append(f"    kg:country ent:{a.country}")
            lines.append(f"    kg:sector kg:{a.sector}")
            out.append(" ;\n".join(lines) + " .\n\n")
        for pid, (label, country, part) in self.places.items():
            lines = [f"ent:{pid} a kg:Place ;", f"    rdfs:label {_lit(label)}"]
            if country:
                lines.append(f"    kg:country ent:{country}")
            if part:
                lines.append(f"    kg:partOf ent:{part}")
            out.append(" ;\n".join(lines) + " .\n\n")
        for post, (label, where) in self.posts.items():
            out.append(f"ent:{post} a kg:Post ;\n    rdfs:label {_lit(label)} ;\n    kg:postIn ent:{where} .\n\n")
        return "".join(out)

    def stories(self) -> list[Story]:
        found = []
        for s in range(self.n * 3):
            kind = self.rng.randrange(len(EVENT_KINDS))
            people = self.zipf.draw(self.rng.randint(2, 5))
            split = self.rng.randint(1, min(2, len(people) - 1))
            targets = people[split : split + self.rng.randint(1, 2)]
            found.append(
                Story(
                    f"w{s}",
                    kind,
                    people[:split],
                    targets,
                    people[split + len(targets) :],
                    FIRST + datetime.timedelta(days=self.rng.randrange(SPAN_DAYS)),
                    self.rng.choice([None, *self.places]),
                    self.rng.choice(TOPICS),
                )
            )
        found.sort(key=lambda st: (st.day, st.id))
        return found

    # ------------------------------------------------------------------ the articles

    def write(self, ontology: Path) -> SynthResult:
        self.world()
        stories = self.stories()
        self.days = [s.day for s in stories]
        (self.root / "data" / "articles").mkdir(parents=True)
        (self.root / "sources").mkdir()
        shutil.copyfile(ontology, self.root / "ontology.ttl")
        (self.root / "pyproject.toml").write_text(
            '# A synthetic corpus written by kg synth.\n[tool.kg]\nsources = "sources"\n', encoding="utf-8"
        )
        (self.root / "data" / "entities.ttl").write_text(
            "# The registry of a synthetic corpus: invented actors, places and posts.\n\n" + self.registry(),
            encoding="utf-8",
        )
        for number in range(self.n):
            self.article(number, stories)
        return SynthResult(self.root, self.n, len(self.actors), len(self.facts), self.quotes)

    def article(self, number: int, stories: list[Story]) -> None:
        rng = self.rng
        aid = f"s{number:05d}"
        published = FIRST + datetime.timedelta(days=rng.randrange(60, SPAN_DAYS + 60))
        # stories of its time (the year before it, and what is announced for the months after)
        low = bisect(self.days, published - datetime.timedelta(days=365))
        high = bisect(self.days, published + datetime.timedelta(days=90))
        window = stories[low:high] or stories
        shared = _Zipf([s.id for s in window], rng, 0.8).draw(rng.randint(2, 6))
        by_id = {s.id: s for s in window}
        sentences: list[tuple[str, str]] = []  # (quote, turtle of the fact citing ev)
        for sid in shared:
            sentences.append(self.told(by_id[sid], published))
        for k in range(len(shared), len(shared) + rng.randint(6, 14)):
            sentences.append(self.own(aid, k, published))
        rng.shuffle(sentences)
        headline = f"{self.actors[self.zipf.draw()[0]].label} in the news: {rng.choice(TOPICS)}"
        paragraphs = [" ".join(q for q, _ in sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        text = (headline + "\n\n" + "\n\n".join(paragraphs) + "\n").encode("utf-8")
        name = f"{aid}_{hashlib.sha256(text).hexdigest()[:16]}.txt"
        (self.root / "sources" / name).write_bytes(text)
        outlet = self.actors[f"c{rng.randrange(self.countries)}-outlet"].label
        body = [
            PREFIXES,
            f"art:{aid} a kg:Article ;\n    schema:headline {_lit(headline)} ;\n    kg:sourceFile {_lit(name)} ;\n"
            f'    kg:sourceSha256 "{hashlib.sha256(text).hexdigest()}" ;\n    kg:sourceLength {len(text)} ;\n'
            f'    schema:datePublished "{published.isoformat()}"^^xsd:date ;\n    kg:outlet {_lit(outlet)} .\n',
        ]
        for i, (quote, fact) in enumerate(sentences):
            body.append(f"\nev:{aid}-{i} a kg:Evidence ;\n    kg:quote {_lit(quote)} ;\n    kg:inArticle art:{aid} .\n")
            body.append("\n" + fact.replace("EVIDENCE", f"ev:{aid}-{i}"))
            self.quotes += 1
        (self.root / "data" / "articles" / f"{aid}.ttl").write_text("".join(body), encoding="utf-8")

    def told(self, story: Story, published: datetime.date) -> tuple[str, str]:
        """One article's account of a shared story: its modality, precision and participants."""
        rng = self.rng
        modality = "Planned" if story.day > published else rng.choice(("Actual",) * 12 + ("Hypothetical", "Negated"))
        actors, targets, others = list(story.actors), list(story.targets), list(story.others)
        if others and rng.random() < 0.3:
            others.pop()  # this article leaves one of them out
        elif rng.random() < 0.15:
            others.append(self.zipf.draw()[0])  # or names one more
        day = story.day
        if rng.random() < 0.05:
            day += datetime.timedelta(days=rng.choice((-2, -1, 1, 2)))  # or gives another day
        precision = "Day" if modality == "Actual" and rng.random() < 0.7 else "Month"
        others = [o for o in others if o not in actors + targets]
        return self.event(
            f"fact:{story.id}", story.kind, actors, targets, others, modality, day, precision, story.place, story.topic
        )

    def own(self, aid: str, k: int, published: datetime.date) -> tuple[str, str]:
        """A fact only this article reports: an event, relation, tenure, figure or position."""
        rng = self.rng
        fid = f"fact:{aid}-{k}"
        day = published - datetime.timedelta(days=rng.randrange(1, 400))
        pick = rng.random()
        if pick < 0.6:
            people = self.zipf.draw(rng.randint(2, 5))
            split = rng.randint(1, min(2, len(people) - 1))
            precision = rng.choice(("Day", "Day", "Month", "Year", "Before"))
            return self.event(
                fid,
                rng.randrange(len(EVENT_KINDS)),
                people[:split],
                people[split : split + 1],
                people[split + 1 :],
                "Actual",
                day,
                precision,
                rng.choice([None, *self.places]),
                rng.choice(TOPICS),
            )
        a, b = self.zipf.draw(2)
        la, lb = self.actors[a].label, self.actors[b].label
        self.facts.add(fid)
        if pick < 0.75:
            rtype, verb = rng.choice(RELATIONS)
            quote = f"{la} {verb} {lb}, the article says."
            return quote, _block(
                fid,
                "Relation",
                f"{la} {verb} {lb}",
                f"kg:relationType kg:{rtype}",
                f"kg:subject ent:{a}",
                f"kg:object ent:{b}",
            )
        if pick < 0.85:
            holder = self.people.draw()[0]
            post = rng.choice(list(self.posts))
            label = f"{self.actors[holder].label} is {self.posts[post][0]}"
            dated = f'kg:date "{day.year}-01-01"^^xsd:date ; kg:datePrecision kg:Year'
            return f"{label}, since {day.year}.", _block(
                fid, "Tenure", label, f"kg:holder ent:{holder}", f"kg:post ent:{post}", dated
            )
        if pick < 0.93:
            value = rng.randrange(10, 50000)
            unit = rng.choice(("tons", "troops", "extraditions", "hectares", "people"))
            quote = f"{la} reported {value:,} {unit} in {MONTHS[day.month - 1]} {day.year}."
            return quote, _block(
                fid,
                "Measurement",
                f"{la}: {value} {unit}",
                f'kg:value "{value}"^^xsd:decimal',
                f"kg:unit {_lit(unit)}",
                f"kg:measures {_lit(unit + ' reported')}",
                "kg:valueQualifier kg:Exact",
                f"kg:about ent:{a}",
                f'kg:date "{day.isoformat()[:8]}01"^^xsd:date ; kg:datePrecision kg:Month',
                f"kg:claimedBy ent:{a}",
            )
        topic = rng.choice(TOPICS)
        stance = f"Cooperation with {lb} on {topic} must continue."
        return f"{la} said: {stance}", _block(
            fid,
            "Position",
            f"{la} on {topic} with {lb}",
            f"kg:holder ent:{a}",
            f"kg:stance {_lit(stance)}",
            f"kg:topic kg:{topic}",
            f"kg:claimedBy ent:{a}",
        )

    def event(
        self,
        fid: str,
        kind: int,
        actors: list[str],
        targets: list[str],
        others: list[str],
        modality: str,
        day: datetime.date,
        precision: str,
        place: str | None,
        topic: str,
    ) -> tuple[str, str]:
        etype, mode, verbs = EVENT_KINDS[kind]
        verb = verbs[MODALITIES.index(modality)]
        who = " and ".join(self.actors[a].label for a in actors)
        whom = " and ".join(self.actors[t].label for t in targets)
        label = f"{who} {verbs[0]} {whom}"
        when, dated = _when(day, precision)
        with_others = (
            f", with {self.actors[others[0]].label}" + (" and others" if len(others) > 1 else "") if others else ""
        )
        where = f" in {self.place_names.get(place, self.places[place][0])}" if place else ""
        first = f"{self.actors[actors[0]].label}{' and others' if len(actors) > 1 else ''}"
        quote = next(  # the fullest telling that fits in a quote of 25 words
            q
            for q in (
                f"{who} {verb} {whom}{with_others}{where} {when}.",
                f"{who} {verb} {whom}{where} {when}.",
                f"{who} {verb} {whom} {when}.",
                f"{first} {verb} {self.actors[targets[0]].label} {when}.",
            )
            if len(q.split()) <= 25
        )
        self.facts.add(fid)
        statements = [
            f"kg:eventType kg:{etype}" + (f" ; kg:mode kg:{mode}" if mode else ""),
            "kg:actor " + " , ".join(f"ent:{a}" for a in actors),
            "kg:target " + " , ".join(f"ent:{t}" for t in targets),
            *(["kg:participant " + " , ".join(f"ent:{o}" for o in others)] if others else []),
            dated,
            f"kg:dateText {_lit(when)}",
            f"kg:topic kg:{topic}",
            *([f"kg:place ent:{place}"] if place else []),
        ]
        return quote, _block(fid, "Event", label, *statements, modality=modality)


def _block(fid: str, cls: str, label: str, *statements: str, modality: str = "Actual") -> str:
    """The Turtle of one fact: its class and label, ``statements``, its modality and its evidence."""
    lines = [f"{fid} a kg:{cls}", f"    rdfs:label {_lit(label)}", *(f"    {s}" for s in statements)]
    lines += [f"    kg:modality kg:{modality}", "    prov:wasDerivedFrom EVIDENCE"]
    return " ;\n".join(lines) + " .\n"


def _when(day: datetime.date, precision: str) -> tuple[str, str]:
    """How a sentence dates a fact, and the Turtle that says so."""
    month = f"{MONTHS[day.month - 1]} {day.year}"
    if precision == "Day":
        return f"on {day.day} {month}", f'kg:date "{day.isoformat()}"^^xsd:date ; kg:datePrecision kg:Day'
    if precision == "Month":
        return f"in {month}", f'kg:date "{day.isoformat()[:8]}01"^^xsd:date ; kg:datePrecision kg:Month'
    if precision == "Year":
        return f"in {day.year}", f'kg:date "{day.year}-01-01"^^xsd:date ; kg:datePrecision kg:Year'
    bound = day + datetime.timedelta(days=1)
    return (
        f"before {bound.day} {MONTHS[bound.month - 1]} {bound.year}",
        f'kg:latestDate "{day.isoformat()}"^^xsd:date',
    )


def _lit(text: str) -> str:
    """A Turtle string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
