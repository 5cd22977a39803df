"""Turn labelled interview sets into training examples: one example per unit (insights.extraction.units).

A unit is a pain (workaround) example when a gold quote matches it the way ../shared/eval/score.py
matches a quote to what the extractor says: enough shared words, guarded against long units. So the
model learns to say yes exactly where saying yes scores.

    python -m training.prepare [SET.jsonl | DIR ...]     # prints how many units and how well they cover the gold
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insights.extraction.units import interview_units  # noqa: E402

DEFAULT_SETS = (ROOT.parent / "shared" / "train", ROOT / "data" / "train")
SEVERITIES = ("low", "medium", "high", "very_high")
MATCH = 0.6  # the scorer's threshold
SEED = 13
# Share of each set's interviews held out to choose thresholds and report figures: enough to choose
# two thresholds and the grouping's knobs (about 90 interviews), the rest trains.
HOLDOUT = 0.15
_WORD = re.compile(r"\w+", re.UNICODE)


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def overlap(a: str, b: str) -> float:
    """score.py's quote overlap: shared words over the shorter quote; 0 under a quarter of the longer one."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    if shared / max(len(ta), len(tb)) < 0.25:
        return 0.0
    return shared / min(len(ta), len(tb))


@dataclass
class Example:
    interview: str
    segment: str
    source: str  # file the interview came from
    field: str
    start: int
    end: int
    text: str
    question: str
    topic: str | None
    pain: int
    workaround: int
    severity: int  # index into SEVERITIES, -1 when not a pain
    pain_theme: str  # gold theme of the matched pain ("" when none)
    workaround_theme: str


def set_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(p.glob("*.jsonl")))
        elif p.exists():
            files.append(p)
    return files


def read_interviews(paths: Iterable[Path]) -> list[tuple[Path, dict]]:
    out = []
    for f in set_files(paths):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if "gold" in row:
                    out.append((f, row))
    return out


def _best(gold: list[dict], text: str) -> dict | None:
    scored = [(overlap(g["quote"], text), g) for g in gold]
    scored = [(s, g) for s, g in scored if s >= MATCH]
    return max(scored, key=lambda x: x[0])[1] if scored else None


def interview_examples(source: Path, row: dict) -> tuple[list[Example], dict[str, int]]:
    gold = row["gold"]
    units = interview_units(row.get("answers") or {}, row.get("notes") or "")
    out, covered = [], {"pain": set(), "workaround": set()}
    for u in units:
        pain = _best(gold.get("pains", []), u.text)
        work = _best(gold.get("workarounds", []), u.text)
        if pain is not None:
            covered["pain"].add(pain["quote"])
        if work is not None:
            covered["workaround"].add(work["quote"])
        sev = pain.get("severity") if pain else None
        out.append(
            Example(
                interview=str(row["id"]),
                segment=f"{source.stem}/{row.get('segment') or ''}",
                source=source.name,
                field=u.field,
                start=u.start,
                end=u.end,
                text=u.text,
                question=u.question,
                topic=u.topic,
                pain=int(pain is not None),
                workaround=int(work is not None),
                severity=SEVERITIES.index(sev) if sev in SEVERITIES else -1,
                pain_theme=(pain or {}).get("theme", ""),
                workaround_theme=(work or {}).get("theme", ""),
            )
        )
    stats = {
        "pain_gold": len(gold.get("pains", [])),
        "pain_covered": len(covered["pain"]),
        "workaround_gold": len(gold.get("workarounds", [])),
        "workaround_covered": len(covered["workaround"]),
    }
    return out, stats


def examples(paths: Iterable[Path] = DEFAULT_SETS) -> tuple[list[Example], dict[str, int]]:
    rows, total = [], {}
    for source, row in read_interviews(paths):
        ex, stats = interview_examples(source, row)
        rows.extend(ex)
        for k, v in stats.items():
            total[k] = total.get(k, 0) + v
        total["interviews"] = total.get("interviews", 0) + 1
    return rows, total


