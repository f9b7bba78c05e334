"""Segment files read in place: the parts Whoosh opens read as its own would."""

from __future__ import annotations

import mmap
import os
import pickle
import threading
from io import BytesIO

import pytest
import whoosh.index
from whoosh.filedb.structfile import BufferFile, StructFile

import searchko
from searchko.filestore import FileStorage, MappedFile, _Source
from searchko.index import Index
from searchko.storage import IndexFolder


def _both(tmp_path, data: bytes, start: int, length: int):
    path = tmp_path / "x.seg"
    path.write_bytes(data)
    with open(path, "rb") as f:
        source = _Source(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
    whole = MappedFile(source, 0, len(data))
    return whole.subset(start, length, name="part"), BufferFile(data[start:start + length]), whole


def test_a_part_reads_as_whooshs_copy_does(tmp_path):
    body = BytesIO()
    sf = StructFile(body)
    sf.write_int(-7)
    sf.write_varint(300)
    sf.write_pickle(("a", 1, 2.5, None))
    sf.write(b"line one\nline two\n")
    sf.write_long(1 << 40)
    payload = body.getvalue()
    data = b"HEAD" + payload + b"TAIL"
    part, copy, whole = _both(tmp_path, data, 4, len(payload))
    for f in (part, copy):
        assert f.read_int() == -7
        assert f.read_varint() == 300
        assert f.read_pickle() == ("a", 1, 2.5, None)
        assert f.readline() == b"line one\n"
        assert f.tell() == len(payload) - 8 - 9
        f.seek(-8, os.SEEK_END)
        assert f.read_long() == 1 << 40
        assert f.read(5) == b""  # never past the part's end
        f.seek(4)
        assert f.get(0, 4) == payload[:4] and f.get_int(0) == -7
        assert f.get(len(payload) - 2, 10) == payload[-2:]
        f.seek(-3, os.SEEK_CUR)
        assert f.tell() == 1
    assert part.read() == payload[1:]
    with pytest.raises(ValueError):
        part.seek(-1)
    inner = part.subset(4, 4)
    assert inner.read() == payload[4:8]
    # the mapping stays open until its owner and every part are closed
    for f in (inner, whole):
        f.close()
    assert part.get(0, 4) == payload[:4]
    part.close()
    with pytest.raises(ValueError):
        part.get(0, 4)


def test_pickles_of_any_size_read_back(tmp_path):
    value = {"terms": [f"t{i}" for i in range(20_000)], "n": 3}
    data = b"x" + pickle.dumps(value, -1) + pickle.dumps("after", 2)
    part, _, _ = _both(tmp_path, data, 1, len(data) - 1)
    assert part.read_pickle() == value
    assert part.read_pickle() == "after"


def test_only_compound_files_are_mapped(tmp_path):
    (tmp_path / "a.seg").write_bytes(b"segment")
    (tmp_path / "a.toc").write_bytes(b"toc")
    storage = FileStorage(str(tmp_path))
    seg, toc = storage.open_file("a.seg"), storage.open_file("a.toc")
    assert isinstance(seg, MappedFile) and seg.read() == b"segment"
    assert not isinstance(toc, MappedFile) and toc.read() == b"toc"
    seg.close()
    toc.close()


def test_an_index_read_in_place_answers_as_through_whooshs_own_storage(tmp_path):
    docs = [{"id": f"d{i}", "title": f"문서 {i}", "body": f"한미동맹 연합훈련 {i}회차 기록. 북한 대응." * (1 + i % 3)}
            for i in range(60)]
    path = tmp_path / "ix"
    with searchko.open_index(path, create=True) as ix:
        ix.add(docs[:30])
        ix.add(docs[30:])  # two segments
    assert list(path.glob("g*/*.seg"))
    with searchko.open_index(path) as ix:
        results, errors = [], []

        def search():
            try:
                results.append([h.to_dict() for h in ix.search("한미동맹 기록", limit=20)])
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=search) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    folder = IndexFolder(path)
    generation = folder.current()
    with Index(folder, generation, whoosh.index.open_dir(str(generation))) as stock:  # copies the parts
        expected = [h.to_dict() for h in stock.search("한미동맹 기록", limit=20)]
    assert len(expected) == 20 and results == [expected] * 4
