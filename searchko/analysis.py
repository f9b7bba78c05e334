"""Korean analysis: Kiwi morphemes as a Whoosh analyzer chain.

``KoreanAnalyzer()`` is ``KiwiTokenizer() | PosStopFilter() | LowercaseFilter()
| CompoundFilter()``, the shape of Lucene's Korean analyzer:

- ``KiwiTokenizer`` normalises the text (NFKC, separators between Hangul
  syllables removed, control characters blanked), runs Kiwi and yields one
  token per morpheme with its part-of-speech tag and its character offsets in
  the *original* text;
- ``PosStopFilter`` drops tokens by tag (particles, endings, affixes, symbols)
  and numbers the kept ones, so positions count kept tokens only;
- ``CompoundFilter`` adds a word that Kiwi split into adjacent nouns
  (한미 + 동맹) once more as a whole (한미동맹), at the position of its first
  part, so it is found by its parts, as a phrase, and by the whole.

Kiwi is given the domain lexicon (``searchko.lexicon``): the shipped one,
with a user's entries merged over it when an index was made with them.
Whoosh pickles the analyzer into the index, so these classes hold no Kiwi
object, only a key naming their lexicon: one Kiwi per lexicon is made lazily
by ``get_kiwi()``, and every index without user entries shares the first.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from importlib import import_module
from typing import Iterable, Iterator, NamedTuple

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from .errors import LexiconError
from .lexicon import Lexicon, shipped_lexicon

__all__ = [
    "DEFAULT_STOP_TAGS",
    "COMPOUND_TAGS",
    "KIWI_OPTIONS",
    "Term",
    "KiwiTokenizer",
    "PosStopFilter",
    "CompoundFilter",
    "KoreanAnalyzer",
    "BigramTokenizer",
    "BigramAnalyzer",
    "bigrams",
    "analyze",
    "analysis_fingerprint",
    "get_kiwi",
    "lexicon_key",
    "normalize",
    "prepare",
    "analyze_batch",
]

#: Kiwi (Sejong) tags that never become terms, in the manner of Nori's
#: ``DEFAULT_STOP_TAGS``: a stop list, so tags we did not think of stay indexed.
DEFAULT_STOP_TAGS: frozenset[str] = frozenset(
    {
        # particles (조사)
        "JKS", "JKC", "JKG", "JKO", "JKB", "JKV", "JKQ", "JX", "JC",
        # endings (어미)
        "EP", "EF", "EC", "ETN", "ETM",
        # affixes (접두사, 접미사)
        "XPN", "XSN", "XSV", "XSA", "XSM",
        # copula, interjections, determiners and adverbs
        "VCP", "VCN", "IC", "MM", "MAG", "MAJ",
        # punctuation and symbols
        "SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW", "SB",
        # emoji and Kiwi's split-off codas
        "W_EMOJI", "Z_CODA", "Z_SIWA",
    }
)

#: Tags whose adjacent runs inside one word are also indexed whole.
COMPOUND_TAGS: frozenset[str] = frozenset(
    {"NNG", "NNP", "NNB", "NR", "SN", "SH", "SL", "XR"}
)

#: Options Kiwi is created with; they decide the tokens, so they are part of
#: the fingerprint. ``load_multi_dict=False`` halves a cold start (DESIGN.md).
KIWI_OPTIONS: dict[str, object] = {"model_type": "cong", "load_multi_dict": False}

#: Bump when normalisation or term rules change in a way that changes terms.
ANALYSIS_VERSION = 2

# Separators written between Hangul syllables (한·미, 한ㆍ미, 한-미, 북・러) and
# invisible format characters (soft hyphen, zero-width space/joiners, word
# joiner, BOM) are removed, so 한·미 동맹 is analysed as 한미 동맹.
_SEPARATORS = "·ㆍᆞ‧・･-‐‑∙•"
# (each pattern starts at the character it removes, so that the regex engine
# looks only at those: a lookbehind first is tried at every character)
_SEPARATOR = "[" + re.escape(_SEPARATORS) + "](?<=[\uac00-\ud7a3][" + re.escape(_SEPARATORS) + "])(?=[\uac00-\ud7a3])"
_INVISIBLE = "[\u00ad\u180e\u200b-\u200d\u2060\ufeff]"
_DELETE_RE = re.compile(f"{_SEPARATOR}|{_INVISIBLE}")
# the same, a part at a time (``normalized``): their alternation is tried at
# every character again. Separators go first, their neighbours read in the
# text as given, as in the one pattern.
_SEPARATOR_RE, _INVISIBLE_RE = re.compile(_SEPARATOR), re.compile(_INVISIBLE)
# C0/C1 controls other than tab and newline; Kiwi returns them as SW tokens.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A character and what composes with it: combining marks, and the medial and
# final jamo of decomposed (NFD) Hangul.
_CLUSTER_RE = re.compile("(?s).[\u0300-\u036f\u1160-\u11ff\ud7b0-\ud7ff\u302a-\u302f\u3099\u309a]*")
# Kiwi is fed chunks of at most this many characters (split at line breaks,
# else at spaces): long texts stay cheap and batches spread over threads.
_CHUNK_CHARS = 4000
# ... and a run without spaces is cut every this many characters (Kiwi took
# 2.0 s on 40,000 unspaced syllables in 4,000-character pieces, 0.6 s in 250)
_UNBROKEN_CHARS = 500

_kiwis: dict[str, object] = {}  # Lexicon.analysis_digest -> Kiwi
_kiwi_lock = threading.Lock()
# Lexicons the analyzers of open indexes name, by key (see lexicon_key)
_lexicons: dict[str, Lexicon] = {}


def get_kiwi(lexicon: Lexicon | None = None):
    """The Kiwi that analyses with ``lexicon`` (default: the shipped one),
    created on first use (about a second) and shared by every lexicon with
    the same words and splits."""
    if lexicon is None:
        lexicon = shipped_lexicon()
    key = lexicon.analysis_digest
    kiwi = _kiwis.get(key)
    if kiwi is None:
        with _kiwi_lock:
            kiwi = _kiwis.get(key)
            if kiwi is None:
                kiwi = _kiwis[key] = _make_kiwi(lexicon)
    return kiwi


def _make_kiwi(lexicon: Lexicon):
    from kiwipiepy import Kiwi

    kiwi = Kiwi(**KIWI_OPTIONS)
    for w in lexicon.words:
        try:
            kiwi.add_user_word(w.form, w.tag, w.score)
        except ValueError as e:
            raise LexiconError(f"{w.origin or w.form}: Kiwi refused the word {w.form}/{w.tag} ({e})") from None
    for s in lexicon.splits:
        analyzed, start = [], 0
        for form, tag in s.morphemes:
            analyzed.append((form, tag, start, start + len(form)))
            start += len(form)
        try:
            kiwi.add_pre_analyzed_word(s.form, analyzed, s.score)
        except ValueError as e:
            raise LexiconError(
                f"{s.origin or s.form}: Kiwi cannot split {s.form} so ({e})",
                hint="each form/TAG of a split must be a morpheme Kiwi knows or a word in [words]",
            ) from None
    return kiwi


def lexicon_key(lexicon: Lexicon | None) -> str:
    """The key an analyzer names its lexicon by ("" for the shipped words and
    splits); registers the lexicon so analyzers unpickled from an index find it."""
    if lexicon is None or lexicon.analysis_digest == shipped_lexicon().analysis_digest:
        return ""
    _lexicons.setdefault(lexicon.analysis_digest, lexicon)
    return lexicon.analysis_digest


def _lexicon_of(key: str) -> Lexicon | None:
    if not key:
        return None
    try:
        return _lexicons[key]
    except KeyError:
        raise LexiconError(
            "this index was made with a user lexicon that is not loaded",
            hint="open indexes with searchko.open_index, which loads the lexicon stored in them",
        ) from None


def _version(dist: str) -> str:
    # the package's own __version__ when it has one: importing
    # importlib.metadata would cost every cold start more than this lookup
    try:
        return import_module(dist).__version__
    except (ImportError, AttributeError):  # pragma: no cover - unusual install
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(dist)
        except PackageNotFoundError:
            return "unknown"


def analysis_fingerprint(stop_tags: Iterable[str] = DEFAULT_STOP_TAGS,
                         lexicon: Lexicon | None = None) -> dict:
    """What decides the terms: an index made under another fingerprint is
    stale. ``lexicon`` is the whole lexicon analysing (default: shipped)."""
    return {
        "analysis_version": ANALYSIS_VERSION,
        "kiwipiepy": _version("kiwipiepy"),
        "kiwipiepy_model": _version("kiwipiepy_model"),
        "kiwi_options": dict(KIWI_OPTIONS),
        "stop_tags": sorted(stop_tags),
        "compound_tags": sorted(COMPOUND_TAGS),
        "lexicon": (shipped_lexicon() if lexicon is None else lexicon).digest,
    }


# --------------------------------------------------------------------------
# Normalisation with an offset map back to the original text


def normalize(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Return the text Kiwi sees and, when it is not ``text`` character for
    character, the offsets in ``text`` where each of its characters starts
    and ends.

    NFKC (decomposed Hangul and accents composed; Hangul compatibility jamo
    kept as typed), separators between Hangul syllables and invisible format
    characters removed, control characters turned into spaces.
    """
    text = _CONTROL_RE.sub(" ", text)
    starts: list[int] | None = None
    ends: list[int] | None = None
    if not unicodedata.is_normalized("NFKC", text):
        pieces: list[str] = []
        starts, ends = [], []
        for m in _CLUSTER_RE.finditer(text):
            cluster = m.group()
            if "\u3130" <= cluster[0] <= "\u318f":  # ㅎㅁㄷㅁ stays as typed
                norm = cluster
            else:
                norm = unicodedata.normalize("NFKC", cluster)
            pieces.append(norm)
            if norm == cluster:
                starts.extend(range(m.start(), m.end()))
                ends.extend(range(m.start() + 1, m.end() + 1))
            else:  # every character of the result covers the whole cluster
                starts.extend([m.start()] * len(norm))
                ends.extend([m.end()] * len(norm))
        text = _CONTROL_RE.sub(" ", "".join(pieces))
    if _DELETE_RE.search(text):
        if starts is None:
            starts = list(range(len(text)))
            ends = list(range(1, len(text) + 1))
        kept: list[str] = []
        kept_starts: list[int] = []
        kept_ends: list[int] = []
        last = 0
        for m in _DELETE_RE.finditer(text):
            kept.append(text[last : m.start()])
            kept_starts.extend(starts[last : m.start()])
            kept_ends.extend(ends[last : m.start()])
            last = m.end()
        kept.append(text[last:])
        kept_starts.extend(starts[last:])
        kept_ends.extend(ends[last:])
        text, starts, ends = "".join(kept), kept_starts, kept_ends
    return text, starts, ends


