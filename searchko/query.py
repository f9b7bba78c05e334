"""Query parsing: operators first, then Korean analysis of the words.

Syntax (operators in upper case, so Korean text never collides with them):

- words: 한미동맹 강화 — documents with all the words rank before those with some;
- "quoted phrase": its terms adjacent, required;
- a OR b: either;
- NOT word, -word, -"phrase": excluded;
- title:word, title:"phrase", source:국방부, body:word: the word in that field, required;
- date:2025, date:2025-03, date:2025-03-12, date:>=2025-01-01, date:<2024-06,
  date:2024-01..2024-06: a date range, required.

A word Kiwi splits into several terms (한미동맹 → 한미 + 동맹) must match them
adjacent; the whole word (한미동맹) counts extra, so the exact spelling ranks
first.

A plain word (or run of words) that is a form of an alias group of the
lexicon also matches the group's other forms, weighed less (北 finds 북한,
USFK 주한미군, North Korea 북한); quoted phrases and field clauses match as
written. See ``expand_aliases``.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass, field, replace

from whoosh import query as wq

from .analysis import Term, analyze, bigrams, normalize
from .errors import QueryError
from .lexicon import Lexicon, alias_key, shipped_lexicon

__all__ = ["QueryPlan", "parse_query", "expand_aliases", "filters", "restrict", "TITLE_BOOST",
           "COMPOUND_BOOST", "ALIAS_BOOST"]

#: How much a match in the title counts over one in the body.
TITLE_BOOST = 2.0
#: Extra weight of a split word found written whole (한미동맹 over 한미 동맹).
COMPOUND_BOOST = 0.5
#: Weight of a word's aliases against the word as typed (北: 북한 counts half).
ALIAS_BOOST = 0.5

#: Queries of up to this many words rank documents holding all of them first.
ALL_WORDS_MAX = 4
#: Weight of two consecutive query words found side by side.
PROXIMITY_BOOST = 0.5

TEXT_FIELDS = ("title", "body")
FIELDS = ("title", "body", "source", "date")
_MAX_QUERY_CHARS = 2000
#: Words of a query that are looked for; the rest of a pasted text is not.
MAX_WORDS = 64

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<neg>-)?(?P<field>[A-Za-z]+):(?P<fvalue>"[^"]*"?|[^\s"]*)
      | (?P<pneg>-)?(?P<phrase>"[^"]*"?)
      | (?P<word>[^\s"]+)
    )""",
    re.VERBOSE,
)


@dataclass
class Unit:
    """Something a document must contain to match one query item."""

    query: wq.Query
    # what to highlight: (field, terms), the terms at consecutive positions
    marks: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # for explanations: (label, field, query) of each field's part
    scored: list[tuple[str, str, wq.Query]] = field(default_factory=list)


@dataclass
class QueryPlan:
    """What the search runs: ``all_words`` first (every word), then ``match``
    (any word); ``marks`` say what to highlight."""

    match: wq.Query
    all_words: wq.Query | None
    marks: list[tuple[str, tuple[str, ...]]]
    #: the words looked for, for the character-bigram re-ranking
    text: str = ""
    #: (label, field, query) of each part of the score, for explanations
    scored: list[tuple[str, str, wq.Query]] = field(default_factory=list)
    #: the analysed query, for explanations
    terms: list[str] = field(default_factory=list)
    #: the bigrams of ``text`` that lie within its terms (the rest span
    #: particles and endings, weaker evidence: see ``search.ENDING_GRAM_WEIGHT``)
    content_grams: frozenset[str] = frozenset()


# -- terms to Whoosh queries -------------------------------------------------


_EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")


