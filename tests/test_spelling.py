"""Spelling help: jamo, 초성 queries, the keyboard left in English mode, and
suggestions from the vocabulary (searchko.spelling)."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchko.spelling import (
    Vocabulary,
    compose,
    decompose,
    from_qwerty,
    initials,
    is_initials,
    jamo_distance,
    looks_mistyped,
)

syllables = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
hangul_text = st.text(syllables, min_size=1, max_size=12)
# Syllables mixed with what sits beside them in real text: Latin, digits,
# spaces, punctuation, Hanja.
mixed_text = st.text(
    st.one_of(syllables, st.sampled_from(list("abcNCG019 .,-·北南韓()"))), max_size=20
)


# --------------------------------------------------------------------------
# Jamo


@pytest.mark.parametrize(
    "text, jamo",
    [
        ("한미동맹", "ㅎㅏㄴㅁㅣㄷㅗㅇㅁㅐㅇ"),
        ("값", "ㄱㅏㅂㅅ"),  # a double final is two letters
        ("닭", "ㄷㅏㄹㄱ"),
        ("않", "ㅇㅏㄴㅎ"),
        ("밖", "ㅂㅏㄲ"),  # a tense consonant is one letter
        ("과", "ㄱㅘ"),  # so is a composite vowel
        ("의", "ㅇㅢ"),
        ("NCG 北 ㅎㅁ 2024", "NCG 北 ㅎㅁ 2024"),  # anything else passes through
        ("한·미", "ㅎㅏㄴ·ㅁㅣ"),
        ("", ""),
    ],
)
def test_decompose(text, jamo):
    assert decompose(text) == jamo


@pytest.mark.parametrize(
    "jamo, text",
    [
        ("ㅎㅏㄴㅁㅣㄷㅗㅇㅁㅐㅇ", "한미동맹"),
        ("ㄱㅏㅂㅅ", "값"),
        ("ㄱㅏㅂㅅㅇㅣ", "값이"),
        ("ㄱㅏㅂㅅㅏ", "갑사"),  # the second letter of a double final moves on
        ("ㄷㅏㄹㄱㅡㄹ", "달글"),
        ("ㄱㅏㄱㅏ", "가가"),  # a final moves to the next syllable before a vowel
        ("ㄱㅏㄸㅏ", "가따"),  # ㄸ ㅃ ㅉ are never finals
        ("ㄱㅏㄸ", "가ㄸ"),
        ("ㄱㅗㅏ", "과"),  # two vowel keys make a composite vowel
        ("ㅇㅜㅓㄴ", "원"),
        ("ㅎㅎ", "ㅎㅎ"),  # jamo that make no syllable stay as they are
        ("ㅏ", "ㅏ"),
        ("ㅏㄱ", "ㅏㄱ"),
        ("ㄳ", "ㄳ"),
        ("ㅎㅏㄴ ㅁㅣ", "한 미"),  # anything else ends the syllable
        ("ㄱㅏㄴ1ㅏ", "간1ㅏ"),
        ("", ""),
    ],
)
def test_compose(jamo, text):
    assert compose(jamo) == text


@pytest.mark.parametrize("text", ["한미동맹", "값이 갑사 닭고기 읽다", "꽃잎 앉아 없었다", "NCG(핵협의그룹) 北 2024년"])
def test_compose_undoes_decompose(text):
    assert compose(decompose(text)) == text


@given(hangul_text)
def test_compose_undoes_decompose_on_syllables(text):
    assert compose(decompose(text)) == text


@given(mixed_text)
def test_compose_undoes_decompose_on_mixed_text(text):
    assert compose(decompose(text)) == text


@given(hangul_text)
def test_decompose_leaves_no_syllable_and_two_to_five_letters_each(text):
    jamo = decompose(text)
    assert all("\u3131" <= c <= "\u3163" for c in jamo)
    assert 2 * len(text) <= len(jamo) <= 4 * len(text)
    assert len(initials(text)) == len(text)


@pytest.mark.parametrize(
    "word, expected",
    [
        ("한미동맹", "ㅎㅁㄷㅁ"),
        ("까치", "ㄲㅊ"),
        ("연합방위태세", "ㅇㅎㅂㅇㅌㅅ"),
        ("NCG확장", "ncgㅎㅈ"),  # other characters pass through, lowercased
        ("北한", "北ㅎ"),
        ("", ""),
    ],
)
def test_initials(word, expected):
    assert initials(word) == expected


@pytest.mark.parametrize("text", ["ㅎㅁㄷㅁ", "ㅎㅁ", "ㄲㅊ", "ㅇㅎㅂㅇㅌㅅ"])
def test_is_initials(text):
    assert is_initials(text)


@pytest.mark.parametrize(
    "text",
    ["", "ㅎ", "ㅎㅁ동", "한미", "ㅏㅓ", "ㅎ ㅁ", "ㄳㄱ", "hm", "ㅎㅁ1", "ᄒᄆ"],
)
def test_is_not_initials(text):
    assert not is_initials(text)


# --------------------------------------------------------------------------
# A keyboard left in English mode

# Words of the corpus's domain and their keystrokes on 두벌식.
KOREAN_TYPED_IN_ENGLISH = [
    ("한미동맹", "gksalehdaod"),
    ("북한", "qnrgks"),
    ("주한미군", "wngksalrns"),
    ("방위비", "qkddnlql"),
    ("확장억제", "ghkrwkddjrwp"),
    ("연합훈련", "dusgkqgnsfus"),
    ("국방부", "rnrqkdqn"),
    ("외교부", "dhlryqn"),
    ("미사일", "altkdlf"),
    ("반도체", "qksehcp"),
    ("공급망", "rhdrmqakd"),
    ("동맹", "ehdaod"),
    ("안보", "dksqh"),
    ("협력", "guqfur"),
    ("정상회담", "wjdtkdghleka"),
    ("핵협의그룹", "gorguqdmlrmfnq"),
    ("러시아", "fjtldk"),
    ("중국", "wndrnr"),
    ("일본", "dlfqhs"),
    ("경제", "rudwp"),
    ("대통령", "eoxhdfud"),
    ("국회", "rnrghl"),
    ("장관", "wkdrhks"),
    ("관세", "rhkstp"),
    ("수출", "tncnf"),
    ("한반도", "gksqkseh"),
    ("비핵화", "qlgorghk"),
    ("안녕하세요", "dkssudgktpdy"),
    ("통일부", "xhddlfqn"),
    ("우크라이나", "dnzmfkdlsk"),
]

# English words and acronyms a user of this corpus may well type.
ENGLISH = """
alliance korea defense nuclear missile summit trade news security military
president minister government policy economy sanctions deterrence extended
exercise forces treaty agreement tariff semiconductor supply chain china japan
russia north south united states america washington seoul pyongyang beijing
tokyo biden trump yoon election budget report press briefing meeting
cooperation strategy world chips export import market joint drill navy army
troops talks deal statement chairman city coal clean chaos angel auto audit
also alto park moon data cloud

