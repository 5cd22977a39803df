"""Sift's interview extraction: plain Python over spaCy, no Django.

spaCy is imported lazily: importing this package is cheap, and the model loads on the first
`get_nlp()` (or the first `extract()` without an `nlp`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .types import Extraction, Mention

EXTRACTOR_VERSION = "2026.12.07.1"

__all__ = ["EXTRACTOR_VERSION", "Extraction", "Mention", "extract", "extract_many", "get_nlp"]

if TYPE_CHECKING:  # pragma: no cover
    from .extractor import extract, extract_many
    from .pipeline import get_nlp


def __getattr__(name: str) -> Any:
    # Lazy re-exports: extractor.py imports spacy.tokens, which we do not want at package import.
    if name in ("extract", "extract_many"):
        from . import extractor

        return getattr(extractor, name)
    if name == "get_nlp":
        from .pipeline import get_nlp

        return get_nlp
    raise AttributeError(name)
