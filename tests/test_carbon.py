"""analysis.carbon.emissions on small hand-written inputs, hostile ones included."""

from __future__ import annotations

import math

import pytest

from analysis.carbon.emissions import (
    DATASET_EFFICIENCY_BANDS,
    MODEL_EFFICIENCY_BANDS,
    REPORTING_CLASSES,
    Co2Record,
    bytes_per_gram,
    dataset_efficiency_band,
    efficiency_band,
    is_absent_string,
    model_efficiency_band,
    normalise_co2,
    parse_emissions,
    performance_score,
    reporting_class,
)


def codes(record: Co2Record) -> list[str]:
    return [problem.code for problem in record.problems]


# ---------------------------------------------------------------------------------------------------
# normalise_co2: the forms the spec allows


@pytest.mark.parametrize("value, grams", [(12, 12.0), (0.5, 0.5), (0, 0.0), (24_700_000, 24_700_000.0)])
def test_bare_number_is_grams(value, grams):
    record = normalise_co2(value)
    assert record.emissions_g == grams
    assert record.form == "number"
    assert record.problems == ()
    assert record.reporting_class == "emissions_only"


def test_full_mapping():
    record = normalise_co2({
        "emissions": 7540, "source": "MLCo2 Machine Learning Impact calculator", "training_type": "fine-tuning",
        "geographical_location": "East USA", "hardware_used": "TPU v3-8",
    })
    assert record.emissions_g == 7540.0
    assert record.source == "MLCo2 Machine Learning Impact calculator"
    assert (record.training_type, record.geographical_location, record.hardware_used) == (
        "fine-tuning", "East USA", "TPU v3-8")
    assert record.problems == ()
    assert record.reporting_class == "full_context"
    assert record.has_source and record.context_fields == 3


@pytest.mark.parametrize("mapping, expected", [
    ({"emissions": 1.25}, "emissions_only"),
    ({"emissions": 1.25, "source": "AutoTrain"}, "emissions_source"),
    ({"emissions": 1.25, "source": "Not Specified", "training_type": "Not Specified"}, "emissions_only"),
    ({"emissions": 1.25, "hardware_used": "1 T4"}, "partial_context"),
    ({"emissions": 1.25, "source": "code carbon", "training_type": "fine-tuning",
      "geographical_location": "Paris, France"}, "partial_context"),
    ({"emissions": 1.25, "training_type": "pretraining", "geographical_location": "Orsay, France",
      "hardware_used": "384 A100"}, "full_context"),
    ({"source": "AutoTrain", "training_type": "fine-tuning"}, "no_figure"),
    ({"emissions": "Not Specified", "hardware_used": "1 T4"}, "no_figure"),
])
def test_reporting_classes(mapping, expected):
    assert normalise_co2(mapping).reporting_class == expected


def test_reporting_classes_are_ordered_and_absent_is_none():
    assert REPORTING_CLASSES == (
        "absent", "no_figure", "emissions_only", "emissions_source", "partial_context", "full_context")
    assert reporting_class(None) == "absent"
    assert normalise_co2(None) is None


@pytest.mark.parametrize("placeholder", ["", "   ", "Not Specified", "not specified.", "unknown", "N/A",
                                         "[More Information Needed]", "none", "TBD"])
def test_placeholders_are_absent(placeholder):
    assert is_absent_string(placeholder)
    assert normalise_co2(placeholder) is None
    record = normalise_co2({"emissions": 3, "source": placeholder, "geographical_location": placeholder})
    assert record.source is None and record.geographical_location is None
    assert record.reporting_class == "emissions_only"


def test_real_words_are_not_placeholders():
    for text in ("AutoTrain", "NA", "Nowhere", "Unknown region of France"):
        assert not is_absent_string(text)


# ---------------------------------------------------------------------------------------------------
# normalise_co2: off-spec but readable


@pytest.mark.parametrize("text, grams", [
    ("12.5", 12.5), (" 0.031 ", 0.031), ("1,234.5 g", 1234.5), ("1.2 kg", 1200.0), ("3 tCO2eq", 3e6),
    ("2 tonnes CO2-eq", 2e6), ("150 g CO2e", 150.0), ("24_700_000", 24.7e6), ("1e3", 1000.0), (".5", 0.5),
])
def test_numeric_strings_parse_with_a_problem(text, grams):
    record = normalise_co2(text)
    assert record.form == "string"
    assert record.emissions_g == pytest.approx(grams)
    assert codes(record) == ["co2_emissions_string"]


