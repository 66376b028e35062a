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
    assert caught.value.message == f"sources/{placed.name}: another text already has the new text's name"
    assert "--id" in caught.value.hint and "x9" not in caught.value.hint  # not the id that just failed
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


def test_a_text_already_curated_under_another_id_is_named_in_a_warning(tiny: Path, tmp_path: Path) -> None:
    project = tiny_project(tiny)
    again = tmp_path / "again.txt"
    again.write_bytes((tiny / "sources" / "t1.txt").read_bytes())  # the text t1.ttl was curated from
    digest = hashlib.sha256(again.read_bytes()).hexdigest()
    assert value(triples_of(tiny / "data" / "articles" / "t1.ttl"), ART + "t1", KG.sourceSha256) == digest

    result = CliRunner().invoke(main, ["--project", str(tiny), "new", str(again)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2] == (
        "warning: data/articles/t1.ttl already records this text (art:t1): if it is the same article, "
        f"curate that file and remove data/articles/000.ttl and sources/000_{digest[:16]}.txt"
    )
    skeleton = (tiny / "data" / "articles" / "000.ttl").read_text(encoding="utf-8")
    assert "# Warning: data/articles/t1.ttl already records this text (art:t1)." in skeleton
    # every file that records it is named, the skeleton just written too
    assert new_article(project, again, article_id="x").same_text == {
        "data/articles/000.ttl": "art:000",
        "data/articles/t1.ttl": "art:t1",
    }
    result = CliRunner().invoke(main, ["--project", str(tiny), "new", str(again), "--id", "j", "--format", "json"])
    assert json.loads(result.output)["same_text"] == {
        "data/articles/000.ttl": "art:000",
        "data/articles/t1.ttl": "art:t1",
        "data/articles/x.ttl": "art:x",
    }

    draft = tmp_path / "draft.txt"  # another text: no warning
    draft.write_text(DRAFT, encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(tiny), "new", str(draft), "--id", "k"])
    assert result.exit_code == 0 and "warning" not in result.output.casefold()
    assert "Warning" not in (tiny / "data" / "articles" / "k.ttl").read_text(encoding="utf-8")
    assert new_article(project, draft, article_id="k2").same_text == {"data/articles/k.ttl": "art:k"}


