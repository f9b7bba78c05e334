"""The index folder: generations, the pointer to the live one, the write lock.

An index folder holds one or more *generations*, each a complete Whoosh index
with its fingerprint and catalog (``g000001/``, ``g000002/``, …), and a file
``CURRENT`` naming the live one. A rebuild fills a new generation and then
replaces ``CURRENT`` with one atomic rename: readers see the old index or the
new one, never half of either, and a rebuild killed half-way leaves
``CURRENT`` as it was. The previous generation is kept until the next swap,
so searchers opened on it keep working.

Writers (indexing, deleting, rebuilding) hold ``write.lock`` with
``fcntl.flock``: the kernel releases it when the holder dies, so a lock is
never left behind; the holder's pid is written in it for the message a second
writer gets.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Iterator

from .errors import IndexLockedError, IndexMismatchError, IndexNotFoundError, IndexUnsafeError
from .lexicon import Lexicon, combined
from .schema import FINGERPRINT_FILE, fingerprint

__all__ = ["IndexFolder"]

POINTER = "CURRENT"
#: The user's part of the lexicon a generation was analysed with (absent: none).
LEXICON_FILE = "lexicon.txt"
LOCK_FILE = "write.lock"
_GENERATION = re.compile(r"^g(\d{6,})$")

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None


class IndexFolder:
    """The folder of an index and its generations."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    # -- generations ---------------------------------------------------------

    def exists(self) -> bool:
        return (self.path / POINTER).is_file()

    def current(self) -> Path:
        """The live generation's folder."""
        try:
            name = (self.path / POINTER).read_text("utf-8").strip()
        except FileNotFoundError:
            raise IndexNotFoundError(f"no index at {self.path}") from None
        if not _GENERATION.match(name):
            raise IndexMismatchError(f"index at {self.path} has a damaged {POINTER} file")
        return self.path / name

    def current_name(self) -> str | None:
        try:
            return (self.path / POINTER).read_text("utf-8").strip()
        except FileNotFoundError:
            return None

    def generations(self) -> list[Path]:
        if not self.path.is_dir():
            return []
        found = [p for p in self.path.iterdir() if p.is_dir() and _GENERATION.match(p.name)]
        return sorted(found, key=lambda p: int(p.name[1:]))

    def new_generation(self, user_lexicon: Lexicon | None = None) -> Path:
        """An empty folder for the next generation (not live yet), readable
        and writable by its owner only, recording the lexicon it is made with."""
        self.make_private()
        existing = self.generations()
        number = int(existing[-1].name[1:]) + 1 if existing else 1
        folder = self.path / f"g{number:06d}"
        folder.mkdir(mode=0o700)
        if user_lexicon:
            (folder / LEXICON_FILE).write_text(user_lexicon.dump(), "utf-8")
        write_fingerprint(folder, combined(user_lexicon))
        return folder

    # -- who may change it ---------------------------------------------------

    def make_private(self) -> None:
        """Create the index folder, or make ours private (owner only)."""
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix" and self.path.stat().st_uid == os.geteuid():
            os.chmod(self.path, 0o700)

    def check_private(self) -> None:
        """Refuse an index that another user could have changed: opening it
        unpickles parts of it, so its files could run code."""
        if os.name != "posix":  # pragma: no cover
            return
        generation = self.current()
        for place in (self.path, self.path / POINTER, generation):
            st = place.stat()
            if st.st_uid != os.geteuid():
                raise IndexUnsafeError(
                    f"index at {self.path} belongs to another user ({place.name} is owned by uid "
                    f"{st.st_uid}); opening it could run their code",
                    hint="open only indexes you made; copy or rebuild it as yourself",
                )
            if st.st_mode & 0o022:
                raise IndexUnsafeError(
                    f"index at {self.path} can be changed by other users "
                    f"({place} has mode {st.st_mode & 0o777:o}); opening it could run their code",
                    hint=f"make it private: chmod -R go-w {self.path}",
                )
        if generation.stat().st_mode & 0o011:  # others can reach the files inside
            for f in generation.iterdir():
                if f.stat().st_mode & 0o022:
                    raise IndexUnsafeError(
                        f"index at {self.path} can be changed by other users ({f} is writable by them)",
                        hint=f"make it private: chmod -R go-w {self.path}",
                    )

    def make_current(self, generation: Path) -> None:
        """Point readers at ``generation`` (atomically) and remove the
        generations older than the one it replaces."""
        previous = self.current_name()
        tmp = self.path / (POINTER + ".tmp")
        tmp.write_text(generation.name + "\n", "utf-8")
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        tmp.replace(self.path / POINTER)
        _fsync_dir(self.path)
        for old in self.generations():
            if old.name not in (generation.name, previous):
                shutil.rmtree(old, ignore_errors=True)

    def discard(self, generation: Path) -> None:
        """Remove a generation that never became live."""
        if generation.name != self.current_name():
            shutil.rmtree(generation, ignore_errors=True)

    # -- the write lock ------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the index's write lock; wait up to ``wait`` seconds for it."""
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock_path = self.path / LOCK_FILE
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    if fcntl is not None:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as e:
                    if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                        raise
                    if time.monotonic() >= deadline:
                        holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
                        raise IndexLockedError(
                            f"index at {self.path} is being written by {holder}"
                        ) from None
                    time.sleep(0.05)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"process {os.getpid()}".encode("ascii"), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the descriptor releases the flock


def write_fingerprint(folder: Path, lexicon: Lexicon | None = None) -> None:
    tmp = folder / (FINGERPRINT_FILE + ".tmp")
    tmp.write_text(json.dumps(fingerprint(lexicon), ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.replace(folder / FINGERPRINT_FILE)


def read_user_lexicon(folder: Path) -> Lexicon | None:
    """The user's part of the lexicon ``folder`` was made with, or None."""
    path = folder / LEXICON_FILE
    return Lexicon.read(path) if path.is_file() else None


def check_fingerprint(folder: Path, shown: Path, lexicon: Lexicon | None = None) -> None:
    """Raise ``IndexMismatchError`` unless ``folder`` was made by the running
    analysis with ``lexicon`` (the whole one; default: the shipped one)."""
    try:
        recorded = json.loads((folder / FINGERPRINT_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        raise IndexMismatchError(f"index at {shown} has no readable {FINGERPRINT_FILE}") from None
    current = fingerprint(lexicon)
    changed = sorted(k for k in current.keys() | recorded.keys() if current.get(k) != recorded.get(k))
    if changed:
        what = ", ".join(f"{k} {recorded.get(k)!r} -> {current.get(k)!r}" for k in changed[:3]
                         if k not in ("stop_tags", "compound_tags")) or ", ".join(changed)
        if changed == ["lexicon"]:
            raise IndexMismatchError(f"index at {shown} was made with another lexicon ({what})")
        raise IndexMismatchError(f"index at {shown} was made by another analysis ({what})")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
