"""Tests of the Korean analyzer (searchko.analysis).

Golden cases in the shape of Lucene's Korean analyzer tests
(``assertAnalyzesTo(a, text, terms, starts, ends, positions)``) on phrases of
the Korean-US alliance policy domain, then property tests that throw random
text at the analyzer and check the offsets and positions.

Every expected value below was produced by the analyzer (kiwipiepy 0.24.1,
model 0.24.0, ``KIWI_OPTIONS``) *and* checked by reading it. Where the
analyzer's output is wrong, the case states what it should be and is marked
``xfail(strict=True)`` with the wrong output in the reason (none at present).

Conventions: terms are listed in the order ``analyze`` returns them. A
compound whole (한미동맹 beside 한미 + 동맹) comes once the run of its parts has
ended, that is right after the next term, or last; it has the position of its
first part and spans [first part start, last part end).
"""

from __future__ import annotations

import pickle
import pickletools
import string
import unicodedata
from importlib.metadata import version

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from searchko.analysis import (
    COMPOUND_TAGS,
    DEFAULT_STOP_TAGS,
    KIWI_OPTIONS,
    CompoundFilter,
    KiwiTokenizer,
    KoreanAnalyzer,
    PosStopFilter,
    Term,
    analysis_fingerprint,
    analyze,
    get_kiwi,
    normalize,
    normalized,
)


def assert_analyzes_to(text, terms, starts, ends, positions=None, tags=None):
    """Lucene's ``assertAnalyzesTo``: the terms of ``text``, in the order the
    analyzer returns them, with their ``[start, end)`` offsets into ``text``
    (and positions and tags when given)."""
    n = len(terms)
    assert len(starts) == n and len(ends) == n, "test data: lists differ in length"
    assert positions is None or len(positions) == n, "test data: positions"
    assert tags is None or len(tags) == n, "test data: tags"
    got = analyze(text)
    assert [t.text for t in got] == list(terms)
    assert [(t.text, t.start, t.end) for t in got] == list(zip(terms, starts, ends))
    if positions is not None:
        assert [(t.text, t.position) for t in got] == list(zip(terms, positions))
    if tags is not None:
        assert [(t.text, t.tag) for t in got] == list(zip(terms, tags))
    # The offsets point at the text as written.
    for t in got:
        assert 0 <= t.start < t.end <= len(text), t


def case(text, terms, starts, ends, positions=None, tags=None, id=None, marks=()):
    return pytest.param(text, terms, starts, ends, positions, tags, id=id or text, marks=marks)


NFD_ALLIANCE = unicodedata.normalize("NFD", "한미동맹")  # 11 conjoining jamo

