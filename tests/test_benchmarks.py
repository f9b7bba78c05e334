"""The benchmark scripts keep working (nothing here asserts a speed)."""

from __future__ import annotations

import json
import math
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


SPEED_KEYS = (
    "kiwi_mbps_1core", "kiwi_mbps_all", "index_mbps_1core", "index_mbps_all", "index_ratio",
    "reindex_unchanged_share", "update_one_s", "query_p50_ms_10k", "query_p95_ms_10k",
    "query_p50_ms_100k", "query_p95_ms_100k", "question_p50_ms_100k", "question_p95_ms_100k",
    "fts5_p50_ms_100k", "cold_search_s", "cold_kiwi_default_s", "cold_kiwi_same_options_s",
    "peak_rss_mb_10k", "peak_rss_mb_100k", "index_size_ratio",
)


@pytest.mark.skipif(not (SHARED / "corpus" / "klue").exists(), reason="../shared/corpus is not beside the project")
def test_speed_small_run_prints_every_documented_figure(tmp_path):
    docs = tmp_path / "docs.jsonl"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), "120", str(docs)],
                   capture_output=True, timeout=120, check=True)
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--docs", str(docs), "--sizes", "60,120",
         "--queries", "20", "--kiwi-sample", "40", "--cold-runs", "1", "--json", "--quiet"],
        capture_output=True, text=True, timeout=900, check=True,
    )
    figures = json.loads(result.stdout)
    for key in SPEED_KEYS:
        value = figures[key]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), key
        assert math.isfinite(value) and value >= 0, key
    assert figures["sizes"] == {"10k": 60, "100k": 120}
    assert set(figures["passed"]) == set(figures["targets"])


def test_bound_small_run_prints_its_ratios():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bound.py"), "--docs", "30", "--rounds", "1", "--json", "--quiet"],
        capture_output=True, text=True, timeout=600, check=True,
    )
    figures = json.loads(result.stdout)
    assert figures["docs"] == 30 and len(figures["rounds"]) == 1
    for key in ("nowrite_ratio", "full_ratio"):
        assert math.isfinite(figures[key]) and figures[key] > 0, key
