"""Kill indexing, update and rebuild runs with SIGKILL at random moments and
check, after each kill, that the index opens, searches work, and its contents
are exactly the last committed state: the state before the run, or the one
the run was committing — never half of it, never less.

    python benchmarks/stress_kill.py --kills 200 --seed 7

The test suite runs the same loop with 22 kills (tests/test_crash.py).
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import searchko
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import searchko

DATA = Path(__file__).resolve().parents[1] / "data"
SYNC = "import sys, searchko; ix = searchko.open_index(sys.argv[1]); ix.sync([sys.argv[2]])"
REBUILD = "import sys, searchko; searchko.rebuild_index(sys.argv[1])"


def state(path: Path) -> dict[str, str]:
    """The committed contents of the index (id -> body), after checking that
    it opens and answers a search."""
    with searchko.open_index(path) as ix:
        ix.search("한미동맹 OR 북한 OR 정책")
        return {d.id: d.body for d in ix.documents()}


def expected(src: Path) -> dict[str, str]:
    """What the index holds once a sync (or a rebuild) of ``src`` commits."""
    return {d.id: d.body for d in searchko.iter_documents([src], on_error=lambda e: None)}


def difference(now: dict[str, str], wanted: dict[str, str]) -> str:
    """What ``now`` has that ``wanted`` has not, and the other way round."""
    extra = sorted(now.keys() - wanted.keys())
    missing = sorted(wanted.keys() - now.keys())
    changed = sorted(k for k in now.keys() & wanted.keys() if now[k] != wanted[k])
    return f"extra {extra}, missing {missing}, changed {changed}"


def change_files(rng: random.Random, src: Path, pool: list[Path], step: int) -> str:
    """Add, change or remove a few files of ``src``; returns which."""
    files = sorted(p for p in src.rglob("*") if p.is_file())
    kind = rng.choice(["add", "change", "remove"]) if len(files) > 4 else "add"
    if kind == "add":
        for k in range(rng.randint(1, 6)):
            original = rng.choice(pool)
            # unique content: identical files would share one document
            text = original.read_text("utf-8") + f"\n사본 {step}-{k}\n"
            (src / f"new-{step}-{k}{original.suffix}").write_text(text, "utf-8")
    elif kind == "change":
        for f in rng.sample(files, min(3, len(files))):
            with open(f, "a", encoding="utf-8") as out:
                out.write(f"\n추가 문단 {step}: 정책 변경 사항이 반영되었다.\n")
    else:
        for f in rng.sample(files, min(2, len(files) - 3)):
            f.unlink()
    return kind


def kill_loop(workdir: Path, kills_wanted: int, seed: int, log=print) -> tuple[int, dict, int]:
    """Run the loop in ``workdir``; returns (kills, kills by kind, states checked).
    Raises AssertionError at the first state that is not a committed one."""
    rng = random.Random(seed)
    pool = sorted((DATA / "press").iterdir()) + sorted((DATA / "news").iterdir())
    src = workdir / "src"
    src.mkdir()
    for f in pool[:8]:
        shutil.copy(f, src / f.name)
    path = workdir / "ix"
    with searchko.Index.create(path) as ix:
        ix.sync([src])
    committed = state(path)
    assert committed == expected(src)
    kills = checks = 0
    kinds: dict[str, int] = {}
    step = 0
    while kills < kills_wanted:
        step += 1
        if step > kills_wanted * 5:
            raise RuntimeError("runs keep finishing before the kill: is the machine very fast?")
        if rng.random() < 0.25:
            kind, script, after = "rebuild", REBUILD, expected(src)
        else:
            kind = change_files(rng, src, pool, step)
            script, after = SYNC, expected(src)
        proc = subprocess.Popen([sys.executable, "-c", script, str(path), str(src)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, 3.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=300)
        if proc.returncode == -signal.SIGKILL:
            kills += 1
            kinds[kind] = kinds.get(kind, 0) + 1
        elif proc.returncode != 0:
            raise AssertionError(f"{kind} run failed: {proc.stderr.read().decode()}")
        now = state(path)
        checks += 1
        assert now == committed or now == after, (
            f"step {step} ({kind}): not a committed state; against the state before: "
            f"{difference(now, committed)}; against the state after: {difference(now, after)}")
        committed = now
    # a run to completion brings the index in step with the files
    with searchko.open_index(path) as ix:
        assert ix.sync([src]).failed == ()
    assert state(path) == expected(src)
    return kills, kinds, checks + 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="searchko-kill-") as tmp:
        started = time.perf_counter()
        kills, kinds, checks = kill_loop(Path(tmp), args.kills, args.seed)
    print(f"{kills} kills ({kinds}), {checks} states checked, all committed states, "
          f"in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
