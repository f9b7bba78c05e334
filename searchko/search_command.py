"""The `search` command without typer: its common command lines parsed
here, its hits printed, its errors reported. A cold `search` imports this
module and the library; typer only for what is left to it (see
``search_args``), and not rich: its lines are styled here (``Styled``).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import List, Optional

from .errors import SearchkoError
from .index import open_index

#: SGR codes of the words of the styles the command prints with.
_ATTRIBUTES = {"bold": 1, "dim": 2}
_COLOURS = {"black": 0, "red": 1, "yellow": 3, "magenta": 5, "cyan": 6}


def _sgr(style: str, colour: bool) -> str:
    """The SGR parameters of a style such as "bold black on yellow"."""
    codes, background = [], False
    for word in style.split():
        if word == "on":
            background = True
        elif word in _ATTRIBUTES:
            codes.append(_ATTRIBUTES[word])
        elif colour:
            codes.append((40 if background else 30) + _COLOURS[word])
    return ";".join(map(str, codes))


class Styled:
    """Lines of text in parts, each with a style ("bold yellow", "bold
    black on yellow"), written to standard output (or, ``stderr``, error)
    as it is when writing. Styles become ANSI codes where rich would use
    them: on a terminal (or with FORCE_COLOR), not with TERM=dumb or
    unknown, colours dropped with NO_COLOR; on Windows only with
    FORCE_COLOR. (rich itself costs a cold search 35-70 ms to import.)"""

    def __init__(self, stderr: bool = False):
        self._stderr = stderr

    @property
    def file(self):
        return sys.stderr if self._stderr else sys.stdout

    def print(self, *parts: tuple[str, str]) -> None:
        """One line of (text, style) parts; with none, an empty line."""
        env = os.environ
        styled = env.get("TERM", "") not in ("dumb", "unknown") and (
            bool(env.get("FORCE_COLOR")) or (os.name != "nt" and self.file.isatty()))
        colour = not env.get("NO_COLOR")
        line = []
        for text, style in parts:
            sgr = _sgr(style, colour) if styled and style and text else ""
            line.append(f"\x1b[{sgr}m{text}\x1b[0m" if sgr else text)
        self.file.write("".join(line) + "\n")


out = Styled()
err = Styled(stderr=True)

# Document text must never act on the terminal: control characters (escape
# sequences included) become U+FFFD, one for one, so highlight offsets hold.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def print_error(error: SearchkoError) -> None:
    """An error as the CLI reports it: one line, and a hint when there is one."""
    err.print((f"error: {error}", "bold red"))
    if error.hint:
        err.print((f"hint: {error.hint}", "dim"))


def _highlighted(text: str, spans, style: str, base: str = "") -> list[tuple[str, str]]:
    """``text`` made safe, in parts: those at ``spans`` (ascending, apart)
    in ``style``, the rest in ``base``."""
    text, parts, at = safe(text), [], 0
    for s, e in spans:
        s = max(s, at)
        if s < e:
            parts += [(text[at:s], base), (text[s:e], style)]
            at = e
    return parts + [(text[at:], base)]


def _print_hit(rank: int, hit) -> None:
    title = _highlighted(hit.title or hit.id, hit.title_highlights if hit.title else (), "bold yellow", "bold")
    meta = " · ".join(x for x in (hit.date.isoformat() if hit.date else "", safe(hit.source)) if x)
    out.print((f"{rank:>2}. ", "bold"), *title, (f"  {meta}" if meta else "", "cyan"), (f"  {hit.score:.2f}", "dim"))
    out.print((f"    {safe(hit.id)}", "dim"))
    for snippet in hit.snippets:
        out.print(("    ", ""), *_highlighted(snippet.text, snippet.highlights, "bold black on yellow"))
    if hit.explanation:
        _print_explanation(hit.explanation)
    out.print()


def _print_explanation(e) -> None:
    tier = f"{e.tier}; " if e.tier else ""
    out.print((f"    explain: {tier}query {' '.join(e.terms)}; morphemes {e.morpheme_score:.2f} "
               f"(scaled {e.scaled[0]:.2f}) + bigrams {e.bigram_score:.2f} (scaled {e.scaled[1]:.2f})", "magenta"))
    for part in e.parts:
        matched = ", ".join(part.matched)
        out.print((f"      {part.share:>4.0%}  {part.score:6.2f}  {part.field:<5} {safe(part.term)}"
                   + (f"  ← {safe(matched)}" if matched else ""), "magenta"))


_CORRECTION_KINDS = {"keyboard": "keyboard in English mode", "initials": "initial consonants",
                     "spelling": "spelling"}


def _print_correction(results, as_json: bool) -> None:
    """What was searched instead of the query typed, on stderr: a line, or
    with --json one JSON object."""
    if as_json:
        record = {"query": results.query, "corrected": results.corrected,
                  "corrections": [c.to_dict() for c in results.corrections]}
        err.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    changes = ", ".join(f"{c.typed} → {c.corrected}" for c in results.corrections)
    kinds = ", ".join(dict.fromkeys(_CORRECTION_KINDS[c.kind] for c in results.corrections))
    err.print((f"corrected: {safe(changes)} ({kinds}; use --exact to search as typed)", "yellow"))


def run_search(query: str, index: Path, limit: int, offset: int, sort: str, as_json: bool,
            since: str | None, until: str | None, source: str | None, explain: bool,
            exact: bool = False) -> int:
    """Search and print the hits; the exit code (0 hits, 1 none, 2 error)."""
    try:
        with open_index(index) as ix:
            results = ix.search(query, limit=limit, offset=offset, sort=sort,
                                since=since, until=until, source=source, explain=explain, exact=exact)
    except SearchkoError as e:
        print_error(e)
        return 2
    if results.corrected is not None:
        _print_correction(results, as_json)
    if results.hint:
        err.print((f"no hits: {results.hint}", "yellow"))
    if as_json:
        for hit in results:
            sys.stdout.write(json.dumps(hit.to_dict(), ensure_ascii=False) + "\n")
    else:
        for rank, hit in enumerate(results, offset + 1):
            _print_hit(rank, hit)
        if results.total:
            shown = f"{offset + 1}-{offset + len(results)}" if len(results) else "none"
            err.print((f"{shown} of {results.total} matching documents", "dim"))
        elif not results.hint:
            err.print(("no matching documents", "dim"))
    return 0 if len(results) else 1


def main() -> None:
    """The `search` console script: ``search "한미동맹"`` is ``searchko search
    "한미동맹"``; typer (and the rest of the CLI) is imported only for the
    command lines ``search_args`` leaves to it."""
    search_fast(sys.argv[1:])
    from .cli import search_app

    search_app()


# typer (0.29) imports pydantic and builds a validator for each option of a
# command it parses: 0.1-0.17 s of a cold search. The common command lines
# of `search` are parsed here instead, to the same values; anything else
# (help, errors, rarer spellings) is left to typer.
_SEARCH_OPTIONS = {"--index": "index", "-i": "index", "--limit": "limit", "-n": "limit",
                   "--offset": "offset", "--sort": "sort", "--since": "since", "--until": "until",
                   "--source": "source"}
_SEARCH_FLAGS = {"--json": "as_json", "--explain": "explain", "--exact": "exact"}
_INT_RANGES = {"limit": (1, 1000), "offset": (0, None)}  # as search_command's options


def search_args(args: List[str]) -> Optional[dict]:
    """The arguments of ``run_search`` for the ``search`` command line ``args``
    (after the command), as typer would parse them; None unless the line
    is one query and options of ``search_command`` with valid values, each
    written ``--name value``, ``--name=value`` or ``-x value``."""
    if os.name == "nt" or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return None  # typer expands wildcards on Windows, and answers shell completion
    given: dict = {}
    query = None
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("-"):
            if query is not None:
                return None
            query = arg
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _SEARCH_FLAGS and not eq:
            given[_SEARCH_FLAGS[name]] = True
            continue
        key = _SEARCH_OPTIONS.get(name)
        if key is None:
            return None
        if not eq:
            if i == len(args) or args[i].startswith("-"):
                return None
            value = args[i]
            i += 1
        given[key] = value
    if query is None:
        return None
    for key, (low, high) in _INT_RANGES.items():
        if key in given:
            text = given[key]
            if not (text.isascii() and text.isdigit()):
                return None
            given[key] = number = int(text)
            if number < low or (high is not None and number > high):
                return None
    index = given.get("index", os.environ.get("SEARCHKO_INDEX") or "index")
    if not index:
        return None
    return {"query": query, "index": Path(index), "limit": given.get("limit", 10),
            "offset": given.get("offset", 0), "sort": given.get("sort", "relevance"),
            "as_json": given.get("as_json", False), "since": given.get("since"),
            "until": given.get("until"), "source": given.get("source"),
            "explain": given.get("explain", False), "exact": given.get("exact", False)}


def search_fast(args: List[str]) -> None:
    """Run ``search`` and exit, as typer would, when ``search_args`` parses
    ``args``; return otherwise."""
    parsed = search_args(args)
    if parsed is None:
        return
    try:
        code = run_search(**parsed)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # `search … | head`: quietly, as click does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    sys.exit(code)
