"""Theme families: the kinds of problem (and of coping) the labelled sets name alike across segments.

Labellers name the same kind of pain the same way in segment after segment ("ai-inaccuracy" in 13
of them, "spreadsheets" for coping in many trades). A softmax over the unit model's embedding,
trained on those labels (training/families.py), tells which such family a quote belongs to, or
"other". The grouping treats two mentions of one segment in the same family as one theme
(grouping.similarity): quotes that share no word ("it makes things up", "half its sources are
wrong") still meet. Plain numpy: no Django, no spaCy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FILE = "families.npz"


@dataclass(frozen=True)
class FamilyHead:
    names: tuple[str, ...]  # the families; the last column of `weight` is "other"
    weight: np.ndarray  # (embedding size, len(names) + 1)
    bias: np.ndarray  # (len(names) + 1,)
    scale: float  # embeddings are unit vectors; the head sees them scaled by this
    min_probability: float  # below this, a quote belongs to no family

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        z = (self.scale * embeddings.astype(np.float64)) @ self.weight + self.bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def assign(self, embeddings: np.ndarray) -> np.ndarray:
        """The family index of each row, -1 for "other" or not sure enough."""
        if len(embeddings) == 0:
            return np.zeros(0, dtype=np.int64)
        p = self.probabilities(embeddings)
        best = p.argmax(axis=1)
        sure = p[np.arange(len(best)), best] >= self.min_probability
        return np.where((best < len(self.names)) & sure, best, -1)


def save(directory: Path, heads: dict[str, FamilyHead]) -> dict[str, dict]:
    """Write the heads' weights to directory/FILE; returns what goes into meta.json ("families")."""
    arrays: dict[str, np.ndarray] = {}
    for kind, head in heads.items():
        arrays[f"{kind}_weight"] = head.weight.astype(np.float32)
        arrays[f"{kind}_bias"] = head.bias.astype(np.float32)
    np.savez_compressed(directory / FILE, **arrays)  # type: ignore[arg-type]  # numpy's stub takes **kwds as bool
    return {
        kind: {"names": list(h.names), "scale": h.scale, "min_probability": h.min_probability}
        for kind, h in heads.items()
    }


def load(directory: Path, meta: dict) -> dict[str, FamilyHead]:
    conf = meta.get("families") or {}
    if not conf:
        return {}
    with np.load(directory / FILE) as z:
        return {
            kind: FamilyHead(
                names=tuple(c["names"]),
                weight=z[f"{kind}_weight"].astype(np.float64),
                bias=z[f"{kind}_bias"].astype(np.float64),
                scale=float(c["scale"]),
                min_probability=float(c["min_probability"]),
            )
            for kind, c in conf.items()
        }


@functools.lru_cache(maxsize=1)
def shipped() -> dict[str, FamilyHead]:
    """The heads that ship with the unit model (none when it carries none)."""
    from .classifier import MODEL_DIR, get_model

    return load(MODEL_DIR, get_model().meta)
