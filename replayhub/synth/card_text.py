"""What a generated model card says: its YAML front matter and its Markdown body.

The front matter is written by yaml's own emitter (or directly where the result is known to be the
same text, see below); the bodies are assembled from the templates and phrases here: the official
model-card template, Trainer and AutoTrain boilerplate, quantization, merge, RL, LoRA and
sentence-transformers cards, rich cards. The prose is written for the project (no real card text
is copied). Which card a model gets, and with which data, is decided in ``cards.py``.
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

import yaml

from replayhub.synth.vocab import pick

MORE_INFO = "[More Information Needed]"

# --------------------------------------------------------------------------------------------------
# Front matter (YAML) — yaml's own emitter, with two shortcuts that keep its exact output (the tests
# compare every generated front matter with one ``yaml.safe_dump`` of the card data):
# * a block mapping's entries are emitted independently, so the text is the concatenation of per-key
#   dumps, memoised per (key, value);
# * a value that is a plain identifier-like string, or a list of such strings, is written directly
#   the way the emitter writes it (``key: value`` / ``key:\n- a\n``) — most card metadata is like that.
# --------------------------------------------------------------------------------------------------
_FM_CACHE: dict[Any, str] = {}
_UNCACHED_KEYS = frozenset({"model-index", "co2_eq_emissions", "widget"})
_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9_./+()-]| (?! ))*(?<! )\Z")
_NOT_PLAIN_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _freeze(value):
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return ("__d",) + tuple((k, _freeze(v)) for k, v in value.items())
    return value


def dump_yaml(data: Any) -> str:
    """``yaml.safe_dump`` with the project's settings (libyaml's emitter when present: same output, faster)."""
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=1000)


def _plain(s: Any) -> bool:
    return type(s) is str and len(s) < 200 and _PLAIN.match(s) is not None and s.lower() not in _NOT_PLAIN_WORDS


def _scalar(v: Any) -> str | None:
    """A scalar the way PyYAML's SafeRepresenter writes it, or None when unsure."""
    t = type(v)
    if t is str:
        return v if _plain(v) else None
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        if v != v or v in (float("inf"), float("-inf")):
            return None
        text = repr(v).lower()
        return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
    if v is None:
        return "null"
    return None


def _block(value: Any, col: int, out: list[str], inline: bool) -> bool:
    """Block-style YAML of nested dicts/lists of simple scalars (PyYAML's layout: indent 2, sequences
    under a key not indented). Returns False for anything it does not know to write exactly."""
    pad = " " * col
    if type(value) is dict:
        if not value:
            return False
        first = True
        for k, v in value.items():
            if not _plain(k):
                return False
            lead = "" if (inline and first) else pad
            first = False
            s = _scalar(v)
            if s is not None:
                out.append(f"{lead}{k}: {s}\n")
            elif type(v) is dict:
                out.append(f"{lead}{k}:\n")
                if not _block(v, col + 2, out, False):
                    return False
            elif type(v) is list:
                out.append(f"{lead}{k}:\n")
                if not _block(v, col, out, False):
                    return False
            else:
                return False
        return True
    if type(value) is list:
        if not value:
            return False
        first = True
        for item in value:
            lead = "" if (inline and first) else pad
            first = False
            s = _scalar(item)
            if s is not None:
                out.append(f"{lead}- {s}\n")
            elif type(item) in (dict, list):
                out.append(f"{lead}- ")
                if not _block(item, col + 2, out, True):
                    return False
            else:
                return False
        return True
    return False


def to_yaml(data: dict[str, Any]) -> str:
    """``dump_yaml(data)`` (same text), written directly when the data is simple enough."""
    out: list[str] = []
    return "".join(out) if _block(data, 0, out, False) else dump_yaml(data)


def front_matter(data: dict[str, Any]) -> str:
    parts = ["---\n"]
    for key, value in data.items():
        if _plain(value):
            parts.append(f"{key}: {value}\n")
            continue
        if type(value) is list and value and all(_plain(v) for v in value):
            parts.append(f"{key}:\n- " + "\n- ".join(value) + "\n")
            continue
        if key in _UNCACHED_KEYS:
            out: list[str] = []
            if _block({key: value}, 0, out, False):
                parts.extend(out)
            else:
                parts.append(dump_yaml({key: value}))
            continue
        ck = (key, _freeze(value))
        text = _FM_CACHE.get(ck)
        if text is None:
            if len(_FM_CACHE) > 100_000:
                _FM_CACHE.clear()
            text = _FM_CACHE[ck] = dump_yaml({key: value})
        parts.append(text)
    parts.append("---\n")
    return "".join(parts)


