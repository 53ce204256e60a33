"""Deterministic synthetic hub snapshots with realistic distributions (``hubmine hub generate``).

``generate(out_dir, models=N, seed=S, day=D)`` writes a snapshot directory (format: ``SNAPSHOT.md``)
that depicts the date ``start + D days``:

* Model ``i``'s static attributes come from a random stream seeded by ``(seed, i)`` plus the
  lineage state of the models before it (parents are always earlier models), so generating N or
  2N models gives the same first N models, and the snapshot streams to millions of models while
  holding only the candidate parents in memory.
* Day ``d >= 1`` changes each model with probability ``daily_change``, decided by a hash of
  ``(seed, i, d)``: a new commit dated that day (card edit, weight change with a new LFS oid, or a
  config change) and more downloads/likes. Day ``D`` replays days ``1..D``; models not picked on
  day ``D`` are byte-identical to day ``D-1``. :func:`changed_models` tells which ones were picked.
* Distributions follow the Hub: exponential growth of createdAt since 2019 (older repos carry the
  placeholder ``2022-03-02T23:29:04.000Z``), Zipf-like authors (a few orgs with thousands of repos,
  a long tail of single-repo users), heavy-tailed downloads (many zeros) with correlated likes,
  base-model trees rooted at real foundation models (finetune / adapter / quantized / merge, the
  relation sometimes undeclared so it must be inferred from files), cards of every quality (none,
  one-liners, Trainer and AutoTrain boilerplate, the empty or partly filled official template,
  quantization and mergekit cards, rich cards, ~0.5% malformed YAML), carbon metadata on a few
  percent, commit histories with weight-file and card changes.
* ``plant_wsb=K`` plants K base-model families whose derivatives' createdAt follow the
  Wang–Song–Barabási curve with known parameters (recorded in meta ``planted_wsb``), as ground
  truth for the forecasting analysis. The N children of a family sit at the curve's quantiles
  (j + 0.5) / N rather than at random draws, so its cumulative count at any time is the curve
  rounded to a whole number: with random draws a family of a few hundred children pins λ down only
  to about ±60% (Poisson noise), and no fit could be checked against the truth. N depends on the
  total model count, so planted children's dates (only theirs) are not prefix-stable.
  ``plant_share`` sets the share of all models that are planted children (default
  min(0.02·K, 0.2)); ``plant_spread=R`` makes the families' expected sizes a geometric series from
  the smallest to R times it (default 1: equal), assigned to the families in random order, so one
  hub holds families of 50 and of 2,000 derivatives.
"""

from __future__ import annotations

import bisect
import calendar
import hashlib
import json
import math
import multiprocessing
import os
import pickle
import shutil
import sqlite3
import time
import traceback
import zlib
from collections.abc import Callable
from pathlib import Path
from queue import Empty
from random import Random
from statistics import NormalDist
from typing import Any

import numpy as np

from replayhub.snapshot import (
    DB_NAME,
    Commit,
    ModelRows,
    SnapshotError,
    SnapshotWriter,
    commit_row,
    file_entry,
    lfs_entry,
    model_rows,
)
from replayhub.synth import text as T
from replayhub.synth.text import Weighted, pick

GENERATOR_VERSION = "hubmine-generate/2"
SOURCE = "generate"

DAY = 86_400
EPOCH_START = calendar.timegm((2019, 1, 1, 0, 0, 0))
PLACEHOLDER_UNTIL = calendar.timegm((2022, 3, 2, 23, 29, 4))
# The Hub roughly doubled its model count every year; this reproduces the ~3% of placeholder dates.
GROWTH_PER_DAY = math.log(2) / 365.25
# Catalog roots are spread over the first positions so that early models already have parents.
ROOT_STEP = 5
MAX_DEPTH = 4
MAX_BASE_COMMITS = 30
# Share of weight modifications whose commit also edits README.md (the rest change weights silently;
# Ajibode et al. 2025 find 40.87% of weight changes come without a version or card change).
P_CARD_WITH_WEIGHTS = 0.55

_ROOTS = sorted(T.ROOTS, key=lambda x: x["date"])
_TASKS = {c: Weighted(v["tasks"]) for c, v in T.CLASSES.items()}
_LLM_TAGS = [["generated_from_trainer"], ["trl", "sft", "generated_from_trainer"], ["unsloth", "trl", "sft"],
             ["trl", "dpo"], ["axolotl"], ["text-generation-inference"], []]
_QUANT_NOTES = ["", "fast, recommended", "good quality", "very good quality", "smallest, significant quality loss"]
_VERSIONS = ["v1", "v2", "v0.1", "v0.2", "v1.1", "v2.1", "v3", "V2", "v1.0", "v4", "v1.5", "v0.3"]
_DATES = ["2407", "2501", "2409", "2412", "2503", "2506", "0628", "20240312", "2024-05", "2311"]
# Naming practices per kind of derivative: base-model stem + suffixes (task, dataset, language, size,
# training mechanism, version, date), brand names, and the defaults of tools (Trainer, AutoTrain, PEFT).
_NAMES = {
    "gguf-user": ["{stem}-{q}-GGUF", "{stem}-{q}-GGUF", "{stem}-GGUF", "{stem_l}-gguf", "{stem}-{q_l}"],
    "gguf": ["{stem}-GGUF"], "gguf-i1": ["{stem}-i1-GGUF"],
    "awq": ["{stem}-AWQ", "{stem}-awq", "{stem}-AWQ-4bit"],
    "gptq": ["{stem}-GPTQ", "{stem}-GPTQ-Int4", "{stem}-gptq-4bit"],
    "bnb": ["{stem}-bnb-4bit", "{stem}-unsloth-bnb-4bit", "{stem}-4bit", "{stem}-nf4"],
    "mlx": ["{stem}-4bit", "{stem}-8bit", "{stem}-MLX-4bit", "{stem}-mlx"],
    "exl2": ["{stem}-exl2", "{stem}-{bpw}bpw-exl2"],
    "fp8": ["{stem}-FP8", "{stem}-FP8-Dynamic", "{stem}-fp8"],
    "onnx": ["{stem}", "{stem}", "{stem}-onnx", "{stem}_onnx", "{stem}-int8"],
    "merge": ["{brand}-{size}-slerp", "{brand}{brand2}-{size}", "{fam}-{size}-{meth}-merge", "{brand}-{brand2}-{size}",
              "{brand}-{size}-{ver}", "{fam}-{brand}-{size}", "{stem}-merged", "{brand}-{meth}-{size}",
              "{brand}-{size_l}-{date}", "Frankenmerge-{size}"],
    "sd-lora": ["{subj}-lora", "{subj}-{base}-lora", "{base}-{subj}", "{Subj}_Style_LoRA", "{subj}-lora-{ver}",
                "lora-{subj}", "{word}-{subj}", "{base}-{subj}-lora"],
    "lora": ["{stem}-lora", "{stem}-{ds}-lora", "{fam}-{size}-{descr}-qlora", "lora-{fam}-{ds}", "{stem}-sft-lora",
             "{stem}-adapter", "{descr}-adapter-{ver}", "outputs", "checkpoint-{ckpt}", "{fam_l}-{ds}-lora",
             "{stem}_{ds}_lora_r{rank}", "{stem}-{task0}-peft", "{fam}-{size}-{nat}-lora", "my-{descr}-lora"],
    "llm": ["{stem}-{ds}", "{stem}-finetuned-{ds}", "{stem}-{train}", "{brand}-{fam}-{size}",
            "{brand}-{gen}-{tier}-{fam}-{size}", "{brand}-{gen}-{fam}-{size}", "{fam}-{size}-{descr}",
            "{stem}-{descr}-{ver}", "{fam}-{size}-{Nat}-{train}", "{stem}_{ds}_{train}", "{descr}-{size_l}-{date}",
            "{stem_l}-{train}-{ds}", "{brand}-{size}-{ver}", "{stem}-{train}-lr{lr}-e{ep}", "{fam_l}-{descr}",
            "{brand}{brand2}-{size}", "my-{descr}-model", "{stem}-{train}-{ds}-{ver}", "{nat}-{fam_l}-{size_l}"],
    "asr": ["{stem}-{lang}", "{stem}-{ln}", "{stem}-{ds}-{lang}", "{stem}-{lang}-{ver}", "{stem}-finetuned-{ds}",
            "{fam}-{ln}-{size}", "{stem}-{ln}-{date}", "{stem}-{lang}-{ds}"],
    "sd": ["{subj}-diffusion", "{stem}-{subj}", "{subj}-dreambooth", "{word}-{subj}-{ver}", "{subj}-model-{ver}",
           "{Word}{brand}XL"],
    "autotrain": ["autotrain-{word}-{short}-{num}"],
    "encoder": ["{stem}-finetuned-{ds}", "{stem}-finetuned-{ds}", "{stem}-finetuned-{ds}-{lang}", "{stem}-{short}",
                "{stem}_{ds}", "{stem}-{ds}-{ver}", "my_awesome_{short0}_model", "{fam}-{nat}-{short}",
                "{short}-{fam}-{nat}", "{stem}-finetuned-{ds}-{date}", "{stem}-{short}-{lang}", "{fam}-{size}-{short}",
                "{stem}-finetuned-{short}", "{short}_{fam_l}", "{stem}-{ds}-epochs-{ep}"],
}
_P_DERIVED = {"finetune": 0.3, "adapter": 0.3, "quantized": 0.65, "merge": 0.75}
_USER_QUANT = Weighted({"gguf": 62, "awq": 8, "gptq": 9, "bnb": 9, "mlx": 6, "exl2": 3, "fp8": 3})
_GGUF_LIB_ORG = Weighted({None: 45, "gguf": 25, "transformers": 30})
_GGUF_LIB_USER = Weighted({None: 60, "gguf": 40})
# Card kinds by era: Trainer boilerplate dominates fine-tunes from 2021 on; the empty template grew later.
_STYLE_FT_2020 = Weighted({"minimal": 30, "rich": 25, "trainer": 25, "partial": 5})
_STYLE_FT_2022 = Weighted({"trainer": 50, "minimal": 18, "rich": 8, "partial": 6, "template": 8})
_STYLE_FT_LATER = Weighted({"trainer": 40, "template": 16, "partial": 10, "rich": 8, "minimal": 14})
_STYLE_PEFT = Weighted({"template": 45, "trainer": 35, "minimal": 10, "partial": 6, "rich": 4})
_STYLE_ST = Weighted({"st": 60, "trainer": 10, "template": 15, "minimal": 15})
_STYLE_MISC = Weighted({"minimal": 50, "template": 30, "partial": 10, "rich": 5, "trainer": 5})
_STYLE_MINOR_ROOT = Weighted({"rich": 50, "partial": 30, "minimal": 20})
_MASK64 = (1 << 64) - 1


def _ts(date: str) -> int:
    y, m, d = (int(x) for x in date[:10].split("-"))
    return calendar.timegm((y, m, d, 0, 0, 0))


# Dates when Hub practices started (LoRA adapters, quantized uploads, merges, declared base models).
_D2023_03 = _ts("2023-03-01")
_D2023_05 = _ts("2023-05-01")
_D2023_06 = _ts("2023-06-01")
_D2023_11 = _ts("2023-11-01")
_D2024_01 = _ts("2024-01-01")
_D2024_03 = _ts("2024-03-01")
_D2024_04 = _ts("2024-04-01")


def iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts))


# ----------------------------------------------------------------------------------------------
# Which models change on which day (vectorised: day D needs days 1..D for every model)
# ----------------------------------------------------------------------------------------------
def _splitmix(x: np.ndarray) -> np.ndarray:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _day_uniform(seed: int, first: int, count: int, days: np.ndarray) -> np.ndarray:
    """Uniform [0,1) per (model, day) for models first..first+count-1: shape (count, len(days))."""
    idx = np.arange(first, first + count, dtype=np.uint64)[:, None]
    salt = np.uint64((seed * 0xD1B54A32D192ED03 + 0x632BE59BD9B4E019) & _MASK64)
    with np.errstate(over="ignore"):
        x = _splitmix(idx * np.uint64(0x9E3779B97F4A7C15) ^ salt)
        x = _splitmix(x ^ (days.astype(np.uint64)[None, :] * np.uint64(0xC2B2AE3D27D4EB4F)))
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


# ----------------------------------------------------------------------------------------------
# Lineage state: candidate parents per class, chosen by fitness among those created earlier
# ----------------------------------------------------------------------------------------------
class Node:
    __slots__ = ("id", "name", "created", "depth", "cls", "family", "size", "params", "model_type", "arch",
                 "license", "dtype", "root", "chat")

    def __init__(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)


class Pools:
    """Candidate parents per class: foundation models (roots) and derivatives that caught on.

    A parent is drawn by fitness (Bianconi–Barabási-like preferential attachment) among the candidates
    created before the child; memory is O(candidates), not O(models).
    """

    def __init__(self):
        self.roots: dict[str, list[Node]] = {c: [] for c in T.CLASSES}
        self.root_cum: dict[str, list[float]] = {c: [] for c in T.CLASSES}
        self.derived: dict[str, list[Node]] = {c: [] for c in T.CLASSES}
        self.derived_cum: dict[str, list[float]] = {c: [] for c in T.CLASSES}
        self.catalog: dict[str, list[Node]] = {c: [] for c in T.CLASSES}

    def add(self, node: Node, weight: float, *, catalog: bool = False) -> None:
        if catalog:
            self.catalog[node.cls].append(node)
        nodes, cum = (self.roots, self.root_cum) if node.depth == 0 else (self.derived, self.derived_cum)
        c = cum[node.cls]
        c.append((c[-1] if c else 0.0) + weight)
        nodes[node.cls].append(node)

    @staticmethod
    def _draw(nodes: list[Node], cum: list[float], r: Random, before: int) -> Node | None:
        if not nodes:
            return None
        total = cum[-1]
        for _ in range(6):
            node = nodes[bisect.bisect_right(cum, r.random() * total)]
            if node.created < before and node.depth < MAX_DEPTH:
                return node
        return None

    def pick(self, cls: str, r: Random, before: int, p_derived: float = 0.3) -> Node | None:
        if r.random() < p_derived:
            node = self._draw(self.derived[cls], self.derived_cum[cls], r, before)
            if node is not None:
                return node
        node = self._draw(self.roots[cls], self.root_cum[cls], r, before)
        if node is not None:
            return node
        # Rarely reached (a child older than most candidates): the foundation models that existed by then.
        eligible = [n for n in self.catalog[cls] if n.created < before]
        return pick(r, eligible) if eligible else None


# ----------------------------------------------------------------------------------------------
# Constant file contents (deduplicated blobs)
# ----------------------------------------------------------------------------------------------
_GITATTR_OLD = (b"*.bin filter=lfs diff=lfs merge=lfs -text\n*.h5 filter=lfs diff=lfs merge=lfs -text\n"
                b"*.tflite filter=lfs diff=lfs merge=lfs -text\n*.tar.gz filter=lfs diff=lfs merge=lfs -text\n"
                b"*.ot filter=lfs diff=lfs merge=lfs -text\n*.onnx filter=lfs diff=lfs merge=lfs -text\n"
                b"*.msgpack filter=lfs diff=lfs merge=lfs -text\n")
_GITATTR_NEW = "".join(
    f"{p} filter=lfs diff=lfs merge=lfs -text\n" for p in (
        "*.7z", "*.arrow", "*.bin", "*.bz2", "*.ckpt", "*.ftz", "*.gz", "*.h5", "*.joblib", "*.lfs.*",
        "*.mlmodel", "*.model", "*.msgpack", "*.npy", "*.npz", "*.onnx", "*.ot", "*.parquet", "*.pb",
        "*.pickle", "*.pkl", "*.pt", "*.pth", "*.rar", "*.safetensors", "saved_model/**/*", "*.tar.*",
        "*.tar", "*.tflite", "*.tgz", "*.wasm", "*.xz", "*.zip", "*.zst", "*tfevents*")).encode()
_SPECIAL_TOKENS = {
    "bert": b'{"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]", "sep_token": "[SEP]", '
            b'"unk_token": "[UNK]"}',
    "roberta": b'{"bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>", "mask_token": "<mask>", '
               b'"pad_token": "<pad>", "sep_token": "</s>", "unk_token": "<unk>"}',
    "llama": b'{\n  "bos_token": {"content": "<s>", "lstrip": false, "normalized": false, "rstrip": false, '
             b'"single_word": false},\n  "eos_token": "</s>",\n  "unk_token": "<unk>"\n}\n',
    "chatml": b'{\n  "eos_token": {"content": "<|im_end|>", "lstrip": false, "normalized": false, '
              b'"rstrip": false, "single_word": false},\n  "pad_token": "<|endoftext|>"\n}\n',
}
_TRANSFORMERS_VERSIONS = ["4.6.1", "4.11.3", "4.17.0", "4.21.2", "4.26.1", "4.31.0", "4.35.2", "4.38.2",
                          "4.40.1", "4.44.2", "4.46.3", "4.48.3", "4.51.3", "4.53.2", "4.56.1", "4.57.0",
                          "5.0.0", "5.2.1"]
