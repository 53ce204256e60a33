"""The model-card template sections and the heading -> section synonym table.

Section ids are slugs of the 14 top-level sections of huggingface_hub's model-card template
(templates/modelcard_template.md). Headings are matched on normalised text (lower case, numbering,
"[optional]", markdown links/emphasis, HTML tags and punctuation removed) against an ORDERED rule
list of synonym words and phrases: the first rule with a word or phrase in the heading wins, so
specific phrases are placed before the generic keywords they contain ("model card authors" before
"model card", "training results" before "results", "how to cite" before "how to"). A rule may
name two sections ("Intended uses & limitations" documents both Uses and Bias, Risks, and
Limitations). A heading mapping to nothing inherits from its parent (see parse.py).

Headings in Japanese, Chinese, Korean, Spanish, French, German, Russian and Portuguese map through
the words of :mod:`analysis.cards.lexicon`. A heading is evidence only: whether a section is filled
is decided on the passage's content (:mod:`analysis.cards.detect`).

Judgement calls, tested and kept deliberately: "Framework versions"/"Software"/"Hardware" ->
Technical Specifications (the template's Compute Infrastructure); "Training results" -> Training
Details (loss tables), "Training and evaluation data" -> Training Details + Evaluation; "License"
-> Model Details (the definition: "license stated in prose"); "Authors"/"Contributors" -> Card Authors;
"Usage"/"How to use"/"Prompt format" -> How to Get Started, "Uses"/"Intended use" -> Uses; a card
title "Model Card for X" -> Model Details but not inherited by its subsections.
"""

from __future__ import annotations

import functools
import re

from analysis.cards.lexicon import HEADINGS, USES_AND_LIMITS_CJK

#: Template sections in template order (slugs; see SECTION_TITLES for display names).
TEMPLATE_SECTIONS: tuple[str, ...] = (
    "model_details",
    "uses",
    "bias_risks_limitations",
    "how_to_get_started",
    "training_details",
    "evaluation",
    "model_examination",
    "environmental_impact",
    "technical_specifications",
    "citation",
    "glossary",
    "more_information",
    "card_authors",
    "contact",
)

SECTION_TITLES: dict[str, str] = {
    "model_details": "Model Details",
    "uses": "Uses",
    "bias_risks_limitations": "Bias, Risks, and Limitations",
    "how_to_get_started": "How to Get Started with the Model",
    "training_details": "Training Details",
    "evaluation": "Evaluation",
    "model_examination": "Model Examination",
    "environmental_impact": "Environmental Impact",
    "technical_specifications": "Technical Specifications",
    "citation": "Citation",
    "glossary": "Glossary",
    "more_information": "More Information",
    "card_authors": "Model Card Authors",
    "contact": "Model Card Contact",
}

_BIT = {name: 1 << i for i, name in enumerate(TEMPLATE_SECTIONS)}


@functools.cache  # one entry per distinct rule result: a few dozen
def section_mask(sections: tuple[str, ...]) -> int:
    """Bit mask of template sections (bit i = TEMPLATE_SECTIONS[i])."""
    m = 0
    for name in sections:
        m |= _BIT[name]
    return m


@functools.lru_cache(maxsize=1 << 14)  # 2**14 possible masks
def mask_sections(mask: int) -> frozenset[str]:
    """The template sections named by a bit mask."""
    return frozenset(name for name, bit in _BIT.items() if mask & bit)


# Headings longer than this (after normalisation) are prose promoted to a heading by markdown
# (a paragraph followed by "---", a bold sentence); keyword-matching them gives false sections.
MAX_MAPPED_HEADING = 100

_MD = "model_details"
_USE = "uses"
_BIAS = "bias_risks_limitations"
_START = "how_to_get_started"
_TRAIN = "training_details"
_EVAL = "evaluation"
_EXAM = "model_examination"
_ENV = "environmental_impact"
_TECH = "technical_specifications"
_CITE = "citation"
_GLOSS = "glossary"
_MORE = "more_information"
_AUTH = "card_authors"
_CONTACT = "contact"


def _combos(*parts: tuple[str, ...]) -> tuple[str, ...]:
    out = [""]
    for options in parts:
        out = [f"{o} {p}".strip() for o in out for p in options]
    return tuple(out)