def malformed_front_matter(data: dict[str, Any], variant: int) -> str:
    """Front matter a YAML parser rejects, in the ways people really break it."""
    lic = data.get("license") or "mit"
    if variant == 0:  # an unclosed flow sequence
        return f"---\nlicense: {lic}\ntags: [nlp, {data.get('pipeline_tag') or 'model'}\nlanguage: en\n---\n"
    if variant == 1:  # tab indentation
        return f"---\nlicense: {lic}\ndatasets:\n\t- custom\nmetrics:\n- accuracy\n---\n"
    return f"---\nlicense: {lic}\nbase_model: : {data.get('base_model') or 'none'}\n  - bad: indent\n---\n"


# --------------------------------------------------------------------------------------------------
# Card bodies
# --------------------------------------------------------------------------------------------------
TRAINER_COMMENT = ("<!-- This model card has been generated automatically according to the information the "
                   "Trainer had access to. You should probably proofread and complete it, then remove this "
                   "comment. -->\n\n")

ONE_LINERS = [
    "{name}", "# {name}", "# {name}\n\nFine-tuned {base_short} model.", "Trained on {dataset}.",
    "# {name}\n\nWork in progress.", "{task_human} model for {lang_name}.", "# {name}\n\nTODO: add model card",
    "My {task_human} model, trained with {library}.", "# {name}\n\nSee https://github.com/{author}/{name}",
    "test", "Model for my thesis project.", "# {name}\n\nA {size} model.",
]

TASK_HUMAN = {
    "text-generation": "text generation", "text-classification": "text classification",
    "token-classification": "named entity recognition", "question-answering": "extractive question answering",
    "fill-mask": "masked language modelling", "zero-shot-classification": "zero-shot classification",
    "summarization": "summarization", "translation": "translation", "text2text-generation": "text-to-text generation",
    "automatic-speech-recognition": "speech recognition", "audio-classification": "audio classification",
    "image-classification": "image classification", "image-feature-extraction": "image embeddings",
    "object-detection": "object detection", "image-segmentation": "semantic segmentation",
    "text-to-image": "text-to-image generation", "image-to-image": "image-to-image generation",
    "sentence-similarity": "semantic search and sentence similarity", "feature-extraction": "text embeddings",
    "image-text-to-text": "visual question answering and image captioning",
    "zero-shot-image-classification": "zero-shot image classification", None: "machine learning",
    "reinforcement-learning": "reinforcement learning", "tabular-classification": "tabular classification",
    "time-series-forecasting": "time series forecasting", "text-to-speech": "speech synthesis",
    "robotics": "robot control",
}

DESCRIPTIONS = [
    "{name} is a {size} {task_human} model fine-tuned from {base_link}.",
    "This repository contains {name}, a {task_human} model for {lang_name} built on top of {base_link}.",
    "We release {name}, trained for {task_human}. It starts from {base_link} and was tuned on {dataset}.",
    "{name} adapts {base_link} to {task_human} in {lang_name}, using a curated version of {dataset}.",
    "A compact {task_human} model. The weights come from {base_link}, further trained on {dataset}.",
]
USES = [
    "The model is meant for research on {task_human} and for prototyping applications in {lang_name}.",
    "Use it directly through the `{pipeline}` pipeline, or fine-tune it further on your own data.",
    "Intended for {task_human} over short {lang_name} texts; longer inputs are truncated.",
    "Suitable for offline batch processing and experiments. Not evaluated for production use.",
]
OUT_OF_SCOPE = [
    "Do not use the model to make decisions about people, such as hiring or credit scoring.",
    "The model is not intended for medical, legal or financial advice.",
    "Generating harmful, deceptive or harassing content is out of scope.",
]
BIAS = [
    "The training data was collected from the web and reflects its biases; outputs may reproduce stereotypes.",
    "Performance drops on dialects and domains that are rare in {dataset}.",
    "Like other models of this size, it can produce fluent but incorrect statements.",
    "We did not audit the model for demographic bias. Evaluate it on your own data before deployment.",
]
TRAINING_DATA = [
    "The model was trained on {dataset} ({n_train} examples), with a held-out split for validation.",
    "We used the train split of {dataset}. Duplicates and very short examples were removed.",
    "Training data: {dataset}, tokenized with the tokenizer of {base_short}.",
]
HARDWARE = ["1 x NVIDIA A100 80GB", "8 x NVIDIA H100", "1 x NVIDIA T4", "1 x NVIDIA RTX 4090", "Google Colab T4",
            "4 x NVIDIA A10G", "TPU v3-8", "1 x NVIDIA V100", "Apple M2 Max", "2 x NVIDIA L4"]
