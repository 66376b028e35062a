"""kg new: the next article's text placed, a skeleton that checks, and the curator's checklist."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import build_project
from kg.check import check_project, read_vocabulary
from kg.cli import main
from kg.errors import InputError, UnverifiedWarning
from kg.files import ARTICLE_LIMIT
from kg.load import parse_file
from kg.namespaces import KG, PREFIXES, SCHEMA
from kg.project import Project
from kg.skeleton import Registry, find_mentions, new_article, read_head
from kg.store import read_dataset
from tests.conftest import ROOT

ENT = PREFIXES["ent"]
ART = PREFIXES["art"]

#: A new article for the tiny project (tests/fixtures/tiny: Alice Arden, alias Arden; Bob
#: Brook, alias Brook): one actor named by its label, one by an alias, one name unknown.
DRAFT = """Arden and Brook: "We meet again"

Written on 03/14/2026
Ann Lee

Alice Arden met Ivan Cepeda in the morning.
Later, Brook joined them. Ivan Cepeda said little.
"""
#: What DRAFT names, sentence by sentence (line, sentence), read off the text above.
NAMED = {
    "alice-arden": [(1, 'Arden and Brook: "We meet again"'), (6, "Alice Arden met Ivan Cepeda in the morning.")],
    "bob-brook": [(1, 'Arden and Brook: "We meet again"'), (7, "Later, Brook joined them.")],
}


def tiny_project(root: Path) -> Project:
    return Project.at(root, sources=root / "sources")


def listing(*folders: Path) -> dict[str, list[str]]:
    """Every entry of ``folders`` (hidden ones included): what a refusal must leave as it was."""
    return {str(f): sorted(os.listdir(f)) if f.is_dir() else [] for f in folders}


def triples_of(path: Path) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in parse_file(path).triples)
    return store


def value(store: ox.Store, subject: str, prop: object) -> str | None:
    found = [q.object.value for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(str(prop)), None)]
    assert len(found) <= 1
    return found[0] if found else None


# ---------------------------------------------------------------- the tiny project


def test_a_new_article_in_the_tiny_project(tiny: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    data = draft.read_bytes()
    project = tiny_project(tiny)

    new = new_article(project, draft)

    # the text, in the sources folder, named <id>_<first 16 hex of its SHA-256>.txt
    digest = hashlib.sha256(data).hexdigest()
    assert new.id == "000"  # the tiny project's files are t1, t2: no number yet
    assert new.source == tiny / "sources" / f"000_{digest[:16]}.txt"
    assert new.source.read_bytes() == data
    assert new.curated == tiny / "data" / "articles" / "000.ttl"

    # the skeleton records what kg check verifies, and what the head says plainly
    store = triples_of(new.curated)
    article = ART + "000"
    assert value(store, article, KG.sourceFile) == new.source.name
    assert value(store, article, KG.sourceSha256) == digest
    assert value(store, article, KG.sourceLength) == str(len(data))
    assert value(store, article, SCHEMA.headline) == 'Arden and Brook: "We meet again"'  # quotes escaped
    assert value(store, article, SCHEMA.datePublished) == "2026-03-14"  # 14 cannot be a month
    assert value(store, article, KG.byline) == "Ann Lee"
    assert new.metadata == {"headline": 'Arden and Brook: "We meet again"', "published": "2026-03-14", "modified": None,
                            "byline": "Ann Lee"}  # fmt: skip
    text = new.curated.read_text(encoding="utf-8")
    assert "# schema:datePublished: line 3, 'Written on 03/14/2026'" in text

    # the checklist: both actors with their sentences, the unknown names without them
    assert {m.entity.removeprefix(ENT): list(zip(m.lines, m.sentences, strict=True)) for m in new.known} == NAMED
    names = {m.entity.removeprefix(ENT): m.names for m in new.known}
    assert names == {"alice-arden": ("Alice Arden", "Arden"), "bob-brook": ("Brook",)}
    unknown = {u.name: (u.count, u.lines) for u in new.unknown}
    assert unknown == {"Ivan Cepeda": (2, (6, 7)), "Ann Lee": (1, (4,))}
    frame = new.known_frame()
    assert list(frame.columns) == ["entity", "entity_label", "kind", "names", "count", "line", "sentence"]
    assert len(frame) == sum(len(v) for v in NAMED.values())
    assert list(new.unknown_frame().columns) == ["name", "count", "line", "sentence"]

    # kg check accepts the skeleton as it is, and kg build works
    checked = check_project(project, incremental=False)
    assert ART + "000" in checked.articles.values()
    build_project(project)
    assert read_dataset(project.build).query(f"ASK {{ GRAPH ?g {{ <{article}> a <{KG.Article}> }} }}")


def test_every_term_the_skeleton_names_is_the_ontology_s(tiny: Path, tmp_path: Path) -> None:
    # the commented examples are there to be copied: a term kg check would refuse is a trap
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    new = new_article(tiny_project(tiny), draft)
    vocabulary = read_vocabulary(parse_file(ROOT / "ontology.ttl"))
    used = set(re.findall(r"\bkg:([A-Za-z]\w*)", new.curated.read_text(encoding="utf-8")))
    assert used and {PREFIXES["kg"] + t for t in used} <= vocabulary.terms | vocabulary.properties


def test_the_next_id_follows_the_numbered_files(tiny: Path, tmp_path: Path) -> None:
    (tiny / "data" / "articles" / "007.ttl").write_bytes((tiny / "data" / "articles" / "t1.ttl").read_bytes())
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    assert new_article(tiny_project(tiny), draft).id == "008"
    assert new_article(tiny_project(tiny), draft, article_id="el-tiempo-1").curated.name == "el-tiempo-1.ttl"


# ---------------------------------------------------------------- refusals: nothing written


def _bad_texts(tmp_path: Path) -> dict[str, tuple[Path, str, str]]:
    """Each bad input: its path, and what its message must say (the place, what was expected)."""
    folder = tmp_path / "bad"
    folder.mkdir()
    latin1 = folder / "latin1.txt"
    latin1.write_bytes("Bogotá\n".encode("latin-1"))
    empty = folder / "empty.txt"
    empty.write_text(" \n\n", encoding="utf-8")
    huge = folder / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(ARTICLE_LIMIT + 1)  # sparse: refused on its size before it is read
    return {
        "missing": (folder / "nowhere.txt", f"{folder / 'nowhere.txt'}: cannot read", "an article's text"),
        "not UTF-8": (latin1, f"{latin1}:1:6: not valid UTF-8", "encoded as UTF-8"),
        "empty": (empty, f"{empty}: the text is empty", "an article's text"),
        "huge": (huge, f"{huge}: {ARTICLE_LIMIT + 1:,} bytes", "of at most 16 MB"),
        "a folder": (folder, f"{folder}: is a directory", "an article's text"),
    }


@pytest.mark.parametrize("case", ["missing", "not UTF-8", "empty", "huge", "a folder"])
def test_a_bad_text_is_refused_and_nothing_is_written(case: str, tiny: Path, tmp_path: Path) -> None:
    path, message, expected = _bad_texts(tmp_path)[case]
    project = tiny_project(tiny)
    before = listing(project.sources, project.articles)
    with pytest.raises(InputError) as caught:
        new_article(project, path)
    assert caught.value.message.startswith(message)
    assert expected in caught.value.expected and caught.value.hint
    assert listing(project.sources, project.articles) == before


def test_an_existing_curated_file_or_text_is_refused(tiny: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    project = tiny_project(tiny)
    before = listing(project.sources, project.articles)
    with pytest.raises(InputError) as caught:
        new_article(project, draft, article_id="t1")
    assert caught.value.message == "data/articles/t1.ttl: the article's curated file already exists"
    assert "--id" in caught.value.hint and "000" in caught.value.hint  # the next free id
    assert listing(project.sources, project.articles) == before

    placed = project.sources / f"x9_{hashlib.sha256(draft.read_bytes()).hexdigest()[:16]}.txt"
    placed.write_bytes(b"another text under the name this one would take")
    before = listing(project.sources, project.articles)
    with pytest.raises(InputError) as caught:
        new_article(project, draft, article_id="x9")
    assert caught.value.message == f"sources/{placed.name}: the article's text already exists"
    assert listing(project.sources, project.articles) == before
    assert placed.read_bytes() == b"another text under the name this one would take"

    with pytest.raises(InputError) as caught:
        new_article(project, draft, article_id="../x")
    assert caught.value.message == "'../x' is not an article id" and "--id" in caught.value.hint
    assert listing(project.sources, project.articles) == before


def test_the_text_is_removed_when_the_skeleton_cannot_be_written(tiny: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    # an articles folder below a regular file: the skeleton's folder cannot be made (a real failure)
    project = dataclasses.replace(tiny_project(tiny), articles=tiny / "pyproject.toml" / "articles")
    before = listing(project.sources)
    with pytest.raises(InputError) as caught:
        new_article(project, draft)
    assert "cannot write" in caught.value.message
    assert listing(project.sources) == before  # the text placed first is gone again


# ---------------------------------------------------------------- matching names


def test_names_match_as_whole_words_accents_folded_capitals_exact() -> None:
    registry = Registry.read(ROOT / "data" / "entities.ttl")
    text = "Bogota spoke. Bogotá answered. Tell us why. The US did. Petroleum rose. Trump administration."
    found = {m.entity.removeprefix(ENT): (m.names, m.count) for m in find_mentions(registry, text).known}
    # "Bogota" and "Bogotá" are both aliases of Colombia and of the city of Bogotá
    assert found["colombia"] == (("Bogota", "Bogotá"), 2) and found["bogota-city"] == (("Bogota", "Bogotá"), 2)
    # "us" is not "US"; "Trump administration" is the United States, not a mention of Trump
    assert found["united-states"] == (("Trump administration", "US"), 2)
    assert "gustavo-petro" not in found and "donald-trump" not in found  # "Petroleum" is not "Petro"


def test_unknown_names_leave_out_titles_months_and_sentence_initial_words() -> None:
    registry = Registry.from_names({"gustavo-petro": ("Gustavo Petro", ["Petro"])})
    text = (
        "Senator Ivan Cepeda met Colombian President Gustavo Petro in February. "
        "Yesterday the Gulf Clan answered. However Petro left on Tuesday. Juan Manuel stayed. Rivals Duque Ally spoke."
    )
    unknown = [u.name for u in find_mentions(registry, text + " rivals").unknown]
    assert unknown == ["Duque Ally", "Gulf Clan", "Ivan Cepeda", "Juan Manuel"]
    registry = Registry.from_names(
        {"gustavo-petro": ("Gustavo Petro", ["Petro"]), "santos": ("Juan Manuel Santos", [])}
    )
    # "Juan Manuel" is part of a registry name; "Rivals" is a common word only where the text writes "rivals"
    assert [u.name for u in find_mentions(registry, text).unknown] == ["Gulf Clan", "Ivan Cepeda", "Rivals Duque Ally"]


# ---------------------------------------------------------------- the real corpus


def _curated_values(path: Path) -> dict[str, str | None]:
    store = triples_of(path)
    article = next(iter(store.quads_for_pattern(None, ox.NamedNode(str(KG.sourceFile)), None))).subject.value
    return {
        "article": article,
        "source": value(store, article, KG.sourceFile),
        "headline": value(store, article, SCHEMA.headline),
        "published": value(store, article, SCHEMA.datePublished),
        "byline": value(store, article, KG.byline),
    }


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_the_head_of_each_seed_text_gives_what_its_curator_recorded(number: str, texts: Path) -> None:
    curated = _curated_values(ROOT / "data" / "articles" / f"{number}.ttl")
    assert curated["source"] is not None
    head = read_head((texts / curated["source"]).read_text(encoding="utf-8"))
    assert head.headline == curated["headline"]
    assert head.byline == curated["byline"]
    if number == "003":
        # 'Published 02/04/2026': 4 February or 2 April; the curator knew, kg does not guess
        assert curated["published"] == "2026-02-04" and head.published is None
        assert "02 April 2026 (day/month)" in head.notes["published"]
    else:
        assert head.published == curated["published"]


#: Actors 004.ttl's facts name that its text never names: the unnamed author, to whom the
#: article's own opinions are attributed (kg:claimedBy), is no name in the text.
ALLOWANCE = {ENT + "author-of-004"}
ACTOR_ROLES = ("actor", "target", "participant", "holder", "subject", "object", "about", "claimedBy")
ACTOR_CLASSES = ("Person", "Organisation", "Group", "Country")


def test_the_seed_article_004_made_new_again(texts: Path, project: Project, tmp_path: Path) -> None:
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("pyproject.toml", "ontology.ttl"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(ROOT / "data", copy / "data", ignore=shutil.ignore_patterns("sources", "004.ttl"))
    curated = _curated_values(ROOT / "data" / "articles" / "004.ttl")
    seeds = copy / "texts"  # links to the other texts: nothing is ever written into the seeds' folder
    seeds.mkdir()
    for number in ("000", "001", "002", "003"):
        name = _curated_values(ROOT / "data" / "articles" / f"{number}.ttl")["source"]
        assert name is not None
        (seeds / name).symlink_to(texts / name)
    assert curated["source"] is not None
    copied = Project.at(copy, sources=seeds)

    new = new_article(copied, texts / curated["source"])

    assert new.id == "004" and new.metadata["headline"] == curated["headline"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnverifiedWarning)  # every text is there: every quote is checked
        check_project(copied, incremental=False)

    # the actors 004.ttl's facts name (read from the curated file) are in the checklist
    store = triples_of(ROOT / "data" / "articles" / "004.ttl")
    registry = triples_of(ROOT / "data" / "entities.ttl")
    roles = " ".join(f"kg:{r}" for r in ACTOR_ROLES)
    classes = " ".join(f"kg:{c}" for c in ACTOR_CLASSES)
    named = {
        row["x"].value
        for row in store.query(
            f"SELECT DISTINCT ?x WHERE {{ VALUES ?role {{ {roles} }} ?fact a ?any ; ?role ?x }}", prefixes=PREFIXES
        )  # type: ignore[union-attr]
    }
    actors = {
        iri
        for iri in named
        if registry.query(f"ASK {{ VALUES ?c {{ {classes} }} <{iri}> a ?c }}", prefixes=PREFIXES)  # type: ignore[arg-type]
    }
    found = {m.entity for m in new.known}
    assert len(actors) >= 10
    assert actors - ALLOWANCE <= found, sorted(actors - ALLOWANCE - found)
    assert not ALLOWANCE & found  # the allowance is needed, or it goes


# ---------------------------------------------------------------- the command


def test_kg_new_prints_the_paths_and_the_checklist(tiny: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    digest = hashlib.sha256(draft.read_bytes()).hexdigest()
    result = CliRunner().invoke(main, ["--project", str(tiny), "new", str(draft), "--width", "120"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == [f"wrote sources/000_{digest[:16]}.txt", "wrote data/articles/000.ttl"]
    assert "registry entities named in the text: 2 (cite them by id)" in lines
    assert "names not in the registry: 2 (add the actors among them to the registry)" in lines
    for sentence in ("Alice Arden met Ivan Cepeda in the morning.", "Later, Brook joined them."):
        assert sentence in result.output

    result = CliRunner().invoke(main, ["--project", str(tiny), "new", str(draft), "--id", "j", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["curated"] == "data/articles/j.ttl" and document["metadata"]["byline"] == "Ann Lee"
    rows = {(r["entity"].removeprefix("ent:"), r["line"], r["sentence"]) for r in document["known"]}
    assert rows == {(e, line, s) for e, found in NAMED.items() for line, s in found}


def test_kg_new_refuses_bad_input_with_exit_2_and_no_traceback(tiny: Path, tmp_path: Path) -> None:
    before = listing(tiny / "sources", tiny / "data" / "articles")
    result = CliRunner().invoke(main, ["--project", str(tiny), "new", str(tmp_path / "nowhere.txt")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{tmp_path / 'nowhere.txt'}: cannot read: no such file (or a link to nothing)",
        "    expected: an article's text (UTF-8)",
        "    hint: check the path",
    ]
    assert "Traceback" not in result.output
    assert listing(tiny / "sources", tiny / "data" / "articles") == before
