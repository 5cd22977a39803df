#!/usr/bin/env python3
"""Score segment-level theme grouping (insights.extraction.grouping) against a gold-labelled set.

Runs the real extractor over the set, groups each segment's pains and workarounds with
group_mentions, builds the export structure and scores it with the shared scorer. The numbers to
watch are theme_b3_f1 (pains) and workaround_theme_b3_f1.

Also printed, for comparison:
  - "extractor keys": the same mentions themed by the extractor's proposed key alone (no grouping);
  - "gold quotes": group_mentions over the GOLD quotes with no proposed key (text only), i.e. what
    the grouping does by itself with perfect extraction and no help from the extractor's keys.

    .venv/bin/python bench/score_themes.py                       # ../shared/eval/dev.jsonl
    .venv/bin/python bench/score_themes.py SET.jsonl --score PATH/score.py --groups
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insights.extraction.grouping import GroupItem, group_mentions, group_name, mention_context  # noqa: E402

KINDS = (("pain", "pains"), ("workaround", "workarounds"))


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("sift_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def field_text(interview: dict, field: str) -> str:
    """The text of one of the interview's fields: an answer by script key, or "notes"."""
    if field == "notes":
        return interview.get("notes") or ""
    return (interview.get("answers") or {}).get(field) or ""


def quote_context(interview: dict, quote: str) -> str:
    """Context of a quote located by search (gold quotes carry no offsets): first field holding it."""
    for field in [*sorted(interview.get("answers") or {}), "notes"]:
        text = field_text(interview, field)
        at = text.find(quote)
        if at >= 0:
            return mention_context(text, at, at + len(quote))
    return ""


def regroup(interviews, per_interview_mentions, use_keys=True, use_context=True):
    """mentions: per interview, a list of dicts with kind, quote, theme_key. Returns id -> theme."""
    items_by_seg = defaultdict(list)
    for it, mentions in zip(interviews, per_interview_mentions, strict=True):
        seg = it.get("segment") or "eval"
        for n, m in enumerate(mentions):
            if m["kind"] in ("pain", "workaround"):
                items_by_seg[seg].append(
                    GroupItem(
                        id=f"{it['id']}#{n}",
                        kind=m["kind"],
                        text=m["quote"],
                        theme_key=m.get("theme_key", "") if use_keys else "",
                        interview=str(it["id"]),
                        context=m.get("context", "") if use_context else "",
                    )
                )
    out, seconds = {}, 0.0
    for _seg, items in sorted(items_by_seg.items()):
        t0 = time.perf_counter()
        out.update(group_mentions(items))
        seconds += time.perf_counter() - t0
    return out, items_by_seg, seconds


def rows_for(interviews, per_interview_mentions, extractions, themes):
    rows = {}
    for it, mentions, ex in zip(interviews, per_interview_mentions, extractions, strict=True):
        rows[str(it["id"])] = {
            "id": it["id"],
            "hours_per_week": ex.hours_per_week if ex else None,
            "wtp": ex.wtp if ex else None,
            "risk_amount": ex.risk_amount if ex else None,
            "mentions": [
                {
                    "kind": m["kind"],
                    "quote": m["quote"],
                    "severity": m.get("severity"),
                    "theme": themes.get(f"{it['id']}#{n}", m.get("theme_key", "")),
                }
                for n, m in enumerate(mentions)
            ],
        }
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", nargs="?", default=str(ROOT.parent / "shared/eval/dev.jsonl"))
    ap.add_argument("--score", default=str(ROOT.parent / "shared/eval/score.py"), help="path to the shared score.py")
    ap.add_argument("--groups", action="store_true", help="print each segment's groups with their names")
    ap.add_argument("--json", default=None, help="also write the report here")
    args = ap.parse_args()

    from insights.extraction import extract_many

    scorer = load_scorer(Path(args.score))
    interviews = [json.loads(line) for line in Path(args.set).read_text().splitlines() if line.strip()]
    extractions = extract_many([(it.get("answers") or {}, it.get("notes") or "") for it in interviews])
    system = [
        [
            {
                "kind": m.kind,
                "quote": m.quote,
                "theme_key": m.theme_key,
                "severity": m.severity,
                "context": mention_context(field_text(it, m.field), m.start, m.end),
            }
            for m in sorted(ex.mentions, key=lambda m: (m.field, m.start))
        ]
        for it, ex in zip(interviews, extractions, strict=True)
    ]
    themes, items_by_seg, seconds = regroup(interviews, system)
    # What the Django side gets while it does not pass context yet.
    bare, _, _ = regroup(interviews, system, use_context=False)
    no_context = scorer.score(interviews, rows_for(interviews, system, extractions, bare))
    report = scorer.score(interviews, rows_for(interviews, system, extractions, themes))
    keys_only = scorer.score(interviews, rows_for(interviews, system, extractions, {}))
    gold = [
        [
            {"kind": kind, "quote": g["quote"], "theme_key": "", "context": quote_context(it, g["quote"])}
            for kind, key in KINDS
            for g in it["gold"].get(key, [])
        ]
        for it in interviews
    ]
    gold_themes, _, _ = regroup(interviews, gold, use_keys=False)
    ceiling = scorer.score(interviews, rows_for(interviews, gold, [None] * len(interviews), gold_themes))

    if args.groups:
        for seg, items in sorted(items_by_seg.items()):
            for kind in ("pain", "workaround"):
                members = defaultdict(list)
                for item in items:
                    if item.kind == kind:
                        members[themes[item.id]].append(item)
                print(f"== {seg} / {kind}: {len(members)} groups")
                for key, group in sorted(members.items(), key=lambda kv: -len(kv[1])):
                    name = group_name([i.text for i in group], [i.theme_key for i in group])
                    print(f"  [{key}] {name} ({len(group)})")
                    for i in group:
                        print(f"      {i.theme_key:18} | {i.text[:90]}")
    summary = {
        "theme_b3_f1": report["theme_b3_f1"],
        "theme_b3_precision": report["theme_b3_precision"],
        "theme_b3_recall": report["theme_b3_recall"],
        "workaround_theme_b3_f1": report["workaround_theme_b3_f1"],
        "no_context_theme_b3_f1": no_context["theme_b3_f1"],
        "no_context_workaround_theme_b3_f1": no_context["workaround_theme_b3_f1"],
        "extractor_keys_theme_b3_f1": keys_only["theme_b3_f1"],
        "extractor_keys_workaround_theme_b3_f1": keys_only["workaround_theme_b3_f1"],
        "gold_quotes_theme_b3_f1": ceiling["theme_b3_f1"],
        "gold_quotes_workaround_theme_b3_f1": ceiling["workaround_theme_b3_f1"],
        "pain_f1": report["pain_f1"],
        "workaround_f1": report["workaround_f1"],
        "grouping_seconds": round(seconds, 3),
    }
    print(json.dumps(report, indent=2))
    print(json.dumps(summary, indent=2))
    print(
        "pain theme B3 {theme_b3_f1} (no context {no_context_theme_b3_f1}, "
        "extractor keys {extractor_keys_theme_b3_f1}, "
        "gold quotes {gold_quotes_theme_b3_f1}) | "
        "workaround theme B3 {workaround_theme_b3_f1} (no context {no_context_workaround_theme_b3_f1}, "
        "extractor keys {extractor_keys_workaround_theme_b3_f1}, "
        "gold quotes {gold_quotes_workaround_theme_b3_f1}) | grouping {grouping_seconds}s".format(**summary)
    )
    if args.json:
        Path(args.json).write_text(json.dumps({"report": report, "summary": summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
