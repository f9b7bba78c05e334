"""Speed at 10,000 and 100,000 documents: indexing, re-indexing, updates,
warm and cold queries, memory and index size, each beside its target.

    python benchmarks/bench.py                       # 10,000 and 100,000 documents
    python benchmarks/bench.py --sizes 2000,10000    # a quick run
    python benchmarks/bench.py --docs D.jsonl --json # given documents, one JSON object

The corpus comes from ``corpus.py`` (real KLUE sentences, seeded), written as
one ``.txt`` file a document. Every measured step runs in a subprocess of its
own, so each has a clean peak memory and a fair start: "one core" pins that
subprocess to one CPU; "all cores" leaves it free. The figures called "10k"
and "100k" are those of the smaller and the larger of ``--sizes``.

What each figure is and how it is measured: the "Speed (bench.py)" section
of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import PackageNotFoundError, version
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# measure the checkout this script is in (its subprocesses get it on PYTHONPATH)
sys.path[:0] = [str(HERE), str(ROOT)]
import corpus  # noqa: E402

COLD_QUERY = "한미동맹"
WARMUP_QUERIES = 20
UPDATE_TEXT = "\n개정 내용: 한미동맹 연합방위태세 점검 회의가 추가로 열렸다.\n"

#: The issue's targets: key -> (comparison, bound, what it means).
TARGETS = {
    "index_ratio": (">=", 0.8, "x bare Kiwi, all cores, at the larger size"),
    "index_scaling": (">=", 1.6, "all-core over one-core indexing, same size"),
    "reindex_unchanged_share": ("<=", 0.05, "of the full build, smaller size"),
    "update_one_s": ("<=", 2.0, "s"),
    "query_p50_ms_100k": ("<=", 10.0, "ms"),
    "query_p95_ms_100k": ("<=", 50.0, "ms"),
    "query_p50_growth": ("<=", 3.0, "x p50 at the smaller size"),
    "question_p50_ms_100k": ("<=", 60.0, "ms"),
    "question_p95_ms_100k": ("<=", 250.0, "ms"),
    "cold_over_same_options": ("<=", 1.3, "x bare Kiwi process, searchko's options"),
    "cold_over_default": ("<=", 0.6, "x bare Kiwi process, Kiwi's defaults"),
    "peak_rss_growth": ("<=", 1.5, "x peak at the smaller size"),
    "index_size_ratio": ("<=", 3.0, "x text"),
}

# ---------------------------------------------------------------------------
# workers: each step in its own process (`bench.py --worker NAME ARGS`)


def _timed_sync(ix, folder: str) -> tuple[float, object]:
    started = time.perf_counter()
    report = ix.sync([folder])
    return time.perf_counter() - started, report


def _warm_kiwi() -> float:
    """Load Kiwi in this process (a public call that analyses); its seconds."""
    import searchko

    started = time.perf_counter()
    searchko.analyze(COLD_QUERY)
    return time.perf_counter() - started


def worker_kiwi(a: dict) -> dict:
    """Bare Kiwi: one batched tokenize over the sample, searchko's options."""
    from kiwipiepy import Kiwi
    from searchko.analysis import KIWI_OPTIONS

    texts = json.loads(Path(a["texts"]).read_text("utf-8"))
    started = time.perf_counter()
    kiwi = Kiwi(**{**KIWI_OPTIONS, "num_workers": a["workers"]})
    for _ in kiwi.tokenize(texts[:20]):  # the first call warms Kiwi up
        pass
    load = time.perf_counter() - started
    started = time.perf_counter()
    for _ in kiwi.tokenize(texts):
        pass
    return {"seconds": time.perf_counter() - started, "load_s": load}


def worker_index(a: dict) -> dict:
    """A full build: a new index, one sync of the folder (Kiwi loaded first)."""
    import searchko

    load = _warm_kiwi()
    started = time.perf_counter()
    with searchko.Index.create(a["index"]) as ix:
        seconds, report = _timed_sync(ix, a["folder"])
        count = len(ix)
    return {"seconds": time.perf_counter() - started, "sync_s": seconds, "load_s": load,
            "indexed": report.indexed, "documents": count}


