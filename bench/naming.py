"""Benchmark: repo-name segmentation throughput on one core.

Names are generated deterministically (seeded) by recombining parts the way Hub names are built:
an author, then some of identifier / base model (+ family number) / size / variant / training /
task / dataset / language / version / quant tag, joined by ``-``, ``_`` or camel-glued. Identifiers
are made-up syllable words, so most names are distinct, as on the Hub (in Ajibode et al.'s 52,227
ids, 89 % of model parts are distinct). A skewed share of re-uploads (mirrors, quantisations of
popular names) gives the repeat rate of ``--repeat`` (default 0.15).

Printed, in one run on the pinned core:

- stream: ``parse_name`` over all ``--names`` (default 2.5M) in order, caches as they fill — the
  number to compare with the 100,000 names/s target;
- cold distinct: one pass over 200k distinct names after clearing every cache (a first crawl);
- real: the 52,227 ids of Ajibode et al., when ../shared/realdata is present, by the token parser,
  by the codebook reading that ``hubmine names`` uses, and by both as the naming mart runs them, each
  for this tree and for the naming code of ``--baseline`` (a git revision, extracted to a temporary
  directory; each tree in its own child process); the speed ratios, and how many of the ids read
  exactly the same in both trees (segments with and without pipeline-tag evidence, parser fields);
- dev split: agreement with Ajibode et al.'s 127 dev labels (exact pattern, type-multiset F1) of the
  two baselines (every name ``{identifier}``; the token parser) beside the codebook reading,
  in-sample and 5-fold cross-validated (``--loo`` adds leave-one-out, ~2 min).

``--write-learned`` tunes the codebook on the dev split and writes analysis/naming/codebook_dev.json
(the test tests/test_naming_agreement.py fails while it is stale).

    .venv/bin/python bench/naming.py [--names 2500000] [--cpu 0] [--repeat 0.15] [--loo] [--write-learned]
                                     [--baseline d4ad943]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.naming import agreement, codebook, tokens  # noqa: E402
from analysis.naming import parse as naming  # noqa: E402

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"

SYLL = "ka lo mi ne ra su to vi ze an el or ix um bri cor dax fen gal hur jin kel mor nov pax quin rho sal tev".split()
BASES = "Llama-2 llama3 Mistral Mixtral Qwen2.5 gemma-2 phi-3 bert roberta distilbert gpt2 t5 flan-t5 bart whisper falcon bloom opt pythia deberta-v3 electra xlm-roberta Yi SOLAR".split()
SIZES = "7B 13b 1.5B 8x7B 125m 350M 2.7B 70B 3b 22M 0.5B 34B".split()
VARIANTS = "instruct chat base it uncased cased large small mini xl code".split()
TRAINING = "sft dpo orpo lora qlora finetuned fine-tuned merged distilled".split()
TASKS = "ner qa sentiment summarization translation classification asr".split()
DATASETS = "squad imdb glue sst2 conll03 wikitext alpaca ultrachat".split()
LANGS = "en de zh ja ko english german multilingual arabic".split()
VERSIONS = "v1 v2 v0.1 v0.2 v2.1 V3 2407 0613 v1.0.2".split()
QUANT = "GGUF AWQ GPTQ EXL2 4bit int8 fp16 bnb Q4_K_M mlx".split()


def generate(n: int, repeat: float, seed: int = 20250101) -> list[str]:
    rnd = random.Random(seed)
    authors = ["".join(rnd.choices(SYLL, k=rnd.randint(2, 4))) + rnd.choice(["", "ai", "lab", "42", "_nlp"]) for _ in range(50_000)]
    popular: list[str] = []
    out: list[str] = []
    for _ in range(n):
        if popular and rnd.random() < repeat:
            # skewed re-use: mirrors and quantisations of a few popular names
            model = popular[int(len(popular) * rnd.random() ** 3)]
        else:
            parts: list[str] = []
            if rnd.random() < 0.6:
                ident = "".join(rnd.choices(SYLL, k=rnd.randint(1, 3)))
                parts.append(ident.capitalize() if rnd.random() < 0.5 else ident)
            if rnd.random() < 0.6:
                parts.append(rnd.choice(BASES))
            for table, p in ((SIZES, 0.45), (VARIANTS, 0.4), (TRAINING, 0.2), (TASKS, 0.15), (DATASETS, 0.12), (LANGS, 0.1), (VERSIONS, 0.25), (QUANT, 0.1)):
                if rnd.random() < p:
                    parts.append(rnd.choice(table))
            if not parts:
                parts.append("model")
            sep = rnd.choice("--_")
            model = sep.join(parts)
            if len(popular) < 20_000:
                popular.append(model)
        out.append(rnd.choice(authors) + "/" + model)
    return out


def clear_caches() -> None:
    for f in (naming._parse_model_part, tokens.token_info, tokens._classify, tokens._lookup, tokens.version_kind,
              tokens.cached_size):
        f.cache_clear()
    naming._SEG_CACHE.clear()


def measure(names: list[str], read=naming.parse_name) -> tuple[float, float]:
    """(names/s by CPU time of this process (the machine may be shared), names/s by wall clock)."""
    gc.collect()
    gc.disable()
    t, c = time.perf_counter(), time.process_time()
    for n in names:
        read(n)
    cpu, wall = time.process_time() - c, time.perf_counter() - t
    gc.enable()
    return len(names) / cpu, len(names) / wall


def rate(names: list[str], read=naming.parse_name) -> str:
    cpu, wall = measure(names, read)
    return f"{cpu:>10,.0f} names/s CPU ({wall:,.0f}/s wall)"


# The naming code before the codebook reading was made fast (plans per type sequence, cached typing).
BASELINE = "d4ad943"

# Run in a child process per tree (the baseline's analysis/naming extracted from git, and this one), so
# both are measured alike: fresh process, same pinned core, every naming cache cleared before each pass.
_REAL_CHILD = """
import gc, json, sys, time
root, csv, out = sys.argv[1:4]
sys.path.insert(0, root)
import polars as pl
from analysis.naming import codebook, parse, tokens

