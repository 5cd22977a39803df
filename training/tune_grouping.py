"""Choose the grouping's knobs on held-out training interviews and store them with the model.

The held-out share of each labelled set (training.prepare.held_out: never trained on) is
extracted as the product would, each set's segment regrouped with every candidate setting, and
the setting with the best pain (workaround) theme B-cubed against the gold themes is written to
the model's meta.json under "grouping". Runs in the project's environment (spaCy, onnxruntime):

    .venv/bin/python -m training.tune_grouping [SET ...]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insights.extraction.classifier import MODEL_DIR  # noqa: E402
from insights.extraction.extractor import answer_position, extract  # noqa: E402
from insights.extraction.families import FamilyHead  # noqa: E402
from insights.extraction.grouping import PAIN_PARAMS, WORKAROUND_PARAMS, GroupItem, Params, group_mentions  # noqa: E402
from insights.extraction.units import is_free_text  # noqa: E402
from training.agreement import bcubed  # noqa: E402
from training.calibrate import update_meta  # noqa: E402
from training.prepare import DEFAULT_SETS, held_out, match_pairs, read_interviews  # noqa: E402

# Only knobs that keep a pair's similarity to the pair and its interviews (no segment IDF, no
# segment-wide key settling), so adding an interview changes no theme it does not touch.
GRID = {
    "linkage": ("single",),
    "key_merge": ("all", "concepts"),
    "near_chars": (0, 150, 300),
    "lex_weight": (0.2, 0.35, 0.5, 0.75, 1.0),
    "threshold": (0.7, 0.75, 0.8, 0.85, 0.9, 0.95),
    "same_interview_bonus": (0.0, 0.1),
    "same_key_bonus": (0.0, 0.15),
}
GOLD_KEY = {"pain": "pains", "workaround": "workarounds"}
NEAR_BEST = 0.005  # B-cubed differences below this are noise on the held-out share


def held_out_rows(sets: list[Path]) -> list[tuple[Path, dict]]:
    """The held-out share of the labelled sets (training.prepare.held_out): (set file, interview)."""
    rows = read_interviews(sets)
    held = held_out((src.name, str(r["id"])) for src, r in rows)
    return [(src, r) for src, r in rows if (src.name, str(r["id"])) in held]


def segments(rows: list[tuple[Path, dict]]) -> list[dict]:
    """Interviews by (set, segment), extracted: the items to group and the gold theme of each matched one."""
    # One interview at a time, as the worker extracts: the int8 model's scores move with their batch.
    extractions = [extract(answers=r.get("answers") or {}, notes=r.get("notes") or "") for _, r in rows]
    out: dict[tuple[str, str, str], dict] = defaultdict(lambda: {"items": [], "gold": {}, "topics": {}})
    for (src, row), ex in zip(rows, extractions, strict=True):
        for kind, key in GOLD_KEY.items():
            seg = out[(src.name, row.get("segment") or "", kind)]
            seg["topics"][str(row["id"])] = ex.topics
            mine = [(k, m) for k, m in enumerate(ex.mentions) if m.kind == kind]
            for k, m in mine:
                seg["items"].append(
                    GroupItem(
                        id=f"{row['id']}#{k}",
                        kind=kind,
                        text=m.quote,
                        theme_key=m.theme_key,
                        interview=str(row["id"]),
                        candidates=m.candidates,
                        said_at=(answer_position(m.field), m.start),
                        free_text=is_free_text(m.field),
                    )
                )
            gold = row["gold"].get(key, [])
            for i, j in match_pairs([g["quote"] for g in gold], [m.quote for _, m in mine]):
                seg["gold"][f"{row['id']}#{mine[j][0]}"] = gold[i]["theme"]
    return [dict(v, kind=k[2], set=k[0], name=f"{k[0]}/{k[1]}") for k, v in out.items() if len(v["gold"]) >= 2]


def score(segs: list[dict], kind: str, params: Params, *, families: Mapping[str, FamilyHead] | None = None) -> float:
    """Mean B-cubed F1 over the segments, weighted by matched mentions (no family heads unless given)."""
    total = weight = 0.0
    for seg in segs:
        if seg["kind"] != kind:
            continue
        groups = group_mentions(seg["items"], topics=seg["topics"], params={kind: params}, families=families or {})
        pairs = [(gold, groups[item]) for item, gold in seg["gold"].items()]
        total += bcubed(pairs) * len(pairs)
        weight += len(pairs)
    return total / weight if weight else 0.0


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*", type=Path, default=list(DEFAULT_SETS))
    ap.add_argument("--model", type=Path, default=MODEL_DIR)
    args = ap.parse_args(argv)
    segs = segments(held_out_rows(args.sets))
    print(f"{len(segs)} held-out segment groupings")
    chosen: dict[str, dict] = {}
    for kind, base in (("pain", PAIN_PARAMS), ("workaround", WORKAROUND_PARAMS)):
        names = list(GRID)
        scored = []
        for values in itertools.product(*(GRID[n] for n in names)):
            params = replace(base, **dict(zip(names, values, strict=True)))
            scored.append((round(score(segs, kind, params), 4), values))
        # B-cubed is flat across many settings: of those within NEAR_BEST of the best, the most
        # cautious (highest threshold), since a wrong merge hides a pain inside another's row until a
        # reviewer splits it, while two themes of one problem sit side by side in the matrix.
        top = max(s for s, _ in scored)
        near = [(s, v) for s, v in scored if s >= top - NEAR_BEST]
        best_score, best = max(near, key=lambda s: (s[1][names.index("threshold")], s[0]))
        print(f"{kind}: {len(near)} of {len(scored)} settings within {NEAR_BEST} of the best ({top:.3f})")
        chosen[kind] = {**dict(zip(names, best, strict=True)), "held_out_b3": best_score}
        print(f"{kind}: theme B3 {best_score:.3f} on held-out interviews with {dict(zip(names, best, strict=True))}")
        print(f"  (the defaults: {score(segs, kind, base):.3f} with {asdict(base)})")
    update_meta(args.model, "grouping", chosen)


if __name__ == "__main__":
    main(sys.argv[1:])
