"""Relevance benchmark: how well does searchko rank the right document first?

What it measures
----------------
A retrieval task is a set of documents and a set of queries, each query with
the ids of its relevant documents. Every document is indexed through the
public searchko API with default settings (``Index.create`` + ``Index.add``),
every query is run through ``Index.search(text, limit=10)``, and the ranked
ids are scored:

- Recall@1, Recall@10: the share of a query's relevant documents found in the
  first 1 / 10 hits, averaged over all queries (with one relevant document per
  query, as in KLUE-NLI, this is "was it ranked first / in the top ten");
- MRR@10: 1 / rank of the first relevant hit (0 if none in the top ten),
  averaged over all queries;
- the same per document ``source`` ("slices"); a query belongs to the slice of
  its (first) relevant document.

In the same run a baseline is measured: a plain Whoosh index with character
bigrams (``NgramAnalyzer(2)``), BM25F default scoring, each query analysed by
the same analyzer and its terms OR-ed.

The default task (no arguments) is built at run time from the KLUE-NLI dev set
in ``../shared/eval/klue/`` as ``../shared/eval/README.md`` describes:
documents are the 1,000 distinct premises in file order (ids ``nli0000``, …
by first appearance, with their ``source``), queries are the hypotheses whose
``gold_label`` is "entailment", and a query's one relevant document is its
premise. The README's reference figure for the bigram baseline is MRR@10 0.965.

Usage::

    python benchmarks/relevance.py                      # KLUE-NLI task, table
    python benchmarks/relevance.py --json               # one JSON object
    python benchmarks/relevance.py --docs D.jsonl --queries Q.jsonl
    python benchmarks/relevance.py --limit-queries 50 --no-bigram
    python benchmarks/relevance.py --variants           # query-variant set on data/

``--docs`` is JSON lines ``{"id", "text"}`` (optionally ``"source"``);
``--queries`` is JSON lines ``{"qid", "text", "rel"}``, ``rel`` a list of
relevant document ids or one id.

``--variants`` runs the query-variant set instead (``benchmarks/variants.jsonl``,
or the file given): the ways people type the same thing (spacing, separators,
particles and endings, Hanja, abbreviations, English names, numbers, dates)
on the sample corpus in ``data/``. Each line is ``{"query", "first", "found",
"kind"}`` (``"needs": "aliases"`` on queries that only the domain lexicon can
answer): a query passes when ``Index.search(query)`` ranks ``first`` first and
has every ``found`` document in its top ten. It prints the share passing and
every failure.

A query on which a system raises is counted as a miss; its text and traceback
are printed to stderr and the number of such queries is reported ("errors").
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, Sequence

try:
    import searchko
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import searchko

PROJECT_ROOT = Path(__file__).resolve().parents[1]
KLUE_NLI = PROJECT_ROOT.parent / "shared/eval/klue/klue-nli-v1.1_dev.json"
VARIANTS = PROJECT_ROOT / "benchmarks" / "variants.jsonl"
DATA = PROJECT_ROOT / "data"

K = 10  # hits asked for per query; MRR and the larger recall are @K
POLICY = "policy"  # the slice closest to this project's domain

SearchFn = Callable[[str], Sequence[str]]


# -- tasks -------------------------------------------------------------------


def load_klue_task(path: Path = KLUE_NLI) -> tuple[list[dict], list[dict]]:
    """(documents, queries) of the KLUE-NLI retrieval task (see module doc)."""
    pairs = json.loads(Path(path).read_text("utf-8"))
    ids: dict[str, str] = {}
    docs: list[dict] = []
    queries: list[dict] = []
    for pair in pairs:
        premise = pair["premise"]
        if premise not in ids:
            ids[premise] = f"nli{len(docs):04d}"
            docs.append({"id": ids[premise], "text": premise, "source": pair.get("source", "")})
        if pair["gold_label"] == "entailment":
            queries.append({"qid": pair["guid"], "text": pair["hypothesis"], "rel": [ids[premise]]})
    return docs, queries


def _read_jsonl(path: Path) -> Iterable[dict]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as e:
                    raise SystemExit(f"{path}:{n}: not JSON ({e})") from None


def load_jsonl_task(docs_path: Path, queries_path: Path) -> tuple[list[dict], list[dict]]:
    """(documents, queries) from JSON-lines files (see module doc)."""
    docs = [
        {"id": str(d["id"]), "text": d["text"], "source": d.get("source") or ""}
        for d in _read_jsonl(docs_path)
    ]
    queries = []
    for q in _read_jsonl(queries_path):
        rel = q["rel"]
        rel = [rel] if isinstance(rel, str) else list(rel)
        queries.append({"qid": str(q["qid"]), "text": q["text"], "rel": [str(r) for r in rel]})
    return docs, queries


# -- scoring -----------------------------------------------------------------


def _metrics(rows: list[tuple[float, float, float]]) -> dict:
    n = len(rows)
    if not n:
        return {"R@1": 0.0, "R@10": 0.0, "MRR@10": 0.0, "n": 0}
    return {
        "R@1": sum(r[0] for r in rows) / n,
        "R@10": sum(r[1] for r in rows) / n,
        "MRR@10": sum(r[2] for r in rows) / n,
        "n": n,
    }


def evaluate(search_fn: SearchFn, queries: list[dict], doc_source: dict[str, str] | None = None) -> dict:
    """Run every query through ``search_fn`` (text -> ranked ids) and score it.

    Returns ``{"R@1", "R@10", "MRR@10", "n", "errors", "query_seconds",
    "slices": {source: {"R@1", "R@10", "MRR@10", "n"}}}``; slices need
    ``doc_source`` (document id -> source).
    """
    doc_source = doc_source or {}
    rows: list[tuple[float, float, float]] = []
    by_slice: dict[str, list] = defaultdict(list)
    errors = 0
    elapsed = 0.0
    for q in queries:
        rel = set(q["rel"])
        t0 = time.perf_counter()
        try:
            ranked = list(search_fn(q["text"]))[:K]
        except Exception:
            elapsed += time.perf_counter() - t0
            errors += 1
            print(f"error on query {q['qid']} {q['text']!r}:", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            ranked = []
        else:
            elapsed += time.perf_counter() - t0
        found = [i for i, doc_id in enumerate(ranked) if doc_id in rel]
        row = (
            sum(1 for i in found if i < 1) / len(rel) if rel else 0.0,
            len(found) / len(rel) if rel else 0.0,
            1.0 / (found[0] + 1) if found else 0.0,
        )
        rows.append(row)
        if q["rel"]:
            by_slice[doc_source.get(q["rel"][0], "")].append(row)
    result = _metrics(rows)
    result["errors"] = errors
    result["query_seconds"] = elapsed
    result["slices"] = {s: _metrics(r) for s, r in sorted(by_slice.items()) if s}
    return result


# -- systems -----------------------------------------------------------------


def run_searchko(docs: list[dict], queries: list[dict]) -> dict:
    """Index ``docs`` with searchko (defaults) and evaluate ``queries``."""
    with tempfile.TemporaryDirectory(prefix="searchko-relevance-") as tmp:
        t0 = time.perf_counter()
        with searchko.Index.create(Path(tmp) / "index") as ix:
            ix.add({"id": d["id"], "body": d["text"], "source": d["source"]} for d in docs)
            index_seconds = time.perf_counter() - t0

            def search(text: str) -> list[str]:
                return [hit.id for hit in ix.search(text, limit=K)]

            result = evaluate(search, queries, {d["id"]: d["source"] for d in docs})
    result["index_seconds"] = index_seconds
    return result


def run_bigram(docs: list[dict], queries: list[dict]) -> dict:
    """The baseline: Whoosh, character bigrams, BM25F, query terms OR-ed."""
    import whoosh.index
    from whoosh.analysis import NgramAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.query import Or, Term

    analyzer = NgramAnalyzer(2)
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=analyzer))
    with tempfile.TemporaryDirectory(prefix="bigram-relevance-") as tmp:
        t0 = time.perf_counter()
        ix = whoosh.index.create_in(tmp, schema)
        writer = ix.writer()
        for d in docs:
            writer.add_document(id=d["id"], body=d["text"])
        writer.commit()
        index_seconds = time.perf_counter() - t0

        with ix.searcher() as searcher:  # BM25F() is Whoosh's default

            def search(text: str) -> list[str]:
                # bigrams within words only (none across a space), as the
                # reference figures in ../shared/eval/README.md were made
                terms = [Term("body", t.text) for t in analyzer(text) if " " not in t.text]
                if not terms:
                    return []
                return [hit["id"] for hit in searcher.search(Or(terms), limit=K)]

            result = evaluate(search, queries, {d["id"]: d["source"] for d in docs})
        ix.close()
    result["index_seconds"] = index_seconds
    return result


# -- the query-variant set ----------------------------------------------------


def load_variants(path: Path = VARIANTS) -> list[dict]:
    """The query-variant cases of ``path`` (see module doc)."""
    cases = list(_read_jsonl(path))
    for n, case in enumerate(cases, 1):
        if not {"query", "first", "kind"} <= case.keys():
            raise SystemExit(f"{path}: case {n} lacks query, first or kind")
        case.setdefault("found", [])
    return cases


def run_variants(cases: list[dict], data: Path = DATA) -> dict:
    """Index ``data`` with searchko (defaults) and check every case."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="searchko-variants-") as tmp:
        with searchko.Index.create(Path(tmp) / "index") as ix:
            ix.add(searchko.iter_documents([data]))
            for case in cases:
                got = [hit.id for hit in ix.search(case["query"], limit=K)]
                passed = bool(got) and got[0] == case["first"] and all(f in got for f in case["found"])
                rows.append({**case, "passed": passed, "got": got})
    kinds = sorted({r["kind"] for r in rows})

    def share(rs):
        return {"passed": sum(r["passed"] for r in rs), "n": len(rs)}

    return {
        "all": share(rows),
        "without_needs": share([r for r in rows if not r.get("needs")]),
        "kinds": {k: share([r for r in rows if r["kind"] == k]) for k in kinds},
        "failures": [
            {"query": r["query"], "kind": r["kind"], "needs": r.get("needs"), "first": r["first"],
             "missing": [f for f in [r["first"], *r["found"]] if f not in r["got"]], "got": r["got"][:3]}
            for r in rows if not r["passed"]
        ],
    }


