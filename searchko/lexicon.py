"""The domain lexicon: words Kiwi keeps whole, words it splits a given way,
and aliases a query expands to.

A lexicon file is UTF-8 text in three sections; ``#`` starts a comment and
blank lines are ignored::

    [words]
    # word  TAG  [score]: one morpheme (TAG defaults to NNP; a higher score wins
    # more often against Kiwi's own analysis, a negative one only where needed)
    인도태평양  NNP
    핵잠  NNG  -5

    [splits]
    # word = form/TAG form/TAG ...: analysed exactly so (the forms spell the word)
    안보협의회의 = 안보/NNG 협의/NNG 회의/NNG  5

    [aliases]
    # forms of one thing, separated by commas: a query word finds them all
    북한, 北, DPRK, North Korea

Words and splits change the terms documents are indexed as; aliases act only
when searching. searchko ships one lexicon (``searchko/lexicon.txt``) that
every index uses; users add their own files, which are merged over it (a word
or split given again replaces the earlier one, alias groups sharing a form
become one group). An index records its whole lexicon in its fingerprint and
keeps a copy of the user's part, so searching needs no files.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable

from .errors import LexiconError

__all__ = ["Lexicon", "Word", "Split", "shipped_lexicon", "read_lexicons", "user_lexicon", "combined",
           "SHIPPED_PATH"]

#: The lexicon every index uses, beside this module.
SHIPPED_PATH = Path(__file__).with_name("lexicon.txt")

#: The tags a word or a split's morpheme may have (Kiwi's Sejong tag set).
TAGS = frozenset(
    "NNG NNP NNB NR NP VV VA VX VCP VCN MM MAG MAJ IC JKS JKC JKG JKO JKB JKV JKQ JX JC "
    "EP EF EC ETN ETM XPN XSN XSV XSA XSM XR SF SP SS SSO SSC SE SO SW SL SH SN SB W_URL "
    "W_EMAIL W_HASHTAG W_MENTION W_SERIAL W_EMOJI".split()
)
SECTIONS = ("words", "splits", "aliases")

_SECTION_RE = re.compile(r"^\[\s*(\w+)\s*\]$")
_SPACES_RE = re.compile(r"\s+")
_COMMENT_RE = re.compile(r"(?:^|\s)#.*$")
_EDGE_RE = re.compile(r"^\W+|\W+$")


@dataclass(frozen=True)
class Word:
    """A word Kiwi keeps as one morpheme."""

    form: str
    tag: str = "NNP"
    score: float = 0.0
    origin: str = field(default="", compare=False)  # file:line, for messages


@dataclass(frozen=True)
class Split:
    """A word Kiwi analyses as exactly these (form, tag) morphemes."""

    form: str
    morphemes: tuple[tuple[str, str], ...]
    score: float = 0.0
    origin: str = field(default="", compare=False)


@dataclass(frozen=True)
class Lexicon:
    """Words, splits and alias groups (see the module doc for the file format)."""

    words: tuple[Word, ...] = ()
    splits: tuple[Split, ...] = ()
    aliases: tuple[tuple[str, ...], ...] = ()

    # -- reading -------------------------------------------------------------

    @classmethod
    def parse(cls, text: str, name: str = "<lexicon>") -> "Lexicon":
        """A lexicon from the text of a lexicon file; ``LexiconError`` names
        the line of a mistake."""
        words: list[Word] = []
        splits: list[Split] = []
        aliases: list[tuple[str, ...]] = []
        section = None
        for number, raw in enumerate(text.splitlines(), 1):
            line = _COMMENT_RE.sub("", raw).strip()
            if not line:
                continue
            where = f"{name}:{number}"
            m = _SECTION_RE.match(line)
            if m:
                section = m.group(1).lower()
                if section not in SECTIONS:
                    raise LexiconError(f"{where}: unknown section [{m.group(1)}]",
                                       hint="the sections are [words], [splits] and [aliases]")
                continue
            if section is None:
                raise LexiconError(f"{where}: {line!r} comes before any section",
                                   hint="start the file with [words], [splits] or [aliases]")
            if section == "words":
                words.append(_word(line, where))
            elif section == "splits":
                splits.append(_split(line, where))
            else:
                aliases.append(_aliases(line, where))
        return cls().merged(cls(tuple(words), tuple(splits), tuple(aliases)))

    @classmethod
    def read(cls, path: str | os.PathLike) -> "Lexicon":
        """The lexicon in the file at ``path``."""
        try:
            text = Path(path).read_text("utf-8-sig")
        except FileNotFoundError:
            raise LexiconError(f"lexicon file {path} not found") from None
        except UnicodeDecodeError:
            raise LexiconError(f"lexicon file {path} is not UTF-8 text") from None
        except OSError as e:
            raise LexiconError(f"lexicon file {path} cannot be read ({e.strerror or e})") from None
        return cls.parse(text, str(path))

    # -- combining -----------------------------------------------------------

    def merged(self, other: "Lexicon") -> "Lexicon":
        """This lexicon with ``other``'s entries over it: a word or split of the
        same form replaces this one's, alias groups sharing a form are joined."""
        words = {w.form: w for w in self.words}
        words.update((w.form, w) for w in other.words)
        splits = {s.form: s for s in self.splits}
        splits.update((s.form, s) for s in other.splits)
        groups: dict[int, list[str]] = {}  # by the number of the group's first line
        owner: dict[str, int] = {}  # alias_key -> group
        for n, group in enumerate(self.aliases + other.aliases):
            keys = [alias_key(f) for f in group]
            joined = sorted({owner[k] for k in keys if k in owner})
            target = groups[joined[0]] if joined else groups.setdefault(n, [])
            for g in joined[1:]:
                target.extend(f for f in groups.pop(g) if f not in target)
            target.extend(f for f in group if f not in target)
            first = joined[0] if joined else n
            owner.update((alias_key(f), first) for f in target)
        return Lexicon(tuple(words.values()), tuple(splits.values()), tuple(tuple(g) for g in groups.values()))

    def __bool__(self) -> bool:
        return bool(self.words or self.splits or self.aliases)

    # -- writing and identity ------------------------------------------------

    def dump(self) -> str:
        """The lexicon in the file format; ``Lexicon.parse(dump())`` equals it."""
        lines = ["[words]"]
        lines += [f"{w.form}\t{w.tag}" + (f"\t{w.score:g}" if w.score else "") for w in self.words]
        lines += ["", "[splits]"]
        lines += [f"{s.form} = " + " ".join(f"{f}/{t}" for f, t in s.morphemes)
                  + (f"\t{s.score:g}" if s.score else "") for s in self.splits]
        lines += ["", "[aliases]"]
        lines += [", ".join(g) for g in self.aliases]
        return "\n".join(lines) + "\n"

    @cached_property
    def digest(self) -> str:
        """Identifies the whole lexicon (part of an index's fingerprint)."""
        return hashlib.sha256(self.dump().encode("utf-8")).hexdigest()[:16]

    @cached_property
    def analysis_digest(self) -> str:
        """Identifies what Kiwi is given (words and splits): lexicons that
        differ only in aliases share one Kiwi."""
        return Lexicon(self.words, self.splits).digest

    # -- aliases ---------------------------------------------------------------

    @cached_property
    def _alias_index(self) -> dict[str, tuple[str, ...]]:
        index: dict[str, tuple[str, ...]] = {}
        for group in self.aliases:
            for form in group:
                index[alias_key(form)] = group
        return index

    @cached_property
    def longest_alias(self) -> int:
        """The most words an alias form has (North Korea: 2)."""
        return max((len(k.split()) for k in self._alias_index), default=0)

    @cached_property
    def alias_starts(self) -> frozenset[str]:
        """The first words (as ``alias_key`` makes them) of the forms of
        several words."""
        return frozenset(k.split()[0] for k in self._alias_index if " " in k)

    def aliases_of(self, text: str) -> tuple[str, ...]:
        """The other forms of the alias group ``text`` belongs to (compared
        after normalisation: case, width, 북·러 = 북러), or ()."""
        return self.aliases_of_key(alias_key(text))

    def aliases_of_key(self, key: str) -> tuple[str, ...]:
        """``aliases_of`` for a text already normalised by ``alias_key``."""
        group = self._alias_index.get(key, ())
        return tuple(f for f in group if alias_key(f) != key)