_TORCH_VERSIONS = ["1.8.1", "1.10.0", "1.13.1", "2.0.1", "2.1.0", "2.2.1", "2.3.0", "2.4.1", "2.5.1", "2.6.0",
                   "2.7.1", "2.8.0", "2.9.0"]


def _version_for(year_frac: float, table: list[str]) -> str:
    """A library version plausible for a date (2019.0 .. 2026.9 mapped onto the table)."""
    k = int((year_frac - 2019.0) / 7.9 * len(table))
    return table[max(0, min(len(table) - 1, k))]


class _Blob:
    """Memoised small files: content bytes -> (bytes) and per-family pseudo files without content."""

    def __init__(self):
        self.family_entries: dict[tuple[str, str], dict[str, Any]] = {}

    def family_file(self, path: str, family: str, size: int) -> dict[str, Any]:
        """A large non-LFS file (tokenizer.json, vocab.txt) shared by a family: listed, content not stored."""
        key = (path, family)
        e = self.family_entries.get(key)
        if e is None:
            e = {"type": "file", "path": path, "oid": hashlib.sha1(f"{family}/{path}".encode()).hexdigest(),
                 "size": size}
            if len(self.family_entries) > 100_000:
                self.family_entries.clear()
            self.family_entries[key] = e
        return e


def _nb_entry(path: str, r: Random, lo: int, hi: int) -> dict[str, Any]:
    """A per-repo non-LFS file whose content is not stored (the server sends filler bytes)."""
    return {"type": "file", "path": path, "oid": f"{r.getrandbits(160):040x}", "size": lo + int(r.random() * (hi - lo))}


def _lfs(path: str, r: Random, size: int) -> dict[str, Any]:
    return lfs_entry(path, f"{r.getrandbits(256):064x}", max(1, int(size)))


def _wsb_family(r: Random, share: float, k: int, cum: list[float] | None = None) -> int | None:
    """Which of k planted families model i's stream ``r`` makes it a child of (None: not planted);
    takes the stream's first draws, in model() and in the membership count of _plant alike. ``cum``:
    the families' cumulative size weights (None: all alike)."""
    if r.random() < share * k:
        if cum is None:
            return int(r.random() * k)
        return min(bisect.bisect_right(cum, r.random()), k - 1)
    return None