CLOUDS = ["AWS", "Google Cloud Platform", "Azure", "Lambda Labs", "RunPod", "private infrastructure", "Colab"]
REGIONS = ["us-east-1", "us-west-2", "europe-west4", "eu-central-1", "asia-northeast1", "Frankfurt, Germany",
           "Iowa, USA", "Quebec, Canada", "France", "Sweden"]
CO2_LOCATIONS = ["USA", "Frankfurt, Germany", "Iowa, USA", "Ireland", "Montreal, Canada", "Paris, France",
                 "Oregon, USA", "Netherlands", "Finland", "India", "Singapore", "Tokyo, Japan"]
TRAINING_TYPES = ["fine-tuning", "pre-training", "fine-tuning", "fine-tuning"]

HEADING_VARIANTS = {
    "details": ["## Model Details", "## Model description", "## Model Description", "## Overview",
                "## 1. Introduction", "## About", "# Model Details", "### Model Details"],
    "uses": ["## Uses", "## Intended uses & limitations", "## Intended Use", "## Use cases", "## 2. Intended Use",
             "### Intended use"],
    "bias": ["## Bias, Risks, and Limitations", "## Limitations", "## Limitations and bias",
             "## Risks and Limitations", "## Ethical Considerations", "### Limitations"],
    "start": ["## How to Get Started with the Model", "## Usage", "## How to use", "## Quickstart",
              "## Quick start", "## Inference", "### How to use"],
    "training": ["## Training Details", "## Training", "## Training procedure", "## Training data",
                 "## 3. Training", "### Training"],
    "eval": ["## Evaluation", "## Evaluation results", "## Results", "## Benchmarks", "## Performance",
             "## 4. Evaluation"],
    "env": ["## Environmental Impact", "## Carbon footprint", "## Environmental impact", "## CO2 Emissions"],
    "tech": ["## Technical Specifications", "## Model Architecture", "## Architecture", "## Technical details"],
    "citation": ["## Citation", "## Citation [optional]", "## Cite", "## BibTeX", "## How to cite",
                 "## Citing"],
    "license": ["## License", "## Licence", "## Terms of use"],
    "contact": ["## Model Card Contact", "## Contact", "## Questions", "## Contact us"],
    "authors": ["## Model Card Authors", "## Authors", "## Acknowledgements", "## Team"],
}


_EMPTY_TEMPLATE: list[str] = []


def render_template_card(c: dict[str, Any], r, fill: float) -> str:
    """The official model-card template; each field is filled with probability ``fill``."""
    if fill <= 0:
        # The untouched template only varies by name and library: render it once, then substitute.
        # Rendered with its own RNG: drawing from the model's would make the first template card of a
        # process consume draws that later ones do not, so output would depend on what ran before.
        if not _EMPTY_TEMPLATE:
            _EMPTY_TEMPLATE.append(_render_template_card({**c, "name": "\x01", "library": "\x02"}, Random(0), 0.0))
        return _EMPTY_TEMPLATE[0].replace("\x01", c["name"]).replace("\x02", c["library"])
    return _render_template_card(c, r, fill)