GOLDEN = [
    # ---- the examples in DESIGN.md -------------------------------------------
    # Kiwi splits 한미동맹 into 한미 + 동맹; the whole is added at position 0.
    case("한미동맹", ["한미", "동맹", "한미동맹"], [0, 2, 0], [2, 4, 4], [0, 1, 0],
         ["NNP", "NNG", "NNP+NNG"]),
    # ... and the genitive 의 (JKG) is dropped.
    case("한미동맹의", ["한미", "동맹", "한미동맹"], [0, 2, 0], [2, 4, 4], [0, 1, 0]),
    # Separators between Hangul syllables are removed: one term 한미, the same
    # as 한미동맹's first part, spanning the separator as written.
    case("한·미", ["한미"], [0], [3], [0], ["NNP"]),
    # (Kiwi itself reads 한ㆍ미 with the arae-a as 한 + ㆍ + 미; normalised, one term.)
    case("한ㆍ미", ["한미"], [0], [3], [0], ["NNP"]),
    case("한-미", ["한미"], [0], [3], [0], ["NNP"]),
    case("한·미·일 안보협력", ["한미일", "안보", "협력", "안보협력"],
         [0, 6, 8, 6], [5, 8, 10, 10], [0, 1, 2, 1]),
    case("한미일", ["한미일"], [0], [3], [0], ["NNP"]),
    # DESIGN.md says 러북 → 러 + 북: Kiwi does so in a sentence; the word alone
    # is one noun (default Kiwi options too). Both are indexed as 러북.
    case("러북", ["러북"], [0], [2], [0], ["NNG"]),
    case("러북 군사협력", ["러", "북", "군사", "러북", "협력", "군사협력"],
         [0, 1, 3, 0, 5, 3], [1, 2, 5, 2, 7, 7], [0, 1, 2, 0, 3, 2],
         ["NNP", "NNG", "NNG", "NNP+NNG", "NNG", "NNG+NNG"]),
    case("인태지역", ["인태", "지역", "인태지역"], [0, 2, 0], [2, 4, 4], [0, 1, 0]),
    case("인태 지역", ["인태", "지역"], [0, 3], [2, 5], [0, 1]),
    case("연합방위태세", ["연합", "방위", "태세", "연합방위태세"],
         [0, 2, 4, 0], [2, 4, 6, 6], [0, 1, 2, 0], ["NNG", "NNG", "NNG", "NNG+NNG+NNG"]),
    # 적 is a suffix (XSN): dropped, so 포괄적 is found by 포괄.
    case("포괄적", ["포괄"], [0], [2], [0], ["NNG"]),
    case("포괄적 전략동맹으로 발전", ["포괄", "전략", "동맹", "발전", "전략동맹"],
         [0, 4, 6, 11, 4], [2, 6, 8, 13, 8], [0, 1, 2, 3, 1]),
    # Nori splits 헤그세스 into 헤그 + 세스; Kiwi keeps the name whole.
    case("헤그세스", ["헤그세스"], [0], [4], [0]),
    case("헤그세스 국방장관", ["헤그세스", "국방", "장관", "국방장관"],
         [0, 5, 7, 5], [4, 7, 9, 9], [0, 1, 2, 1]),
    # ---- particles and endings never decide a match ----------------------------
    case("동맹을", ["동맹"], [0], [2], [0], ["NNG"]),
    case("동맹이", ["동맹"], [0], [2], [0], ["NNG"]),
    case("동맹과", ["동맹"], [0], [2], [0], ["NNG"]),
    case("동맹은 굳건하다", ["동맹", "굳건하"], [0, 4], [2, 7], [0, 1], ["NNG", "VA"]),
    # 강화했다 = 강화 + 하(XSV) + 었(EP) + 다(EF): the noun is what is left.
    case("강화했다", ["강화"], [0], [2], [0], ["NNG"]),
    case("확장억제를 강화했다.", ["확장", "억제", "강화", "확장억제"],
         [0, 2, 6, 0], [2, 4, 8, 4], [0, 1, 2, 0]),
    case("한미동맹을 강화했다", ["한미", "동맹", "강화", "한미동맹"],
         [0, 2, 6, 0], [2, 4, 8, 4], [0, 1, 2, 0]),
    # 열렸다 = 열리 + 었 + 다, contracted: the stem's span is the syllables 열렸.
    case("열렸다", ["열리"], [0], [2], [0], ["VV"]),
    case("한미일 정상회의가 열렸다", ["한미일", "정상", "회의", "열리", "정상회의"],
         [0, 4, 6, 10, 4], [3, 6, 8, 12, 8], [0, 1, 2, 3, 1]),
    case("북한이 미사일을 발사했다", ["북한", "미사일", "발사"], [0, 4, 9], [2, 7, 11], [0, 1, 2]),
    case("트럼프 대통령은 주한미군 철수를 언급하지 않았다.",
         ["트럼프", "대통령", "주한", "미군", "철수", "주한미군", "언급", "않"],
         [0, 4, 9, 11, 14, 9, 18, 23], [3, 7, 11, 13, 16, 13, 20, 24],
         [0, 1, 2, 3, 4, 2, 5, 6]),
    # ---- Hanja is kept ------------------------------------------------------------
    case("北", ["北"], [0], [1], [0], ["SH"]),
    case("北 핵실험", ["北", "핵", "실험", "핵실험"], [0, 2, 3, 2], [1, 3, 5, 5], [0, 1, 2, 1]),
    case("韓美", ["韓美"], [0], [2], [0], ["SH"]),
    case("韓美동맹", ["韓美", "동맹", "韓美동맹"], [0, 2, 0], [2, 4, 4], [0, 1, 0],
         ["SH", "NNG", "SH+NNG"]),
    # ---- Latin is lowercased, full-width Latin folded by NFKC ------------------------
    case("NCG", ["ncg"], [0], [3], [0], ["SL"]),
    case("USFK의 주둔", ["usfk", "주둔"], [0, 6], [4, 8], [0, 1]),
    case("USFK(주한미군)", ["usfk", "주한", "미군", "주한미군"], [0, 5, 7, 5], [4, 7, 9, 9],
         [0, 1, 2, 1]),
    case("핵협의그룹(NCG)", ["핵", "협의", "그룹", "ncg", "핵협의그룹"],
         [0, 1, 3, 6, 0], [1, 3, 5, 9, 5], [0, 1, 2, 3, 0]),
    # Kiwi alone reads ＮＣＧ as a symbol (SW); NFKC makes it NCG. Offsets stay
    # on the full-width characters.
    case("ＮＣＧ", ["ncg"], [0], [3], [0], ["SL"]),
    case("ＮＣＧ를", ["ncg"], [0], [3], [0]),
    case("ＵＳＦＫ 사령관", ["usfk", "사령관"], [0, 5], [4, 8], [0, 1]),
    # ---- numbers and dates ------------------------------------------------------------
    case("2025년 1월 31일",
         ["2025", "년", "1", "2025년", "월", "31", "1월", "일", "31일"],
         [0, 4, 6, 0, 7, 9, 6, 11, 9], [4, 5, 7, 5, 8, 11, 8, 12, 12],
         [0, 1, 2, 0, 3, 4, 2, 5, 4]),
    case("1조 4,028억 원", ["1", "조", "4,028", "1조", "억", "원", "4,028억"],
         [0, 1, 3, 0, 8, 10, 3], [1, 2, 8, 2, 9, 11, 9], [0, 1, 2, 0, 3, 4, 2],
         ["SN", "NR", "SN", "SN+NR", "NR", "NNB", "SN+NR"]),
    case("주한미군 2만8천500명",
         ["주한", "미군", "2", "주한미군", "만", "8", "천", "500", "명", "2만8천500명"],
         [0, 2, 5, 0, 6, 7, 8, 9, 12, 5], [2, 4, 6, 4, 7, 8, 9, 12, 13, 13],
         [0, 1, 2, 0, 3, 4, 5, 6, 7, 2]),
    # ---- one-syllable nouns are kept (no minimum length) --------------------------------
    case("핵", ["핵"], [0], [1], [0], ["NNG"]),
    case("북", ["북"], [0], [1], [0], ["NNP"]),
    case("군", ["군"], [0], [1], [0], ["NNG"]),
    case("핵, 북, 군", ["핵", "북", "군"], [0, 3, 6], [1, 4, 7], [0, 1, 2]),
    case("북한의 핵 위협", ["북한", "핵", "위협"], [0, 4, 6], [2, 5, 8], [0, 1, 2]),
    case("군 당국", ["군", "당국"], [0, 2], [1, 4], [0, 1]),
    # ---- more of the domain -----------------------------------------------------------
    case("주한미군 감축", ["주한", "미군", "감축", "주한미군"], [0, 2, 5, 0], [2, 4, 7, 4],
         [0, 1, 2, 0]),
    case("한미연합훈련", ["한미", "연합", "훈련", "한미연합훈련"], [0, 2, 4, 0], [2, 4, 6, 6],
         [0, 1, 2, 0], ["NNP", "NNG", "NNG", "NNP+NNG+NNG"]),
    # 권 (XSN) is dropped, so the whole is 전시작전통제 (the same in a query).
    case("전시작전통제권 전환", ["전시", "작전", "통제", "전환", "전시작전통제"],
         [0, 2, 4, 8, 0], [2, 4, 6, 10, 6], [0, 1, 2, 3, 0]),
    case("한미 확장억제 강화", ["한미", "확장", "억제", "강화", "확장억제"],
         [0, 3, 5, 8, 3], [2, 5, 7, 10, 7], [0, 1, 2, 3, 1]),
    case("방위비 분담금 협상", ["방위비", "분담금", "협상"], [0, 4, 8], [3, 7, 10], [0, 1, 2]),
    case("한국형 3축 체계", ["한국", "3", "축", "체계", "3축"], [0, 4, 5, 7, 4],
         [2, 5, 6, 9, 6], [0, 1, 2, 3, 1]),
    case("워싱턴 선언", ["워싱턴", "선언"], [0, 4], [3, 6], [0, 1]),
    # The middle dot between 외교 and 국방 goes too: 외교국방 is added whole.
    case("한미 외교·국방(2+2) 장관회의",
         ["한미", "외교", "국방", "2", "외교국방", "2", "장관", "회의", "장관회의"],
         [0, 3, 6, 9, 3, 11, 14, 16, 14], [2, 5, 8, 10, 8, 12, 16, 18, 18],
         [0, 1, 2, 3, 1, 4, 5, 6, 5]),
    # 북·러 becomes 북러, which Kiwi reads as one noun (unlike 러·북).
    case("북·러 밀착", ["북러", "밀착"], [0, 4], [3, 6], [0, 1]),
    case("한미동맹\n강화", ["한미", "동맹", "강화", "한미동맹"], [0, 2, 5, 0], [2, 4, 7, 4],
         [0, 1, 2, 0]),
    # ---- control characters: blanked, offsets unaffected --------------------------------
    # A blank splits the word, so no whole 한미동맹 here.
    case("한미\x01동맹", ["한미", "동맹"], [0, 3], [2, 5], [0, 1]),
    case("한미동맹\x7f강화", ["한미", "동맹", "강화", "한미동맹"], [0, 2, 5, 0], [2, 4, 7, 4],
         [0, 1, 2, 0]),
    case("\x00\x1f한미동맹\x00의", ["한미", "동맹", "한미동맹"], [2, 4, 2], [4, 6, 6], [0, 1, 0],
         id="controls-around-한미동맹의"),
    case("\x85한미", ["한미"], [1], [3], [0], id="C1-control-NEL"),
    # ---- nothing to index ------------------------------------------------------------------
    case("!!! ··· --- ㆍ ...", [], [], [], []),
    case("", [], [], [], [], id="empty"),
    case("   \n\t ", [], [], [], [], id="whitespace"),
    # ---- a lone particle typed as a query ------------------------------------------------
    # Kiwi reads a lone 을/은 as a noun (NNG), so the query has a term (that
    # matches the noun 을/은, not the particle, which is never indexed).
    case("을", ["을"], [0], [1], [0], ["NNG"]),
    case("은", ["은"], [0], [1], [0], ["NNG"]),
    # 를 is read as the noun 르 + the object particle ㄹ: the term is 르 (not
    # what was typed), its span the syllable 를.
    case("를", ["르"], [0], [1], [0], ["NNG"]),
    # ---- decomposed text and invisible characters ---------------------------------------
    # NFD (decomposed) Hangul, as macOS file names and some PDFs have it, and
    # combining accents are composed; offsets cover the decomposed characters.
    case(NFD_ALLIANCE, ["한미", "동맹", "한미동맹"], [0, 5, 0], [5, 11, 11], [0, 1, 0],
         id="NFD-한미동맹"),
    case(unicodedata.normalize("NFD", "한미동맹의 강화"), ["한미", "동맹", "강화", "한미동맹"],
         [0, 5, 14, 0], [5, 11, 19, 11], [0, 1, 2, 0], id="NFD-한미동맹의 강화"),
    case("cafe\u0301", ["café"], [0], [5], [0], id="NFD-café"),
    # Invisible format characters (U+200B zero width space, U+200D zero width
    # joiner, U+00AD soft hyphen), common in web text, are removed.
    case("동맹\u200b을", ["동맹"], [0], [2], [0], id="ZWSP-동맹을"),
    case("한미\u200d동맹", ["한미", "동맹", "한미동맹"], [0, 3, 0], [2, 5, 5], [0, 1, 0],
         id="ZWJ-한미동맹"),
    case("한\xad미", ["한미"], [0], [3], [0], id="soft-hyphen-한미"),
]


