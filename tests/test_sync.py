"""Keeping an index in step with folders: incremental runs, duplicates,
rebuilds (killed or not), watching."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from typer.testing import CliRunner

import searchko
import searchko.analysis
from searchko.cli import app
from searchko.storage import IndexFolder

from .conftest import DATA

runner = CliRunner()


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text("방위비 분담 협상\n출처: 외교부\n2025년 3월 1일\n방위비 분담 특별협정이 타결되었다.", "utf-8")
    (docs / "sub" / "b.md").write_text("---\ntitle: 주한미군 기지\ndate: 2025-04-02\n---\n주한미군 반환기지 정화가 시작되었다.\n",
                                       "utf-8")
    return docs


@pytest.fixture
def kiwi_calls(monkeypatch):
    """Counts the texts handed to Kiwi."""
    calls = []
    real = searchko.analysis._analyze_texts

    def counting(texts, lexicon=None):
        calls.extend(texts)
        return real(texts, lexicon)

    monkeypatch.setattr(searchko.analysis, "_analyze_texts", counting)
    return calls


def ids(results):
    return [h.id for h in results]


def test_add_change_delete_and_unchanged(tmp_path, folder, kiwi_calls):
    with searchko.Index.create(tmp_path / "ix") as ix:
        first = ix.sync([folder])
        assert (first.added, first.updated, first.removed, first.unchanged) == (2, 0, 0, 0)
        assert ids(ix.search("방위비")) == ["docs/a.txt"]

        kiwi_calls.clear()
        again = ix.sync([folder])
        assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 2)
        assert kiwi_calls == []  # unchanged files are not analysed

        os.utime(folder / "a.txt", ns=(1, 1))  # touched, same bytes
        touched = ix.sync([folder])
        assert touched.unchanged == 2 and touched.indexed == 0
        assert kiwi_calls == []

        (folder / "sub" / "b.md").write_text("---\ntitle: 주한미군 기지\n---\n반환기지 토양 오염 조사가 끝났다.\n", "utf-8")
        changed = ix.sync([folder])
        assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 1)
        assert ids(ix.search("토양 오염")) == ["docs/sub/b.md"]
        assert ids(ix.search("정화")) == []

        (folder / "a.txt").unlink()
        kept = ix.sync([folder], delete=False)
        assert kept.removed == 0 and ids(ix.search("방위비")) == ["docs/a.txt"]
        removed = ix.sync([folder])
        assert removed.removed == 1
        assert ids(ix.search("방위비")) == []
        assert len(ix) == 1


def test_one_folder_given_alone_is_that_folder(tmp_path, folder):
    """Not the characters of its name (``/`` would be the whole disk)."""
    with searchko.Index.create(tmp_path / "ix") as ix:
        assert ix.sync(str(folder)).added == 2
        assert ix.sync(folder).unchanged == 2
    assert sorted(d.id for d in searchko.iter_documents(str(folder))) == ["docs/a.txt", "docs/sub/b.md"]
    if importlib.util.find_spec("watchfiles"):
        from searchko.sync import watch

        with searchko.Index.create(tmp_path / "watched") as ix:
            assert next(watch(ix, str(folder), stop_event=threading.Event())).added == 2


def test_identical_files_are_indexed_once_with_both_paths(tmp_path, folder):
    shutil.copy(folder / "a.txt", folder / "sub" / "copy-of-a.txt")
    with searchko.Index.create(tmp_path / "ix") as ix:
        report = ix.sync([folder])
        assert (report.added, report.duplicates) == (2, 1)
        assert len(ix) == 2
        assert sorted(ix.paths("docs/a.txt")) == sorted(
            [str((folder / "a.txt").resolve()), str((folder / "sub" / "copy-of-a.txt").resolve())])
        # the original goes, the copy still gives the document
        (folder / "a.txt").unlink()
        assert ix.sync([folder]).removed == 0
        assert ids(ix.search("방위비")) == ["docs/a.txt"]
        (folder / "sub" / "copy-of-a.txt").unlink()
        assert ix.sync([folder]).removed == 1
        assert ids(ix.search("방위비")) == []


def test_a_record_file_that_drops_records(tmp_path):
    records = tmp_path / "recs"
    records.mkdir()
    f = records / "news.jsonl"
    f.write_text('{"id": "n1", "body": "북한 미사일 발사"}\n{"id": "n2", "body": "농산물 가격"}\n', "utf-8")
    with searchko.Index.create(tmp_path / "ix") as ix:
        assert ix.sync([records]).added == 2
        f.write_text('{"id": "n1", "body": "북한 미사일 발사"}\n', "utf-8")
        report = ix.sync([records])
        assert report.removed == 1 and report.updated == 1
        assert ix.get("n2") is None and ix.get("n1") is not None


def test_what_indexing_a_folder_takes_and_leaves_out(tmp_path):
    docs = tmp_path / "docs"
    for folder in ("keep/deep", "drafts", ".hidden"):
        (docs / folder).mkdir(parents=True)
    texts = {"a.txt": "방위비 분담 협상", "keep/b.md": "주한미군 기지 반환", "keep/deep/c.TXT": "사이버 안보 협력",
             "keep/skip.pdf": "", "drafts/d.txt": "초안", ".hidden/e.txt": "숨김", ".f.txt": "숨김", "notes.xyz": "메모"}
    for name, text in texts.items():
        (docs / name).write_text(text, "utf-8")
    (docs / ".searchkoignore").write_text("# drafts stay out\ndrafts\n", "utf-8")
    (docs / "keep" / ".searchkoignore").write_text("*.pdf\n", "utf-8")
    (docs / "linked").symlink_to(docs / "keep")  # a linked folder is not entered
    (docs / "keep" / "alias.txt").symlink_to(docs / "a.txt")  # a linked file is its target
    with searchko.Index.create(tmp_path / "ix") as ix:
        report = ix.sync([docs])
        assert (report.files, report.added, report.duplicates, report.failed) == (4, 3, 1, ())
        assert sorted(d.id for d in ix.documents()) == ["docs/a.txt", "docs/keep/b.md", "docs/keep/deep/c.TXT"]
        assert ix.sync([docs]).unchanged == 4


def test_a_folder_whose_name_starts_another_keeps_its_documents(tmp_path):
    for name in ("docs", "docs2", "docs-old"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.txt").write_text(f"{name} 방위비 분담 협상", "utf-8")
    with searchko.Index.create(tmp_path / "ix") as ix:
        assert ix.sync([tmp_path / "docs", tmp_path / "docs2", tmp_path / "docs-old"]).added == 3
        (tmp_path / "docs" / "docs.txt").unlink()
        assert ix.sync([tmp_path / "docs"]).removed == 1
        assert sorted(d.id for d in ix.documents()) == ["docs-old/docs-old.txt", "docs2/docs2.txt"]


def test_an_interrupted_run_leaves_the_index_as_it_was(tmp_path, folder):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.sync([folder / "sub"])
        (folder / "c.txt").write_text("새 문서\n사이버 안보 협력", "utf-8")

        def stop(done, total):
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            ix.sync([folder], progress=stop)
        assert len(ix) == 1
        report = ix.sync([folder])  # the lock was released, the work is redone
        assert report.added == 2 and len(ix) == 3


def die_after_the_commit(monkeypatch):
    """Make the next commit end the run as a crash would, right after the
    Whoosh commit and before the catalog's update; returns the undo."""
    real = searchko.index._RunWriter.commit

    def commit(self):
        real(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(searchko.index._RunWriter, "commit", commit)
    return lambda: monkeypatch.setattr(searchko.index._RunWriter, "commit", real)


def die_before_the_commit(monkeypatch):
    """Make the next commit end the run as a crash would, before the Whoosh
    commit (the change staged in the catalog); undone by ``monkeypatch.undo``."""

    def commit(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(searchko.index._RunWriter, "commit", commit)


def test_a_crash_between_commit_and_catalog_loses_nothing(tmp_path, folder, monkeypatch):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.sync([folder])
        (folder / "a.txt").unlink()
        undo = die_after_the_commit(monkeypatch)
        with pytest.raises(KeyboardInterrupt):
            ix.sync([folder])  # the deletion was committed, the catalog not
        undo()
        (folder / "a.txt").write_text("방위비 분담 협상\n방위비 분담 특별협정이 타결되었다.", "utf-8")
        report = ix.sync([folder])
        assert ids(ix.search("방위비")) == ["docs/a.txt"]
        assert report.failed == () and report.added == 1


def test_a_file_added_just_before_a_crash_is_removed_with_its_file(tmp_path, folder, monkeypatch):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.sync([folder])
        (folder / "c.txt").write_text("사이버 안보 협력\n사이버 안보 협력을 강화한다.", "utf-8")
        undo = die_after_the_commit(monkeypatch)
        with pytest.raises(KeyboardInterrupt):
            ix.sync([folder])  # c.txt was committed, the catalog not
        undo()
        assert ids(ix.search("사이버")) == ["docs/c.txt"]
        (folder / "c.txt").unlink()
        report = ix.sync([folder])
        assert report.removed == 1 and ids(ix.search("사이버")) == []


def test_a_crash_before_the_commit_drops_what_was_staged(tmp_path, folder, monkeypatch):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.sync([folder])
        (folder / "c.txt").write_text("사이버 안보 협력\n사이버 안보 협력을 강화한다.", "utf-8")
        die_before_the_commit(monkeypatch)
        with pytest.raises(KeyboardInterrupt):
            ix.sync([folder])
        monkeypatch.undo()
        assert ids(ix.search("사이버")) == []
        report = ix.sync([folder])  # c.txt is new again, not taken as recorded
        assert report.added == 1 and ids(ix.search("사이버")) == ["docs/c.txt"]


def test_rebuild_reads_the_sources_again_and_keeps_api_documents(tmp_path, folder):
    path = tmp_path / "ix"
    with searchko.Index.create(path) as ix:
        ix.sync([folder])
        ix.add([{"id": "api-1", "body": "확장억제 협의"}])
        searcher = ix.searcher()
        (folder / "a.txt").write_text("방위비 분담 협상\n분담금 인상률 합의", "utf-8")
        report = searchko.rebuild_index(path)
        assert report.added == 2
        # a searcher opened before keeps working on the old generation
        assert len(list(searcher.documents())) == 3
        # the index object follows the new one
        assert ids(ix.search("인상률")) == ["docs/a.txt"]
        assert ids(ix.search("확장억제")) == ["api-1"]
        assert len(ix) == 3
    assert len(IndexFolder(path).generations()) == 2  # the live one and the one it replaced


KILLED_REBUILD = textwrap.dedent("""
    import os, signal, sys
    import searchko
    def kill(done, total):
        if done == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
    searchko.rebuild_index(sys.argv[1], progress=kill)
""")


def test_a_rebuild_killed_half_way_leaves_the_old_index(tmp_path):
    path = tmp_path / "ix"
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    with searchko.Index.create(path) as ix:
        ix.sync([data])
        before = {q: ids(ix.search(q)) for q in ("한미동맹", "방위비 분담", "NCG")}
        count = len(ix)
    for files_done in (1, 20):
        result = subprocess.run([sys.executable, "-c", KILLED_REBUILD, str(path), str(files_done)],
                                capture_output=True, timeout=300)
        assert result.returncode == -9
        with searchko.open_index(path) as ix:
            assert len(ix) == count
            assert {q: ids(ix.search(q)) for q in before} == before
    searchko.rebuild_index(path)  # and the next rebuild completes and tidies up
    assert len(IndexFolder(path).generations()) == 2
    with searchko.open_index(path) as ix:
        assert {q: ids(ix.search(q)) for q in before} == before


def test_watch_keeps_the_index_current(tmp_path, folder):
    pytest.importorskip("watchfiles")
    from searchko.sync import watch

    stop = threading.Event()
    reports = []
    with searchko.Index.create(tmp_path / "ix") as ix:

        def run():
            for report in watch(ix, [folder], stop_event=stop, debounce_ms=200):
                reports.append(report)

        thread = threading.Thread(target=run)
        thread.start()
        try:
            deadline = time.monotonic() + 30
            while not reports and time.monotonic() < deadline:
                time.sleep(0.05)
            assert reports and reports[0].added == 2
            (folder / "new.txt").write_text("새 소식\n한미 사이버안보 협력 강화", "utf-8")
            while len(reports) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert ids(ix.search("사이버안보")) == ["docs/new.txt"]
        finally:
            stop.set()
            thread.join(timeout=30)
        assert not thread.is_alive()


def test_show_prints_what_was_indexed(tmp_path, folder):
    shutil.copy(folder / "a.txt", folder / "sub" / "copy.txt")
    path = str(tmp_path / "ix")
    assert runner.invoke(app, ["index", str(folder), "--index", path]).exit_code == 0
    shown = runner.invoke(app, ["show", "docs/a.txt", "--index", path, "--json"])
    assert shown.exit_code == 0, shown.output
    doc = json.loads(shown.stdout)
    assert {"id", "paths", "title", "date", "source", "url", "categories", "body"} <= doc.keys()
    assert doc["date"] == "2025-03-01" and doc["source"] == "외교부" and len(doc["paths"]) == 2
    by_path = runner.invoke(app, ["show", str(folder / "sub" / "b.md"), "--index", path])
    assert by_path.exit_code == 0 and "주한미군 반환기지" in by_path.stdout
    assert runner.invoke(app, ["show", "nothing-here", "--index", path]).exit_code == 1


def test_stats(tmp_path, folder):
    path = str(tmp_path / "ix")
    runner.invoke(app, ["index", str(folder), "--index", path])
    result = runner.invoke(app, ["stats", "--index", path, "--json"])
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert stats["documents"] == 2 and stats["files"] == 2
    assert stats["formats"] == {".md": 1, ".txt": 1}
    assert stats["first_date"] == "2025-03-01" and stats["last_date"] == "2025-04-02"
    assert stats["sources"]["외교부"] == 1
    assert stats["terms"]["body"] > 0 and stats["size_bytes"] > 0
    assert stats["fingerprint"]["kiwipiepy"] and stats["updated"]
    assert "documents" in runner.invoke(app, ["stats", "--index", path]).stdout


def test_index_exit_status(tmp_path, folder):
    path = str(tmp_path / "ix")
    (folder / "broken.jsonl").write_text("not json\n", "utf-8")
    ok = runner.invoke(app, ["index", str(folder), "--index", path])
    assert ok.exit_code == 0 and "broken.jsonl:1" in ok.stderr and "1 failed" in ok.stderr
    strict = runner.invoke(app, ["index", str(folder / "broken.jsonl"), "--index", path, "--strict"])
    assert strict.exit_code == 2
    nothing = runner.invoke(app, ["index", str(tmp_path / "missing"), "--index", path])
    assert nothing.exit_code == 2


def test_a_catalog_behind_its_index_with_nothing_staged_drops_its_stale_records(tmp_path, folder):
    # as an index written before staging was left by a crash
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.sync([folder])
        writer = ix._ix.writer()
        writer.delete_by_term("id", "docs/a.txt")
        writer.commit()
        assert ix.catalog.get(str((folder / "a.txt").resolve())) is not None
        report = ix.sync([folder])
        assert report.added == 1 and report.unchanged == 1
        assert ids(ix.search("방위비")) == ["docs/a.txt"]
