"""Naming practices on Ajibode et al.'s 52,227 model ids, beside the paper's reported shares.

The ids: ajibode_semver/RQ2_result/all_NLP_with_quantization.csv, column ``model_name`` (52,227 rows;
``dataset_folder/comprehensive_dataset*.csv`` are empty in the replication package, 2 bytes each).
52,226 distinct ids: ``Locutusque/Hyperion-1.5-Mistral-7B`` is listed twice (identical rows), so the
paper's 52,227 counts rows. The hand-labelled segments are not published, so only robust things are
asserted; the share table is printed (run with ``-s``) beside the paper's.
"""

from __future__ import annotations

import time

import pytest

from analysis.naming import PAPER_SHARES, SEGMENT_TYPES, format_shares, parse_name, segment_shares

pl = pytest.importorskip("polars")

pytestmark = pytest.mark.realdata


@pytest.fixture
def ajibode_ids(realdata) -> list[str]:
    path = realdata / "ajibode_semver" / "RQ2_result" / "all_NLP_with_quantization.csv"
    if not path.is_file():
        pytest.skip(f"{path} absent")
    return pl.read_csv(path, infer_schema_length=0)["model_name"].to_list()


def test_id_count(ajibode_ids):
    assert len(ajibode_ids) == 52_227
    assert len(set(ajibode_ids)) == 52_226
    seen: set[str] = set()
    dups = [i for i in ajibode_ids if i in seen or seen.add(i)]
    assert dups == ["Locutusque/Hyperion-1.5-Mistral-7B"]


def test_all_parse_and_shares(ajibode_ids):
    t = time.perf_counter()
    parses = [parse_name(i) for i in ajibode_ids]
    dt = time.perf_counter() - t
    assert len(parses) == 52_227
    assert not any(pr.startswith("internal_error") for p in parses for pr in p.problems)
    assert all(p.segments for p in parses)

    sh = segment_shares(parses)
    print()
    print(format_shares(sh))
    print(f"parsed in {dt:.2f}s ({len(parses) / dt:,.0f} names/s, cold)")

    seg = sh["segments"]
    assert sum(seg.values()) == pytest.approx(100.0)
    assert set(seg) == set(SEGMENT_TYPES)
    # robust shape of the paper's table: identifier is the most common type, base model second-tier,
    # and every reported type is present at a comparable order of magnitude
    assert max(seg, key=seg.get) == "identifier"
    for t, paper in PAPER_SHARES.items():
        assert paper / 3 <= seg[t] <= paper * 3, (t, seg[t], paper)
    # the rare types stay rare
    assert seg["creation-date"] < 3 and seg["nationality"] < 3

    # version split among v-prefixed versions: paper 67.0 % vN / 31.3 % vN.M
    vk = sh["explicit_v_kinds"]
    assert abs(vk["vN"] - 67.0) <= 4, vk
    assert abs(vk["vN.M"] - 31.3) <= 4, vk


def test_size_parses_agree_with_segments(ajibode_ids):
    with_size = 0
    for rid in ajibode_ids[:20_000]:
        p = parse_name(rid)
        if p.size_params is not None:
            with_size += 1
            assert any(s.type == "size" for s in p.segments)
            # "llama2-0b-unit-test" is a real id, so 0 is a legitimate parse
            assert 0 <= p.size_params <= 1e13, rid
    assert with_size > 1000
