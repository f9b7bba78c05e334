"""Typo tolerance and Korean input forms, as a user meets them: a misspelt
word, a query typed as initial consonants, Korean typed with the keyboard in
English mode; through the API, the CLI and HTTP; and --exact."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import searchko
from searchko.correction import FEW_HITS
from searchko.spelling import Vocabulary
from searchko.cli import app

runner = CliRunner()


def ids(results):
    return [h.id for h in results]


def correction(results):
    return results.corrected, [(c.typed, c.corrected, c.kind) for c in results.corrections]


# -- each form through the API --------------------------------------------------


@pytest.mark.parametrize("typed, meant", [
    ("동멩", "동맹"),
    ("한미동명", "한미동맹"),
    ("한미동명의", "한미동맹의"),  # the particle is kept
    ("동멩을", "동맹을"),
])
def test_misspelt_word_is_corrected_and_searched(ix, typed, meant):
    assert ix.search(typed, exact=True).total == 0
    results = ix.search(typed)
    assert correction(results) == (meant, [(typed, meant, "spelling")])
    assert results.query == typed
    assert ids(results) == ids(ix.search(meant))


def test_initial_consonants_find_the_compound(ix):
    results = ix.search("ㅎㅁㄷㅁ")
    assert correction(results) == ("한미동맹", [("ㅎㅁㄷㅁ", "한미동맹", "initials")])
    assert ids(results) == ids(ix.search("한미동맹"))
    assert "동맹" in results[0].title


def test_keyboard_in_english_mode_is_converted(ix):
    results = ix.search("gksalehdaod")
    assert correction(results) == ("한미동맹", [("gksalehdaod", "한미동맹", "keyboard")])
    assert ids(results) == ids(ix.search("한미동맹"))


def test_each_word_is_converted_on_its_own(ix):
    results = ix.search("ehdaoddmf 강화")
    assert correction(results) == ("동맹을 강화", [("ehdaoddmf", "동맹을", "keyboard")])


@pytest.mark.parametrize("word", ["NCG", "USFK", "IRA", "ROK", "Korea", "alliance", "security", "defense"])
def test_acronyms_and_english_words_are_left_alone(ix, word):
    results = ix.search(word)
    assert results.corrected is None and results.corrections == ()
    assert ids(results) == ids(ix.search(word, exact=True))


@pytest.mark.parametrize("query", ["한미동맹", "동맹", "북한 핵", "러북 군사협력", "동멩을 강화"])
def test_a_query_that_finds_plenty_is_never_corrected(ix, query):
    results = ix.search(query)
    assert results.total >= 5
    assert results.corrected is None


def test_a_real_word_the_index_lacks_is_not_corrected(ix):
    # 공무원 is one jamo syllable away from 공원: a word Kiwi knows is not a typo
    results = ix.search("공무원")
    assert results.corrected is None


@pytest.mark.parametrize("query", ["동멩", "한미동명", "gksalehdaod"])
def test_exact_searches_as_typed(ix, query):
    results = ix.search(query, exact=True)
    assert results.total == 0 and results.corrected is None


def test_exact_initials_are_no_words(ix):
    results = ix.search("ㅎㅁㄷㅁ", exact=True)
    assert not results and results.hint and results.corrected is None


# -- the syntax around corrected words --------------------------------------------


@pytest.mark.parametrize("typed, searched", [
    ("ㅎㅁㄷㅁ -일본", "한미동맹 -일본"),
    ("동멩 date:2025", "동맹 date:2025"),
    ("source:국방부 동멩", "source:국방부 동맹"),
    ("title:동멩", "title:동맹"),
    ("body:ㅎㅁㄷㅁ", "body:한미동맹"),
    ("(동멩)?", "(동맹)?"),
    ("gksalehdaod NOT 일본", "한미동맹 NOT 일본"),
])
def test_operators_fields_and_dates_keep_working(ix, typed, searched):
    results = ix.search(typed)
    assert results.corrected == searched
    assert ids(results) == ids(ix.search(searched))


def test_quoted_phrases_and_excluded_words_are_left_as_typed(ix):
    assert ix.search('"동멩"').corrected is None
    assert ix.search("-동멩 강화").corrected is None
    assert ix.search("강화 NOT 동멩").corrected is None


def test_filters_apply_to_the_corrected_query(ix):
    results = ix.search("동멩", since="2025-01-01")
    assert results.corrected == "동맹"
    assert results and all(h.date and h.date.year >= 2025 for h in results)


# -- cost and freshness -------------------------------------------------------------


def test_a_query_that_finds_enough_or_of_known_words_needs_no_vocabulary(data_index, monkeypatch):
    def refuse(self):
        raise AssertionError("the vocabulary was built")

    monkeypatch.setattr(searchko.Index, "vocabulary", refuse)
    with searchko.open_index(data_index) as ix:
        assert ix.search("한미동맹").total > 5
        assert ix.search("NCG USFK").corrected is None
        # few hits, but every word is a known term: nothing to correct
        few = ix.search("반도체 date:2024-06")
        assert few.total < FEW_HITS and few.corrected is None


def test_a_known_word_is_one_found_in_few_hits_documents():
    assert Vocabulary([]).known_frequency == FEW_HITS


def test_corrections_follow_the_index(tmp_path):
    with searchko.Index.create(tmp_path / "index") as ix:
        ix.add([{"id": f"a{i}", "body": "동맹 관계를 논의했다."} for i in range(3)])
        assert ix.search("러붘").total == 0 and ix.search("러붘").corrected is None
        ix.add([{"id": f"b{i}", "body": "러북 군사협력이 우려된다."} for i in range(3)])
        assert ix.search("러붘").corrected == "러북"


# -- the CLI and HTTP -------------------------------------------------------------


def search(*args):
    return runner.invoke(app, ["search", *args])


@pytest.mark.parametrize("typed, meant, why", [
    ("동멩", "동맹", "spelling"),
    ("한미동명", "한미동맹", "spelling"),
    ("ㅎㅁㄷㅁ", "한미동맹", "initial consonants"),
    ("gksalehdaod", "한미동맹", "keyboard in English mode"),
])
def test_cli_shows_the_correction(data_index, typed, meant, why):
    result = search(typed, "--index", str(data_index), "-n", "3")
    assert result.exit_code == 0, result.output
    assert f"corrected: {typed} → {meant} ({why}; use --exact to search as typed)" in result.stderr
    assert result.stdout.count("\n    data/") == 3  # the hits' ids


def test_cli_exact_searches_as_typed(data_index):
    result = search("gksalehdaod", "--exact", "--index", str(data_index))
    assert result.exit_code == 1
    assert result.stdout == "" and "corrected" not in result.stderr


def test_cli_json_carries_the_correction(data_index):
    result = search("gksalehdaod", "--json", "-n", "2", "--index", str(data_index))
    assert result.exit_code == 0
    assert json.loads(result.stderr) == {
        "query": "gksalehdaod", "corrected": "한미동맹",
        "corrections": [{"typed": "gksalehdaod", "corrected": "한미동맹", "kind": "keyboard"}],
    }
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(hits) == 2 and all("id" in h for h in hits)


def test_cli_says_nothing_when_nothing_was_corrected(data_index):
    result = search("한미동맹", "--index", str(data_index), "-n", "1")
    assert result.exit_code == 0 and "corrected" not in result.stderr


@pytest.fixture(scope="module")
def client(data_index):
    pytest.importorskip("fastapi", reason="needs the server extra")
    from fastapi.testclient import TestClient

    from searchko.server import create_app

    with TestClient(create_app(data_index)) as c:
        yield c


def test_http_returns_the_corrected_query(client):
    body = client.get("/search", params={"q": "gksalehdaod", "limit": 3}).json()
    assert body["query"] == "gksalehdaod" and body["corrected"] == "한미동맹"
    assert body["total"] > 5 and len(body["hits"]) == 3
    assert client.get("/search", params={"q": "한미동맹"}).json()["corrected"] is None


def test_http_exact_searches_as_typed(client):
    body = client.get("/search", params={"q": "gksalehdaod", "exact": "true"}).json()
    assert body == {"query": "gksalehdaod", "corrected": None, "total": 0, "hits": []}
