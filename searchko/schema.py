"""The Whoosh schema and the fingerprint that tells whether an index still
matches the running analysis."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from .analysis import BigramAnalyzer, KoreanAnalyzer, analysis_fingerprint
from .formats import LengthOnly, PackedCharacters
from .lexicon import Lexicon

__all__ = ["SCHEMA_VERSION", "make_schema", "fingerprint", "FINGERPRINT_FILE"]

#: Bump when fields change.
SCHEMA_VERSION = 2

#: Written beside Whoosh's own files in the index folder.
FINGERPRINT_FILE = "searchko.json"


def make_schema(lexicon: Lexicon | None = None) -> Schema:
    """The fields of an index analysed with ``lexicon`` (the whole one)."""
    analyzer = KoreanAnalyzer(lexicon=lexicon)
    schema = Schema(
        id=ID(stored=True, unique=True),
        path=STORED(),  # (never searched: not indexed)
        # chars=True keeps character offsets in the postings: snippets need no
        # second Kiwi pass (packed: see formats)
        title=TEXT(analyzer=analyzer, stored=True, chars=True),
        body=TEXT(analyzer=analyzer, stored=True, chars=True),
        source=TEXT(analyzer=analyzer, stored=True),
        # the length of title and body in character bigrams, for re-ranking
        # (the bigrams' document frequencies are in the catalog)
        grams=TEXT(analyzer=BigramAnalyzer(), phrase=False),
        date=DATETIME(stored=True, sortable=True),
        url=STORED(),
        categories=STORED(),
    )
    for name in ("title", "body"):
        schema[name].format = PackedCharacters(field_boost=schema[name].format.field_boost)
    schema["grams"].format = LengthOnly()
    return schema


def fingerprint(lexicon: Lexicon | None = None) -> dict:
    """Everything that decides the index's terms and fields."""
    return {"searchko_schema": SCHEMA_VERSION, **analysis_fingerprint(lexicon=lexicon)}