def normalized(text: str) -> str:
    """``normalize(text)[0]``, without the offsets (cheaper)."""
    text = _CONTROL_RE.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = _CONTROL_RE.sub(" ", "".join(
            c if "\u3130" <= c[0] <= "\u318f" else unicodedata.normalize("NFKC", c)
            for c in _CLUSTER_RE.findall(text)))
    return _INVISIBLE_RE.sub("", _SEPARATOR_RE.sub("", text))


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split text into (offset, chunk) pieces Kiwi analyses one by one. Each
    starts at a word: Kiwi reads a word at the very start of its input in
    another way than after a space (지 alone as 하+지), so leading space is
    left out and a text's terms do not depend on the space before it."""
    n = len(text)
    start = n - len(text.lstrip())
    if n - start <= _CHUNK_CHARS:
        return [(start, text[start:])] if start < n else []
    out = []
    while start < n:
        end = min(start + _CHUNK_CHARS, n)
        if end < n:
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            if cut > start:
                end = cut + 1
            else:  # no break anywhere: Kiwi is far slower on long unbroken runs
                end = start + _UNBROKEN_CHARS
        out.append((start, text[start:end]))
        start = end
        while start < n and text[start].isspace():
            start += 1
    return out


# A morpheme as the tokenizer needs it:
# (form, tag, start, end, nstart, nend) with start/end in the original text and
# nstart/nend in the normalised text (CompoundFilter tests adjacency there).
_Morph = tuple


