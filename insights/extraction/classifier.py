"""The trained unit model: is this unit a pain, a workaround, and how bad; and where it sits in meaning.

The model (model/model.onnx, int8) is all-MiniLM-L6-v2 fine-tuned on labelled interviews by
`make train` (training/train.py); it runs on onnxruntime, one thread, loaded once per process.
`sift_unit_classifier` puts it in the spaCy pipeline: it scores the units a doc carries in
`doc.user_data["sift_units"]`, batching units across docs in `nlp.pipe`.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .encoding import configure, encode, unit_context
from .families import FamilyError, softmax
from .families import load as load_families
from .types import SEVERITIES
from .units import is_free_text

MODEL_DIR = Path(__file__).resolve().parent / "model"
# The model version this code reads (its outputs and thresholds); `make train` writes it to meta.json.
MODEL_VERSION = "2026.12.07.4"
BATCH = 64
COMPONENT = "sift_unit_classifier"


# Where a unit was said, each with thresholds of its own (training/calibrate.py): an answer to one
# script question ("form") is short and on its topic, and the model is surer of it than of a sentence
# in typed notes or a transcript ("free_text").
REGISTERS = ("free_text", "form")


def register_of(field: str) -> str:
    return "free_text" if is_free_text(field) else "form"


class ModelError(RuntimeError):
    """The shipped model is missing, damaged or of another version than the code expects."""


@dataclass(frozen=True)
class UnitScore:
    pain: float  # probability the unit states a pain
    workaround: float
    severity: str  # the most likely severity, were it a pain
    severity_rank: float  # the expected severity, 0 (low) to 3 (very high): to compare units
    embedding: np.ndarray  # unit vector where units of one theme sit together

    def is_pain(self, model: UnitModel, *, register: str) -> bool:
        return self.pain >= model.thresholds[register]["pain"]

    def is_workaround(self, model: UnitModel, *, register: str) -> bool:
        return self.workaround >= model.thresholds[register]["workaround"]


class UnitModel:
    def __init__(self, directory: Path = MODEL_DIR):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta_file, onnx_file = directory / "meta.json", directory / "model.onnx"
        if not meta_file.exists() or not onnx_file.exists():
            raise ModelError(f"no trained model in {directory}: run `make train`, or check out the model files")
        self.meta = json.loads(meta_file.read_text())
        if self.meta.get("version") != MODEL_VERSION:
            raise ModelError(
                f"model in {directory} is version {self.meta.get('version')!r}, the code expects {MODEL_VERSION!r}"
            )
        digest = hashlib.sha256(onnx_file.read_bytes()).hexdigest()
        if digest != self.meta.get("sha256"):
            raise ModelError(f"{onnx_file} does not match the checksum in meta.json (damaged or replaced)")
        self.thresholds: dict[str, dict[str, float]] = self.meta["thresholds"]  # register -> kind -> threshold
        try:
            self.families = load_families(directory, self.meta.get("families"), int(self.meta["outputs"]["embedding"]))
        except (FamilyError, KeyError, OSError) as e:
            raise ModelError(
                f"the model's family heads do not load ({e}): run `make train`, or check out the model files"
            ) from e
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # a worker is one process on one core
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.tokenizer = configure(Tokenizer.from_file(str(directory / "tokenizer.json")))

    @property
    def version(self) -> str:
        return str(self.meta["version"])

    def _run(self, pairs: Sequence[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
        logits, embedding = self.session.run(["logits", "embedding"], encode(self.tokenizer, pairs))
        return logits, embedding

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[UnitScore]:
        """Scores for (question, unit) pairs, in order. Batches of similar length, so little padding."""
        pairs = [(unit_context(q), u) for q, u in pairs]
        order = sorted(range(len(pairs)), key=lambda k: len(pairs[k][0][-200:]) + len(pairs[k][1]))
        out: list[UnitScore | None] = [None] * len(pairs)
        for k in range(0, len(order), BATCH):
            idx = order[k : k + BATCH]
            logits, embedding = self._run([pairs[i] for i in idx])
            probs = 1 / (1 + np.exp(-logits[:, :2]))
            sev = softmax(logits[:, 2:])
            for row, i in enumerate(idx):
                out[i] = UnitScore(
                    pain=float(probs[row, 0]),
                    workaround=float(probs[row, 1]),
                    severity=SEVERITIES[int(logits[row, 2:].argmax())],
                    severity_rank=float(sev[row] @ np.arange(len(SEVERITIES))),
                    embedding=embedding[row],
                )
        return [s for s in out if s is not None]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of quotes with no question (the grouping's view of a mention), one quote per run:
        the int8 model quantises a batch's activations together, so in a batch a quote's vector would
        move with its neighbours, and its theme with them, as a worker's cache fills or empties."""
        if not texts:
            return np.zeros((0, int(self.meta["outputs"]["embedding"])), dtype=np.float32)
        return np.stack([self._run([(unit_context(""), t)])[1][0] for t in texts])


@functools.lru_cache(maxsize=1)
def get_model() -> UnitModel:
    return UnitModel()


class UnitClassifier:
    """spaCy component: scores the units set on a doc (`doc.user_data["sift_units"]`: (start, end, question)
    char spans) into `doc.user_data["sift_scores"]`. A doc without units passes through."""

    def __init__(self, model: UnitModel | None = None):
        self._model = model

    @property
    def model(self) -> UnitModel:
        if self._model is None:
            self._model = get_model()
        return self._model

    def __call__(self, doc):
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable, batch_size: int = 32) -> Iterator:
        batch: list = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._score(batch)
                batch = []
        if batch:
            yield from self._score(batch)

    def _score(self, docs: list) -> list:
        pairs = [(q, doc.text[s:e]) for doc in docs for s, e, q in doc.user_data.get("sift_units", ())]
        scores = iter(self.model.score(pairs)) if pairs else iter(())
        for doc in docs:
            doc.user_data["sift_scores"] = [next(scores) for _ in doc.user_data.get("sift_units", ())]
        return docs


def register() -> None:
    """Register the component with spaCy (once); kept in a function so importing this module never imports spaCy."""
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.factory(COMPONENT, func=lambda nlp, name: UnitClassifier())