@pytest.mark.parametrize("text, terms, starts, ends, positions, tags", GOLDEN)
def test_analyzes_to(text, terms, starts, ends, positions, tags):
    assert_analyzes_to(text, terms, starts, ends, positions, tags)


def test_term_compound_flag_and_dict():
    whole = [t for t in analyze("한미동맹") if t.compound]
    assert whole == [Term("한미동맹", "NNP+NNG", 0, 0, 4)]
    assert whole[0].to_dict() == {
        "term": "한미동맹", "tag": "NNP+NNG", "position": 0, "start": 0, "end": 4,
    }
    assert not any(t.compound for t in analyze("한미 동맹"))


# --------------------------------------------------------------------------
# Separator variants


SPACED_VARIANTS = ["한·미 동맹", "한ㆍ미 동맹", "한-미 동맹", "한미 동맹"]


@pytest.mark.parametrize("text", SPACED_VARIANTS)
def test_separator_variants_match_the_parts_of_the_word(text):
    parts = [(t.text, t.position) for t in analyze("한미동맹") if not t.compound]
    assert [(t.text, t.position) for t in analyze(text)] == parts == [("한미", 0), ("동맹", 1)]


@pytest.mark.parametrize("sep", list("·ㆍᆞ‧・･-‐‑∙•"))
def test_every_separator_joins_han_mi(sep):
    text = f"한{sep}미 동맹"
    assert [(t.text, t.position, t.start, t.end) for t in analyze(text)] == [
        ("한미", 0, 0, 3), ("동맹", 1, 4, 6),
    ]


