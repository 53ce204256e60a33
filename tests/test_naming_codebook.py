"""The codebook reading (analysis/naming/codebook.py) and its scoring (analysis/naming/agreement.py)
on hand-made names whose expected readings follow the conventions as the module states them."""

from __future__ import annotations

import pytest

from analysis.naming import agreement, codebook
from analysis.naming.codebook import CONVENTIONS, NOTHING_LEARNED, Evidence, Learned, learn, read


def types(repo_id: str, **kw) -> list[str]:
    kw.setdefault("learned", NOTHING_LEARNED)
    return [s.type for s in read(repo_id, **kw)]


@pytest.mark.parametrize(("repo_id", "expected"), [
    # checkpoint words belong to the family; what follows "finetuned" is the dataset
    ("u/distilbert-base-uncased-finetuned-emotions", ["base-model", "variant-type", "dataset"]),
    # instruct and quantisation tags are how the model was trained or converted
    ("u/mistral-7b-instruct-GPTQ", ["base-model", "size", "training-mechanism", "training-mechanism"]),
    # filler and a bare run number are part of the identifier
    ("u/anonymous-model-4", ["identifier"]),
    # hyper-parameters and the numbers beside them are one training-mechanism
    ("u/furina_pan_loss_5e-06", ["identifier", "training-mechanism"]),
    ("u/gpt2-lr-4e-06-ep-3", ["base-model", "training-mechanism"]),
    # a language word before a family marks a national edition
    ("u/japanese-llama-2-13b", ["nationality", "base-model", "size"]),
    # a family word alone with a made-up word is a made-up name
    ("u/phi-2-super", ["identifier"]),
    # the context window is a detail the labels leave out
    ("u/ntk_scaled_llama_7b_8k", ["identifier", "base-model", "size"]),
    ("u/tool-v1.2", ["identifier", "version"]),
    # adapter and merge methods are left out, into the segment before them
    ("u/llama-qlora-30b", ["base-model", "size"]),
    ("u/NeuralHermes-7B-slerp", ["identifier", "size"]),
    ("u/llama-7b-sft", ["base-model", "size", "training-mechanism"]),
    # a family word with a word glued before it is a model of its own; distil- keeps the family
    ("u/CodeLlama-7b-Instruct", ["identifier", "size", "training-mechanism"]),
    ("u/tinyllama-v1", ["identifier", "version"]),
    ("u/distilroberta-finetuned-imdb", ["base-model", "variant-type", "dataset"]),
    ("u/sbert-base-finetuned-imdb", ["base-model", "variant-type", "dataset"]),
    # a checkpoint word with no family before it is left out like filler
    ("u/llama2-ko-7b-chang-base", ["base-model", "language", "size", "identifier"]),
    ("u/distilbert-base-en-th-cased", ["base-model", "language"]),
    # "chat" names what the model does
    ("u/Damysus-2.7B-Chat", ["identifier", "size", "task"]),
])
def test_conventions(repo_id, expected):
    assert types(repo_id) == expected


def test_each_switch_turns_its_convention_off():
    off = dict(CONVENTIONS, finetuned_is_variant=False, finetuned_on_is_dataset=False)
    assert types("u/bert-finetuned-imdb", conventions=off) == ["base-model", "training-mechanism", "dataset"]
    assert types("u/bert-finetuned-imdb") == ["base-model", "variant-type", "dataset"]
    assert types("u/anonymous-model-4", conventions=dict(CONVENTIONS, filler_joins_identifier=False)) == [
        "identifier", "description", "version"]
    assert types("u/CodeLlama-7b", conventions=dict(CONVENTIONS, derived_family_is_identifier=False)) == [
        "base-model", "size"]
    assert types("u/llama-qlora-30b", conventions=dict(CONVENTIONS, filler_joins_identifier=False)) == [
        "base-model", "training-mechanism", "size"]