def worker_index_nowrite(a: dict) -> dict:
    """``worker_index`` with the index writer's Whoosh part left out, for
    ``bound.py``: files read and cleaned, texts analysed, bigrams counted;
    no postings, no stored fields, no commit."""
    import searchko.index as index
    from searchko import analysis

    def update_document(self, **fields):
        self.grams.update(set(fields.get("grams", ())))
        for name in ("title", "body", "source"):
            if fields.get(name):  # take the prepared morphemes, as the analyzer would
                analysis._morphemes(fields[name])

    index._RunWriter.update_document = update_document
    index._RunWriter.commit = index._RunWriter.cancel
    return worker_index(a)


def worker_reindex(a: dict) -> dict:
    """Sync the same, unchanged folder again."""
    import searchko

    started = time.perf_counter()
    with searchko.open_index(a["index"]) as ix:
        seconds, report = _timed_sync(ix, a["folder"])
    return {"seconds": time.perf_counter() - started, "sync_s": seconds,
            "indexed": report.indexed, "unchanged": report.unchanged}


def worker_update(a: dict) -> dict:
    """In a warm process (index open, Kiwi loaded): change one file, sync."""
    import searchko

    with searchko.open_index(a["index"]) as ix:
        _warm_kiwi()
        ix.search(COLD_QUERY)
        with open(a["file"], "a", encoding="utf-8") as f:
            f.write(UPDATE_TEXT)
        seconds, report = _timed_sync(ix, a["folder"])
    return {"seconds": seconds, "updated": report.updated, "added": report.added}


def _latencies(run, queries: list[str], budget: float) -> list[float]:
    """Milliseconds of each query after the warm-up ones; stops early once
    ``budget`` seconds are spent (so a slow build cannot stall the run)."""
    for q in queries[:WARMUP_QUERIES]:
        run(q)
    out = []
    deadline = time.perf_counter() + budget
    for q in queries[WARMUP_QUERIES:]:
        started = time.perf_counter()
        run(q)
        out.append((time.perf_counter() - started) * 1000)
        if started > deadline:
            break
    return out


def worker_query(a: dict) -> dict:
    """Warm latency of ix.search(q, limit=10), snippets of the hits included."""
    import searchko

    queries = json.loads(Path(a["queries"]).read_text("utf-8"))
    with searchko.open_index(a["index"]) as ix:
        def run(q):
            return [h.snippets for h in ix.search(q, limit=10)]

        return {kind: _latencies(run, qs, a["budget"]) for kind, qs in queries.items()}


