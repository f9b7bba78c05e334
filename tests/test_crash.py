"""Never lose the index: SIGKILL at random moments, locks of dead and live
writers, readers in other processes and threads while a writer works."""

from __future__ import annotations

import importlib.util
import random
import signal
import subprocess
import sys
import textwrap
import threading

import pytest
from typer.testing import CliRunner

import searchko
from searchko.cli import app

from .conftest import DATA, ROOT

runner = CliRunner()

def _stress_kill():
    spec = importlib.util.spec_from_file_location("stress_kill", ROOT / "benchmarks" / "stress_kill.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sigkill_at_random_moments_leaves_the_last_committed_state(tmp_path, capsys):
    kills, kinds, checks = _stress_kill().kill_loop(tmp_path, kills_wanted=22, seed=20261122)
    with capsys.disabled():
        print(f"\nkill-9 test: {kills} kills ({kinds}), {checks} states checked, each a committed state")
    assert kills >= 20


HOLD_LOCK = textwrap.dedent("""
    import os, sys, time, signal
    from searchko.storage import IndexFolder
    with IndexFolder(sys.argv[1]).write_lock():
        print("locked", flush=True)
        if sys.argv[2] == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(60)
""")


def test_a_dead_writers_lock_is_cleared_and_a_live_one_is_never_stolen(tmp_path):
    path = tmp_path / "ix"
    searchko.Index.create(path).close()
    dead = subprocess.run([sys.executable, "-c", HOLD_LOCK, str(path), "die"], capture_output=True, timeout=60)
    assert dead.returncode == -signal.SIGKILL and b"locked" in dead.stdout
    with searchko.open_index(path) as ix:
        assert ix.add([{"id": "a", "body": "한미동맹"}]) == 1  # no stale lock

    live = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path), "hold"], stdout=subprocess.PIPE)
    try:
        assert live.stdout.readline().strip() == b"locked"
        with searchko.open_index(path) as ix:
            with pytest.raises(searchko.IndexLockedError) as e:
                ix.add([{"id": "b", "body": "방위비"}], wait=1.0)
            assert f"process {live.pid}" in str(e.value)
            assert [h.id for h in ix.search("한미동맹")] == ["a"]  # readers need no lock
        result = runner.invoke(app, ["index", str(DATA / "briefs.jsonl"), "--index", str(path), "--wait", "0.5"])
        assert result.exit_code == 2 and f"being written by process {live.pid}" in result.stderr
    finally:
        live.kill()
        live.wait()
    with searchko.open_index(path) as ix:
        assert ix.add([{"id": "b", "body": "방위비"}], wait=5.0) == 1


READER = textwrap.dedent("""
    import sys, time, random, searchko
    path, batches, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    rng = random.Random()
    searches = bad = 0
    end = time.monotonic() + seconds
    with searchko.open_index(path) as ix:
        while time.monotonic() < end:
            n = rng.randrange(batches)
            found = ix.search(f"batchtag{n:04d}", limit=20)
            total = ix.search("공통어", limit=1).total
            searches += 2
            if len(found) not in (0, 5) or total % 5:
                bad += 1
                print("partial", n, len(found), total, flush=True)
    print("searches", searches, "bad", bad)
""")


def batch(n: int) -> list[dict]:
    return [{"id": f"b{n}-{k}", "body": f"공통어 batchtag{n:04d} 문서 {k}번 한미동맹"} for k in range(5)]


def write_batches(ix: searchko.Index, count: int) -> None:
    """Each commit adds one batch of five documents and deletes the batch
    before the previous one, in one writer run."""
    for n in range(count):
        with ix.folder.write_lock(wait=10):
            ix._follow()
            with ix.writing() as writer:
                searchko.index.write_documents(writer, batch(n))
                for k in range(5):
                    writer.delete_by_term("id", f"b{n - 2}-{k}")


def test_readers_in_other_processes_see_only_committed_states(tmp_path):
    path = tmp_path / "ix"
    searchko.Index.create(path).close()
    batches = 30
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(path), str(batches), "12"],
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    with searchko.open_index(path) as ix:
        write_batches(ix, batches)
    for reader in readers:
        out, _ = reader.communicate(timeout=120)
        assert reader.returncode == 0
        last = out.strip().splitlines()[-1].split()
        assert last[0] == "searches" and int(last[1]) > 10 and last[3] == "0", out


def test_threads_sharing_one_index_see_only_committed_states(tmp_path):
    path = tmp_path / "ix"
    errors: list = []
    partial: list = []
    stop = threading.Event()
    with searchko.Index.create(path) as ix:

        def read():
            rng = random.Random()
            while not stop.is_set():
                try:
                    n = rng.randrange(20)
                    found = len(ix.search(f"batchtag{n:04d}", limit=20))
                    total = ix.search("공통어 한미동맹", limit=3).total
                    if found not in (0, 5) or total % 5:
                        partial.append((n, found, total))
                except Exception as e:  # noqa: BLE001 - any error fails the test
                    errors.append(repr(e))

        threads = [threading.Thread(target=read) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            write_batches(ix, 20)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        assert not errors and not partial
        assert len(ix) == 10