def test_misspelled_key_is_used_and_reported():
    record = normalise_co2({"Emissions": 5, "Hardware-Used": "1 V100"})
    assert record.emissions_g == 5.0 and record.hardware_used == "1 V100"
    assert codes(record) == ["co2_key_misspelled", "co2_key_misspelled"]


def test_text_field_coercions():
    record = normalise_co2({"emissions": 5, "hardware_used": ["1 V100", "Not Specified", "2 T4"],
                            "geographical_location": 2020, "source": {"name": "x"}, "training_type": True})
    assert record.hardware_used == "1 V100, 2 T4"
    assert record.geographical_location == "2020"
    assert record.source is None and record.training_type is None
    assert sorted(codes(record)) == ["co2_field_not_string", "co2_field_not_string", "co2_field_wrong_type",
                                     "co2_field_wrong_type"]


@pytest.mark.parametrize("training_type, canonical", [
    ("pre-training", "pretraining"), ("Pretraining", "pretraining"), ("fine-tuning", "fine-tuning"),
    ("Fine Tuning", "fine-tuning"), ("finetune", "fine-tuning"), ("distillation", None)])
def test_training_type_canonical(training_type, canonical):
    assert normalise_co2({"emissions": 1, "training_type": training_type}).training_type_canonical == canonical


# ---------------------------------------------------------------------------------------------------
# normalise_co2: garbage -> a record with a problem, never an exception


@pytest.mark.parametrize("value, code", [
    ("lots", "co2_emissions_not_numeric"),
    ("0,5", "co2_emissions_not_numeric"),  # European decimal comma or thousands? Ambiguous: refused
    ("12 lbs", "co2_emissions_not_numeric"),
    (True, "co2_emissions_wrong_type"),
    ([12.0], "co2_wrong_type"),
    (object(), "co2_wrong_type"),
    (-5, "co2_emissions_negative"),
    (float("nan"), "co2_emissions_not_finite"),
    (float("inf"), "co2_emissions_not_finite"),
    (1e300, "co2_emissions_implausible"),
    ("1e300", "co2_emissions_implausible"),
    (10 ** 400, "co2_emissions_not_finite"),
])
def test_garbage_gives_no_figure(value, code):
    record = normalise_co2(value)
    assert record is not None and record.emissions_g is None
    assert code in codes(record)
    assert record.reporting_class == "no_figure"


def test_mapping_without_emissions_and_with_unknown_keys():
    record = normalise_co2({"source": "codecarbon", "unit": "kg", 3: "x", "emissions": None})
    assert record.emissions_g is None
    assert sorted(codes(record)) == ["co2_emissions_missing", "co2_unknown_key", "co2_unknown_key"]


def test_emissions_as_mapping_is_wrong_type():
    record = normalise_co2({"emissions": {"value": 3, "unit": "kg"}})
    assert codes(record) == ["co2_emissions_wrong_type"]


def test_hostile_mappings():
    huge = {f"k{i}": i for i in range(100_000)}
    huge["emissions"] = 3
    record = normalise_co2(huge)
    assert record.emissions_g == 3.0  # found by key, not by scanning
    assert "co2_too_many_keys" in codes(record)
    assert len(record.problems) < 100

    loop: dict = {"emissions": 1}
    loop["source"] = loop
    record = normalise_co2(loop)
    assert record.emissions_g == 1.0 and record.source is None
    repr(record)  # the self-reference is kept out of repr

    deep: list = []
    cursor = deep
    for _ in range(100_000):
        cursor.append([])
        cursor = cursor[0]
    assert normalise_co2({"emissions": deep}).emissions_g is None
    assert normalise_co2({"emissions": "9" * 1_000_000}).emissions_g is None

    class Exploding(dict):
        def items(self):
            raise RuntimeError("boom")

    assert normalise_co2(Exploding(emissions=3)).emissions_g is None


def test_parse_emissions_is_usable_on_its_own():
    assert parse_emissions(3) == (3.0, [])
    grams, problems = parse_emissions("0.4 kg")
    assert grams == 400.0 and [p.code for p in problems] == ["co2_emissions_string"]


# ---------------------------------------------------------------------------------------------------
# efficiency


