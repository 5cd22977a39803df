"""How far two labellers agree, with ../shared/eval/score.py's matching: pain and workaround F1,
pain theme B-cubed, severity within one step. The first labeller's file is the reference.

    python -m training.agreement data/agreement/second-labeller.jsonl data/train/corpus-a.jsonl
    python -m training.agreement data/agreement/second-labeller-developers-managers.jsonl \
        data/train/corpus-i-developers.jsonl data/train/corpus-k-managers.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from training.prepare import SEVERITIES, match_pairs


def bcubed(items: list[tuple[str, str]]) -> float:
    if not items:
        return 0.0
    by_a, by_b = defaultdict(set), defaultdict(set)
    for k, (a, b) in enumerate(items):
        by_a[a].add(k)
        by_b[b].add(k)
    p = sum(len(by_a[a] & by_b[b]) / len(by_b[b]) for a, b in items) / len(items)
    r = sum(len(by_a[a] & by_b[b]) / len(by_a[a]) for a, b in items) / len(items)
    return 2 * p * r / (p + r) if p + r else 0.0


def agreement(second: list[dict], first: list[dict]) -> dict[str, float]:
    ref = {str(r["id"]): r["gold"] for r in first}
    counts: dict[str, int] = defaultdict(int)
    themes, near, sev_n = [], 0, 0
    for row in second:
        if str(row["id"]) not in ref:
            continue
        counts["interviews"] += 1
        a, b = ref[str(row["id"])], row["gold"]
        for kind in ("pains", "workarounds"):
            pairs = match_pairs([g["quote"] for g in a[kind]], [o["quote"] for o in b[kind]])
            counts[kind + "_tp"] += len(pairs)
            counts[kind + "_a"] += len(a[kind])
            counts[kind + "_b"] += len(b[kind])
            if kind == "pains":
                for i, j in pairs:
                    themes.append((f"{row['id']}|" + a[kind][i]["theme"], b[kind][j]["theme"]))
                    sa, sb = a[kind][i].get("severity"), b[kind][j].get("severity")
                    if sa in SEVERITIES and sb in SEVERITIES:
                        sev_n += 1
                        near += abs(SEVERITIES.index(sa) - SEVERITIES.index(sb)) <= 1
    out: dict[str, float] = {"interviews": counts["interviews"]}
    for kind in ("pains", "workarounds"):
        p = counts[kind + "_tp"] / max(counts[kind + "_b"], 1)
        r = counts[kind + "_tp"] / max(counts[kind + "_a"], 1)
        out[kind[:-1] + "_f1"] = round(2 * p * r / (p + r) if p + r else 0.0, 3)
    # Themes compared as groupings within the set (slugs are each labeller's own words).
    out["pain_theme_b3"] = round(bcubed([(a.split("|", 1)[1], b) for a, b in themes]), 3)
    out["severity_within_one"] = round(near / sev_n, 3) if sev_n else 0.0
    return out


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


if __name__ == "__main__":
    second, *firsts = (Path(p) for p in sys.argv[1:])
    print(json.dumps(agreement(_read(second), [row for path in firsts for row in _read(path)]), indent=2))
