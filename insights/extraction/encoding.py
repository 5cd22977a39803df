"""How a unit is put to the model: the end of the question it answers, then the unit itself.

Shared by training (training/train.py) and the runtime (classifier.py), so both tokenise alike.
Only `tokenizers` and numpy: no torch, no spaCy, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from tokenizers import Tokenizer

MAX_TOKENS = 128
# The interviewer's preamble ("That's fascinating, thank you for sharing...") says little; the
# question is at its end.
QUESTION_WORDS = 24


def question_tail(question: str) -> str:
    words = (question or "").split()
    return " ".join(words[-QUESTION_WORDS:])


def unit_context(question: str) -> str:
    """The first segment of the model's input: the question's end ("-" when none is known)."""
    return question_tail(question) or "-"


def configure(tokenizer: Tokenizer, max_tokens: int = MAX_TOKENS) -> Tokenizer:
    tokenizer.enable_truncation(max_length=max_tokens, strategy="longest_first")
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def encode(tokenizer: Tokenizer, pairs: Sequence[tuple[str, str]]) -> dict[str, np.ndarray]:
    """(context, unit) pairs (context from unit_context) -> input_ids, attention_mask, token_type_ids
    (int64, padded to the longest)."""
    batch = tokenizer.encode_batch([(c or "-", u) for c, u in pairs])
    return {
        "input_ids": np.array([e.ids for e in batch], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in batch], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in batch], dtype=np.int64),
    }