# ----------------------------------------------------------------------------------------------
# The generator
# ----------------------------------------------------------------------------------------------
class _Generator:
    def __init__(self, *, models: int, seed: int, start: str, plant_wsb: int, plant_share: float | None = None,
                 plant_spread: float = 1.0):
        self.n = models
        self.seed = seed
        self.start_ts = _ts(start)
        self.span_days = (self.start_ts - EPOCH_START) / DAY
        self.growth_norm = math.expm1(GROWTH_PER_DAY * self.span_days)
        self.pools = Pools()
        self.blobs = _Blob()
        # Case-insensitive repo-id uniqueness in O(1) memory: a fixed-size Bloom filter (its size must
        # not depend on N, or prefix stability breaks). A false positive only renames a repo.
        self.bloom = bytearray(1 << 24)  # 2^27 bits
        for x in _ROOTS:  # reserved up front: a repo generated before a foundation model cannot take its id
            self._claim(x["id"])
        self.user_cache: dict[int, str] = {}
        self.quant_orgs = [(o, w, _ts(a), _ts(b), fm) for o, w, a, b, fm in T.QUANT_ORGS]
        self.finetune_orgs = Weighted(T.FINETUNE_ORGS)
        self.class_by_year = {y: Weighted(t) for y, t in T.CLASS_BY_YEAR.items()}
        self.rel_by_class = {c: Weighted(t) for c, t in T.RELATION_BY_CLASS.items()}
        self.wsb_cum: list[float] | None = None
        self.wsb = self._plant(plant_wsb, plant_share, plant_spread)
        self.wsb_roots = {p["root"]: p for p in self.wsb}
        self.stats = {"readme_missing": 0, "placeholder_created": 0, "co2": 0, "with_base_model": 0,
                      "relation_declared": 0, "malformed_yaml": 0, "commits": 0, "downloads": 0,
                      "relations": {"finetune": 0, "adapter": 0, "quantized": 0, "merge": 0},
                      "changed_today": 0}

    # -- planted Wang–Song–Barabási families ----------------------------------------------------
    def _plant(self, k: int, plant_share: float | None = None, spread: float = 1.0) -> list[dict[str, Any]]:
        if k <= 0:
            return []
        r = Random(self.seed * 7_777_777 + 4242)
        eligible = [(pos, x) for pos, x in enumerate(_ROOTS)
                    if x["cls"] == "causal" and _ts(x["date"]) <= self.start_ts - 540 * DAY
                    and _ts(x["date"]) >= PLACEHOLDER_UNTIL]
        chosen = []
        while eligible and len(chosen) < k:
            chosen.append(eligible.pop(int(r.random() * len(eligible))))
        share = min(0.02, 0.2 / max(1, len(chosen))) if plant_share is None else plant_share / max(1, len(chosen))
        first = ROOT_STEP * len(_ROOTS)
        out = []
        for root_k, x in sorted(chosen):
            lam = 1.5 + 2.5 * r.random()
            mu = math.log(60 + 400 * r.random())
            sigma = 0.6 + 0.9 * r.random()
            t0 = _ts(x["date"]) + 12 * 3600
            horizon = (self.start_ts - t0) / DAY
            phi_t = NormalDist().cdf((math.log(horizon) - mu) / sigma)
            expected = share * max(0, self.n - first)
            m = expected / math.expm1(lam * phi_t) if expected else 0.0
            out.append({"root": x["id"], "root_pos": root_k * ROOT_STEP, "lambda": lam, "mu": mu, "sigma": sigma,
                        "m": m, "t0": iso(t0), "time_unit": "days", "share": share,
                        "expected_children": expected, "observed_until": iso(self.start_ts),
                        "_phi_t": phi_t, "_t0": t0})
        if spread != 1.0 and len(out) > 1:
            # Sizes in geometric progression, smallest to `spread` times it, in random order (not by
            # release date, which sets how long a family is observed). Drawn after the parameters so
            # that equal sizes (spread 1) keep the streams of earlier snapshots.
            ranks = list(range(len(out)))
            r.shuffle(ranks)
            weights = [spread ** (rank / (len(out) - 1)) for rank in ranks]
            total = sum(weights)
            self.wsb_cum = list(np.cumsum([w / total for w in weights]))
            for fam, w in zip(out, weights):
                fam["expected_children"] = share * len(out) * w / total * max(0, self.n - first)
        # Which models become whose children, decided by the same first draws model() makes, so each
        # family knows its size N up front and child j can take the curve's quantile (j + 0.5) / N.
        members: list[list[int]] = [[] for _ in out]
        for i in range(first, self.n):
            f = _wsb_family(Random((self.seed << 32) + i), share, len(out), self.wsb_cum)
            if f is not None:
                members[f].append(i)
        for fam, pos in zip(out, members):
            fam["_members"] = np.array(pos, np.int64)
            fam["children"] = len(pos)
            fam["m"] = len(pos) / math.expm1(fam["lambda"] * fam["_phi_t"])  # c(horizon) = N exactly
        return out

    # -- names --------------------------------------------------------------------------------
    def user(self, k: int) -> str:
        name = self.user_cache.get(k)
        if name is not None:
            return name
        r = Random((self.seed << 48) ^ (k * 0x9E3779B1) ^ 0x5DEECE66D)
        f, s, w = pick(r, T.FIRST_NAMES), pick(r, T.SURNAMES), pick(r, T.WORDS)
        v = int(r.random() * 10)
        digits = str(int(r.random() * 10 ** (1 + int(r.random() * 4))))
        w2 = pick(r, T.WORDS)
        name = [f"{f}{s}", f"{f}-{s}", f"{f}{s[:3]}", f"{f}{digits}", f"{w.capitalize()}{w2.capitalize()}",
                f"{f}{s[0]}{digits}", f"{w}-{w2}", f"{f.capitalize()}{s.capitalize()}",
                f"{w}{digits}", f"{s}-{f}"][v]
        if len(self.user_cache) > 500_000:
            self.user_cache.clear()
        self.user_cache[k] = name
        return name

    def random_user(self, r: Random) -> str:
        u = r.random()
        if u < 0.25:  # a newcomer: the long tail of single-repo accounts
            return self.user(1_000_000_000 + r.getrandbits(40))
        if u < 0.31:  # power users with hundreds or thousands of repos
            return self.user(500_000_000 + int(20 * (r.random() ** (-1 / 1.1) - 1)))
        return self.user(int(3000 * (r.random() ** (-1 / 0.8) - 1)) % 400_000_000)

    def org_member(self, org: str, r: Random) -> str:
        return self.user(300_000_000 + (zlib.crc32(org.encode()) % 1_000_000) * 4 + int(r.random() * 3))

    def _claim(self, repo_id: str) -> bool:
        """Mark a repo id as taken; False when it (probably) already was."""
        h = int.from_bytes(hashlib.blake2b(repo_id.lower().encode(), digest_size=16).digest(), "little")
        bits = [(h >> (27 * j)) & ((1 << 27) - 1) for j in range(4)]
        bf = self.bloom
        if all(bf[b >> 3] & (1 << (b & 7)) for b in bits):
            return False
        for b in bits:
            bf[b >> 3] |= 1 << (b & 7)
        return True

    def unique(self, author: str, name: str, r: Random) -> str:
        """``name``, or the variant people use when the name is taken (``-v2``, ``-2``, ``-new``...)."""
        for attempt in range(50):
            cand = name if attempt == 0 else (
                [f"{name}-v2", f"{name}-2", f"{name}_v2", f"{name}-new", f"{name}-v3", f"{name}-final"][attempt - 1]
                if attempt <= 6 else f"{name}-{attempt + int(r.random() * 1000)}")
            if self._claim(f"{author}/{cand}"):
                return cand
        raise RuntimeError(f"could not find a free name for {author}/{name}")

    # -- one model ---------------------------------------------------------------------------------
    def model(self, i: int, fresh: int | None = None) -> dict[str, Any]:
        """Static state of model i: everything about it as of the start date (day 0).

        ``fresh=d``: a model created on simulated day ``d >= 1`` (appended after the initial
        models): never a catalog root or a planted child, created within that day.
        """
        r = Random((self.seed << 32) + i)
        root_k, rem = divmod(i, ROOT_STEP)
        if fresh is None and rem == 0 and root_k < len(_ROOTS):
            return self._catalog_root(i, _ROOTS[root_k], r)
        if fresh is None and self.wsb and i >= ROOT_STEP * len(_ROOTS):
            f = _wsb_family(r, self.wsb[0]["share"], len(self.wsb), self.wsb_cum)
            if f is not None:
                return self._planted(i, self.wsb[f], r)
        u = r.random()
        created = EPOCH_START + int(math.log1p(u * self.growth_norm) / GROWTH_PER_DAY * DAY)
        created = min(created, self.start_ts - 3600)
        if fresh is not None:
            created = self.start_ts + fresh * DAY + int(u * (DAY - 7200))
        year = time.gmtime(created).tm_year
        k = r.random()
        derive_share = 0.45 if year <= 2020 else 0.5 if year <= 2022 else 0.6 if year == 2023 else 0.64
        rl_share = 0.08 if year in (2022, 2023) else 0.02
        trans_share = 0.05 if year in (2020, 2021) else 0.003
        if k < derive_share:
            cls = self.class_by_year[min(max(year, 2019), 2025)].pick(r)
            rel = self.rel_by_class[cls].pick(r)
            # quantizers and mergers mostly pick community fine-tunes, fine-tuners mostly base models
            parent = self.pools.pick(cls, r, created, _P_DERIVED[rel])
            if parent is not None:
                return self._derivative(i, r, created, parent, rel)
            return self._misc(i, r, created)
        k -= derive_share
        if k < rl_share:
            return self._rl(i, r, created)
        k -= rl_share
        if k < trans_share:
            return self._translation(i, r, created)
        k -= trans_share
        if k < 0.012:
            return self._timm(i, r, created)
        if k < 0.03:
            return self._minor_root(i, r, created)
        return self._misc(i, r, created)

    def _base(self, i: int, r: Random, created: int, kind: str) -> dict[str, Any]:
        return {"i": i, "kind": kind, "created": created, "r": r, "relation": None, "parents": [],
                "base_declared": False, "relation_declared": False, "gated": False, "license": None,
                "language": None, "datasets": [], "metrics": [], "card_tags": [], "pipeline": None,
                "library": None, "model_type": None, "arch": None, "params": 0, "dtype": "F32", "eval": [],
                "co2": None, "card_style": "none", "readme": True, "chat": False, "gguf": None,
                "quant_format": None, "weights": [], "author_kind": "user", "popularity": 0.0}

    def _catalog_root(self, i: int, x: dict[str, Any], r: Random) -> dict[str, Any]:
        created = _ts(x["date"]) + int(r.random() * 40_000) + 30_000
        planted = self.wsb_roots.get(x["id"])
        if planted:
            created = planted["_t0"]  # the curve's t = 0
        m = self._base(i, r, created, "root")
        org, name = x["id"].split("/")
        cls = x["cls"]
        m.update(author=org, name=name, cls=cls, license=x["license"], gated=x["gated"] or False,
                 params=x["params"], dtype=x["dtype"], model_type=x["model_type"], arch=x["arch"], size=x["size"],
                 pipeline=T.CLASSES[cls]["pipeline"], library=T.CLASSES[cls]["library"], author_kind="org",
                 chat=any(w in name.lower() for w in ("instruct", "chat", "-it", "zephyr")),
                 card_style="rich" if r.random() < 0.7 else "partial", family=x["id"],
                 language=["en"] if cls not in ("seq2seq",) and "multilingual" not in name else ["multilingual"],
                 popularity=x["weight"])
        node = Node(id=x["id"], name=name, created=created, depth=0, cls=cls, family=_family_short(name, x["size"]),
                    size=x["size"], params=x["params"], model_type=x["model_type"], arch=x["arch"],
                    license=x["license"], dtype=x["dtype"], root=x["id"], chat=m["chat"])
        m["node"] = node
        if planted:
            planted["_node"] = node  # planted families get only their planted children
        else:
            self.pools.add(node, x["weight"], catalog=True)
        self._finish_root_like(m)
        return m

    def _planted(self, i: int, fam: dict[str, Any], r: Random) -> dict[str, Any]:
        r.random()  # the draw that used to place the child at random: kept so the rest of its stream stays
        members = fam["_members"]
        j = int(np.searchsorted(members, i))
        if j == len(members) or members[j] != i:
            raise RuntimeError(f"model {i} is not a planted child of {fam['root']}: membership out of sync")
        u = (j + 0.5) / len(members)
        phi = math.log1p(u * math.expm1(fam["lambda"] * fam["_phi_t"])) / fam["lambda"]
        t_days = math.exp(fam["mu"] + fam["sigma"] * NormalDist().inv_cdf(min(max(phi, 1e-12), 1 - 1e-12)))
        created = max(fam["_t0"] + 60, min(fam["_t0"] + int(t_days * DAY), self.start_ts - 60))
        return self._derivative(i, r, created, fam["_node"], None, planted=True)

    # -- derivatives ---------------------------------------------------------------------------------
    def _derivative(self, i: int, r: Random, created: int, parent: Node, relation: str | None,
                    planted: bool = False) -> dict[str, Any]:
        cls = parent.cls
        m = self._base(i, r, created, "derivative")
        rel = relation or self.rel_by_class[cls].pick(r)
        if rel == "merge" and (created < _D2023_11 or planted):
            rel = "finetune"
        if rel == "adapter" and cls in ("causal", "vlm", "seq2seq", "masked") and created < _D2023_03:
            rel = "finetune"
        if rel == "quantized" and created < _D2023_05:
            rel = "finetune"
        m.update(relation=rel, cls=cls, parents=[parent.id], model_type=parent.model_type, arch=parent.arch,
                 params=parent.params, dtype=parent.dtype, size=parent.size, chat=parent.chat, family=parent.family,
                 depth=parent.depth + 1, root_id=parent.root)
        year = time.gmtime(created).tm_year
        lang = T.LANGUAGES.pick(r)
        m["language"] = [lang] if r.random() < 0.6 or lang != "en" else None
        m["lang"] = lang
        m["license"] = parent.license if (r.random() < 0.55 and parent.license) else T.LICENSES.pick(r)

        # the task the derivative was made for
        if rel in ("quantized", "merge") or cls in ("causal", "vlm", "diffusion", "clip"):
            task = T.CLASSES[cls]["pipeline"]
        else:
            task = _TASKS[cls].pick(r)
        m["pipeline"] = task
        ds = pick(r, T.DATASETS.get(task) or T.DATASETS["text-generation"])
        m["dataset"] = ds
        if rel in ("finetune", "adapter") and r.random() < 0.7:
            m["datasets"] = [ds[0]] if r.random() < 0.85 else [ds[0], pick(r, T.DATASETS.get(task) or [ds])[0]]
        m["metrics"] = list(T.METRICS_BY_TASK.get(task, [])) if rel == "finetune" and r.random() < 0.6 else []

        # who made it
        author, akind = self._derivative_author(r, rel, cls, created)
        m["author"], m["author_kind"] = author, akind

        # which format / library / card
        if rel == "quantized":
            self._setup_quantized(m, r, akind, author)
        elif rel == "adapter":
            if cls == "diffusion":
                m["library"] = "diffusers"
                m["adapter_kind"] = "sd-lora"
                m["card_tags"] = ["text-to-image", "lora", "diffusers", "template:sd-lora",
                                  "flux" if "FLUX" in parent.id else "stable-diffusion"]
            else:
                m["library"] = "peft"
                m["adapter_kind"] = "peft"
                m["card_tags"] = pick(r, [["generated_from_trainer"], ["trl", "sft", "generated_from_trainer"],
                                          ["unsloth", "trl", "sft"], ["lora", "axolotl"], []])
        elif rel == "merge":
            m["library"] = "transformers"
            m["card_tags"] = ["mergekit", "merge"]
            m["merge_method"] = T.MERGE_METHODS.pick(r)
            # mergekit needs parents of one architecture and size; a few draws usually find one
            want = 1 if r.random() < 0.7 else 2
            others: list[str] = []
            for _ in range(8):
                p = self.pools.pick(cls, r, created, 0.75)
                if p is not None and p.size == parent.size and p.id != parent.id and p.id not in others:
                    others.append(p.id)
                    if len(others) == want:
                        break
            m["parents"] = [parent.id] + others
        else:
            m["library"] = T.CLASSES[cls]["library"]
            if cls == "causal":
                m["card_tags"] = pick(r, _LLM_TAGS)
            elif cls == "embedding":
                m["card_tags"] = ["sentence-transformers", "sentence-similarity", "feature-extraction"]
            elif rel == "finetune":
                m["card_tags"] = ["generated_from_trainer"] if r.random() < 0.7 else []
        if m["library"] == "transformers" and rel == "finetune" and task in T.TASK_HEADS and cls == "masked":
            prefix = parent.arch.split("For")[0] if parent.arch and "For" in parent.arch else (parent.arch or "Model")
            m["arch"] = prefix + T.TASK_HEADS[task] if T.TASK_HEADS[task] != "Model" else prefix + "Model"

        # card style and README presence (AutoTrain's style also shapes the name)
        style, readme = self._card_style(m, r, rel, cls, akind, year)
        if planted and style in ("none", "minimal"):
            style, readme = "template", True  # planted children must declare their base to be counted
        m["card_style"], m["readme"], m["planted"] = style, readme, planted
        m["name"] = self.unique(author, self._derivative_name(m, r, parent, rel, cls, task, lang, ds, year), r)
        # base_model declared in the card metadata (grew with the Hub's lineage features)
        p_decl = 0.22 if created < _D2023_06 else 0.6 if created < _D2024_03 else 0.88
        if style in ("merge", "gguf0", "gguf1", "gguf2", "quant", "sd-lora"):
            p_decl = max(p_decl, 0.9)
        m["base_declared"] = readme and style not in ("minimal", "none") and (r.random() < p_decl or planted)
        m["relation_declared"] = m["base_declared"] and r.random() < 0.45
        self._popularity(m, r, akind)
        # fine-tunes and merges that caught on become parents themselves
        if (rel in ("finetune", "merge") and not planted and m["depth"] < MAX_DEPTH
                and (m["downloads"] >= 50 or r.random() < 0.1)):
            node = Node(id=f"{author}/{m['name']}", name=m["name"], created=created, depth=m["depth"], cls=cls,
                        family=parent.family, size=parent.size, params=parent.params, model_type=parent.model_type,
                        arch=parent.arch, license=m["license"], dtype=parent.dtype, root=parent.root,
                        chat=parent.chat)
            self.pools.add(node, min(60.0, 1.0 + math.log10(m["downloads"] + 1) ** 2))
        return m

    def _derivative_author(self, r: Random, rel: str, cls: str, created: int) -> tuple[str, str]:
        u = r.random()
        if rel == "quantized" and u < 0.55:
            active = [(o, w, fm) for o, w, a, b, fm in self.quant_orgs if a <= created < b
                      and (("onnx" in fm) == (cls not in ("causal", "vlm")))]
            if active:
                tot = sum(w for _, w, _ in active)
                x = r.random() * tot
                for o, w, _fm in active:
                    x -= w
                    if x <= 0:
                        return o, "quant-org"
                return active[-1][0], "quant-org"
        if rel in ("finetune", "merge", "adapter") and u < 0.09:
            return self.finetune_orgs.pick(r), "org"
        return self.random_user(r), "user"

    def _setup_quantized(self, m: dict[str, Any], r: Random, akind: str, author: str) -> None:
        cls = m["cls"]
        if cls not in ("causal", "vlm"):
            fmt = "onnx" if r.random() < 0.8 or cls != "embedding" else "gguf"
        elif akind == "quant-org":
            fmts = next(fm for o, _, _, _, fm in self.quant_orgs if o == author)
            fmt = pick(r, fmts)
        else:
            fmt = _USER_QUANT.pick(r)
        m["quant_format"] = fmt
        if fmt.startswith("gguf"):
            m["library"] = (_GGUF_LIB_ORG if akind == "quant-org" else _GGUF_LIB_USER).pick(r)
            m["card_tags"] = ["llama-cpp", "gguf-my-repo"] if akind == "user" and r.random() < 0.7 else \
                ["quantized", "gguf"] if r.random() < 0.5 else []
        elif fmt == "onnx":
            m["library"] = "transformers.js"
            m["card_tags"] = ["onnx"]
        elif fmt == "mlx":
            m["library"] = "mlx"
            m["card_tags"] = ["mlx"]
        else:
            m["library"] = "transformers"
            m["card_tags"] = {"awq": ["awq", "4-bit"], "gptq": ["gptq", "4-bit"],
                              "bnb": ["unsloth", "bitsandbytes", "4-bit"], "exl2": ["exl2"],
                              "fp8": ["fp8", "vllm"]}[fmt]

    def _derivative_name(self, m, r, parent: Node, rel, cls, task, lang, ds, year) -> str:
        """A repo name in one of the practices people use for this kind of derivative (see ``_NAMES``)."""
        stem = parent.name if len(parent.name) <= 48 else f"{pick(r, T.BRANDS)}-{parent.size}"
        fam, size = parent.family, parent.size
        nat = T.LANG_NATIONALITY.get(lang, lang)
        v = {"stem": stem, "stem_l": stem.lower(), "fam": fam, "fam_l": fam.lower(), "size": size,
             "size_l": size.lower(), "ds": ds[1], "lang": lang, "nat": nat, "Nat": nat.capitalize(),
             "ln": T.LANGUAGE_NAMES.get(lang, lang).lower(), "ver": pick(r, _VERSIONS), "date": pick(r, _DATES),
             "descr": pick(r, T.DESCR_WORDS), "train": pick(r, T.TRAIN_WORDS), "brand": pick(r, T.BRANDS),
             "brand2": pick(r, T.BRANDS), "word": pick(r, T.WORDS), "task0": task.split("-")[0]}
        if rel == "quantized":
            fmt = m["quant_format"]
            if fmt.startswith("gguf") and m["author_kind"] == "user":
                q = pick(r, ["Q4_K_M", "Q8_0", "Q5_K_M", "Q6_K", "Q4_0", "Q4_K_S", "IQ4_XS", "f16"])
                m["gguf_quants"] = [q]
                v.update(q=q, q_l=q.lower())
                key = "gguf-user"
            else:
                key = "gguf-i1" if fmt == "gguf-i1" else fmt
                v["bpw"] = pick(r, ["4.0", "5.0", "6.5", "8.0"])
        elif rel == "merge":
            key = "merge"
            v["meth"] = m["merge_method"].replace("_", "-")
        elif rel == "adapter":
            if cls == "diffusion":
                subj = pick(r, T.LORA_SUBJECTS)
                m["trigger"] = subj.replace("-", " ") + " style"
                key = "sd-lora"
                v.update(subj=subj, Subj=subj.title(),
                         base="flux" if "FLUX" in parent.id else "sdxl" if "xl" in parent.id else "sd15")
            else:
                key = "lora"
                v.update(ckpt=pick(r, [100, 500, 1000, 1500, 2000, 3000]), rank=pick(r, [8, 16, 32, 64]))
        elif cls in ("causal", "vlm"):
            key = "llm"
            v.update(gen=pick(r, ["2", "3", "2.5", "3.1"]), tier=pick(r, ["Pro", "Mini", "Plus"]),
                     lr=pick(r, ["1e-5", "2e-5", "5e-5", "2e-4"]), ep=pick(r, [1, 2, 3]))
        elif cls == "asr":
            key = "asr"
        elif cls == "diffusion":
            subj = pick(r, T.LORA_SUBJECTS)
            m["trigger"] = subj.replace("-", " ")
            key = "sd"
            v.update(subj=subj, Word=v["word"].capitalize())
        else:
            short = {"text-classification": pick(r, ["sentiment", "emotion", "classifier", "spam", "toxicity"]),
                     "token-classification": pick(r, ["ner", "pos", "ner-conll", "ner-medical"]),
                     "question-answering": pick(r, ["squad", "qa", "squad2"]),
                     "summarization": "summarization", "translation": f"{lang}-{pick(r, ['en', 'de', 'fr', 'es'])}",
                     "automatic-speech-recognition": "asr"}.get(task, task.split("-")[0])
            key = "autotrain" if m.get("autotrain") == "legacy" else "encoder"
            v.update(short=short, short0=short.split("-")[0], ep=pick(r, [3, 5, 10]),
                     num=10_000_000 + int(r.random() * 89_999_999))
        return pick(r, _NAMES[key]).format(**v)

    def _card_style(self, m, r, rel, cls, akind, year) -> tuple[str, bool]:
        u = r.random()
        miss = r.random()
        if rel == "quantized":
            fmt = m["quant_format"]
            if miss < (0.02 if akind == "quant-org" else 0.2):
                return "none", False
            if fmt.startswith("gguf"):
                if u < 0.1:
                    return "minimal", True
                if akind == "user":
                    return "gguf0", True
                return ("gguf1" if u < 0.6 else "gguf2"), True
            return ("quant" if u < 0.75 else "minimal"), True
        if rel == "merge":
            if miss < 0.05:
                return "none", False
            return ("merge" if u < 0.85 else "minimal"), True
        if rel == "adapter":
            if m.get("adapter_kind") == "sd-lora":
                if miss < 0.1:
                    return "none", False
                return ("sd-lora" if u < 0.7 else "minimal" if u < 0.9 else "rich"), True
            if miss < 0.18:
                return "none", False
            return _STYLE_PEFT.pick(r), True
        if miss < 0.12:
            return "none", False
        if cls == "embedding":
            return _STYLE_ST.pick(r), True
        autotrain = 0.0
        if cls in ("masked", "seq2seq", "image") and 2021 <= year <= 2023:
            autotrain = 0.35
        elif cls in ("causal", "masked", "image") and year >= 2024:
            autotrain = 0.03
        if u < autotrain:
            m["autotrain"] = "legacy" if year <= 2023 else "advanced"
            return "autotrain", True
        table = _STYLE_FT_2020 if year <= 2020 else _STYLE_FT_2022 if year <= 2022 else _STYLE_FT_LATER
        return table.pick(r), True

    def _popularity(self, m: dict[str, Any], r: Random, akind: str) -> None:
        rel = m["relation"]
        if akind == "quant-org":
            p0, mu, sigma = 0.04, 4.8, 2.0
        elif akind == "org":
            p0, mu, sigma = 0.05, 5.5, 2.4
        elif m["kind"] in ("misc", "rl"):
            p0, mu, sigma = 0.62, 1.2, 1.6
        elif rel in ("adapter", "quantized"):
            p0, mu, sigma = 0.45, 1.6, 2.0
        else:
            p0, mu, sigma = 0.38, 2.0, 2.3
        if r.random() < p0:
            d = 0
        else:
            d = int(math.exp(mu + sigma * _gauss(r)))
        m["downloads"] = d
        if d == 0:
            m["likes"] = 1 if r.random() < 0.06 else 0
        else:
            m["likes"] = int(math.exp(0.62 * math.log1p(d) - 2.4 + 1.0 * _gauss(r)))

    # -- standalone kinds ------------------------------------------------------------------------------------
    def _misc(self, i: int, r: Random, created: int) -> dict[str, Any]:
        m = self._base(i, r, created, "misc")
        m["author"] = self.random_user(r)
        lib = T.MISC_LIBRARIES.pick(r)
        pipe = T.MISC_PIPELINES.pick(r)
        base = pick(r, T.MISC_NAMES)
        v = r.random()
        name = base if v < 0.35 else f"{base}-{int(r.random() * 100)}" if v < 0.5 else \
            f"{base}_{pick(r, ['v1', 'v2', 'final', 'new', 'test', '2'])}" if v < 0.65 else \
            f"{pick(r, T.WORDS)}-{base}" if v < 0.8 else f"{pick(r, T.WORDS)}-{pick(r, T.WORDS)}"
        if lib == "ultralytics":
            w = pick(r, T.WORDS)
            name = pick(r, [f"yolov8-{pick(r, T.LORA_SUBJECTS)}", f"yolo11n-{w}", f"{w}-detection"])
            pipe = "object-detection"
        m.update(library=lib, pipeline=pipe, cls="misc", license=T.LICENSES.pick(r), misc_lib=lib)
        m["name"] = self.unique(m["author"], name, r)
        miss = r.random()
        m["readme"] = miss >= 0.45
        m["card_style"] = _STYLE_MISC.pick(r) if m["readme"] else "none"
        m["lang"] = "en"
        m["dataset"] = pick(r, T.DATASETS["text-classification"])
        self._popularity(m, r, "user")
        return m

    def _rl(self, i: int, r: Random, created: int) -> dict[str, Any]:
        m = self._base(i, r, created, "rl")
        env, algo, lib, _ = T.RL_ENV_TABLE.pick(r)
        m["author"] = self.random_user(r)
        suffix = pick(r, ["v1", "v2", "2", "test"])
        name = pick(r, [f"{algo}-{env}", f"{algo}-{env}", f"{algo.upper()}-{env}", f"{algo}-{env}-{suffix}",
                        f"{algo}_{env}", f"{algo}-{env.split('-')[0]}"])
        m.update(library=lib if lib != "custom" else None, pipeline="reinforcement-learning", cls="rl",
                 rl_env=env, rl_algo=algo.upper() if lib == "ml-agents" else algo, card_style="rl",
                 card_tags=[env, "deep-reinforcement-learning", "reinforcement-learning",
                            lib if lib != "custom" else "custom-implementation"],
                 lang="en", dataset=(env, env))
        m["name"] = self.unique(m["author"], name, r)
        m["eval"] = [("mean_reward", f"{200 + 100 * r.random():.2f} +/- {10 + 20 * r.random():.2f}")]
        self._popularity(m, r, "user")
        return m

    def _translation(self, i: int, r: Random, created: int) -> dict[str, Any]:
        m = self._base(i, r, created, "translation")
        src = T.LANGUAGES.pick(r)
        tgt = pick(r, ["en", "de", "fr", "es", "ru", "zh", "ja", "ar", "it", "fi", "sv", "nl", "pl", "mul"])
        src = "mul" if src == "multilingual" else src
        m.update(author="Helsinki-NLP", author_kind="org", library="transformers", pipeline="translation",
                 cls="translation", license="apache-2.0", model_type="marian", arch="MarianMTModel",
                 params=int(7e7 + r.random() * 1e8), card_style="translation", src=src, tgt=tgt, lang=src,
                 card_tags=["translation"], language=[src, tgt], dataset=("opus", "opus"), size="base")
        m["name"] = self.unique("Helsinki-NLP", pick(r, [f"opus-mt-{src}-{tgt}", f"opus-mt-{tgt}-{src}",
                                                         f"opus-mt-tc-big-{src}-{tgt}"]), r)
        self._popularity(m, r, "org")
        m["downloads"] //= 4
        return m

    def _timm(self, i: int, r: Random, created: int) -> dict[str, Any]:
        m = self._base(i, r, created, "timm")
        arch = pick(r, ["resnet50", "resnet18", "vit_base_patch16_224", "convnext_tiny", "efficientnet_b0",
                        "mobilenetv3_large_100", "regnety_040", "deit_small_patch16_224", "swin_tiny_patch4_window7",
                        "eva02_base_patch14_224", "vit_small_patch14_dinov2", "levit_128", "coatnet_0_rw_224"])
        tag = pick(r, ["a1_in1k", "tv_in1k", "augreg_in21k_ft_in1k", "fb_in22k", "ra_in1k", "lvd142m", "sw_in1k",
                       "in1k", "mim_in22k", "fb_in22k_ft_in1k", "clip_laion2b", "a2_in1k", "gluon_in1k"])
        m.update(author="timm", author_kind="org", library="timm", pipeline="image-classification", cls="timm",
                 license="apache-2.0", card_style="rich", params=int(5e6 + r.random() * 8e7), size=arch,
                 card_tags=["image-classification", "timm"], lang="en", dataset=("imagenet-1k", "in1k"))
        m["name"] = self.unique("timm", f"{arch}.{tag}", r)
        self._popularity(m, r, "org")
        return m

    def _minor_root(self, i: int, r: Random, created: int) -> dict[str, Any]:
        m = self._base(i, r, created, "minor_root")
        cls = pick(r, ["masked", "masked", "masked", "causal", "causal", "embedding", "seq2seq"])
        lang = T.LANGUAGES.pick(r)
        nat = T.LANG_NATIONALITY.get(lang, "multi")
        if r.random() < 0.5:
            org = f"{pick(r, T.ORG_STEMS)}{pick(r, ['', '-', '_'])}{pick(r, T.ORG_WORDS)}"
            akind = "org"
        else:
            org, akind = self.random_user(r), "user"
        proto = pick(r, self.pools.roots[cls] or self.pools.roots["masked"] or [None])
        if proto is None:
            return self._misc(i, r, created)
        size = pick(r, ["base", "large", "small"] if cls != "causal" else ["125M", "350M", "1B", "1.3B", "3B", "7B"])
        brand = pick(r, T.BRANDS)
        mt = proto.model_type or "bert"
        name = pick(r, [f"{mt}-{size}-{nat}", f"{nat}-{mt}-{size}",
                        f"{brand}-{size}", f"{brand}{nat.capitalize()}-{size}", f"{mt}-{size}-{nat}-cased",
                        f"{nat}-{brand.lower()}-{size.lower()}-{pick(r, ['v1', 'v2', 'v1.0'])}"])
        m.update(author=org, author_kind=akind, cls=cls, pipeline=T.CLASSES[cls]["pipeline"],
                 library=T.CLASSES[cls]["library"], model_type=proto.model_type, arch=proto.arch, size=size,
                 params=proto.params, dtype=proto.dtype, license=T.LICENSES.pick(r), lang=lang, language=[lang],
                 card_style=_STYLE_MINOR_ROOT.pick(r),
                 dataset=pick(r, T.DATASETS["fill-mask"]))
        m["name"] = self.unique(org, name, r)
        m["readme"] = r.random() >= 0.05
        if not m["readme"]:
            m["card_style"] = "none"
        self._popularity(m, r, akind)
        m["downloads"] *= 3
        node = Node(id=f"{org}/{m['name']}", name=m["name"], created=created, depth=0, cls=cls,
                    family=_family_short(m["name"], size), size=size, params=proto.params,
                    model_type=proto.model_type, arch=proto.arch, license=m["license"], dtype=proto.dtype,
                    root=f"{org}/{m['name']}", chat=False)
        self.pools.add(node, 1.0 + 3 * r.random())
        return m

    def _finish_root_like(self, m: dict[str, Any]) -> None:
        r = m["r"]
        w = m["popularity"]
        m["downloads"] = int(w * 8_000 * math.exp(1.1 * _gauss(r)))
        m["likes"] = int(w * 25 * math.exp(0.8 * _gauss(r)))
        m["lang"] = "en"
        m["dataset"] = pick(r, T.DATASETS.get(m["pipeline"]) or T.DATASETS["fill-mask"])


