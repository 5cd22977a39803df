"""Choose the unit model's thresholds on held-out training interviews, with the model as it ships.

train.py exports the fine-tuned model to int8 ONNX, and quantisation moves its probabilities
(meta.json's export_check: up to 0.46 on one unit), so a threshold chosen on the float model is off
for the model the runtime loads: on the held-out units of model 2026.12.07.3, 0.65 chosen on the
float model gave pain F1 0.639 where the int8 model's own best, 0.45, gives 0.651. Here the shipped
model scores the held-out units (training.prepare.split) and, for each register (classifier.REGISTERS:
answers to one script question, or free text), the threshold with the best mention F1 under the
scorer's matching is written to meta.json. Runs in the project's environment, after train.py:

    .venv/bin/python -m training.calibrate [SET ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insights.extraction.classifier import MODEL_DIR, REGISTERS, UnitModel, register_of  # noqa: E402
from training.prepare import DEFAULT_SETS, choose_threshold, examples, gold_quotes, split  # noqa: E402

KINDS = ("pain", "workaround")


def thresholds(sets: list[Path], model: UnitModel) -> dict[str, dict[str, float]]:
    """register -> kind -> threshold; a register with no held-out interviews takes the pooled choice."""
    rows, _ = examples(sets)
    _, held = split(rows)
    # Scored one interview at a time, as the worker scores them: the int8 model quantises its
    # activations per batch, so a unit's probability moves a little with the units batched beside it.
    by_interview: dict[tuple[str, str], list[int]] = {}
    for k, r in enumerate(held):
        by_interview.setdefault((r.source, r.interview), []).append(k)
    scores: list = [None] * len(held)
    for ks in by_interview.values():
        for k, s in zip(ks, model.score([(held[k].question, held[k].text) for k in ks]), strict=True):
            scores[k] = s
    chosen: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        gold = gold_quotes(sets, kind + "s")
        values = [getattr(s, kind) for s in scores]
        pooled, (p, r, f) = choose_threshold(held, values, gold)
        print(f"{kind}: {pooled} for all held-out units (F1 {f:.3f}, P {p:.3f} / R {r:.3f})")
        for register in REGISTERS:
            mine = [k for k, row in enumerate(held) if register_of(row.field) == register]
            t = pooled
            if mine:
                t, (p, r, f) = choose_threshold([held[k] for k in mine], [values[k] for k in mine], gold)
                interviews = len({(held[k].source, held[k].interview) for k in mine})
                print(
                    f"  {register}: {t} (F1 {f:.3f}, P {p:.3f} / R {r:.3f};"
                    f" {len(mine)} units of {interviews} interviews)"
                )
            chosen.setdefault(register, {})[kind] = t
    return chosen


def update_meta(model_dir: Path, key: str, value: object) -> None:
    """Store what was chosen for a trained model in its meta.json, beside the model it belongs to."""
    meta_file = model_dir / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta[key] = value
    meta_file.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    print(f"wrote the {key} into {meta_file}")


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*", type=Path, default=list(DEFAULT_SETS))
    ap.add_argument("--model", type=Path, default=MODEL_DIR)
    args = ap.parse_args(argv)
    update_meta(args.model, "thresholds", thresholds(args.sets, UnitModel(args.model)))


if __name__ == "__main__":
    main(sys.argv[1:])