def print_variants(result: dict) -> None:
    a, w = result["all"], result["without_needs"]
    print(f"query variants: {a['passed']}/{a['n']} pass ({a['passed'] / a['n']:.1%}); "
          f"without the queries that need the domain lexicon {w['passed']}/{w['n']}\n")
    for kind, k in result["kinds"].items():
        print(f"  {kind:<14} {k['passed']:>3}/{k['n']}")
    if result["failures"]:
        print("\nfailures (query: expected first / got)")
    for f in result["failures"]:
        needs = f" [needs {f['needs']}]" if f["needs"] else ""
        print(f"  {f['query']}{needs}: {f['first']} / {', '.join(f['got']) or 'nothing'}")
        if f["missing"] and f["missing"] != [f["first"]]:
            print(f"      not in the top {K}: {', '.join(f['missing'])}")


# -- output ------------------------------------------------------------------


def _public(result: dict) -> dict:
    """The JSON shape: metrics, error count and slices (no timings)."""
    out = {k: round(result[k], 4) for k in ("R@1", "R@10", "MRR@10")}
    out["n"] = result["n"]
    out["errors"] = result["errors"]
    out["slices"] = {
        s: {**{k: round(m[k], 4) for k in ("R@1", "R@10", "MRR@10")}, "n": m["n"]}
        for s, m in result["slices"].items()
    }
    return out