def test_learned_tables_retype_and_drop():
    learned = Learned(words={"yi": "identifier"}, context={"description|last": "drop"})
    assert types("u/Yi-6B-chat-demo", learned=learned) == ["identifier", "size", "task"]
    assert [s.text for s in read("u/Yi-6B-chat-demo", learned=learned)][-1] == "chat-demo"


def test_learn_never_drops_a_finetuned_word():
    # labels that leave "finetuned" out are read as noise: the word says how the model derives
    learned = learn([(f"u{i}/x{i}-finetuned", ["identifier"]) for i in range(5)])
    assert "variant-type|last|identifier" not in learned.context


def test_learn_keeps_only_what_the_labels_do_consistently():
    labelled = [("a/Yi-6B", ["identifier", "size"]), ("b/Yi-34B", ["identifier", "size"]),
                ("c/llama-7b", ["base-model", "size"])]
    learned = learn(labelled)
    assert learned.words == {"yi": "identifier"}  # "llama" agrees with the conventions: not kept
    assert types("z/Yi-9B", learned=learned) == ["identifier", "size"]
    assert learn(labelled[:1]).words == {}  # seen once is not enough


def test_evidence_from_metadata():
    ev = Evidence.from_metadata(["dataset:stanfordnlp/imdb", "base_model:FacebookAI/roberta-base", "en",
                                 "license:mit", 7, None], "text-classification")
    assert ev.datasets == {"imdb"} and "roberta" in ev.base_models and ev.languages == {"en"}
    assert types("u/myroberta-imdb", evidence=ev) == ["identifier", "dataset"]
    assert types("u/sentiment-classification-en", evidence=ev)[-2:] == ["task", "language"]
    assert Evidence.from_metadata(None, None) == Evidence()


@pytest.mark.parametrize("hostile", ["", "/", "u/", "u/" + "a-" * 500, "u/\u202e\u200bx\U0001f600y", "u/a/b/c",
                                     "u/--__..", "u/v", None, 42])
def test_never_raises(hostile):
    segments = read(hostile)  # type: ignore[arg-type]
    assert all(s.text and s.type for s in segments)


def test_names_rows_reads_ids_alone():
    rows = list(codebook.names_rows(["u/phi-2-super\n", "  \n", "u/tool-v2\n"]))
    assert [r[:2] for r in rows] == [("u/phi-2-super", "{identifier}"), ("u/tool-v2", "{identifier}{version}")]


def test_score_by_hand():
    s = agreement.score([(["identifier", "size"], ["identifier", "size"]),
                         (["identifier"], ["base-model", "size"]),
                         (["identifier", "identifier"], ["identifier"])])
    # hits: 2 + 0 + 1 = 3; predicted 5; labelled 5
    assert s["exact"] == pytest.approx(1 / 3)
    assert s["f1"] == pytest.approx(0.6)
    assert s["per_type"]["identifier"] == (pytest.approx(2 / 4), pytest.approx(2 / 2))
    assert s["per_type"]["base-model"] == (None, 0.0)


def test_labels_file_must_have_the_columns(tmp_path):
    bad = tmp_path / "labels.csv"
    bad.write_text("id,label\na/b,{identifier}\n")
    with pytest.raises(ValueError, match="Conventional naming"):
        agreement.load_labels(bad)
    good = tmp_path / "good.csv"
    good.write_text('selected_model,Conventional naming\na/b-7b,"{identifier}{size}"\n')
    assert agreement.load_labels(good) == [("a/b-7b", ["identifier", "size"])]


def test_tuning_flips_a_switch_only_for_two_names_or_more():
    # one name more read right is as often label noise as a convention (agreement.SWITCH_MARGIN)
    assert agreement.SWITCH_MARGIN == 2
    assert not agreement._better((51 / 100, 0.9), (50 / 100, 0.5), 100)
    assert not agreement._better((50 / 100, 0.9), (50 / 100, 0.5), 100)
    assert agreement._better((52 / 100, 0.5), (50 / 100, 0.9), 100)