# Each rule: (sections, inheritable, words, phrases). A heading matches a rule when one of its
# words is in ``words`` or one of ``phrases`` occurs in it as whole words. Word sets instead of
# regexes: a rule test is a set intersection, so even an uncached heading maps in a few us.
_RULES_SPEC: list[tuple[tuple[str, ...], bool, str, tuple[str, ...]]] = [
    (
        (_AUTH,),
        True,
        "",
        _combos(("card",), ("author", "authors")) + _combos(("card",), ("written", "prepared", "created"), ("by",)),
    ),
    ((_CONTACT,), True, "contact feedback", ("get in touch", "reach out", "reach us")),
    (
        (_CITE,),
        True,
        "citation citations cite citing bibtex bibliography reference references apa publication publications paper papers",
        (),
    ),
    ((_GLOSS,), True, "glossary terminology definition definitions abbreviations", ()),
    ((_EXAM,), True, "examination interpretability explainability", ()),
    (
        (_ENV,),
        True,
        "carbon co2 co2eq emission emissions energy climate sustainability footprint",
        ("environmental impact", "environment impact"),
    ),
    (
        (_USE, _BIAS),
        True,
        "",
        _combos(("use", "uses", "use case", "use cases"), ("and", "or"), ("limitation", "limitations"))
        + _combos(("limitation", "limitations"), ("and", "or"), ("use", "uses", "intended use", "intended uses")),
    ),
    ((_USE,), True, "misuse", ("out of scope",)),
    (
        (_TRAIN, _EVAL),
        True,
        "",
        _combos(("train", "training"), ("and", "or"), ("eval", "evaluation", "test", "testing", "validation")),
    ),
    (
        (_TRAIN,),
        True,
        "",
        _combos(
            ("training",),
            (
                "result",
                "results",
                "metrics",
                "loss",
                "losses",
                "log",
                "logs",
                "curve",
                "curves",
                "progress",
                "statistics",
                "stats",
            ),
        ),
    ),
    (
        (_EVAL,),
        True,
        "evaluation evaluations eval evals result results metric metrics performance performances benchmark"
        " benchmarks benchmarking testing accuracy score scores leaderboard validation factors wer cer f1 bleu"
        " rouge perplexity comparison comparisons",
        ("test data", "test set", "test sets", "test result", "test results", "confusion matrix"),
    ),
    (
        (_BIAS,),
        True,
        "limitation limitations bias biases risk risks ethic ethics ethical safety fairness harm harms disclaimer"
        " disclaimers caveat caveats warning warnings responsible shortcomings societal",
        ("known issues", "known problems"),
    ),
    ((_MD,), True, "license licenses licensing", ("terms of use", "terms of service")),
    (
        (_START,),
        True,
        "usage usages quickstart inference install installation installing setup demo loading download"
        " downloading deploy deploying deployment prerequisites prompting",
        (
            "get started",
            "getting started",
            "how to",
            "quick start",
            "quick tour",
            "sample code",
            "set up",
            "using the model",
            "using this model",
            "use with",
            "use in",
            "use the model",
            "use this model",
            "use it",
        )
        + _combos(("usage", "code", "inference"), ("example", "examples"))
        + _combos(("example", "examples"), ("usage", "use", "code", "of use", "of usage"))
        + _combos(("prompt",), ("format", "formats", "template", "templates", "style", "formatting", "guide", "tips"))
        + _combos(("example", "sample", "system", "negative"), ("prompt", "prompts"))
        + ("prompting guide", "prompt examples", "prompt example")
        + _combos(("code",), ("snippet", "snippets", "sample", "samples"))
        + _combos(("run", "running"), ("the model", "this model", "model")),
    ),
    (
        (_USE,),
        True,
        "uses use applications application applicability",
        ("intended purpose", "intended user", "intended users", "primary user", "primary users"),
    ),
    (
        (_TECH,),
        True,
        "technical specification specifications spec specs architecture architectures compute infrastructure"
        " hardware software framework frameworks dependencies requirements quantization quantisation",
        ("provided files", "system info") + _combos(("model",), ("size", "structure", "config", "configuration")),
    ),
    (
        (_TRAIN,),
        True,
        "train training trained finetune finetuning finetuned pretrain pretraining pretrained hyperparameter"
        " hyperparameters preprocessing dataset datasets data corpus corpora merging mergekit",
        (
            "fine tune",
            "fine tuning",
            "fine tuned",
            "pre train",
            "pre training",
            "pre trained",
            "hyper parameter",
            "hyper parameters",
            "pre processing",
            "merge details",
            "merge method",
            "models merged",
        ),
    ),
    ((_AUTH,), True, "author authors contributor contributors team maintainer maintainers credit credits", ()),
    (
        (_MORE,),
        True,
        "resources link links note notes faq documentation",
        _combos(("more",), ("information", "info", "details", "resources"))
        + _combos(("additional",), ("information", "info", "details", "resources", "notes"))
        + _combos(("further",), ("information", "reading", "details"))
        + _combos(("related",), ("models", "work", "resources"))
        + ("see also",),
    ),
    (
        (_MD,),
        True,
        "overview introduction intro about description descriptions abstract highlights details",
        _combos(
            ("model",),
            (
                "details",
                "description",
                "summary",
                "overview",
                "information",
                "info",
                "type",
                "introduction",
                "sources",
                "card",
            ),
        )
        + ("what is", "what s this", "key features", "developed by"),
    ),
]