def held_out(keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """A seeded share (HOLDOUT) of each set's interviews, as (set file name, interview id): never trained on."""
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, interview in sorted(set(keys)):
        by_source[source].append(interview)
    held: set[tuple[str, str]] = set()
    rng = random.Random(SEED)
    for source, ids in sorted(by_source.items()):
        rng.shuffle(ids)
        held |= {(source, i) for i in ids[: max(1, round(len(ids) * HOLDOUT))]}
    return held


def split(rows: list[Example]) -> tuple[list[Example], list[Example]]:
    """Training and held-out units (held_out)."""
    held = held_out((r.source, r.interview) for r in rows)
    train = [r for r in rows if (r.source, r.interview) not in held]
    test = [r for r in rows if (r.source, r.interview) in held]
    return train, test


def match_pairs(gold: list[str], said: list[str]) -> list[tuple[int, int]]:
    """score.py's matching: (gold index, said index) pairs, greedy one-to-one by overlap >= MATCH."""
    pairs = sorted(((overlap(g, t), i, j) for i, g in enumerate(gold) for j, t in enumerate(said)), reverse=True)
    used_g, used_s, out = set(), set(), []
    for score, i, j in pairs:
        if score >= MATCH and i not in used_g and j not in used_s:
            used_g.add(i)
            used_s.add(j)
            out.append((i, j))
    return out


def match_count(gold: list[str], said: list[str]) -> int:
    """How many gold quotes score.py would find among what was said."""
    return len(match_pairs(gold, said))


def mention_f1(
    rows: list[Example], scores: list[float], gold: dict[tuple[str, str], list[str]], threshold: float
) -> tuple[float, float, float]:
    """Precision, recall and F1 of the units scored >= threshold as mentions, matched to each interview's gold
    quotes the way score.py matches them (so two units of one quote count once)."""
    said: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r, s in zip(rows, scores, strict=True):
        if s >= threshold:
            said[(r.source, r.interview)].append(r.text)
    found = sum(match_count(quotes, said.get(key, [])) for key, quotes in gold.items())
    n_said, n_gold = sum(len(v) for v in said.values()), sum(len(v) for v in gold.values())
    p, r = found / n_said if n_said else 0.0, found / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def choose_threshold(
    rows: list[Example], scores: Sequence[float], gold: dict[tuple[str, str], list[str]]
) -> tuple[float, tuple[float, float, float]]:
    """The threshold on the best plateau of mention F1 on these (held-out) units' interviews: the best
    F1 averaged with its two neighbours on the grid (ties: nearest 0.5). On a few interviews F1 is often
    flat across a wide range with one spike, and a spike does not carry to new text. Only points with a
    neighbour on each side are candidates: an end of the grid, averaged with one neighbour, would win
    wherever F1 still rises towards it."""
    held = {(r.source, r.interview) for r in rows}
    gold = {k: v for k, v in gold.items() if k in held}
    grid = [round(0.15 + 0.05 * k, 2) for k in range(17)]  # 0.15 .. 0.95: candidates 0.2 .. 0.9
    scored = [mention_f1(rows, list(scores), gold, t) for t in grid]
    plateau = {k: sum(f for _, _, f in scored[k - 1 : k + 2]) / 3 for k in range(1, len(grid) - 1)}
    best = max(plateau, key=lambda k: (plateau[k], -abs(grid[k] - 0.5)))
    return grid[best], scored[best]


def gold_quotes(paths: Iterable[Path], kind: str) -> dict[tuple[str, str], list[str]]:
    """(set file name, interview id) -> the gold quotes of a kind ("pains", "workarounds")."""
    rows = read_interviews(paths)
    return {(src.name, str(row["id"])): [g["quote"] for g in row["gold"].get(kind, [])] for src, row in rows}


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or list(DEFAULT_SETS)
    rows, total = examples(paths)
    print(
        f"{total.get('interviews', 0)} interviews, {len(rows)} units: "
        f"{sum(r.pain for r in rows)} pain units, {sum(r.workaround for r in rows)} workaround units"
    )
    for kind in ("pain", "workaround"):
        g, c = total.get(f"{kind}_gold", 0), total.get(f"{kind}_covered", 0)
        print(f"{kind}: {c}/{g} gold quotes fall on a unit ({c / max(g, 1):.0%}: the recall a unit model can reach)")


if __name__ == "__main__":
    main(sys.argv[1:])


__all__ = ["Example", "asdict", "examples", "overlap"]