@lru_cache(maxsize=1024)
def alias_key(text: str) -> str:
    """How alias forms are compared: NFKC, separators between Hangul
    syllables removed, lower case, edge punctuation off, one space between
    words."""
    from .analysis import normalize  # analysis imports this module

    text = normalize(text)[0].lower()
    return " ".join(w for w in (_EDGE_RE.sub("", w) for w in text.split()) if w)


def _score(value: str, where: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise LexiconError(f"{where}: score {value!r} is not a number") from None


def _tag(tag: str, where: str) -> str:
    if tag.upper() not in TAGS:
        raise LexiconError(f"{where}: unknown part-of-speech tag {tag!r}",
                           hint="use a Kiwi (Sejong) tag such as NNP, NNG, SL")
    return tag.upper()


def _word(line: str, where: str) -> Word:
    cols = line.split()
    if len(cols) > 3:
        raise LexiconError(f"{where}: a word line is `word [TAG [score]]`, got {line!r}",
                           hint="a word has no spaces; a phrase belongs in [aliases]")
    tag = _tag(cols[1], where) if len(cols) > 1 else "NNP"
    score = _score(cols[2], where) if len(cols) > 2 else 0.0
    return Word(cols[0], tag, score, where)


def _split(line: str, where: str) -> Split:
    form, eq, rest = line.partition("=")
    form = form.strip()
    if not eq or not form or " " in form or not rest.strip():
        raise LexiconError(f"{where}: a split line is `word = form/TAG form/TAG ... [score]`, got {line!r}")
    parts = rest.split()
    score = 0.0
    if re.fullmatch(r"[-+]?\d+(?:\.\d*)?", parts[-1]):
        score = float(parts.pop())
    morphemes = []
    for part in parts:
        m_form, slash, tag = part.rpartition("/")
        if not slash or not m_form:
            raise LexiconError(f"{where}: {part!r} is not form/TAG")
        morphemes.append((m_form, _tag(tag, where)))
    if not morphemes:
        raise LexiconError(f"{where}: {form} is split into nothing")
    if "".join(f for f, _ in morphemes) != form:
        raise LexiconError(f"{where}: the forms {'+'.join(f for f, _ in morphemes)} do not spell {form}",
                           hint="a split only cuts the word; to relate other spellings use [aliases]")
    return Split(form, tuple(morphemes), score, where)


def _aliases(line: str, where: str) -> tuple[str, ...]:
    forms = tuple(dict.fromkeys(_SPACES_RE.sub(" ", f.strip()) for f in line.split(",") if f.strip()))
    if len(forms) < 2:
        raise LexiconError(f"{where}: an alias group needs two forms or more, separated by commas")
    for f in forms:
        if not alias_key(f):
            raise LexiconError(f"{where}: alias {f!r} has no letters")
    return forms


# -- the shipped lexicon and its combinations -----------------------------------

_lock = threading.Lock()
_shipped: Lexicon | None = None
_combined: dict[str, Lexicon] = {}


def shipped_lexicon() -> Lexicon:
    """The lexicon searchko ships (``searchko/lexicon.txt``), read once."""
    global _shipped
    if _shipped is None:
        with _lock:
            if _shipped is None:
                _shipped = Lexicon.read(SHIPPED_PATH)
    return _shipped


def read_lexicons(paths: Iterable[str | os.PathLike]) -> Lexicon:
    """The user's lexicon files merged, in order (later ones win)."""
    out = Lexicon()
    for path in paths:
        out = out.merged(Lexicon.read(path))
    return out


def user_lexicon(spec) -> Lexicon | None:
    """The user lexicon the API's ``lexicon=`` names: None (none given), a
    ``Lexicon``, the path of a lexicon file, or several paths (merged in order;
    an empty list is an empty lexicon: the shipped one alone)."""
    if spec is None or isinstance(spec, Lexicon):
        return spec
    if isinstance(spec, (str, os.PathLike)):
        spec = [spec]
    return read_lexicons(spec)


def combined(user: Lexicon | None = None) -> Lexicon:
    """The lexicon an index analyses with: the shipped one with ``user``'s
    entries merged over it."""
    if not user:
        return shipped_lexicon()
    key = user.digest
    found = _combined.get(key)
    if found is None:
        found = _combined[key] = shipped_lexicon().merged(user)
    return found