def _group_by_word(text: str, terms: list[Term]) -> list[tuple[int, list[Term]]]:
    """Terms grouped by the whitespace-separated word they come from, as
    (index of the word, its terms); a word Kiwi split also brings its whole
    written form (see ``_surface``)."""
    words = list(re.finditer(r"\S+", text))
    groups: dict[int, list[Term]] = {}
    w = 0
    for t in sorted(terms, key=lambda t: t.start):
        while w < len(words) - 1 and t.start >= words[w].end():
            w += 1
        groups.setdefault(w, []).append(t)
    return [(k, groups[k] + _surface(words[k].group(), groups[k])) for k in sorted(groups)]


def _surface(word: str, terms: list[Term]) -> list[Term]:
    """The word as typed, as one more whole term: Kiwi splits a word typed
    alone (전세사기 → 전세 + 사 + 기) unlike the same word in a sentence
    (전세 + 사기), whose whole the index holds."""
    parts = [t for t in terms if not t.compound]
    if len(parts) < 2 and not (parts and parts[0].text != word):
        return []
    text = _EDGE_PUNCTUATION.sub("", normalize(word)[0].lower())
    if not text or any(t.text == text for t in terms):
        return []
    return [Term(text, "SURFACE+", parts[0].position if parts else 0, terms[0].start, terms[-1].end)]


def _content_grams(text: str, terms: list[Term]) -> set[str]:
    """The bigrams of each word of ``text`` from its first kept term to its
    last (한미동맹을 → 한미, 미동, 동맹; not 맹을)."""
    parts = [t for t in terms if not t.compound]
    out: set[str] = set()
    for word in re.finditer(r"\S+", text):
        inside = [t for t in parts if word.start() <= t.start < word.end()]
        if inside:
            out.update(bigrams(text[min(t.start for t in inside):max(t.end for t in inside)]))
    return out


def _field_query(fieldname: str, terms: list[Term]) -> wq.Query:
    parts = [t.text for t in sorted(terms, key=lambda t: (t.position, t.start)) if not t.compound]
    wholes = [t.text for t in terms if t.compound]
    if len(parts) == 1:
        first = wq.Term(fieldname, parts[0])
    else:
        first = wq.Phrase(fieldname, parts)
    if not wholes:
        return first
    # the whole word also matches where Kiwi did not split it the same way
    return wq.Or([first] + [wq.Term(fieldname, w, boost=COMPOUND_BOOST) for w in wholes])


def _marks(fields, terms: list[Term]) -> list[tuple[str, tuple[str, ...]]]:
    parts = tuple(t.text for t in sorted(terms, key=lambda t: (t.position, t.start)) if not t.compound)
    wholes = [(t.text,) for t in terms if t.compound]
    return [(f, m) for f in fields for m in [parts] + wholes]


def _label(terms: list[Term]) -> str:
    """How a query word reads in an explanation: 한미+동맹 (adjacent parts)
    or its one term."""
    return "+".join(t.text for t in sorted(terms, key=lambda t: (t.position, t.start)) if not t.compound)


def _unit(terms: list[Term], fields, aliases: list[list[Term]] = ()) -> Unit:
    """What matches one query word (its ``terms``) in ``fields``; the terms
    of each of its ``aliases`` match too, weighed ``ALIAS_BOOST``."""
    subqueries = []
    for f in fields:
        q = _field_query(f, terms)
        if aliases:
            q = wq.Or([q] + [_field_query(f, a).with_boost(ALIAS_BOOST) for a in aliases])
        if f == "title":
            q = q.with_boost(q.boost * TITLE_BOOST)
        subqueries.append(q)
    q = subqueries[0] if len(subqueries) == 1 else wq.Or(subqueries)
    label = _label(terms)
    marks = [m for group in [terms, *aliases] for m in _marks([f for f in fields if f in TEXT_FIELDS], group)]
    return Unit(q, marks, [(label, f, sq) for f, sq in zip(fields, subqueries)])


# -- aliases -----------------------------------------------------------------


