"""analysis.cards.metadata on small hand-written cards, hostile ones included."""

from __future__ import annotations

import random
import time

import pytest
import yaml

from analysis.cards.metadata import (
    HUB_LICENSE_IDS,
    MAX_LIST_ITEMS,
    MAX_PROBLEMS,
    MetadataProblem,
    validate_metadata,
)
from analysis.excerpt import excerpt

CLEAN = {
    "language": ["en", "fr-CA", "zh-Hans", "pt_BR", "code", "multilingual", "yue"],
    "license": "apache-2.0",
    "base_model": "google-bert/bert-base-uncased",
    "base_model_relation": "finetune",
    "co2_eq_emissions": {"emissions": 12.5, "source": "AutoTrain", "training_type": "fine-tuning",
                         "geographical_location": "Paris, France", "hardware_used": "1 T4"},
    "model-index": [{
        "name": "my-model",
        "results": [{
            "task": {"type": "text-classification", "name": "Text Classification"},
            "dataset": {"type": "glue", "name": "GLUE SST-2", "config": "sst2", "split": "validation"},
            "metrics": [{"type": "accuracy", "value": 0.91, "name": "Accuracy"},
                        {"type": "wer", "value": "20.0 ± 1.2"}],
            "source": {"name": "Open LLM Leaderboard", "url": "https://example.org"},
        }],
    }],
}


def codes(metadata, **kwargs) -> list[str]:
    return [problem.code for problem in validate_metadata(metadata, **kwargs)]


def test_clean_metadata_has_no_problems():
    assert validate_metadata(CLEAN, repo_id="me/my-model") == []
    assert validate_metadata(None) == []
    assert validate_metadata({}) == []


def test_rows_are_metadata_problems_with_all_fields():
    [problem] = validate_metadata({"license": "Apache 2"})
    assert isinstance(problem, MetadataProblem)
    assert (problem.field, problem.code) == ("license", "license_unknown_id")
    assert problem.message and problem.value_excerpt == "'Apache 2'"


@pytest.mark.parametrize("metadata", [[], "license: mit", 3, True])
def test_metadata_must_be_a_mapping(metadata):
    assert codes(metadata) == ["metadata_not_mapping"]


# ---------------------------------------------------------------------------------------------------
# license


@pytest.mark.parametrize("license_, expected", [
    ("mit", []), ("llama3.1", []), ("creativeml-openrail-m", []), ("gemma", []), ("unknown", []),
    ("MIT", ["license_id_case"]),
    ("apache2", ["license_unknown_id"]),
    (["apache-2.0"], ["license_wrong_type"]),
    (["apache-2.0", "mit"], ["license_wrong_type"]),
    (2.0, ["license_wrong_type"]),
    ("other", ["license_other_without_name", "license_other_without_link"]),
])
def test_license(license_, expected):
    assert codes({"license": license_}) == expected


def test_license_list_comes_from_the_hub_docs():
    for ident in ("apache-2.0", "mit", "openrail", "bigscience-openrail-m", "llama2", "llama3", "cc-by-nc-4.0",
                  "cc-by-sa-4.0", "other", "unknown"):
        assert ident in HUB_LICENSE_IDS
    assert all(ident == ident.lower().strip() for ident in HUB_LICENSE_IDS)


def test_license_other_pairs():
    assert codes({"license": "other", "license_name": "my-licence", "license_link": "LICENSE"}) == []
    assert codes({"license": "other", "license_name": "my-licence"}) == ["license_other_without_link"]
    assert codes({"license": "other", "license_name": 3, "license_link": "LICENSE"}) == ["license_name_wrong_type"]
    assert codes({"license": "mit", "license_link": "https://x"}) == ["license_name_without_other"]
    assert codes({"license_name": "x"}) == ["license_missing_with_name"]


@pytest.mark.parametrize("link, expected", [
    ("LICENSE.md", []),
    ("https://example.org/licence", []),
    ("HTTP://EXAMPLE.ORG/L", []),
    ("javascript:alert(1)", ["license_link_bad_scheme"]),
    (" JavaScript:alert(1)", ["license_link_bad_scheme"]),
    ("data:text/html,<script>alert(1)</script>", ["license_link_bad_scheme"]),
])
def test_license_link_is_a_url_or_a_path(link, expected):
    assert codes({"license": "other", "license_name": "x", "license_link": link}) == expected


# ---------------------------------------------------------------------------------------------------
# base_model


