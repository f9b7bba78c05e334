"""searchko's packed positions (searchko.formats) hold what Whoosh's own
Characters format holds, one posting or a whole list at a time."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Characters

import searchko
import searchko.index as index_module
from searchko import formats

from .conftest import DATA


@st.composite
def occurrences(draw):
    """A posting's (position, start, end), ascending, as an analyzer gives them."""
    out, pos, char = [], 0, 0
    for _ in range(draw(st.integers(1, 12))):
        pos += draw(st.integers(0 if not out else 1, 5000))
        start = char + draw(st.integers(0, 70000))
        char = start + draw(st.integers(1, 40))
        out.append((pos, start, char))
    return out


@given(occurrences())
def test_one_posting_reads_back_as_whoosh_reads_its_own(poslist):
    packed = formats.PackedCharacters()
    value = packed.encode(poslist)
    assert packed.decode_characters(value) == Characters().decode_characters(Characters().encode(poslist))
    assert packed.decode_positions(value) == [p for p, _, _ in poslist]
    assert packed.decode_frequency(value) == len(poslist)


@given(st.lists(occurrences(), max_size=20))
def test_a_whole_list_decodes_at_once_as_one_posting_at_a_time(postings):
    packed = formats.PackedCharacters()
    values = [packed.encode(p) for p in postings]
    rows = np.frombuffer(b"".join(values), dtype="<u4").reshape(-1, 3)
    counts = np.array([len(p) for p in postings], dtype=np.int64)
    assert formats.positions(rows[:, 0], counts).tolist() == [pos for p in postings for pos, _, _ in p]


def _postings(ix) -> dict:
    """Every title and body term's postings in each segment, through
    Whoosh's matchers and as ranking reads them (``formats.segment_postings``)."""
    out = {}
    reader = ix.searcher().reader()
    for n, (leaf, _) in enumerate(reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]):
        for field in ("title", "body"):
            for term in leaf.lexicon(field):
                m, whooshs = leaf.postings(field, term), []
                while m.is_active():
                    whooshs.append((m.id(), m.weight(), m.value_as("characters")))
                    m.next()
                found = formats.segment_postings(leaf, field, term)  # (as ranking reads them)
                rows, counts = found.occurrences(np.arange(len(found.ids))), found.counts()
                starts = np.concatenate([[0], np.cumsum(counts)]).astype(int)
                mine = [(int(d), float(w), formats.characters(rows[a:b]))
                        for d, w, a, b in zip(found.ids, found.weights, starts[:-1], starts[1:])]
                out[n, field, term] = whooshs, mine
                # the positions of all, and the rows of every other posting alone
                assert formats.positions(found.position_deltas(), counts).tolist() == [
                    pos for _, _, occ in whooshs for pos, _, _ in occ]
                some = np.arange(0, len(found.ids), 2)
                assert [tuple(r) for r in found.occurrences(some).tolist()] == [
                    tuple(r) for i in some for r in rows[starts[i]:starts[i + 1]].tolist()]
    return out


def test_posting_blocks_in_columns_hold_what_whooshs_hold(tmp_path, monkeypatch):
    """The same documents written with searchko's codec and with Whoosh's:
    the same postings, read either way, where the columns need one, two
    and four bytes (docnums 300 apart, occurrences 70,000 characters apart)."""
    far = "동맹 " + "가" * 70_000 + " 동맹 " + " ".join(["협력"] * 300)
    docs = [{"id": f"d{i}", "title": "한미동맹" if i % 300 == 0 else "회의", "body": far if i == 299 else f"회의 {i}"}
            for i in range(301)]
    found = []
    for codec in (index_module.CODEC, W3Codec()):
        monkeypatch.setattr(index_module, "CODEC", codec)
        with searchko.Index.create(tmp_path / type(codec).__name__) as ix:
            ix.add(docs)
            found.append(_postings(ix))
    columns, whooshs = found
    assert columns.keys() == whooshs.keys() and ("body", "동맹".encode()) in {k[1:] for k in columns}
    for key, (by_whoosh, by_blocks) in columns.items():
        assert by_whoosh == by_blocks == whooshs[key][0] == whooshs[key][1], key
    rows = columns[0, "body", "동맹".encode()][1]
    assert any(end - start == 2 and start > 70_000 for _, _, occ in rows for _, start, end in occ)


def test_phrases_and_snippets_on_an_index_in_the_packed_format(tmp_path):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.add(searchko.iter_documents([DATA]))
        assert isinstance(ix.searcher().schema["body"].format, formats.PackedCharacters)
        hits = ix.search('"한미 동맹"')
        assert hits.total > 0
        for hit in hits:
            marked = [s.text[a:b] for s in hit.snippets for a, b in s.highlights]
            assert any("동맹" in m for m in marked)


def test_an_index_written_before_the_columns_reads_on(tmp_path, monkeypatch):
    """A segment in Whoosh's layout (an index made before) next to new ones
    in columns, and then merged into them: the same hits as an index built
    new, both times."""
    docs = list(searchko.iter_documents([DATA]))
    old, rest = docs[: len(docs) // 2], docs[len(docs) // 2:]
    queries = ('"한미 동맹"', "연합방위태세 강화")

    def hits(ix):
        return {q: [(h.id, h.snippets) for h in ix.search(q, limit=20)] for q in queries}

    def layouts(ix):
        return {type(segment.codec()) for segment in ix._ix._segments()}

    with searchko.Index.create(tmp_path / "new") as ix:
        ix.add(old + rest[:1])
        mixed_expected = hits(ix)
        ix.add(rest[1:])
        expected = hits(ix)
    monkeypatch.setattr(index_module, "CODEC", W3Codec())
    with searchko.Index.create(tmp_path / "mixed") as ix:
        ix.add(old)
    monkeypatch.undo()
    with searchko.open_index(tmp_path / "mixed") as ix:
        ix.add(rest[:1])
        assert layouts(ix) == {W3Codec, formats.ColumnCodec}
        assert hits(ix) == mixed_expected
        for doc in rest[1:]:  # one commit each: small segments, merged as they come
            ix.add([doc])
        assert layouts(ix) == {formats.ColumnCodec}
        assert hits(ix) == expected
