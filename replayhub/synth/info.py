"""The ``GET /api/models/{id}`` body of a generated model, as the Hub writes it.

Derived from the model's attributes and its head commit: tags (library, file formats, model type,
task, the card's tags, languages, datasets, base models, licence, the Hub's own compatibility tags),
config summary, cardData, siblings, createdAt (the placeholder date for repos older than the Hub's
creation times), safetensors parameter counts, GGUF facts, storage and trending score.
"""

from __future__ import annotations

import zlib
from typing import Any

from replayhub.synth.clock import PLACEHOLDER_CREATED, PLACEHOLDER_UNTIL, iso
from replayhub.synth.vocab import CLASSES

_MASK64 = (1 << 64) - 1


def model_info(m: dict[str, Any]) -> dict[str, Any]:
    """The body ``model_info`` serves for ``m`` at its head commit."""
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
    auto = CLASSES.get(m["cls"], {}).get("auto")
    if lib == "transformers" and auto:
        info["transformersInfo"] = {"auto_model": auto, "pipeline_tag": pipe, "processor": "AutoTokenizer"}
    info["siblings"] = [{"rfilename": p} for p in paths]
    info["createdAt"] = iso(created) if created >= PLACEHOLDER_UNTIL else PLACEHOLDER_CREATED
    st = _safetensors(m, exts)
    if st:
        info["safetensors"] = st
    if m["gguf"]:
        info["gguf"] = m["gguf"]
    info["usedStorage"] = m["used"]
    info["trendingScore"] = m.get("trending", 0)
    return info


def _safetensors(m: dict[str, Any], exts: set[str]) -> dict[str, Any] | None:
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
