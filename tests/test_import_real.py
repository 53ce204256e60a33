"""The real-data snapshot holds the facts of ../shared/realdata as recorded.

Every expectation here is computed from the source files in the test itself (polars, csv, json,
yaml), not taken from the importer's summary. The snapshot is built once for the module.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
import yaml

from replayhub.snapshot import SnapshotReader, git_blob_oid

pytestmark = pytest.mark.realdata

# Same folder as conftest's `realdata` fixture, which is function-scoped; the build is per module.
REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


@pytest.fixture(scope="module")
def built(real_snapshot):
    out, summary = real_snapshot
    reader = SnapshotReader(out)
    yield reader, summary
    reader.close()


@pytest.fixture(scope="module")
def infos(built):
    reader, _ = built
    return {repo_id: json.loads(text) for repo_id, text in reader.db.execute("SELECT id, info FROM models")}


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _name(repo_id: str) -> str:
    return repo_id.rsplit("/", 1)[-1]


def _readme(reader: SnapshotReader, repo_id: str) -> bytes | None:
    commits = reader.commits(repo_id)
    entry = next((e for e in commits[-1].tree if e["path"] == "README.md"), None)
    return reader.blob(entry["oid"]) if entry else None


# ------------------------------------------------------------------------------------------ snapshot


def test_meta_and_invariants(built, infos):
    reader, _ = built
    assert reader.meta["source"] == "import-real"
    assert reader.meta["models"] == str(len(infos))
    assert json.loads(reader.meta["sources"])["liang"]["rows"] == 74970
    # Newest date in the sources: laufer's newest createdAt (2025-07), later than every other.
    laufer = json.loads((REALDATA / "laufer_modelbiome" / "graph_data_mini.json").read_text())
    assert reader.meta["snapshot_time"] == max(n["createdAt"] for n in laufer["nodes"])
    broken = reader.db.execute("""
        SELECT count(*) FROM models m
        WHERE m.sha IS NULL
           OR m.sha != (SELECT id FROM commits c WHERE c.repo_id = m.id ORDER BY seq DESC LIMIT 1)
           OR m.sha != (SELECT target FROM refs r WHERE r.repo_id = m.id AND kind = 'branch' AND name = 'main')
    """).fetchone()[0]
    assert broken == 0


def test_cassette_bodies_are_stored_byte_identical(built, realdata):
    reader, _ = built
    raw = {}
    for path in (realdata / "hfhub_cassettes" / "raw").glob("*.yaml"):
        for interaction in yaml.safe_load(path.read_text())["interactions"]:
            raw[interaction["request"]["uri"]] = interaction["response"]["body"]["string"]
    files = sorted((realdata / "hfhub_cassettes" / "model_info").glob("*.json"))
    assert len(files) == 35
    from_raw = at_older = 0
    for path in files:
        wrapper = json.loads(path.read_text())
        body = wrapper["body"]
        compact = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        if wrapper["uri"] in raw:
            # The Hub's original bytes; the compact form reproduces them exactly.
            assert raw[wrapper["uri"]] == compact
            from_raw += 1
        head = reader.model_row(body["id"])[2]
        # Two bodies predate GAISSA's newer commits: they are served verbatim at their own revision.
        older = reader.revision_body(body["id"], body["sha"])
        stored = head if older is None else older
        assert stored == compact, body["id"]
        assert json.loads(stored) == body
        ids = [c.id for c in reader.commits(body["id"])]
        assert body["sha"] in ids and (older is not None or ids[-1] == body["sha"])
        if older is not None:
            at_older += 1
            assert json.loads(head)["sha"] == ids[-1] != body["sha"]
    assert from_raw == 3 and at_older == 2


# ------------------------------------------------------------------------------------------- sources


def _cassette_ids(realdata: Path) -> set[str]:
    folder = realdata / "hfhub_cassettes" / "model_info"
    return {json.loads(p.read_text())["body"]["id"] for p in folder.glob("*.json")}


def _gaissa_ids(realdata: Path) -> set[str]:
    return set(pl.read_csv(realdata / "gaissa_hf_diversity" / "HF_topmodels.csv", infer_schema=False)["modelId"])


def _union_without_castano(realdata: Path) -> set[str]:
    ids = set(pl.read_parquet(realdata / "liang2024_modelcards" / "model_info.parquet")["modelId"])
    ids |= _cassette_ids(realdata) | _gaissa_ids(realdata)
    ids |= {n["id"] for n in json.loads((realdata / "laufer_modelbiome" / "graph_data_mini.json").read_text())["nodes"]}
    oder = next((realdata / "oderinwale_model_trees").glob("*.csv"))
    ids |= set(pl.read_csv(oder, infer_schema=False)["model_id"])
    return ids


def _castano_first_rows(realdata: Path) -> dict[str, dict[str, str]]:
    rows = pl.read_csv(realdata / "castano_hfco2" / "HFCO2.csv", infer_schema=False)
    assert rows.height == 1419
    first = rows.unique("modelId", keep="first", maintain_order=True)
    assert first.height == 1415
    return {r["modelId"]: r for r in first.iter_rows(named=True)}


def test_liang_ids_and_the_documented_union(built, infos, realdata):
    liang = pl.read_parquet(realdata / "liang2024_modelcards" / "model_info.parquet")
    assert liang.height == 74970
    assert set(liang["modelId"]) <= set(infos)
    union = _union_without_castano(realdata)
    assert union <= set(infos)
    # The union of every source's ids, plus HFCO2 models whose owner is not in any other source
    # (kept under their recorded name, or owner/name from a scraped card that declares CO2).
    castano = _castano_first_rows(realdata)
    extra = set(infos) - union
    assert extra and len(extra) <= len(castano)
    for repo_id in extra:
        assert _name(repo_id) in castano, repo_id
        assert "co2_eq_emissions" in infos[repo_id]["cardData"], repo_id
    assert len(infos) == len(union) + len(extra)

    # Cassette bodies are verbatim; every other Liang model keeps Liang's timestamp, including the
    # GAISSA ones (GAISSA's times run 1 h early in summer time).
    gaissa = _gaissa_ids(realdata) - _cassette_ids(realdata)
    sample = pl.concat([liang.filter(pl.col("modelId").is_in(list(gaissa))),
                        liang.filter(~pl.col("modelId").is_in(list(_cassette_ids(realdata)))).sample(300, seed=7)])
    assert sample.height > 400
    for row in sample.iter_rows(named=True):
        info = infos[row["modelId"]]
        if row["creation_time"] is not None:
            assert _instant(info["createdAt"]) == row["creation_time"]
        if row["task_category"] != "unknown":
            assert info["pipeline_tag"] == row["task_category"]


def test_castano_co2_on_all_1415_models(built, infos, realdata):
    reader, _ = built
    castano = _castano_first_rows(realdata)
    by_name = defaultdict(list)
    for repo_id, info in infos.items():
        if "co2_eq_emissions" in (info.get("cardData") or {}):
            by_name[_name(repo_id)].append(repo_id)
    covered, verbatim, from_card = set(), 0, 0
    for name, row in castano.items():
        expected = {"emissions": float(row["co2_eq_emissions"]), "source": row["source"],
                    "training_type": row["training_type"],
                    "geographical_location": row["geographical_location"], "hardware_used": row["environment"]}
        for repo_id in by_name.get(name, ()):
            if infos[repo_id]["cardData"]["co2_eq_emissions"] == expected:
                covered.add(name)
                verbatim += 1
                break
            readme = _readme(reader, repo_id)
            if readme and re.search(rb"^co2_eq_emissions:", readme, re.M):
                covered.add(name)  # the recorded card's own YAML is what the Hub exposes
                from_card += 1
                break
    assert covered == set(castano)
    assert verbatim + from_card == 1415 and verbatim > 1000
    carrying = [i for i, info in infos.items() if "co2_eq_emissions" in (info.get("cardData") or {})]
    assert len(carrying) >= 1415
    # The duplicated name keeps its first row.
    (dup,) = [i for i in by_name["biomedical-ner-all"]]
    assert infos[dup]["downloads"] == int(castano["biomedical-ner-all"]["downloads"])
    assert any(infos[i]["cardData"]["co2_eq_emissions"].get("source") == "Not Specified" for i in carrying
               if isinstance(infos[i]["cardData"]["co2_eq_emissions"], dict))


def test_gaissa_commits_land_as_recorded(built, realdata):
    reader, _ = built
    rows = pl.read_csv(realdata / "gaissa_hf_diversity" / "commit_data.csv", infer_schema=False)
    assert rows.height == 8042
    rows = rows.with_row_index("line")
    per_model = defaultdict(list)
    for r in rows.iter_rows(named=True):
        per_model[r["model_id"]].append(r)
    assert len(per_model) == 359
    cassette_sha = {}
    for p in (realdata / "hfhub_cassettes" / "model_info").glob("*.json"):
        body = json.loads(p.read_text())["body"]
        cassette_sha[body["id"]] = body["sha"]
    expected_total = 0
    for model, recorded in per_model.items():
        ids = [r["commit_id"] for r in recorded]  # newest first, as the Hub API lists them
        stored = reader.commits(model)
        assert [c.id for c in stored] == ids[::-1], model
        expected_total += len(ids)
        if model in cassette_sha:  # a recorded body may describe an older commit; main is the newest
            assert reader.info(model)["sha"] == ids[0] and cassette_sha[model] in ids
    assert expected_total == 8042

    stored = {(c[0], c[1]): c for c in reader.db.execute(
        "SELECT repo_id, id, date, title, message, authors FROM commits")}
    iso = re.compile(r"^\d{4}-\d\d-\d\dT")
    checked = 0
    sample = rows.filter((pl.col("line") % 37 == 0) | ~pl.col("created_at").str.contains(r"^\d{4}-"))
    for r in sample.iter_rows(named=True):
        key = (r["model_id"], r["commit_id"])
        if key not in stored:
            continue  # newer than a cassette body
        _, _, when, title, message, authors = stored[key]
        if iso.match(r["created_at"] or ""):
            assert _instant(when) == _instant(r["created_at"])
            assert title == r["title"]
            assert message == (r["message"] or "")
            assert ", ".join(json.loads(authors)) == r["authors"]
        else:
            # The shifted row: its date sits under `authors`, its title under `created_at`.
            assert _instant(when) == _instant(r["authors"])
            assert title == r["created_at"]
        checked += 1
    assert checked > 200


def test_laufer_edges_recoverable_from_card_data(infos, realdata):
    graph = json.loads((realdata / "laufer_modelbiome" / "graph_data_mini.json").read_text())
    assert len(graph["nodes"]) == 1042 and len(graph["edges"]) == 1041
    assert {n["id"] for n in graph["nodes"]} <= set(infos)
    recovered = set()
    for repo_id in (n["id"] for n in graph["nodes"]):
        card = infos[repo_id].get("cardData") or {}
        if "base_model" in card:
            recovered.add((card["base_model"], repo_id, card["base_model_relation"]))
            assert f"base_model:{card['base_model_relation']}:{card['base_model']}" in infos[repo_id]["tags"]
    assert recovered == {(e["source"], e["target"], e["type"]) for e in graph["edges"]}
    node = graph["nodes"][0]
    assert infos[node["id"]]["createdAt"] == node["createdAt"]
    assert infos[node["id"]]["downloads"] == node["downloads"]


def test_oderinwale_family_and_depths(infos, realdata):
    table = pl.read_csv(next((realdata / "oderinwale_model_trees").glob("*.csv")), infer_schema=False)
    assert table.height == 67
    depth = {r["model_id"]: int(r["depth"]) for r in table.iter_rows(named=True)}
    family = set(depth)

    def bases(repo_id):
        base = (infos[repo_id].get("cardData") or {}).get("base_model") or []
        return [b for b in ([base] if isinstance(base, str) else base) if b in family]

    def recovered(repo_id):
        parents = bases(repo_id)
        return 0 if not parents else 1 + max(recovered(p) for p in parents)

    assert {m: recovered(m) for m in family} == depth
    assert set(depth.values()) == {0, 1, 2, 3}
    for r in table.iter_rows(named=True):
        meta = json.loads(r["metadata"])
        info = infos[r["model_id"]]
        assert info["sha"] == meta["sha"]
        assert _instant(info["createdAt"]) == datetime.fromisoformat(meta["created_at"])
        assert _instant(info["lastModified"]) == datetime.fromisoformat(meta["last_modified"])
        assert info["cardData"] == yaml.safe_load(meta["card_data"])
        assert info["tags"] == meta["tags"]
        assert len(info["siblings"]) == len(meta["siblings"])
        assert info.get("safetensors") == meta["safetensors"]


def test_real_cards_attached_where_ids_match(built, infos, realdata):
    reader, _ = built
    manifest = pl.read_csv(realdata / "cards" / "MANIFEST.csv", infer_schema=False)
    exact = 0
    for repo_id, file in manifest.select("hub_model_id_if_known", "file").iter_rows():
        if repo_id and repo_id in infos:
            assert _readme(reader, repo_id) == (realdata / "cards" / file).read_bytes(), repo_id
            exact += 1
    assert exact > 300
    scrape = pl.read_parquet(realdata / "cards_2023" / "cards.parquet", columns=["file_stem", "blob_sha1"])
    stems = Counter(repo_id.replace("/", "_") for repo_id in infos)
    manifest_ids = set(manifest["hub_model_id_if_known"].drop_nulls())
    scraped = 0
    by_stem = dict(scrape.iter_rows())
    for repo_id in list(infos)[::7]:
        stem = repo_id.replace("/", "_")
        if "/" in repo_id and stem in by_stem and stems[stem] == 1 and repo_id not in manifest_ids:
            readme = _readme(reader, repo_id)
            assert readme is not None and git_blob_oid(readme) == by_stem[stem], repo_id
            scraped += 1
    assert scraped > 1000
    # A model Liang lists as carded but whose text nobody recorded has a README of unknown content
    # (no invented prose, and not "no card" either).
    liang = pl.read_parquet(realdata / "liang2024_modelcards" / "model_info.parquet")
    listed = _cassette_ids(realdata) | _gaissa_ids(realdata)  # their recorded file lists decide
    carded = liang.filter(pl.col("has_modelcard"))["modelId"].to_list()
    without = [m for m in carded if m not in manifest_ids and m.replace("/", "_") not in by_stem
               and m not in listed]
    assert len(without) > 20000
    for repo_id in without[::100]:
        assert _readme(reader, repo_id) is None, repo_id
        assert infos[repo_id]["siblings"] == [{"rfilename": "README.md"}], repo_id
        (entry,) = reader.commits(repo_id)[-1].tree
        assert entry["path"] == "README.md" and entry["unrecorded"] is True, repo_id


def test_a_card_known_to_exist_without_its_text_is_served_as_unknown_not_missing(built, infos, realdata):
    """The replay hub answers 410 ContentNotRecorded for it (the cards miner records an error, so the
    model is left out of the card figures), and still 404 for a model Liang records as card-less."""
    from huggingface_hub import hf_hub_url
    from huggingface_hub.utils import get_session

    from replayhub.server import ReplayHub

    liang = pl.read_parquet(realdata / "liang2024_modelcards" / "model_info.parquet")
    reader, _ = built
    carded = [m for m in liang.filter(pl.col("has_modelcard"))["modelId"].to_list()[:3000]
              if _readme(reader, m) is None and "/" in m][:3]
    # Card-less by Liang and by every recorded file list (a recorded README.md of unknown text is a 410 too).
    bare = [m for m in liang.filter(~pl.col("has_modelcard"))["modelId"].to_list()
            if "/" in m and infos[m]["siblings"] == []][:3]
    assert len(carded) == 3 and len(bare) == 3
    with ReplayHub(reader.directory) as hub:
        for repo_id in carded:
            answer = get_session().get(hf_hub_url(repo_id, "README.md", endpoint=hub.url), follow_redirects=True)
            assert answer.status_code == 410 and answer.headers["X-Error-Code"] == "ContentNotRecorded", repo_id
        for repo_id in bare:
            answer = get_session().get(hf_hub_url(repo_id, "README.md", endpoint=hub.url), follow_redirects=True)
            assert answer.status_code == 404 and answer.headers["X-Error-Code"] == "EntryNotFound", repo_id


def test_the_sample_says_what_it_is_and_what_it_cannot_support(built, realdata):
    reader, _ = built
    record = json.loads(reader.meta["provenance"])
    assert record["kind"] == "imported"
    assert [s["name"] for s in record["sources"]] == ["cassette", "oderinwale", "laufer", "gaissa", "castano", "liang"]
    liang = pl.read_parquet(realdata / "liang2024_modelcards" / "model_info.parquet")
    carded = liang["has_modelcard"].sum()
    assert f"{carded:,} of {liang.height:,} models as carded ({carded / liang.height:.1%})" in \
        record["unsupported"]["card_share"]
    assert set(record["unsupported"]) == {"card_share", "silent_weight_changes", "co2_reporting_share"}


def test_a_crawl_without_as_of_stands_for_the_data_s_time_not_the_wall_clock(imported_site):
    """The newest date in the sources is 2025-07-12 15:00:24 UTC; a crawl today
    without --as-of must stand for that moment, so the forecasts start after the last observation."""
    from helpers import query

    paths, site, results = imported_site
    assert results["models"].run_id == "20250712T150024Z"
    times = query(paths, "SELECT source, fetched_at AT TIME ZONE 'UTC' FROM load_runs ORDER BY source")
    kind = query(paths, "SELECT provenance->>'kind' FROM load_runs WHERE source = 'models'")
    assert [source for source, _ in times] == ["cards", "history", "models"]
    assert {when for _, when in times} == {datetime(2025, 7, 12, 15, 0, 24)}
    assert kind == [("imported",)]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Snapshot of 2025-07-12 15:00 UTC" in index


def test_figures_the_sample_cannot_support_are_marked_not_computed(imported_site):
    paths, site, results = imported_site
    naming = (site / "naming.html").read_text(encoding="utf-8")
    carbon = (site / "carbon.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    # Every fetched weight change is "silent" in the rebuilt trees: the share (100%) must not appear.
    assert 'data-withheld="versioning-silent"' in naming and 'data-withheld="versioning-repos"' in naming
    assert "<dt>of which without a card change</dt><dd>not supported by this sample</dd>" in naming
    assert "100.0%" not in naming
    assert 'data-withheld="carbon-by-month"' in carbon and 'data-withheld="carbon-by-year"' in carbon
    assert "<dt>share of all models</dt><dd>not supported by this sample</dd>" in carbon
    assert "<dt>models with a card</dt><dd>not supported by this sample</dd>" in index
    assert "<dt>models in the imported sample</dt><dd>77,161</dd>" in index
    # The cards the sample knows exist without their text were asked for and not counted as card-less.
    assert results["cards"].errors > 0 and results["cards"].missing + results["cards"].ok + \
        results["cards"].errors == results["cards"].attempted