def _row(name: str, m: dict, n: int | None = None) -> str:
    tail = f"  {n:>5}" if n is not None else ""
    return f"{name:<22} {m['R@1']:>6.3f} {m['R@10']:>6.3f} {m['MRR@10']:>7.3f}{tail}"


def print_table(results: dict[str, dict], n_docs: int) -> None:
    header = f"{'system':<22} {'R@1':>6} {'R@10':>6} {'MRR@10':>7}"
    n_queries = next(iter(results.values()))["n"]
    print(f"{n_docs} documents, {n_queries} queries, top {K}\n")
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        print(_row(name, r) + (f"   ({r['errors']} queries raised)" if r["errors"] else ""))

    slices = sorted({s for r in results.values() for s in r["slices"]},
                    key=lambda s: (s != POLICY, s))
    if slices:
        print(f"\nper source (slice '{POLICY}' is closest to this project's domain)\n")
        header = f"{'system / source':<22} {'R@1':>6} {'R@10':>6} {'MRR@10':>7}  {'n':>5}"
        print(header)
        print("-" * len(header))
        for s in slices:
            for name, r in results.items():
                if s in r["slices"]:
                    print(_row(f"{name} / {s}", r["slices"][s], r["slices"][s]["n"]))

    print("\ntimings")
    for name, r in results.items():
        per_query = 1000 * r["query_seconds"] / r["n"] if r["n"] else 0.0
        print(f"  {name:<10} index {r['index_seconds']:7.2f} s   "
              f"queries {r['query_seconds']:7.2f} s ({per_query:.1f} ms/query)")


# -- main --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=Path, help="documents, JSON lines {id, text[, source]}")
    p.add_argument("--queries", type=Path, help="queries, JSON lines {qid, text, rel}")
    p.add_argument("--json", action="store_true", help="print one JSON object only")
    p.add_argument("--limit-queries", type=int, metavar="N", help="use the first N queries")
    p.add_argument("--no-bigram", action="store_true", help="skip the bigram baseline")
    p.add_argument("--variants", nargs="?", type=Path, const=VARIANTS, metavar="FILE",
                   help=f"run the query-variant set on data/ instead (default {VARIANTS.name})")
    args = p.parse_args(argv)

    if args.variants is not None:
        result = run_variants(load_variants(args.variants))
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            print_variants(result)
        return 0

    if (args.docs is None) != (args.queries is None):
        p.error("--docs and --queries go together")
    if args.docs is not None:
        docs, queries = load_jsonl_task(args.docs, args.queries)
    else:
        if not KLUE_NLI.exists():
            p.error(f"no task given and {KLUE_NLI} is missing")
        docs, queries = load_klue_task()
    if args.limit_queries is not None:
        queries = queries[: max(args.limit_queries, 0)]
    if not queries:
        p.error("no queries")

    results = {"searchko": run_searchko(docs, queries)}
    if not args.no_bigram:
        results["bigram"] = run_bigram(docs, queries)

    if args.json:
        print(json.dumps({name: _public(r) for name, r in results.items()}, ensure_ascii=False))
    else:
        print_table(results, len(docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