@pytest.mark.parametrize("base, expected", [
    ("gpt2", []),
    (["meta-llama/Llama-3.1-8B", "mistralai/Mistral-7B-v0.1"], []),
    ("https://huggingface.co/budecosystem/genz-70b", ["base_model_invalid_repo_id"]),
    ("models/org/name", ["base_model_invalid_repo_id"]),
    ("org/na--me", ["base_model_invalid_repo_id"]),
    ("org/name.git", ["base_model_invalid_repo_id"]),
    ("org/café", ["base_model_invalid_repo_id"]),
    ("x" * 500, ["base_model_invalid_repo_id"]),
    ([], ["base_model_empty"]),
    (3, ["base_model_wrong_type"]),
    ({"id": "gpt2"}, ["base_model_wrong_type"]),
    (["gpt2", None, "gpt2"], ["base_model_wrong_type", "base_model_duplicate"]),
])
def test_base_model(base, expected):
    assert codes({"base_model": base}) == expected


def test_base_model_self_reference_and_error_fields():
    problems = validate_metadata({"base_model": ["org/base", "me/model"]}, repo_id="me/model")
    assert [(p.field, p.code) for p in problems] == [("base_model[1]", "base_model_self_reference")]
    assert "URL" in validate_metadata({"base_model": "https://huggingface.co/a/b"})[0].message


@pytest.mark.parametrize("metadata, expected", [
    ({"base_model": "a/b", "base_model_relation": "quantized"}, []),
    ({"base_model": "a/b", "base_model_relation": "fine-tune"}, ["base_model_relation_unknown"]),
    ({"base_model": "a/b", "base_model_relation": ["merge"]}, ["base_model_relation_wrong_type"]),
    ({"base_model_relation": "adapter"}, ["base_model_relation_without_base_model"]),
])
def test_base_model_relation(metadata, expected):
    assert codes(metadata) == expected


# ---------------------------------------------------------------------------------------------------
# model-index


def result(**overrides):
    base = {"task": {"type": "t"}, "dataset": {"type": "d", "name": "D"}, "metrics": [{"type": "acc", "value": 0.5}]}
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not ...}


def mi(*results, name="m"):
    return {"model-index": [{"name": name, "results": list(results)}]}


@pytest.mark.parametrize("metadata, expected", [
    (mi(result()), []),
    (mi(result(dataset=...)), ["model_index_dataset_missing"]),
    (mi(result(task=...)), ["model_index_task_missing"]),
    (mi(result(task={"name": "x"})), ["model_index_task_type_missing"]),
    (mi(result(dataset={"type": "d"})), ["model_index_dataset_name_missing"]),
    (mi(result(dataset={"type": "d", "name": "D", "config": 2017})), ["model_index_field_wrong_type"]),
    (mi(result(dataset="glue")), ["model_index_dataset_wrong_type"]),
    (mi(result(metrics=...)), ["model_index_metrics_missing"]),
    (mi(result(metrics=[])), ["model_index_metrics_empty"]),
    (mi(result(metrics={"type": "acc"})), ["model_index_metrics_wrong_type"]),
    (mi(result(metrics=[{"value": 0.5}])), ["model_index_metric_type_missing"]),
    (mi(result(metrics=[{"type": "acc"}])), ["model_index_metric_value_missing"]),
    (mi(result(metrics=["acc"])), ["model_index_metric_wrong_type"]),
    (mi(result(source={"name": "board"})), ["model_index_source_without_url"]),
    (mi(result(), name=None), ["model_index_name_missing"]),
    (mi(result(), name=["m"]), ["model_index_name_wrong_type"]),
    (mi(), ["model_index_results_empty"]),
    ({"model-index": [{"name": "m"}]}, ["model_index_results_missing"]),
    ({"model-index": [{"name": "m", "results": {"task": {}}}]}, ["model_index_results_wrong_type"]),
    ({"model-index": []}, ["model_index_empty"]),
    ({"model-index": {"name": "m"}}, ["model_index_wrong_type"]),
    ({"model-index": ["m"]}, ["model_index_entry_wrong_type"]),
    ({"model-index": [{"name": "m", "results": [3]}]}, ["model_index_result_wrong_type"]),
    ({"model_index": []}, ["model_index_misspelled"]),
])
def test_model_index_structure(metadata, expected):
    assert codes(metadata) == expected


@pytest.mark.parametrize("value, expected", [
    (0.5, []), (42, []), ("20.0 ± 1.2", []), ("85%", []), (-3.1, []),
    ("n/a", ["model_index_metric_value_not_numeric"]),
    ("", ["model_index_metric_value_not_numeric"]),
    (True, ["model_index_metric_value_not_numeric"]),
    ([0.5], ["model_index_metric_value_not_numeric"]),
    ({"mean": 0.5}, ["model_index_metric_value_not_numeric"]),
    (float("nan"), ["model_index_metric_value_absurd"]),
    (float("-inf"), ["model_index_metric_value_absurd"]),
    (1e300, ["model_index_metric_value_absurd"]),
    ("1e300", ["model_index_metric_value_absurd"]),
    pytest.param(10 ** 5000, ["model_index_metric_value_absurd"], id="int-of-5001-digits"),
])
def test_metric_values(value, expected):
    assert codes(mi(result(metrics=[{"type": "acc", "value": value}]))) == expected