def _gauss(r: Random) -> float:
    # Box–Muller on r.random(): Random.gauss keeps hidden state and its algorithm is not pinned.
    u1 = r.random() or 1e-12
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(6.283185307179586 * r.random())


def _family_short(name: str, size: str) -> str:
    parts = name.replace("_", "-").split("-")
    low = size.lower()
    for k, p in enumerate(parts):
        if p.lower() == low or p.lower().startswith(low) and k > 0:
            return "-".join(parts[:k]) or parts[0]
    return parts[0]


# ----------------------------------------------------------------------------------------------
# Files, cards, history, day changes and the API body of one model
# ----------------------------------------------------------------------------------------------
_BYTES_PER = {"F32": 4, "F16": 2, "BF16": 2}
_TOKENIZER_KIND = {
    "bert": "wordpiece", "distilbert": "wordpiece", "electra": "wordpiece", "mpnet": "wordpiece",
    "nomic_bert": "wordpiece", "roberta": "bpe", "xlm-roberta": "spm", "camembert": "spm", "bart": "bpe",
    "gpt2": "bpe", "whisper": "bpe", "opt": "bpe", "gpt_neo": "bpe", "gptj": "bpe", "clip": "bpe",
    "t5": "spm", "mt5": "spm", "pegasus": "spm", "albert": "spm", "deberta-v2": "spm", "m2m_100": "spm",
    "marian": "marian", "wav2vec2": "ctc", "wav2vec2-bert": "ctc", "bloom": "fast", "gpt_neox": "fast",
    "modernbert": "fast",
}
_SIZES_TOKJSON = {"llama": 9_085_657, "qwen2": 7_031_645, "qwen3": 11_422_654, "mistral": 1_795_303,
                  "gemma": 17_525_357, "gemma2": 17_525_357, "gemma3": 33_384_568, "phi3": 1_844_409}
_IMAGE_CLASSES = ("image", "detection")
_PRE_SAFETENSORS = _ts("2023-01-01")
_NEW_GITATTR = _ts("2021-06-01")
_CONST: dict[str, bytes] = {}


def _const(key: str, make) -> bytes:
    b = _CONST.get(key)
    if b is None:
        v = make()
        b = _CONST[key] = v.encode() if isinstance(v, str) else v
    return b


def _jdump(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2) + "\n").encode()


def _jline(obj: Any) -> bytes:
    # Per-repo JSON files are written on one line: json's C encoder skips indented output.
    return (json.dumps(obj) + "\n").encode()


