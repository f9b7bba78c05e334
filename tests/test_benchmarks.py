"""The benchmark scripts keep working (nothing here asserts a speed)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, SHARED


@pytest.mark.skipif(not (SHARED / "eval" / "klue").exists(), reason="../shared/eval is not beside the project")
def test_relevance_small_run_prints_the_documented_json():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "relevance.py"), "--limit-queries", "40", "--json"],
        capture_output=True, text=True, timeout=600, check=True,
    )
    figures = json.loads(result.stdout)
    for system in ("searchko", "bigram"):
        assert {"R@1", "R@10", "MRR@10", "slices"} <= figures[system].keys()
        assert "policy" in figures[system]["slices"]
        assert 0.5 <= figures[system]["MRR@10"] <= 1.0


def test_relevance_on_given_files(tmp_path):
    docs = tmp_path / "docs.jsonl"
    queries = tmp_path / "queries.jsonl"
    docs.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in [
        {"id": "d1", "text": "한미 핵협의그룹 회의가 열렸다."},
        {"id": "d2", "text": "사과 가격이 안정되었다."},
    ]) + "\n", "utf-8")
    queries.write_text(json.dumps({"qid": "q1", "text": "핵협의그룹", "rel": ["d1"]}, ensure_ascii=False) + "\n",
                       "utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "relevance.py"), "--docs", str(docs), "--queries", str(queries),
         "--json", "--no-bigram"],
        capture_output=True, text=True, timeout=300, check=True,
    )
    assert json.loads(result.stdout)["searchko"]["MRR@10"] == 1.0
