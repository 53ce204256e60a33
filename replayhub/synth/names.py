"""Names on the generated hub: accounts, and repo names in the practices people follow.

Account names are drawn per account number from their own stream, so an author keeps one name
however many repos it has (a Zipf-like spread of numbers makes a few accounts own thousands of
repos). Repo ids are unique case-insensitively through a fixed-size Bloom filter, kept in a
snapshot's ``gen_state`` so ``hub advance`` names new models the way ``generate`` would.
"""

from __future__ import annotations

import hashlib
import zlib
from random import Random

from replayhub.synth.pools import _ROOTS, Node
from replayhub.synth.vocab import (
    BRANDS,
    DESCR_WORDS,
    FIRST_NAMES,
    LANG_NATIONALITY,
    LANGUAGE_NAMES,
    LORA_SUBJECTS,
    SURNAMES,
    TRAIN_WORDS,
    WORDS,
    pick,
)

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


class _Names:
    """Account names, and the taken repo ids (``bloom``: part of the generator's sequential state)."""

    def __init__(self, seed: int):
        self.seed = seed
        # Case-insensitive repo-id uniqueness in O(1) memory: a fixed-size Bloom filter (its size must
        # not depend on N, or prefix stability breaks). A false positive only renames a repo.
        self.bloom = bytearray(1 << 24)  # 2^27 bits
        for x in _ROOTS:  # reserved up front: a repo generated before a foundation model cannot take its id
            self._claim(x["id"])
        self.user_cache: dict[int, str] = {}

    def user(self, k: int) -> str:
        name = self.user_cache.get(k)
        if name is not None:
            return name
        r = Random((self.seed << 48) ^ (k * 0x9E3779B1) ^ 0x5DEECE66D)
        f, s, w = pick(r, FIRST_NAMES), pick(r, SURNAMES), pick(r, WORDS)
        v = int(r.random() * 10)
        digits = str(int(r.random() * 10 ** (1 + int(r.random() * 4))))
        w2 = pick(r, WORDS)
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


def _derivative_name(m, r, parent: Node, rel, cls, task, lang, ds) -> str:
    """A repo name in one of the practices people use for this kind of derivative (see ``_NAMES``)."""
    stem = parent.name if len(parent.name) <= 48 else f"{pick(r, BRANDS)}-{parent.size}"
    fam, size = parent.family, parent.size
    nat = LANG_NATIONALITY.get(lang, lang)
    v = {"stem": stem, "stem_l": stem.lower(), "fam": fam, "fam_l": fam.lower(), "size": size,
         "size_l": size.lower(), "ds": ds[1], "lang": lang, "nat": nat, "Nat": nat.capitalize(),
         "ln": LANGUAGE_NAMES.get(lang, lang).lower(), "ver": pick(r, _VERSIONS), "date": pick(r, _DATES),
         "descr": pick(r, DESCR_WORDS), "train": pick(r, TRAIN_WORDS), "brand": pick(r, BRANDS),
         "brand2": pick(r, BRANDS), "word": pick(r, WORDS), "task0": task.split("-")[0]}
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
            subj = pick(r, LORA_SUBJECTS)
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
        subj = pick(r, LORA_SUBJECTS)
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