def _render_template_card(c: dict[str, Any], r, fill: float) -> str:
    def f(text: str) -> str:
        return text if r.random() < fill else MORE_INFO

    ph = MORE_INFO
    lines = [
        f"# Model Card for {c['name']}\n\n<!-- Provide a quick summary of what the model is/does. -->\n\n",
        f(pick(r, DESCRIPTIONS).format(**c)) + "\n\n" if fill > 0 else "\n\n",
        "## Model Details\n\n### Model Description\n\n<!-- Provide a longer summary of what this model is. -->\n\n",
        f"This is the model card of a {c['library']} model that has been pushed on the Hub. "
        "This model card has been automatically generated.\n\n" if fill == 0 else "",
        f"- **Developed by:** {f(c['author'])}\n",
        f"- **Funded by [optional]:** {ph}\n",
        f"- **Shared by [optional]:** {f(c['author'])}\n",
        f"- **Model type:** {f(c['model_type_human'])}\n",
        f"- **Language(s) (NLP):** {f(c['lang_name'])}\n",
        f"- **License:** {f(c['license'] or 'apache-2.0')}\n",
        f"- **Finetuned from model [optional]:** {f(c['base_id']) if c['base_id'] else ph}\n\n",
        "### Model Sources [optional]\n\n<!-- Provide the basic links for the model. -->\n\n",
        f"- **Repository:** {f('https://github.com/' + c['author'] + '/' + c['name'])}\n",
        f"- **Paper [optional]:** {ph}\n- **Demo [optional]:** {ph}\n\n",
        "## Uses\n\n<!-- How the model is meant to be used, and by whom. -->\n\n",
        "### Direct Use\n\n" + f(pick(r, USES).format(**c)) + "\n\n",
        "### Downstream Use [optional]\n\n" + f(pick(r, USES).format(**c)) + "\n\n",
        "### Out-of-Scope Use\n\n" + f(pick(r, OUT_OF_SCOPE)) + "\n\n",
        "## Bias, Risks, and Limitations\n\n" + f(pick(r, BIAS).format(**c)) + "\n\n",
        "### Recommendations\n\n",
        "Users (both direct and downstream) should be made aware of the risks, biases and limitations of the "
        "model. More information needed for further recommendations.\n\n",
        "## How to Get Started with the Model\n\nUse the code below to get started with the model.\n\n",
        f(usage_snippet(c)) + "\n\n",
        "## Training Details\n\n### Training Data\n\n" + f(pick(r, TRAINING_DATA).format(**c)) + "\n\n",
        "### Training Procedure\n\n#### Preprocessing [optional]\n\n" + ph + "\n\n",
        "#### Training Hyperparameters\n\n- **Training regime:** " + f(c["regime"]) + "\n\n",
        "#### Speeds, Sizes, Times [optional]\n\n" + ph + "\n\n",
        "## Evaluation\n\n### Testing Data, Factors & Metrics\n\n#### Testing Data\n\n"
        + f(f"The test split of {c['dataset']}.") + "\n\n",
        "#### Factors\n\n" + ph + "\n\n#### Metrics\n\n" + f(", ".join(c["metrics"]) or "accuracy") + "\n\n",
        "### Results\n\n" + f(results_lines(c)) + "\n\n#### Summary\n\n\n\n",
        "## Model Examination [optional]\n\n" + ph + "\n\n",
        "## Environmental Impact\n\n",
        "Carbon emissions can be estimated using the [Machine Learning Impact calculator]"
        "(https://mlco2.github.io/impact#compute) presented in [Lacoste et al. (2019)]"
        "(https://arxiv.org/abs/1910.09700).\n\n",
        f"- **Hardware Type:** {f(c['hardware'])}\n- **Hours used:** {f(str(c['hours']))}\n",
        f"- **Cloud Provider:** {f(c['cloud'])}\n- **Compute Region:** {f(c['region'])}\n",
        f"- **Carbon Emitted:** {f(co2_text(c)) if c['co2'] is not None else ph}\n\n",
        "## Technical Specifications [optional]\n\n### Model Architecture and Objective\n\n"
        + f(f"{c['arch']} ({c['size']} parameters).") + "\n\n",
        "### Compute Infrastructure\n\n" + ph + "\n\n#### Hardware\n\n" + f(c["hardware"]) + "\n\n",
        "#### Software\n\n" + f(c["software"]) + "\n\n",
        "## Citation [optional]\n\n**BibTeX:**\n\n" + f(bibtex(c)) + "\n\n**APA:**\n\n" + ph + "\n\n",
        "## Glossary [optional]\n\n" + ph + "\n\n",
        "## More Information [optional]\n\n" + ph + "\n\n",
        "## Model Card Authors [optional]\n\n" + f(c["author"]) + "\n\n",
        "## Model Card Contact\n\n" + f(f"Open a discussion on the repository page or write to @{c['author']}.")
        + "\n",
    ]
    return "".join(lines)


