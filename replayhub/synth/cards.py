"""A generated model's card: which kind it gets, its YAML metadata, and its text at each revision.

A card's kind follows the Hub's practice for that kind of model and year (Trainer boilerplate for
fine-tunes from 2021, the official template for PEFT adapters, quantizer and mergekit cards, none
at all for a share of repos). :func:`prepare` draws the facts both the metadata and the text state
(versions, hyperparameters, evaluation results, carbon, the mergekit recipe), so they agree;
:func:`card_data` is the metadata (``info.cardData``) and :func:`readme` the README.md bytes.
The text comes from the templates of ``card_text.py``.
"""

from __future__ import annotations

import math
import time
from random import Random
from typing import Any

from replayhub.synth.card_text import (
    CLOUDS,
    CO2_LOCATIONS,
    HARDWARE,
    ONE_LINERS,
    REGIONS,
    TASK_HUMAN,
    TRAINING_TYPES,
    front_matter,
    malformed_front_matter,
    render_autotrain_card,
    render_gguf_card,
    render_merge_card,
    render_quant_card,
    render_rich_card,
    render_rl_card,
    render_sd_lora_card,
    render_st_card,
    render_template_card,
    render_trainer_card,
    render_translation_card,
    to_yaml,
)
from replayhub.synth.files import _TORCH_VERSIONS, _TRANSFORMERS_VERSIONS, _version_for
from replayhub.synth.vocab import LANGUAGE_NAMES, METRICS_BY_TASK, Weighted, _gauss, pick

# Card kinds by era: Trainer boilerplate dominates fine-tunes from 2021 on; the empty template grew later.
_STYLE_FT_2020 = Weighted({"minimal": 30, "rich": 25, "trainer": 25, "partial": 5})
_STYLE_FT_2022 = Weighted({"trainer": 50, "minimal": 18, "rich": 8, "partial": 6, "template": 8})
_STYLE_FT_LATER = Weighted({"trainer": 40, "template": 16, "partial": 10, "rich": 8, "minimal": 14})
_STYLE_PEFT = Weighted({"template": 45, "trainer": 35, "minimal": 10, "partial": 6, "rich": 4})
_STYLE_ST = Weighted({"st": 60, "trainer": 10, "template": 15, "minimal": 15})
_STYLE_MISC = Weighted({"minimal": 50, "template": 30, "partial": 10, "rich": 5, "trainer": 5})
_STYLE_MINOR_ROOT = Weighted({"rich": 50, "partial": 30, "minimal": 20})
# Inputs a card's usage snippet shows, per task.
_EXAMPLES = {
    "text-classification": ["I love this movie!", "The service was terrible.", "This product exceeded my hopes."],
    "token-classification": ["My name is Wolfgang and I live in Berlin.", "Apple opened an office in Nairobi."],
    "question-answering": ["Where do I live?", "Who wrote the report?"],
    "fill-mask": ["Paris is the [MASK] of France.", "The goal of life is [MASK]."],
    "summarization": ["The tower is 324 metres tall, about the same height as an 81-storey building."],
    "translation": ["The weather in Paris is nice today.", "Where is the train station?"],
    None: ["Hello, how are you?", "Explain quantum computing in simple terms.", "Write a haiku about autumn."],
}
# The note a card revision appends, so that every edit changes the text.
_CARD_NOTES = ["Updated evaluation results.", "Fixed a typo in the usage example.", "Added limitations.",
               "Clarified the license.", "Updated the model description.", "Added citation information.",
               "Note: see the changelog for details.", "Removed outdated benchmark numbers."]

# Card kinds whose text does not change with the card's revision.
_FIXED_CARDS = {"quant": render_quant_card, "merge": render_merge_card, "rl": render_rl_card,
                "sd-lora": render_sd_lora_card, "st": render_st_card, "translation": render_translation_card}


def _card_style(m, r, rel, cls, akind, year) -> tuple[str, bool]:
    """The card kind of a derivative, and whether it has a README at all."""
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