def expand_aliases(words: list[str], stems: list[str], lexicon: Lexicon) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Which typed query words are a form of an alias group of ``lexicon``.

    ``words`` are the words as typed; ``stems[i]`` is word ``i`` without its
    particles and endings (its analysed terms joined, lower case: 북한의 →
    북한). Returns ``{first: (end, others)}``: words ``first`` to ``end - 1``
    (one word, or several forming a multi-word form such as North Korea) are
    a form of a group whose other forms are ``others``. Longer runs win, left
    to right; forms are compared as ``alias_key`` normalises them (case,
    width, 북·러 = 북러).
    """
    out: dict[int, tuple[int, tuple[str, ...]]] = {}
    longest = lexicon.longest_alias
    keys = [alias_key(w) for w in words] if longest else []
    i = 0
    while i < len(keys):
        for n in range(min(longest, len(keys) - i) if keys[i] in lexicon.alias_starts else 1, 0, -1):
            others = lexicon.aliases_of_key(" ".join(keys[i : i + n]))
            if not others and n == 1 and stems[i] and stems[i] != keys[i]:
                others = lexicon.aliases_of_key(stems[i])
            if others:
                out[i] = (i + n, others)
                i += n
                break
        else:
            i += 1
    return out


def _alias_terms(forms: tuple[str, ...], typed: list[Term], lexicon: Lexicon) -> list[list[Term]]:
    """The analysed terms of each alias form, without duplicates and without
    the typed word's own."""
    seen = {_label(typed)}
    out = []
    for form in forms:
        terms = analyze(form, lexicon=lexicon)
        label = _label(terms)
        if label and label not in seen:
            seen.add(label)
            # a multi-word form is the phrase of its parts, not each word whole
            out.append(terms if len(form.split()) == 1 else [t for t in terms if not t.compound])
    return out


def _word_units(text: str, lexicon: Lexicon, limit: int) -> tuple[list[Unit], list[list[Term]]]:
    """The units of plain words (one a word, or one for the words of a
    multi-word alias form) and the words' terms, for at most ``limit`` words."""
    words = text.split()
    grouped = _group_by_word(text, analyze(text, lexicon=lexicon))[: max(0, limit)]
    stems = [""] * len(words)
    for k, group in grouped:
        stems[k] = _label(group).replace("+", "")
    found = expand_aliases(words, stems, lexicon) if lexicon.aliases else {}
    units: list[Unit] = []
    j = 0
    while j < len(grouped):
        k, group = grouped[j]
        end, others = found.get(k, (k + 1, ()))
        if end > k + 1:  # several typed words are one alias form: their phrase
            run = [g for i, g in grouped[j:] if i < end]
            group = [t for g in run for t in g if not t.compound]
            j += len(run)
        else:
            j += 1
        units.append(_unit(group, TEXT_FIELDS, _alias_terms(others, group, lexicon) if others else ()))
    return units, [g for _, g in grouped]


# -- dates -------------------------------------------------------------------

_DATE_VALUE = re.compile(r"^(\d{4})(?:[-./](\d{1,2}))?(?:[-./](\d{1,2}))?$")


def _date_bounds(value: str, name: str) -> tuple[_dt.datetime, _dt.datetime]:
    """First and last moment of 2025, 2025-03 or 2025-03-12."""
    m = _DATE_VALUE.match(value)
    if not m:
        raise QueryError(f"{name}: {value!r} is not a date (use 2025, 2025-03 or 2025-03-12)")
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    try:
        if mo is None:
            return _dt.datetime(y, 1, 1), _dt.datetime(y, 12, 31, 23, 59, 59)
        if d is None:
            last = calendar.monthrange(y, mo)[1]
            return _dt.datetime(y, mo, 1), _dt.datetime(y, mo, last, 23, 59, 59)
        start = _dt.datetime(y, mo, d)
    except ValueError:
        raise QueryError(f"{name}: {value!r} is not a valid date") from None
    return start, start.replace(hour=23, minute=59, second=59)


