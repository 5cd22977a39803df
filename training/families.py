"""Train the theme-family heads (insights/extraction/families.py) and store them with the model.

Every labelled interview is extracted as the product would, and each mention matched to a gold
one takes its theme. A theme named by at least MIN_MENTIONS mentions in at least MIN_SEGMENTS
segments becomes a family; the rest are "other". A softmax over the unit model's embedding
learns them, per kind (pains, workarounds).

Whether a head helps, and how sure it must be, is measured by cross-validation over whole
segments: each fold's segments are grouped with a head trained on the other folds, at their full
size, and their theme B-cubed is compared with grouping them without a head. (The held-out share
that tune_grouping uses would not do here: its segments hold two or three interviews each, and
there, leaving every quote on its own scores best.) The best minimum probability is kept, and a
kind gets no head when it does not beat grouping without one by more than NEAR_BEST. Runs in the
project's environment, after tune_grouping:

    .venv/bin/python -m training.families [SET ...]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insights.extraction.classifier import MODEL_DIR  # noqa: E402
from insights.extraction.families import FamilyHead, save, softmax  # noqa: E402
from insights.extraction.grouping import embeddings, params_for  # noqa: E402
from training.calibrate import update_meta  # noqa: E402
from training.prepare import DEFAULT_SETS, SEED, held_out, read_interviews  # noqa: E402
from training.tune_grouping import NEAR_BEST, score, segments  # noqa: E402

MIN_MENTIONS = 10
MIN_SEGMENTS = 3
FOLDS = 5
SCALE = 10.0  # unit vectors, scaled so the softmax's logits can spread within its steps
STEPS = 300
LEARNING_RATE = 0.01
WEIGHT_DECAY = 0.01
MIN_PROBABILITIES = (0.0, 0.1, 0.2, 0.3, 0.5)


class Labelled(NamedTuple):
    quote: str
    theme: str  # the gold theme of the mention it matched
    segment: str  # "set file/segment"
    interview: tuple[str, str]  # (set file, interview id), as training.prepare.held_out names it


def labelled(segs: list[dict], kind: str) -> list[Labelled]:
    """Every mention of a kind matched to a gold one."""
    out = []
    for seg in segs:
        if seg["kind"] != kind:
            continue
        item = {it.id: it for it in seg["items"]}
        for i, theme in sorted(seg["gold"].items()):
            out.append(Labelled(item[i].text, theme, seg["name"], (seg["set"], item[i].interview)))
    return out


def families_of(rows: list[Labelled]) -> tuple[str, ...]:
    mentions = Counter(r.theme for r in rows)
    segments: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        segments[r.theme].add(r.segment)
    return tuple(sorted(t for t, n in mentions.items() if n >= MIN_MENTIONS and len(segments[t]) >= MIN_SEGMENTS))


def fit(rows: list[Labelled], min_probability: float) -> FamilyHead | None:
    """A softmax over the families of `rows` and "other" (AdamW, full batch, fixed steps: deterministic)."""
    names = families_of(rows)
    if not names:
        return None
    index = {n: k for k, n in enumerate(names)}
    x = SCALE * embeddings([r.quote for r in rows]).astype(np.float64)
    y = np.array([index.get(r.theme, len(names)) for r in rows])
    onehot = np.eye(len(names) + 1)[y]
    rng = np.random.default_rng(SEED)
    w = rng.normal(0.0, 0.01, (x.shape[1], len(names) + 1))
    b = np.zeros(len(names) + 1)
    params, moments = [w, b], [[np.zeros_like(w), np.zeros_like(w)], [np.zeros_like(b), np.zeros_like(b)]]
    for step in range(1, STEPS + 1):
        dz = (softmax(x @ w + b) - onehot) / len(x)
        for param, grad, (m, v) in zip(params, (x.T @ dz, dz.sum(axis=0)), moments, strict=True):
            param *= 1 - LEARNING_RATE * WEIGHT_DECAY
            m[:] = 0.9 * m + 0.1 * grad
            v[:] = 0.999 * v + 0.001 * grad**2
            param -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return FamilyHead(names=names, weight=w, bias=b, scale=SCALE, min_probability=min_probability)


def folds(segs: list[dict]) -> dict[str, int]:
    names = sorted({s["name"] for s in segs})
    random.Random(SEED).shuffle(names)
    return {n: k % FOLDS for k, n in enumerate(names)}


def cross_validate(segs: list[dict], kind: str) -> tuple[float, dict[float, float]]:
    """Theme B-cubed over the folds, weighted by matched mentions: without a head, and by min_probability."""
    fold = folds(segs)
    params = params_for(kind)
    without = 0.0
    totals: dict[float, float] = defaultdict(float)
    weight = 0
    for k in range(FOLDS):
        train = [s for s in segs if fold[s["name"]] != k and s["kind"] == kind]
        test = [s for s in segs if fold[s["name"]] == k and s["kind"] == kind]
        n = sum(len(s["gold"]) for s in test)
        if not n:
            continue
        head = fit(labelled(train, kind), 0.0)
        weight += n
        without += score(test, kind, params) * n
        for q in MIN_PROBABILITIES:
            heads: Mapping[str, FamilyHead] = {kind: replace(head, min_probability=q)} if head else {}
            totals[q] += score(test, kind, params, families=heads) * n
    if not weight:
        return 0.0, {}
    return round(without / weight, 4), {q: round(t / weight, 4) for q, t in totals.items()}


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*", type=Path, default=list(DEFAULT_SETS))
    ap.add_argument("--model", type=Path, default=MODEL_DIR)
    args = ap.parse_args(argv)
    rows = read_interviews(args.sets)
    segs = segments(rows)
    print(f"{len(segs)} segment groupings from every labelled interview")
    # The shipped heads never see the held-out share, so bench/score_extractor.py's held-out figures stay clean.
    held = held_out((src.name, str(r["id"])) for src, r in rows)
    heads: dict[str, FamilyHead] = {}
    figures: dict[str, dict] = {}
    for kind in ("pain", "workaround"):
        without, curve = cross_validate(segs, kind)
        # The best setting (ties: the surer families), kept only if it beats no head by more than noise.
        chosen = max(curve, key=lambda q: (curve[q], q), default=None)
        print(f"{kind}: cross-validated theme B3 {without:.3f} without families; by min probability {curve}")
        if chosen is None or curve[chosen] - without <= NEAR_BEST:
            print(f"{kind}: no head (it does not beat grouping without one)")
            continue
        head = fit([r for r in labelled(segs, kind) if r.interview not in held], chosen)
        if head is not None:
            heads[kind] = head
            figures[kind] = {"without": without, "with": curve[chosen], "families": len(head.names)}
            print(
                f"{kind}: {len(head.names)} families, min probability {chosen}: B3 {without:.3f} -> {curve[chosen]:.3f}"
            )
    section = save(args.model, heads)
    for kind, f in figures.items():
        section["heads"][kind]["cross_validated_b3"] = f
    update_meta(args.model, "families", section)


if __name__ == "__main__":
    main(sys.argv[1:])