class _Builder:
    """Turns a model's static description (from :class:`_Generator`) into files, cards, commits and info."""

    def __init__(self, g: _Generator):
        self.g = g

    # -- files -----------------------------------------------------------------------------------
    def files(self, m: dict[str, Any]) -> None:
        r = m["r"]
        created = m["created"]
        files: dict[str, Any] = {".gitattributes": _GITATTR_NEW if created >= _NEW_GITATTR else _GITATTR_OLD}
        weights: list[str] = []
        kind, rel, cls = m["kind"], m["relation"], m["cls"]
        m["files"], m["weights"] = files, weights
        if kind == "rl":
            return self._rl_files(m, r, files, weights)
        if kind == "misc":
            return self._misc_files(m, r, files, weights)
        if kind == "translation":
            files["config.json"] = self.config(m, 0)
            files["generation_config.json"] = _const("gen-marian", lambda: _jdump(
                {"bos_token_id": 0, "decoder_start_token_id": 65000, "eos_token_id": 0, "max_length": 512,
                 "num_beams": 4, "pad_token_id": 65000}))
            for p in ("pytorch_model.bin", "tf_model.h5"):
                files[p] = _lfs(p, r, m["params"] * 4)
                weights.append(p)
            files["source.spm"] = _lfs("source.spm", r, 790_000)
            files["target.spm"] = _lfs("target.spm", r, 800_000)
            files["vocab.json"] = _nb_entry("vocab.json", r, 1_000_000, 2_000_000)
            files["tokenizer_config.json"] = _const("tok-marian", lambda: _jdump(
                {"source_lang": "src", "target_lang": "tgt", "model_max_length": 512}))
            return
        if kind == "timm":
            files["config.json"] = _jline({"architecture": m["size"], "num_classes": 1000, "num_features": 2048,
                                           "pretrained_cfg": {"tag": m["name"].split(".")[-1],
                                                              "input_size": [3, 224, 224]}})
            for p in ("model.safetensors", "pytorch_model.bin"):
                files[p] = _lfs(p, r, m["params"] * 4)
                weights.append(p)
            return
        if rel == "quantized":
            return self._quant_files(m, r, files, weights)
        if rel == "adapter":
            return self._adapter_files(m, r, files, weights)
        if cls == "diffusion":
            return self._diffusion_files(m, r, files, weights)
        # full transformers / sentence-transformers checkpoints (roots, fine-tunes, merges)
        files["config.json"] = self.config(m, 0)
        if cls in ("causal", "vlm", "seq2seq", "asr"):
            files["generation_config.json"] = _const(f"gen-{m['model_type']}", lambda: _jdump(
                {"_from_model_config": True, "bos_token_id": 1, "eos_token_id": 2,
                 "transformers_version": "4.40.1"}))
        self._weights(m, r, files, weights, m["params"], _BYTES_PER.get(m["dtype"], 4))
        if cls in _IMAGE_CLASSES or cls in ("asr", "vlm", "clip"):
            files["preprocessor_config.json"] = _const(f"pre-{cls == 'asr'}", lambda: _jdump(
                {"do_normalize": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
                 "size": 224} if cls != "asr" else {"feature_size": 80, "sampling_rate": 16000, "padding_value": 0.0}))
        if cls not in _IMAGE_CLASSES:
            self._tokenizer(m, r, files)
        if cls == "embedding" or m["library"] == "sentence-transformers":
            dim = 384 if m["params"] < 5e7 else 768 if m["params"] < 2e8 else 1024
            m["dim"] = dim
            files["modules.json"] = _const("st-modules", lambda: _jdump([
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]))
            files["sentence_bert_config.json"] = _const("st-sbert", lambda: _jdump(
                {"max_seq_length": 512, "do_lower_case": False}))
            files["1_Pooling/config.json"] = _const(f"st-pool-{dim}", lambda: _jdump(
                {"word_embedding_dimension": dim, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True}))
            files["config_sentence_transformers.json"] = _const(f"st-cfg-{m['year']}", lambda: _jdump(
                {"__version__": {"sentence_transformers": "2.2.2" if m["year"] < 2024 else "3.3.1"},
                 "prompts": {}, "default_prompt_name": None}))
        if rel == "merge":
            files["mergekit_config.yml"] = m["mergekit_yaml"].encode()
        elif rel == "finetune" and (m["card_style"] in ("trainer", "autotrain") or r.random() < 0.35):
            files["training_args.bin"] = _lfs("training_args.bin", r, 4_600 + int(r.random() * 2_000))
            if r.random() < 0.4:
                for p in ("all_results.json", "train_results.json", "trainer_state.json"):
                    files[p] = _nb_entry(p, r, 200, 9_000)
            if r.random() < 0.3:
                ts = m["created"] - 3600
                host = f"{pick(r, ['ip-10-0-0', 'a100', 'gpu', 'node', 'colab'])}-{int(r.random() * 255)}"
                run = time.strftime("%b%d_%H-%M-%S", time.gmtime(ts))
                p = f"runs/{run}_{host}/events.out.tfevents.{ts}.{host}.{int(r.random() * 9000) + 100}.0"
                files[p] = _lfs(p, r, 5_000 + int(r.random() * 40_000))
        if m["kind"] == "root" and m["created"] < _PRE_SAFETENSORS and cls in ("masked", "seq2seq", "causal"):
            for p, mult in (("tf_model.h5", 4), ("flax_model.msgpack", 4)):
                if r.random() < 0.7:
                    files[p] = _lfs(p, r, m["params"] * mult)

    def _weights(self, m, r, files, weights, params: int, bpp: float, *, prefix: str = "model",
                 force_st: bool = False) -> None:
        nbytes = max(1_000, int(params * bpp))
        use_st = force_st or m["created"] >= _PRE_SAFETENSORS or r.random() < 0.15
        m["bin_weights"] = not use_st
        ext = "safetensors" if use_st else "bin"
        stem = prefix if use_st else "pytorch_model"
        shards = max(1, math.ceil(nbytes / (4.95e9 if use_st else 9.9e9)))
        if shards == 1:
            p = f"{stem}.{ext}"
            files[p] = _lfs(p, r, nbytes)
            weights.append(p)
            return
        for k in range(1, shards + 1):
            p = f"{stem}-{k:05d}-of-{shards:05d}.{ext}"
            files[p] = _lfs(p, r, nbytes / shards)
            weights.append(p)
        idx = f"{stem}.{ext}.index.json"
        files[idx] = _nb_entry(idx, r, 20_000, 90_000)

    def _tokenizer(self, m, r, files) -> None:
        mt = m["model_type"] or "llama"
        fam = m.get("root_id") or f"{m['author']}/{m['name']}"
        tk = _TOKENIZER_KIND.get(mt, "fast")
        b = self.g.blobs
        if tk == "wordpiece":
            files["vocab.txt"] = b.family_file("vocab.txt", fam, 231_508)
            files["special_tokens_map.json"] = _SPECIAL_TOKENS["bert"]
        elif tk == "bpe":
            files["vocab.json"] = b.family_file("vocab.json", fam, 798_293)
            files["merges.txt"] = b.family_file("merges.txt", fam, 456_318)
            files["special_tokens_map.json"] = _SPECIAL_TOKENS["roberta"]
        elif tk == "spm":
            p = "spiece.model" if mt in ("t5", "mt5", "pegasus", "albert") else "sentencepiece.bpe.model"
            files[p] = lfs_entry(p, hashlib.sha256(fam.encode()).hexdigest(), 791_656)
            files["special_tokens_map.json"] = _SPECIAL_TOKENS["roberta"]
        elif tk == "ctc":
            files["vocab.json"] = b.family_file("vocab.json", fam, 300 + len(fam) * 7)
            files["special_tokens_map.json"] = _SPECIAL_TOKENS["roberta"]
            return
        else:
            files["special_tokens_map.json"] = _SPECIAL_TOKENS["chatml" if "qwen" in mt else "llama"]
            if mt in ("llama", "mistral", "gemma") and m["created"] < _D2024_04:
                files["tokenizer.model"] = lfs_entry("tokenizer.model", hashlib.sha256(fam.encode()).hexdigest(),
                                                     499_723)
        files["tokenizer.json"] = b.family_file("tokenizer.json", fam, _SIZES_TOKJSON.get(mt, 2_113_710))
        files["tokenizer_config.json"] = _const(f"tokcfg-{tk}", lambda: _jdump(
            {"add_bos_token": tk == "fast", "clean_up_tokenization_spaces": False, "model_max_length": 131072
             if tk == "fast" else 512, "tokenizer_class": "PreTrainedTokenizerFast" if tk == "fast" else
             {"wordpiece": "BertTokenizer", "bpe": "RobertaTokenizer", "spm": "T5Tokenizer"}[tk]}))

    def config(self, m: dict[str, Any], rev: int) -> bytes:
        cfg: dict[str, Any] = {}
        if m["parents"]:
            cfg["_name_or_path"] = m["parents"][0]
        if m["arch"]:
            cfg["architectures"] = [m["arch"]]
        if m["model_type"]:
            cfg["model_type"] = m["model_type"]
        if m.get("quant_config"):
            cfg["quantization_config"] = m["quant_config"]
        cfg["torch_dtype"] = {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}.get(m["dtype"], "float32")
        if m["pipeline"] in ("text-classification", "token-classification", "audio-classification",
                             "image-classification"):
            n = 2 + (m["i"] % 5)
            cfg["id2label"] = {str(k): f"LABEL_{k}" for k in range(n)}
        k = _TRANSFORMERS_VERSIONS.index(m["versions"]["transformers"]) + rev  # edits come with newer versions
        cfg["transformers_version"] = _TRANSFORMERS_VERSIONS[min(len(_TRANSFORMERS_VERSIONS) - 1, k)]
        if rev:
            cfg["use_cache"] = rev % 2 == 0
        return _jline(cfg)

    def _quant_files(self, m, r, files, weights) -> None:
        fmt = m["quant_format"]
        params = m["params"]
        stem = m["parents"][0].split("/")[-1]
        if fmt.startswith("gguf"):
            if m["author_kind"] == "user":
                q = (m.get("gguf_quants") or ["Q4_K_M"])[0]
                quants = [q]
                names = [f"{stem.lower()}-{q.lower()}.gguf"]
            else:
                quants = T.QUANT_BITS[int(r.random() * 3):] if fmt == "gguf" else \
                    ["IQ2_M", "IQ3_XS", "IQ4_XS", "Q4_K_M", "Q5_K_M", "Q6_K"]
                quants = [q for q in quants if r.random() < 0.85] or ["Q4_K_M"]
                a = m["author"]
                names = [f"{stem.lower()}.{q}.gguf" if a == "TheBloke" else
                         f"{stem}.{'i1-' if fmt == 'gguf-i1' else ''}{q}.gguf" if a == "mradermacher" else
                         f"{stem}-{q}.gguf" for q in quants]
            table = []
            for q, p in zip(quants, names):
                size = params * T.QUANT_BPW.get(q, 5.0) / 8 + 5e6
                files[p] = _lfs(p, r, size)
                weights.append(p)
                table.append((p, q, f"{size / 1e9:.1f}", pick(r, _QUANT_NOTES)))
            if fmt == "gguf-i1" and r.random() < 0.8:
                files["imatrix.dat"] = _lfs("imatrix.dat", r, 4_988_000 + int(r.random() * 1e6))
            m["quant_table"], m["gguf_file"] = table, names[0]
            arch = {"mistral": "llama", "mixtral": "llama"}.get(m["model_type"] or "llama", m["model_type"] or "llama")
            m["gguf"] = {"total": params, "architecture": arch, "context_length": pick(r, [4096, 8192, 32768, 131072])}
            if m["author_kind"] == "quant-org" and r.random() < 0.3:
                files[".gitattributes"] = _GITATTR_NEW + "".join(
                    f"{p} filter=lfs diff=lfs merge=lfs -text\n" for p in names).encode()
            return
        if fmt == "onnx":
            files["config.json"] = self.config(m, 0)
            for p, mult in (("onnx/model.onnx", 4), ("onnx/model_quantized.onnx", 1), ("onnx/model_fp16.onnx", 2)):
                if p == "onnx/model.onnx" or r.random() < 0.8:
                    files[p] = _lfs(p, r, params * mult)
                    weights.append(p)
            if m["cls"] not in _IMAGE_CLASSES:
                self._tokenizer(m, r, files)
            else:
                files["preprocessor_config.json"] = _const("pre-onnx", lambda: _jdump({"do_resize": True, "size": 224}))
            if r.random() < 0.5:
                files["quantize_config.json"] = _const("q-onnx", lambda: _jdump(
                    {"per_channel": True, "reduce_range": True, "per_model_config": {}}))
            return
        qc = {"awq": {"quant_method": "awq", "bits": 4, "group_size": 128, "zero_point": True, "version": "gemm"},
              "gptq": {"quant_method": "gptq", "bits": 4, "group_size": 128, "desc_act": True, "sym": True},
              "bnb": {"quant_method": "bitsandbytes", "load_in_4bit": True, "bnb_4bit_quant_type": "nf4",
                      "bnb_4bit_compute_dtype": "bfloat16"},
              "fp8": {"quant_method": "compressed-tensors", "format": "float-quantized"},
              "mlx": None, "exl2": None}[fmt]
        m["quant_config"] = qc
        files["config.json"] = self.config(m, 0)
        bpp = {"awq": 0.56, "gptq": 0.56, "bnb": 0.6, "fp8": 1.05, "mlx": 0.56, "exl2": 0.62}[fmt]
        if fmt == "exl2":
            files["output.safetensors"] = _lfs("output.safetensors", r, params * bpp)
            weights.append("output.safetensors")
            files["measurement.json"] = _nb_entry("measurement.json", r, 90_000, 300_000)
        else:
            self._weights(m, r, files, weights, params, bpp, force_st=True)
        if fmt == "awq":
            files["quant_config.json"] = _const("q-awq", lambda: _jdump(
                {"zero_point": True, "q_group_size": 128, "w_bit": 4, "version": "GEMM"}))
        elif fmt == "gptq":
            files["quantize_config.json"] = _const("q-gptq", lambda: _jdump(
                {"bits": 4, "group_size": 128, "damp_percent": 0.1, "desc_act": True, "sym": True,
                 "true_sequential": True, "model_file_base_name": "model"}))
        elif fmt == "fp8":
            files["recipe.yaml"] = _const("q-fp8", lambda: "quant_stage:\n  quant_modifiers:\n"
                                          "    QuantizationModifier:\n      ignore: [lm_head]\n"
                                          "      scheme: FP8_DYNAMIC\n      targets: Linear\n")
        if fmt != "mlx":
            files["generation_config.json"] = _const(f"gen-{m['model_type']}", lambda: _jdump(
                {"_from_model_config": True, "bos_token_id": 1, "eos_token_id": 2, "transformers_version": "4.40.1"}))
        self._tokenizer(m, r, files)

    def _adapter_files(self, m, r, files, weights) -> None:
        if m.get("adapter_kind") == "sd-lora":
            p = "pytorch_lora_weights.safetensors" if r.random() < 0.6 else f"{m['name']}.safetensors"
            files[p] = _lfs(p, r, 20e6 + r.random() * 200e6)
            weights.append(p)
            for k in range(int(r.random() * 4)):
                q = f"images/example_{k}.png" if r.random() < 0.5 else f"image_{k}.png"
                files[q] = _lfs(q, r, 300_000 + r.random() * 2e6)
            return
        rank = pick(r, [8, 16, 16, 32, 64, 128])
        alpha = rank * pick(r, [1, 2, 2, 4])
        targets = pick(r, [["q_proj", "v_proj"], ["q_proj", "k_proj", "v_proj", "o_proj"],
                           ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
                           ["query", "value"]])
        m["lora_r"] = rank
        files["adapter_config.json"] = _jline({
            "alpha_pattern": {}, "base_model_name_or_path": m["parents"][0], "bias": "none",
            "fan_in_fan_out": False, "inference_mode": True, "lora_alpha": alpha,
            "lora_dropout": pick(r, [0.0, 0.05, 0.1]), "peft_type": "LORA", "r": rank,
            "target_modules": targets, "task_type": "CAUSAL_LM" if m["cls"] in ("causal", "vlm") else "SEQ_CLS"})
        old = m["created"] < _D2024_01 and r.random() < 0.4
        p = "adapter_model.bin" if old else "adapter_model.safetensors"
        size = max(200_000, int(m["params"] * 0.0008 * rank / 8 * len(targets) / 4))
        files[p] = _lfs(p, r, size)
        weights.append(p)
        if r.random() < 0.5:
            self._tokenizer(m, r, files)
        if r.random() < 0.6:
            files["training_args.bin"] = _lfs("training_args.bin", r, 5_000 + r.random() * 2_500)

    def _diffusion_files(self, m, r, files, weights) -> None:
        flux = m["arch"] in ("FluxPipeline", "QwenImagePipeline", "StableDiffusion3Pipeline")
        files["model_index.json"] = _const(f"mi-{m['arch']}", lambda: _jdump(
            {"_class_name": m["arch"], "_diffusers_version": "0.30.0"}))
        files["scheduler/scheduler_config.json"] = _const(f"sch-{m['arch']}", lambda: _jdump(
            {"_class_name": "FlowMatchEulerDiscreteScheduler" if flux else "PNDMScheduler",
             "num_train_timesteps": 1000}))
        main = "transformer" if flux else "unet"
        bpp = 2 if m["dtype"] != "F32" else 4
        comps = [(main, 12e9 if flux else 860e6), ("vae", 84e6), ("text_encoder", 123e6)]
        if flux or "XL" in m["arch"]:
            comps.append(("text_encoder_2", 4.7e9 if flux else 695e6))
        for comp, n in comps:
            files[f"{comp}/config.json"] = _const(f"cfg-{m['arch']}-{comp}", lambda comp=comp: _jdump(
                {"_class_name": comp, "_diffusers_version": "0.30.0"}))
            name = "model" if comp.startswith("text_encoder") else "diffusion_pytorch_model"
            self._weights(m, r, files, weights, int(n), bpp, prefix=f"{comp}/{name}", force_st=True)
        files["tokenizer/vocab.json"] = self.g.blobs.family_file("tokenizer/vocab.json", "clip", 1_059_962)
        files["tokenizer/merges.txt"] = self.g.blobs.family_file("tokenizer/merges.txt", "clip", 524_619)
        if m["kind"] == "root" and r.random() < 0.6:
            p = f"{m['name'].lower()}.safetensors"
            files[p] = _lfs(p, r, sum(n for _, n in comps) * bpp)
            weights.append(p)

    def _rl_files(self, m, r, files, weights) -> None:
        env, algo = m["rl_env"], m["rl_algo"]
        lib = m["library"]
        files["config.json"] = _jline({"env_id": env, "algo": algo, "n_timesteps": pick(r, [100000, 500000, 1000000])})
        files["replay.mp4"] = _lfs("replay.mp4", r, 100_000 + r.random() * 1e6)
        if lib == "stable-baselines3":
            z = f"{algo}-{env}.zip"
            files[z] = _lfs(z, r, 100_000 + r.random() * 500_000)
            files[f"{algo}-{env}/policy.pth"] = _lfs(f"{algo}-{env}/policy.pth", r, 40_000 + r.random() * 100_000)
            files[f"{algo}-{env}/data"] = _nb_entry(f"{algo}-{env}/data", r, 10_000, 30_000)
            weights += [z, f"{algo}-{env}/policy.pth"]
            files["results.json"] = json.dumps({"mean_reward": 250.0, "std_reward": 20.0, "is_deterministic": True,
                                                "n_eval_episodes": 10, "eval_datetime": iso(m["created"])}).encode()
        elif lib == "ml-agents":
            p = f"{env}.onnx"
            files[p] = _lfs(p, r, 50_000 + r.random() * 500_000)
            weights.append(p)
            files["configuration.yaml"] = _const(f"mla-{env}", lambda: f"default_settings: null\nbehaviors:\n  {env}:\n"
                                                 "    trainer_type: ppo\n    max_steps: 500000\n")
            files["run_logs/timers.json"] = _nb_entry("run_logs/timers.json", r, 10_000, 40_000)
        else:
            p = "q-learning.pkl" if algo == "q" else "model.pt"
            files[p] = _lfs(p, r, 1_000 + r.random() * 100_000)
            weights.append(p)

    def _misc_files(self, m, r, files, weights) -> None:
        lib = m["misc_lib"]
        if lib in ("keras", "tf-keras"):
            if lib == "keras" and r.random() < 0.5:
                files["model.keras"] = _lfs("model.keras", r, 1e5 + r.random() * 5e8)
                files["config.json"] = _jdump({"module": "keras", "class_name": "Functional"})
                weights.append("model.keras")
            else:
                for p in ("saved_model.pb", "keras_metadata.pb", "fingerprint.pb"):
                    files[p] = _lfs(p, r, 1e4 + r.random() * 1e6)
                p = "variables/variables.data-00000-of-00001"
                files[p] = _lfs(p, r, 1e5 + r.random() * 5e8)
                files["variables/variables.index"] = _lfs("variables/variables.index", r, 5e3 + r.random() * 5e4)
                weights.append(p)
            return
        if lib in ("transformers", "pytorch_model_hub_mixin", "setfit"):
            m["params"] = int(1e6 + r.random() * 3e8)
            files["config.json"] = _jline({"hidden_size": pick(r, [256, 512, 768, 1024]),
                                           "num_layers": pick(r, [2, 4, 6, 12])})
            self._weights(m, r, files, weights, m["params"], 4)
            if lib == "setfit":
                files["model_head.pkl"] = _lfs("model_head.pkl", r, 5e3 + r.random() * 1e5)
            return
        candidates = {
            "sklearn": ["model.joblib", "skops-model.pkl", "model.pkl"], "joblib": ["model.joblib"],
            "ultralytics": ["best.pt", "last.pt", "yolov8n.pt"], "fastai": ["model.pkl", "export.pkl"],
            "onnx": ["model.onnx"], "pytorch": ["model.pt", "model.pth", "checkpoint.pth"],
            "spacy": ["en_pipeline-any-py3-none-any.whl"], "flair": ["pytorch_model.bin", "final-model.pt"],
            "tensorboard": ["runs/events.out.tfevents.1"],
        }.get(lib, ["model.pkl", "model.pt", "checkpoint.pth", "weights.h5", "model.onnx", "model.bin",
                    "model.safetensors", "best_model.pth", "model.ckpt"])
        n = 1 + (r.random() < 0.3)
        for _ in range(n):
            p = pick(r, candidates)
            files[p] = _lfs(p, r, 1e4 + math.exp(10 + 8 * r.random()))
            if p not in weights:
                weights.append(p)
        if r.random() < 0.2:
            files["requirements.txt"] = _const("req", lambda: b"torch\nnumpy\nscikit-learn\n")
        if r.random() < 0.15:
            files["train.ipynb"] = _nb_entry("train.ipynb", r, 10_000, 400_000)
        if r.random() < 0.1:
            files["app.py"] = _nb_entry("app.py", r, 500, 5_000)

    # -- metadata shared by the card text and the card YAML --------------------------------------------
    def prepare(self, m: dict[str, Any]) -> None:
        r = m["r"]
        tm = time.gmtime(m["created"])
        m["year"] = tm.tm_year
        yf = tm.tm_year + tm.tm_yday / 366
        m["versions"] = {"transformers": _version_for(yf, _TRANSFORMERS_VERSIONS),
                         "torch": _version_for(yf, _TORCH_VERSIONS),
                         "datasets": f"{max(1, int(yf - 2019) * 0.5 + 1.0):.1f}.{int(r.random() * 3)}",
                         "tokenizers": f"0.{10 + int(yf - 2019) * 2}.{int(r.random() * 4)}",
                         "peft": f"0.{max(2, int((yf - 2023) * 5))}.{int(r.random() * 3)}"}
        task = m["pipeline"]
        metrics = m["metrics"] or T.METRICS_BY_TASK.get(task, [])
        style = m["card_style"]
        ev: list[tuple[str, Any]] = []
        if style in ("trainer", "autotrain", "rich", "partial", "st", "template") and m["kind"] != "rl":
            ev.append(("Loss", round(0.05 + 1.2 * r.random() ** 2, 4)))
            for name in metrics[:3]:
                if name in ("wer",):
                    v = 0.05 + 0.5 * r.random()
                elif name in ("bleu",):
                    v = 10 + 35 * r.random()
                elif name in ("rouge",):
                    name, v = "Rouge1", 20 + 30 * r.random()
                elif name == "perplexity":
                    v = 3 + 20 * r.random()
                else:
                    v = 0.55 + 0.44 * r.random() ** 0.5
                ev.append((name.replace("_", " ").title() if name != "f1" else "F1", round(v, 4)))
            m["eval"] = ev
        lr = pick(r, ["2e-05", "5e-05", "3e-05", "0.0002", "1e-05", "0.0001", "5e-06"])
        epochs = pick(r, [1, 2, 3, 3, 3, 5, 10])
        bs = pick(r, [4, 8, 16, 16, 32, 64])
        m["hparams"] = [("learning_rate", lr), ("train_batch_size", bs), ("eval_batch_size", bs),
                        ("seed", pick(r, [42, 42, 42, 0, 1234, 3407])),
                        ("optimizer", pick(r, ["Use adamw_torch with betas=(0.9,0.999) and epsilon=1e-08",
                                               "Adam with betas=(0.9,0.999) and epsilon=1e-08",
                                               "Use OptimizerNames.ADAMW_TORCH_FUSED with betas=(0.9,0.999)",
                                               "Use paged_adamw_8bit with betas=(0.9,0.999) and epsilon=1e-08"])),
                        ("lr_scheduler_type", pick(r, ["linear", "cosine", "constant"])),
                        ("num_epochs", epochs)]
        if r.random() < 0.4:
            m["hparams"].append(("mixed_precision_training", "Native AMP"))
        m["steps_per_epoch"] = pick(r, [50, 125, 250, 500, 1000, 2500])
        m["fill"] = 0.35 + 0.3 * r.random()
        # carbon: AutoTrain's legacy cards report it almost always; others rarely
        p_co2 = {"legacy": 0.9, "advanced": 0.35}.get(m.get("autotrain") or "", 0.0)
        if not p_co2 and style in ("trainer", "rich", "partial", "template", "st"):
            p_co2 = 0.03
        if m["readme"] and r.random() < p_co2:
            grams = round(math.exp(math.log(5) + 2.2 * _gauss(r)), 4)
            if m.get("autotrain"):
                v = r.random()
                m["co2"] = grams if v < 0.3 else {"emissions": grams} if v < 0.5 else {
                    "emissions": grams, "source": "AutoTrain", "training_type": "fine-tuning",
                    "geographical_location": pick(r, T.CO2_LOCATIONS), "hardware_used": pick(r, T.HARDWARE)}
            elif r.random() < 0.3:
                m["co2"] = grams
            else:
                d: dict[str, Any] = {"emissions": grams}
                for key, val in (("source", pick(r, ["codecarbon", "code carbon", "ML CO2 Impact",
                                                     "mlco2.github.io", "Lacoste et al. (2019)"])),
                                 ("training_type", pick(r, T.TRAINING_TYPES)),
                                 ("geographical_location", pick(r, T.CO2_LOCATIONS)),
                                 ("hardware_used", pick(r, T.HARDWARE))):
                    if r.random() < 0.65:
                        d[key] = val
                m["co2"] = d
        if m["relation"] == "merge":
            method = m["merge_method"]
            parents = m["parents"] if len(m["parents"]) > 1 else m["parents"] * 2
            if method == "slerp":
                doc = {"slices": [{"sources": [{"model": p, "layer_range": [0, 32]} for p in parents[:2]]}],
                       "merge_method": "slerp", "base_model": parents[0],
                       "parameters": {"t": [{"filter": "self_attn", "value": [0, 0.5, 0.3, 0.7, 1]},
                                            {"value": 0.5}]}, "dtype": "bfloat16"}
            elif method == "passthrough":
                doc = {"slices": [{"sources": [{"model": p, "layer_range": [k * 8, k * 8 + 24]}]}
                                  for k, p in enumerate(parents)], "merge_method": "passthrough", "dtype": "bfloat16"}
            else:
                doc = {"models": [{"model": p, "parameters": {"density": 0.53, "weight": round(1 / len(parents), 3)}}
                                  for p in parents], "merge_method": method, "base_model": parents[0],
                       "parameters": {"normalize": True, "int8_mask": True}, "dtype": "bfloat16"}
            m["mergekit_yaml"] = T.to_yaml(doc)
        if m.get("autotrain") == "legacy":
            m["autotrain_id"] = int(r.random() * 9e9)

    def card_data(self, m: dict[str, Any]) -> dict[str, Any] | None:
        """The card's YAML metadata (== info.cardData), or None for cards without front matter."""
        style = m["card_style"]
        if style == "none":
            return None
        r = m["r"]
        if style == "minimal":
            return {"license": m["license"]} if m["license"] and r.random() < 0.4 else None
        d: dict[str, Any] = {}
        base = None
        if m["base_declared"] and m["parents"]:
            base = m["parents"][0] if len(m["parents"]) == 1 and r.random() < 0.9 else list(m["parents"])
        lang = m["language"]
        if lang and r.random() < 0.4 and len(lang) == 1:
            lang = lang[0]
        if style in ("trainer", "autotrain"):
            if m["library"] and m["year"] >= 2023:
                d["library_name"] = m["library"]
            if m["license"]:
                d["license"] = m["license"]
            if base:
                d["base_model"] = base
            tags = list(m["card_tags"])
            if m.get("autotrain"):
                tags = ["autotrain", m["pipeline"] or "text-classification"] + tags
            if tags:
                d["tags"] = tags
            if lang:
                d["language"] = lang
            if m["datasets"]:
                d["datasets"] = list(m["datasets"])
            if m["metrics"]:
                d["metrics"] = list(m["metrics"])
            if m["eval"] and r.random() < 0.5:
                d["model-index"] = self.model_index(m)
        elif style in ("gguf0", "gguf1", "gguf2", "quant", "merge", "sd-lora", "st"):
            if base:
                d["base_model"] = base
            if m["library"]:
                d["library_name"] = m["library"]
            if m["license"] and r.random() < 0.7:
                d["license"] = m["license"]
            if lang and style != "merge":
                d["language"] = lang
            if m["card_tags"]:
                d["tags"] = list(m["card_tags"])
            if style == "gguf1":
                d["quantized_by"] = m["author"]
            if style == "sd-lora":
                d["instance_prompt"] = m.get("trigger") or "style"
            if style == "st":
                d["pipeline_tag"] = m["pipeline"]
                if m["datasets"]:
                    d["datasets"] = list(m["datasets"])
        elif style == "rl":
            d["library_name"] = m["library"] or "custom"
            d["tags"] = list(m["card_tags"])
            d["model-index"] = [{"name": m["rl_algo"], "results": [{
                "task": {"type": "reinforcement-learning", "name": "reinforcement-learning"},
                "dataset": {"name": m["rl_env"], "type": m["rl_env"]},
                "metrics": [{"type": "mean_reward", "value": m["eval"][0][1], "name": "mean_reward",
                             "verified": False}]}]}]
        elif style == "translation":
            d = {"language": [m["src"], m["tgt"]], "tags": ["translation"], "license": "apache-2.0"}
        else:  # template, partial, rich
            if base and r.random() < 0.5:
                d["base_model"] = base
            if m["library"]:
                d["library_name"] = m["library"]
            if m["license"]:
                d["license"] = m["license"]
            if lang and (style != "template" or r.random() < 0.5):
                d["language"] = lang
            if m["datasets"] and style != "template":
                d["datasets"] = list(m["datasets"])
            if m["metrics"] and style != "template":
                d["metrics"] = list(m["metrics"])
            if base and "base_model" not in d:
                d["base_model"] = base
            if m["pipeline"] and r.random() < 0.6:
                d["pipeline_tag"] = m["pipeline"]
            if m["card_tags"]:
                d["tags"] = list(m["card_tags"])
            if style == "rich" and m["eval"] and r.random() < 0.4:
                d["model-index"] = self.model_index(m)
        if base and m["relation_declared"]:
            d["base_model_relation"] = m["relation"]
        if m["co2"] is not None:
            d["co2_eq_emissions"] = m["co2"]
        if style == "rich" and m["gated"] and r.random() < 0.7:
            d["extra_gated_prompt"] = "You agree to use this model only for research and to share contact details."
        return d or None

    def model_index(self, m: dict[str, Any]) -> list[dict[str, Any]]:
        ds = m["dataset"]
        return [{"name": m["name"], "results": [{
            "task": {"type": m["pipeline"] or "text-classification",
                     "name": T.TASK_HUMAN.get(m["pipeline"], "Model").title()},
            "dataset": {"name": ds[0], "type": ds[0], "split": "test" if m["i"] % 3 else "validation"},
            "metrics": [{"type": k.lower().replace(" ", "_"), "value": v, "name": k} for k, v in m["eval"][1:]
                        ] or [{"type": "loss", "value": m["eval"][0][1], "name": "Loss"}]}]}]

    def ctx(self, m: dict[str, Any]) -> dict[str, Any]:
        c = m.get("ctx")
        if c is not None:
            return c
        r = m["r"]  # first called at a fixed point of the model's generation
        base = m["parents"][0] if m["parents"] else None
        ds = m.get("dataset") or ("custom", "custom")
        task = m["pipeline"]
        lang = m.get("lang") or "en"
        c = {
            "name": m["name"], "repo_id": m["id"], "author": m["author"], "base_id": base,
            "base_short": base.split("/")[-1] if base else "a pretrained model",
            "base_link": f"[{base}](https://huggingface.co/{base})" if base else "a pretrained checkpoint",
            "relation": m["relation"], "task_human": T.TASK_HUMAN.get(task, "machine learning"),
            "lang_name": T.LANGUAGE_NAMES.get(lang, lang), "dataset": ds[0],
            "dataset_id": m["datasets"][0] if m["datasets"] else None, "size": m.get("size") or "small",
            "library": m["library"] or "pytorch", "pipeline": task,
            "model_type_human": f"{m['model_type'] or 'custom'} ({T.TASK_HUMAN.get(task, 'model')})",
            "license": m["license"], "example": pick(r, _EXAMPLES.get(task) or _EXAMPLES[None]),
            "regime": pick(r, ["bf16 mixed precision", "fp16 mixed precision", "fp32", "bf16 non-mixed precision"]),
            "hardware": pick(r, T.HARDWARE), "hours": pick(r, [0.5, 1, 2, 4, 8, 12, 24, 72, 300]),
            "cloud": pick(r, T.CLOUDS), "region": pick(r, T.REGIONS), "co2": m["co2"], "arch": m["arch"] or "model",
            "software": f"PyTorch {m['versions']['torch']}, Transformers {m['versions']['transformers']}",
            "metrics": m["metrics"], "eval": m["eval"], "hparams": m["hparams"],
            "steps_per_epoch": m["steps_per_epoch"], "versions": m["versions"], "year": m["year"],
            "autotrain_problem": {"text-classification": "Binary Classification", "token-classification":
                                  "Entity Extraction", "summarization": "Summarization",
                                  "image-classification": "Image Classification"}.get(
                                      task, "Multi-class Classification"),
            "autotrain_id": m.get("autotrain_id"), "quant_format": m["quant_format"] or "",
            "quant_table": m.get("quant_table") or [], "gguf_file": m.get("gguf_file"),
            "merge_parents": m["parents"], "merge_method": m.get("merge_method") or "slerp",
            "mergekit_yaml": m.get("mergekit_yaml") or "", "rl_algo": m.get("rl_algo"), "rl_env": m.get("rl_env"),
            "trigger": m.get("trigger") or "style", "dim": m.get("dim") or 768, "src": m.get("src"),
            "tgt": m.get("tgt"), "bleu": round(15 + 30 * r.random(), 1), "chrf": round(0.3 + 0.4 * r.random(), 3),
            "n_train": pick(r, ["1,200", "8,544", "25,000", "120,000", "560,000", "1.2M"]),
        }
        m["ctx"] = c
        return c

    def readme(self, m: dict[str, Any], rev: int, r: Random) -> bytes:
        """README.md at card revision ``rev`` (0 = first version); front matter is stable across revisions."""
        style = m["card_style"]
        c = self.ctx(m)
        if style == "minimal" or style == "late":
            body = pick(r, T.ONE_LINERS).format(**c) + "\n"
        elif style == "trainer":
            body = T.render_trainer_card(c, r, rev)
        elif style == "autotrain":
            body = T.render_autotrain_card(c, r, m.get("autotrain") == "legacy")
        elif style == "template":
            body = T.render_template_card(c, r, 0.0 if rev == 0 else min(0.8, 0.2 * rev))
        elif style == "partial":
            body = T.render_template_card(c, r, min(0.9, m["fill"] + 0.1 * rev))
        elif style == "rich":
            body = T.render_rich_card(c, r, rev)
        elif style.startswith("gguf"):
            body = T.render_gguf_card(c, r, int(style[-1]))
        elif style == "quant":
            body = T.render_quant_card(c, r)
        elif style == "merge":
            body = T.render_merge_card(c, r)
        elif style == "rl":
            body = T.render_rl_card(c, r)
        elif style == "sd-lora":
            body = T.render_sd_lora_card(c, r)
        elif style == "st":
            body = T.render_st_card(c, r)
        elif style == "translation":
            body = T.render_translation_card(c, r)
        else:
            body = f"# {m['name']}\n"
        if rev:
            # Every card edit changes the text, also for card kinds that do not vary by revision.
            body += f"\n{pick(r, _CARD_NOTES)} ({rev})\n"
        if style == "late":
            head = ""
        elif m.get("malformed"):
            head = T.malformed_front_matter(m["card_data"] or {}, m["malformed"] - 1) + "\n"
        elif m["card_data"]:
            head = m.get("fm_text")
            if head is None:
                head = m["fm_text"] = T.front_matter(m["card_data"]) + "\n"
        else:
            head = ""
        text = head + body
        if m.get("crlf"):
            text = text.replace("\n", "\r\n")
        return text.encode()


