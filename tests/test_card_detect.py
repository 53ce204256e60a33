"""Section detection by content (issue 15) on small hand-written cards (no real card prose), and
the `hubmine cards` checker."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from analysis.cards import TEMPLATE_SECTIONS, map_heading, parse_card, score_card
from analysis.cards.checker import CSV_COLUMNS, check_card
from hubmine.cli import main


def filled(text: str) -> set[str]:
    return set(score_card(parse_card(text)).sections_filled)


def present(text: str) -> set[str]:
    return set(score_card(parse_card(text)).sections_present)


def test_untitled_prose_fills_model_details_without_any_heading():
    card = "---\nlicense: mit\n---\nA compact encoder that labels the sentiment of hotel reviews in Dutch.\n"
    assert "model_details" in filled(card)
    assert present(card) == set()
    assert "model_details" not in filled("---\nlicense: mit\n---\nmy-model\n")  # only the repo name


def test_title_paragraph_fills_model_details_and_its_words_fill_nothing():
    card = "# Bob Dreambooth model trained by alice with a notebook\n\n![sample](a.png)\n"
    assert filled(card) == {"model_details"}  # the title says what the model is, not how it was trained
    assert "training_details" not in filled("# Model Trained Using AutoTrain\n\n- Problem type: Translation\n")


def test_a_combined_uses_and_limitations_heading_needs_a_limitation_for_bias():
    usage_only = "## Intended uses & limitations\n\nUse it to tag product names in German shop listings.\n"
    assert {"uses"} <= filled(usage_only) and "bias_risks_limitations" not in filled(usage_only)
    with_limit = usage_only + "It has known limitations on handwriting transcripts and may produce wrong tags.\n"
    assert {"uses", "bias_risks_limitations"} <= filled(with_limit)


def test_a_training_heading_over_install_steps_is_how_to_get_started():
    card = "## Training\n\n```bash\npip install mylib\n```\n"
    assert "how_to_get_started" in filled(card)
    assert "training_details" not in filled(card)
    assert "training_details" in filled("## Training\n\nWe used a learning rate of 3e-5 for 4 epochs.\n")


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("モデル説明", "model_details"),
        ("使い方", "how_to_get_started"),
        ("学習データ", "training_details"),
        ("用途と制限", "uses"),
        ("模型介绍", "model_details"),
        ("使用方法", "how_to_get_started"),
        ("局限性", "bias_risks_limitations"),
        ("모델 설명", "model_details"),
        ("사용 방법", "how_to_get_started"),
        ("Descripción del modelo", "model_details"),
        ("Limitaciones y sesgos", "bias_risks_limitations"),
        ("Utilisation prévue", "uses"),
        ("Données d'entraînement", "training_details"),
        ("Einschränkungen", "bias_risks_limitations"),
        ("Trainingsdaten", "training_details"),
        ("Ограничения", "bias_risks_limitations"),
        ("Описание модели", "model_details"),
        ("Limitações e vieses", "bias_risks_limitations"),
        ("Como usar", "how_to_get_started"),
        ("Citação", "citation"),
    ],
)
def test_headings_in_other_languages(heading, section):
    assert section in map_heading(heading)[0]


def test_a_japanese_template_translation_scores_like_the_english_one():
    body = {
        "モデル説明": "このモデルは日本語のニュース記事を分類するために作られた小さなモデルです。",
        "使い方": "```python\nfrom transformers import pipeline\n```",
        "学習データ": "学習データには二万件のニュース記事を使いました。学習率は0.0001です。",
        "評価": "テストセットでの正解率は 0.91 でした。",
    }
    card = "".join(f"## {h}\n\n{t}\n\n" for h, t in body.items())
    assert {"model_details", "how_to_get_started", "training_details", "evaluation"} <= filled(card)
    assert {"model_details", "how_to_get_started", "training_details", "evaluation"} <= present(card)


def test_content_fills_sections_wherever_it_stands():
    card = (
        "# Tiny tagger\n\nA small tagger for product names in shop listings.\n\n## Notes\n\n"
        "```python\nfrom transformers import pipeline\ntagger = pipeline('token-classification', model='me/tiny')\n```\n\n"
        "It reaches an accuracy of 0.93 on our held-out split.\n\n"
        "```bibtex\n@article{doe2024, title={Tiny}, author={Doe}}\n```\n"
    )
    got = filled(card)
    assert {"how_to_get_started", "evaluation", "citation", "model_details"} <= got
    parsed = parse_card(card)
    # a cue's passage is shown from the line that decided, not from the passage's opening
    assert parsed.passage("how_to_get_started").startswith("tagger = pipeline('token-classification'")
    assert parsed.passage("evaluation").startswith("It reaches an accuracy of 0.93")


@pytest.mark.parametrize(
    "answer",
    [
        "Unknown",
        "N/A",
        "[More Information Needed]",
        "not specified",
        "- **Hardware Type:** Unknown\n- **Hours used:** N/A",
    ],
)
def test_explicit_unknown_answers_fill_nothing(answer):
    assert "environmental_impact" not in filled(f"## Environmental Impact\n\n{answer}\n")


def test_ml_agents_boilerplate_fills_only_what_it_answers():
    card = (
        "# **ppo** Agent playing **Pyramids**\n"
        "This is a trained model of a **ppo** agent playing **Pyramids** using the [Unity ML-Agents Library](x).\n\n"
        "## Usage (with ML-Agents)\nThe Documentation: https://example.org/docs\n\n"
        "### Resume the training\n```bash\nmlagents-learn <your_configuration_file_path.yaml> --run-id=<run_id> --resume\n```\n"
        "### Watch your Agent play\nYou can watch your agent playing directly in your browser.\n"
    )
    assert filled(card) <= {"model_details", "how_to_get_started"}
    assert "model_details" in filled(card)


def test_template_sentences_and_empty_code_fill_nothing():
    card = (
        "## How to Get Started with the Model\n\nUse the code below to get started with the model.\n\n"
        "```python\n# coming soon\n```\n\n## Citation\n\n**BibTeX:**\n\n[More Information Needed]\n"
    )
    assert filled(card) == set()


def test_a_table_of_contents_fills_nothing():
    card = "## Table of Contents\n\n- [Model Details](#model-details)\n- [Bias, Risks, and Limitations](#bias)\n"
    assert filled(card) == set()


def test_a_link_to_a_tool_is_no_more_information_but_a_paper_is():
    tool = "A merge of two models, made with [mergekit](https://github.com/cg123/mergekit) by me today.\n"
    assert "more_information" not in filled(tool)
    assert "more_information" in filled(tool + "\nThe method is described in https://arxiv.org/abs/2401.00001.\n")


def test_evaluation_heading_needs_a_result():
    assert "evaluation" not in filled(
        "## Evaluation\n\nFor the results check the [paper](https://arxiv.org/abs/2204.00618)\n"
    )
    assert "evaluation" in filled("## Evaluation\n\n| set | F1 |\n|---|---|\n| test | 88.1 |\n")


def test_filled_sections_name_their_passage():
    parsed = parse_card("# T\n\nA summarizer of legal contracts written in Spanish for lawyers.\n")
    assert parsed.passage("model_details").startswith("A summarizer of legal contracts")
    assert parsed.passage("citation") is None


TRAINER_COMMENT = (
    "<!-- This model card has been generated automatically according to the information the Trainer had access"
    " to. You\nshould probably proofread and complete it, then remove this comment. -->\n\n"
)


def test_a_sentence_in_an_html_comment_describes_nothing():
    card = TRAINER_COMMENT + "# run-3\n\n## Training hyperparameters\n\n- learning_rate: 5e-05\n"
    assert "model_details" not in filled(card)
    # the Trainer's own sentence for a model without a base does describe it
    scratch = card.replace("# run-3\n", "# run-3-finetuned\n\nThis model was trained from scratch on the glue dataset.\n"
                           "It achieves the following results on the evaluation set:\n- Loss: 0.3000\n")
    parsed = parse_card(scratch)
    assert {"model_details", "evaluation"} <= filled(scratch)
    # shown from their own lines: the comment above them is not the evidence
    assert parsed.passage("model_details").startswith("This model was trained from scratch")
    assert parsed.passage("evaluation").startswith("It achieves the following results")


# --- hubmine cards ------------------------------------------------------------------------------------------

CARD = (
    "---\nlicense: mit\nlanguage: en\n---\n# Tiny sentiment model\n\n"
    "A small classifier for the sentiment of product reviews.\n\n## How to use\n\n"
    "```python\nfrom transformers import pipeline\npipe = pipeline('text-classification', model='me/tiny')\n```\n"
)


def test_checker_reports_each_section_and_what_to_add_first():
    check = check_card(CARD, "a/README.md")
    by = {s["section"]: s for s in check.sections}
    assert [s["section"] for s in check.sections] == list(TEMPLATE_SECTIONS)
    assert by["how_to_get_started"]["filled"] and by["how_to_get_started"]["present"]
    assert by["model_details"]["filled"] and not by["model_details"]["present"]
    assert by["how_to_get_started"]["passage"].startswith("from transformers import pipeline")  # the fence skipped
    assert check.metadata["license"] and not check.metadata["datasets"]
    # the biggest gains first: a missing core section is worth 70 * 2 / 20 = 7 points, a field 30 / 9
    assert check.suggestions[0] == {"add": "section: Bias, Risks, and Limitations", "points": 7.0}
    assert {"add": "metadata: datasets", "points": 3.33} in check.suggestions
    assert check.score == score_card(parse_card(CARD)).score


def test_cli_formats_and_min_score(tmp_path):
    good = tmp_path / "good" / "README.md"
    bare = tmp_path / "bare" / "README.md"
    good.parent.mkdir()
    bare.parent.mkdir()
    good.write_text(CARD, encoding="utf-8")
    bare.write_text("# x\n", encoding="utf-8")
    runner = CliRunner()

    result = runner.invoke(main, ["cards", str(tmp_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert CSV_COLUMNS[:5] == ("path", "kind", "score", "filled_model_details", "present_model_details")
    assert [Path_(r["path"]) for r in rows] == ["bare", "good"]
    assert rows[1]["filled_how_to_get_started"] == "1" and rows[0]["filled_how_to_get_started"] == "0"

    result = runner.invoke(main, ["cards", str(good), "--format", "json"])
    data = json.loads(result.stdout)
    assert data[0]["score"] == score_card(parse_card(CARD)).score

    result = runner.invoke(main, ["cards", str(good), str(bare), "--min-score", "10"])
    assert result.exit_code == 1
    assert "1 of 2 cards score below 10" in result.stderr
    assert "to raise the score most" in result.stdout

    result = runner.invoke(main, ["cards", str(tmp_path / "missing")])
    assert result.exit_code == 1 and "no such file or folder" in result.output


def Path_(p: str) -> str:  # noqa: N802 - the card's folder name
    return p.replace("\\", "/").rsplit("/", 2)[-2]
