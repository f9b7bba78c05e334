"""Creating, opening, filling and rebuilding an index through the Python API."""

from __future__ import annotations

import datetime as dt
import json
import os
import re

import pytest

import searchko
from searchko.schema import FINGERPRINT_FILE
from searchko.storage import IndexFolder

from .conftest import ROOT

DOCS = [
    {"id": "ncg", "title": "핵협의그룹 회의", "body": "한미 양국은 핵협의그룹 회의를 열었다.", "date": "2025-03-12",
     "source": "국방부"},
    {"id": "farm", "body": "사과와 배 가격이 안정되었다.", "source": "농림축산식품부"},
]


def test_create_add_get_len_delete(tmp_path):
    with searchko.Index.create(tmp_path / "ix") as ix:
        assert len(ix) == 0
        assert ix.add(DOCS) == 2
        assert len(ix) == 2
        doc = ix.get("ncg")
        assert doc == searchko.Document(id="ncg", title="핵협의그룹 회의", body="한미 양국은 핵협의그룹 회의를 열었다.",
                                        date=dt.date(2025, 3, 12), source="국방부")
        assert ix.get("nope") is None
        assert sorted(d.id for d in ix.documents()) == ["farm", "ncg"]
        assert ix.delete("farm") is True
        assert ix.delete("farm") is False
        assert len(ix) == 1
        assert [h.id for h in ix.search("사과")] == []


def test_adding_the_same_id_replaces_the_document(empty_index):
    empty_index.add([{"id": "a", "body": "주한미군 감축"}])
    empty_index.add([searchko.Document(id="a", body="방위비 분담")])
    assert len(empty_index) == 1
    assert [h.id for h in empty_index.search("방위비")] == ["a"]
    assert [h.id for h in empty_index.search("주한미군")] == []


def test_a_document_needs_an_id_and_a_body(empty_index):
    with pytest.raises(ValueError):
        empty_index.add([{"body": "본문만 있다"}])
    with pytest.raises(ValueError):
        empty_index.add([{"id": "x"}])
    assert len(empty_index) == 0


def test_title_matches_count_more_than_body_matches(empty_index):
    empty_index.add([
        {"id": "body", "title": "정례 브리핑", "body": "확장억제 협의가 있었다. 기타 여러 안건도 다루었다."},
        {"id": "title", "title": "확장억제 협의 결과", "body": "회의가 있었다. 기타 여러 안건도 다루었다."},
    ])
    assert [h.id for h in empty_index.search("확장억제")] == ["title", "body"]


def test_create_refuses_an_existing_index_unless_overwrite(tmp_path):
    searchko.Index.create(tmp_path / "ix").close()
    with pytest.raises(searchko.IndexExistsError):
        searchko.Index.create(tmp_path / "ix")
    with searchko.Index.create(tmp_path / "ix", overwrite=True) as ix:
        assert len(ix) == 0


def test_open_missing_index(tmp_path):
    with pytest.raises(searchko.IndexNotFoundError) as e:
        searchko.open_index(tmp_path / "nothing")
    assert "searchko index" in e.value.hint
    with searchko.open_index(tmp_path / "new", create=True) as ix:
        assert len(ix) == 0


def test_an_index_made_by_another_analysis_is_refused_until_rebuilt(tmp_path):
    path = tmp_path / "ix"
    with searchko.Index.create(path) as ix:
        ix.add(DOCS)
    fingerprint_file = IndexFolder(path).current() / FINGERPRINT_FILE
    recorded = json.loads(fingerprint_file.read_text("utf-8"))
    assert recorded["kiwipiepy"] and recorded["kiwipiepy_model"] and recorded["stop_tags"]
    recorded["kiwipiepy"] = "0.23.0"
    fingerprint_file.write_text(json.dumps(recorded), "utf-8")
    with pytest.raises(searchko.IndexMismatchError) as e:
        searchko.open_index(path)
    assert "0.23.0" in str(e.value)
    assert "searchko rebuild" in e.value.hint
    searchko.rebuild_index(path)  # documents added through the API are carried over
    with searchko.open_index(path) as ix:
        assert len(ix) == 2
        assert [h.id for h in ix.search("핵협의그룹")] == ["ncg"]
        assert ix.get("ncg").date == dt.date(2025, 3, 12)


def test_rebuild_keeps_files_of_the_index_folder(tmp_path):
    path = tmp_path / "ix"
    with searchko.Index.create(path) as ix:
        ix.add(DOCS)
    (path / ".gitignore").write_text("*\n")
    searchko.rebuild_index(path)
    assert (path / ".gitignore").read_text() == "*\n"
    assert not (tmp_path / "ix.rebuild").exists() and not (tmp_path / "ix.old").exists()


def test_an_interrupted_add_leaves_the_last_committed_index(tmp_path):
    path = tmp_path / "ix"
    with searchko.Index.create(path) as ix:
        ix.add(DOCS)

    def documents():
        yield {"id": "new1", "body": "새로 추가되는 문서"}
        raise KeyboardInterrupt

    with searchko.open_index(path) as ix:
        with pytest.raises(KeyboardInterrupt):
            ix.add(documents())
    with searchko.open_index(path) as ix:
        assert len(ix) == 2
        assert ix.get("new1") is None
        ix.add([{"id": "new2", "body": "그 다음 문서"}])  # the lock was released
        assert len(ix) == 3


def test_a_second_writer_is_told_the_index_is_locked(tmp_path):
    path = tmp_path / "ix"
    searchko.Index.create(path).close()
    with IndexFolder(path).write_lock():  # another writer holds the lock
        with searchko.open_index(path) as ix:
            with pytest.raises(searchko.IndexLockedError) as e:
                ix.add(DOCS)
    assert f"process {os.getpid()}" in str(e.value)
    with searchko.open_index(path) as ix:
        assert ix.add(DOCS) == 2


def test_a_searcher_sees_documents_added_later(empty_index):
    assert not empty_index.search("주한미군")
    empty_index.add([{"id": "a", "body": "주한미군 기지"}])
    assert [h.id for h in empty_index.search("주한미군")] == ["a"]


def test_files_become_documents_with_metadata():
    docs = {d.id: d for d in searchko.iter_documents([ROOT / "data"])}
    assert len(docs) >= 40
    press = docs["data/press/2025-03-12-mnd-ncg-4th-meeting.txt"]
    assert press.title.startswith("한미 핵협의그룹(NCG)")
    assert press.date == dt.date(2025, 3, 12) and press.source == "국방부"
    news = next(d for d in docs.values() if d.path.endswith(".md"))
    assert news.title and news.date and news.source and news.categories
    assert "<" not in news.body and "style=" not in news.body
    for d in docs.values():
        assert d.title and d.date and d.source, d.id
    web = [d for d in docs.values() if d.path.endswith(".html")]
    assert web
    for d in web:
        assert "많이 본 뉴스" not in d.body and "이용약관" not in d.body, d.id
        assert "function" not in d.body and "{" not in d.body, d.id
    assert "brief-001" in docs


def test_readme_python_example_runs(tmp_path, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("a ")