def usage_snippet(c: dict[str, Any]) -> str:
    lib = c["library"]
    rid = c["repo_id"]
    if lib == "peft":
        return ("```python\nfrom peft import PeftModel\nfrom transformers import AutoModelForCausalLM\n\n"
                f"base = AutoModelForCausalLM.from_pretrained(\"{c['base_id']}\")\n"
                f"model = PeftModel.from_pretrained(base, \"{rid}\")\n```")
    if lib == "sentence-transformers":
        return ("```python\nfrom sentence_transformers import SentenceTransformer\n\n"
                f"model = SentenceTransformer(\"{rid}\")\nemb = model.encode([\"first sentence\", \"second\"])\n```")
    if lib == "diffusers":
        return ("```python\nimport torch\nfrom diffusers import DiffusionPipeline\n\n"
                f"pipe = DiffusionPipeline.from_pretrained(\"{c['base_id'] or rid}\", torch_dtype=torch.float16)\n"
                + (f"pipe.load_lora_weights(\"{rid}\")\n" if c["relation"] == "adapter" else "")
                + "image = pipe(\"a photo of an astronaut riding a horse\").images[0]\n```")
    if lib == "gguf":
        return f"```bash\nllama-cli --hf-repo {rid} --hf-file {c.get('gguf_file') or 'model.gguf'} -p \"Hello\"\n```"
    return ("```python\nfrom transformers import pipeline\n\n"
            f"pipe = pipeline(\"{c['pipeline'] or 'text-generation'}\", model=\"{rid}\")\n"
            f"print(pipe(\"{c['example']}\"))\n```")


def results_lines(c: dict[str, Any]) -> str:
    if not c["eval"]:
        return "See the evaluation section."
    head = "| Metric | Value |\n|---|---|\n"
    return head + "".join(f"| {k} | {v} |\n" for k, v in c["eval"]).rstrip("\n")


def co2_text(c: dict[str, Any]) -> str:
    co2 = c["co2"]
    grams = co2 if isinstance(co2, (int, float)) else co2.get("emissions")
    return f"{grams} grams CO2eq" if grams is not None else "unknown"


def bibtex(c: dict[str, Any]) -> str:
    key = c["name"].replace("-", "").replace(".", "").replace("_", "").lower()[:20] or "model"
    return (f"```bibtex\n@misc{{{key}{c['year']},\n  title = {{{c['name']}}},\n  author = {{{c['author']}}},\n"
            f"  year = {{{c['year']}}},\n  url = {{https://huggingface.co/{c['repo_id']}}}\n}}\n```")


def render_trainer_card(c: dict[str, Any], r, rev: int) -> str:
    base = c["base_id"]
    ds = c["dataset_id"] or "None"
    out = [TRAINER_COMMENT if r.random() < 0.85 else "", f"# {c['name']}\n\n"]
    if base:
        out.append(f"This model is a fine-tuned version of [{base}](https://huggingface.co/{base}) on the {ds} dataset.\n")
    else:
        out.append(f"This model was trained from scratch on the {ds} dataset.\n")
    if c["eval"]:
        out.append("It achieves the following results on the evaluation set:\n")
        out.extend(f"- {k}: {v}\n" for k, v in c["eval"])
    out.append("\n## Model description\n\nMore information needed\n\n")
    out.append("## Intended uses & limitations\n\nMore information needed\n\n")
    out.append("## Training and evaluation data\n\nMore information needed\n\n")
    out.append("## Training procedure\n\n")
    if c["library"] == "peft" and r.random() < 0.5:
        out.append("The following `bitsandbytes` quantization config was used during training:\n"
                   "- quant_method: bitsandbytes\n- load_in_4bit: True\n- bnb_4bit_quant_type: nf4\n"
                   "- bnb_4bit_compute_dtype: bfloat16\n\n")
    hp = c["hparams"]
    out.append("### Training hyperparameters\n\nThe following hyperparameters were used during training:\n")
    out.extend(f"- {k}: {v}\n" for k, v in hp)
    out.append("\n### Training results\n\n")
    if c["eval"] and r.random() < 0.8:
        cols = ["Training Loss", "Epoch", "Step", "Validation Loss"] + [k for k, _ in c["eval"][1:]]
        out.append("| " + " | ".join(cols) + " |\n|" + ":---:|" * len(cols) + "\n")
        epochs = int(dict(hp).get("num_epochs", 3))
        steps = c["steps_per_epoch"]
        loss = 1.2 + r.random()
        for e in range(1, min(epochs, 6) + 1):
            loss *= 0.55 + 0.3 * r.random()
            row = [f"{loss + 0.05:.4f}", f"{float(e):.1f}", str(steps * e), f"{loss:.4f}"]
            row += [f"{min(0.999, 0.5 + 0.45 * (1 - loss / 3)):.4f}" for _ in c["eval"][1:]]
            out.append("| " + " | ".join(row) + " |\n")
        out.append("\n")
    out.append("\n### Framework versions\n\n")
    if c["library"] == "peft":
        out.append(f"- PEFT {c['versions']['peft']}\n")
    v = c["versions"]
    out.append(f"- Transformers {v['transformers']}\n- Pytorch {v['torch']}\n- Datasets {v['datasets']}\n"
               f"- Tokenizers {v['tokenizers']}\n")
    return "".join(out)