def test_written_together_adds_the_whole_word():
    terms = [(t.text, t.position) for t in analyze("한미동맹")]
    assert terms == [("한미", 0), ("동맹", 1), ("한미동맹", 0)]
    for text in SPACED_VARIANTS:
        assert "한미동맹" not in [t.text for t in analyze(text)]


def test_separators_written_inside_the_word_still_make_the_whole():
    assert [(t.text, t.position, t.start, t.end) for t in analyze("한·미동맹")] == [
        ("한미", 0, 0, 3), ("동맹", 1, 3, 5), ("한미동맹", 0, 0, 5),
    ]


def test_separators_not_between_hangul_are_kept():
    # Only a separator between two Hangul syllables goes; spaced, it stays.
    assert [t.text for t in analyze("한 · 미")] == ["한", "미"]
    assert [t.text for t in analyze("A·B")] == ["a", "b"]
    # Between digits the hyphen stays: Kiwi reads a date as one serial.
    assert [(t.text, t.tag) for t in analyze("2025-01-31")] == [("2025-01-31", "W_SERIAL")]


# --------------------------------------------------------------------------
# Property tests of offsets and positions

DOMAIN_WORDS = [
    "한미동맹", "한미동맹의", "한·미", "한ㆍ미", "한-미", "한미일", "러북", "북·러",
    "인태지역", "연합방위태세", "포괄적", "헤그세스", "동맹을", "강화했다", "열렸다",
    "확장억제", "주한미군", "핵", "북", "군", "北", "韓美", "NCG", "USFK", "ＮＣＧ",
    "2025년", "4,028억", "전략동맹으로", "을", "를",
]
SEPARATORS = "·ㆍᆞ‧・･-‐‑∙•"  # what analysis removes between Hangul syllables
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"  # removed anywhere
CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f"]

