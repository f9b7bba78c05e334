"""How close can indexing get to bare Kiwi? Three steps on the same
documents, each a new process on all cores, in interleaved rounds:

- bare Kiwi (searchko's options) over the title and body of each
  document, as ``bench.py`` measures it;
- a sync into a new index whose Whoosh writer writes nothing:
  files read and cleaned, catalog records made, texts analysed and their
  bigrams counted, no postings or stored fields (the upper bound of any
  index writer in this pipeline);
- the same sync, written (``bench.py``'s full build).

    python benchmarks/bound.py                      # 3,000 documents, 3 rounds
    python benchmarks/bound.py --docs 10000 --rounds 2 --json

Each ratio is MB/s of the step over MB/s of bare Kiwi in the same round.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
import bench  # noqa: E402


def measure(args, work: Path) -> dict:
    generated = argparse.Namespace(docs=None, seed=args.seed, reuse=False)  # bench.py's corpus
    folder, _ = bench.write_corpus(generated, work, args.docs)
    docs = list(bench.make_documents(generated, args.docs))
    texts = work / "texts.json"
    mb = bench.write_kiwi_texts(docs, texts)
    rounds = []
    for n in range(args.rounds):
        if not args.quiet:
            print(f"round {n + 1} of {args.rounds}", file=sys.stderr)
        kiwi = bench.run_worker("kiwi", {"texts": str(texts), "workers": len(os.sched_getaffinity(0))})["seconds"]
        steps = {name: bench.run_worker(name, {"folder": str(folder), "index": str(work / f"{name}-{n}")})["sync_s"]
                 for name in ("index_nowrite", "index")}
        rounds.append({"kiwi_s": kiwi, "nowrite_s": steps["index_nowrite"], "full_s": steps["index"],
                       "nowrite_ratio": kiwi / steps["index_nowrite"], "full_ratio": kiwi / steps["index"]})
    return {
        "docs": args.docs,
        "mb": mb,
        "rounds": rounds,
        "nowrite_ratio": statistics.median(r["nowrite_ratio"] for r in rounds),
        "full_ratio": statistics.median(r["full_ratio"] for r in rounds),
    }


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=3000, help="documents (default 3000)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--work", type=Path, help="keep the corpus and indexes in this folder")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of lines")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="searchko-bound-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        f = measure(args, work)
    f["run_s"] = time.perf_counter() - started
    f["machine"] = bench.machine()
    if args.json:
        print(json.dumps(f, indent=1))
        return
    print(f"{f['docs']:,} documents, {f['mb']:.2f} MB; each ratio: the step's MB/s over bare Kiwi's")
    for n, r in enumerate(f["rounds"], 1):
        print(f"round {n}: bare Kiwi {r['kiwi_s']:.1f} s; nothing written {r['nowrite_s']:.1f} s "
              f"({r['nowrite_ratio']:.2f} x); full build {r['full_s']:.1f} s ({r['full_ratio']:.2f} x)")
    print(f"median: nothing written {f['nowrite_ratio']:.2f} x, full build {f['full_ratio']:.2f} x bare Kiwi")


if __name__ == "__main__":
    main()
