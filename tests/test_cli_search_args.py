"""`search` command lines parsed without typer: the same values as typer's,
or left to typer; and the command run so behaves as through typer."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from searchko.cli import search_app
from searchko.search_command import search_args

from .conftest import ROOT

PLAIN = [
    ["한미동맹"],
    ["한미동맹", "-i", "ix", "-n", "5"],
    ["--limit=3", "러북 군사협력", "--offset", "2", "--sort", "date", "--json"],
    ["북한", "--since", "2025", "--until=2025-03", "--source", "국방부", "--explain", "--exact"],
    ["q", "-n", "5", "--limit", "7"],  # the last one given counts
    ["한미 동맹", "--index=some/where", "--sort="],
    ["q", "--offset", "0", "-n", "1000"],
]

LEFT_TO_TYPER = [
    [], ["a", "b"], ["--help"], ["q", "-h"], ["q", "-n", "0"], ["q", "-n", "1001"], ["q", "-n", "x"],
    ["q", "--offset", "-1"], ["q", "-n5"], ["q", "--json=1"], ["q", "--bogus"], ["--", "-q"], ["-q"],
    ["q", "-i"], ["q", "--limit", " 5"], ["q", "-n", "٣"], ["q", "--index="],
]


def typer_params(args):
    command = typer.main.get_command(search_app)
    with command.make_context("search", list(args)) as ctx:
        return ctx.params


@pytest.mark.parametrize("args", PLAIN)
def test_plain_command_lines_parse_as_typer_parses_them(args, monkeypatch):
    monkeypatch.delenv("SEARCHKO_INDEX", raising=False)
    assert search_args(args) == typer_params(args)


def test_the_index_comes_from_the_environment_unless_given(monkeypatch):
    monkeypatch.setenv("SEARCHKO_INDEX", "/somewhere/index")
    for args in (["q"], ["q", "-i", "here"]):
        assert search_args(args) == typer_params(args)
    monkeypatch.setenv("SEARCHKO_INDEX", "")
    assert search_args(["q"]) == typer_params(["q"])


@pytest.mark.parametrize("args", LEFT_TO_TYPER)
def test_other_command_lines_are_left_to_typer(args):
    assert search_args(args) is None


def _run(*args):
    code = "import sys; from searchko.search_command import main; sys.argv[0] = 'search'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT)


def test_the_search_script_answers_as_through_typer(data_index):
    args = ["한미동맹", "-i", str(data_index), "--json", "-n", "3"]
    through_typer = CliRunner().invoke(search_app, args)
    fast = _run(*args)
    assert fast.returncode == through_typer.exit_code == 0
    assert [json.loads(x) for x in fast.stdout.splitlines()] == \
        [json.loads(x) for x in through_typer.stdout.splitlines()]
    shown = CliRunner().invoke(search_app, args[:-3]), _run(*args[:-3])  # as text
    assert shown[1].returncode == 0
    assert shown[1].stdout == shown[0].stdout and "동맹" in shown[1].stdout
    assert shown[1].stderr == shown[0].stderr and "matching documents" in shown[1].stderr


@pytest.mark.parametrize("query, shown", [("한미동맹", ["--json"]), ("한미동맹", []), ('"한미 동맹" 북한', [])])
def test_the_search_script_answers_without_importing_typer_or_rich(data_index, query, shown):
    # (nor numpy.ma, which np.unique and np.isin import on their first call)
    heavy = "'typer', 'click', 'pydantic', 'rich', 'numpy.ma'"
    code = ("import sys\nfrom searchko.search_command import search_fast\n"
            "try:\n    search_fast(sys.argv[1:])\nexcept SystemExit as e:\n"
            f"    print(e.code, sorted(m for m in ({heavy}) if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, query, "-i", str(data_index), *shown],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.splitlines()[-1] == "0 []"


def test_the_search_script_styles_hits_on_a_terminal_only(data_index, monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    args = ["동맹", "-i", str(data_index), "-n", "3"]
    plain = _run(*args)  # (a pipe: no terminal)
    assert "\x1b[" not in plain.stdout + plain.stderr
    monkeypatch.setenv("FORCE_COLOR", "1")
    styled = _run(*args)
    assert "\x1b[1;30;43m" in styled.stdout  # highlights: bold black on yellow
    assert "\x1b[36m" in styled.stdout and "\x1b[2m" in styled.stderr  # dates cyan, the count dim
    # the same text once the styles are taken out
    assert re.sub("\x1b\\[[0-9;]*m", "", styled.stdout) == plain.stdout
    monkeypatch.setenv("NO_COLOR", "1")  # colours dropped, bold and dim kept
    uncoloured = _run(*args).stdout
    assert "\x1b[1m" in uncoloured and not re.search("\x1b\\[[0-9;]*(3|4)[0-9]m", uncoloured)
    monkeypatch.setenv("TERM", "dumb")
    assert "\x1b[" not in _run(*args).stdout


def test_the_search_script_reports_errors_as_through_typer(tmp_path):
    missing = _run("북한", "-i", str(tmp_path / "none"))
    assert missing.returncode == 2 and missing.stderr.startswith("error: no index at")
    assert missing.stdout == ""
    bad = _run("북한", "-n", "0")  # left to typer
    assert bad.returncode == 2 and "--limit" in bad.stderr


def test_searchko_search_runs_the_same_way(tmp_path):
    def searchko(*args):
        code = "import sys; sys.argv[0] = 'searchko'; from searchko.cli import app; app()"
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)

    missing = searchko("search", "북한", "-i", str(tmp_path / "none"))
    assert missing.returncode == 2 and missing.stderr.startswith("error: no index at")
    version = searchko("--version")
    assert version.returncode == 0 and version.stdout.startswith("searchko ")