def test_one_row_per_bad_metric_with_paths():
    metrics = [{"type": "a", "value": 0.1}, {"type": "b", "value": "bad"}, {"type": "c", "value": float("nan")},
               {"value": 0.3}]
    problems = validate_metadata(mi(result(), result(metrics=metrics)))
    assert [(p.field, p.code) for p in problems] == [
        ("model-index[0].results[1].metrics[1].value", "model_index_metric_value_not_numeric"),
        ("model-index[0].results[1].metrics[2].value", "model_index_metric_value_absurd"),
        ("model-index[0].results[1].metrics[3].type", "model_index_metric_type_missing"),
    ]


def test_huggingface_hub_invalid_model_index_fixture(realdata):
    """The fixture huggingface_hub itself uses for an unparseable model-index: the dataset is missing."""
    text = (realdata / "hfhub_cassettes" / "card_fixtures" / "sample_invalid_model_index.md").read_text()
    metadata = yaml.safe_load(text.split("---")[1])
    problems = validate_metadata(metadata)
    assert [(p.field, p.code) for p in problems] == [
        ("model-index[0].results[0].dataset", "model_index_dataset_missing")]


# ---------------------------------------------------------------------------------------------------
# co2_eq_emissions


@pytest.mark.parametrize("co2, expected", [
    (12, []), (0, []), ({"emissions": 3.2}, []),
    (-1, ["co2_emissions_negative"]),
    (1e300, ["co2_emissions_implausible"]),
    ("12 g", ["co2_emissions_string"]),
    ("lots", ["co2_emissions_not_numeric"]),
    ("Not Specified", ["co2_placeholder"]),
    (None, ["co2_empty"]),
    ([1, 2], ["co2_wrong_type"]),
    ({"emissions": True}, ["co2_emissions_wrong_type"]),
    ({"source": "AutoTrain"}, ["co2_emissions_missing"]),
    ({"emissions": 3, "unit": "kg", "cloud_provider": "GCP"}, ["co2_unknown_key", "co2_unknown_key"]),
    ({"emissions": 3, "hardware_used": {"gpu": "T4"}}, ["co2_field_wrong_type"]),
])
def test_co2(co2, expected):
    assert codes({"co2_eq_emissions": co2}) == expected


def test_co2_fields_name_the_key():
    problems = validate_metadata({"co2_eq_emissions": {"emissions": -2, "unit": "g"}})
    assert sorted(p.field for p in problems) == ["co2_eq_emissions.emissions", "co2_eq_emissions.unit"]


# ---------------------------------------------------------------------------------------------------
# language


@pytest.mark.parametrize("language, expected", [
    ("en", []), (["de", "en-GB", "sr-Latn-RS"], []),
    ("English", ["language_bad_shape"]),
    ("EN", ["language_not_lowercase"]),
    ("en,fr", ["language_bad_shape"]),
    (False, ["language_wrong_type"]),
    ([False, "nb"], ["language_not_string"]),
    ([12], ["language_not_string"]),
    ([], ["language_empty"]),
    ({"en": 1}, ["language_wrong_type"]),
])
def test_language(language, expected):
    assert codes({"language": language}) == expected


def test_yaml_norway_problem_gets_a_hint():
    metadata = yaml.safe_load("language:\n- en\n- no\n")
    [problem] = validate_metadata(metadata)
    assert problem.field == "language[1]" and "quote" in problem.message


def test_one_row_per_bad_language():
    problems = validate_metadata({"language": ["en", "English", "FR", 3, "de", "x"]})
    assert [p.field for p in problems] == ["language[1]", "language[2]", "language[3]", "language[5]"]


# ---------------------------------------------------------------------------------------------------
# hostile input: never raise, bounded work


def nested(depth: int) -> list:
    root: list = []
    cursor = root
    for _ in range(depth):
        cursor.append([])
        cursor = cursor[0]
    return root


def test_deep_nesting_everywhere():
    deep = nested(200_000)
    metadata = {key: deep for key in ("license", "base_model", "model-index", "co2_eq_emissions", "language")}
    problems = validate_metadata(metadata)
    assert problems and all(isinstance(p, MetadataProblem) for p in problems)
    assert all(len(p.value_excerpt) <= 120 for p in problems)


