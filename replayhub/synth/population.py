"""The population: who made each model, what it is, and when, one model at a time.

Model ``i``'s attributes (kind, class, relation to its parent, author, name, licence, languages,
datasets, card kind, downloads and likes, createdAt) come from a random stream seeded by
``(seed, i)`` plus the lineage state of the models before it (``pools.py``): generating N or 2N
models gives the same first N, and millions of models stream through while only the candidate
parents are held. Files, cards and history are built from these attributes by ``history._Repo``.
"""

from __future__ import annotations

import math
import time
import zlib
from random import Random
from typing import Any

from replayhub.synth.cards import _STYLE_MINOR_ROOT, _STYLE_MISC, _card_style
from replayhub.synth.clock import DAY, EPOCH_START, _ts
from replayhub.synth.names import _derivative_name, _Names
from replayhub.synth.pools import _ROOTS, MAX_DEPTH, ROOT_STEP, Node, Pools, _plant, _planted_date, _wsb_family
from replayhub.synth.vocab import (
    BRANDS,
    CLASS_BY_YEAR,
    CLASSES,
    DATASETS,
    FINETUNE_ORGS,
    LANG_NATIONALITY,
    LANGUAGES,
    LICENSES,
    LORA_SUBJECTS,
    MERGE_METHODS,
    METRICS_BY_TASK,
    MISC_LIBRARIES,
    MISC_NAMES,
    MISC_PIPELINES,
    ORG_STEMS,
    ORG_WORDS,
    QUANT_ORGS,
    RELATION_BY_CLASS,
    RL_ENV_TABLE,
    TASK_HEADS,
    WORDS,
    Weighted,
    _gauss,
    pick,
)

# The Hub roughly doubled its model count every year; this reproduces the ~3% of placeholder dates.
GROWTH_PER_DAY = math.log(2) / 365.25
_TASKS = {c: Weighted(v["tasks"]) for c, v in CLASSES.items()}
_LLM_TAGS = [["generated_from_trainer"], ["trl", "sft", "generated_from_trainer"], ["unsloth", "trl", "sft"],
             ["trl", "dpo"], ["axolotl"], ["text-generation-inference"], []]
_P_DERIVED = {"finetune": 0.3, "adapter": 0.3, "quantized": 0.65, "merge": 0.75}
_USER_QUANT = Weighted({"gguf": 62, "awq": 8, "gptq": 9, "bnb": 9, "mlx": 6, "exl2": 3, "fp8": 3})
_GGUF_LIB_ORG = Weighted({None: 45, "gguf": 25, "transformers": 30})
_GGUF_LIB_USER = Weighted({None: 60, "gguf": 40})

# Dates when Hub practices started (LoRA adapters, quantized uploads, merges, declared base models).
_D2023_03 = _ts("2023-03-01")
_D2023_05 = _ts("2023-05-01")
_D2023_06 = _ts("2023-06-01")
_D2023_11 = _ts("2023-11-01")
_D2024_03 = _ts("2024-03-01")