def render_autotrain_card(c: dict[str, Any], r, legacy: bool) -> str:
    if legacy:
        out = [f"# Model Trained Using AutoTrain\n\n- Problem type: {c['autotrain_problem']}\n"
               f"- Model ID: {c['autotrain_id']}\n"]
        if c["co2"] is not None:
            out.append(f"- CO2 Emissions (in grams): {co2_text(c).split()[0]}\n")
        out.append("\n## Validation Metrics\n\n")
        out.extend(f"- {k}: {v}\n" for k, v in c["eval"])
        out.append("\n## Usage\n\nYou can use cURL to access this model:\n\n```\n$ curl -X POST -H "
                   "\"Authorization: Bearer YOUR_API_KEY\" -H \"Content-Type: application/json\" -d "
                   f"'{{\"inputs\": \"{c['example']}\"}}' https://api-inference.huggingface.co/models/{c['repo_id']}\n```\n\n"
                   "Or Python API:\n\n```python\nfrom transformers import AutoModelForSequenceClassification, "
                   f"AutoTokenizer\n\nmodel = AutoModelForSequenceClassification.from_pretrained(\"{c['repo_id']}\", "
                   f"use_auth_token=True)\ntokenizer = AutoTokenizer.from_pretrained(\"{c['repo_id']}\", "
                   "use_auth_token=True)\n```\n")
        return "".join(out)
    out = ["# Model Trained Using AutoTrain\n\nThis model was trained using AutoTrain. For more information, "
           "please visit [AutoTrain](https://hf.co/docs/autotrain).\n\n"]
    if c["pipeline"] == "text-generation":
        out.append("# Usage\n\n```python\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\n\n"
                   f"model_path = \"{c['repo_id']}\"\ntokenizer = AutoTokenizer.from_pretrained(model_path)\n"
                   "model = AutoModelForCausalLM.from_pretrained(model_path, device_map=\"auto\")\n```\n")
    else:
        out.append("## Validation Metrics\n")
        out.extend(f"{k}: {v}\n\n" for k, v in c["eval"])
    return "".join(out)


def render_gguf_card(c: dict[str, Any], r, style: int) -> str:
    base = c["base_id"]
    if style == 0:  # made with the GGUF-my-repo space: terse, with llama.cpp commands
        f = c.get("gguf_file") or "model.gguf"
        return (f"# {c['repo_id']}\nConverted to GGUF from [`{base}`](https://huggingface.co/{base}) with "
                f"llama.cpp (GGUF-my-repo). See the [original model card](https://huggingface.co/{base}) for what "
                "the model does.\n\n## Use with llama.cpp\n\n```bash\nbrew install llama.cpp\n```\n\n### CLI:\n"
                f"```bash\nllama-cli --hf-repo {c['repo_id']} --hf-file {f} -p \"Once upon a time\"\n```\n\n"
                f"### Server:\n```bash\nllama-server --hf-repo {c['repo_id']} --hf-file {f} -c 4096\n```\n")
    rows = "".join(f"| [{fn}](https://huggingface.co/{c['repo_id']}/blob/main/{fn}) | {q} | {sz} | {note} |\n"
                   for fn, q, sz, note in c["quant_table"])
    if style == 1:  # a quantizer org's table of provided files
        return (f"## About\n\nGGUF quantizations of https://huggingface.co/{base}, made with llama.cpp.\n\n"
                "## Usage\n\nThe files load in llama.cpp and in the tools built on it. Bigger files keep more of "
                "the original quality; split files must be joined before use.\n\n## Provided Quants\n\n"
                "(ordered by file size)\n\n| Link | Type | Size/GB | Notes |\n|:-----|:-----|--------:|:------|\n"
                + rows + "\n## Thanks\n\nCompute for these quants was donated.\n")
    return (f"# {c['name']}\n\n- Model creator: [{base.split('/')[0]}](https://huggingface.co/{base.split('/')[0]})\n"
            f"- Original model: [{base.split('/')[-1]}](https://huggingface.co/{base})\n\n## Description\n\n"
            f"{c['quant_format'].upper()} files of {base.split('/')[-1]} at several quantization levels.\n\n"
            "## Provided files\n\n| Name | Quant method | Size | Use case |\n| ---- | ---- | ---- | ----- |\n"
            + rows + "\n## Prompt template\n\n```\n{prompt}\n```\n\n## Original model card\n\n"
            f"See [{base}](https://huggingface.co/{base}).\n")


