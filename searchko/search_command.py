"""The `search` command without typer: its common command lines parsed
here, its hits printed, its errors reported. A cold `search` imports this
module, the library and rich; typer only for what is left to it (see
``search_args``).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import List, Optional

from rich.console import Console
from rich.text import Text

from .errors import SearchkoError
from .index import open_index

# markup off: text from documents and file names ("[bold]…") is never read
# as rich markup; styles are given as Text styles
out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)

# Document text must never act on the terminal: control characters (escape
# sequences included) become U+FFFD, one for one, so highlight offsets hold.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def print_error(error: SearchkoError) -> None:
    """An error as the CLI reports it: one line, and a hint when there is one."""
    err.print(Text(f"error: {error}", style="bold red"))
    if error.hint:
        err.print(Text(f"hint: {error.hint}", style="dim"))


def _highlighted(text: str, spans, style: str) -> Text:
    t = Text(safe(text))
    for s, e in spans:
        t.stylize(style, s, e)
    return t


def _print_hit(rank: int, hit) -> None:
    head = Text(f"{rank:>2}. ", style="bold")
    head.append_text(_highlighted(hit.title or hit.id, hit.title_highlights if hit.title else (), "bold yellow"))
    head.stylize("bold", 4)
    meta = " · ".join(x for x in (hit.date.isoformat() if hit.date else "", safe(hit.source)) if x)
    if meta:
        head.append(f"  {meta}", style="cyan")
    head.append(f"  {hit.score:.2f}", style="dim")
    out.print(head)
    out.print(Text(f"    {safe(hit.id)}", style="dim"))
    for snippet in hit.snippets:
        line = Text("    ")
        line.append_text(_highlighted(snippet.text, snippet.highlights, "bold black on yellow"))
        out.print(line)
    if hit.explanation:
        _print_explanation(hit.explanation)
    out.print()


def _print_explanation(e) -> None:
    tier = f"{e.tier}; " if e.tier else ""
    out.print(Text(
        f"    explain: {tier}query {' '.join(e.terms)}; morphemes {e.morpheme_score:.2f} "
        f"(scaled {e.scaled[0]:.2f}) + bigrams {e.bigram_score:.2f} (scaled {e.scaled[1]:.2f})",
        style="magenta"))
    for part in e.parts:
        matched = ", ".join(part.matched)
        out.print(Text(f"      {part.share:>4.0%}  {part.score:6.2f}  {part.field:<5} {safe(part.term)}"
                       + (f"  ← {safe(matched)}" if matched else ""), style="magenta"))


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
    err.print(Text(f"corrected: {safe(changes)} ({kinds}; use --exact to search as typed)", style="yellow"))


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
        err.print(Text(f"no hits: {results.hint}", style="yellow"))
    if as_json:
        for hit in results:
            sys.stdout.write(json.dumps(hit.to_dict(), ensure_ascii=False) + "\n")
    else:
        for rank, hit in enumerate(results, offset + 1):
            _print_hit(rank, hit)
        if results.total:
            shown = f"{offset + 1}-{offset + len(results)}" if len(results) else "none"
            err.print(Text(f"{shown} of {results.total} matching documents", style="dim"))
        elif not results.hint:
            err.print(Text("no matching documents", style="dim"))
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
