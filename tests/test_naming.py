"""Repo-name segmentation (analysis.naming) on hand-picked Hub names and hostile input."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest

from analysis.naming import (
    SEGMENT_TYPES,
    NameParse,
    Segment,
    format_shares,
    names_rows,
    parse_name,
    parse_size,
    parse_version,
    segment_shares,
)


def segs(repo_id: str) -> list[tuple[str, str]]:
    return [(s.text, s.type) for s in parse_name(repo_id).segments]


CASES = [
    (
        "meta-llama/Llama-2-7b-chat-hf",
        [("Llama-2", "base-model"), ("7b", "size"), ("chat", "variant-type"), ("hf", "description")],
    ),
    (
        "TheBloke/Mistral-7B-Instruct-v0.2-GGUF",
        [("Mistral", "base-model"), ("7B", "size"), ("Instruct", "variant-type"), ("v0.2", "version"), ("GGUF", "variant-type")],
    ),
    (
        "distilbert-base-uncased-finetuned-sst-2-english",
        [
            ("distilbert", "base-model"),
            ("base", "size"),
            ("uncased", "variant-type"),
            ("finetuned", "training-mechanism"),
            ("sst-2", "dataset"),
            ("english", "language"),
        ],
    ),
    (
        "bert-base-multilingual-cased",
        [("bert", "base-model"), ("base", "size"), ("multilingual", "language"), ("cased", "variant-type")],
    ),
    ("Qwen/Qwen2.5-1.5B-Instruct", [("Qwen2.5", "base-model"), ("1.5B", "size"), ("Instruct", "variant-type")]),
    ("mistralai/Mixtral-8x7B-v0.1", [("Mixtral", "base-model"), ("8x7B", "size"), ("v0.1", "version")]),
    (
        "microsoft/Phi-3-mini-4k-instruct",
        [("Phi-3", "base-model"), ("mini", "size"), ("4k", "description"), ("instruct", "variant-type")],
    ),
    ("google/flan-t5-large", [("flan-t5", "base-model"), ("large", "size")]),
    ("openai/whisper-large-v3", [("whisper", "base-model"), ("large", "size"), ("v3", "version")]),
    ("xyz/my-awesome-model", [("my-awesome", "identifier"), ("model", "description")]),
    ("nlpaueb/legal-bert-base-uncased", [("legal-bert", "base-model"), ("base", "size"), ("uncased", "variant-type")]),
    ("deepset/roberta-base-squad2", [("roberta", "base-model"), ("base", "size"), ("squad2", "dataset")]),
    (
        "cardiffnlp/twitter-roberta-base-sentiment-latest",
        [("twitter", "description"), ("roberta", "base-model"), ("base", "size"), ("sentiment", "task"), ("latest", "description")],
    ),
    (
        "mistralai/Mistral-Large-Instruct-2407",
        [("Mistral", "base-model"), ("Large", "size"), ("Instruct", "variant-type"), ("2407", "creation-date")],
    ),
    ("openai/gpt-4-0613", [("gpt-4", "base-model"), ("0613", "creation-date")]),
    ("google/gemma-2-9b-it", [("gemma-2", "base-model"), ("9b", "size"), ("it", "variant-type")]),
    (
        "TheBloke/Llama-2-13B-chat-GPTQ",
        [("Llama-2", "base-model"), ("13B", "size"), ("chat", "variant-type"), ("GPTQ", "variant-type")],
    ),
    (
        "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF",
        [("Meta", "identifier"), ("Llama-3.1", "base-model"), ("8B", "size"), ("Instruct", "variant-type"), ("GGUF", "variant-type")],
    ),
    ("Helsinki-NLP/opus-mt-en-de", [("opus-mt", "base-model"), ("en", "language"), ("de", "language")]),
    (
        "yuntaeyang/KoSOLAR-10.7B-dpo-v1.0",
        [("Ko", "nationality"), ("SOLAR", "base-model"), ("10.7B", "size"), ("dpo", "training-mechanism"), ("v1.0", "version")],
    ),
    (
        "athirdpath/Iambe-RP-cDPO-20b",
        [("Iambe", "identifier"), ("RP", "description"), ("cDPO", "training-mechanism"), ("20b", "size")],
    ),
    (
        "Locutusque/Hyperion-1.5-Mistral-7B",
        [("Hyperion", "identifier"), ("1.5", "version"), ("Mistral", "base-model"), ("7B", "size")],
    ),
    ("ismaildlml/Mistral7B-Jarvis-v0.2", [("Mistral", "base-model"), ("7B", "size"), ("Jarvis", "identifier"), ("v0.2", "version")]),
    ("922-CA/LLilmonix3b-v0.3", [("LLilmonix", "identifier"), ("3b", "size"), ("v0.3", "version")]),
    ("x/model-Q4_K_M", [("model", "description"), ("Q4_K_M", "variant-type")]),
    ("abdiharyadi/kancilgpt-v20240113", [("kancilgpt", "identifier"), ("v20240113", "creation-date")]),
    ("bert-base-japanese-v3", [("bert", "base-model"), ("base", "size"), ("japanese", "language"), ("v3", "version")]),
    ("x/indian-legal-llama", [("indian", "nationality"), ("legal", "description"), ("llama", "base-model")]),
    ("x/Mistral-7B-base", [("Mistral", "base-model"), ("7B", "size"), ("base", "variant-type")]),
    ("x/llama-2-7b-fine-tuned-qa", [("llama-2", "base-model"), ("7b", "size"), ("fine-tuned", "training-mechanism"), ("qa", "task")]),
    ("x/xlm-roberta-large-ner", [("xlm-roberta", "base-model"), ("large", "size"), ("ner", "task")]),
    ("x/t5-small-imdb-2024-01-15", [("t5", "base-model"), ("small", "size"), ("imdb", "dataset"), ("2024-01-15", "creation-date")]),
]


@pytest.mark.parametrize(("repo_id", "expected"), CASES, ids=[c[0] for c in CASES])
def test_segments(repo_id, expected):
    assert segs(repo_id) == expected


@pytest.mark.parametrize(("repo_id", "expected"), CASES, ids=[c[0] for c in CASES])
def test_pattern_is_the_segment_types(repo_id, expected):
    assert parse_name(repo_id).pattern == "".join("{" + t + "}" for _, t in expected)


def test_pattern_example():
    assert parse_name("922-CA/LLilmonix3b-v0.3").pattern == "{identifier}{size}{version}"


@pytest.mark.parametrize(
    ("repo_id", "version", "kind"),
    [
        ("TheBloke/Mistral-7B-Instruct-v0.2-GGUF", "v0.2", "vN.M"),
        ("openai/whisper-large-v3", "v3", "vN"),
        ("x/model-V3", "V3", "vN"),
        ("x/model-v2.1.3", "v2.1.3", "vN.M.K"),
        ("mistralai/Mistral-Large-Instruct-2407", "2407", "date"),
        ("mistralai/Mistral-Small-24B-Base-2501", "2501", "date"),
        ("openai/gpt-4-0613", "0613", "date"),
        ("Locutusque/Hyperion-1.5-Mistral-7B", "1.5", "vN.M"),
        ("meta-llama/Llama-2-7b-chat-hf", None, None),  # the 2 belongs to the family name
        ("Qwen/Qwen2.5-1.5B-Instruct", None, None),
        ("x/model-lr-0.0001", None, None),  # a learning rate, not a version
    ],
)
def test_versions(repo_id, version, kind):
    p = parse_name(repo_id)
    assert (p.version, p.version_kind) == (version, kind)


def test_v_prefixed_version_wins_over_bare_number():
    p = parse_name("x/sn9-large-2-v3")
    assert p.version == "v3"


@pytest.mark.parametrize(
    ("repo_id", "size"),
    [
        ("meta-llama/Llama-2-7b-chat-hf", 7e9),
        ("Qwen/Qwen2.5-1.5B-Instruct", 1.5e9),
        ("mistralai/Mixtral-8x7B-v0.1", 56e9),
        ("facebook/opt-125m", 125e6),
        ("x/MiniLM-22M", 22e6),
        ("EleutherAI/gpt-neo-2.7B", 2.7e9),
        ("cloudyu/Mixtral_34Bx2_MoE_60B", 68e9),
        ("google/flan-t5-large", None),
    ],
)
def test_size_params(repo_id, size):
    got = parse_name(repo_id).size_params
    assert got == pytest.approx(size) if size is not None else got is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("7B", 7e9), ("125m", 125e6), ("1.5b", 1.5e9), ("8x7B", 56e9), ("22M", 22e6), ("2.7B", 2.7e9), ("1T", 1e12), ("7", None), ("big", None), (None, None)],
)
def test_parse_size(text, value):
    assert parse_size(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v1", (1, 0, 0)),
        ("V3", (3, 0, 0)),
        ("v2.1", (2, 1, 0)),
        ("v0.2", (0, 2, 0)),
        ("v1.2.3", (1, 2, 3)),
        ("1.5", (1, 5, 0)),
        ("2407", ("date", 2024, 7, None)),
        ("2403", ("date", 2024, 3, None)),
        ("0613", ("date", None, 6, 13)),
        ("v20240113", ("date", 2024, 1, 13)),
        ("2024-01-13", ("date", 2024, 1, 13)),
        ("1024", None),
        ("chat", None),
        (None, None),
    ],
)
def test_parse_version(text, value):
    assert parse_version(text) == value


def test_segments_cover_the_name_in_order():
    rid = "TheBloke/openbuddy-mixtral-8x7b-v15.2-GPTQ"
    p = parse_name(rid)
    joined = "".join(s.text for s in p.segments)
    assert joined == rid.split("/", 1)[1].replace("-", "")
    assert all(s.type in SEGMENT_TYPES for s in p.segments)


def test_only_first_unknown_run_is_identifier():
    p = parse_name("x/zorblax-llama-quixotic-7b-abc123")
    assert [(s.text, s.type) for s in p.segments] == [
        ("zorblax", "identifier"),
        ("llama", "base-model"),
        ("quixotic", "description"),
        ("7b", "size"),
        ("abc123", "ambiguous"),
    ]


def test_no_author_and_result_types():
    p = parse_name("bert-base-uncased")
    assert isinstance(p, NameParse) and p.repo_id == "bert-base-uncased"
    assert all(isinstance(s, Segment) for s in p.segments)
    assert p.problems == ()


def test_sentence_like_name_uses_the_phrase_matcher():
    p = parse_name("someone/bert fine tuned for question answering")
    types = {s.text: s.type for s in p.segments}
    assert types["fine tuned"] == "training-mechanism"
    assert types["question answering"] == "task"


BAD = [
    "",
    "/",
    "   ",
    "---___...",
    "a/" + "x" * 300,
    "a/" + "-".join(["llama"] * 150),
    "a/" + "7b-" * 100,
    "a/model-🤗-7b-🚀",
    "a/\u202emodel-7b\u202c",
    "a/مرحبا-bert-base",
    "a/mo\u200bdel\u200d-7b",
    "a/model\x00-7b",
    "a/\x00\x00\x00",
    "a/b/c/llama-7b",
    "a/ＬＬａＭＡ－７Ｂ",
    "a/模型-7b-中文",
    "a/" + "🤗" * 300,
    "a/" + "\u0301" * 300,
    "a/" + ".9" * 200,
    "a/" + "v1." * 150,
]


@pytest.mark.parametrize("repo_id", BAD, ids=[repr(b[:20]) for b in BAD])
def test_bad_input_never_raises_and_is_fast(repo_id):
    t = time.perf_counter()
    p = parse_name(repo_id)
    assert time.perf_counter() - t < 0.010
    assert isinstance(p, NameParse)
    assert all(s.type in SEGMENT_TYPES for s in p.segments)
    assert all(not any(not (c.isprintable() or c == " ") for c in s.text) for s in p.segments)
    assert not any(pr.startswith("internal_error") for pr in p.problems)


def test_bad_input_problems_are_recorded():
    assert "empty" in parse_name("").problems
    assert "no_tokens" in parse_name("a/---").problems
    assert "too_long" in parse_name("a/" + "x" * 300).problems
    assert "control_chars" in parse_name("a/model\x00-7b").problems
    assert "format_chars" in parse_name("a/\u202emodel-7b\u202c").problems
    assert "symbols" in parse_name("a/model-🤗-7b").problems
    assert "extra_slash" in parse_name("a/b/c").problems
    assert parse_name("a/model\x00-7b").size_params == 7e9
    assert parse_name("a/mo\u200bdel-7b").segments[0].text == "model"


def test_non_string_input():
    assert parse_name(None).problems  # type: ignore[arg-type]
    assert parse_name(123).segments  # type: ignore[arg-type]


def test_names_rows_csv():
    lines = ["meta-llama/Llama-2-7b-chat-hf\n", "\n", "   \n", "openai/whisper-large-v3\n"]
    rows = list(names_rows(lines))
    assert [r[0] for r in rows] == ["meta-llama/Llama-2-7b-chat-hf", "openai/whisper-large-v3"]
    # the codebook reading: "hf" is packaging filler, part of the segment before it
    # and "chat" names what the model does (chat_is_task, as tuning on the dev names keeps it)
    assert rows[0][1] == "{base-model}{size}{task}"
    assert json.loads(rows[0][2]) == [["Llama-2", "base-model"], ["7b", "size"], ["chat-hf", "task"]]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["repo_id", "pattern", "segments_json"])
    w.writerows(rows)
    back = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert json.loads(back[1]["segments_json"])[-1] == ["v3", "version"]


def test_segment_shares():
    ps = [parse_name(n) for n in ("a/Llama-2-7b-chat-hf", "b/foo-v1", "c/bar-v1.2", "d/baz-2407")]
    sh = segment_shares(ps)
    assert sh["n_names"] == 4 and sh["n_segments"] == 10
    assert sh["segments"]["size"] == pytest.approx(10.0)
    assert sh["version_kinds"]["vN"] == pytest.approx(50.0)
    assert sh["n_versioned"] == 2  # the date stamp is not a v-style version
    assert sum(sh["segments"].values()) == pytest.approx(100.0)
    assert "identifier" in format_shares(sh)


def test_throughput_is_reasonable():
    names = [f"user{i}/Model{i}-llama-2-{i % 70}b-chat-v{i % 9}.{i % 4}" for i in range(5000)]
    t = time.perf_counter()
    for n in names:
        parse_name(n)
    assert (time.perf_counter() - t) / len(names) < 0.001
