"""Whatever comes in, searchko keeps working: hostile files, hostile queries,
documents made to attack the terminal or a page, indexes others could change."""

from __future__ import annotations

import io
import json
import os
import resource
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import searchko
from searchko.cli import app
from searchko.highlight import Snippet

runner = CliRunner()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/hwp+zip")
        z.writestr("Contents/section0.xml", b"\0" * (60 * 1024 * 1024))
    return buf.getvalue()


def hostile_corpus(folder):
    """Every kind of bad input the issue names, one file each."""
    files = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 64,
        "nul.txt": "한미\x00동맹\x00\x00 연합방위태세".encode("utf-8"),
        "invalid-utf8.txt": b"\xff\xfe\xfa broken \xc3\x28 \xa0\xa1",
        "mixed.txt": "한미동맹 UTF-8 부분\n".encode("utf-8") + "방위비 분담 CP949 부분\n".encode("cp949"),
        "huge.txt": ("주한미군 감축 논의가 이어졌다. " * 3_000_000).encode("utf-8")[: 50 * 1024 * 1024],
        "long-line.txt": ("한미 동맹 " * 200_000).encode("utf-8"),
        "deep.html": ("<div>" * 10_000 + "깊은 문서 본문" + "</div>" * 10_000).encode("utf-8"),
        "entities.html": ("<p>" + "&amp;&lt;&#x1F600;&nbsp;" * 200_000 + "엔티티</p>").encode("utf-8"),
        "bomb.hwpx": _zip_bomb(),
        "bomb.docx": _zip_bomb(),
        "jamo.txt": "ㅎㅁㄷㅁ ㄱㄴㄷㄹ 한".encode("utf-8"),
        "hanja.txt": "韓美同盟 北核 美國".encode("utf-8"),
        "emoji.txt": "👨‍👩‍👧‍👦 가족 🏳️‍🌈 👍🏽 한미동맹".encode("utf-8"),
        "rtl.txt": "مرحبا بالعالم שלום עולם 한미".encode("utf-8"),
        "surrogates.jsonl": b'{"id": "s1", "title": "\\ud800 lone", "body": "half \\udc00 surrogate \\ud83d"}\n',
        "unbalanced.md": "---\ntitle: [unclosed\n  - x: {\n---\n본문 한미동맹\n".encode("utf-8"),
        "open-front-matter.md": "---\ntitle: 끝나지 않은 머리말\n본문이 이어진다 한미동맹\n".encode("utf-8"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def test_hostile_files_are_indexed_or_reported_and_the_run_completes(tmp_path):
    docs = tmp_path / "hostile"
    docs.mkdir()
    names = hostile_corpus(docs)
    (docs / "good.txt").write_text("멀쩡한 문서\n한미동맹은 굳건하다.", "utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = runner.invoke(app, ["index", str(docs), "--index", str(tmp_path / "ix")])
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with searchko.open_index(tmp_path / "ix") as ix:
        indexed = {d.id.removeprefix("hostile/").split("#")[0] for d in ix.documents()}
        indexed |= {"surrogates.jsonl"} if ix.get("s1") else set()
        assert "good.txt" in indexed
        reported = {name for name in names if name in result.stderr}
        # every file is either indexed or named in a failure/warning line
        assert set(names) <= indexed | reported, set(names) - indexed - reported
        for name in ("binary.txt", "bomb.hwpx", "bomb.docx"):
            assert name not in indexed and name in result.stderr
        assert "cut at 1,000,000" in result.stderr  # the 50 MB file was cut, not refused
        assert ix.search("한미동맹")  # searches work on what went in
        lone = ix.get("s1")
        assert lone is not None and "\ufffd" in lone.body
    assert grown_mb < 1500  # bounded: the 50 MB file and the bombs did not blow up memory


QUERY_SOUP = st.lists(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(['"', "(", ")", "-", "OR", "NOT", "AND", "title:", "source:", "date:", "body:",
                         "date:>=", "date:..", "date:2025-", ":", "*", "?", "~", "^", "\\", "을", "은", "를",
                         "의", "한미동맹", "北", "\x00", "\x1b[31m", "\u200b", "ㅎㅁㄷㅁ", "😀", "date:9999-99-99"]),
    ),
    max_size=20,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERY_SOUP)
def test_hostile_queries_only_ever_raise_query_error(ix, query):
    try:
        results = ix.search(query, limit=5)
    except searchko.QueryError:
        return
    assert results.total >= len(results)


@pytest.mark.parametrize("query", [
    "한미동맹 " * 400,  # 2,000+ characters
    "가 " * 999,  # a thousand one-syllable words, just under the length limit
    "x" * 10_000,
    '"' * 501,
    "(((((" * 100,
    "title:" * 300,
])
def test_long_queries_answer_or_refuse_with_a_query_error(ix, query):
    try:
        ix.search(query)
    except searchko.QueryError as e:
        assert "too long" in str(e) or "quote" in str(e) or "value" in str(e) or "too many" in str(e)


ATTACKS = {
    "ansi": "\x1b[2J\x1b[31m빨간 글씨\x1b[0m 한미동맹 \x1b]0;title\x07 \x07벨",
    "markup": "[bold red]굵게[/bold red] [link=https://example.com]링크[/link] 한미동맹 :smile:",
    "html": "<script>alert(1)</script> <b>굵게</b> &amp; 한미동맹 <img src=x onerror=alert(2)>",
}


@pytest.fixture(scope="module")
def attack_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("attack") / "ix"
    with searchko.Index.create(path) as ix:
        ix.add({"id": f"[red]{k}\x1b[1m", "title": v, "body": v, "source": "[blink]출처"} for k, v in ATTACKS.items())
    return path


def test_the_terminal_shows_documents_as_inert_text(attack_index):
    result = runner.invoke(app, ["search", "한미동맹", "--index", str(attack_index)], color=True)
    assert result.exit_code == 0
    out = result.stdout
    # no escape sequence from a document reaches the terminal: every ESC
    # printed starts one of searchko's own colour codes
    for i, ch in enumerate(out):
        if ch == "\x1b":
            assert out[i + 1] == "[" and out[i + 2:i + 3].isdigit(), repr(out[i:i + 12])
    assert "\x07" not in out and "\x1b[2J" not in out and "\x1b]0" not in out
    # rich markup in documents is printed as written, not interpreted
    assert "[bold red]굵게[/bold red]" in out and "[link=https://example.com]" in out
    assert "[red]markup" in out and "[blink]출처" in out
    shown = runner.invoke(app, ["show", "[red]ansi\x1b[1m", "--index", str(attack_index)])
    assert shown.exit_code == 0 and "\x1b[2J" not in shown.stdout and "\ufffd[2J" in shown.stdout


def test_json_output_keeps_text_exact_and_escaped(attack_index):
    result = runner.invoke(app, ["search", "한미동맹", "--index", str(attack_index), "--json"])
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert {h["title"] for h in hits} == set(ATTACKS.values())
    assert "\x1b" not in result.stdout  # control characters are \\u-escaped in JSON


def test_html_snippets_escape_everything_but_the_marks(attack_index):
    with searchko.open_index(attack_index) as ix:
        for hit in ix.search("한미동맹"):
            for snippet in hit.snippets:
                page = snippet.to_html()
                assert "<script>" not in page and "<b>" not in page and "<img" not in page
                assert page.count("<mark>") == len(snippet.highlights) and "<mark>한미동맹</mark>" in page
    assert Snippet("a<b>c", ((1, 4),)).to_html() == "a<mark>&lt;b&gt;</mark>c"


def test_an_index_others_can_change_is_refused(tmp_path):
    path = tmp_path / "ix"
    with searchko.Index.create(path) as ix:
        ix.add([{"id": "a", "body": "한미동맹"}])
        generation = ix._generation_dir
    assert os.stat(path).st_mode & 0o777 == 0o700
    assert os.stat(generation).st_mode & 0o777 == 0o700
    for place, mode in ((path, 0o777), (generation, 0o770)):
        os.chmod(place, mode)
        with pytest.raises(searchko.IndexUnsafeError) as e:
            searchko.open_index(path)
        assert "chmod" in e.value.hint
        result = runner.invoke(app, ["search", "한미동맹", "--index", str(path)])
        assert result.exit_code == 2 and "other users" in result.stderr
        os.chmod(place, 0o700)
    with searchko.open_index(path) as ix:
        assert len(ix) == 1


def test_an_existing_index_folder_is_made_private(tmp_path):
    folder = tmp_path / "index"
    folder.mkdir(mode=0o775)
    os.chmod(folder, 0o775)
    (folder / ".gitignore").write_text("*\n")
    searchko.Index.create(folder).close()
    assert os.stat(folder).st_mode & 0o777 == 0o700
    searchko.open_index(folder).close()
