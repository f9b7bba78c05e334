"""Spelling help for Korean queries: jamo, 초성 queries, a keyboard left in
English mode, and "did you mean" over the index's vocabulary.

Everything works on Hangul *compatibility* jamo (U+3131–U+318E, the letters a
keyboard types: ㄱ ㅏ ㅂ ㅅ), never on conjoining jamo (U+1100–U+11FF).
``decompose`` writes a syllable the way it is typed on the standard two-set
(두벌식) keyboard as far as consonants go: a double final is two letters
(값 → ㄱㅏㅂㅅ) while the tense consonants ㄲ ㅆ, which have keys of their own,
and the composite vowels (ㅘ ㅢ …) stay one letter each, so swapping ㅐ for ㅔ
or ㅚ for ㅙ is one edit.

- ``decompose`` / ``compose`` / ``initials``: syllables ↔ jamo, 초성;
- ``is_initials``: is a query typed as initials only (ㅎㅁㄷㅁ)?
- ``from_qwerty`` / ``looks_mistyped``: gksalehdaod → 한미동맹, and whether a
  Latin token is likely Korean typed with the keyboard in English mode;
- ``jamo_distance``: Levenshtein distance between the jamo of two words;
- ``Vocabulary``: the index's terms and document frequencies, built once per
  index generation, answering initials lookups and spelling suggestions.

Pure Python and the standard library only; nothing here prints or logs.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from itertools import compress, repeat
from operator import and_, itemgetter, ne
from typing import Iterable

__all__ = [
    "decompose",
    "compose",
    "initials",
    "is_initials",
    "from_qwerty",
    "looks_mistyped",
    "jamo_distance",
    "Vocabulary",
]

# --------------------------------------------------------------------------
# Jamo tables

_SBASE = 0xAC00
_SCOUNT = 11172
_NJUNG = 21
_NJONG = 28

#: The 19 initial consonants, in Unicode syllable order.
_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
#: The 21 vowels, in Unicode syllable order.
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
#: The 27 finals after "no final", in Unicode syllable order.
_JONG = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ",
         "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")

#: Double finals and the two letters they are typed as.
_CLUSTERS = {
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
}
_CLUSTER_OF = {pair: cluster for cluster, pair in _CLUSTERS.items()}
#: Composite vowels and the two vowel keys they are typed with.
_VOWEL_OF = {
    "ㅗㅏ": "ㅘ", "ㅗㅐ": "ㅙ", "ㅗㅣ": "ㅚ", "ㅜㅓ": "ㅝ", "ㅜㅔ": "ㅞ", "ㅜㅣ": "ㅟ", "ㅡㅣ": "ㅢ",
}

_CHO_INDEX = {c: i for i, c in enumerate(_CHO)}
_JUNG_INDEX = {v: i for i, v in enumerate(_JUNG)}
_JONG_INDEX = {t: i for i, t in enumerate(_JONG) if t}

# str.translate tables: the whole of decompose and initials runs in C.
_TYPED_JONG = [_CLUSTERS.get(t, t) for t in _JONG]
_DECOMPOSE_TABLE: dict[int, str] = {
    _SBASE + s: _CHO[s // (_NJUNG * _NJONG)] + _JUNG[s // _NJONG % _NJUNG] + _TYPED_JONG[s % _NJONG]
    for s in range(_SCOUNT)
}
_INITIAL_TABLE: dict[int, str] = {
    _SBASE + s: _CHO[s // (_NJUNG * _NJONG)] for s in range(_SCOUNT)
}

_SYLLABLES_RE = re.compile("[\uac00-\ud7a3]+")
_DIGITS_RE = re.compile(r"\d+")
_INITIALS_RE = re.compile("[" + _CHO + "]{2,}")


def decompose(text: str) -> str:
    """The compatibility jamo of every Hangul syllable in ``text``.

    A double final is split into the two letters it is typed with
    (값 → ㄱㅏㅂㅅ); ㄲ, ㅆ and the composite vowels (ㅘ …) stay one letter.
    Every other character, jamo included, passes through unchanged.

    >>> decompose("한미동맹")
    'ㅎㅏㄴㅁㅣㄷㅗㅇㅁㅐㅇ'
    """
    return text.translate(_DECOMPOSE_TABLE)


def compose(jamo: str) -> str:
    """Hangul syllables from compatibility jamo, as a 두벌식 IME builds them.

    The inverse of ``decompose`` on text made of syllables and non-jamo
    characters: ``compose(decompose(s)) == s``. It also takes keystroke
    sequences: two vowels that make a composite vowel join (ㅗㅏ → ㅘ), two
    consonants that make a double final join (ㄱㅏㅂㅅ → 값), and a final
    moves to the next syllable when a vowel follows (ㄱㅏㄱㅏ → 가가; of a
    double final only the second letter moves: ㄷㅏㄹㄱㅡㄹ → 달글). Jamo that
    make no syllable (ㅎㅎ, a lone vowel) are kept as they are; any other
    character ends the syllable being built and passes through.
    """
    out: list[str] = []
    append = out.append
    cho = jung = jong = ""  # the syllable being built

    for ch in jamo:
        if ch in _CHO_INDEX or ch in _CLUSTERS:  # a consonant
            if cho and jung:
                if not jong:
                    if ch in _JONG_INDEX:  # ㄸ ㅃ ㅉ are never finals
                        jong = ch
                        continue
                elif jong + ch in _CLUSTER_OF:
                    jong = _CLUSTER_OF[jong + ch]
                    continue
            # the consonant starts a new syllable
            if cho or jung:
                append(_syllable(cho, jung, jong))
            if ch in _CLUSTERS:  # a double final cannot begin a syllable
                append(ch)
                cho = jung = jong = ""
            else:
                cho, jung, jong = ch, "", ""
        elif ch in _JUNG_INDEX:  # a vowel
            if jong:  # the final (or its second letter) moves on
                if jong in _CLUSTERS:
                    first, moved = _CLUSTERS[jong]
                    append(_syllable(cho, jung, first))
                else:
                    append(_syllable(cho, jung, ""))
                    moved = jong
                cho, jung, jong = moved, ch, ""
            elif jung:
                if jung + ch in _VOWEL_OF:
                    jung = _VOWEL_OF[jung + ch]
                else:
                    append(_syllable(cho, jung, ""))
                    cho, jung = "", ch
            else:
                jung = ch
        else:
            if cho or jung:
                append(_syllable(cho, jung, jong))
                cho = jung = jong = ""
            append(ch)
    if cho or jung:
        append(_syllable(cho, jung, jong))
    return "".join(out)


def _syllable(cho: str, jung: str, jong: str) -> str:
    """One syllable, or the lone jamo when there is no initial or no vowel."""
    if cho and jung:
        return chr(_SBASE + (_CHO_INDEX[cho] * _NJUNG + _JUNG_INDEX[jung]) * _NJONG
                   + (_JONG_INDEX[jong] if jong else 0))
    return cho + jung + jong


def initials(word: str) -> str:
    """The initial consonant (초성) of each Hangul syllable of ``word``; other
    characters pass through, lowercased.

    >>> initials("한미동맹")
    'ㅎㅁㄷㅁ'
    """
    return word.lower().translate(_INITIAL_TABLE)


def is_initials(text: str) -> bool:
    """True when ``text`` is at least two initial consonants and nothing else
    (ㅎㅁㄷㅁ), the way people type a word they mean by its 초성.

    Only the 19 letters that begin a syllable count: double finals (ㄳ) and
    vowels do not, and neither do spaces.
    """
    return _INITIALS_RE.fullmatch(text) is not None


# --------------------------------------------------------------------------
# A keyboard left in English mode

#: The standard 두벌식 layout: the Hangul letter of each Latin key. Shift gives
#: the tense consonants and ㅒ ㅖ; any other shifted letter types the same
#: jamo as unshifted, as an IME does.
_QWERTY = {
    "q": "ㅂ", "w": "ㅈ", "e": "ㄷ", "r": "ㄱ", "t": "ㅅ", "y": "ㅛ", "u": "ㅕ", "i": "ㅑ",
    "o": "ㅐ", "p": "ㅔ", "a": "ㅁ", "s": "ㄴ", "d": "ㅇ", "f": "ㄹ", "g": "ㅎ", "h": "ㅗ",
    "j": "ㅓ", "k": "ㅏ", "l": "ㅣ", "z": "ㅋ", "x": "ㅌ", "c": "ㅊ", "v": "ㅍ", "b": "ㅠ",
    "n": "ㅜ", "m": "ㅡ",
    "Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ",
}
for _key in "yuiasdfghjklzxcvbnm":
    _QWERTY[_key.upper()] = _QWERTY[_key]
del _key
_QWERTY_TABLE = {ord(k): v for k, v in _QWERTY.items()}
_SHIFTED = frozenset("QWERTOP")


def from_qwerty(text: str) -> str:
    """What ``text`` would have been had the keyboard been in Korean (두벌식)
    mode: gksalehdaod → 한미동맹, dkssudgktpdy → 안녕하세요.

    Each Latin letter becomes the jamo of its key (Shift+Q W E R T O P give
    ㅃ ㅉ ㄸ ㄲ ㅆ ㅒ ㅖ) and the jamo are put together by ``compose``; other
    characters pass through and end a syllable.
    """
    return compose(text.translate(_QWERTY_TABLE))


_LATIN_WORD_RE = re.compile("[A-Za-z]+")
_MISTYPED_MIN_LETTERS = 4
# What is left after the syllable checks is told apart by its letter pairs:
# log(P(pair | English) / P(pair | Korean keystrokes)), rounded, estimated from
# the English words (Debian's wamerican list) whose keystrokes make common
# syllables and from Kiwi's 109,000 Hangul nouns typed on 두벌식. Korean typed
# in English mode is full of consonant-key + vowel-key pairs (gk 하, tk 사,
# dl 이, rh 고) that English seldom has; pairs not listed weigh 0.
_BIGRAM_WEIGHTS: dict[str, int] = {
    pair: weight
    for weight, pairs in (
        (8, "ci ea"),
        (7, "et eu ey ge gs ri vi"),
        (6, "ai am cu cy ei ic ig wi"),
        (5, "eg er gr ia ie is it uz wa xi xy"),
        (4, "ab ay cf cv ec ed ew gg gt iv si sy ta ti tu ty uc vf vv vx wf wg wq wx xa xg xs "
              "xv ys ze zu"),
        (3, "as ba cg co cx do eb en fi ha ho if ir me oc qy so tc te ts tt ue ug ut vc vg vs "
              "vz wb we ws ww wy xc xe zy"),
        (2, "ac al an ar be ca cb cd ce ck cl cq cw di el fo fu gd gi gl ix le na ng nt oa or "
              "os ot ow ox oz pa pe qi ra ro sh sm sn sp su tf tg to tz ua uv ux va ve vo vq vr "
              "vw wc wd wr wu xq xr xt xw ya yc yr zi zo"),
        (1, "ap at au av ax az bs cc ch cr cs ct dy ep fy gn go gy id iq iw iz ke la ma ms nc "
              "ne od of qb qz rb re rm rs ru sb sl ss tb td th tr tv uf ur us vb vd vt wo xb xd "
              "ye yt yv yz"),
        (-1, "aa ao bg bt bw bx ds dz ej ek eo fe ff fl fs ft fx fz ja jc je jg jv jx jz ks lc "
              "lg lt lv mg mr mw np nx ov pg pt pv pz qc qe qq qw rc rl rn ry sa sc se sz tl tp "
              "tw ud vj vu wl wm wp xo yg yw yx"),
        (-2, "ae ag aj aq bd bf cp dd df dh dj dm dr dt dv dx fb fc fg fj fm fq fr fv fw gj gp "
              "hc hl hv hw hx hz jw ka kc kv kz ld lf lw lx mq mt mv nq nr oe oq pq pw px qd qg "
              "qp qr qt rh rq rr rx sf sj sv tm uq uw vn vp xn yd zj zl zm zn zp"),
        (-3, "cn dc dg dk dn dp dq dw eh fd fn fp hg hq jf jq jr jt kf kg kq kw kx lq lr lz ml "
              "mx mz nl nw qj ql qm qo rj rw sq sx vh vk vl vm xh xj xk xl xm xp zh zk"),
        (-4, "cj db dl fh fk hd hf kd kr kt mf nf nj pd pf qh qk qn sd sg sr sw tn wj wk"),
        (-5, "gk hk jd js md tj tk"),
    )
    for pair in pairs.split()
}


def looks_mistyped(text: str) -> bool:
    """True when ``text`` is a Latin-only token that is very likely Korean typed
    with the keyboard in English mode (gksalehdaod for 한미동맹), and not an
    English word or an acronym.

    The rules, cheapest first:

    - at least four letters, ASCII letters only;
    - no acronym: not all capitals, and no capital other than the shifted
      Korean keys Q W E R T O P (so Korea, NCG, USFK are never mistyped);
    - the keystrokes make complete syllables and nothing else: every key is
      used, no lone consonant or vowel is left over (``from_qwerty``);
    - every syllable is one of the 2,350 in everyday use (KS X 1001), which
      throws out the odd syllables English letter runs make;
    - its letter pairs read as Korean keystrokes rather than English: their
      mean log-odds (``_BIGRAM_WEIGHTS``) is below zero.

    It errs on the side of English: trained on one half of the two word
    lists and tried on the other, it took 1 of 36,000 English words for
    Korean (vodka) and missed 3.6% of the Korean nouns; short common words
    are the usual misses (협력, 무역, 대만 read as English). A caller that
    has the vocabulary should also check that ``from_qwerty(text)`` is a
    known term.
    """
    if len(text) < _MISTYPED_MIN_LETTERS or not _LATIN_WORD_RE.fullmatch(text):
        return False
    if text.isupper() or any(c.isupper() and c not in _SHIFTED for c in text):
        return False
    hangul = from_qwerty(text)
    if not _SYLLABLES_RE.fullmatch(hangul):
        return False
    common = _common_syllables()
    if any(s not in common for s in hangul):
        return False
    return _english_score(text) < 0


def _english_score(text: str) -> float:
    """How English the letter pairs of ``text`` are: the mean of their
    weights, above zero for English, below for Korean keystrokes."""
    low = text.lower()
    weights = _BIGRAM_WEIGHTS
    return sum(weights.get(low[i : i + 2], 0) for i in range(len(low) - 1)) / (len(low) - 1)


_COMMON_SYLLABLES: frozenset[str] | None = None


def _common_syllables() -> frozenset[str]:
    """The 2,350 syllables of KS X 1001: those EUC-KR encodes in two bytes
    (the others need an eight-byte composition sequence)."""
    global _COMMON_SYLLABLES
    if _COMMON_SYLLABLES is None:
        _COMMON_SYLLABLES = frozenset(
            chr(c) for c in range(_SBASE, _SBASE + _SCOUNT) if len(chr(c).encode("euc_kr")) == 2
        )
    return _COMMON_SYLLABLES


# --------------------------------------------------------------------------
# Edit distance on jamo


def jamo_distance(a: str, b: str) -> int:
    """The Levenshtein distance between the jamo of ``a`` and ``b``
    (``decompose``): 동맹/동멩 and 방위비/방이비 are 1 apart, 한미/한국 3.

    Insertions, deletions and substitutions of one jamo (or one other
    character) cost 1 each.
    """
    a, b = decompose(a), decompose(b)
    return _levenshtein(a, b, max(len(a), len(b)))


def _levenshtein(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` as soon as it
    is known to exceed ``limit``.

    Only the diagonal band of width ``2 * limit + 1`` is computed (Ukkonen):
    a cell further off the diagonal is more than ``limit`` anyway.
    """
    if a == b:
        return 0
    # Common prefix and suffix cost nothing; most candidates differ in one spot.
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    j = 0
    while j < n - i and a[-1 - j] == b[-1 - j]:
        j += 1
    a = a[i : len(a) - j]
    b = b[i : len(b) - j]
    if len(a) < len(b):
        a, b = b, a
    la, lb = len(a), len(b)
    over = limit + 1
    if la - lb > limit:
        return over
    if not lb:
        return la
    previous = [y if y <= limit else over for y in range(lb + 1)]
    for x in range(1, la + 1):
        ca = a[x - 1]
        current = [over] * (lb + 1)
        if x <= limit:
            current[0] = x
        best = current[0]
        for y in range(max(1, x - limit), min(lb, x + limit) + 1):
            cost = previous[y - 1] + (ca != b[y - 1])
            if previous[y] < cost:
                cost = previous[y] + 1
            if current[y - 1] < cost:
                cost = current[y - 1] + 1
            current[y] = cost
            if cost < best:
                best = cost
        if best > limit:
            return over
        previous = current
    return min(previous[lb], over)