def worker_fts5(a: dict) -> dict:
    """SQLite FTS5 holding the same Kiwi terms as the searchko index.

    The terms are read back from the index (its title and body postings,
    each term repeated as often as it occurs), not analysed again; each
    distinct term becomes one ASCII token (t0, t1, …) so FTS5's tokenizer
    keeps it whole. A query is analysed with ``searchko.analyze`` (timed),
    its known terms OR-ed, ``ORDER BY bm25 LIMIT 10``: ids only, no snippets.
    """
    import sqlite3

    import searchko

    started = time.perf_counter()
    tokens: dict[str, str] = {}
    with searchko.open_index(a["index"]) as ix:
        try:
            reader = ix.searcher().reader()  # the one step outside the public API
            source = "index postings"
        except AttributeError:
            reader, source = None, "re-analysis of the stored documents"
        if reader is not None:
            rows = list(reader.all_doc_ids())
            columns = {}
            for field in ("title", "body"):
                docs: dict[int, list[str]] = {n: [] for n in rows}
                for term in reader.field_terms(field):
                    token = tokens.setdefault(term, f"t{len(tokens)}")
                    m = reader.postings(field, term)
                    while m.is_active():
                        if m.id() in docs:
                            docs[m.id()].extend([token] * max(1, int(m.weight())))
                        m.next()
                columns[field] = docs
        else:  # slow: Kiwi again
            docs = list(ix.documents())
            rows = range(len(docs))
            columns = {field: {n: [tokens.setdefault(t.text, f"t{len(tokens)}")
                                   for t in searchko.analyze(getattr(d, field))]
                               for n, d in enumerate(docs)} for field in ("title", "body")}
    db = sqlite3.connect(a["db"])
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body)")
    db.executemany("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                   ((n, " ".join(columns["title"][n]), " ".join(columns["body"][n])) for n in rows))
    db.commit()
    del columns
    build = time.perf_counter() - started
    _warm_kiwi()

    def run(q):
        terms = dict.fromkeys(tokens[t.text] for t in searchko.analyze(q) if t.text in tokens)
        if not terms:
            return []
        return db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 10",
                          (" OR ".join(terms),)).fetchall()

    queries = json.loads(Path(a["queries"]).read_text("utf-8"))
    out = {kind: _latencies(run, qs, a["budget"]) for kind, qs in queries.items()}
    db.close()
    return {**out, "build_s": build, "terms": len(tokens), "terms_from": source}


WORKERS = {"kiwi": worker_kiwi, "index": worker_index, "index_nowrite": worker_index_nowrite, "reindex": worker_reindex,
           "update": worker_update, "query": worker_query, "fts5": worker_fts5}