def test_the_text_already_in_the_sources_folder_is_used_as_it_is(tiny: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    project = tiny_project(tiny)
    placed = project.sources / f"000_{hashlib.sha256(draft.read_bytes()).hexdigest()[:16]}.txt"
    placed.symlink_to(draft)  # placed by hand (here a link), under the name kg new gives it
    new = new_article(project, draft)
    assert new.source == placed and placed.is_symlink() and placed.read_bytes() == draft.read_bytes()
    check_project(project, incremental=False)

    # a skeleton that cannot be written leaves the text that was there before
    broken = dataclasses.replace(project, articles=tiny / "pyproject.toml" / "articles")
    with pytest.raises(InputError):
        new_article(broken, draft)
    assert placed.is_symlink()


def test_windows_line_endings_and_a_byte_order_mark_are_kept_and_read(tiny: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    data = ("\ufeff" + DRAFT.replace("\n", "\r\n")).encode("utf-8")
    draft.write_bytes(data)
    project = tiny_project(tiny)
    new = new_article(project, draft)
    assert new.source.read_bytes() == data  # the bytes as they came: the digest is theirs
    assert new.metadata == {"headline": 'Arden and Brook: "We meet again"', "published": "2026-03-14", "modified": None,
                            "byline": "Ann Lee"}  # fmt: skip
    assert {m.entity.removeprefix(ENT): list(zip(m.lines, m.sentences, strict=True)) for m in new.known} == NAMED
    # a quote that runs over a line break (CR LF in the text) checks, as in any article
    with new.curated.open("a", encoding="utf-8") as f:
        f.write('ev:000-01 a kg:Evidence ; kg:quote "in the morning. Later, Brook joined them." ; '
                "kg:inArticle art:000 .\n")  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnverifiedWarning)
        check_project(project, incremental=False)


#: Heads of texts and what kg new reads from them: (headline, published, modified, byline).
HEADS = {
    "a byline first": ("By Maria Gomez\nPetro met Trump.\n", (None, None, None, "Maria Gomez")),
    "no headline": ("Petro met Trump in Bogotá on Monday, officials said.\n", (None, None, None, None)),
    "updated, then published": (
        "Talks\nUpdated March 4, 2026 | Published March 3, 2026\n\nText.",
        ("Talks", "2026-03-03", "2026-03-04", None),
    ),
    "a colon after the cue": (
        "Talks\nPublished: March 3, 2026\nBy: Ann Lee\n\nText.",
        ("Talks", "2026-03-03", None, "Ann Lee"),
    ),
    "Sept.": ("Talks\nPublished Sept. 3, 2026\n\nText.", ("Talks", "2026-09-03", None, None)),
    "a date in words, said": (
        "Talks\nPosted on 3 March 2026 at 10:15 EST\nBy Ana Ruiz and John Smith\n\nText.",
        ("Talks", "2026-03-03", None, "Ana Ruiz and John Smith"),
    ),
    "a date in words, unsaid": ("Talks\nMarch 3, 2026\n\nText.", ("Talks", None, None, None)),
}


@pytest.mark.parametrize("case", list(HEADS))
def test_the_head_gives_what_it_says_plainly(case: str) -> None:
    text, expected = HEADS[case]
    head = read_head(text)
    assert (head.headline, head.published, head.modified, head.byline) == expected


def test_a_date_line_that_does_not_say_what_it_is_is_pointed_out() -> None:
    head = read_head("Talks\nMarch 3, 2026\n\nText.")
    assert head.notes["published"] == (
        "none: line 2, 'March 3, 2026', is a date, but does not say it is the date published: if it is, write it here"
    )


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
    # a photo's credit names its photographer and agency, not "Credit Image"
    caption = (
        "Petro speaks in the capital on January 27. (Credit Image: © Sebastian Barros/LongVisual via Zuma Press Wire)"
    )
    assert [u.name for u in find_mentions(registry, caption).unknown] == ["Sebastian Barros", "Zuma Press Wire"]


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


#: Actors an article's facts name that its text never names: the unnamed authors of 002 and
#: 004, to whom the articles' own opinions are attributed (kg:claimedBy), are no name in them.
ALLOWANCE = {"002": {ENT + "author-of-002"}, "004": {ENT + "author-of-004"}}
ACTOR_ROLES = ("actor", "target", "participant", "holder", "subject", "object", "about", "claimedBy")
ACTOR_CLASSES = ("Person", "Organisation", "Group", "Country")


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_each_seed_article_made_new_again(number: str, texts: Path, tmp_path: Path) -> None:
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("pyproject.toml", "ontology.ttl"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(ROOT / "data", copy / "data", ignore=shutil.ignore_patterns("sources", f"{number}.ttl"))
    curated = _curated_values(ROOT / "data" / "articles" / f"{number}.ttl")
    seeds = copy / "texts"  # links to the other texts: nothing is ever written into the seeds' folder
    seeds.mkdir()
    for other in {"000", "001", "002", "003", "004"} - {number}:
        name = _curated_values(ROOT / "data" / "articles" / f"{other}.ttl")["source"]
        assert name is not None
        (seeds / name).symlink_to(texts / name)
    assert curated["source"] is not None
    copied = Project.at(copy, sources=seeds)

    new = new_article(copied, texts / curated["source"])

    assert new.id == ("004" if number == "004" else "005") and new.metadata["headline"] == curated["headline"]
    assert new.same_text == {}  # its curated file is gone: the text is new again
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnverifiedWarning)  # every text is there: every quote is checked
        check_project(copied, incremental=False)

    # the actors the curated file's facts name (read from it) are in the checklist
    store = triples_of(ROOT / "data" / "articles" / f"{number}.ttl")
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
    allowance = ALLOWANCE.get(number, set())
    assert len(actors) >= 9
    assert actors - allowance <= found, sorted(actors - allowance - found)
    assert not allowance & found  # the allowance is needed, or it goes

    # the same text again, under another id: the file that records it is named
    again = new_article(copied, texts / curated["source"], article_id="again")
    assert again.same_text == {f"data/articles/{new.id}.ttl": f"art:{new.id}"}


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
