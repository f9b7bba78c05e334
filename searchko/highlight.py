"""Snippets: the best passages of a text, with the matched words as spans.

Spans come from the character offsets stored in the index, so they land on the
words as written. A snippet is plain text plus ``[start, end)`` spans into it;
rendering (colour, <mark>) is the caller's business.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = ["Snippet", "make_snippets", "merge_spans"]

Span = tuple[int, int]

#: Target length of a snippet, in characters.
SNIPPET_CHARS = 180
#: Snippets per hit.
MAX_SNIPPETS = 2

_SENTENCE_END = re.compile(r"[.!?。]+[\"'”’)\]]*(?=\s)|\n+|(?<=다\.)")
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    """A passage of a document; ``highlights`` index into ``text``."""

    text: str
    highlights: tuple[Span, ...] = ()

    def to_dict(self) -> dict:
        return {"text": self.text, "highlights": [list(s) for s in self.highlights]}

    def to_html(self, tag: str = "mark") -> str:
        """The snippet as HTML: its text escaped, the highlights in ``<mark>``."""
        out, last = [], 0
        for start, end in self.highlights:
            out.append(html.escape(self.text[last:start]))
            out.append(f"<{tag}>{html.escape(self.text[start:end])}</{tag}>")
            last = end
        out.append(html.escape(self.text[last:]))
        return "".join(out)


def merge_spans(spans) -> list[Span]:
    """Sorted spans with overlapping ones merged."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _sentences(text: str) -> list[Span]:
    """Sentence spans, stripped of surrounding whitespace."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if end > start:
            out.append((start, end))
        start = end
    if start < len(text):
        out.append((start, len(text)))
    stripped = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            stripped.append((s, e))
    return stripped


def _cut(text: str, start: int, end: int, spans: list[Span], width: int) -> tuple[int, int]:
    """A window of about ``width`` characters inside [start, end) that holds
    the first spans, cut at spaces."""
    if end - start <= width:
        return start, end
    first = spans[0][0] if spans else start
    s = max(start, first - width // 4)
    if s > start:
        space = text.rfind(" ", start, s)
        s = space + 1 if space >= start and s - space < 20 else s
    e = min(end, s + width)
    if e < end:
        space = text.rfind(" ", s, e)
        e = space if space > s + width // 2 else e
    # never cut a highlighted word in two
    for hs, he in spans:
        if hs < s < he:
            s = hs
        if hs < e < he:
            e = he
    return s, e


def _snippet(text: str, s: int, e: int, spans: list[Span], lo: int, hi: int) -> Snippet:
    prefix = _ELLIPSIS if s > lo else ""
    suffix = _ELLIPSIS if e < hi else ""
    body = text[s:e].replace("\n", " ")
    shift = len(prefix) - s
    inside = tuple((max(hs, s) + shift, min(he, e) + shift) for hs, he in spans if hs < e and he > s)
    return Snippet(prefix + body + suffix, inside)


def make_snippets(
    text: str,
    spans,
    *,
    max_snippets: int = MAX_SNIPPETS,
    width: int = SNIPPET_CHARS,
) -> tuple[Snippet, ...]:
    """The passages of ``text`` holding the most matches, best first.

    With no spans, the opening of the text (a document matched by its title).
    """
    sentences = _sentences(text)
    if not sentences:
        return ()
    spans = merge_spans(spans)
    if not spans:
        s, e = sentences[0]
        s, e = _cut(text, s, e, [], width)
        return (_snippet(text, s, e, [], 0, len(text)),)

    def in_sentence(sent: Span) -> list[Span]:
        return [sp for sp in spans if sp[0] < sent[1] and sp[1] > sent[0]]

    scored = []
    for i, sent in enumerate(sentences):
        inside = in_sentence(sent)
        if inside:
            distinct = len({text[a:b] for a, b in inside})
            scored.append((-(distinct * 2 + len(inside)), i))
    scored.sort()
    out = []
    taken: list[Span] = []
    for _, i in scored:
        if len(out) == max_snippets:
            break
        s, e = sentences[i]
        if any(ts < e and te > s for ts, te in taken):
            continue
        # a short sentence takes its neighbours while they fit
        j = i
        while e - s < width // 2 and j + 1 < len(sentences) and sentences[j + 1][1] - s <= width:
            j += 1
            e = sentences[j][1]
        inside = in_sentence((s, e))
        cs, ce = _cut(text, s, e, inside, width)
        taken.append((s, e))
        out.append(_snippet(text, cs, ce, inside, sentences[0][0], sentences[-1][1]))
    return tuple(out)