_HAS_SPACE = re.compile(r"\s").search


class _Word(NamedTuple):
    """A word of a Kiwi token whose form holds a space, as a token."""

    form: str
    tag: str
    start: int
    len: int


def _words_of(tok, chunk: str) -> list[_Word]:
    """The words of a Kiwi token whose form holds a space (Kiwi joins
    out-of-vocabulary jamo across one), when the form is the text as
    written; else none: a term never holds a space."""
    if chunk[tok.start:tok.start + tok.len] != tok.form:
        return []
    return [_Word(m.group(), tok.tag, tok.start + m.start(), m.end() - m.start())
            for m in re.finditer(r"\S+", tok.form)]


def _morphemes_from(pieces: list[tuple[int, str]], starts, ends, results) -> list[_Morph]:
    out: list[_Morph] = []
    for (base, chunk), tokens in zip(pieces, results):
        for tok in tokens:
            form = tok.form  # (made anew at each access)
            if _HAS_SPACE(form):  # (rare) each of its words instead
                out.extend(_morphemes_from([(base, chunk)], starts, ends, [_words_of(tok, chunk)]))
                continue
            ns = base + tok.start
            ne = ns + tok.len
            if ne <= ns:  # zero-width morphemes (a dropped copula) have no surface
                continue
            if "\u1100" <= form[0] <= "\u11ff" and all("\u1100" <= c <= "\u11ff" for c in form):
                continue  # a bare jamo Kiwi split off a nonsense syllable
            if starts is None:
                s, e = ns, ne
            else:
                s, e = starts[ns], ends[ne - 1]
            out.append((form, tok.tag, s, e, ns, ne))
    return out


