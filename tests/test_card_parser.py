"""Unit tests of analysis.cards on small hand-written cards (no real card prose)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from analysis.cards import (
    METADATA_FIELDS,
    ROW_COLUMNS,
    SECTION_WEIGHTS,
    TEMPLATE_SECTIONS,
    finetuned,
    headings,
    map_heading,
    metadata_presence,
    parse_card,
    score_card,
    score_card_batches,
    score_cards,
)


def sections_of(text: str) -> list[tuple[str, int, tuple[str, ...], bool]]:
    return [(s.title, s.level, s.template_sections, s.filled) for s in parse_card(text).sections]


def test_template_sections_constant():
    assert len(TEMPLATE_SECTIONS) == 14 and len(set(TEMPLATE_SECTIONS)) == 14
    assert TEMPLATE_SECTIONS[0] == "model_details" and TEMPLATE_SECTIONS[-1] == "contact"
    assert sum(SECTION_WEIGHTS.values()) == 20


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Intended uses & limitations", ("uses", "bias_risks_limitations")),
        ("Training procedure", ("training_details",)),
        ("Training data", ("training_details",)),
        ("Training hyperparameters", ("training_details",)),
        ("Training results", ("training_details",)),
        ("Training and evaluation data", ("training_details", "evaluation")),
        ("Evaluation results", ("evaluation",)),
        ("Results", ("evaluation",)),
        ("Metrics", ("evaluation",)),
        ("BibTeX entry and citation info", ("citation",)),
        ("How to cite", ("citation",)),
        ("Citing & Authors", ("citation",)),
        ("Limitations and bias", ("bias_risks_limitations",)),
        ("Bias", ("bias_risks_limitations",)),
        ("Usage", ("how_to_get_started",)),
        ("How to use", ("how_to_get_started",)),
        ("Quick start", ("how_to_get_started",)),
        ("Carbon emissions", ("environmental_impact",)),
        ("CO2 Emissions", ("environmental_impact",)),
        ("Model description", ("model_details",)),
        ("Overview", ("model_details",)),
        ("Hardware", ("technical_specifications",)),
        ("Compute infrastructure", ("technical_specifications",)),
        ("Model architecture", ("technical_specifications",)),
        ("Model Card Authors [optional]", ("card_authors",)),
        ("Model Card Contact", ("contact",)),
        ("Glossary [optional]", ("glossary",)),
        ("More Information [optional]", ("more_information",)),
        ("Model Examination", ("model_examination",)),
        ("Out-of-Scope Use", ("uses",)),
        ("1. Model Details", ("model_details",)),
        ("2.1 Uses", ("uses",)),
        ("**Training data**", ("training_details",)),
        ("[Evaluation](#evaluation) :bar_chart:", ("evaluation",)),
        ("pegasus-x-summarizer", ()),
        ("Speeds, Sizes, Times", ()),
    ],
)
def test_heading_synonyms(heading, expected):
    assert map_heading(heading)[0] == expected


def test_card_title_maps_but_is_not_inherited():
    assert map_heading("Model Card for Foo") == (("model_details",), False)
    secs = sections_of("# Model Card for Foo\n\n## Lunch menu\n\nSoup.\n")
    assert secs[1][2] == ()  # the whole card is not "model details" by inheritance


def test_heading_styles_and_code_blocks():
    card = (
        "Intro line.\n\nSetext One\n==========\n\nbody\n\nSetext Two\n----------\n\nbody\n\n"
        '### ATX three ###\n\nbody\n\n**Bold pseudo**\n\nbody\n\n<h2 align="center">HTML two</h2>\n\nbody\n\n'
        "```python\n# not a heading\nx = 1\n```\n\n~~~\n## also not\n~~~\n\n<!--\n## hidden\n-->\n\n"
        "    # indented code, not a heading\n\n#nospace is not a heading\n"
    )
    got = [(s.title, s.level, s.style) for s in parse_card(card).sections]
    assert got == [
        ("Setext One", 1, "setext"),
        ("Setext Two", 2, "setext"),
        ("ATX three", 3, "atx"),
        ("Bold pseudo", headings.BOLD_LEVEL, "bold"),
        ("HTML two", 2, "html"),
    ]


def test_setext_needs_a_paragraph_line_above():
    got = [s.title for s in parse_card("# Title\n---\n\n- item\n---\n\ntext\n\n---\n").sections]
    assert got == ["Title"]  # a rule under a heading, a list item or a blank line is no heading


def test_subsection_inherits_parent_section():
    secs = sections_of("## Training\n\n### Speeds, sizes, times\n\nThree hours on one GPU.\n")
    assert secs[0][2] == ("training_details",) and secs[0][3] is False
    assert secs[1][2] == ("training_details",) and secs[1][3] is True
    assert score_card(parse_card("## Training\n\n### Speeds, sizes, times\n\nThree hours.\n")).sections_filled == {
        "training_details"
    }


@pytest.mark.parametrize(
    "body",
    [
        "[More Information Needed]",
        "More information needed.",
        "More Information Needed",
        "- **Developed by:** [More Information Needed]\n- **License:**\n- **Model type:** More information needed",
        "- Developed by:\n- Shared by:",
        "<!-- Provide a longer summary of what this model is. -->",
        '{{ model_description | default("", true) }}',
        "TODO",
        "N/A",
        "TBD\n\n...",
        "Use the code below to get started with the model.\n\n[More Information Needed]",
        "Users (both direct and downstream) should be made aware of the risks, biases and\n"
        "limitations of the model. More information needed for further recommendations.",
        "<!--\nA comment that spans\nseveral lines.\n-->",
        "",
        "None",
        "null",
        "Coming soon!",
        "To be added.",
        "WIP",
        "Work in progress",
        "\u2026",
        "[optional]",
        "{model_name}",
        "Needs more information.",
        "TODO: Add your code",
        "Carbon emissions can be estimated using the [Machine Learning Impact calculator]"
        "(https://mlco2.github.io/impact#compute) presented in [Lacoste et al. (2019)](https://arxiv.org/abs/1910.09700).",
        "Significant research has explored bias and fairness issues with language models (see, e.g., [a](b)).",
    ],
)
def test_placeholder_only_sections_are_empty(body):
    parsed = parse_card(f"## Model Details\n\n{body}\n\n## Uses\n\nReal text here.\n")
    assert [s.filled for s in parsed.sections] == [False, True]
    comp = score_card(parsed)
    assert "model_details" in comp.sections_present and "model_details" not in comp.sections_filled


@pytest.mark.parametrize(
    "body",
    [
        "A small classifier for reviews.",
        "- **Developed by:** The Example Lab",
        "Use the code below to get started with the model.\n\n```python\nprint('hi')\n```",
        "<!-- a note --> Real words after a comment.",
        "TODO: describe the training data properly.",
        "None of the weights were frozen.",
        "Note: works on CPU.",
        "2 epochs on one GPU.",
        "> Quoted text from the authors.",
    ],
)
def test_sections_with_content_are_filled(body):
    assert parse_card(f"## Model Details\n\n{body}\n").sections[0].filled is True


def test_section_fields_and_lazy_preamble():
    parsed = parse_card("Intro words.\n\n# Title\n\n## Usage\n\ncode\n")
    first = parsed.sections[1]
    assert first.template_section == "how_to_get_started" and first.chars == len("\ncode\n")
    assert parsed.preamble_filled is True
    assert parse_card("# Only a title\n").preamble_filled is False


TRAINER = """---
tags:
- generated_from_trainer
model-index:
- name: tiny-model
  results: []