def _date_query(value: str) -> wq.Query:
    if ".." in value:
        lo, _, hi = value.partition("..")
        start = _date_bounds(lo, "date")[0] if lo else None
        end = _date_bounds(hi, "date")[1] if hi else None
        if start is None and end is None:
            raise QueryError("date: needs a date on at least one side of '..'")
        return wq.DateRange("date", start, end)
    for op in (">=", "<=", ">", "<"):
        if value.startswith(op):
            lo, hi = _date_bounds(value[len(op):], "date")
            if op == ">=":
                return wq.DateRange("date", lo, None)
            if op == ">":
                return wq.DateRange("date", hi, None, startexcl=True)
            if op == "<=":
                return wq.DateRange("date", None, hi)
            return wq.DateRange("date", None, lo, endexcl=True)
    lo, hi = _date_bounds(value, "date")
    return wq.DateRange("date", lo, hi)


# -- parsing -------------------------------------------------------------------


@dataclass
class _Item:
    kind: str  # "words", "phrase", "field", "or"
    text: str = ""
    fieldname: str | None = None
    negated: bool = False
    children: list["_Item"] = field(default_factory=list)


def _lex(text: str) -> list[_Item]:
    items: list[_Item] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:  # pragma: no cover - the pattern always advances
            break
        pos = m.end()
        if m.group("field") is not None:
            name, value = m.group("field"), m.group("fvalue")
            if name.lower() not in FIELDS:
                # "http:" or "출처:" in a pasted sentence: plain words
                items.append(_Item("words", m.group(0).strip()))
                continue
            if value.startswith('"'):
                if len(value) < 2 or not value.endswith('"'):
                    raise QueryError(f'unclosed quote in {name}:{value}')
                value = value[1:-1]
            if not value.strip():
                raise QueryError(f"{name}: needs a value, as in {name.lower()}:한미동맹")
            items.append(_Item("field", value, name.lower(), bool(m.group("neg"))))
        elif m.group("phrase") is not None:
            value = m.group("phrase")
            if len(value) < 2 or not value.endswith('"'):
                raise QueryError('unclosed quote: add the closing "')
            items.append(_Item("phrase", value[1:-1], negated=bool(m.group("pneg"))))
        else:
            word = m.group("word")
            if word in ("OR", "NOT", "AND"):
                items.append(_Item(word))
            elif word.startswith("-") and len(word) > 1:
                items.append(_Item("words", word[1:], negated=True))
            else:
                items.append(_Item("words", word))
    return items