frame = pl.read_csv(csv, infer_schema_length=0)
ids, pipelines = frame["model_name"].to_list(), frame["pipeline"].to_list()

def clear():
    for module in (parse, tokens, codebook):
        for name, value in vars(module).items():
            if hasattr(value, "cache_clear"):
                value.cache_clear()
            elif name in ("_SEG_CACHE", "_PATTERNS", "_PLANS"):
                value.clear()

def rate(read):
    best = 0.0
    for _ in range(3):
        clear()
        gc.collect()
        gc.disable()
        t = time.process_time()
        for repo_id in ids:
            read(repo_id)
        best = max(best, len(ids) / (time.process_time() - t))
        gc.enable()
    return best

def mart(repo_id):
    parse.parse_name(repo_id)
    return codebook.read(repo_id)

def segments(read):
    return [[s.text, s.type] for s in read]

result = {"parser": rate(parse.parse_name), "reading": rate(codebook.read), "mart": rate(mart)}
evidence = [codebook.Evidence.from_metadata([], p) for p in pipelines]
result["readings"] = [
    [segments(codebook.read(i)), segments(codebook.read(i, evidence=e)),
     [getattr(parse.parse_name(i), f) for f in ("pattern", "version", "version_kind", "size_params", "problems")]]
    for i, e in zip(ids, evidence)]