def test_self_referential_yaml_anchors():
    loop: dict = {"type": "acc"}
    loop["value"] = loop
    entry: dict = {"name": "m"}
    entry["results"] = [{"task": entry, "dataset": entry, "metrics": [loop]}]
    metadata: dict = {"model-index": [entry], "co2_eq_emissions": loop}
    metadata["language"] = [metadata]
    assert validate_metadata(metadata)  # reports, does not recurse forever

    recursive = yaml.safe_load("a: &x [*x]\nlanguage: &y [*y]\nmodel-index: &z [{name: m, results: *z}]\n")
    assert validate_metadata(recursive)


def test_huge_lists_are_capped():
    many_metrics = [{"type": "acc", "value": "bad"}] * 100_000
    start = time.perf_counter()
    problems = validate_metadata({"model-index": [{"name": "m", "results": [result(metrics=many_metrics)]}],
                                  "language": ["EN"] * 100_000})
    assert time.perf_counter() - start < 2
    assert len(problems) <= MAX_PROBLEMS + 1
    assert problems[-1].code == "problems_truncated"

    few = validate_metadata({"language": ["en"] * (MAX_LIST_ITEMS + 5)})
    assert [p.code for p in few] == ["list_truncated"]


def test_huge_scalars():
    problems = validate_metadata({"license": "x" * 10_000_000, "language": "y" * 10_000_000,
                                  "base_model": "z" * 10_000_000, "co2_eq_emissions": 10 ** 100_000})
    assert {p.code for p in problems} == {"license_unknown_id", "language_bad_shape", "base_model_invalid_repo_id",
                                          "co2_emissions_not_finite"}
    assert all(len(p.value_excerpt) <= 120 for p in problems)


class Weird:
    def __repr__(self):
        raise RuntimeError("no repr")

    __str__ = __repr__

    def __eq__(self, other):
        raise RuntimeError("no eq")

    __hash__ = object.__hash__


class ExplodingDict(dict):
    def get(self, *args):
        raise RuntimeError("boom")


def test_weird_objects():
    weird = Weird()
    metadata = {"license": weird, "base_model": [weird], "language": weird, "co2_eq_emissions": weird,
                "model-index": [{"name": weird, "results": [{"task": weird, "dataset": {"type": weird},
                                                             "metrics": [{"type": "x", "value": weird}]}]}]}
    assert validate_metadata(metadata)
    assert [p.code for p in validate_metadata(ExplodingDict(license="mit"))] == ["validator_error"]
    assert excerpt(weird, 120) == "<Weird>"


def random_value(rng: random.Random, depth: int = 0):
    kinds = ["none", "bool", "int", "bigint", "float", "nan", "str", "list", "dict", "object"]
    if depth > 4:
        kinds = kinds[:7]
    kind = rng.choice(kinds)
    if kind == "none":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "int":
        return rng.randint(-10**6, 10**6)
    if kind == "bigint":
        return 10 ** rng.randint(20, 6000)
    if kind == "float":
        return rng.choice([0.5, -1e300, 1e300, 3.0, -0.0])
    if kind == "nan":
        return rng.choice([float("nan"), float("inf")])
    if kind == "str":
        return rng.choice(["", "en", "mit", "other", "a/b", "Not Specified", "x" * 5000, "20 ± 1", "ü/ß"])
    if kind == "list":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    if kind == "dict":
        keys = ["name", "results", "task", "dataset", "metrics", "type", "value", "emissions", "source",
                "url", 3, None]
        return {rng.choice(keys): random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}
    return Weird()


def test_fuzz_never_raises():
    rng = random.Random(20240611)
    keys = ["license", "license_name", "license_link", "base_model", "base_model_relation", "model-index",
            "co2_eq_emissions", "language", "model_index"]
    for _ in range(3_000):
        metadata = {key: random_value(rng) for key in rng.sample(keys, rng.randint(1, len(keys)))}
        if rng.random() < 0.3:
            metadata["model-index"] = [{"name": random_value(rng), "results": [
                {"task": random_value(rng), "dataset": random_value(rng),
                 "metrics": [{"type": random_value(rng), "value": random_value(rng)}]}]}]
        problems = validate_metadata(metadata, repo_id=rng.choice([None, "a/b", "x" * 300]))
        assert all(isinstance(p, MetadataProblem) for p in problems)
        assert all(isinstance(p.value_excerpt, str) and len(p.value_excerpt) <= 120 for p in problems)
        assert not any(p.code == "validator_error" for p in problems), problems


@pytest.mark.parametrize("value", [None, 3, "x" * 1000, [1] * 1000, {i: i for i in range(1000)}, nested(10_000),
                                   pytest.param(10 ** 10_000, id="bigint"), Weird(), ("a", "b")])
def test_excerpt_is_bounded(value):
    text = excerpt(value, 120)
    assert isinstance(text, str) and 0 < len(text) <= 120
