"""A generated repo's files: what its tree lists, and the bytes of the small files a snapshot stores.

Weights and other large files are LFS entries (size and sha256 only: the replay hub sends filler
bytes); configs, tokenizer configs and the like are real bytes, most of them shared by many repos
(memoised by :func:`_const`, stored once as blobs). What a repo holds follows its kind: transformers
checkpoints (sharded safetensors, or .bin before 2023), GGUF/AWQ/GPTQ/... quantizations, PEFT and
diffusion LoRA adapters, diffusers pipelines, RL agents, and the odd assortment of misc repos.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from random import Random
from typing import Any

from replayhub.snapshot import lfs_entry
from replayhub.synth.clock import _ts, iso
from replayhub.synth.vocab import QUANT_BITS, QUANT_BPW, pick

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


_QUANT_NOTES = ["", "fast, recommended", "good quality", "very good quality", "smallest, significant quality loss"]
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
_D2024_01 = _ts("2024-01-01")  # before it, some adapters were saved as .bin
_D2024_04 = _ts("2024-04-01")  # no more tokenizer.model beside tokenizer.json
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


class _Files:
    """Builds a model's files (``m["files"]``, path -> bytes or tree entry) and lists its weights."""

    def __init__(self):
        self.blobs = _Blob()

    def build(self, m: dict[str, Any]) -> None:
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
            files["config.json"] = config(m, 0)
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
        files["config.json"] = config(m, 0)
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
        b = self.blobs
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
                quants = QUANT_BITS[int(r.random() * 3):] if fmt == "gguf" else \
                    ["IQ2_M", "IQ3_XS", "IQ4_XS", "Q4_K_M", "Q5_K_M", "Q6_K"]
                quants = [q for q in quants if r.random() < 0.85] or ["Q4_K_M"]
                a = m["author"]
                names = [f"{stem.lower()}.{q}.gguf" if a == "TheBloke" else
                         f"{stem}.{'i1-' if fmt == 'gguf-i1' else ''}{q}.gguf" if a == "mradermacher" else
                         f"{stem}-{q}.gguf" for q in quants]
            table = []
            for q, p in zip(quants, names):
                size = params * QUANT_BPW.get(q, 5.0) / 8 + 5e6
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
            files["config.json"] = config(m, 0)
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
        files["config.json"] = config(m, 0)
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
        files["tokenizer/vocab.json"] = self.blobs.family_file("tokenizer/vocab.json", "clip", 1_059_962)
        files["tokenizer/merges.txt"] = self.blobs.family_file("tokenizer/merges.txt", "clip", 524_619)
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


def config(m: dict[str, Any], rev: int) -> bytes:
    """config.json at config revision ``rev`` (0 = as uploaded)."""
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
