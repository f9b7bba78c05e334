"""The query-variant set (benchmarks/variants.jsonl): the ways people type the
same thing — spacing, separators, particles and endings, Hanja,
abbreviations, English names, numbers and dates — find the same documents.

Each case names the document that must come first and those that must be in
the top ten. Cases marked ``"needs": "aliases"`` use a form their documents do
not write (北 for 북한, USFK for 주한미군, DPRK, 韓美): the domain lexicon's
aliases answer them.
"""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT

CASES = [json.loads(line) for line in (ROOT / "benchmarks" / "variants.jsonl").read_text("utf-8").splitlines()
         if line.strip()]


def test_the_set_covers_every_kind_of_variant():
    assert len(CASES) >= 60
    kinds = {c["kind"] for c in CASES}
    assert {"spacing", "separator", "particle", "ending", "hanja", "abbreviation", "english", "number",
            "date"} <= kinds
    assert sum(c.get("needs") == "aliases" for c in CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=[f"{c['kind']}: {c['query']}" for c in CASES])
def test_query_variant(ix, case):
    got = [hit.id for hit in ix.search(case["query"], limit=10)]
    assert got, f"{case['query']!r} found nothing; expected {case['first']} first"
    assert got[0] == case["first"], (
        f"{case['query']!r} ranks {got[0]} first; expected {case['first']} (top three: {got[:3]})")
    missing = [f for f in case.get("found", []) if f not in got]
    assert not missing, f"{case['query']!r}: not in the top ten: {missing} (got {got})"