_EXAMPLES = {
    "text-classification": ["I love this movie!", "The service was terrible.", "This product exceeded my hopes."],
    "token-classification": ["My name is Wolfgang and I live in Berlin.", "Apple opened an office in Nairobi."],
    "question-answering": ["Where do I live?", "Who wrote the report?"],
    "fill-mask": ["Paris is the [MASK] of France.", "The goal of life is [MASK]."],
    "summarization": ["The tower is 324 metres tall, about the same height as an 81-storey building."],
    "translation": ["The weather in Paris is nice today.", "Where is the train station?"],
    None: ["Hello, how are you?", "Explain quantum computing in simple terms.", "Write a haiku about autumn."],
}
_CARD_NOTES = ["Updated evaluation results.", "Fixed a typo in the usage example.", "Added limitations.",
               "Clarified the license.", "Updated the model description.", "Added citation information.",
               "Note: see the changelog for details.", "Removed outdated benchmark numbers."]


def _commit_id(seed: int, i: int, tag: str) -> str:
    return hashlib.sha1(f"hubmine:{seed}:{i}:{tag}".encode()).hexdigest()


class _Repo(_Builder):
    """History, day changes and the API body (split from :class:`_Builder` to keep each part readable)."""

    def __init__(self, g: _Generator):
        super().__init__(g)
        self.seen: dict[tuple[str, bytes], dict[str, Any]] = {}

    def writer_commits(self, commits: list[Commit]) -> list[Commit]:
        """Commits for SnapshotWriter: a small file's bytes only where its blob is new, its tree entry after.

        Most small files repeat (across a repo's commits, and constant ones across repos); handing the
        writer the entry instead of the bytes skips re-hashing and re-compressing them.
        """
        seen = self.seen
        out = []
        for c in commits:
            files = {}
            for p, v in c.files.items():
                if type(v) is bytes:
                    key = (p, v)
                    e = seen.get(key)
                    if e is None:
                        if len(seen) > 50_000:
                            seen.clear()
                        seen[key] = file_entry(p, v)
                    else:
                        v = e
                files[p] = v
            out.append(Commit(c.id, c.date, c.title, c.message, c.authors, files))
        return out

    def complete(self, m: dict[str, Any], fresh: int | None = None) -> None:
        g, r = self.g, m["r"]
        m["id"] = f"{m['author']}/{m['name']}"
        if fresh is not None:
            # A repo made on day `fresh`: its history fits in that day, and it has a day's downloads.
            m["horizon"] = g.start_ts + (fresh + 1) * DAY - 60
            m["downloads"] //= 30
            m["likes"] //= 10
        if m["kind"] != "root" and r.random() < 0.01:
            m["gated"] = "auto"
        self.prepare(m)
        self.files(m)
        m["used"] = sum(e["size"] for e in m["files"].values() if isinstance(e, dict) and "lfs" in e)
        # trending: likes of the last weeks, so only young, liked repos trend (static until the repo changes)
        age_days = max(0.0, (g.start_ts - m["created"]) / DAY)
        m["trending"] = int(m["likes"] * math.exp(-age_days / 14)) if age_days < 90 else 0
        m["card_data"] = self.card_data(m) if m["readme"] else None
        m["malformed"] = 1 + int(r.random() * 3) if m["readme"] and r.random() < 0.005 and not m.get("planted") else 0
        m["crlf"] = r.random() < 0.01
        self.history(m)

    def _authors(self, m: dict[str, Any], r: Random) -> tuple[str, ...]:
        if m["author_kind"] == "user":
            return (m["author"],)
        return (self.g.org_member(m["author"], r),)

    def history(self, m: dict[str, Any]) -> None:
        r, g = m["r"], self.g
        created, i = m["created"], m["i"]
        files = m["files"]
        u = r.random()
        # most repos: "initial commit" + one upload, or a single commit; a geometric tail of edits
        n = 1 if u < 0.28 else 2 + int(-1.4 * math.log(1.0 - r.random()))
        if m["kind"] == "root":
            n = 5 + int(r.random() * 25)
        elif m["downloads"] > 5_000:
            n += int(math.exp(r.random() * 2.5))
        n = min(n, MAX_BASE_COMMITS)
        authors = self._authors(m, r)
        m["readme_rev"] = -1
        m["cfg_rev"] = 0
        commits: list[Commit] = []
        if n == 1:
            state = dict(files)
            if m["readme"]:
                state["README.md"] = self.readme(m, 0, r)
                m["readme_rev"] = 0
            commits.append(Commit(_commit_id(g.seed, i, "0"), iso(created), "initial commit", "", authors, state))
        else:
            t1 = created + 10 + int(r.random() * 900)
            last = m.get("horizon", g.start_ts - 60)
            later = sorted(t1 + int((last - t1) * r.random() ** 3) for _ in range(n - 2))
            times = [created, t1] + later
            for k in range(2, n):
                times[k] = max(times[k], times[k - 1] + 1)
            commits.append(Commit(_commit_id(g.seed, i, "0"), iso(created), "initial commit", "", authors,
                                  {".gitattributes": files[".gitattributes"]}))
            state = dict(files)
            if m["readme"] and (n == 2 or r.random() < 0.75):
                state["README.md"] = self.readme(m, 0, r)
                m["readme_rev"] = 0
            title = pick(r, T.COMMIT_UPLOAD_TITLES).format(cls=pick(r, ["model", "tokenizer", "folder"]))
            commits.append(Commit(_commit_id(g.seed, i, "1"), iso(t1), title, "", authors, state))
            for k in range(2, n):
                state = dict(state)
                title, auth = self.event(m, r, state, base=True)
                commits.append(Commit(_commit_id(g.seed, i, str(k)), iso(times[k]), title, "",
                                      auth or authors, state))
        m["commits"], m["state"] = commits, state
        refs: list[tuple[str, str, str]] = []
        if len(commits) >= 3 and r.random() < (0.3 if m["kind"] == "root" else 0.05):
            refs.append(("tag", pick(r, ["v1.0", "v1", "v0.1", "1.0.0"]), commits[len(commits) // 2].id))
            if r.random() < 0.5:
                refs.append(("tag", pick(r, ["v2", "v2.0", "v1.1", "2.0.0"]), commits[-1].id))
        if m["quant_format"] in ("gptq", "exl2") and m["author_kind"] == "quant-org" and len(commits) >= 2:
            names = ["gptq-4bit-32g-actorder_True", "gptq-8bit-128g-actorder_False"] if m["quant_format"] == "gptq" \
                else ["4_0", "5_0", "6_5", "8_0"]
            refs += [("branch", b, commits[-1 - (k % 2)].id) for k, b in enumerate(names)]
        m["refs"] = refs

    def event(self, m: dict[str, Any], r: Random, state: dict[str, Any], *, base: bool) -> tuple[str, tuple | None]:
        """Apply one change to ``state``; returns (commit title, authors override)."""
        u = r.random()
        weights = [p for p in m["weights"] if p in state]
        if m["readme"] and "README.md" not in state:
            state["README.md"] = self.readme(m, 0, r)
            m["readme_rev"] = 0
            return pick(r, ["Create README.md", "Add model card", "Upload README.md with huggingface_hub"]), None
        if not base and "README.md" not in state and u < 0.5:
            # a card-less repo finally gets a README: a one-liner without metadata
            m["card_style"] = "late"
            m["readme_rev"] = 0
            state["README.md"] = self.readme(m, 0, r)
            return "Create README.md", None
        if u < 0.45 and "README.md" in state:
            m["readme_rev"] += 1
            state["README.md"] = self.readme(m, m["readme_rev"], r)
            title = pick(r, T.COMMIT_CARD_TITLES)
            return title, ("librarian-bot",) if title.startswith("Librarian") else None
        if base and m.get("bin_weights") and "model.safetensors" not in state and weights and u < 0.55:
            size = sum(state[p]["size"] for p in weights if p.endswith(".bin"))
            if size:
                state["model.safetensors"] = _lfs("model.safetensors", r, size)
                m["used"] += size
                m["weights"].append("model.safetensors")
                return "Adding `safetensors` variant of this model", ("SFconvertbot",)
        if u < 0.8 and weights:
            for p in weights:
                size = int(state[p]["size"] * (0.98 + 0.04 * r.random()))
                state[p] = _lfs(p, r, size)
                m["used"] += size
            if "README.md" in state and r.random() < P_CARD_WITH_WEIGHTS:
                m["readme_rev"] += 1
                state["README.md"] = self.readme(m, m["readme_rev"], r)
            k = 1 + int(r.random() * 5)
            return pick(r, T.COMMIT_WEIGHT_TITLES).format(weights=weights[0], k=k, step=k * 500), None
        if isinstance(state.get("config.json"), bytes):
            m["cfg_rev"] += 1
            state["config.json"] = self.config(m, m["cfg_rev"])
            return pick(r, ["Update config.json", "fix config", "Upload config"]), None
        p = pick(r, ["training_log.txt", "notes.md", "eval_results.txt", "LICENSE"])
        state[p] = _nb_entry(p, r, 200, 20_000)
        return f"Upload {p}", None

    # -- the GET /api/models/{id} body -------------------------------------------------------------------
    def info(self, m: dict[str, Any]) -> dict[str, Any]:
        state = m["state"]
        rid = m["id"]
        has_readme = "README.md" in state
        card = m["card_data"] if has_readme and not m["malformed"] and m["card_style"] != "late" else None
        paths = sorted(state)
        head = m["commits"][-1]
        created = m["created"]
        tags: list[str] = []
        lib, pipe = m["library"], m["pipeline"]
        if lib:
            tags.append(lib)
        exts = {p.rsplit(".", 1)[-1] for p in paths if "." in p and p != "training_args.bin"}
        for ext, tag in (("safetensors", "safetensors"), ("bin", "pytorch"), ("pt", "pytorch"), ("pth", "pytorch"),
                         ("gguf", "gguf"), ("onnx", "onnx"), ("h5", "tf"), ("msgpack", "jax"), ("keras", "keras")):
            if ext in exts and tag not in tags:
                tags.append(tag)
        if any(p.startswith("runs/") for p in paths):
            tags.append("tensorboard")
        if m["model_type"]:
            tags.append(m["model_type"])
        if pipe:
            tags.append(pipe)
        if card:
            tags += card.get("tags") or []
        if m["chat"] and m["cls"] in ("causal", "vlm") and m["relation"] != "quantized":
            tags.append("conversational")
        base_list: list[str] = []
        if card:
            lang = card.get("language")
            tags += [lang] if isinstance(lang, str) else (lang or [])
            tags += [f"dataset:{d}" for d in card.get("datasets") or []]
            b = card.get("base_model")
            base_list = [b] if isinstance(b, str) else list(b or [])
            rel_tag = m["relation_declared"] or (m["i"] * 2654435761 >> 7) % 2 == 0
            for p in base_list:
                tags.append(f"base_model:{p}")
                if rel_tag and m["relation"]:
                    tags.append(f"base_model:{m['relation']}:{p}")
            if card.get("license"):
                tags.append(f"license:{card['license']}")
        if lib == "transformers":
            if m["cls"] in ("causal", "masked", "seq2seq", "vlm"):
                tags.append("autotrain_compatible")
            if m["cls"] == "causal":
                tags.append("text-generation-inference")
            tags.append("endpoints_compatible")
        tags.append("region:us")
        tags = list(dict.fromkeys(t for t in tags if isinstance(t, str)))
        info: dict[str, Any] = {
            "_id": f"{max(created, PLACEHOLDER_UNTIL):08x}{zlib.crc32(rid.encode()) * 0x9E3779B1 & _MASK64:016x}",
            "id": rid, "private": False}
        if pipe:
            info["pipeline_tag"] = pipe
        if lib:
            info["library_name"] = lib
        info.update(tags=tags, downloads=m["downloads"], likes=m["likes"], modelId=rid, author=m["author"],
                    sha=head.id, lastModified=head.date, gated=m["gated"], disabled=False)
        if pipe == "fill-mask":
            info["mask_token"] = "[MASK]" if (m["model_type"] or "").endswith("bert") else "<mask>"
        if card and "model-index" in card:
            info["model-index"] = card["model-index"]
        if m["arch"] and m["model_type"] and "config.json" in state:
            cfg: dict[str, Any] = {"architectures": [m["arch"]], "model_type": m["model_type"]}
            if m.get("quant_config"):
                cfg["quantization_config"] = m["quant_config"]
            info["config"] = cfg
        if card:
            info["cardData"] = card
        auto = T.CLASSES.get(m["cls"], {}).get("auto")
        if lib == "transformers" and auto:
            info["transformersInfo"] = {"auto_model": auto, "pipeline_tag": pipe, "processor": "AutoTokenizer"}
        info["siblings"] = [{"rfilename": p} for p in paths]
        info["createdAt"] = iso(created) if created >= PLACEHOLDER_UNTIL else T.PLACEHOLDER_CREATED
        st = self.safetensors(m, exts)
        if st:
            info["safetensors"] = st
        if m["gguf"]:
            info["gguf"] = m["gguf"]
        info["usedStorage"] = m["used"]
        info["trendingScore"] = m.get("trending", 0)
        return info

    def safetensors(self, m: dict[str, Any], exts: set[str]) -> dict[str, Any] | None:
        params = m["params"]
        if "safetensors" not in exts or not params or m["relation"] == "adapter" or m["kind"] in ("rl", "misc", "timm"):
            if m["kind"] == "misc" and "safetensors" in exts and params:
                return {"parameters": {"F32": params}, "total": params}
            return None
        if m["cls"] == "diffusion":
            return None
        fmt = m["quant_format"]
        if fmt in ("awq", "gptq", "exl2"):
            p = {"I32": params // 9, "F16": params // 12}
        elif fmt == "bnb":
            p = {"F32": params // 200, "BF16": params // 12, "U8": params // 2}
        elif fmt == "mlx":
            p = {"BF16": params // 12, "U32": params // 8}
        elif fmt == "fp8":
            p = {"BF16": params // 12, "F8_E4M3": params - params // 12}
        else:
            p = {m["dtype"]: params}
        return {"parameters": p, "total": sum(p.values())}


# ----------------------------------------------------------------------------------------------
# Daily change: a function of what the snapshot serves
# ----------------------------------------------------------------------------------------------
# A day's change to a model is computed from what the snapshot holds for it (API body, head tree,
# README and config contents) plus two generator facts kept beside it (which files are weights,
# who commits), never from the generator's in-memory model. So day D+1 can be derived from day D's
# snapshot by touching only the few models that change (:func:`advance`), and generating day D in
# one go (:func:`generate`) applies the very same function: both give identical snapshots.

_LATE_CARDS = ["{name}", "# {name}", "# {name}\n\nWork in progress.", "# {name}\n\nTODO: add model card", "test",
               "Model for my thesis project.", "# {name}\n\nSee https://github.com/{author}/{name}",
               "My {task} model."]
# What a card edit writes into a template placeholder.
_FILLED = ["This model was trained on a single GPU for a few hours.", "Use it for research purposes only.",
           "The model may reproduce biases present in its training data.", "Evaluated on the held-out test split.",
           "Trained with the Hugging Face Trainer.", "Contact the author through the community tab."]
_PLACEHOLDER = b"[More Information Needed]"


class _Served:
    """One model as a snapshot serves it, plus the generator facts a day change needs."""

    __slots__ = ("pos", "info", "files", "seq", "weights", "owner")

    def __init__(self, pos: int, info: dict[str, Any], files: dict[str, Any], seq: int, weights: list[str],
                 owner: tuple[str, ...]):
        self.pos = pos
        self.info = info    # GET /api/models/{id} body
        self.files = files  # head tree: path -> content (bytes) or tree entry (dict)
        self.seq = seq      # head commit's position in the log
        self.weights = weights
        self.owner = owner  # authors of the repo's own commits


def day_change(seed: int, start_ts: int, s: _Served, d: int, load: Callable[[dict], bytes | None]) -> Commit:
    """Apply day ``d``'s change to ``s`` (in place: info, files, seq) and return the new head commit.

    ``load(entry)`` gives the content of a small file listed by its tree entry (None when unknown).
    """
    r = Random(((seed << 32) + s.pos) | ((d + 1) << 90))
    state = dict(s.files)
    title, authors, used = _day_event(r, s, state, load)
    when = start_ts + d * DAY + int(r.random() * (DAY - 120))
    commit = Commit(_commit_id(seed, s.pos, f"d{d}"), iso(when), title, "", authors or s.owner, state)
    info = s.info
    dl = info["downloads"]
    gained = int(dl * (0.01 + 0.2 * r.random())) + int(r.random() * 30)
    likes = info["likes"]
    new_likes = int(likes * 0.03 * r.random()) + (1 if r.random() < 0.3 else 0)
    info.update(sha=commit.id, lastModified=commit.date, downloads=dl + gained, likes=likes + new_likes,
                trendingScore=new_likes + gained // 1000, siblings=[{"rfilename": p} for p in sorted(state)],
                usedStorage=info.get("usedStorage", 0) + used)
    s.files = state
    s.seq += 1
    return commit


def _day_event(r: Random, s: _Served, state: dict[str, Any], load) -> tuple[str, tuple | None, int]:
    """One change to ``state``: (commit title, authors override, storage added)."""
    u = r.random()
    weights = [p for p in s.weights if p in state]
    has_card = "README.md" in state
    if not has_card and u < 0.5:
        # a card-less repo finally gets a README: a one-liner without metadata
        info = s.info
        text = pick(r, _LATE_CARDS).format(name=info["id"].rsplit("/", 1)[-1], author=info.get("author") or "",
                                           task=T.TASK_HUMAN.get(info.get("pipeline_tag"), "machine learning"))
        state["README.md"] = (text + "\n").encode()
        return "Create README.md", None, 0
    if u < 0.45 and has_card:
        state["README.md"] = _edit_card(_content(state["README.md"], load), r, s.seq + 1)
        title = pick(r, T.COMMIT_CARD_TITLES)
        return title, ("librarian-bot",) if title.startswith("Librarian") else None, 0
    if u < 0.8 and weights:
        used = 0
        for p in weights:
            size = int(state[p]["size"] * (0.98 + 0.04 * r.random()))
            state[p] = _lfs(p, r, size)
            used += size
        if has_card and r.random() < P_CARD_WITH_WEIGHTS:
            state["README.md"] = _edit_card(_content(state["README.md"], load), r, s.seq + 1)
        k = 1 + int(r.random() * 5)
        return pick(r, T.COMMIT_WEIGHT_TITLES).format(weights=weights[0], k=k, step=k * 500), None, used
    config = _bump_config(_content(state["config.json"], load)) if "config.json" in state else None
    if config is not None:
        state["config.json"] = config
        return pick(r, ["Update config.json", "fix config", "Upload config"]), None, 0
    p = pick(r, ["training_log.txt", "notes.md", "eval_results.txt", "LICENSE"])
    state[p] = _nb_entry(p, r, 200, 20_000)
    return f"Upload {p}", None, 0


def _content(value: bytes | dict[str, Any], load) -> bytes | None:
    return value if isinstance(value, bytes) else load(value)


def _edit_card(text: bytes | None, r: Random, rev: int) -> bytes:
    """A card edit: fill in one template placeholder, else add a dated note at the end."""
    text = text or b""
    if _PLACEHOLDER in text and r.random() < 0.6:
        return text.replace(_PLACEHOLDER, pick(r, _FILLED).encode(), 1)
    nl = "\r\n" if b"\r\n" in text else "\n"
    return text + f"{nl}{pick(r, _CARD_NOTES)} ({rev}){nl}".encode()


def _bump_config(raw: bytes | None) -> bytes | None:
    """A config edit: the next transformers version and use_cache flipped; None when not a JSON object."""
    if raw is None:
        return None
    try:
        cfg = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(cfg, dict):
        return None
    version = cfg.get("transformers_version")
    k = _TRANSFORMERS_VERSIONS.index(version) if version in _TRANSFORMERS_VERSIONS else -1
    cfg["transformers_version"] = _TRANSFORMERS_VERSIONS[min(len(_TRANSFORMERS_VERSIONS) - 1, k + 1)]
    cfg["use_cache"] = not cfg.get("use_cache", True)
    return _jline(cfg)


def _no_load(entry: dict[str, Any]) -> bytes | None:
    return None  # in memory, every small file the change function reads is held as bytes


def new_models_per_day(models: int, daily_new: float) -> int:
    """Models created on each simulated day: a fixed share of the initial ones."""
    return int(models * daily_new)


def changed_models(models: int, seed: int, day: int, daily_change: float) -> np.ndarray:
    """Positions (among the first ``models``, i.e. those that existed the day before) of the models
    that get a new commit on ``day`` (empty for day 0)."""
    if day <= 0:
        return np.zeros(0, dtype=np.int64)
    u = _day_uniform(seed, 0, models, np.array([day]))
    return np.nonzero(u[:, 0] < daily_change)[0]


# Maker-specific tables (the replay hub ignores them): what :func:`advance` needs to continue.
GEN_TABLES = """
CREATE TABLE gen_models (pos INTEGER PRIMARY KEY, weights TEXT NOT NULL, owner TEXT NOT NULL);
CREATE TABLE gen_state (key TEXT PRIMARY KEY, value BLOB NOT NULL);
"""


def _gen_state(g: _Generator) -> list[tuple[str, bytes]]:
    """The sequential state new models depend on: candidate parents and the taken-names filter."""
    return [("pools", zlib.compress(pickle.dumps(g.pools, protocol=pickle.HIGHEST_PROTOCOL), 1)),
            ("bloom", zlib.compress(bytes(g.bloom), 1))]


def _load_gen_state(g: _Generator, rows: dict[str, bytes]) -> None:
    g.pools = pickle.loads(zlib.decompress(rows["pools"]))
    g.bloom = bytearray(zlib.decompress(rows["bloom"]))


def _served(m: dict[str, Any], info: dict[str, Any]) -> _Served:
    return _Served(m["i"], info, m["state"], len(m["commits"]) - 1, list(m["weights"]), tuple(m["commits"][0].authors))


# ----------------------------------------------------------------------------------------------
# Producing a snapshot's rows, in one process or several
# ----------------------------------------------------------------------------------------------
BLOCK = 5_000
# Below this many models a worker process costs more than it saves.
PARALLEL_MIN_MODELS = 50_000


def default_workers(models: int) -> int:
    """Processes for generating ``models`` models: one per core (at most 4) for large hubs, else 1."""
    return 1 if models < PARALLEL_MIN_MODELS else max(1, min(4, os.cpu_count() or 1))


class _Producer:
    """Generates blocks of models as table rows. Every producer walks every model's lineage step
    (``_Generator.model``: sequential state, cheap) but completes and serialises only the blocks it
    owns, so several producers in several processes share the expensive part of the work."""

    def __init__(self, params: dict[str, Any]):
        self.p = params
        self.g = _Generator(models=params["models"], seed=params["seed"], start=params["start"],
                            plant_wsb=params["plant_wsb"], plant_share=params["plant_share"],
                            plant_spread=params["plant_spread"])
        self.b = _Repo(self.g)
        self.days = np.arange(1, params["day"] + 1)
        self.blobs: set[str] = set()  # blobs this producer already emitted (the writer dedupes across producers)

    def block(self, first: int, count: int, fresh: int | None, own: bool) -> tuple | None:
        g, b, p = self.g, self.b, self.p
        if not own:
            for i in range(first, first + count):
                g.model(i, fresh)
            return None
        day, seed = p["day"], p["seed"]
        changes: dict[int, list[int]] = {}
        if day:
            rows, cols = np.nonzero(_day_uniform(seed, first, count, self.days) < p["daily_change"])
            for row, col in zip(rows.tolist(), cols.tolist()):
                if fresh is None or col + 1 > fresh:
                    changes.setdefault(first + row, []).append(col + 1)
        out, gen_rows = [], []
        stats = _new_stats()
        known = self.blobs.__contains__
        for i in range(first, first + count):
            m = g.model(i, fresh)
            b.complete(m, fresh)
            info = b.info(m)
            served = _served(m, info)
            commits = list(m["commits"])
            for d in changes.get(i, ()):
                commits.append(day_change(seed, g.start_ts, served, d, _no_load))
            if day and day in changes.get(i, ()):
                stats["changed_today"] += 1
            rows = model_rows(i, info, b.writer_commits(commits), m["refs"], known)
            self.blobs.update(blob[0] for blob in rows.blobs)
            out.append((rows.model, rows.commits, rows.refs, rows.blobs))
            gen_rows.append((i, json.dumps(served.weights), json.dumps(list(served.owner))))
            _count(stats, m, served, len(commits))
        if len(self.blobs) > 2_000_000:
            self.blobs.clear()  # bounded memory; the writer still dedupes
        return ("rows", out, gen_rows, stats)


def _produced_blocks(params: dict[str, Any], blocks: list[tuple], workers: int):
    """("rows", model rows, gen_models rows, stats) per block in order, then ("state", gen_state rows)."""
    if workers <= 1:
        producer = _Producer(params)
        for first, count, fresh in blocks:
            yield producer.block(first, count, fresh, True)
        yield ("state", _gen_state(producer.g))
        return
    # spawn, not fork: a caller may hold threads (a replay hub, DuckDB) that fork would copy half-way.
    ctx = multiprocessing.get_context("spawn")
    queues = [ctx.Queue(maxsize=3) for _ in range(workers)]
    procs = [ctx.Process(target=_worker_main, args=(params, blocks, k, workers, queues[k]), daemon=True)
             for k in range(workers)]
    for proc in procs:
        proc.start()
    try:
        for n in range(len(blocks)):
            yield _receive(queues[n % workers], procs[n % workers])
        yield _receive(queues[0], procs[0])
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()


def _receive(queue, proc) -> tuple:
    while True:
        try:
            item = queue.get(timeout=5)
        except Empty:
            if not proc.is_alive():
                raise RuntimeError(f"generator worker {proc.name} died (exit code {proc.exitcode})") from None
            continue
        if item[0] == "error":
            raise RuntimeError(f"generator worker failed:\n{item[1]}")
        return item


def _worker_main(params: dict[str, Any], blocks: list[tuple], worker: int, workers: int, queue) -> None:
    try:
        producer = _Producer(params)
        for n, (first, count, fresh) in enumerate(blocks):
            result = producer.block(first, count, fresh, n % workers == worker)
            if result is not None:
                queue.put(result)
        if worker == 0:
            queue.put(("state", _gen_state(producer.g)))
    except BaseException:
        queue.put(("error", traceback.format_exc()))
        raise


def _new_stats() -> dict[str, Any]:
    return {"readme_missing": 0, "placeholder_created": 0, "co2": 0, "with_base_model": 0, "relation_declared": 0,
            "malformed_yaml": 0, "commits": 0, "downloads": 0,
            "relations": {"finetune": 0, "adapter": 0, "quantized": 0, "merge": 0}, "changed_today": 0}


def _merge_stats(total: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict):
            for k, v in value.items():
                total[key][k] += v
        else:
            total[key] += value


# ----------------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------------
def generate(out_dir: str | Path, *, models: int, seed: int = 0, day: int = 0, daily_change: float = 0.03,
             start: str = "2026-11-01", progress: bool = True, plant_wsb: int = 0,
             plant_share: float | None = None, daily_new: float = 0.0,
             workers: int | None = None, plant_spread: float = 1.0) -> dict[str, Any]:
    """Write a synthetic hub snapshot of ``models`` model repos to ``out_dir``.

    Args:
        out_dir: the snapshot directory (``hub.sqlite`` is replaced if present).
        models: number of model repos on day 0 (streams: memory stays bounded up to millions).
        seed: the same (models, seed, day, daily_change, start, plant_wsb, plant_share, plant_spread,
            daily_new) gives identical rows.
        day: the simulated day depicted: ``start + day`` days; day ``d >= 1`` changes a
            ``daily_change`` share of the models (see :func:`changed_models`).
        daily_change: probability that a model gets a new commit on a given day.
        start: the date of day 0 (``YYYY-MM-DD``); every day-0 model is created before it.
        progress: show a tqdm progress bar.
        plant_wsb: number of planted base-model families whose derivatives' createdAt follow the
            Wang–Song–Barabási curve; parameters in meta ``planted_wsb`` (JSON list).
        plant_share: share of all models that are planted children (default min(0.02·K, 0.2)).
        plant_spread: the largest planted family's expected size over the smallest's (sizes in
            geometric progression, in random order); 1 (default) makes them alike.
        daily_new: models created each day ``d >= 1``, as a share of ``models``; appended after the
            earlier ones (see :func:`new_models_per_day`).
        workers: processes generating in parallel (default :func:`default_workers`); the output does
            not depend on it.

    Returns:
        Summary statistics (counts, shares, throughput) of the written snapshot.

    Day ``D`` equals day ``D-1`` advanced by :func:`advance`.

    >>> generate("/tmp/hub", models=1000, seed=1, progress=False)["models"]
    1000
    """
    if models < 1 or models >= 1 << 32:
        raise ValueError(f"models must be between 1 and 2^32-1, got {models}")
    if seed < 0 or seed >= 1 << 31:
        raise ValueError(f"seed must be between 0 and 2^31-1, got {seed}")
    if day < 0:
        raise ValueError(f"day must be >= 0, got {day}")
    if not 0.0 <= daily_change <= 1.0:
        raise ValueError(f"daily_change must be within [0, 1], got {daily_change}")
    if plant_wsb < 0:
        raise ValueError(f"plant_wsb must be >= 0, got {plant_wsb}")
    if plant_share is not None and not 0 < plant_share <= 0.9:
        raise ValueError(f"plant_share must be within (0, 0.9], got {plant_share}")
    if not 1.0 <= plant_spread <= 1e6:
        raise ValueError(f"plant_spread must be within [1, 10^6], got {plant_spread}")
    if not 0.0 <= daily_new <= 1.0:
        raise ValueError(f"daily_new must be within [0, 1], got {daily_new}")
    started = time.perf_counter()
    g = _Generator(models=models, seed=seed, start=start, plant_wsb=plant_wsb,
                   plant_share=plant_share, plant_spread=plant_spread)  # for meta; producers make rows
    per_day = new_models_per_day(models, daily_new)
    total = models + per_day * day
    meta = {"snapshot_time": iso(g.start_ts + day * DAY + DAY - 1), "seed": str(seed), "day": str(day),
            "daily_change": repr(float(daily_change)), "start": start, "generator": GENERATOR_VERSION,
            "base_models": str(models), "daily_new": repr(float(daily_new)), "plant_wsb": str(plant_wsb),
            "plant_share": "" if plant_share is None else repr(float(plant_share)),
            "plant_spread": repr(float(plant_spread))}
    if g.wsb:
        meta["planted_wsb"] = json.dumps([{k: v for k, v in p.items() if not k.startswith("_")} for p in g.wsb])
    params = {"models": models, "seed": seed, "start": start, "plant_wsb": plant_wsb, "plant_share": plant_share,
              "plant_spread": plant_spread, "day": day,
              "daily_change": daily_change, "per_day": per_day}
    # Day-0 models first, then each day's new ones (they need every earlier model as a possible
    # parent); each model is written once, with all its changes up to `day`.
    blocks = [(first, min(BLOCK, models - first), None) for first in range(0, models, BLOCK)]
    blocks += [(models + (d - 1) * per_day + k, min(BLOCK, per_day - k), d)
               for d in range(1, day + 1) for k in range(0, per_day, BLOCK)]
    if workers is None:
        workers = default_workers(total)
    workers = max(1, min(workers, len(blocks)))
    stats = _new_stats()
    bar = _progress(total, progress)
    try:
        with SnapshotWriter(out_dir, source=SOURCE, meta=meta) as w:
            w.db.executescript(GEN_TABLES)
            for block in _produced_blocks(params, blocks, workers):
                if block[0] == "state":
                    w.add_rows("gen_state", block[1])
                    continue
                _, rows, gen_rows, part = block
                for row in rows:
                    w.add_rows_of(ModelRows(*row))
                w.add_rows("gen_models", gen_rows)
                _merge_stats(stats, part)
                if bar is not None:
                    bar.update(len(rows))
    finally:
        if bar is not None:
            bar.close()
    elapsed = time.perf_counter() - started
    share = 1.0 / total
    db = sqlite3.connect(Path(out_dir) / DB_NAME)
    try:
        authors = db.execute("SELECT count(DISTINCT author) FROM models").fetchone()[0]
    finally:
        db.close()
    return {
        "path": str(Path(out_dir) / "hub.sqlite"), "models": total, "seed": seed, "day": day,
        "snapshot_time": meta["snapshot_time"], "commits": stats["commits"], "authors": authors,
        "changed_today": stats["changed_today"], "new_today": per_day if day else 0, "downloads": stats["downloads"],
        "share_readme_missing": round(stats["readme_missing"] * share, 4),
        "share_placeholder_created": round(stats["placeholder_created"] * share, 4),
        "share_co2": round(stats["co2"] * share, 4), "share_base_model": round(stats["with_base_model"] * share, 4),
        "share_relation_declared": round(stats["relation_declared"] * share, 4),
        "malformed_yaml": stats["malformed_yaml"], "base_model_relations": stats["relations"],
        "planted_wsb": len(g.wsb), "seconds": round(elapsed, 2), "models_per_s": round(total / elapsed, 1),
    }


def _count(stats: dict[str, Any], m: dict[str, Any], served: _Served, commits: int) -> None:
    info = served.info
    stats["commits"] += commits
    stats["downloads"] += info["downloads"]
    if "README.md" not in served.files:
        stats["readme_missing"] += 1
    if info["createdAt"] == T.PLACEHOLDER_CREATED:
        stats["placeholder_created"] += 1
    card = info.get("cardData")
    if card:
        if "co2_eq_emissions" in card:
            stats["co2"] += 1
        if "base_model" in card:
            stats["with_base_model"] += 1
            if m["relation"]:
                stats["relations"][m["relation"]] += 1
        if "base_model_relation" in card:
            stats["relation_declared"] += 1
    if m["malformed"]:
        stats["malformed_yaml"] += 1


def advance(snapshot_dir: str | Path, *, out: str | Path | None = None, days: int = 1,
            progress: bool = True) -> dict[str, Any]:
    """Turn a generated snapshot of day ``D`` into day ``D + days``: only the models that change
    (``daily_change`` of them a day) and the new ones (``daily_new``) are touched.

    The result is identical to :func:`generate` with ``day=D + days`` and the same other arguments.
    With ``out``, the snapshot is copied there first; without, it is advanced in place (a bench's
    rolling copy: the day it depicts is in its meta).
    """
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days}")
    started = time.perf_counter()
    src = Path(snapshot_dir)
    target = src if out is None else Path(out)
    if not (src / DB_NAME).is_file():
        raise SnapshotError(f"{src}: not a hub snapshot (no {DB_NAME})")
    if target.resolve() != src.resolve():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / DB_NAME, target / DB_NAME)
    db = sqlite3.connect(target / DB_NAME)
    db.execute("PRAGMA journal_mode=OFF")  # like the writer: a failed advance leaves a snapshot to regenerate
    db.execute("PRAGMA synchronous=OFF")
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("source") != SOURCE or meta.get("generator") != GENERATOR_VERSION or "base_models" not in meta:
            raise SnapshotError(f"{src}: not a snapshot of {GENERATOR_VERSION} (meta {meta.get('generator')!r}); "
                                "regenerate it with `hubmine hub generate`")
        summary = {"changed": 0, "new": 0}
        for _ in range(days):
            changed, new = _advance_one(db, meta, progress)
            summary["changed"] += changed
            summary["new"] += new
        db.commit()
    finally:
        db.close()
    elapsed = time.perf_counter() - started
    return {"path": str(target / DB_NAME), "day": int(meta["day"]), "models": int(meta["models"]),
            "snapshot_time": meta["snapshot_time"], **summary, "seconds": round(elapsed, 2)}


def _advance_one(db: sqlite3.Connection, meta: dict[str, str], progress: bool) -> tuple[int, int]:
    seed, rate = int(meta["seed"]), float(meta["daily_change"])
    base, total, d = int(meta["base_models"]), int(meta["models"]), int(meta["day"]) + 1
    start_ts = _ts(meta["start"])
    selected = changed_models(total, seed, d, rate).tolist()
    blobs: list[tuple] = []

    def store_blob(oid: str, content: bytes) -> None:
        blobs.append((oid, len(content), zlib.compress(content, 1)))

    def load(entry: dict[str, Any]) -> bytes | None:
        row = db.execute("SELECT data FROM blobs WHERE oid = ?", (entry.get("oid"),)).fetchone()
        return zlib.decompress(row[0]) if row else None

    bar = _progress(len(selected), progress)
    for k in range(0, len(selected), 2_000):
        chunk = selected[k:k + 2_000]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT m.pos, m.id, m.info, g.weights, g.owner FROM models m JOIN gen_models g USING (pos) "
                          f"WHERE m.pos IN ({marks}) ORDER BY m.pos", chunk).fetchall()
        model_rows, commit_rows, ref_rows = [], [], []
        for pos, repo_id, info_text, weights, owner in rows:
            seq, tree = db.execute("SELECT seq, tree FROM commits WHERE repo_id = ? ORDER BY seq DESC LIMIT 1",
                                   (repo_id,)).fetchone()
            served = _Served(pos, json.loads(info_text), {e["path"]: e for e in json.loads(tree)}, seq,
                             json.loads(weights), tuple(json.loads(owner)))
            commit = day_change(seed, start_ts, served, d, load)
            info = served.info
            model_rows.append((info["sha"], info["lastModified"], int(info.get("downloads") or 0),
                               int(info.get("likes") or 0), float(info.get("trendingScore") or 0),
                               json.dumps(info, separators=(",", ":")), pos))
            commit_rows.append(commit_row(repo_id, served.seq, commit, store_blob))
            ref_rows.append((commit.id, repo_id))
        db.executemany("UPDATE models SET sha = ?, last_modified = ?, downloads = ?, likes = ?, trending_score = ?, "
                       "info = ? WHERE pos = ?", model_rows)
        db.executemany("INSERT INTO commits VALUES (?,?,?,?,?,?,?,?)", commit_rows)
        db.executemany("INSERT OR IGNORE INTO blobs VALUES (?,?,?)", blobs)
        db.executemany("UPDATE refs SET target = ? WHERE repo_id = ? AND kind = 'branch' AND name = 'main'", ref_rows)
        blobs.clear()
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    per_day = new_models_per_day(base, float(meta["daily_new"]))
    if per_day:
        g = _Generator(models=base, seed=seed, start=meta["start"], plant_wsb=int(meta.get("plant_wsb", "0")),
                       plant_share=float(meta["plant_share"]) if meta.get("plant_share") else None,
                       plant_spread=float(meta.get("plant_spread") or 1.0))
        _load_gen_state(g, dict(db.execute("SELECT key, value FROM gen_state").fetchall()))
        b = _Repo(g)
        model_rows, commit_rows, ref_rows, gen_rows = [], [], [], []
        for i in range(total, total + per_day):
            m = g.model(i, d)
            b.complete(m, d)
            info = b.info(m)
            body = json.dumps(info, separators=(",", ":"))
            model_rows.append((i, m["id"], m["author"], info["sha"], info["createdAt"], info["lastModified"],
                               int(info.get("downloads") or 0), int(info.get("likes") or 0),
                               float(info.get("trendingScore") or 0), body))
            fragments: dict[int, str] = {}
            for seq, commit in enumerate(b.writer_commits(m["commits"])):
                commit_rows.append(commit_row(m["id"], seq, commit, store_blob, fragments))
            refs = {("branch", "main"): m["commits"][-1].id}
            for kind, name, target in m["refs"]:
                refs[(kind, name)] = target
            ref_rows += [(m["id"], kind, name, target) for (kind, name), target in refs.items()]
            served = _served(m, info)
            gen_rows.append((i, json.dumps(served.weights), json.dumps(list(served.owner))))
        db.executemany("INSERT INTO models VALUES (?,?,?,?,?,?,?,?,?,?)", model_rows)
        db.executemany("INSERT INTO commits VALUES (?,?,?,?,?,?,?,?)", commit_rows)
        db.executemany("INSERT OR IGNORE INTO blobs VALUES (?,?,?)", blobs)
        db.executemany("INSERT INTO refs VALUES (?,?,?,?)", ref_rows)
        db.executemany("INSERT INTO gen_models VALUES (?,?,?)", gen_rows)
        db.executemany("INSERT OR REPLACE INTO gen_state VALUES (?,?)", _gen_state(g))
    meta.update(day=str(d), models=str(total + per_day), snapshot_time=iso(start_ts + d * DAY + DAY - 1))
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", [(k, meta[k]) for k in ("day", "models", "snapshot_time")])
    return len(selected), per_day


def _progress(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    from core.config import progress_disabled

    return tqdm(total=total, unit="model", desc="generate", smoothing=0.05, disable=progress_disabled(enabled))