piece = st.one_of(
    st.sampled_from(DOMAIN_WORDS),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # Hangul syllables
    st.sampled_from([" ", " ", "\n", "·", "ㆍ", "-", ".", ","]),
    st.sampled_from(string.ascii_letters),
    st.sampled_from(string.digits),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # Hanja
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width ASCII
    st.sampled_from(CONTROLS),
    st.sampled_from(list(SEPARATORS)),
    st.characters(min_codepoint=0x3200, max_codepoint=0x33FF),  # ㈜ ㎏ ㋀: NFKC expands
    st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),  # conjoining jamo
    st.characters(min_codepoint=0x3130, max_codepoint=0x318F),  # compatibility jamo
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),  # combining marks
    st.characters(min_codepoint=0x2000, max_codepoint=0x206F),  # spaces, ZWSP, dashes
    st.text(max_size=3),  # anything
)
texts = st.lists(piece, max_size=25).map("".join)

# Texts the analyzer does not rewrite: NFKC already, no separator, no control
# character; only Hangul, Latin, digits, Hanja, spaces and plain punctuation.
plain_piece = st.one_of(
    st.sampled_from([w for w in DOMAIN_WORDS
                     if unicodedata.is_normalized("NFKC", w)
                     and not any(c in SEPARATORS for c in w)]),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
    st.sampled_from([" ", "\n", ".", ",", "(", ")", "?"]),
    st.sampled_from(string.ascii_letters),
    st.sampled_from(string.digits),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
)
plain_texts = st.lists(plain_piece, max_size=25).map("".join)

PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Texts that found or could find trouble, tried on every run.
TRICKY = [
    "", " ", "\x00", "한미동맹", "한·미·일", "ㆍ한ㆍ", "-한-", "한미\x01동맹", "㈜한화",
    "①항", "㋀", "ﬁ", "강화했다", "를", "건 말이다", "\r\n", "😀한미동맹", "𠀀한미",
    "\ufeff한미", "ＮＣＧ를", "2만8천500명", "학교다", "꿇컵떎",
]


def parts_of(terms):
    return [t for t in terms if not t.compound]


def check_offsets(text, terms):
    for t in terms:
        assert 0 <= t.start < t.end <= len(text), t
        assert t.text, t
        assert not any(c.isspace() for c in t.text), t


def check_order_and_positions(terms):
    parts = parts_of(terms)
    starts = [t.start for t in parts]
    assert starts == sorted(starts)
    # Positions count kept terms: 0, 1, 2, ... (so non-decreasing, starting at
    # 0, increasing by at most one).
    assert [t.position for t in parts] == list(range(len(parts)))


def check_compounds(text, terms):
    parts = parts_of(terms)
    for i, whole in enumerate(terms):
        if not whole.compound:
            continue
        tags = whole.tag.split("+")
        assert len(tags) >= 2
        assert set(tags) <= COMPOUND_TAGS
        run = parts[whole.position : whole.position + len(tags)]
        assert [p.tag for p in run] == tags
        assert whole.text == "".join(p.text for p in run)
        assert (whole.start, whole.end) == (run[0].start, run[-1].end)
        # the whole comes after all its parts
        assert all(terms.index(p) < i for p in run)
        # the parts were adjacent: nothing but removed characters between them
        for a, b in zip(run, run[1:]):
            assert b.start >= a.start
            assert all(c in SEPARATORS + INVISIBLE for c in text[a.end : b.start]), (a, b)


@PROPERTY
@given(texts)
@example("")
@example("한미\x00동맹")
@example("ᆞ\x00ᆨ")
@example("ᆞ 동맹")
def test_offsets_inside_the_text(text):
    # Kiwi returns zero-width morphemes (a copula dropped in 학교다): none of
    # them becomes a term, so every span is non-empty. It also joins bare
    # jamo across a space into one form (ᆞ ᆨ): no term holds a space.
    check_offsets(text, analyze(text))