def _analyze_texts(texts: list[str], lexicon: Lexicon | None = None) -> list[list[_Morph]]:
    """Morphemes of several texts, in one batched Kiwi call (worker threads)."""
    prepared = []
    flat: list[str] = []
    for text in texts:
        norm, starts, ends = normalize(text)
        pieces = _chunks(norm)
        prepared.append((pieces, starts, ends))
        flat.extend(chunk for _, chunk in pieces)
    if not flat:
        return [[] for _ in texts]
    results = list(get_kiwi(lexicon).tokenize(flat))
    out = []
    i = 0
    for pieces, starts, ends in prepared:
        k = len(pieces)
        out.append(_morphemes_from(pieces, starts, ends, results[i : i + k]))
        i += k
    return out


# Texts analysed ahead in a batch, keyed by (lexicon key, text), each with the
# number of times a tokenizer will be handed it; the tokenizer takes them from
# here instead of calling Kiwi once per field.
_prepared: dict[tuple[str, str], list] = {}
_prepared_lock = threading.Lock()


def analyze_batch(texts: Iterable[str], lexicon: Lexicon | None = None) -> dict[str, list]:
    """Morphemes of many texts in one Kiwi call (its worker threads), for
    ``prepare``: {text: [morphemes, times the text occurs]}. Touches no
    shared state, so it can run in another thread while indexing goes on."""
    counts: dict[str, int] = {}
    for t in texts:
        if t:
            counts[t] = counts.get(t, 0) + 1
    todo = list(counts)
    return {t: [m, counts[t]] for t, m in zip(todo, _analyze_texts(todo, lexicon))} if todo else {}