# --------------------------------------------------------------------------
# The vocabulary of an index

# Fuzzy lookup cuts the jamo of each term into a few pieces. Two strings
# within k edits share at least (pieces - k) of those pieces unchanged, each
# shifted by at most k places: each edit touches one piece (the pigeonhole
# filter of Wu and Manber). So one index answers every distance below the
# number of pieces; candidates are then checked with Levenshtein. Longer terms
# get more pieces, so that distance 2 still asks for two pieces to match.
_LONG_TERM = 8


def _piece_count(length: int) -> int:
    """How many pieces a jamo string of ``length`` is cut into."""
    return 3 if length < _LONG_TERM else 4


@lru_cache(maxsize=None)
def _piece_bounds(length: int) -> tuple[tuple[int, int], ...]:
    """Where the pieces of a jamo string of ``length`` start and end."""
    count = _piece_count(length)
    step, extra = divmod(length, count)
    bounds = []
    start = 0
    for i in range(count):
        end = start + step + (1 if i < extra else 0)
        bounds.append((start, end))
        start = end
    return tuple(bounds)


def _keys(texts: Iterable[str]) -> list[int]:
    """Hashes of ``texts`` cut to 30 bits: Python sorts such one-digit ints
    about a third faster than full hashes."""
    return list(map(and_, map(hash, texts), repeat(0x3FFFFFFF)))


