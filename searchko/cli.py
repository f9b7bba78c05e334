"""The command line: a thin typer layer over the library.

Exit codes like grep: 0 found, 1 nothing found, 2 error.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.text import Text

from . import __version__
from .errors import SearchkoError
from .index import open_index
from .lexicon import combined, read_lexicons
from .search_command import print_error, run_search, safe, search_fast

# markup off: text from documents and file names ("[bold]…") is never read
# as rich markup; styles are given as Text styles
out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)

# What only some commands need (progress bars, tables, file extraction,
# index upkeep) is imported inside them: `search` starts faster without it.

class _App(typer.Typer):
    """The ``searchko`` command; ``searchko search …`` with plain arguments
    runs without typer's parsing (see ``search_args``)."""

    def __call__(self, *args, **kwargs):
        if not args and "args" not in kwargs and sys.argv[1:2] == ["search"]:
            search_fast(sys.argv[2:])
        return super().__call__(*args, **kwargs)


app = _App(
    help="searchko: Korean full-text search on your own machine.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

INDEX_OPTION = typer.Option(
    "index", "--index", "-i", envvar="SEARCHKO_INDEX", show_envvar=True,
    help="Index folder.",
)

def _fail(error: SearchkoError) -> typer.Exit:
    print_error(error)
    return typer.Exit(2)


def _version_callback(value: bool):
    if value:
        out.print(f"searchko {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="Show the version and exit."),
):
    """searchko: Korean full-text search on your own machine."""


# -- search --------------------------------------------------------------------


def search_command(
    query: str = typer.Argument(..., help='The query: words, "a phrase", OR, NOT, -word, title:, source:, date:2025.'),
    index: Path = INDEX_OPTION,
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=1000, help="Number of hits."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many hits (paging)."),
    sort: str = typer.Option("relevance", "--sort", help="relevance, or date (newest first)."),
    since: str = typer.Option(None, "--since", help="Only documents dated on or after (2025, 2025-03, 2025-03-12)."),
    until: str = typer.Option(None, "--until", help="Only documents dated on or before."),
    source: str = typer.Option(None, "--source", help="Only documents whose source has these words."),
    as_json: bool = typer.Option(False, "--json", help="JSON Lines: one hit a line."),
    explain: bool = typer.Option(False, "--explain", help="Show why each hit ranks where it does."),
    exact: bool = typer.Option(False, "--exact", help="Search as typed: no typo or keyboard-mode correction."),
):
    """Search the index; print ranked hits with highlighted passages."""
    raise typer.Exit(run_search(query, index, limit, offset, sort, as_json, since, until, source, explain, exact))


app.command("search")(search_command)

#: The `search` console script: `search "한미동맹"` is `searchko search "한미동맹"`.
search_app = typer.Typer(add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})
search_app.command()(search_command)


# -- the lexicon and the config file ------------------------------------------------

LEXICON_OPTION = typer.Option(
    None, "--lexicon", "-L",
    help="A lexicon file merged over the shipped one (repeatable). The index keeps a copy; "
         "a different one needs `searchko rebuild --lexicon`.",
)
CONFIG_OPTION = typer.Option(
    None, "--config", envvar="SEARCHKO_CONFIG", show_envvar=True,
    help="Config file (default: config.toml in the user's searchko config folder, if there).",
)
CONFIG_KEYS = ("lexicon",)


def default_config_path() -> Path:
    """``searchko/config.toml`` in the user's config folder (platformdirs'
    when installed, else $XDG_CONFIG_HOME or ~/.config)."""
    try:
        from platformdirs import user_config_dir

        return Path(user_config_dir("searchko")) / "config.toml"
    except ImportError:
        base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
        return Path(base) / "searchko" / "config.toml"


def read_config(path: Path | None) -> dict:
    """The settings of the config file (``path``, else the default one if it
    exists): ``lexicon``, a list of lexicon files, relative to the file."""
    if path is None:
        path = default_config_path()
        if not path.is_file():
            return {}
    path = path.expanduser()
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise SearchkoError(f"reading {path} needs Python 3.11 or the tomli package") from None
    try:
        config = tomllib.loads(path.read_text("utf-8"))
    except OSError as e:
        raise SearchkoError(f"config file {path} cannot be read ({e.strerror or e})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SearchkoError(f"config file {path} is not valid TOML ({e})") from None
    unknown = sorted(set(config) - set(CONFIG_KEYS))
    if unknown:
        raise SearchkoError(f"config file {path}: unknown setting {unknown[0]!r}",
                            hint=f"the settings are: {', '.join(CONFIG_KEYS)}")
    files = config.get("lexicon", [])
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise SearchkoError(f"config file {path}: lexicon must be a file name or a list of them")
    base = path.resolve().parent
    return {"lexicon": [base / Path(f).expanduser() for f in files]}


def _lexicon_files(lexicon: Optional[List[Path]], config: Optional[Path]) -> Optional[List[Path]]:
    """The lexicon files given (--lexicon, else the config file's), or None
    when neither names any: an existing index keeps its own."""
    if lexicon:
        return lexicon
    return read_config(config).get("lexicon") or None


# -- index upkeep -------------------------------------------------------------------

WAIT_OPTION = typer.Option(0.0, "--wait", min=0, help="Seconds to wait for another writer.")


def _progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )


def _advance(bar, task):
    """The progress callback that moves ``bar``'s ``task``: at most 20 times
    a second, as a redraw costs more than looking at an unchanged file."""
    shown = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - shown[0] >= 0.05:
            shown[0] = now
            bar.update(task, completed=done, total=total)

    return progress


def _report(report, verb: str, started: float, index: Path, total: int) -> None:
    for warning in report.warnings:
        err.print(Text(f"warning: {safe(str(warning))}", style="yellow"))
    for failure in report.failed:
        err.print(Text(f"failed: {safe(str(failure))}", style="red"))
    err.print(
        f"{verb} {report.files} files in {time.perf_counter() - started:.1f} s: "
        f"{report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged, {report.duplicates} duplicates, {len(report.failed)} failed; "
        f"the index at {index} holds {total} documents"
    )


@app.command("index")
def index_command(
    paths: List[Path] = typer.Argument(..., help="Files and folders to index."),
    index: Path = INDEX_OPTION,
    delete: bool = typer.Option(True, "--delete/--no-delete",
                                help="Remove documents whose files are gone from an indexed folder."),
    strict: bool = typer.Option(False, "--strict", help="Exit with 2 when any file failed."),
    wait: float = WAIT_OPTION,
    id_field: str = typer.Option("id", help="Record field holding the id (.jsonl, .json, .csv)."),
    text_field: str = typer.Option("body", help="Record field holding the text (also text, content)."),
    title_field: str = typer.Option("title", help="Record field holding the title."),
    date_field: str = typer.Option("date", help="Record field holding the date."),
    source_field: str = typer.Option("source", help="Record field holding the source."),
    url_field: str = typer.Option("url", help="Record field holding the URL."),
    lexicon: Optional[List[Path]] = LEXICON_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
):
    """Index files and folders; run again to pick up new, changed and removed files."""
    from .documents import ExtractOptions

    options = ExtractOptions(id_field=id_field, text_field=text_field, title_field=title_field,
                             date_field=date_field, source_field=source_field, url_field=url_field)
    started = time.perf_counter()
    try:
        files = _lexicon_files(lexicon, config)
        with open_index(index, create=True, lexicon=files) as ix, _progress() as bar:
            task = bar.add_task("indexing", total=None)
            report = ix.sync(paths, delete=delete, options=options, wait=wait,
                             progress=_advance(bar, task))
            total = len(ix)
    except SearchkoError as e:
        raise _fail(e)
    _report(report, "indexed", started, index, total)
    nothing = report.failed and not (report.indexed or report.unchanged or report.duplicates)
    raise typer.Exit(2 if nothing or (strict and report.failed) else 0)


@app.command("rebuild")
def rebuild_command(
    index: Path = INDEX_OPTION,
    wait: float = WAIT_OPTION,
    lexicon: Optional[List[Path]] = typer.Option(
        None, "--lexicon", "-L",
        help="Rebuild with this lexicon file merged over the shipped one (repeatable; "
             "default: the index's own, or the config file's)."),
    no_user_lexicon: bool = typer.Option(False, "--no-user-lexicon",
                                         help="Rebuild with the shipped lexicon alone."),
    config: Optional[Path] = CONFIG_OPTION,
):
    """Read every indexed source again into a new index and swap it in."""
    from .sync import rebuild as rebuild_index

    started = time.perf_counter()
    try:
        files = [] if no_user_lexicon else _lexicon_files(lexicon, config)
        with _progress() as bar:
            task = bar.add_task("rebuilding", total=None)
            report = rebuild_index(index, wait=wait, lexicon=files,
                                   progress=_advance(bar, task))
        with open_index(index) as ix:
            total = len(ix)
    except SearchkoError as e:
        raise _fail(e)
    _report(report, "rebuilt from", started, index, total)


@app.command("watch")
def watch_command(
    paths: List[Path] = typer.Argument(..., help="Folders to keep indexed."),
    index: Path = INDEX_OPTION,
    delete: bool = typer.Option(True, "--delete/--no-delete",
                                help="Remove documents whose files are deleted."),
    lexicon: Optional[List[Path]] = LEXICON_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
):
    """Index folders, then keep the index current as files appear, change or go."""
    from .sync import watch

    try:
        with open_index(index, create=True, lexicon=_lexicon_files(lexicon, config)) as ix:
            err.print(f"watching {', '.join(map(str, paths))} (Ctrl-C to stop)")
            for report in watch(ix, paths, delete=delete):
                _report(report, time.strftime("%H:%M:%S") + " indexed", time.perf_counter(), index, len(ix))
    except SearchkoError as e:
        raise _fail(e)
    except KeyboardInterrupt:
        pass