def prepare(texts: Iterable[str] | dict[str, list], lexicon: Lexicon | None = None) -> None:
    """Analyse many texts at once (Kiwi's worker threads) ahead of indexing;
    or take the result of ``analyze_batch`` (made with the same lexicon).

    Each time a tokenizer of ``lexicon`` is handed one of these exact texts
    it uses the prepared morphemes, as many times as the text occurred.
    """
    batch = texts if isinstance(texts, dict) else analyze_batch(texts, lexicon)
    key = lexicon_key(lexicon)
    with _prepared_lock:
        for text, (morphs, n) in batch.items():
            known = _prepared.get((key, text))
            if known is None:
                _prepared[key, text] = [morphs, n]
            else:
                known[1] += n


def discard_prepared() -> None:
    """Forget prepared texts that were never indexed (after an error)."""
    with _prepared_lock:
        _prepared.clear()


def _morphemes(text: str, key: str = "") -> list[_Morph]:
    with _prepared_lock:
        found = _prepared.get((key, text))
        if found is not None:
            found[1] -= 1
            if found[1] <= 0:
                del _prepared[key, text]
            return found[0]
    return _analyze_texts([text], _lexicon_of(key))[0]


# --------------------------------------------------------------------------
# The Whoosh analyzer chain


class _OptionlessTokenizer(Tokenizer):
    """A tokenizer without options: equal to any other of its class."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __hash__(self):
        return hash(self.__class__)


class KiwiTokenizer(Tokenizer):
    """One token per Kiwi morpheme, with ``tag`` and offsets into the input.

    ``lexicon`` is the key of the lexicon Kiwi analyses with (``lexicon_key``;
    "" for the shipped one), not the lexicon itself: the tokenizer is pickled
    into the index.
    """

    def __init__(self, lexicon: str = ""):
        self.lexicon = lexicon

    def __eq__(self, other):
        return other.__class__ is self.__class__ and other.key == self.key

    def __hash__(self):
        return hash((self.__class__, self.key))

    @property
    def key(self) -> str:
        return getattr(self, "lexicon", "")  # tokenizers pickled before lexicons had none

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.tag = "UN"
            t.boost = 1.0
            t.nstart, t.nend = 0, len(value)
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for i, (form, tag, s, e, ns, ne) in enumerate(_morphemes(value, self.key)):
            t.text = form
            if keeporiginal:
                t.original = form
            t.tag = tag
            t.boost = 1.0
            t.stopped = False
            t.nstart, t.nend = ns, ne
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar = start_char + s
                t.endchar = start_char + e
            yield t


class _TagFilter(Filter):
    """A filter configured by a set of part-of-speech tags."""

    def __init__(self, tags: Iterable[str]):
        self.tags = frozenset(tags)

    def __eq__(self, other):
        return other.__class__ is self.__class__ and other.tags == self.tags

    def __hash__(self):
        return hash((self.__class__, self.tags))


class PosStopFilter(_TagFilter):
    """Drops tokens whose part-of-speech tag is a stop tag; numbers the rest."""

    def __init__(self, stoptags: Iterable[str] = DEFAULT_STOP_TAGS):
        super().__init__(stoptags)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stoptags = self.tags
        dropped = 0
        for t in tokens:
            # Kiwi marks irregular conjugation as VV-I, VA-R, …
            tag = t.tag.split("-", 1)[0] if "-" in t.tag and not t.tag.startswith("W_") else t.tag
            if tag in stoptags:
                dropped += 1
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            if t.positions:
                t.pos -= dropped
            yield t


class CompoundFilter(_TagFilter):
    """Adds the whole of a word Kiwi split into adjacent parts (한미 + 동맹 →
    also 한미동맹), at the position of its first part."""

    def __init__(self, tags: Iterable[str] = COMPOUND_TAGS):
        super().__init__(tags)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        tags = self.tags
        run: list[tuple] = []  # (text, tag, pos, startchar, endchar, nend)
        for t in tokens:
            tag = t.tag
            joins = tag in tags and not t.stopped
            if joins and run and run[-1][5] == t.nstart:
                run.append(self._save(t))
                yield t
                continue
            previous = run
            run = [self._save(t)] if joins else []
            yield t
            if len(previous) > 1:
                yield self._whole(t, previous)
        if len(run) > 1:
            yield self._whole(t, run)

    @staticmethod
    def _save(t: Token) -> tuple:
        return (
            t.text,
            t.tag,
            getattr(t, "pos", 0),
            getattr(t, "startchar", 0),
            getattr(t, "endchar", 0),
            t.nend,
        )

    @staticmethod
    def _whole(t: Token, run: list[tuple]) -> Token:
        first, last = run[0], run[-1]
        t.text = "".join(part[0] for part in run)
        t.tag = "+".join(part[1] for part in run)
        t.stopped = False
        t.boost = 1.0
        t.nstart, t.nend = -1, -1  # never adjacent to what follows
        if t.positions:
            t.pos = first[2]
        if t.chars:
            t.startchar, t.endchar = first[3], last[4]
        return t


class BigramTokenizer(_OptionlessTokenizer):
    """Character bigrams inside each word of the normalised, lowercased text
    (a one-character word is itself a term).

    Evidence that survives any segmentation: search uses it to re-rank the
    best morpheme matches, not to find them.
    """

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        for gram in bigrams(value):
            t.text = gram
            yield t


def bigrams(text: str) -> list[str]:
    """The character bigrams of ``text`` as ``BigramTokenizer`` makes them."""
    out: list[str] = []
    for word in normalized(text).lower().split():
        if len(word) == 1:
            out.append(word)
        else:
            out.extend(word[i : i + 2] for i in range(len(word) - 1))
    return out


def bigram_counts(text: str, grams) -> dict[str, int]:
    """How often each of ``grams`` is among ``bigrams(text)`` (those found),
    without making the list."""
    text = normalized(text).lower()
    out = {}
    for gram in grams:
        if len(gram) == 2 and gram[0] != gram[1]:
            n = text.count(gram)
        else:  # overlapping (ㅋㅋㅋ holds ㅋㅋ twice), or a one-character word
            pattern = f"(?={re.escape(gram)})" if len(gram) == 2 else rf"(?<!\S){re.escape(gram)}(?!\S)"
            n = len(re.findall(pattern, text))
        if n:
            out[gram] = n
    return out


def BigramAnalyzer():
    """The analyzer of the re-ranking field: character bigrams within words."""
    return BigramTokenizer()


def KoreanAnalyzer(stoptags: Iterable[str] = DEFAULT_STOP_TAGS, lexicon: Lexicon | None = None):
    """The analyzer searchko indexes and searches with; ``lexicon`` is the
    whole lexicon (``searchko.lexicon.combined``), by default the shipped one."""
    return KiwiTokenizer(lexicon_key(lexicon)) | PosStopFilter(stoptags) | LowercaseFilter() | CompoundFilter()


@dataclass(frozen=True)
class Term:
    """One term of analysed text: what goes into the index."""

    text: str
    tag: str
    position: int
    start: int
    end: int

    @property
    def compound(self) -> bool:
        """True for the whole of a split word (한미동맹 beside 한미 + 동맹)."""
        return "+" in self.tag

    def to_dict(self) -> dict:
        return {
            "term": self.text,
            "tag": self.tag,
            "position": self.position,
            "start": self.start,
            "end": self.end,
        }


_analyzers: dict[str, object] = {}  # by lexicon key


def analyze(text: str, analyzer=None, *, lexicon: Lexicon | None = None) -> list[Term]:
    """The terms ``text`` is indexed and searched as, with positions and
    ``[start, end)`` offsets into ``text``; ``lexicon`` is the whole lexicon
    (``searchko.lexicon.combined(user)``), by default the shipped one."""
    if analyzer is None:
        key = lexicon_key(lexicon)
        analyzer = _analyzers.get(key)
        if analyzer is None:
            analyzer = _analyzers[key] = KoreanAnalyzer(lexicon=lexicon)
    return [
        Term(t.text, t.tag, t.pos, t.startchar, t.endchar)
        for t in analyzer(text, positions=True, chars=True)
    ]