ncg usfk icbm slbm thaad nato korus gsomia
NCG USFK IRA ICBM SLBM THAAD NATO KORUS GSOMIA
Korea Seoul Alliance Biden NCGs
""".split()


@pytest.mark.parametrize("word, keys", KOREAN_TYPED_IN_ENGLISH)
def test_from_qwerty(word, keys):
    assert from_qwerty(keys) == word


@pytest.mark.parametrize(
    "keys, text",
    [
        ("dkssudgktpdy", "안녕하세요"),
        # Shift: ㅃ ㅉ ㄸ ㄲ ㅆ ㅒ ㅖ
        ("Qkf", "빨"),
        ("Wkd", "짱"),
        ("Ekf", "딸"),
        ("Rkcl", "까치"),
        ("Tkfk", "싸라"),
        ("dO", "얘"),
        ("dP", "예"),
        ("GKS", "한"),  # other capitals type what their small letters do
        # composite vowels
        ("rhk", "과"),
        ("dho", "왜"),
        ("dhl", "외"),
        ("dnj", "워"),
        ("dnp", "웨"),
        ("dnl", "위"),
        ("dml", "의"),
        # double finals
        ("sjrt", "넋"),
        ("dksw", "앉"),
        ("dksg", "않"),
        ("ekfr", "닭"),
        ("tkfa", "삶"),
        ("qkfq", "밟"),
        ("rhft", "곬"),
        ("gkfx", "핥"),
        ("dmfv", "읊"),
        ("tlfg", "싫"),
        ("djqt", "없"),
        # a final moves on before a vowel; of a double final only its second letter
        ("rkrk", "가가"),
        ("ekfrdl", "닭이"),
        ("ekfrl", "달기"),
        ("djqtdjTek", "없었다"),
        # what is not a letter passes through and ends the syllable
        ("gks alehdaod", "한 미동맹"),
        ("2024sus", "2024년"),
        ("rk.", "가."),
        # keystrokes that make no syllable stay jamo
        ("gg", "ㅎㅎ"),
        ("k", "ㅏ"),
        ("", ""),
    ],
)
def test_from_qwerty_automaton(keys, text):
    assert from_qwerty(keys) == text


def test_looks_mistyped_finds_korean_typed_in_english():
    missed = {word for word, keys in KOREAN_TYPED_IN_ENGLISH if not looks_mistyped(keys)}
    # 협력 (guqfur) reads as English to the letter-pair model: fu, ur.
    assert missed <= {"협력"}


@pytest.mark.parametrize("word", ENGLISH)
def test_looks_mistyped_leaves_english_alone(word):
    assert not looks_mistyped(word)


@pytest.mark.parametrize(
    "text",
    [
        "gks",  # too short
        "gkS",
        "gksalehdaod!",  # not letters only
        "gks alehdaod",
        "한미동맹",
        "GKSALEHDAOD",  # all capitals: an acronym
        "Gksalehdaod",  # a capital that is not a shifted Korean key
        "gksalehdaodkk",  # a lone vowel left over (한미동매아ㅏ)
        "gksalehdaodr",  # ... or a lone consonant (한미동맹ㄱ)
        "rrrr",
        "",
    ],
)
def test_looks_mistyped_needs_clean_syllables(text):
    assert not looks_mistyped(text)


def test_looks_mistyped_takes_shifted_keys():
    assert from_qwerty("dkswjsRkwl") == "안전까지"
    assert looks_mistyped("dkswjsRkwl")


# --------------------------------------------------------------------------
# Edit distance on jamo


@pytest.mark.parametrize(
    "a, b, distance",
    [
        ("동맹", "동맹", 0),
        ("동멩", "동맹", 1),
        ("방이비", "방위비", 1),
        ("연합방위태쇄", "연합방위태세", 1),
        ("값", "갑", 1),
        ("한미", "한국", 3),
        ("", "가", 2),
        ("ncg", "nsg", 1),
        ("북한", "", 6),
    ],
)
def test_jamo_distance(a, b, distance):
    assert jamo_distance(a, b) == distance
    assert jamo_distance(b, a) == distance


@given(hangul_text, hangul_text)
def test_jamo_distance_is_symmetric_and_zero_only_for_equal_words(a, b):
    d = jamo_distance(a, b)
    assert d == jamo_distance(b, a)
    assert (d == 0) == (a == b)
    assert d <= max(len(decompose(a)), len(decompose(b)))


# --------------------------------------------------------------------------
# Vocabulary

TERMS = [
    ("북한", 500),
    ("한미", 300),
    ("미국", 280),
    ("동맹", 120),
    ("한미동맹", 80),
    ("방위", 60),
    ("방위비", 40),
    ("핵무기", 40),
    ("연합방위태세", 30),
    ("해명", 20),
    ("연합", 20),
    ("태세", 12),
    ("핵협의그룹", 10),
    ("ncg", 9),
    ("alliance", 8),
    ("北", 6),
    ("호미", 3),
    ("동명", 2),  # a real word, but rare here
    ("동멩", 1),  # a typo that made it into one document
    ("핵", 50),
    ("ㅎㅁ", 1),  # jamo left in a text: never an initials match
]


@pytest.fixture(scope="module")
def vocab():
    return Vocabulary(TERMS)


@pytest.mark.parametrize(
    "word, expected",
    [
        ("동멩", "동맹"),  # in the vocabulary once, a hundred times rarer
        ("한미동명", "한미동맹"),
        ("방이비", "방위비"),
        ("연합방위태쇄", "연합방위태세"),
        ("북헌", "북한"),
        ("동명", "동맹"),
        ("alliamce", "alliance"),
        (" 북헌 ", "북한"),
    ],
)
def test_suggest(vocab, word, expected):
    assert vocab.suggest(word) == expected


@pytest.mark.parametrize(
    "word",
    [
        "동맹",  # a frequent term needs no correction
        "북한",
        "핵협의그룹",
        "사과",  # nothing close
        "컴퓨터",
        "쇼핑몰",
        "한중",  # 3 jamo edits from 한미
        "ncf",  # Latin of four letters or less: never corrected
        "",
        "   ",
    ],
)
def test_suggest_nothing(vocab, word):
    assert vocab.suggest(word) is None


def test_suggest_prefers_the_closest_then_the_most_frequent():
    v = Vocabulary([("국방", 10), ("국빙", 1000), ("국밥", 5000), ("국방부", 300)])
    # 국방 and 국빙 are one edit from 국뱅, 국밥 two: the more frequent of the
    # closest wins, not the most frequent of all
    assert jamo_distance("국뱅", "국방") == 1
    assert jamo_distance("국뱅", "국빙") == 1
    assert jamo_distance("국뱅", "국밥") == 2
    assert v.suggest("국뱅") == "국빙"
    # with two edits allowed the closest still wins
    assert v.suggest("국뱅", max_distance=2) == "국빙"
    assert v.suggest("국뱅부") == "국방부"


def test_suggest_max_distance(vocab):
    assert vocab.suggest("한미동망", max_distance=0) is None
    assert vocab.suggest("한무동망", max_distance=1) is None
    assert vocab.suggest("한무동망", max_distance=2) == "한미동맹"
    # large distances are answered by a scan, still right
    assert vocab.suggest("핸무동망", max_distance=3) == "한미동맹"
    assert vocab.suggest("쇼핑몰", max_distance=3) is None


def test_suggest_leaves_numbers_alone():
    v = Vocabulary([("3차", 100), ("2024", 100), ("6자회담", 50), ("자", 100)])
    assert v.suggest("2차") is None
    assert v.suggest("20245") is None
    assert v.suggest("6자회담") is None
    assert v.suggest("6자회단") == "6자회담"
    assert v.suggest("7자회담") is None
    assert v.suggest("차") == "자"
    assert v.suggest("1자") is None


def test_known_frequency_and_correction_ratio():
    pairs = [("동맹", 120), ("동명", 20)]
    assert Vocabulary(pairs).suggest("동명") is None  # known well enough
    assert Vocabulary(pairs, known_frequency=50).suggest("동명") is None  # 120 < 10 × 20
    assert Vocabulary(pairs, known_frequency=50, correction_ratio=5).suggest("동명") == "동맹"


def test_initials_matches(vocab):
    assert vocab.initials_matches("ㅎㅁㄷㅁ") == ["한미동맹"]
    # most frequent first; never a one-syllable term or one that is not syllables
    assert vocab.initials_matches("ㅎㅁ") == ["한미", "해명", "호미"]
    assert vocab.initials_matches("ㅎㅁ", limit=2) == ["한미", "해명"]
    assert vocab.initials_matches("ㅎㅁ", limit=0) == []
    assert vocab.initials_matches("ㅇㅎㅂㅇㅌㅅ") == ["연합방위태세"]
    assert vocab.initials_matches("한미동맹") == ["한미동맹"]  # a word is taken by its initials
    assert vocab.initials_matches("ㅎ") == []
    assert vocab.initials_matches("ㅋㅋ") == []
    assert vocab.initials_matches("ncg") == []


def test_membership_and_frequency(vocab):
    assert "한미동맹" in vocab
    assert "한미동맹" + "군" not in vocab
    assert vocab.frequency("북한") == 500
    assert vocab.frequency("남한") == 0
    assert len(vocab) == len(TERMS)
    assert list(vocab)[:3] == ["북한", "한미", "미국"]


def test_repeated_terms_keep_their_highest_frequency():
    v = Vocabulary(iter([("동맹", 3), ("동맹", 120), ("동맹", 7), ("", 9)]))
    assert v.frequency("동맹") == 120
    assert len(v) == 1


def test_empty_vocabulary():
    v = Vocabulary([])
    assert v.suggest("동맹") is None
    assert v.initials_matches("ㄷㅁ") == []
    assert "동맹" not in v


def test_vocabulary_pickles(vocab):
    copy = pickle.loads(pickle.dumps(vocab))
    assert copy.suggest("동멩") == "동맹"
    assert copy.initials_matches("ㅎㅁ") == ["한미", "해명", "호미"]


# The index behind suggest must find exactly what checking every term finds.
near_words = st.text(st.sampled_from(list("가각간갓강개거게고과구국군기나난다단동뎅")), min_size=1, max_size=7)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(near_words, st.integers(1, 1000)), min_size=1, max_size=40),
    near_words,
    st.one_of(st.none(), st.integers(0, 3)),
)
def test_suggest_agrees_with_a_scan_of_every_term(pairs, word, max_distance):
    v = Vocabulary(pairs)
    frequencies: dict[str, int] = {}
    for term, frequency in pairs:
        frequencies[term] = max(frequency, frequencies.get(term, 0))
    own = frequencies.get(word, 0)
    if own >= v.known_frequency:
        expected = None
    else:
        k = max_distance if max_distance is not None else (1 if len(word) <= 2 else 2)
        close = [
            (jamo_distance(word, term), -frequency, term)
            for term, frequency in frequencies.items()
            if term != word and frequency >= own * v.correction_ratio
        ]
        close = [c for c in close if c[0] <= k]
        expected = None
        if close and k > 0:
            distance, minus_frequency, _ = min(close)
            # among equals, the first given wins: compare by distance and frequency only
            expected = {t for d, f, t in close if (d, f) == (distance, minus_frequency)}
    got = v.suggest(word, max_distance)
    if expected is None:
        assert got is None
    else:
        assert got in expected
