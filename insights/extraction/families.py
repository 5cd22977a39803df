"""Theme families: the kinds of problem (and of coping) the labelled sets name alike across segments.

Labellers name the same kind of pain the same way in segment after segment ("ai-inaccuracy" in 13
of them, "spreadsheets" for coping in many trades). A softmax over the unit model's embedding,
trained on those labels (training/families.py), tells which such family a quote belongs to, or
"other". The grouping treats two mentions of one segment in the same family as one theme
(grouping.similarity): quotes that share no word ("it makes things up", "half its sources are
wrong") still meet. Plain numpy: no Django, no spaCy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FILE = "families.npz"


class FamilyError(ValueError):
    """The family heads named in meta.json are missing, damaged or do not fit the model."""


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of logits (rows: quotes)."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class FamilyHead:
    names: tuple[str, ...]  # the families; the last column of `weight` is "other"
    weight: np.ndarray  # (embedding size, len(names) + 1)
    bias: np.ndarray  # (len(names) + 1,)
    scale: float  # embeddings are unit vectors; the head sees them scaled by this
    min_probability: float  # a quote's most likely family counts only if at least this likely

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        return softmax((self.scale * embeddings.astype(np.float64)) @ self.weight + self.bias)

    def assign(self, embeddings: np.ndarray) -> np.ndarray:
        """The family index of each row, -1 for "other" or not sure enough."""
        if len(embeddings) == 0:
            return np.zeros(0, dtype=np.int64)
        p = self.probabilities(embeddings)
        best = p.argmax(axis=1)
        sure = p[np.arange(len(best)), best] >= self.min_probability
        return np.where((best < len(self.names)) & sure, best, -1)


def save(directory: Path, heads: dict[str, FamilyHead]) -> dict:
    """Write the heads' weights to directory/FILE; returns meta.json's "families" section."""
    arrays: dict[str, np.ndarray] = {}
    for kind, head in heads.items():
        arrays[f"{kind}_weight"] = head.weight.astype(np.float32)
        arrays[f"{kind}_bias"] = head.bias.astype(np.float32)
    np.savez_compressed(directory / FILE, **arrays)  # type: ignore[arg-type]  # numpy's stub takes **kwds as bool
    return {
        "sha256": hashlib.sha256((directory / FILE).read_bytes()).hexdigest(),
        "heads": {
            kind: {"names": list(h.names), "scale": h.scale, "min_probability": h.min_probability}
            for kind, h in heads.items()
        },
    }


def load(directory: Path, section: dict | None, embedding_size: int) -> dict[str, FamilyHead]:
    """The heads meta.json's "families" section names (none without one), checked against their file."""
    if not section or not section.get("heads"):
        return {}
    path = directory / FILE
    if not path.exists():
        raise FamilyError(f"{path} is missing, though meta.json names family heads")
    if hashlib.sha256(path.read_bytes()).hexdigest() != section.get("sha256"):
        raise FamilyError(f"{path} does not match the checksum in meta.json (damaged or replaced)")
    heads = {}
    with np.load(path) as z:
        for kind, conf in section["heads"].items():
            names = tuple(conf["names"])
            weight, bias = z[f"{kind}_weight"].astype(np.float64), z[f"{kind}_bias"].astype(np.float64)
            if weight.shape != (embedding_size, len(names) + 1) or bias.shape != (len(names) + 1,):
                raise FamilyError(f"the {kind} family head in {path} does not fit a {embedding_size}-d embedding")
            heads[kind] = FamilyHead(
                names=names,
                weight=weight,
                bias=bias,
                scale=float(conf["scale"]),
                min_probability=float(conf["min_probability"]),
            )
    return heads