def _key(text: str) -> int:
    """The ``_keys`` value of one text."""
    return hash(text) & 0x3FFFFFFF


def _translate_all(texts: list[str], table: dict[int, str]) -> list[str]:
    """``[t.translate(table) for t in texts]`` in one call to translate."""
    joined = "\x00".join(texts).translate(table)
    parts = joined.split("\x00")
    if len(parts) != len(texts):  # a text held the separator itself
        return [t.translate(table) for t in texts]
    return parts


class _MultiMap:
    """A read-only map from integer keys to runs of term ids, built in C: the
    distinct keys sorted in one array (found with bisect) and the ids of each
    key, in id order, in another. Far smaller than a dict of lists, and built
    without a Python loop over the terms. Strings are stored by ``_key``, a
    hash: a collision only adds a candidate that is checked anyway."""

    __slots__ = ("keys", "starts", "ids")

    def __init__(self, keys: list[int]):
        """The id of ``keys[i]`` is ``i``."""
        order = sorted(range(len(keys)), key=keys.__getitem__)  # stable: ids stay in order
        ordered = list(map(keys.__getitem__, order))
        # where a key differs from the one before it, a run starts
        starts = [0] if ordered else []
        starts.extend(compress(range(1, len(ordered)), map(ne, ordered[1:], ordered[:-1])))
        self.keys = array("q", map(ordered.__getitem__, starts))
        starts.append(len(ordered))
        self.starts = array("l", starts)
        self.ids = array("l", order)

    def get(self, key: int) -> array:
        """The ids of ``key``, in id order (empty if none)."""
        i = bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            return self.ids[self.starts[i] : self.starts[i + 1]]
        return self.ids[:0]


