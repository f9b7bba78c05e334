"""The domain lexicon: the file format, what the shipped entries change, user
lexicons (analysis, fingerprint, stored in the index, rebuild), aliases at
query time, and the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import searchko
from searchko.analysis import analysis_fingerprint, analyze, get_kiwi
from searchko.cli import app
from searchko.errors import IndexMismatchError, LexiconError
from searchko.lexicon import Lexicon, combined, shipped_lexicon
from searchko.query import expand_aliases, parse_query
from searchko.storage import LEXICON_FILE, IndexFolder

runner = CliRunner()

# a word Kiwi splits (연합 + 방위 + 태세) kept whole, and a split of its own
USER_LEXICON = """\
# defence terms kept whole
[words]
연합방위태세  NNG  5

[splits]
한미연합훈련 = 한미/NNP 연합/NNG 훈련/NNG

[aliases]
연합방위태세, combined defense posture
"""


def terms(text, lexicon=None):
    return [(t.text, t.tag, t.start, t.end) for t in analyze(text, lexicon=lexicon)]


@pytest.fixture(scope="module")
def user_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("lexicon") / "defence.txt"
    path.write_text(USER_LEXICON, "utf-8")
    return path


@pytest.fixture(scope="module")
def user_lexicon(user_file):
    return combined(Lexicon.read(user_file))


# -- the file format -----------------------------------------------------------


def test_parse_reads_the_three_sections():
    lex = Lexicon.parse(USER_LEXICON)
    assert [(w.form, w.tag, w.score) for w in lex.words] == [("연합방위태세", "NNG", 5.0)]
    assert [(s.form, s.morphemes) for s in lex.splits] == [
        ("한미연합훈련", (("한미", "NNP"), ("연합", "NNG"), ("훈련", "NNG")))
    ]
    assert lex.aliases == (("연합방위태세", "combined defense posture"),)


def test_dump_parses_back_to_the_same_lexicon():
    for lex in (Lexicon.parse(USER_LEXICON), shipped_lexicon()):
        assert Lexicon.parse(lex.dump()) == lex
        assert Lexicon.parse(lex.dump()).digest == lex.digest


def test_comments_and_layout_do_not_change_the_digest():
    spaced = USER_LEXICON.replace("  NNG  5", "\tNNG\t5   # kept whole").replace("\n[splits]", "\n\n\n[splits]")
    assert Lexicon.parse(spaced).digest == Lexicon.parse(USER_LEXICON).digest
    assert Lexicon.parse(USER_LEXICON + "[words]\n동맹\n").digest != Lexicon.parse(USER_LEXICON).digest


def test_merging_replaces_words_and_joins_alias_groups():
    base = Lexicon.parse("[words]\n핵잠 NNG\n[aliases]\n북한, 北\n")
    mine = Lexicon.parse("[words]\n핵잠 NNP 2\n[aliases]\nDPRK, 북한\n조선, DPRK\n")
    merged = base.merged(mine)
    assert [(w.form, w.tag, w.score) for w in merged.words] == [("핵잠", "NNP", 2.0)]
    assert merged.aliases == (("북한", "北", "DPRK", "조선"),)
    assert set(merged.aliases_of("조선")) == {"북한", "北", "DPRK"}


def test_user_aliases_join_the_shipped_groups():
    lex = combined(Lexicon.parse("[aliases]\n북한, 조선\n"))
    assert {"北", "DPRK", "조선"} <= set(lex.aliases_of("북한"))


@pytest.mark.parametrize(
    "text, message",
    [
        ("핵잠 NNG\n", "before any section"),
        ("[nouns]\n핵잠\n", "unknown section [nouns]"),
        ("[words]\n핵잠 NOUN\n", "unknown part-of-speech tag 'NOUN'"),
        ("[words]\n핵잠 NNG high\n", "score 'high' is not a number"),
        ("[words]\n핵 잠수함 NNG 1\n", "a word line is"),
        ("[splits]\n한미동맹 한미/NNP 동맹/NNG\n", "a split line is"),
        ("[splits]\n한미동맹 = 한미/NNP 동맹\n", "'동맹' is not form/TAG"),
        ("[splits]\n한미동맹 = 한미/NNP 동/NNG\n", "do not spell 한미동맹"),
        ("[aliases]\n북한\n", "two forms or more"),
    ],
)
def test_a_bad_line_is_named_with_its_file_and_line(text, message):
    with pytest.raises(LexiconError) as e:
        Lexicon.parse("# mine\n" + text, "mine.txt")
    assert message in str(e.value)
    assert str(e.value).startswith("mine.txt:")
    assert e.value.hint


def test_a_missing_or_binary_file_is_a_lexicon_error(tmp_path):
    with pytest.raises(LexiconError, match="not found"):
        Lexicon.read(tmp_path / "none.txt")
    (tmp_path / "bad.txt").write_bytes(b"[words]\n\xff\xfe\xfa\n")
    with pytest.raises(LexiconError, match="not UTF-8"):
        Lexicon.read(tmp_path / "bad.txt")


def test_a_split_into_morphemes_kiwi_lacks_is_a_lexicon_error(tmp_path):
    odd = tmp_path / "odd.txt"
    odd.write_text("[splits]\n쀍뛣 = 쀍/NNG 뛣/NNG\n", "utf-8")
    with pytest.raises(LexiconError, match="odd.txt:2: Kiwi cannot split 쀍뛣"):
        get_kiwi(combined(Lexicon.read(odd)))
    # found before an index is made with it
    with pytest.raises(LexiconError):
        searchko.Index.create(tmp_path / "index", lexicon=odd)
    assert not IndexFolder(tmp_path / "index").exists()


# -- what the shipped entries change ---------------------------------------------


def test_shipped_words_keep_the_domain_terms_whole():
    # 인도 + 태평양 otherwise: 인도태평양 would not find 인도태평양전략, and 인도 (India) would
    assert terms("인도태평양전략을") == [
        ("인도태평양", "NNP", 0, 5), ("전략", "NNG", 5, 7), ("인도태평양전략", "NNP+NNG", 0, 7),
    ]
    # 고(prefix, dropped) + 고도 otherwise
    assert terms("고고도미사일") == [
        ("고고도", "NNG", 0, 3), ("미사일", "NNG", 3, 6), ("고고도미사일", "NNG+NNG", 0, 6),
    ]
    # ... without taking 최고고도 (highest altitude) apart wrongly
    assert [t[0] for t in terms("최고고도")] == ["최고", "고도", "최고고도"]
    # 핵자 + ㅁ when typed alone otherwise; 핵잠재력 stays 핵 + 잠재력
    assert terms("핵잠") == [("핵잠", "NNG", 0, 2)]
    assert [t[0] for t in terms("핵잠재력")] == ["핵", "잠재력", "핵잠재력"]


def test_shipped_splits_make_a_word_typed_alone_split_as_in_a_sentence():
    assert [t[0] for t in terms("안보협의회의")] == ["안보", "협의", "회의", "안보협의회의"]
    assert [t[0] for t in terms("제56차 안보협의회의를")] == ["56", "차", "안보", "56차", "협의", "회의", "안보협의회의"]
    assert [t[0] for t in terms("프리덤에지")] == ["프리덤", "에지", "프리덤에지"]


# -- a user lexicon changes the analysis and the fingerprint -----------------------


def test_a_user_file_changes_the_analysis(user_lexicon):
    text = "연합방위태세를 점검했다"
    assert terms(text) == [
        ("연합", "NNG", 0, 2), ("방위", "NNG", 2, 4), ("태세", "NNG", 4, 6),
        ("점검", "NNG", 8, 10), ("연합방위태세", "NNG+NNG+NNG", 0, 6),
    ]
    assert terms(text, user_lexicon) == [("연합방위태세", "NNG", 0, 6), ("점검", "NNG", 8, 10)]
    # the default analysis is untouched: several Kiwis live side by side
    assert terms(text)[0] == ("연합", "NNG", 0, 2)
    assert get_kiwi(user_lexicon) is not get_kiwi()
    # one Kiwi for lexicons that differ only in aliases
    assert get_kiwi(combined(Lexicon.parse("[aliases]\n핵잠, SSN\n"))) is get_kiwi()


def test_a_user_file_changes_the_fingerprint(user_lexicon):
    assert analysis_fingerprint()["lexicon"] == shipped_lexicon().digest
    assert analysis_fingerprint(lexicon=user_lexicon)["lexicon"] == user_lexicon.digest != shipped_lexicon().digest


DOCS = [
    {"id": "posture", "title": "연합방위태세 점검", "body": "한미는 연합방위태세를 점검했다."},
    {"id": "drill", "body": "한미연합훈련이 시작됐다."},
]


def test_an_index_keeps_its_lexicon_and_searches_with_it(tmp_path, user_file):
    path = tmp_path / "index"
    with searchko.Index.create(path, lexicon=[user_file]) as ix:
        ix.add(DOCS)
    assert (IndexFolder(path).current() / LEXICON_FILE).is_file()
    # opened without naming the file: the copy in the index is used
    with searchko.open_index(path) as ix:
        assert ix.lexicon.digest == combined(Lexicon.read(user_file)).digest
        assert ix.stats().fingerprint["lexicon"] == ix.lexicon.digest
        hits = ix.search("연합방위태세")
        assert [h.id for h in hits] == ["posture"]
        assert hits[0].title_highlights == ((0, 6),)
        # the user's alias
        assert [h.id for h in ix.search("combined defense posture")] == ["posture"]
        # the same file again is no change
    with searchko.open_index(path, lexicon=[user_file]) as ix:
        assert len(ix) == 2


def test_a_changed_lexicon_is_refused_until_rebuilt(tmp_path, user_file):
    path = tmp_path / "index"
    with searchko.Index.create(path) as ix:
        ix.add(DOCS)
    with pytest.raises(IndexMismatchError) as e:
        searchko.open_index(path, lexicon=[user_file])
    assert "another lexicon" in str(e.value) and "rebuild" in e.value.hint
    searchko.rebuild_index(path, lexicon=[user_file])
    with searchko.open_index(path, lexicon=[user_file]) as ix:
        assert ix.user_lexicon == Lexicon.read(user_file)
        assert len(ix) == 2
        assert [h.id for h in ix.search("연합방위태세")] == ["posture"]
    # a rebuild keeps the lexicon unless told otherwise; [] is the shipped one alone
    searchko.rebuild_index(path)
    with searchko.open_index(path) as ix:
        assert ix.user_lexicon == Lexicon.read(user_file)
    searchko.rebuild_index(path, lexicon=[])
    with searchko.open_index(path) as ix:
        assert ix.user_lexicon is None and ix.lexicon is shipped_lexicon()
    assert not (IndexFolder(path).current() / LEXICON_FILE).exists()


def test_an_index_whose_shipped_lexicon_changed_says_rebuild(tmp_path):
    path = tmp_path / "index"
    searchko.Index.create(path).close()
    fingerprint = IndexFolder(path).current() / "searchko.json"
    recorded = json.loads(fingerprint.read_text("utf-8"))
    recorded["lexicon"] = "0123456789abcdef"
    fingerprint.write_text(json.dumps(recorded), "utf-8")
    with pytest.raises(IndexMismatchError, match="made with another lexicon") as e:
        searchko.open_index(path)
    assert "rebuild" in e.value.hint


# -- aliases at query time -----------------------------------------------------------


@pytest.mark.parametrize(
    "query, form",
    [("北", "북한"), ("DPRK", "북한"), ("North Korea", "북한"), ("USFK", "주한미군"), ("韓美", "한미"),
     ("NCG", "핵협의그룹"), ("IRA", "인플레이션감축법"), ("북한의", "北"), ("usfk", "주한미군")],
)
def test_shipped_aliases_find_the_other_forms(ix, query, form):
    hits = ix.search(query, limit=50)
    marked = {s.text[a:b] for h in hits for s in h.snippets for a, b in s.highlights}
    assert form in marked or any(form in h.title for h in hits)


def test_an_alias_finds_documents_that_only_use_another_form(empty_index):
    empty_index.add([
        {"id": "kr", "body": "북한이 미사일을 발사했다."},
        {"id": "han", "body": "北 미사일 발사"},
        {"id": "en", "body": "North Korea launched a missile."},
        {"id": "usfk", "body": "주한미군 병력 감축 논의"},
        {"id": "none", "body": "북극 항로가 열렸다."},
    ])
    found = lambda q: {h.id for h in empty_index.search(q)}  # noqa: E731
    assert found("北") == found("북한") == found("DPRK") == found("north korea") == {"kr", "han", "en"}
    assert found("USFK") == {"usfk"}
    # a quoted phrase is matched as written
    assert {h.id for h in empty_index.search('"North Korea"')} == {"en"}


@pytest.mark.parametrize("typed, other", [("韓美", "한미"), ("한미", "韓美"), ("北", "북한"), ("북한", "北")])
def test_the_typed_form_ranks_first(empty_index, typed, other):
    empty_index.add([
        {"id": "other", "body": f"{other} 정상회담에서 공동성명을 발표했다. 양측은 협력을 약속했다."},
        {"id": "typed", "body": f"{typed} 정상회담에서 공동성명을 발표했다. 양측은 협력을 약속했다."},
    ])
    assert [h.id for h in empty_index.search(typed)] == ["typed", "other"]


def test_expand_aliases_finds_single_and_multi_word_forms():
    lex = shipped_lexicon()
    words = ["North", "Korea", "북한의", "핵"]
    found = expand_aliases(words, ["north", "korea", "북한", "핵"], lex)
    assert found[0][0] == 2 and "북한" in found[0][1]
    assert found[2][0] == 3 and "北" in found[2][1]
    assert 3 not in found


def test_a_query_without_aliases_is_parsed_as_before():
    shipped = shipped_lexicon()
    no_aliases = Lexicon(shipped.words, shipped.splits)
    assert str(parse_query("동맹 강화 방안", no_aliases).match) == str(parse_query("동맹 강화 방안").match)
    assert "북한" in str(parse_query("北").match) and "북한" not in str(parse_query("北", no_aliases).match)


# -- the command line ------------------------------------------------------------------


def test_cli_lexicon_flag_index_refuse_rebuild(tmp_path, user_file):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("연합방위태세를 점검했다.", "utf-8")
    index = str(tmp_path / "index")
    result = runner.invoke(app, ["index", str(docs), "-i", index])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["index", str(docs), "-i", index, "--lexicon", str(user_file)])
    assert result.exit_code == 2
    assert "another lexicon" in result.stderr and "searchko rebuild --lexicon" in result.stderr
    result = runner.invoke(app, ["rebuild", "-i", index, "--lexicon", str(user_file)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["index", str(docs), "-i", index, "-L", str(user_file)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["lexicon", "-i", index])
    assert result.exit_code == 0 and "연합방위태세\tNNG\t5" in result.stdout
    result = runner.invoke(app, ["search", "연합방위태세", "-i", index, "--json"])
    assert json.loads(result.stdout.splitlines()[0])["snippets"][0]["highlights"] == [[0, 6]]


def test_cli_config_file_names_the_lexicon(tmp_path, user_file):
    config = tmp_path / "config.toml"
    config.write_text(f'lexicon = ["{user_file}"]\n', "utf-8")
    result = runner.invoke(app, ["analyze", "연합방위태세를", "--json", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["term"] for line in result.stdout.splitlines()] == ["연합방위태세"]
    result = runner.invoke(app, ["analyze", "연합방위태세를", "--json"], env={"SEARCHKO_CONFIG": str(config)})
    assert [json.loads(line)["term"] for line in result.stdout.splitlines()] == ["연합방위태세"]
    config.write_text('lexicons = ["x.txt"]\n', "utf-8")
    result = runner.invoke(app, ["analyze", "동맹", "--config", str(config)])
    assert result.exit_code == 2 and "unknown setting 'lexicons'" in result.stderr


def test_cli_bad_lexicon_file_is_one_error_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("[words]\n핵잠 NOUN\n", "utf-8")
    result = runner.invoke(app, ["index", str(tmp_path), "-i", str(tmp_path / "index"), "--lexicon", str(bad)])
    assert result.exit_code == 2
    assert f"error: {bad}:2: unknown part-of-speech tag 'NOUN'" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["analyze", "동맹", "--lexicon", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "not found" in result.stderr


def test_an_alias_form_is_not_spelling_corrected(empty_index):
    # nothing about North Korea here, and dprc is one edit from dprk: the
    # lexicon knows DPRK as a name, so it is not "corrected" into another
    empty_index.add([{"id": "dprc", "body": "The dprc delegation arrived."}])
    results = empty_index.search("dprk")
    assert results.corrected is None and not results