# -- reading documents back -------------------------------------------------------


@app.command("show")
def show_command(
    target: str = typer.Argument(..., help="A document id, or the path of an indexed file."),
    index: Path = INDEX_OPTION,
    as_json: bool = typer.Option(False, "--json", help="One JSON object."),
):
    """Print a stored document: its metadata and the text that was indexed."""
    try:
        with open_index(index) as ix:
            docs = ix.find(target)
            shown = [(doc, ix.paths(doc.id)) for doc in docs]
    except SearchkoError as e:
        raise _fail(e)
    if not shown:
        err.print(Text(f"no document {safe(target)}", style="yellow"))
        raise typer.Exit(1)
    for doc, paths in shown:
        record = doc.to_dict()
        record["paths"] = paths or ([doc.path] if doc.path else [])
        if as_json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            continue
        out.print(Text(safe(doc.title or doc.id), style="bold"))
        for key in ("id", "date", "source", "url", "categories", "paths"):
            value = record[key]
            if value:
                value = ", ".join(value) if isinstance(value, list) else value
                out.print(Text(f"{key}: {safe(str(value))}", style="cyan"))
        out.print()
        out.print(Text(safe(doc.body)))
        out.print()


@app.command("stats")
def stats_command(index: Path = INDEX_OPTION, as_json: bool = typer.Option(False, "--json", help="One JSON object.")):
    """Documents, terms, size, sources, dates, formats and the analysis of the index."""
    try:
        with open_index(index) as ix:
            stats = ix.stats()
    except SearchkoError as e:
        raise _fail(e)
    record = stats.to_dict()
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    table = Table(box=None, show_header=False)
    table.add_column(style="cyan")
    table.add_column()
    for key, value in record.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = ", ".join(map(str, value)) or "-"
        table.add_row(key, safe(str(value if value is not None else "-")))
    out.print(table)


@app.command("delete")
def delete_command(
    ids: List[str] = typer.Argument(..., help="Ids of the documents to delete."),
    index: Path = INDEX_OPTION,
):
    """Delete documents by id."""
    missing = 0
    try:
        with open_index(index) as ix:
            for doc_id in ids:
                if ix.delete(doc_id):
                    err.print(f"deleted {safe(doc_id)}")
                else:
                    missing += 1
                    err.print(Text(f"no document {safe(doc_id)}", style="yellow"))
    except SearchkoError as e:
        raise _fail(e)
    raise typer.Exit(1 if missing == len(ids) else 0)


@app.command("analyze")
def analyze_command(
    text: str = typer.Argument(..., help="Korean text."),
    as_json: bool = typer.Option(False, "--json", help="JSON Lines: one term a line."),
    lexicon: Optional[List[Path]] = typer.Option(
        None, "--lexicon", "-L", help="Analyse with this lexicon file merged over the shipped one (repeatable)."),
    config: Optional[Path] = CONFIG_OPTION,
):
    """Show the terms a text is indexed and searched as."""
    from rich.table import Table

    from .analysis import analyze as analyze_text

    try:
        files = _lexicon_files(lexicon, config)
        terms = analyze_text(text, lexicon=combined(read_lexicons(files)) if files else None)
    except SearchkoError as e:
        raise _fail(e)
    if as_json:
        for t in terms:
            sys.stdout.write(json.dumps({**t.to_dict(), "surface": text[t.start:t.end]},
                                        ensure_ascii=False) + "\n")
    else:
        table = Table("term", "tag", "position", "start", "end", "surface", box=None)
        for t in terms:
            table.add_row(safe(t.text), t.tag, str(t.position), str(t.start), str(t.end),
                          safe(text[t.start:t.end]))
        out.print(table)
    raise typer.Exit(0 if terms else 1)


@app.command("lexicon")
def lexicon_command(index: Path = INDEX_OPTION):
    """Print the lexicon the index analyses with (the shipped one and the
    user's entries merged), in the lexicon file format."""
    try:
        with open_index(index) as ix:
            text = ix.lexicon.dump()
    except SearchkoError as e:
        raise _fail(e)
    sys.stdout.write(text)


# -- serving ----------------------------------------------------------------------


@app.command("serve")
def serve_command(
    index: Path = INDEX_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="Port to listen on."),
):
    """Serve the search page and a read-only JSON API (needs the server extra)."""
    try:
        from .server import is_loopback, serve

        with open_index(index):  # a missing index is reported here, not as 503s
            pass
        if not is_loopback(host):
            err.print(Text(f"warning: listening on {host}: whoever can reach it can read the index", style="yellow"))
        shown = f"[{host}]" if ":" in host else host
        err.print(f"serving {index} at http://{shown}:{port}/ (Ctrl-C to stop)")
        serve(index, host=host, port=port)
    except SearchkoError as e:
        raise _fail(e)
    except KeyboardInterrupt:
        pass