def _combine(items: list[_Item]) -> list[_Item]:
    """Apply NOT and OR (OR binds the items on either side)."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        if item.kind == "AND":
            i += 1
            continue
        if item.kind == "NOT":
            if i + 1 >= len(items) or items[i + 1].kind in ("OR", "NOT", "AND"):
                raise QueryError("NOT needs a word after it")
            nxt = items[i + 1]
            nxt.negated = True
            out.append(nxt)
            i += 2
            continue
        if item.kind == "OR":
            if not out or i + 1 >= len(items) or items[i + 1].kind in ("OR", "AND"):
                raise QueryError("OR needs a word on each side")
            left = out.pop()
            right = items[i + 1]
            if right.kind == "NOT":
                raise QueryError("OR NOT is not supported; use NOT word separately")
            if left.negated or right.negated:
                raise QueryError("OR cannot join an excluded word")
            group = left if left.kind == "or" else _Item("or", children=[left])
            group.children.append(right)
            out.append(group)
            i += 2
            continue
        out.append(item)
        i += 1
    return out


def parse_query(text: str, lexicon: Lexicon | None = None) -> QueryPlan | None:
    """Parse and analyse a query with ``lexicon`` (the index's whole lexicon;
    default: the shipped one); None when nothing searchable is left.

    Raises ``QueryError`` for a malformed query.
    """
    if lexicon is None:
        lexicon = shipped_lexicon()
    if len(text) > _MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters; at most {_MAX_QUERY_CHARS})")
    items = _combine(_lex(text))

    should: list[Unit] = []  # plain words and OR groups: the more the better
    must: list[Unit] = []  # quoted phrases and field clauses
    must_not: list[wq.Query] = []
    filters: list[wq.Query] = []
    nearby: list[wq.Query] = []  # consecutive query words found side by side

    # Adjacent plain words are analysed together: Kiwi reads them in context.
    run: list[str] = []
    content: set[str] = set()  # bigrams within the terms of the words looked for

    def terms_of(text: str) -> list[Term]:
        terms = analyze(text, lexicon=lexicon)
        content.update(_content_grams(text, terms))
        return terms

    def flush():
        if run:
            # a bounded cost: words past MAX_WORDS are not looked for
            text = " ".join(run)
            units, groups = _word_units(text, lexicon, MAX_WORDS - len(should))
            should.extend(units)
            content.update(_content_grams(text, [t for g in groups for t in g]))
            nearby.extend(_adjacent(groups))
            run.clear()

    def units_of(item: _Item) -> list[Unit]:
        """The units an item stands for (one per word, or one phrase)."""
        if item.kind == "words":
            units, groups = _word_units(item.text, lexicon, MAX_WORDS)
            content.update(_content_grams(item.text, [t for g in groups for t in g]))
            return units
        if item.kind == "phrase":
            terms = terms_of(item.text)
            return [_unit(terms, TEXT_FIELDS)] if terms else []
        if item.kind == "field":
            if item.fieldname == "date":
                return [Unit(_date_query(item.text))]
            terms = terms_of(item.text)
            return [_unit(terms, (item.fieldname,))] if terms else []
        # an OR group: any of its children
        alternatives = []
        for child in item.children:
            units = units_of(child)
            if units:
                alternatives.append(_all(units))
        if not alternatives:
            return []
        marks = [m for a in alternatives for m in a.marks]
        q = alternatives[0].query if len(alternatives) == 1 else wq.Or([a.query for a in alternatives])
        return [Unit(q, marks, [s for a in alternatives for s in a.scored])]

    wanted: list[str] = []  # text of the words looked for

    for item in items:
        if not item.negated and item.kind in ("words", "phrase", "or") or item.fieldname in ("title", "body"):
            wanted.append(_text_of(item))
        if item.kind == "words" and not item.negated:
            run.append(item.text)
            continue
        flush()
        units = units_of(item)
        if item.negated:
            must_not.extend(u.query for u in units)
        elif item.kind == "or":
            should.extend(units)
        elif item.kind == "field" and item.fieldname == "date":
            filters.extend(u.query for u in units)
        else:
            must.extend(units)
    flush()

    if len(must) + len(must_not) + len(filters) > MAX_WORDS:
        raise QueryError(f"too many phrases, fields and exclusions (at most {MAX_WORDS})")
    if not should and not must:
        if filters and not must_not:
            # date:2025 alone lists that year's documents
            return QueryPlan(_and(filters), None, [])
        if must_not or filters:
            raise QueryError("a query needs at least one word to look for, not only NOT or date:")
        return None

    required = [u.query for u in must] + filters
    if should:
        any_word = should[0].query if len(should) == 1 else wq.Or([u.query for u in should])
        match = _and(required + [any_word])
        # "all words first" is for keyword queries; a question's function
        # words (어떤, 했나요) would decide it, so it ranks by score alone
        all_words = (_and(required + [u.query for u in should])
                     if 1 < len(should) <= ALL_WORDS_MAX else None)
    else:
        match, all_words = _and(required), None
    if nearby:
        bonus = wq.Or(nearby) if len(nearby) > 1 else nearby[0]
        match = wq.AndMaybe(match, bonus)
        all_words = wq.AndMaybe(all_words, bonus) if all_words is not None else None
    if must_not:
        exclude = wq.Or(must_not) if len(must_not) > 1 else must_not[0]
        match = wq.AndNot(match, exclude)
        all_words = wq.AndNot(all_words, exclude) if all_words is not None else None
    marks = [m for u in must + should for m in u.marks]
    scored = [s for u in must + should for s in u.scored]
    scored += [(f"near: {' '.join(q.words)}", q.fieldname, q) for q in nearby]
    terms = list(dict.fromkeys(label for label, _, _ in scored if not label.startswith("near:")))
    return QueryPlan(match, all_words, marks, " ".join(wanted), scored, terms, frozenset(content))


def _text_of(item: _Item) -> str:
    return " ".join(_text_of(c) for c in item.children) if item.kind == "or" else item.text


def _adjacent(groups: list[list[Term]]) -> list[wq.Query]:
    """A bonus for each two consecutive query words written side by side."""
    out = []
    for left, right in zip(groups, groups[1:]):
        a = max((t for t in left if not t.compound), key=lambda t: t.position)
        b = min((t for t in right if not t.compound), key=lambda t: t.position)
        for f in TEXT_FIELDS:
            out.append(wq.Phrase(f, [a.text, b.text], boost=PROXIMITY_BOOST))
    return out


def _all(units: list[Unit]) -> Unit:
    if len(units) == 1:
        return units[0]
    return Unit(wq.And([u.query for u in units]), [m for u in units for m in u.marks],
                [s for u in units for s in u.scored])


def _and(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.And(queries)


# -- filters given apart from the query (API, CLI options, HTTP parameters) ----


def filters(since=None, until=None, source: str | None = None, lexicon: Lexicon | None = None) -> list[wq.Query]:
    """Queries that restrict the results: a date range (``since``/``until``
    as ``datetime.date`` or text like 2025, 2025-03, 2025-03-12; both ends
    included) and a source (its words, adjacent, analysed with ``lexicon``)."""
    out: list[wq.Query] = []
    if since is not None or until is not None:
        start = _date_bounds(_iso(since), "since")[0] if since is not None else None
        end = _date_bounds(_iso(until), "until")[1] if until is not None else None
        if start and end and start > end:
            raise QueryError("since is after until")
        out.append(wq.DateRange("date", start, end))
    if source:
        terms = analyze(source, lexicon=lexicon)
        if not terms:
            raise QueryError(f"source {source!r} has no words to look for")
        out.append(_field_query("source", terms))
    return out


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, _dt.date) else str(value).strip()


def restrict(plan: QueryPlan | None, extra: list[wq.Query]) -> QueryPlan | None:
    """``plan`` with ``extra`` filters required too; a plan listing the
    filtered documents when the query itself was empty."""
    if not extra:
        return plan
    if plan is None:
        return QueryPlan(_and(extra), None, [])
    return replace(
        plan,
        match=_and([plan.match] + extra),
        all_words=_and([plan.all_words] + extra) if plan.all_words is not None else None,
    )


# -- words a correction may rewrite (searchko.correction) ----------------------


def correctable_words(text: str) -> list[tuple[int, int]]:
    """Where in ``text`` the words are that a typo correction may replace:
    plain words and unquoted ``title:``/``body:`` values, as (start, end).

    Operators, excluded words (``-word``, ``NOT word``), quoted phrases,
    ``source:`` and ``date:`` are left as typed, so that rewriting these
    spans keeps the syntax intact.
    """
    spans = []
    pos = 0
    excluded = False  # the item after NOT
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:  # pragma: no cover - the pattern always advances
            break
        pos = m.end()
        after_not, excluded = excluded, False
        if m.group("field") is not None:
            value = m.group("fvalue")
            if (m.group("field").lower() in ("title", "body") and not m.group("neg") and not after_not
                    and value and not value.startswith('"')):
                spans.append(m.span("fvalue"))
        elif m.group("word") is not None:
            word = m.group("word")
            if word == "NOT":
                excluded = True
            elif word not in ("OR", "AND") and not word.startswith("-") and not after_not:
                spans.append(m.span("word"))
    return spans
