"""The catalog counts, for each character bigram, the documents holding it
(the re-ranking's document frequencies, kept there instead of postings):
after adding, replacing, deleting and syncing, after a crash between the
commit and the catalog, and after a rebuild, the counts are those of the
documents the index holds."""

from __future__ import annotations

from collections import Counter

import pytest

import searchko
from searchko.analysis import bigrams

from .conftest import DATA
from .test_sync import die_after_the_commit, die_before_the_commit


def recount(ix) -> Counter:
    out: Counter = Counter()
    for doc in ix.documents():
        out.update(set(bigrams(f"{doc.title}\n{doc.body}")))
    return out


def recorded(ix) -> Counter:
    rows = ix.catalog._rows("SELECT gram, df FROM grams")
    assert all(df > 0 for _, df in rows)
    return Counter(dict(rows))


def assert_counted(ix):
    assert recorded(ix) == recount(ix)
    assert recount(ix)  # (not two empty counts)


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("방위비 분담 협상\n방위비 분담 특별협정이 타결되었다.", "utf-8")
    (docs / "b.txt").write_text("주한미군 기지\n주한미군 반환기지 정화가 시작되었다.", "utf-8")
    (docs / "c.txt").write_text("사이버 안보 협력\n한미 사이버 안보 협력을 강화한다.", "utf-8")
    return docs


def test_adding_replacing_and_deleting(tmp_path):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.add(searchko.iter_documents([DATA]))
        assert_counted(ix)
        some = sorted(d.id for d in ix.documents())[:3]
        ix.add([{"id": some[0], "body": "연합방위태세 점검 회의가 열렸다."},
                {"id": "new", "title": "한미동맹", "body": "한미 동맹의 현대화"},
                {"id": "new", "title": "한미동맹", "body": "한미 동맹의 미래"}])
        assert_counted(ix)
        assert ix.delete(some[1]) and not ix.delete(some[1])
        ix.delete("new")
        assert_counted(ix)


def test_syncing_changed_and_removed_files(tmp_path, folder):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.sync([folder])
        assert_counted(ix)
        (folder / "a.txt").write_text("방위비 분담 협상\n분담금 인상률 합의", "utf-8")
        (folder / "b.txt").unlink()
        ix.sync([folder])
        assert_counted(ix)


def test_a_crash_between_the_commit_and_the_catalog(tmp_path, folder, monkeypatch):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.sync([folder])
        (folder / "a.txt").unlink()
        (folder / "d.txt").write_text("확장억제 협의\n확장억제 전략협의체가 열렸다.", "utf-8")
        undo = die_after_the_commit(monkeypatch)
        with pytest.raises(KeyboardInterrupt):
            ix.sync([folder])  # committed, the catalog not
        undo()
        ix.sync([folder])  # the next writer makes the staged change final
        assert_counted(ix)


def test_a_crash_before_the_commit(tmp_path, folder, monkeypatch):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.sync([folder])
        (folder / "c.txt").unlink()
        die_before_the_commit(monkeypatch)
        with pytest.raises(KeyboardInterrupt):
            ix.sync([folder])
        monkeypatch.undo()
        assert_counted(ix)  # nothing of the failed run
        ix.sync([folder])
        assert_counted(ix)


def test_a_rebuild_counts_afresh(tmp_path, folder):
    path = tmp_path / "ix"
    with searchko.Index.create(path) as ix:
        ix.sync([folder])
        ix.add([{"id": "api-1", "body": "확장억제 협의"}])
    searchko.rebuild_index(path)
    with searchko.open_index(path) as ix:
        assert_counted(ix)


def test_a_search_right_after_a_rebuild_reads_the_new_counts(tmp_path, folder):
    path = tmp_path / "ix"
    with searchko.Index.create(path) as ix:
        ix.sync([folder])
        assert [h.id for h in ix.search("방위비", exact=True)] == ["docs/a.txt"]
        searchko.rebuild_index(path)  # a new generation, with a catalog of its own
        assert [h.id for h in ix.search("방위비", exact=True)] == ["docs/a.txt"]
        assert_counted(ix)
