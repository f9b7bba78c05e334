"""A benchmark corpus of any size, assembled from real Korean sentences.

The sentences are those of the KLUE dev sets in ``../shared/corpus/klue``
(news, policy briefings, Wikipedia, reviews, …; CC BY-SA 4.0). A seeded
generator strings them into documents of 200-1,000 characters, about 500 on
average, each with a title (its first sentence, cut short), a date and the
source its sentences came from, so the same ``n`` and ``seed`` always give
the same corpus.

Used by ``bench.py``; also runnable::

    python benchmarks/corpus.py 10000 out.jsonl      # JSON lines
    python benchmarks/corpus.py 10000 out/ --folder  # one .txt file a document
"""

from __future__ import annotations

import datetime as _dt
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "klue"
_FILES = ("klue-ner-v1.1_dev.tsv", "klue-dp-v1.1_dev.tsv")
_COMMENT = re.compile(r"^## klue-\w+-v[\d.]+_dev_\d+-(?P<source>[\w-]+)\t(?P<text>.+)$")
_NER_MARK = re.compile(r"<([^<>:]+):[A-Z]{2}>")

MIN_CHARS, MAX_CHARS, MEAN_CHARS = 200, 1000, 500
_FOLDER_SIZE = 1000  # documents per sub-folder when written as files


@dataclass(frozen=True)
class BenchDocument:
    id: str
    title: str
    body: str
    source: str
    date: _dt.date

    def text_file(self) -> str:
        """The document as a plain-text file: title line, header, body."""
        return f"{self.title}\n배포일시: {self.date.isoformat()}\n출처: {self.source}\n\n{self.body}\n"

    def record(self) -> dict:
        return {"id": self.id, "title": self.title, "text": self.body,
                "source": self.source, "date": self.date.isoformat()}


def sentences(folder: Path = SHARED_CORPUS) -> list[tuple[str, str]]:
    """(source, sentence) of every distinct sentence, in file order."""
    seen: dict[str, str] = {}
    for name in _FILES:
        with open(folder / name, encoding="utf-8") as f:
            for line in f:
                m = _COMMENT.match(line.rstrip("\n"))
                if m:
                    text = _NER_MARK.sub(r"\1", m["text"]).strip()
                    if text and text not in seen:
                        seen[text] = m["source"].split("-")[0]
    return [(source, text) for text, source in seen.items()]


def _length(rng: random.Random) -> int:
    # a skewed draw in [MIN, MAX] whose mean is about MEAN_CHARS
    return int(MIN_CHARS + (MAX_CHARS - MIN_CHARS) * rng.betavariate(1.7, 3.0))


def documents(n: int, seed: int = 0, folder: Path = SHARED_CORPUS) -> Iterator[BenchDocument]:
    """``n`` documents, the same ones for the same ``n`` and ``seed``."""
    pool = sentences(folder)
    by_source: dict[str, list[str]] = {}
    for source, text in pool:
        by_source.setdefault(source, []).append(text)
    sources = sorted(by_source)
    rng = random.Random(seed)
    start = _dt.date(2015, 1, 1)
    for i in range(n):
        # mostly one source a document, as real collections are
        source = rng.choice(sources)
        target = _length(rng)
        parts: list[str] = []
        size = 0
        while size < target:
            text = rng.choice(by_source[source]) if rng.random() < 0.8 else rng.choice(pool)[1]
            if size + len(text) > MAX_CHARS and size >= MIN_CHARS:
                break
            parts.append(text[: MAX_CHARS - size])
            size += len(parts[-1]) + 1
        title = parts[0][:40].rstrip()
        yield BenchDocument(
            id=f"b{i:06d}",
            title=title,
            body=" ".join(parts),
            source=source,
            date=start + _dt.timedelta(days=rng.randrange(3650)),
        )


def write_jsonl(docs, path: Path) -> int:
    """Write documents as JSON lines; the number of UTF-8 bytes of text."""
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            size += len(d.body.encode("utf-8"))
            f.write(json.dumps(d.record(), ensure_ascii=False) + "\n")
    return size


def write_folder(docs, folder: Path) -> int:
    """Write one ``.txt`` file a document under ``folder`` (1,000 a
    sub-folder); the number of UTF-8 bytes of text."""
    size = 0
    for i, d in enumerate(docs):
        sub = folder / f"{i // _FOLDER_SIZE:04d}"
        if i % _FOLDER_SIZE == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{d.id}.txt").write_text(d.text_file(), "utf-8")
        size += len(d.body.encode("utf-8"))
    return size


if __name__ == "__main__":
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    docs = documents(n)
    written = write_folder(docs, out) if "--folder" in sys.argv else write_jsonl(docs, out)
    print(f"{n} documents, {written / 1e6:.1f} MB of text -> {out}")