class Vocabulary:
    """The terms of an index with their document frequencies, for 초성
    lookups and spelling suggestions.

    Build it once per index generation, from ``(term, doc_frequency)``
    pairs, and query it many times; it keeps no reference to the index.
    Terms are taken as the analyzer made them (lowercased, NFKC); a term
    given more than once keeps its highest frequency.

    ``known_frequency`` and ``correction_ratio`` decide when a word that *is*
    a term is still corrected: never when it occurs in at least
    ``known_frequency`` documents, otherwise only to a term at least
    ``correction_ratio`` times as frequent (a typo that made it into one
    document is still corrected to the word found in a thousand).
    """

    def __init__(
        self,
        pairs: Iterable[tuple[str, int]],
        *,
        known_frequency: int = 5,
        correction_ratio: float = 10.0,
    ):
        self.known_frequency = known_frequency
        self.correction_ratio = correction_ratio
        items = pairs if isinstance(pairs, (list, tuple)) else list(pairs)
        frequencies = dict(items)
        if len(frequencies) != len(items):  # repeated terms: keep the highest
            frequencies = {}
            get = frequencies.get
            for term, frequency in items:
                if frequency > get(term, frequency - 1):
                    frequencies[term] = frequency
        frequencies.pop("", None)
        self._frequencies = frequencies
        # Term ids in order of frequency, ties in the order given: the smaller
        # id is the more frequent term. Every index below lists equal keys in
        # id order, so its answers come ranked.
        terms = sorted(frequencies, key=frequencies.__getitem__, reverse=True)
        self._terms = terms

        # Initials of every term; a term that is not all syllables is skipped
        # at lookup (few of them have initials-only keys).
        self._initials = _MultiMap(_keys(_translate_all(terms, _INITIAL_TABLE)))

        # The jamo are not kept (a third of the memory): candidates are
        # decomposed again when checked.
        jamo = _translate_all(terms, _DECOMPOSE_TABLE)
        self._lengths = _MultiMap(list(map(len, jamo)))
        # _pieces[length] = (members, maps): the ids of the terms of that jamo
        # length, and for each piece a map from it to positions in members.
        self._pieces: dict[int, tuple[array, list[_MultiMap]]] = {}
        for length in self._lengths.keys:
            if length < 3:  # Latin letters, Hanja: looked up by length
                continue
            members = self._lengths.get(length)
            words = list(map(jamo.__getitem__, members))
            self._pieces[length] = (
                members,
                [
                    _MultiMap(_keys(map(itemgetter(slice(s, e)), words)))
                    for s, e in _piece_bounds(length)
                ],
            )

    def __len__(self) -> int:
        return len(self._terms)

    def __repr__(self) -> str:
        return f"<Vocabulary of {len(self._terms)} terms>"

    def __reduce__(self):
        # The indexes hold str hashes, which differ between processes: a
        # pickled vocabulary is rebuilt from its terms where it is loaded.
        return (
            _rebuild_vocabulary,
            (list(self._frequencies.items()), self.known_frequency, self.correction_ratio),
        )

    def __contains__(self, term: object) -> bool:
        return term in self._frequencies

    def __iter__(self):
        """The terms, most frequent first."""
        return iter(self._terms)

    def frequency(self, term: str) -> int:
        """The document frequency of ``term``; 0 for a word not in the index."""
        return self._frequencies.get(term, 0)

    def initials_matches(self, initials: str, limit: int = 10) -> list[str]:
        """Terms of two or more Hangul syllables whose initial consonants are
        those of ``initials``, most frequent first: ``"ㅎㅁㄷㅁ"`` →
        ``["한미동맹", …]``. A word in syllables is taken by its initials
        (``"한미동맹"`` finds the same terms)."""
        key = _normalize_word(initials).translate(_INITIAL_TABLE)
        if limit <= 0 or len(key) < 2 or key.strip(_CHO):
            return []
        found: list[str] = []
        for tid in self._initials.get(_key(key)):
            term = self._terms[tid]
            if _SYLLABLES_RE.fullmatch(term) and term.translate(_INITIAL_TABLE) == key:
                found.append(term)
                if len(found) >= limit:
                    break
        return found

    def suggest(self, word: str, max_distance: int | None = None) -> str | None:
        """The term ``word`` was most likely meant to be, or None.

        Candidates are the terms within ``max_distance`` jamo edits
        (``jamo_distance``; by default 1 for a Hangul word of up to two
        syllables and 2 for a longer one; for a word in letters without
        Hangul 0 up to four letters, 1 up to eight, 2 beyond; 0 for numbers
        and codes) that have the same numbers in them (2차 never becomes 3차).
        The closest wins, then the most frequent. None when nothing is that
        close, or when ``word`` is a term that needs no correction (see the
        class). Large distances (3 for a short word) are answered by checking
        every term of a fitting length: slow.

        >>> v = Vocabulary([("동맹", 120), ("동명", 2)])
        >>> v.suggest("동멩")
        '동맹'
        """
        word = _normalize_word(word)
        if not word:
            return None
        own = self._frequencies.get(word, 0)
        if own >= self.known_frequency:
            return None
        if max_distance is None:
            max_distance = _default_distance(word)
        if max_distance <= 0:
            return None
        q = word.translate(_DECOMPOSE_TABLE)
        frequencies = self._frequencies
        terms = self._terms
        min_frequency = own * self.correction_ratio if own else 0
        # a number is not misspelt: 2차 is never corrected to 3차
        digits = _DIGITS_RE.findall(word)
        best_id = best_distance = None
        for tid in sorted(self._candidates(q, max_distance)):
            # ids ascend with falling frequency: once one is too rare, all are
            if frequencies[terms[tid]] < min_frequency:
                break
            limit = max_distance if best_distance is None else best_distance - 1
            d = _levenshtein(q, terms[tid].translate(_DECOMPOSE_TABLE), limit)
            if d <= limit and terms[tid] != word and _DIGITS_RE.findall(terms[tid]) == digits:
                best_id, best_distance = tid, d
                if d <= 1:
                    break  # 0 is the word itself: nothing closer can follow
        return None if best_id is None else terms[best_id]

    def _candidates(self, q: str, k: int) -> set[int]:
        """Ids of the terms that may lie within ``k`` edits of the jamo ``q``
        (a superset, to be checked)."""
        n = len(q)
        found: set[int] = set()
        for m in range(max(1, n - k), n + k + 1):
            indexed = self._pieces.get(m)
            if indexed is None or k >= len(indexed[1]):
                found.update(self._lengths.get(m))
                continue
            members, maps = indexed
            needed = len(maps) - k  # pieces that must be found unchanged
            hits: Counter[int] = Counter()
            matched: set[int] = set()
            for (s, e), index in zip(_piece_bounds(m), maps):
                here: set[int] = set()
                length = e - s
                for start in range(max(0, s - k), min(n - length, s + k) + 1):
                    here.update(index.get(_key(q[start : start + length])))
                if needed == 1:
                    matched |= here
                else:
                    hits.update(here)
            if needed > 1:
                matched = {i for i, count in hits.items() if count >= needed}
            found.update(map(members.__getitem__, matched))
        return found


def _rebuild_vocabulary(pairs, known_frequency, correction_ratio) -> Vocabulary:
    return Vocabulary(pairs, known_frequency=known_frequency, correction_ratio=correction_ratio)


def _normalize_word(word: str) -> str:
    """A query word as the analyzer would have indexed it: composed Hangul
    (NFC, leaving compatibility jamo alone), lowercased, trimmed."""
    return unicodedata.normalize("NFC", word).strip().lower()


def _default_distance(word: str) -> int:
    """How many jamo edits ``suggest`` allows by default for ``word``."""
    syllables = sum(len(run) for run in _SYLLABLES_RE.findall(word))
    if syllables:
        return 1 if syllables <= 2 else 2
    if len(word) <= 4 or not word.isalpha():  # short Latin, numbers, codes
        return 0
    return 1 if len(word) <= 8 else 2