def render_quant_card(c: dict[str, Any], r) -> str:
    base = c["base_id"]
    fmt = c["quant_format"]
    intro = {
        "awq": "AWQ is an efficient, accurate low-bit weight quantization method, here with 4-bit weights.",
        "gptq": "GPTQ quantization with 4-bit weights and group size 128, made with AutoGPTQ.",
        "bnb": "Weights pre-quantized to 4 bit with bitsandbytes for faster downloads and lower memory use.",
        "mlx": "Converted to MLX format with mlx-lm; quantized to 4 bits.",
        "exl2": "ExLlamaV2 quantizations at several bits per weight; each branch holds one size.",
        "onnx": "ONNX weights for use with Transformers.js and ONNX Runtime (fp32 and int8 quantized).",
    }.get(fmt, "Quantized weights.")
    return (f"# {c['name']}\n\nQuantized version of [{base}](https://huggingface.co/{base}).\n\n{intro}\n\n"
            f"## Usage\n\n{usage_snippet(c)}\n")


def render_merge_card(c: dict[str, Any], r) -> str:
    parents = c["merge_parents"]
    method = c["merge_method"]
    human = {"slerp": "SLERP", "ties": "TIES", "dare_ties": "DARE TIES", "linear": "linear",
             "passthrough": "passthrough", "task_arithmetic": "task arithmetic", "model_stock": "Model Stock"}[method]
    models = "".join(f"* [{p}](https://huggingface.co/{p})\n" for p in parents)
    return (f"# {c['name']}\n\nThis is a merge of pre-trained language models created using "
            "[mergekit](https://github.com/cg123/mergekit).\n\n## Merge Details\n### Merge Method\n\n"
            f"This model was merged using the {human} merge method.\n\n### Models Merged\n\n"
            f"The following models were included in the merge:\n{models}\n### Configuration\n\n"
            "The following YAML configuration was used to produce this model:\n\n```yaml\n"
            f"{c['mergekit_yaml']}```\n")


def render_rich_card(c: dict[str, Any], r, rev: int) -> str:
    h = {k: pick(r, v) for k, v in HEADING_VARIANTS.items()}
    parts = [f"# {c['name']}\n\n", pick(r, DESCRIPTIONS).format(**c) + "\n\n"]
    parts.append(f"{h['details']}\n\n- **Model type:** {c['model_type_human']}\n- **Language(s):** "
                 f"{c['lang_name']}\n- **License:** {c['license'] or 'apache-2.0'}\n")
    if c["base_id"]:
        parts.append(f"- **Finetuned from:** [{c['base_id']}](https://huggingface.co/{c['base_id']})\n")
    parts.append(f"- **Parameters:** {c['size']}\n\n")
    parts.append(f"{h['uses']}\n\n{pick(r, USES).format(**c)}\n\n{pick(r, OUT_OF_SCOPE)}\n\n")
    parts.append(f"{h['bias']}\n\n{pick(r, BIAS).format(**c)}\n\n")
    parts.append(f"{h['start']}\n\n{usage_snippet(c)}\n\n")
    parts.append(f"{h['training']}\n\n{pick(r, TRAINING_DATA).format(**c)}\n\n"
                 + "".join(f"- {k}: {v}\n" for k, v in c["hparams"]) + "\n")
    parts.append(f"{h['eval']}\n\n{results_lines(c)}\n\n")
    if rev >= 1 or c["co2"] is not None:
        parts.append(f"{h['env']}\n\n- **Hardware Type:** {c['hardware']}\n- **Hours used:** {c['hours']}\n"
                     f"- **Cloud Provider:** {c['cloud']}\n- **Compute Region:** {c['region']}\n"
                     + (f"- **Carbon Emitted:** {co2_text(c)}\n" if c["co2"] is not None else "") + "\n")
    if r.random() < 0.5:
        parts.append(f"{h['tech']}\n\n{c['arch']} with {c['size']} parameters, trained in {c['regime']}.\n\n")
    if rev >= 1 or r.random() < 0.6:
        parts.append(f"{h['citation']}\n\n{bibtex(c)}\n\n")
    if r.random() < 0.4:
        parts.append(f"{h['license']}\n\nReleased under the {c['license'] or 'apache-2.0'} license.\n\n")
    if r.random() < 0.3:
        parts.append(f"{h['contact']}\n\nQuestions and feedback: open a discussion on this repository.\n")
    if rev >= 2:
        parts.append(f"\n## Changelog\n\n- v{rev}: updated weights and evaluation.\n")
    return "".join(parts)