def prepare(m: dict[str, Any]) -> None:
    """Draw the facts the card's metadata and text share (also the mergekit recipe of merges)."""
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
    metrics = m["metrics"] or METRICS_BY_TASK.get(task, [])
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
                "geographical_location": pick(r, CO2_LOCATIONS), "hardware_used": pick(r, HARDWARE)}
        elif r.random() < 0.3:
            m["co2"] = grams
        else:
            d: dict[str, Any] = {"emissions": grams}
            for key, val in (("source", pick(r, ["codecarbon", "code carbon", "ML CO2 Impact",
                                                 "mlco2.github.io", "Lacoste et al. (2019)"])),
                             ("training_type", pick(r, TRAINING_TYPES)),
                             ("geographical_location", pick(r, CO2_LOCATIONS)),
                             ("hardware_used", pick(r, HARDWARE))):
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
        m["mergekit_yaml"] = to_yaml(doc)
    if m.get("autotrain") == "legacy":
        m["autotrain_id"] = int(r.random() * 9e9)


def card_data(m: dict[str, Any]) -> dict[str, Any] | None:
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
            d["model-index"] = model_index(m)
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
            d["model-index"] = model_index(m)
    if base and m["relation_declared"]:
        d["base_model_relation"] = m["relation"]
    if m["co2"] is not None:
        d["co2_eq_emissions"] = m["co2"]
    if style == "rich" and m["gated"] and r.random() < 0.7:
        d["extra_gated_prompt"] = "You agree to use this model only for research and to share contact details."
    return d or None


def model_index(m: dict[str, Any]) -> list[dict[str, Any]]:
    ds = m["dataset"]
    return [{"name": m["name"], "results": [{
        "task": {"type": m["pipeline"] or "text-classification",
                 "name": TASK_HUMAN.get(m["pipeline"], "Model").title()},
        "dataset": {"name": ds[0], "type": ds[0], "split": "test" if m["i"] % 3 else "validation"},
        "metrics": [{"type": k.lower().replace(" ", "_"), "value": v, "name": k} for k, v in m["eval"][1:]
                    ] or [{"type": "loss", "value": m["eval"][0][1], "name": "Loss"}]}]}]


def ctx(m: dict[str, Any]) -> dict[str, Any]:
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
        "relation": m["relation"], "task_human": TASK_HUMAN.get(task, "machine learning"),
        "lang_name": LANGUAGE_NAMES.get(lang, lang), "dataset": ds[0],
        "dataset_id": m["datasets"][0] if m["datasets"] else None, "size": m.get("size") or "small",
        "library": m["library"] or "pytorch", "pipeline": task,
        "model_type_human": f"{m['model_type'] or 'custom'} ({TASK_HUMAN.get(task, 'model')})",
        "license": m["license"], "example": pick(r, _EXAMPLES.get(task) or _EXAMPLES[None]),
        "regime": pick(r, ["bf16 mixed precision", "fp16 mixed precision", "fp32", "bf16 non-mixed precision"]),
        "hardware": pick(r, HARDWARE), "hours": pick(r, [0.5, 1, 2, 4, 8, 12, 24, 72, 300]),
        "cloud": pick(r, CLOUDS), "region": pick(r, REGIONS), "co2": m["co2"], "arch": m["arch"] or "model",
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


def readme(m: dict[str, Any], rev: int, r: Random) -> bytes:
    """README.md at card revision ``rev`` (0 = first version); front matter is stable across revisions."""
    style = m["card_style"]
    c = ctx(m)
    if style == "minimal" or style == "late":
        body = pick(r, ONE_LINERS).format(**c) + "\n"
    elif style == "trainer":
        body = render_trainer_card(c, r, rev)
    elif style == "autotrain":
        body = render_autotrain_card(c, r, m.get("autotrain") == "legacy")
    elif style == "template":
        body = render_template_card(c, r, 0.0 if rev == 0 else min(0.8, 0.2 * rev))
    elif style == "partial":
        body = render_template_card(c, r, min(0.9, m["fill"] + 0.1 * rev))
    elif style == "rich":
        body = render_rich_card(c, r, rev)
    elif style.startswith("gguf"):
        body = render_gguf_card(c, r, int(style[-1]))
    elif style in _FIXED_CARDS:
        body = _FIXED_CARDS[style](c, r)
    else:
        body = f"# {m['name']}\n"
    if rev:
        # Every card edit changes the text, also for card kinds that do not vary by revision.
        body += f"\n{pick(r, _CARD_NOTES)} ({rev})\n"
    if style == "late":
        head = ""
    elif m.get("malformed"):
        head = malformed_front_matter(m["card_data"] or {}, m["malformed"] - 1) + "\n"
    elif m["card_data"]:
        head = m.get("fm_text")
        if head is None:
            head = m["fm_text"] = front_matter(m["card_data"]) + "\n"
    else:
        head = ""
    text = head + body
    if m.get("crlf"):
        text = text.replace("\n", "\r\n")
    return text.encode()