@PROPERTY
@given(texts)
def test_parts_are_in_order_and_numbered(text):
    check_order_and_positions(analyze(text))


@PROPERTY
@given(texts)
@example("한미동맹\u200b한미동맹")  # a zero-width space is removed, joining the words
def test_compounds_are_their_parts_joined(text):
    check_compounds(text, analyze(text))


@PROPERTY
@given(texts)
@example("한\u200b-미")  # an invisible character beside a separator
@example("한-\u200b미")
@example("한--미·ㆍ일")
def test_normalized_text_without_offsets_is_the_same(text):
    # the bigram re-ranking normalizes stored text without the offsets
    # Kiwi's input needs, in another way: the text must come out the same
    assert normalized(text) == normalize(text)[0]


@pytest.mark.parametrize("text", TRICKY)
def test_invariants_on_tricky_texts(text):
    terms = analyze(text)
    check_offsets(text, terms)
    check_order_and_positions(terms)
    check_compounds(text, terms)


@PROPERTY
@given(texts)
@example("한미동맹")
@example("\x01한미")
@example("\u1160한미동맹")  # a medial jamo must not join the space before it
@example("지,한미동맹")  # Kiwi reads 지 first in its input as 하+지, after a space as 지
@example("닥")
def test_leading_space_shifts_offsets_by_one(text):
    shifted = [Term(t.text, t.tag, t.position, t.start + 1, t.end + 1) for t in analyze(text)]
    assert analyze(" " + text) == shifted


@PROPERTY
@given(texts)
def test_deterministic(text):
    assert analyze(text) == analyze(text)


def _covers(span: str, form: str) -> bool:
    """The morpheme's letters are within the span written in the text: equal,
    or (a contraction such as 를 = 르 + ㄹ) inside it once syllables are
    decomposed into jamo."""
    nfd = unicodedata.normalize
    return span == form or nfd("NFD", form) in nfd("NFD", span)


@PROPERTY
@given(plain_texts)
@example("를 건 게 NCG USFK's 2025년 北核")
@example("꿇컵떎")
def test_offsets_cover_the_surface(text):
    # Only for text the analyzer does not rewrite (no NFKC change, separator or
    # control character), so the span is exactly what Kiwi read.
    for t in parts_of(analyze(text)):
        span = text[t.start : t.end].lower()
        if t.tag in ("SL", "SN", "SH"):
            assert span == t.text, t
        elif t.tag in ("NNG", "NNP"):
            # lowercased: Kiwi may read Hangul + Latin as one unknown noun
            assert _covers(span, t.text), t
        elif t.tag in ("NNB", "NR", "NP"):
            # bound nouns and pronouns contract with a particle (게 = 것 + 이,
            # 건 = 거 + 은): the last syllable may differ, not the length
            assert len(span) == len(t.text) and span[:-1] == t.text[:-1], t


@PROPERTY
@given(texts)
@example("".join(CONTROLS) + "한미" + "\x7f\x85\x9f")
def test_control_characters_never_in_terms(text):
    for t in analyze(text):
        assert not any(unicodedata.category(c) == "Cc" for c in t.text), t


def test_zero_width_morphemes_are_not_terms():
    # Kiwi reads 학교다 as 학교 + 이(VCP, no surface: start 2, length 0) + 다.
    # Even with no stop tags the copula never becomes a term with an empty span.
    kiwi_tokens = [(t.form, t.tag, t.start, t.len) for t in get_kiwi().tokenize("학교다")]
    assert ("이", "VCP", 2, 0) in kiwi_tokens
    terms = analyze("학교다", KoreanAnalyzer(stoptags=()))
    assert [(t.text, t.tag, t.position, t.start, t.end) for t in terms] == [
        ("학교", "NNG", 0, 0, 2), ("다", "EF", 1, 2, 3),
    ]
    assert [t.text for t in analyze("학교다")] == ["학교"]