def render_rl_card(c: dict[str, Any], r) -> str:
    algo, env, lib = c["rl_algo"], c["rl_env"], c["library"]
    if lib == "ml-agents":
        return (f"# **{algo}** Agent playing **{env}**\n  This is a trained model of a **{algo}** agent playing "
                f"**{env}** using the [Unity ML-Agents Library](https://github.com/Unity-Technologies/ml-agents).\n\n"
                "  ## Usage (with ML-Agents)\n\n  Resume the training:\n  ```bash\n  mlagents-learn "
                "<your_configuration_file_path.yaml> --run-id=<run_id> --resume\n  ```\n")
    if lib == "custom":
        return (f"  # **Q-Learning** Agent playing **{env}**\n  This is a trained model of a **Q-Learning** agent "
                f"playing **{env}**.\n\n  ## Usage\n\n  ```python\n  model = load_from_hub(repo_id=\"{c['repo_id']}\", "
                "filename=\"q-learning.pkl\")\n  env = gym.make(model[\"env_id\"])\n  ```\n")
    return (f"# **{algo.upper()}** Agent playing **{env}**\nThis is a trained model of a **{algo.upper()}** agent "
            f"playing **{env}** using the [stable-baselines3 library](https://github.com/DLR-RM/stable-baselines3).\n\n"
            "## Usage (with Stable-baselines3)\nTODO: Add your code\n\n\n```python\nfrom stable_baselines3 import "
            f"{algo.upper()}\nfrom huggingface_sb3 import load_from_hub\n\n...\n```\n")


def render_sd_lora_card(c: dict[str, Any], r) -> str:
    trig = c["trigger"]
    return (f"# {c['name']}\n\n<Gallery />\n\n## Model description\n\n{pick(r, LORA_DESC).format(**c)}\n\n"
            f"## Trigger words\n\nYou should use `{trig}` to trigger the image generation.\n\n"
            "## Download model\n\nWeights for this model are available in Safetensors format.\n\n"
            f"[Download](/{c['repo_id']}/tree/main) them in the Files & versions tab.\n")


LORA_DESC = ["A LoRA for {base_short} trained on a small set of {trigger} images.",
             "Style LoRA: {trigger}. Works best at weight 0.8 with 25-30 steps.",
             "Trained with kohya-ss on 40 images for 2000 steps."]


def render_st_card(c: dict[str, Any], r) -> str:
    return (f"# {c['name']}\n\nThis is a [sentence-transformers](https://www.SBERT.net) model"
            + (f" finetuned from [{c['base_id']}](https://huggingface.co/{c['base_id']})" if c["base_id"] else "")
            + f". It maps sentences and paragraphs to a {c['dim']}-dimensional dense vector space and can be used "
            "for semantic textual similarity, semantic search, paraphrase mining, text classification, clustering, "
            f"and more.\n\n## Usage\n\n{usage_snippet(c)}\n\n## Evaluation\n\n{results_lines(c)}\n\n"
            f"## Training Details\n\n{pick(r, TRAINING_DATA).format(**c)}\n")


def render_translation_card(c: dict[str, Any], r) -> str:
    return (f"### {c['name']}\n\n* source languages: {c['src']}\n* target languages: {c['tgt']}\n"
            "* model: transformer-align\n* pre-processing: normalization + SentencePiece\n"
            f"* download original weights: [{c['name']}.zip](https://example.org/{c['name']}.zip)\n\n"
            f"## Benchmarks\n\n| testset | BLEU | chr-F |\n|---|---|---|\n| Tatoeba.{c['src']}.{c['tgt']} | "
            f"{c['bleu']} | {c['chrf']} |\n")