def test_bytes_per_gram():
    assert bytes_per_gram(1e9, 10) == 1e8
    for size, grams in [(1e9, 0), (0, 10), (-1, 10), (1e9, -1), (None, 10), (1e9, None), (1e9, math.nan),
                        ("1e9", 10), (True, 10)]:
        assert bytes_per_gram(size, grams) is None


def test_bands_are_descending_and_boundaries_inclusive():
    for bands in (MODEL_EFFICIENCY_BANDS, DATASET_EFFICIENCY_BANDS):
        assert list(bands) == sorted(bands, reverse=True)
    a, b, c, d = MODEL_EFFICIENCY_BANDS
    assert [efficiency_band(x, MODEL_EFFICIENCY_BANDS) for x in (a, b, c, d)] == ["A", "B", "C", "D"]
    assert efficiency_band(d * 0.999, MODEL_EFFICIENCY_BANDS) == "E"
    assert efficiency_band(None, MODEL_EFFICIENCY_BANDS) is None
    assert efficiency_band(math.nan, MODEL_EFFICIENCY_BANDS) is None


def test_model_and_dataset_bands():
    # distilgpt2 in HFCO2: 352,833,716 bytes, 149,200 g -> 2,365 bytes/g, among the least efficient
    assert model_efficiency_band(352_833_716, 149_200) == "E"
    # a 438 MB AutoTrain classifier at 8 g -> 5.5e7 bytes/g
    assert model_efficiency_band(438_043_821, 7.989) == "D"
    assert model_efficiency_band(1e12, 1) == "A"
    assert model_efficiency_band(1e9, 0) is None
    assert dataset_efficiency_band(39_769_494_896, 149_200) == "D"


# ---------------------------------------------------------------------------------------------------
# performance


def index(*metrics, more_results=()):
    result = {"task": {"type": "text-classification"}, "dataset": {"type": "d", "name": "D"},
              "metrics": list(metrics)}
    return [{"name": "m", "results": [result, *more_results]}]


def test_performance_is_harmonic_mean_of_accuracy_f1_rouge():
    score = performance_score(index({"type": "accuracy", "value": 0.9728654124457308},
                                     {"type": "f1", "value": 0.949537871674076},
                                     {"type": "precision", "value": 0.1}))
    assert score == pytest.approx(0.96106010720014)  # Castaño et al.'s value for autonlp-triage-35248482
    assert performance_score(index({"type": "rouge1", "value": 0.525404}, {"type": "rougeL", "value": 0.501696})) \
        == pytest.approx(0.513276380457599)


def test_performance_scales_and_strings():
    assert performance_score(index({"type": "rouge1", "value": 45.0}, {"type": "rougeL", "value": 0.45})) \
        == pytest.approx(0.45)
    assert performance_score(index({"type": "accuracy", "value": "85%"})) == pytest.approx(0.85)
    assert performance_score(index({"type": "Accuracy", "value": "0.80 ± 0.02"})) == pytest.approx(0.80)
    assert performance_score(index({"type": "f1", "value": 0})) == 0.0


def test_performance_first_value_per_metric_wins_and_junk_is_skipped():
    later = {"task": {"type": "t"}, "dataset": {"type": "d2", "name": "D2"},
             "metrics": [{"type": "accuracy", "value": 0.1}]}
    assert performance_score(index({"type": "accuracy", "value": 0.8}, more_results=[later])) == pytest.approx(0.8)
    junk = index({"type": "accuracy", "value": "n/a"}, {"type": "accuracy", "value": 250},
                 {"type": "accuracy", "value": -0.5}, {"type": "accuracy", "value": True},
                 {"type": "accuracy", "value": math.nan}, {"type": "f1", "value": 0.5})
    assert performance_score(junk) == pytest.approx(0.5)


@pytest.mark.parametrize("garbage", [None, {}, [], "model-index", 3, [None, 1, "x"], [{"results": "x"}],
                                     [{"results": [{"metrics": {"type": "accuracy"}}]}],
                                     [{"results": [{"metrics": [{"type": ["accuracy"], "value": 0.5}]}]}]])
def test_performance_none_for_garbage(garbage):
    assert performance_score(garbage) is None


def test_performance_on_huge_index_is_bounded():
    metrics = [{"type": "wer", "value": 0.1}] * 2_000_000 + [{"type": "accuracy", "value": 0.9}]
    assert performance_score(index(*metrics)) is None  # the cap stops before the last entry
