"""The command line end to end, as a user runs it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from searchko.cli import app, search_app

from .conftest import DATA

runner = CliRunner()

ALLIANCE_SPELLINGS = {"한미동맹", "한미 동맹", "한·미 동맹", "한ㆍ미 동맹", "한미", "동맹"}


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "index"
    result = runner.invoke(app, ["index", str(DATA), "--index", str(path)])
    assert result.exit_code == 0, result.output
    return path


def search(*args):
    return runner.invoke(app, ["search", *args])


def test_index_reports_a_summary(cli_index):
    result = runner.invoke(app, ["index", str(DATA / "press"), "--index", str(cli_index)])
    assert result.exit_code == 0
    assert "indexed" in result.stderr and "documents" in result.stderr


def test_search_prints_alliance_documents_first_with_highlights(cli_index):
    result = search("한미동맹", "--index", str(cli_index), "--json")
    assert result.exit_code == 0
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert hits, "no hits"
    first = hits[0]
    assert "동맹" in first["title"] or "동맹" in first["snippets"][0]["text"]
    marked = {s["text"][a:b] for s in first["snippets"] for a, b in s["highlights"]}
    assert marked and marked <= ALLIANCE_SPELLINGS
    assert "한미동맹" in marked


def test_search_json_lines_have_the_documented_keys(cli_index):
    result = search("러북 군사협력", "--index", str(cli_index), "--json", "-n", "3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert 1 <= len(lines) <= 3
    for line in lines:
        hit = json.loads(line)
        assert {"id", "path", "title", "date", "source", "score", "snippets"} <= hit.keys()
        for snippet in hit["snippets"]:
            for start, end in snippet["highlights"]:
                assert 0 <= start < end <= len(snippet["text"])
    assert "\\u" not in result.stdout  # Korean stays readable


def test_search_terminal_output_shows_title_and_id(cli_index):
    result = search("핵협의그룹", "--index", str(cli_index), "-n", "1")
    assert result.exit_code == 0
    assert "data/press/2025-03-12-mnd-ncg-4th-meeting.txt" in result.stdout
    assert "1 of" in result.stderr or "1-1 of" in result.stderr


def test_search_console_script_is_the_search_command(cli_index):
    result = runner.invoke(search_app, ["한미동맹", "--index", str(cli_index), "--json", "-n", "1"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"]


def test_exit_1_when_nothing_found(cli_index):
    result = search("해양플랑크톤채집", "--index", str(cli_index))
    assert result.exit_code == 1
    assert result.stdout == ""


def test_query_of_only_symbols_answers_no_hits_with_a_hint(cli_index):
    result = search("?!... ---", "--index", str(cli_index))
    assert result.exit_code == 1
    assert "no words" in result.stderr


@pytest.mark.parametrize("query", ['"한미 동맹', "title:", "date:2025-13-01", "NOT", "한미 OR"])
def test_malformed_query_is_one_error_line_and_exit_2(cli_index, query):
    result = search(query, "--index", str(cli_index))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output


def test_missing_index_is_an_error_with_a_hint(tmp_path):
    result = search("한미동맹", "--index", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "error: no index at" in result.stderr
    assert "searchko index" in result.stderr


def test_index_env_variable(cli_index):
    result = runner.invoke(app, ["search", "NCG", "-n", "1"], env={"SEARCHKO_INDEX": str(cli_index)})
    assert result.exit_code == 0


def test_sort_by_date_lists_newest_first(cli_index):
    result = search("북한", "--index", str(cli_index), "--json", "--sort", "date", "-n", "5")
    dates = [json.loads(line)["date"] for line in result.stdout.splitlines()]
    assert dates == sorted(dates, reverse=True)


def test_paging_with_offset(cli_index):
    first = search("동맹", "--index", str(cli_index), "--json", "-n", "4").stdout.splitlines()
    second = search("동맹", "--index", str(cli_index), "--json", "-n", "2", "--offset", "2").stdout.splitlines()
    assert [json.loads(x)["id"] for x in first[2:4]] == [json.loads(x)["id"] for x in second]


def test_analyze_prints_terms_with_offsets():
    result = runner.invoke(app, ["analyze", "한·미 동맹을 강화했다", "--json"])
    assert result.exit_code == 0
    terms = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(t["term"], t["tag"], t["position"], t["start"], t["end"]) for t in terms] == [
        ("한미", "NNP", 0, 0, 3),
        ("동맹", "NNG", 1, 4, 6),
        ("강화", "NNG", 2, 8, 10),
    ]
    assert terms[0]["surface"] == "한·미"
    table = runner.invoke(app, ["analyze", "한미동맹"])
    assert "한미동맹" in table.stdout and "NNP+NNG" in table.stdout


def test_index_reports_unreadable_files_and_indexes_the_rest(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("좋은 문서\n한미동맹 관련 문서입니다.", "utf-8")
    (docs / "bad.jsonl").write_text('{"id": "a", "body": "주한미군"}\nnot json\n', "utf-8")
    result = runner.invoke(app, ["index", str(docs), "missing-folder", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    assert "bad.jsonl:2" in result.stderr
    assert "missing-folder" in result.stderr
    assert "2 added" in result.stderr and "holds 2 documents" in result.stderr
    assert search("주한미군", "--index", str(tmp_path / "ix")).exit_code == 0


def test_delete_and_rebuild(tmp_path):
    path = str(tmp_path / "ix")
    assert runner.invoke(app, ["index", str(DATA / "briefs.jsonl"), "--index", path]).exit_code == 0
    ids = [json.loads(x)["id"] for x in search("북한", "--index", path, "--json").stdout.splitlines()]
    assert runner.invoke(app, ["delete", ids[0], "--index", path]).exit_code == 0
    assert runner.invoke(app, ["delete", "no-such-id", "--index", path]).exit_code == 1
    after = [json.loads(x)["id"] for x in search("북한", "--index", path, "--json").stdout.splitlines()]
    assert after == ids[1:]
    # a rebuild reads the indexed files again: the file still holds the record
    result = runner.invoke(app, ["rebuild", "--index", path])
    assert result.exit_code == 0, result.output
    rebuilt = [json.loads(x)["id"] for x in search("북한", "--index", path, "--json").stdout.splitlines()]
    assert rebuilt == ids


def test_every_command_has_help():
    for command in ("index", "search", "analyze", "rebuild", "delete", "watch", "show", "stats", "serve"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.stdout


def test_search_explain_and_filters(cli_index):
    result = search("러북 군사협력", "--index", str(cli_index), "--explain", "-n", "1")
    assert result.exit_code == 0
    assert "explain: all words; query 러+북 군사+협력" in result.stdout
    assert "title 러+북" in result.stdout and "%" in result.stdout
    lines = search("북한", "--index", str(cli_index), "--json", "--since", "2025-06", "--source", "외교부").stdout
    hits = [json.loads(x) for x in lines.splitlines()]
    assert hits and all(h["date"] >= "2025-06-01" and "외교부" in h["source"] for h in hits)
    explained = json.loads(search("NCG", "--index", str(cli_index), "--json", "--explain", "-n", "1").stdout)
    assert explained["explanation"]["parts"]
    assert search("북한", "--index", str(cli_index), "--since", "어제").exit_code == 2


def test_search_command_leaves_indexing_and_tables_unimported():
    # what only indexing, tables and progress bars need stays out of a
    # one-off search's start (a fresh interpreter: this one has them all)
    import subprocess
    import sys

    code = ("import sys, searchko.cli; print(' '.join(sorted(m for m in sys.modules if m in "
            "{'searchko.sync', 'rich.progress', 'rich.table', 'importlib.metadata'})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