# ---------------------------------------------------------------------------
# running subprocesses: wall time and peak memory of the whole process tree


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def run_process(cmd: list[str], *, pin: int | None = None, capture: bool = True) -> dict:
    """Run ``cmd``; its wall seconds, peak RSS (MB, process tree) and stdout."""
    preexec = (lambda: os.sched_setaffinity(0, {pin})) if pin is not None else None
    started = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=_env(), preexec_fn=preexec)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.5):
            peak[0] = max(peak[0], _tree_rss(p.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = p.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    return {"wall": wall, "rc": p.returncode, "stdout": out or b"", "stderr": err or b"",
            "peak_mb": peak[0] / 1e6}


def run_worker(name: str, args: dict, *, pin: int | None = None) -> dict:
    r = run_process([sys.executable, str(Path(__file__).resolve()), "--worker", name, json.dumps(args)], pin=pin)
    if r["rc"] != 0:
        raise SystemExit(f"bench: step {name} failed:\n{r['stderr'].decode(errors='replace')}")
    out = json.loads(r["stdout"])
    # sampled sum over the process tree, or the kernel's peak of the worker
    # itself if that was higher (a spike between two samples)
    return {**out, "wall": r["wall"], "peak_mb": max(r["peak_mb"], out.pop("maxrss_mb"))}


def run_cli(args: list[str]) -> float:
    """Wall seconds of a whole `searchko ...` process."""
    r = run_process([sys.executable, "-m", "searchko", *args])
    if r["rc"] not in (0, 1):
        raise SystemExit(f"bench: searchko {' '.join(args)} failed:\n{r['stderr'].decode(errors='replace')}")
    return r["wall"]


# ---------------------------------------------------------------------------
# corpus and queries


def documents_from_jsonl(path: Path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if not line.strip():
                continue
            r = json.loads(line)
            date = corpus._dt.date.fromisoformat(str(r["date"])[:10]) if r.get("date") else corpus._dt.date(2020, 1, 1)
            yield corpus.BenchDocument(id=str(r.get("id", f"d{n:06d}")), title=r.get("title") or "",
                                       body=r.get("text") or r.get("body") or "", source=r.get("source") or "",
                                       date=date)


def make_documents(args, n: int):
    return islice(documents_from_jsonl(args.docs), n) if args.docs else corpus.documents(n, args.seed)


def write_corpus(args, work: Path, n: int) -> tuple[Path, int]:
    """The folder of ``n`` documents (kept from an earlier run with --reuse)
    and the UTF-8 bytes of their text."""
    folder = work / f"docs-{n}"
    marker = work / f"docs-{n}.json"
    what = {"n": n, "seed": args.seed, "docs": str(args.docs or "")}
    if args.reuse and marker.exists() and folder.exists():
        saved = json.loads(marker.read_text("utf-8"))
        if {k: saved.get(k) for k in what} == what:
            return folder, saved["bytes"]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    size = corpus.write_folder(make_documents(args, n), folder)
    marker.write_text(json.dumps({**what, "bytes": size}), "utf-8")
    return folder, size


_QUERY_SYNTAX = re.compile(r'["():*?]|^-|^(?:OR|AND|NOT)$')
_EDGE = re.compile(r"^\W+|\W+$")
_LETTER = re.compile(r"[가-힣A-Za-z]")


def _words(text: str) -> list[str]:
    """Words as typed, without edge punctuation or query syntax."""
    out = []
    for raw in text.split():
        w = _EDGE.sub("", raw)
        if w and not _QUERY_SYNTAX.search(w):
            out.append(w)
    return out


def make_queries(docs: list, count: int, seed: int) -> dict[str, list[str]]:
    """``count`` (+ warm-up) keyword queries, 1-3 consecutive content words
    of a document, and as many question-length ones, 8-20 consecutive words."""
    rng = random.Random(seed)
    keyword: list[str] = []
    question: list[str] = []
    want = count + WARMUP_QUERIES
    tries = 0
    while (len(keyword) < want or len(question) < want) and tries < 100 * want:
        tries += 1
        words = _words(rng.choice(docs).body)
        content = [w for w in words if len(w) >= 2 and _LETTER.search(w)]
        if len(keyword) < want and content:
            k = rng.randint(1, 3)
            i = rng.randrange(max(1, len(content) - k + 1))
            keyword.append(" ".join(content[i : i + k]))
        if len(question) < want and len(words) >= 8:
            k = min(rng.randint(8, 20), len(words))
            i = rng.randrange(len(words) - k + 1)
            question.append(" ".join(words[i : i + k]))
    return {"keyword": keyword, "question": question}


# ---------------------------------------------------------------------------
# the run


def write_kiwi_texts(docs: list, path: Path) -> float:
    """Write the texts bare Kiwi analyses for ``docs`` (the title and body
    of each, as searchko analyses them) to ``path`` for ``worker_kiwi``;
    the MB of their bodies, the measure of every throughput here."""
    texts = [t for d in docs for t in (d.title, d.body) if t]
    path.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    return sum(len(d.body.encode("utf-8")) for d in docs) / 1e6


def _percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")) * 1024
    except (OSError, StopIteration):
        mem = 0
    return {"cores": len(os.sched_getaffinity(0)), "cpu": cpu, "ram_gb": round(mem / 2**30, 1),
            "os": platform.platform(), "load_avg": [round(x, 2) for x in os.getloadavg()]}


def versions() -> dict:
    whoosh = next((f"{d} {_version(d)}" for d in ("whoosh3", "Whoosh-Reloaded", "Whoosh")
                   if _version(d) != "not installed"), "not installed")
    import searchko

    return {"python": platform.python_version(), "searchko": searchko.__version__,
            "kiwipiepy": _version("kiwipiepy"), "kiwipiepy_model": _version("kiwipiepy_model"),
            "whoosh": whoosh, "sqlite": __import__("sqlite3").sqlite_version}


def _log(args, message: str) -> None:
    if not args.quiet:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(args, work: Path) -> dict:
    from searchko.analysis import KIWI_OPTIONS

    small, large = min(args.sizes), max(args.sizes)
    cores = sorted(os.sched_getaffinity(0))
    one = cores[0]
    f: dict = {}

    _log(args, f"writing the corpus: {', '.join(map(str, sorted(set(args.sizes))))} documents")
    folders, text_bytes = {}, {}
    for n in sorted(set(args.sizes)):
        folders[n], text_bytes[n] = write_corpus(args, work, n)
    mb = {n: b / 1e6 for n, b in text_bytes.items()}

    # bare Kiwi on a sample: title and body of each document, as searchko analyses them
    sample = list(make_documents(args, min(args.kiwi_sample, large)))
    texts_file = work / "kiwi-sample.json"
    sample_mb = write_kiwi_texts(sample, texts_file)
    _log(args, f"bare Kiwi on a sample of {len(sample)} documents ({sample_mb:.1f} MB), one core")
    k1 = run_worker("kiwi", {"texts": str(texts_file), "workers": 1}, pin=one)
    _log(args, f"bare Kiwi, all {len(cores)} cores")
    kn = run_worker("kiwi", {"texts": str(texts_file), "workers": len(cores)})
    f["kiwi_sample_docs"] = len(sample)
    f["kiwi_mbps_1core"] = sample_mb / k1["seconds"]
    f["kiwi_mbps_all"] = sample_mb / kn["seconds"]

    # indexing: one core at the smaller size, all cores at both
    ix = {n: work / f"index-{n}" for n in folders}
    _log(args, f"indexing {small} documents, one core")
    shutil.rmtree(work / "index-1core", ignore_errors=True)
    i1 = run_worker("index", {"folder": str(folders[small]), "index": str(work / "index-1core")}, pin=one)
    shutil.rmtree(work / "index-1core", ignore_errors=True)
    builds = {}
    for n in sorted(folders):
        _log(args, f"indexing {n} documents, all cores")
        shutil.rmtree(ix[n], ignore_errors=True)
        builds[n] = run_worker("index", {"folder": str(folders[n]), "index": str(ix[n])})
    f["index_mbps_1core"] = mb[small] / i1["sync_s"]
    f["index_mbps_all_10k"] = mb[small] / builds[small]["sync_s"]
    f["index_mbps_all"] = mb[large] / builds[large]["sync_s"]
    f["index_ratio"] = f["index_mbps_all"] / f["kiwi_mbps_all"]
    f["index_ratio_1core"] = f["index_mbps_1core"] / f["kiwi_mbps_1core"]
    f["index_scaling"] = f["index_mbps_all_10k"] / f["index_mbps_1core"]
    f["build_s_10k"] = builds[small]["sync_s"]
    f["build_s_100k"] = builds[large]["sync_s"]
    f["peak_rss_mb_10k"] = builds[small]["peak_mb"]
    f["peak_rss_mb_100k"] = builds[large]["peak_mb"]
    f["peak_rss_growth"] = f["peak_rss_mb_100k"] / f["peak_rss_mb_10k"]
    f["index_size_ratio"] = _du(ix[large]) / text_bytes[large]
    f["index_size_mb_100k"] = _du(ix[large]) / 1e6

    _log(args, f"re-indexing the unchanged {small}-document folder")
    r = run_worker("reindex", {"folder": str(folders[small]), "index": str(ix[small])})
    f["reindex_unchanged_s"] = r["sync_s"]
    f["reindex_unchanged_share"] = r["sync_s"] / builds[small]["sync_s"]
    f["reindex_unchanged_cli_s"] = run_cli(["index", str(folders[small]), "-i", str(ix[small])])

    # queries, drawn from the documents both sizes hold
    queries = make_queries(list(make_documents(args, small)), args.queries, args.seed)
    qfile = work / "queries.json"
    qfile.write_text(json.dumps(queries, ensure_ascii=False), "utf-8")
    lat = {}
    for n in sorted(folders):
        _log(args, f"{args.queries} keyword and {args.queries} question queries at {n} documents")
        lat[n] = run_worker("query", {"index": str(ix[n]), "queries": str(qfile), "budget": args.query_budget})
    for n, tag in ((small, "10k"), (large, "100k")):
        for kind, name in (("keyword", "query"), ("question", "question")):
            f[f"{name}_p50_ms_{tag}"] = _percentile(lat[n][kind], 50)
            f[f"{name}_p95_ms_{tag}"] = _percentile(lat[n][kind], 95)
            f[f"{name}_n_{tag}"] = len(lat[n][kind])
    f["query_p50_growth"] = f["query_p50_ms_100k"] / f["query_p50_ms_10k"]

    _log(args, f"SQLite FTS5 with the same terms, {large} documents")
    db = work / "fts5.sqlite"
    db.unlink(missing_ok=True)
    fts = run_worker("fts5", {"index": str(ix[large]), "db": str(db), "queries": str(qfile),
                              "budget": args.query_budget})
    db.unlink(missing_ok=True)
    f["fts5_p50_ms_100k"] = _percentile(fts["keyword"], 50)
    f["fts5_p95_ms_100k"] = _percentile(fts["keyword"], 95)
    f["fts5_question_p50_ms_100k"] = _percentile(fts["question"], 50)
    f["fts5_question_p95_ms_100k"] = _percentile(fts["question"], 95)
    f["fts5_build_s"] = fts["build_s"]
    f["fts5_terms_from"] = fts["terms_from"]

    # update one document in the larger index: warm API call, then the CLI
    files = sorted(folders[large].rglob("*.txt"))
    picked = [files[len(files) // 2], files[len(files) // 3]]
    saved = [p.read_bytes() for p in picked]
    try:
        _log(args, f"updating one document of {large}")
        u = run_worker("update", {"index": str(ix[large]), "folder": str(folders[large]), "file": str(picked[0])})
        if u["updated"] != 1:
            raise SystemExit(f"bench: the update step re-indexed {u['updated']} documents, not 1")
        f["update_one_s"] = u["seconds"]
        with open(picked[1], "a", encoding="utf-8") as out:
            out.write(UPDATE_TEXT)
        f["update_one_cli_s"] = run_cli(["index", str(folders[large]), "-i", str(ix[large])])
    finally:
        for p, data in zip(picked, saved):
            p.write_bytes(data)

    # cold search beside two bare Kiwi processes, alternating. A user's cold
    # search reads the package's bytecode, as the bare processes read
    # kiwipiepy's (pip writes it, or a first run); it is written here too, in
    # case bytecode writing is off (PYTHONDONTWRITEBYTECODE) for an editable install.
    compileall.compile_dir(ROOT / "searchko", quiet=1)
    _log(args, f"cold search, {args.cold_runs} rounds of three processes")
    search = Path(sys.executable).with_name("search")
    cold_search = [str(search)] if search.exists() else [sys.executable, "-m", "searchko", "search"]
    cmds = {
        "cold_search_s": [*cold_search, COLD_QUERY, "-i", str(ix[large])],
        "cold_kiwi_default_s": [sys.executable, "-c",
                                f"import kiwipiepy; kiwipiepy.Kiwi().tokenize({COLD_QUERY!r})"],
        "cold_kiwi_same_options_s": [sys.executable, "-c",
                                     f"import kiwipiepy; kiwipiepy.Kiwi(**{KIWI_OPTIONS!r}).tokenize({COLD_QUERY!r})"],
    }
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(args.cold_runs):
        for key, cmd in cmds.items():
            r = run_process(cmd, capture=False)
            if r["rc"] not in (0, 1):
                raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{r['stderr'].decode(errors='replace')}")
            walls[key].append(r["wall"])
    for key, values in walls.items():
        f[key] = statistics.median(values)
    f["cold_over_same_options"] = f["cold_search_s"] / f["cold_kiwi_same_options_s"]
    f["cold_over_default"] = f["cold_search_s"] / f["cold_kiwi_default_s"]

    f["sizes"] = {"10k": small, "100k": large}
    f["text_mb"] = {str(n): round(m, 2) for n, m in mb.items()}
    f["kiwi_options"] = dict(KIWI_OPTIONS)
    return f


def verdicts(f: dict) -> dict:
    out = {}
    for key, (op, bound, _) in TARGETS.items():
        value = f.get(key)
        out[key] = None if value is None else (value >= bound if op == ">=" else value <= bound)
    return out


def table(f: dict) -> str:
    small, large = f["sizes"]["10k"], f["sizes"]["100k"]
    S, L = f"{small:,}", f"{large:,}"
    rows = [
        (f"bare Kiwi, one core (sample of {f['kiwi_sample_docs']:,} docs)", f"{f['kiwi_mbps_1core']:.3f} MB/s", None),
        ("bare Kiwi, all cores (same sample)", f"{f['kiwi_mbps_all']:.3f} MB/s", None),
        (f"indexing, one core, {S} docs", f"{f['index_mbps_1core']:.3f} MB/s "
         f"({f['index_ratio_1core']:.2f} x Kiwi)", None),
        (f"indexing, all cores, {S} docs", f"{f['index_mbps_all_10k']:.3f} MB/s ({f['build_s_10k']:.0f} s)", None),
        (f"indexing, all cores, {L} docs", f"{f['index_mbps_all']:.3f} MB/s ({f['build_s_100k']:.0f} s)", None),
        (f"  over bare Kiwi, all cores, {L}", f"{f['index_ratio']:.2f} x", "index_ratio"),
        (f"  all cores over one core, {S}", f"{f['index_scaling']:.2f} x", "index_scaling"),
        (f"re-index unchanged {S} (API, in process)", f"{f['reindex_unchanged_s']:.2f} s "
         f"= {f['reindex_unchanged_share']:.1%} of build", "reindex_unchanged_share"),
        ("  same, `searchko index` process", f"{f['reindex_unchanged_cli_s']:.2f} s", None),
        (f"update one doc of {L} (API, warm process)", f"{f['update_one_s']:.2f} s", "update_one_s"),
        ("  same, `searchko index` process (start, Kiwi load)", f"{f['update_one_cli_s']:.2f} s", None),
        (f"keyword query p50 / p95, {S} ({f['query_n_10k']} queries)",
         f"{f['query_p50_ms_10k']:.1f} / {f['query_p95_ms_10k']:.1f} ms", None),
        (f"keyword query p50, {L} ({f['query_n_100k']} queries)", f"{f['query_p50_ms_100k']:.1f} ms",
         "query_p50_ms_100k"),
        (f"keyword query p95, {L}", f"{f['query_p95_ms_100k']:.1f} ms", "query_p95_ms_100k"),
        (f"  p50 {L} over p50 {S}", f"{f['query_p50_growth']:.2f} x", "query_p50_growth"),
        (f"question query p50 / p95, {S} ({f['question_n_10k']} queries)",
         f"{f['question_p50_ms_10k']:.1f} / {f['question_p95_ms_10k']:.1f} ms", None),
        (f"question query p50, {L} ({f['question_n_100k']} queries)", f"{f['question_p50_ms_100k']:.1f} ms",
         "question_p50_ms_100k"),
        (f"question query p95, {L}", f"{f['question_p95_ms_100k']:.1f} ms", "question_p95_ms_100k"),
        (f"FTS5 keyword p50 / p95, {L} (ids only)", f"{f['fts5_p50_ms_100k']:.1f} / {f['fts5_p95_ms_100k']:.1f} ms", None),
        (f"FTS5 question p50 / p95, {L} (ids only)",
         f"{f['fts5_question_p50_ms_100k']:.1f} / {f['fts5_question_p95_ms_100k']:.1f} ms", None),
        (f"cold search process, {L} (median)", f"{f['cold_search_s']:.2f} s", None),
        ("bare process: Kiwi() defaults, one tokenize", f"{f['cold_kiwi_default_s']:.2f} s", None),
        ("bare process: searchko's Kiwi options", f"{f['cold_kiwi_same_options_s']:.2f} s", None),
        ("  cold search over bare, same options", f"{f['cold_over_same_options']:.2f} x", "cold_over_same_options"),
        ("  cold search over bare, Kiwi defaults", f"{f['cold_over_default']:.2f} x", "cold_over_default"),
        (f"peak memory indexing {S} / {L}", f"{f['peak_rss_mb_10k']:.0f} / {f['peak_rss_mb_100k']:.0f} MB", None),
        (f"  peak {L} over peak {S}", f"{f['peak_rss_growth']:.2f} x", "peak_rss_growth"),
        (f"index size over text, {L}", f"{f['index_size_ratio']:.2f} x ({f['index_size_mb_100k']:.0f} MB)",
         "index_size_ratio"),
    ]
    ok = verdicts(f)
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    twidth = max(len(f"{op} {bound:g} {what}") for op, bound, what in TARGETS.values())
    lines = [f"{'figure':<{width}}  {'value':<{vwidth}}  {'target':<{twidth}}  verdict"]
    for label, value, key in rows:
        target = ""
        if key:
            op, bound, what = TARGETS[key]
            target = f"{op} {bound:g} {what}".ljust(twidth) + ("  pass" if ok[key] else "  FAIL")
        lines.append(f"{label:<{width}}  {value:<{vwidth}}  {target}".rstrip())
    m, v = f["machine"], f["versions"]
    lines += [
        "",
        f"sizes: {S} and {L} documents ({f['text_mb'][str(small)]} and {f['text_mb'][str(large)]} MB of text); "
        "MB = UTF-8 bytes of document bodies",
        f"machine: {m['cores']} cores, {m['cpu']}, {m['ram_gb']} GB; load average at the end {m['load_avg']}",
        f"versions: Python {v['python']}, kiwipiepy {v['kiwipiepy']} (model {v['kiwipiepy_model']}, "
        f"options {f['kiwi_options']}), {v['whoosh']}, SQLite {v['sqlite']}",
        f"cold processes: `search {COLD_QUERY}` and bare Kiwi analysing {COLD_QUERY}, median of the rounds; "
        f"run took {f['run_s'] / 60:.1f} min",
    ]
    return "\n".join(lines)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,100000", help="two corpus sizes, e.g. 2000,10000 (default 10000,100000)")
    p.add_argument("--docs", type=Path, help="use these documents (JSON lines: id, title, text or body, source, date)")
    p.add_argument("--queries", type=int, default=500, help="keyword and question queries each (default 500)")
    p.add_argument("--query-budget", type=float, default=180, metavar="S",
                   help="stop a set of queries after S seconds, with fewer than --queries (default 180)")
    p.add_argument("--kiwi-sample", type=int, default=2000, help="documents in the bare-Kiwi sample (default 2000)")
    p.add_argument("--cold-runs", type=int, default=5, help="rounds of the cold-start processes (default 5)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--work", type=Path, help="keep corpus and indexes in this folder (default: a temporary one)")
    p.add_argument("--reuse", action="store_true", help="with --work: keep a corpus already written there")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        name, worker_args = args.worker
        out = WORKERS[name](json.loads(worker_args))
        usage = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        print(json.dumps({**out, "maxrss_mb": usage * 1024 / 1e6}))
        return
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.docs:  # no more than the file holds
        available = sum(1 for _ in documents_from_jsonl(args.docs))
        args.sizes = [min(n, available) for n in args.sizes]
    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="searchko-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        figures = measure(args, work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    figures["run_s"] = time.perf_counter() - started
    figures["machine"] = machine()
    figures["versions"] = versions()
    figures["targets"] = {k: f"{op} {bound:g} {what}" for k, (op, bound, what) in TARGETS.items()}
    figures["passed"] = verdicts(figures)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print(table(figures))


if __name__ == "__main__":
    main()