def test_long_text_is_analysed_in_chunks_with_the_same_terms():
    unit = "한미동맹의 강화. "
    text = unit * 500  # beyond one 4000-character chunk
    one = analyze(unit)
    n = len(parts_of(one))
    expected = [
        Term(t.text, t.tag, t.position + n * i, t.start + len(unit) * i, t.end + len(unit) * i)
        for i in range(500)
        for t in one
    ]
    assert analyze(text) == expected


# --------------------------------------------------------------------------
# Pickling (Whoosh stores the analyzer in the index) and the fingerprint


def test_analyzer_classes_import_from_analysis_module():
    import searchko
    import searchko.analysis as analysis

    for name in ("KiwiTokenizer", "PosStopFilter", "CompoundFilter", "KoreanAnalyzer"):
        assert getattr(analysis, name).__module__ == "searchko.analysis"
        assert name in analysis.__all__
    assert searchko.KoreanAnalyzer is KoreanAnalyzer


def test_analyzer_pickles_without_kiwi():
    analyzer = KoreanAnalyzer()
    analyze("한미동맹", analyzer)  # Kiwi loaded: still not in the pickle
    data = pickle.dumps(analyzer)
    modules = {
        arg.split(" ")[0]
        for op, arg, _ in pickletools.genops(data)
        if op.name in ("GLOBAL", "STACK_GLOBAL") and isinstance(arg, str)
    }
    strings = [arg for op, arg, _ in pickletools.genops(data) if isinstance(arg, str)]
    assert not any("kiwipiepy" in s for s in strings), strings
    assert all(m.startswith(("whoosh", "searchko.analysis", "builtins")) for m in modules), modules
    assert len(data) < 2000

    restored = pickle.loads(data)
    assert restored == analyzer
    text = "한·미 연합방위태세를 강화했다. NCG 北"
    assert analyze(text, restored) == analyze(text, analyzer) == analyze(text)


def test_analyzer_parts_compare_by_configuration():
    assert KoreanAnalyzer() == KoreanAnalyzer()
    assert KiwiTokenizer() == KiwiTokenizer()
    assert PosStopFilter() != PosStopFilter({"JKS"})
    assert CompoundFilter() == CompoundFilter(COMPOUND_TAGS)


def test_custom_stop_tags():
    analyzer = KoreanAnalyzer(DEFAULT_STOP_TAGS - {"JKG"})
    terms = analyze("한미동맹의", analyzer)
    assert [(t.text, t.position) for t in terms] == [
        ("한미", 0), ("동맹", 1), ("의", 2), ("한미동맹", 0),
    ]


def test_fingerprint():
    fp = analysis_fingerprint()
    assert set(fp) >= {
        "analysis_version", "kiwipiepy", "kiwipiepy_model", "kiwi_options", "stop_tags",
    }
    assert fp["kiwipiepy"] == version("kiwipiepy")
    assert fp["kiwipiepy_model"] == version("kiwipiepy_model")
    assert fp["kiwi_options"] == KIWI_OPTIONS
    assert fp["stop_tags"] == sorted(DEFAULT_STOP_TAGS)
    assert fp["compound_tags"] == sorted(COMPOUND_TAGS)
    assert isinstance(fp["analysis_version"], int)
    # Mutating the fingerprint does not touch the module's options.
    fp["kiwi_options"]["model_type"] = "other"
    assert analysis_fingerprint()["kiwi_options"] == KIWI_OPTIONS
    # It is written beside the index: plain JSON, stable.
    import json

    assert json.loads(json.dumps(analysis_fingerprint())) == analysis_fingerprint()
    # Other stop tags, another fingerprint.
    assert analysis_fingerprint({"JKS", "JX"})["stop_tags"] == ["JKS", "JX"]
    assert analysis_fingerprint({"JKS"}) != analysis_fingerprint()


def test_fingerprint_matches_kiwi_in_use():
    import kiwipiepy

    assert analysis_fingerprint()["kiwipiepy"] == kiwipiepy.__version__