---

<!-- This model card has been generated automatically according to the information the Trainer had access to. You
should probably proofread and complete it, then remove this comment. -->

# tiny-model

This model is a fine-tuned version of [org/base-model](https://huggingface.co/org/base-model) on the toy dataset.

## Model description

More information needed

## Training procedure

### Training hyperparameters

- learning_rate: 5e-05
"""


@pytest.mark.parametrize(
    ("card", "kind"),
    [
        (TRAINER, "trainer"),
        (
            "---\ntags:\n- autotrain\n---\n# Model Trained Using AutoTrain\n\n- Problem type: Summarization\n",
            "autotrain",
        ),
        ("# Model Trained Using AutoNLP\n\n- Problem type: Binary Classification\n", "autotrain"),
        ("---\ntags:\n- gguf\n---\n# Foo GGUF\n\nQuantized files.\n", "quantized"),
        ("# Foo-7B-GPTQ\n\nSome text.\n", "quantized"),
        ("# Bar\n\nThese are GGUF quants of org/bar made with llama.cpp.\n", "quantized"),
        ("# Baz\n\nQuantized versions are available: GGUF, AWQ.\n\nA chat model.\n", "free-form"),
        ("# m\n\nThis is a merge of pre-trained language models created using mergekit.\n", "merge"),
        ("# m\n\n```yaml\nmerge_method: slerp\n```\n", "merge"),
        ("## Model Details\n\nx\n\n## Direct Use\n\ny\n\n## Out-of-Scope Use\n\nz\n", "template"),
        ("# A model\n\nIt works well.\n", "free-form"),
        ("---\nlicense: mit\n---\n\n", "empty"),
        ("---\nlicense: mit\n---\n<!-- nothing -->\n[More Information Needed]\n", "empty"),
    ],
)
def test_card_kinds(card, kind):
    assert parse_card(card).kind == kind


def test_repo_id_is_a_kind_signal():
    assert parse_card("# Model\n\nA chat model.\n", repo_id="org/chat-7B-GGUF").kind == "quantized"
    assert parse_card("# Model\n\nA chat model.\n", repo_id="org/chat-7B").kind == "free-form"


def test_trainer_sentence_split_by_regex():
    parsed = parse_card(TRAINER)
    assert (parsed.fine_tuned_from, parsed.fine_tuned_on) == ("org/base-model", "toy")
    phrase = finetuned.fine_tuned_phrase
    assert phrase("This model is a fine-tuned version of bert-base on an unknown dataset.") == ("bert-base", None)
    # "on" inside a repo name is not the preposition
    assert phrase("a fine-tuned version of x-on-y on the None dataset.") == ("x-on-y", None)
    assert phrase("no such sentence") is None
    # an empty link (the Trainer did not know the base) is no base model, and no "on the xsum dataset" either
    empty = "This model is a fine-tuned version of [](https://huggingface.co/) on the xsum dataset."
    assert phrase(empty) == (None, "xsum")
    linked = "a fine-tuned version of [org/m](https://huggingface.co/org/m) on the [d/s](https://hf.co/datasets/d/s) dataset."
    assert phrase(linked) == ("org/m", "d/s")
    # the link text, not prose that follows it, is the base
    assert phrase("a fine-tuned version of [Llama](https://huggingface.co/meta/llama) that was trained on chats.") == (
        "Llama",
        None,
    )


# --- front matter and hostile input ---------------------------------------------------------------


def codes(raw) -> list[str]:
    return parse_card(raw).issue_codes


def test_front_matter_ok_and_errors():
    ok = parse_card("---\nlicense: mit\nlanguage:\n- en\n---\n# x\n")
    assert ok.metadata == {"license": "mit", "language": ["en"]} and ok.issues == []
    assert parse_card("---\n---\n# x\n").metadata == {}
    assert codes("---\nlicense: mit\n# x\n") == ["front_matter_unclosed"]
    assert codes("---\nkey: [unclosed\n---\n# x\n") == ["yaml_error"]
    assert codes("---\n- a\n- b\n---\n# x\n") == ["yaml_not_mapping"]
    assert codes("---\n{{ card_data }}\n---\n# x\n") == ["front_matter_template", "yaml_error"]
    assert codes("---\nx: !!python/object/apply:os.system ['echo hi']\n---\n# x\n") == ["yaml_unsafe_tag"]
    bad = parse_card("---\nkey: [unclosed\n---\n## Uses\n\nStill parsed.\n")
    assert bad.metadata is None and bad.has_error and bad.sections[0].filled  # the body goes on


def test_front_matter_is_yaml_1_2_with_a_lenient_fallback():
    # YAML 1.2: Norwegian stays a language code and yes/no stay words (YAML 1.1 made them booleans)
    card = parse_card("---\nlanguage:\n- en\n- no\ncommercial: yes\ndate: 2024-01-31\n---\n# x\n")
    assert card.metadata["language"] == ["en", "no"] and card.metadata["commercial"] == "yes"
    assert str(card.metadata["date"]) == "2024-01-31" and card.issues == []
    assert metadata_presence(card.metadata)["language"]
    # a repeated key keeps its last value, as PyYAML and the Hub do
    assert parse_card("---\nlicense: mit\nlicense: apache-2.0\n---\n# x\n").metadata == {"license": "apache-2.0"}
    # a quoted scalar continued at column 0 is invalid YAML 1.2; PyYAML reads it, and so do we, with a warning
    lenient = parse_card('---\ndescription: "first line\nsecond line"\nlicense: mit\n---\n# x\n')
    assert lenient.metadata == {"description": "first line second line", "license": "mit"}
    assert lenient.issue_codes == ["yaml_lenient"] and not lenient.has_error


def test_bytes_decoding_issues():
    assert codes(b"# caf\xe9\n\nok\n") == ["invalid_utf8"]
    assert codes(b"\xef\xbb\xbf---\nlicense: mit\n---\n# x\n") == []  # a BOM is fine
    assert codes(b"# x\n\nab\x00cd\n") == ["nul_bytes"]
    assert parse_card("# x\n\nab\x00cd\n").sections[0].filled
    assert codes("# t\n\nx\n".encode("utf-16")) == ["utf16"]
    assert codes("# t\ud800\n") == ["invalid_utf8"]  # a lone surrogate in a str


def test_binary_data_is_not_read_as_a_card():
    import random

    noise = random.Random(7).randbytes(3000)
    parsed = parse_card(noise)
    assert "not_text" in codes(noise) and parsed.has_error
    assert (parsed.kind, parsed.filled_mask, parsed.present_mask) == ("empty", 0, 0)
    assert score_card(parsed).score == 0
    # the miner hands the warehouse text already decoded with replacement characters: the same
    assert "not_text" in codes(noise.decode("utf-8", "replace"))
    # a text card in another encoding keeps its few undecodable accents and is read
    latin1 = "# Modèle\n\nCe modèle est un classifieur de sentiments pour des critiques de films.\n".encode("latin-1")
    assert codes(latin1) == ["invalid_utf8"] and "model_details" in score_card(parse_card(latin1)).sections_filled


def test_crlf_parses_like_lf():
    lf = "---\nlicense: mit\n---\n# Title\n\n## Usage\n\ncode\n"
    crlf = parse_card(lf.replace("\n", "\r\n").encode())
    assert crlf.issue_codes == ["crlf"]
    assert crlf.metadata == {"license": "mit"}
    assert [s.title for s in crlf.sections] == ["Title", "Usage"]


def test_front_matter_size_cap():
    big = "---\n" + "".join(f"k{i}: {'v' * 60}\n" for i in range(5000)) + "---\n# x\n"
    assert codes(big) == ["yaml_too_large"]


def test_too_many_headings_are_cut():
    parsed = parse_card("".join(f"## h{i}\n" for i in range(headings.MAX_HEADINGS + 10)))
    assert parsed.issue_codes == ["headings_truncated"] and len(parsed.sections) == headings.MAX_HEADINGS


def test_loaded_metadata_is_never_shared_between_cards():
    raw = "---\ntags:\n- a\nmodel-index:\n- name: m\n  results: []\n---\n# x\n"
    for _ in range(3):  # the second sighting admits it to the cache, the third reads from it
        first = parse_card(raw).metadata
        first["tags"].append("mutated")
        first["model-index"][0]["name"] = "mutated"
    assert parse_card(raw).metadata == {"tags": ["a"], "model-index": [{"name": "m", "results": []}]}


# --- completeness score -------------------------------------------------------------------------------


def test_metadata_presence_rules():
    meta = {
        "license": "unknown",
        "language": False,  # YAML 1.1 reads "no" (Norwegian) as False
        "datasets": ["", None],
        "metrics": ["accuracy"],
        "model-index": [{"name": "m", "results": []}],
        "base_model": "{{ base_model }}",
        "library_name": "transformers",
        "pipeline_tag": "[More Information Needed]",
        "co2_eq_emissions": {"emissions": 12.5, "source": "codecarbon"},
    }
    assert metadata_presence(meta) == {
        "license": False,
        "language": True,
        "datasets": False,
        "metrics": True,
        "model-index": False,
        "base_model": False,
        "library_name": True,
        "pipeline_tag": False,
        "co2_eq_emissions": True,
    }
    assert metadata_presence({"model-index": [{"results": [{"task": {"type": "x"}}]}], "co2_eq_emissions": "3.5"}) == {
        **dict.fromkeys(METADATA_FIELDS, False),
        "model-index": True,
        "co2_eq_emissions": True,
    }
    assert metadata_presence(None) == dict.fromkeys(METADATA_FIELDS, False)


def test_score_definition():
    card = (
        "---\nlicense: mit\nlanguage: en\nlibrary_name: transformers\n---\n"
        "## Model description\n\nA small model.\n\n## Citation\n\n@misc{x}\n\n## Glossary\n\n[More Information Needed]\n"
    )
    comp = score_card(parse_card(card))
    assert comp.sections_present == {"model_details", "citation", "glossary"}
    assert comp.sections_filled == {"model_details", "citation"}
    assert comp.section_score == round(70 * (2 + 1) / 20, 2) == 10.5
    assert comp.metadata_score == round(30 * 3 / 9, 2) == 10.0
    assert comp.score == 20.5


def test_complete_card_scores_100_and_empty_card_0():
    meta = (
        "license: mit\nlanguage: en\ndatasets: [d]\nmetrics: [accuracy]\nbase_model: org/b\nlibrary_name: x\n"
        "pipeline_tag: text-classification\nco2_eq_emissions: 10\nmodel-index:\n- name: m\n  results:\n"
        "  - task:\n      type: text-classification\n"
    )
    titles = [
        "Model Details",
        "Uses",
        "Bias, Risks, and Limitations",
        "How to Get Started with the Model",
        "Training Details",
        "Evaluation",
        "Model Examination",
        "Environmental Impact",
        "Technical Specifications",
        "Citation",
        "Glossary",
        "More Information",
        "Model Card Authors",
        "Model Card Contact",
    ]
    # a citation section must name a publication to be one
    body = "".join(f"## {t}\n\nWritten by hand for this test (Doe et al., 2024).\n\n" for t in titles)
    assert score_card(parse_card(f"---\n{meta}---\n{body}")).score == 100.0
    assert score_card(parse_card("")).score == 0.0


# --- streaming rows ------------------------------------------------------------------------------------


def test_score_cards_rows_and_batches(monkeypatch):
    items = [("a", "---\nlicense: mit\n---\n## Usage\n\ncode\n"), ("b", b"\xff\xfe"), ("c", "# x\n")]
    rows = list(score_cards(items))
    assert [r["key"] for r in rows] == ["a", "b", "c"] and all(list(r) == list(ROW_COLUMNS) for r in rows)
    assert rows[0]["present_how_to_get_started"] and rows[0]["filled_how_to_get_started"] and rows[0]["meta_license"]
    table = pa.Table.from_batches(list(score_card_batches(items, batch_size=2)))
    assert table.num_rows == 3 and table.to_pylist() == rows

    real = parse_card

    def flaky(raw, **kw):
        if raw == "# x\n":
            raise RuntimeError("boom")
        return real(raw, **kw)

    monkeypatch.setattr("analysis.cards.completeness.parse_card", flaky)
    rows = list(score_cards(items))
    assert rows[2]["kind"] == "error" and rows[2]["issues"] == "internal_error" and rows[0]["kind"] == "free-form"
