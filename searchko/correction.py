"""Typo correction: the query text rewritten word by word before it is parsed.

Three forms, over the index's own terms (``searchko.spelling`` does the
Korean side of it):

- ``keyboard``: Korean typed with the keyboard in English mode
  (gksalehdaod → 한미동맹), converted when the detector is confident, the
  converted word is in the index and the typed one is not (or far rarer);
- ``initials``: a word of initial consonants only (ㅎㅁㄷㅁ) becomes the most
  frequent term with those initials (한미동맹);
- ``spelling``: when the query finds fewer than ``FEW_HITS`` documents,
  each misspelt word (see ``correct_spelling``) becomes its nearest term in
  jamo edits (동멩 → 동맹, 한미동명 → 한미동맹), a particle after it kept
  (동멩을 → 동맹을); the corrected query is searched instead if it finds more.

The first two are applied before searching (``correct_input_forms``), the
third only after a search that found little (``correct_spelling``). Only
words are rewritten (``query.correctable_words``): operators, excluded words,
quoted phrases, ``source:`` and ``date:`` stay as typed. The vocabulary is
built only when a word needs it (``Index.vocabulary``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Callable

from .analysis import analyze, get_kiwi
from .query import _MAX_QUERY_CHARS, correctable_words

__all__ = ["Correction", "FEW_HITS", "correct_input_forms", "correct_spelling"]

#: A query finding fewer documents than this is worth a spelling correction
#: (``Vocabulary.known_frequency``: a word found in as many is never corrected).
FEW_HITS = 5
#: A converted or corrected word must be this many times as frequent as the word typed.
CORRECTION_RATIO = 10

# Cheap tests that keep the spelling module out of most queries: Latin runs
# long enough to be mistyped Korean, and runs of Hangul consonants.
_MAYBE_KEYBOARD = re.compile("[A-Za-z]{4}")
_MAYBE_INITIALS = re.compile("[\u3131-\u314e]{2}")
_SYLLABLES = re.compile("[\uac00-\ud7a3]")
_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
# what a replacement may be: one word that the query syntax reads as a word
_PLAIN_WORD = re.compile(r'[^\s":-][^\s":]*')


@dataclass(frozen=True)
class Correction:
    """One word of the query, as typed and as searched."""

    typed: str
    corrected: str
    kind: str  # "keyboard", "initials" or "spelling"

    def to_dict(self) -> dict:
        return asdict(self)


def correct_input_forms(index, text: str) -> tuple[str, tuple[Correction, ...]]:
    """``text`` with its words typed in English keyboard mode converted and
    its initials-only words replaced; the corrections made."""
    keyboard = _MAYBE_KEYBOARD.search(text) is not None
    initials = _MAYBE_INITIALS.search(text) is not None
    if not (keyboard or initials):
        return text, ()
    from . import spelling

    reader = index.searcher().reader()

    def fix(word: str) -> Correction | None:
        if initials and spelling.is_initials(word):
            found = index.vocabulary().initials_matches(word, limit=1)
            return Correction(word, found[0], "initials") if found else None
        if keyboard and spelling.looks_mistyped(word):
            korean = spelling.from_qwerty(word)
            parts = [t.text for t in analyze(korean, lexicon=index.lexicon) if not t.compound]
            found = min((_frequency(reader, p) for p in parts), default=0)
            if found and _frequency(reader, word.lower()) * CORRECTION_RATIO < found:
                return Correction(word, korean, "keyboard")
        return None

    return _rewrite(text, fix)


def correct_spelling(index, text: str, found: int) -> tuple[str, tuple[Correction, ...]]:
    """``text`` (which found ``found`` documents) with each misspelt word
    replaced by the term it was most likely meant to be; the corrections made.

    A word is taken as misspelt when some term of it is rare or missing in
    the index and Kiwi does not know it as Korean (동멩, 한미동명): it is
    corrected to the nearest term (``Vocabulary.suggest``). A word Kiwi
    knows (방이비 reads as 방 + 이 + 비) is corrected only when nothing was
    found, some term of it is missing, and a term is one jamo away (방위비),
    so that a real word the index lacks (공무원) is not "corrected" (공원).
    """
    # the frequencies from the index; the whole vocabulary (seconds to build
    # on a large index, once) only for a word that may be misspelt
    reader = index.searcher().reader()

    def fix(word: str) -> Correction | None:
        if index.lexicon.aliases_of(word):  # a name the lexicon knows (DPRK, 北)
            return None
        terms = analyze(word, lexicon=index.lexicon)
        parts = [t.text for t in terms if not t.compound]
        frequencies = [_frequency(reader, p) for p in parts]
        if not parts or all(n >= FEW_HITS for n in frequencies):
            return None
        if any(t.oov for t in get_kiwi(index.lexicon).tokenize(word)):
            distance = None  # the default of suggest
        elif not found and not all(frequencies):
            distance = 1
        else:
            return None
        # the word before its particle or ending (동멩을, 한미동명의), where
        # Kiwi found one: the word is not corrected into its own stem
        end = max(t.end for t in terms)
        stem = index.vocabulary().suggest(word[:end], distance)
        # a typo changes letters, not the number of syllables: 여고사 is
        # not a misspelt 역사, nor 기혼자 a misspelt 혼자
        if stem is None or _syllables(stem) != _syllables(word[:end]):
            return None
        if word.isupper() and stem.isascii():  # terms are lowercased: USFKK → USFK
            stem = stem.upper()
        return Correction(word, stem + word[end:], "spelling")

    return _rewrite(text, fix)


def _syllables(word: str) -> int:
    return len(_SYLLABLES.findall(word))


def _frequency(reader, term: str) -> int:
    """In how many documents ``term`` is found, in the title or the body."""
    return max(reader.doc_frequency("title", term), reader.doc_frequency("body", term))


def _rewrite(text: str, fix: Callable[[str], Correction | None]) -> tuple[str, tuple[Correction, ...]]:
    """``text`` with each correctable word replaced by ``fix`` (given the word
    without the punctuation around it); the corrections made."""
    out = []
    corrections = []
    last = 0
    for start, end in correctable_words(text):
        before, word, after = _EDGES.match(text[start:end]).groups()
        correction = fix(word) if word else None
        if correction is not None and _PLAIN_WORD.fullmatch(correction.corrected):
            corrections.append(correction)
            out.append(text[last:start] + before + correction.corrected + after)
            last = end
    out.append(text[last:])
    rewritten = "".join(out)
    if not corrections or len(rewritten) > _MAX_QUERY_CHARS:
        return text, ()
    return rewritten, tuple(corrections)