class _Generator:
    """Model ``i``'s attributes (:meth:`model`), in order of ``i``: the lineage state grows as it goes."""

    def __init__(self, *, models: int, seed: int, start: str, plant_wsb: int, plant_share: float | None = None,
                 plant_spread: float = 1.0):
        self.n = models
        self.seed = seed
        self.start_ts = _ts(start)
        self.span_days = (self.start_ts - EPOCH_START) / DAY
        self.growth_norm = math.expm1(GROWTH_PER_DAY * self.span_days)
        self.pools = Pools()
        self.names = _Names(seed)
        self.quant_orgs = [(o, w, _ts(a), _ts(b), fm) for o, w, a, b, fm in QUANT_ORGS]
        self.finetune_orgs = Weighted(FINETUNE_ORGS)
        self.class_by_year = {y: Weighted(t) for y, t in CLASS_BY_YEAR.items()}
        self.rel_by_class = {c: Weighted(t) for c, t in RELATION_BY_CLASS.items()}
        self.wsb, self.wsb_cum = _plant(seed, models, self.start_ts, plant_wsb, plant_share, plant_spread)
        self.wsb_roots = {p["root"]: p for p in self.wsb}

    def state(self) -> list[tuple[str, bytes]]:
        """The sequential state new models depend on (a snapshot's gen_state rows): candidate parents
        and the taken-names filter."""
        return [("pools", zlib.compress(self.pools.dump(), 1)),
                ("bloom", zlib.compress(bytes(self.names.bloom), 1))]

    def restore(self, rows: dict[str, bytes]) -> None:
        """Continue from :meth:`state`'s rows (read back from a snapshot)."""
        self.pools = Pools.load(zlib.decompress(rows["pools"]))
        self.names.bloom = bytearray(zlib.decompress(rows["bloom"]))

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
                 pipeline=CLASSES[cls]["pipeline"], library=CLASSES[cls]["library"], author_kind="org",
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
        return self._derivative(i, r, _planted_date(fam, i, self.start_ts), fam["_node"], None, planted=True)

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
        lang = LANGUAGES.pick(r)
        m["language"] = [lang] if r.random() < 0.6 or lang != "en" else None
        m["lang"] = lang
        m["license"] = parent.license if (r.random() < 0.55 and parent.license) else LICENSES.pick(r)

        # the task the derivative was made for
        if rel in ("quantized", "merge") or cls in ("causal", "vlm", "diffusion", "clip"):
            task = CLASSES[cls]["pipeline"]
        else:
            task = _TASKS[cls].pick(r)
        m["pipeline"] = task
        ds = pick(r, DATASETS.get(task) or DATASETS["text-generation"])
        m["dataset"] = ds
        if rel in ("finetune", "adapter") and r.random() < 0.7:
            m["datasets"] = [ds[0]] if r.random() < 0.85 else [ds[0], pick(r, DATASETS.get(task) or [ds])[0]]
        m["metrics"] = list(METRICS_BY_TASK.get(task, [])) if rel == "finetune" and r.random() < 0.6 else []

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
            m["merge_method"] = MERGE_METHODS.pick(r)
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
            m["library"] = CLASSES[cls]["library"]
            if cls == "causal":
                m["card_tags"] = pick(r, _LLM_TAGS)
            elif cls == "embedding":
                m["card_tags"] = ["sentence-transformers", "sentence-similarity", "feature-extraction"]
            elif rel == "finetune":
                m["card_tags"] = ["generated_from_trainer"] if r.random() < 0.7 else []
        if m["library"] == "transformers" and rel == "finetune" and task in TASK_HEADS and cls == "masked":
            prefix = parent.arch.split("For")[0] if parent.arch and "For" in parent.arch else (parent.arch or "Model")
            m["arch"] = prefix + TASK_HEADS[task] if TASK_HEADS[task] != "Model" else prefix + "Model"

        # card style and README presence (AutoTrain's style also shapes the name)
        style, readme = _card_style(m, r, rel, cls, akind, year)
        if planted and style in ("none", "minimal"):
            style, readme = "template", True  # planted children must declare their base to be counted
        m["card_style"], m["readme"], m["planted"] = style, readme, planted
        m["name"] = self.names.unique(author, _derivative_name(m, r, parent, rel, cls, task, lang, ds), r)
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
        return self.names.random_user(r), "user"

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
        m["author"] = self.names.random_user(r)
        lib = MISC_LIBRARIES.pick(r)
        pipe = MISC_PIPELINES.pick(r)
        base = pick(r, MISC_NAMES)
        v = r.random()
        name = base if v < 0.35 else f"{base}-{int(r.random() * 100)}" if v < 0.5 else \
            f"{base}_{pick(r, ['v1', 'v2', 'final', 'new', 'test', '2'])}" if v < 0.65 else \
            f"{pick(r, WORDS)}-{base}" if v < 0.8 else f"{pick(r, WORDS)}-{pick(r, WORDS)}"
        if lib == "ultralytics":
            w = pick(r, WORDS)
            name = pick(r, [f"yolov8-{pick(r, LORA_SUBJECTS)}", f"yolo11n-{w}", f"{w}-detection"])
            pipe = "object-detection"
        m.update(library=lib, pipeline=pipe, cls="misc", license=LICENSES.pick(r), misc_lib=lib)
        m["name"] = self.names.unique(m["author"], name, r)
        miss = r.random()
        m["readme"] = miss >= 0.45
        m["card_style"] = _STYLE_MISC.pick(r) if m["readme"] else "none"
        m["lang"] = "en"
        m["dataset"] = pick(r, DATASETS["text-classification"])
        self._popularity(m, r, "user")
        return m

    def _rl(self, i: int, r: Random, created: int) -> dict[str, Any]:
        m = self._base(i, r, created, "rl")
        env, algo, lib, _ = RL_ENV_TABLE.pick(r)
        m["author"] = self.names.random_user(r)
        suffix = pick(r, ["v1", "v2", "2", "test"])
        name = pick(r, [f"{algo}-{env}", f"{algo}-{env}", f"{algo.upper()}-{env}", f"{algo}-{env}-{suffix}",
                        f"{algo}_{env}", f"{algo}-{env.split('-')[0]}"])
        m.update(library=lib if lib != "custom" else None, pipeline="reinforcement-learning", cls="rl",
                 rl_env=env, rl_algo=algo.upper() if lib == "ml-agents" else algo, card_style="rl",
                 card_tags=[env, "deep-reinforcement-learning", "reinforcement-learning",
                            lib if lib != "custom" else "custom-implementation"],
                 lang="en", dataset=(env, env))
        m["name"] = self.names.unique(m["author"], name, r)
        m["eval"] = [("mean_reward", f"{200 + 100 * r.random():.2f} +/- {10 + 20 * r.random():.2f}")]
        self._popularity(m, r, "user")
        return m

    def _translation(self, i: int, r: Random, created: int) -> dict[str, Any]:
        m = self._base(i, r, created, "translation")
        src = LANGUAGES.pick(r)
        tgt = pick(r, ["en", "de", "fr", "es", "ru", "zh", "ja", "ar", "it", "fi", "sv", "nl", "pl", "mul"])
        src = "mul" if src == "multilingual" else src
        m.update(author="Helsinki-NLP", author_kind="org", library="transformers", pipeline="translation",
                 cls="translation", license="apache-2.0", model_type="marian", arch="MarianMTModel",
                 params=int(7e7 + r.random() * 1e8), card_style="translation", src=src, tgt=tgt, lang=src,
                 card_tags=["translation"], language=[src, tgt], dataset=("opus", "opus"), size="base")
        m["name"] = self.names.unique("Helsinki-NLP", pick(r, [f"opus-mt-{src}-{tgt}", f"opus-mt-{tgt}-{src}",
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
        m["name"] = self.names.unique("timm", f"{arch}.{tag}", r)
        self._popularity(m, r, "org")
        return m

    def _minor_root(self, i: int, r: Random, created: int) -> dict[str, Any]:
        m = self._base(i, r, created, "minor_root")
        cls = pick(r, ["masked", "masked", "masked", "causal", "causal", "embedding", "seq2seq"])
        lang = LANGUAGES.pick(r)
        nat = LANG_NATIONALITY.get(lang, "multi")
        if r.random() < 0.5:
            org = f"{pick(r, ORG_STEMS)}{pick(r, ['', '-', '_'])}{pick(r, ORG_WORDS)}"
            akind = "org"
        else:
            org, akind = self.names.random_user(r), "user"
        proto = pick(r, self.pools.roots[cls] or self.pools.roots["masked"] or [None])
        if proto is None:
            return self._misc(i, r, created)
        size = pick(r, ["base", "large", "small"] if cls != "causal" else ["125M", "350M", "1B", "1.3B", "3B", "7B"])
        brand = pick(r, BRANDS)
        mt = proto.model_type or "bert"
        name = pick(r, [f"{mt}-{size}-{nat}", f"{nat}-{mt}-{size}",
                        f"{brand}-{size}", f"{brand}{nat.capitalize()}-{size}", f"{mt}-{size}-{nat}-cased",
                        f"{nat}-{brand.lower()}-{size.lower()}-{pick(r, ['v1', 'v2', 'v1.0'])}"])
        m.update(author=org, author_kind=akind, cls=cls, pipeline=CLASSES[cls]["pipeline"],
                 library=CLASSES[cls]["library"], model_type=proto.model_type, arch=proto.arch, size=size,
                 params=proto.params, dtype=proto.dtype, license=LICENSES.pick(r), lang=lang, language=[lang],
                 card_style=_STYLE_MINOR_ROOT.pick(r),
                 dataset=pick(r, DATASETS["fill-mask"]))
        m["name"] = self.names.unique(org, name, r)
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
        m["dataset"] = pick(r, DATASETS.get(m["pipeline"]) or DATASETS["fill-mask"])


def _family_short(name: str, size: str) -> str:
    parts = name.replace("_", "-").split("-")
    low = size.lower()
    for k, p in enumerate(parts):
        if p.lower() == low or p.lower().startswith(low) and k > 0:
            return "-".join(parts[:k]) or parts[0]
    return parts[0]
