"""searchko's packed positions (searchko.formats) hold what Whoosh's own
Characters format holds, one posting or a whole list at a time."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from whoosh.formats import Characters

import searchko
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
    blob = b"".join(values)
    starts = np.cumsum([0] + [len(v) for v in values])
    counts, positions = formats.positions(blob, starts)
    assert counts.tolist() == [len(p) for p in postings]
    assert positions.tolist() == [pos for p in postings for pos, _, _ in p]


def test_phrases_and_snippets_on_an_index_in_the_packed_format(tmp_path):
    with searchko.Index.create(tmp_path / "ix") as ix:
        ix.add(searchko.iter_documents([DATA]))
        assert isinstance(ix.searcher().schema["body"].format, formats.PackedCharacters)
        hits = ix.search('"한미 동맹"')
        assert hits.total > 0
        for hit in hits:
            marked = [s.text[a:b] for s in hit.snippets for a, b in s.highlights]
            assert any("동맹" in m for m in marked)