json.dump(result, open(out, "w"))
"""


def _measure_tree(root: Path, csv: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        subprocess.run([sys.executable, "-c", _REAL_CHILD, str(root), str(csv), str(out)], check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def real_ids(csv: Path, baseline: str) -> None:
    """The real ids read by the baseline's naming code and by this tree's: speed, and whether every
    reading is the same."""
    repo = Path(__file__).resolve().parents[1]
    archive = subprocess.run(["git", "-C", str(repo), "archive", baseline, "analysis/__init__.py", "analysis/naming"],
                             capture_output=True)
    if archive.returncode:
        print(f"real ids: baseline {baseline} not in git ({archive.stderr.decode().strip()})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        # the trees take turns, so a change in the machine's load falls on both
        runs = [(_measure_tree(Path(tmp), csv), _measure_tree(repo, csv)) for _ in range(2)]
    old, new = ({**runs[0][side], **{k: max(run[side][k] for run in runs) for k in ("parser", "reading", "mart")}}
                for side in (0, 1))
    n = len(new["readings"])
    print(f"real ids     : {n:,} Ajibode et al. ids, names/s CPU, best of 2 x 3 passes, all naming caches cleared "
          "before each")
    print(f"  {'':<12} {'parser':>10} {'reading':>10} {'mart (parser + reading)':>24}")
    for label, r in ((baseline, old), ("this tree", new)):
        print(f"  {label:<12} {r['parser']:>10,.0f} {r['reading']:>10,.0f} {r['mart']:>24,.0f}")
    print(f"speed        : reading {new['reading'] / old['reading']:.2f}x {baseline}'s, mart {new['mart'] / old['mart']:.2f}x; "
          f"reading {new['reading'] / old['parser']:.2f}x and mart {new['mart'] / old['parser']:.2f}x {baseline}'s "
          "parser alone (the mart before the codebook reading)")
    same = sum(a == b for a, b in zip(old["readings"], new["readings"], strict=True))
    print(f"identical    : {same:,} / {n:,} ids read the same as by {baseline} (codebook segments without and with "
          "pipeline-tag evidence; parser pattern, version, size, problems)")


def dev_split(loo: bool, realdata: Path = REALDATA) -> None:
    labels = realdata / "ajibode_naming_dev" / "labels.csv"
    if not labels.is_file():
        print(f"dev split: {labels} absent")
        return
    labelled = agreement.load_labels(labels)
    rows = [
        ("baseline: all {identifier}", agreement.evaluate(labelled, lambda _: ["identifier"])),
        ("baseline: token parser", agreement.evaluate(labelled, lambda r: agreement.types_of(naming.parse_name(r).pattern))),
        ("codebook reading, in-sample", agreement.evaluate(labelled, lambda r: [s.type for s in codebook.read(r)])),
    ]
    rq2 = realdata / "ajibode_semver" / "RQ2_result" / "all_NLP_with_quantization.csv"
    if rq2.is_file():  # each name's pipeline tag as the naming mart's evidence, as the warehouse would have it
        import polars as pl

        frame = pl.read_csv(rq2, columns=["model_name", "pipeline"], infer_schema_length=0)
        tags = dict(zip(frame["model_name"].to_list(), frame["pipeline"].to_list(), strict=True))

        def with_tag(repo_id: str) -> list[str]:
            evidence = codebook.Evidence.from_metadata([], tags[repo_id]) if tags.get(repo_id) else None
            return [s.type for s in codebook.read(repo_id, evidence=evidence)]

        tagged = sum(1 for r, _ in labelled if tags.get(r))
        rows.append((f"+ pipeline tag ({tagged} names)", agreement.evaluate(labelled, with_tag)))
    rows.append(("codebook reading, 5-fold CV", agreement.cross_validate(labelled, folds=5)))
    if loo:
        rows.append(("codebook reading, leave-one-out", agreement.cross_validate(labelled, folds=len(labelled))))
    print(f"dev split ({len(labelled)} names of Ajibode et al.; targets on unseen names: exact >= 60 %, F1 >= 0.85)")
    for name, s in rows:
        print(f"  {name:<34} exact {s['exact']:6.1%}   F1 {s['f1']:.3f}")


def write_learned() -> None:
    labelled = agreement.load_labels(REALDATA / "ajibode_naming_dev" / "labels.csv")
    conventions, learned = agreement.tune(labelled)
    codebook.save_learned(learned)
    print(f"wrote {len(learned.words)} words, {len(learned.context)} context actions; conventions: {conventions}")
    if conventions != codebook.CONVENTIONS:
        print("  set codebook.CONVENTIONS to these (they differ from the shipped ones)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--names", type=int, default=2_500_000)
    ap.add_argument("--cpu", type=int, default=0)
    ap.add_argument("--repeat", type=float, default=0.15)
    ap.add_argument("--loo", action="store_true", help="also leave-one-out on the dev split")
    ap.add_argument("--write-learned", action="store_true", help="tune on the dev split, write codebook_dev.json")
    ap.add_argument("--baseline", default=BASELINE, help="git revision whose naming code the real ids are compared with")
    args = ap.parse_args()
    if args.write_learned:
        write_learned()
        return
    try:
        os.sched_setaffinity(0, {args.cpu})
    except (AttributeError, OSError):
        pass
    t = time.perf_counter()
    names = generate(args.names, args.repeat)
    distinct_parts = len({n.split("/", 1)[1] for n in names})
    print(f"generated {len(names):,} names ({distinct_parts:,} distinct model parts) in {time.perf_counter() - t:.1f}s")

    clear_caches()
    print(f"stream       : {rate(names)}  (caches filling as they go)")

    seen: set[str] = set()
    distinct = []
    for n in names:
        m = n.split("/", 1)[1]
        if m not in seen:
            seen.add(m)
            distinct.append(n)
            if len(distinct) >= 200_000:
                break
    clear_caches()
    print(f"cold distinct: {rate(distinct)}  ({len(distinct):,} distinct names, all caches cleared)")

    real = REALDATA / "ajibode_semver" / "RQ2_result" / "all_NLP_with_quantization.csv"
    if real.is_file():
        real_ids(real, args.baseline)
    dev_split(args.loo)


if __name__ == "__main__":
    main()