# Other languages' heading words join the last (most generic) rule of their section and their
# phrases the first (most specific: "utilisation prévue" is Uses although "utilisation" is How to
# Get Started); CJK words, matched as substrings, keep the generic rule's index so rule order still
# decides between sections.
_CJK: list[tuple[str, int]] = []
for _slug, (_words, _phrases, _cjk) in HEADINGS.items():
    _rules = [i for i, spec in enumerate(_RULES_SPEC) if spec[0] == (_slug,)]
    _secs, _inh, _w, _p = _RULES_SPEC[_rules[-1]]
    _RULES_SPEC[_rules[-1]] = (_secs, _inh, f"{_w} {_words}", _p)
    _secs, _inh, _w, _p = _RULES_SPEC[_rules[0]]
    _RULES_SPEC[_rules[0]] = (_secs, _inh, _w, _p + _phrases)
    _CJK.extend((c, _rules[-1]) for c in _cjk)
_at = next(i for i, spec in enumerate(_RULES_SPEC) if spec[0] == (_USE, _BIAS))
_CJK.extend((c, _at) for c in USES_AND_LIMITS_CJK)

_RULES = [(secs, inheritable) for secs, inheritable, _, _ in _RULES_SPEC]
# word or phrase -> index of the first rule listing it. Matching a heading is then a lookup of each
# of its word n-grams, keeping the lowest rule index: the same answer as trying the rules in order.
_GRAMS: dict[str, int] = {}
for _i, (_, _, _words, _phrases) in enumerate(_RULES_SPEC):
    for _g in (*_words.split(), *_phrases):
        _GRAMS.setdefault(_g, _i)
_MAX_GRAM = max(len(g.split()) for g in _GRAMS)

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]*>")
_OPTIONAL = re.compile(r"\[\s*optional\s*\]", re.I)
_NUMBERING = re.compile(
    r"^\s*(?:(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.):]|\d+(?:\.\d+)+|\d+|(?:step|section|part)\s+\d+\s*[:.)-]?)\s+"
)
_NON_WORD = re.compile(r"[\W_]+")


def normalize_heading(title: str) -> str:
    """Heading text reduced to lower-case words: no numbering, markup, links or punctuation."""
    t = title
    if "[" in t:
        t = _OPTIONAL.sub(" ", _LINK.sub(r"\1", t))
    if "<" in t:
        t = _TAG.sub(" ", t)
    t = t.replace("&", " and ").lower()
    t = _NUMBERING.sub("", t.replace("*", "").replace("`", "").strip())
    return _NON_WORD.sub(" ", t).strip()


# Headings only the huggingface_hub template (2022 and current) uses, lower-cased, "[optional]"
# removed; three of them make a card "template"-kind.
TEMPLATE_HEADINGS = frozenset(
    {
        "model details",
        "model description",
        "model sources",
        "direct use",
        "downstream use",
        "out-of-scope use",
        "misuse, malicious use, and out-of-scope use",
        "bias, risks, and limitations",
        "recommendations",
        "how to get started with the model",
        "training details",
        "training procedure",
        "speeds, sizes, times",
        "testing data, factors & metrics",
        "testing data",
        "factors",
        "model examination",
        "environmental impact",
        "technical specifications",
        "model architecture and objective",
        "compute infrastructure",
        "glossary",
        "more information",
        "model card authors",
        "model card contact",
    }
)
_OPTIONAL_SUFFIX = re.compile(r"\s*\[\s*optional\s*\]\s*", re.I)


@functools.lru_cache(maxsize=1 << 15)
def heading_info(title: str) -> tuple[tuple[str, ...], bool, bool, str, int]:
    """``(sections, inheritable, is_template_heading, lower-cased title, section bit mask)``.

    Cached: heading texts repeat heavily across cards (every Trainer card has the same dozen).
    """
    secs, inheritable = _map(title)
    low = title.lower()
    plain = _OPTIONAL_SUFFIX.sub("", low) if "[" in low else low
    return secs, inheritable, plain in TEMPLATE_HEADINGS, low, section_mask(secs)


def map_heading(title: str) -> tuple[tuple[str, ...], bool]:
    """Template sections a heading documents, and whether its subsections may inherit them.

    ``((), True)`` when the heading maps to nothing.
    """
    return heading_info(title)[:2]


def _map(title: str) -> tuple[tuple[str, ...], bool]:
    norm = normalize_heading(title)
    if not norm or len(norm) > MAX_MAPPED_HEADING:
        return (), True
    # a card title ("Model Card for X") counts as Model Details but its subsections are the whole
    # card, so they must not inherit it
    if norm == "model card" or norm.startswith(("model card for ", "model card of ")):
        return (_MD,), False
    if norm == "prompt" or norm == "prompts":
        return (_START,), True
    words = norm.split()
    n = len(words)
    best = len(_RULES)
    get = _GRAMS.get
    for i in range(n):
        r = get(words[i])
        if r is not None and r < best:
            best = r
        for j in range(i + 2, min(n, i + _MAX_GRAM) + 1):
            r = get(" ".join(words[i:j]))
            if r is not None and r < best:
                best = r
    if not norm.isascii():
        for sub, r in _CJK:
            if r < best and sub in norm:
                best = r
    return _RULES[best] if best < len(_RULES) else ((), True)
