"""The synthetic hub generator: determinism, prefix stability, daily changes, invariants, distributions."""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pytest
import yaml

from replayhub.snapshot import DB_NAME, SnapshotError, SnapshotReader
from replayhub.synth import GENERATOR_VERSION, advance, changed_models, generate
from replayhub.synth.pools import _ROOTS, ROOT_STEP

PLACEHOLDER = "2022-03-02T23:29:04.000Z"
TABLES = {
    "models": "SELECT * FROM models ORDER BY pos",
    "commits": "SELECT * FROM commits ORDER BY repo_id, seq",
    "refs": "SELECT * FROM refs ORDER BY repo_id, kind, name",
    "blobs": "SELECT oid, size, data FROM blobs ORDER BY oid",
}


def rows(directory: Path, table: str) -> list[tuple]:
    db = sqlite3.connect(directory / DB_NAME)
    try:
        return db.execute(TABLES[table]).fetchall()
    finally:
        db.close()


def by_repo(directory: Path, table: str) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for row in rows(directory, table):
        out.setdefault(row[0] if table != "models" else row[1], []).append(row)
    return out


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("hub") / "snap"
    summary = generate(out, models=4000, seed=7, progress=False)
    return out, summary


@pytest.fixture(scope="module")
def parsed(hub) -> list[dict]:
    """Every model with its info, commits and refs (4,000 models: small enough to hold)."""
    directory, _ = hub
    commits = by_repo(directory, "commits")
    refs = by_repo(directory, "refs")
    out = []
    for pos, rid, author, sha, created, modified, downloads, likes, _trending, info in rows(directory, "models"):
        out.append({"pos": pos, "id": rid, "author": author, "sha": sha, "created": created, "modified": modified,
                    "downloads": downloads, "likes": likes, "info": json.loads(info), "commits": commits[rid],
                    "refs": [r[1:] for r in refs.get(rid, [])]})
    return out


def test_summary_and_meta(hub):
    directory, summary = hub
    assert summary["models"] == 4000
    reader = SnapshotReader(directory)
    try:
        assert reader.model_count() == 4000
        meta = reader.meta
    finally:
        reader.close()
    assert meta["source"] == "generate"
    assert meta["generator"] == GENERATOR_VERSION
    assert (meta["seed"], meta["day"], meta["daily_change"]) == ("7", "0", "0.03")
    assert meta["snapshot_time"] == "2026-11-01T23:59:59.000Z"
    assert summary["commits"] == len(rows(directory, "commits"))
    assert summary["authors"] == len({r[2] for r in rows(directory, "models")})
    assert "planted_wsb" not in meta


def test_same_arguments_give_identical_rows(tmp_path):
    generate(tmp_path / "a", models=700, seed=3, day=2, progress=False)
    generate(tmp_path / "other", models=700, seed=4, day=1, progress=False)  # no state leaks between runs
    generate(tmp_path / "b", models=700, seed=3, day=2, progress=False)
    for table in TABLES:
        assert rows(tmp_path / "a", table) == rows(tmp_path / "b", table), table
    meta = "SELECT * FROM meta ORDER BY key"
    assert sqlite3.connect(tmp_path / "a" / DB_NAME).execute(meta).fetchall() == \
        sqlite3.connect(tmp_path / "b" / DB_NAME).execute(meta).fetchall()


def test_another_seed_gives_other_models(tmp_path):
    generate(tmp_path / "a", models=200, seed=1, progress=False)
    generate(tmp_path / "b", models=200, seed=2, progress=False)
    a = {r[1] for r in rows(tmp_path / "a", "models")}
    b = {r[1] for r in rows(tmp_path / "b", "models")}
    assert len(a & b) < 100  # only the catalog foundation models coincide


def test_first_n_models_do_not_depend_on_the_total(tmp_path):
    generate(tmp_path / "small", models=800, seed=5, progress=False)
    generate(tmp_path / "big", models=1600, seed=5, progress=False)
    small, big = rows(tmp_path / "small", "models"), rows(tmp_path / "big", "models")
    assert small == big[:800]
    ids = {r[1] for r in small}
    big_commits = [c for c in rows(tmp_path / "big", "commits") if c[0] in ids]
    assert rows(tmp_path / "small", "commits") == big_commits
    big_refs = [c for c in rows(tmp_path / "big", "refs") if c[0] in ids]
    assert rows(tmp_path / "small", "refs") == big_refs


def test_a_day_changes_exactly_the_selected_models(tmp_path):
    n, rate = 2500, 0.05
    generate(tmp_path / "d0", models=n, seed=11, day=0, daily_change=rate, progress=False)
    generate(tmp_path / "d1", models=n, seed=11, day=1, daily_change=rate, progress=False)
    m0, m1 = rows(tmp_path / "d0", "models"), rows(tmp_path / "d1", "models")
    c0, c1 = by_repo(tmp_path / "d0", "commits"), by_repo(tmp_path / "d1", "commits")
    selected = set(changed_models(n, 11, 1, rate).tolist())
    assert 0.03 * n < len(selected) < 0.07 * n
    differing = {r0[0] for r0, r1 in zip(m0, m1) if r0 != r1}
    assert differing == selected
    for r0, r1 in zip(m0, m1):
        rid = r0[1]
        assert r0[1] == r1[1] and r0[4] == r1[4]  # same repo, same createdAt
        if r0[0] not in selected:
            assert r0[9] == r1[9]  # info byte-identical
            assert c0[rid] == c1[rid]
            continue
        before, after = json.loads(r0[9]), json.loads(r1[9])
        assert after["sha"] != before["sha"]
        assert c1[rid][:-1] == c0[rid]  # history kept, one commit appended
        assert c1[rid][-1][2] == after["sha"]
        assert after["lastModified"].startswith("2026-11-02T")
        assert after["downloads"] >= before["downloads"] and after["likes"] >= before["likes"]
    reader = SnapshotReader(tmp_path / "d1")
    assert reader.meta["snapshot_time"] == "2026-11-02T23:59:59.000Z"
    reader.close()


def test_later_days_replay_earlier_ones(tmp_path):
    generate(tmp_path / "d2", models=600, seed=4, day=2, daily_change=0.1, progress=False)
    generate(tmp_path / "d3", models=600, seed=4, day=3, daily_change=0.1, progress=False)
    m2, m3 = rows(tmp_path / "d2", "models"), rows(tmp_path / "d3", "models")
    selected = set(changed_models(600, 4, 3, 0.1).tolist())
    assert {a[0] for a, b in zip(m2, m3) if a != b} == selected


def test_heads_trees_and_refs_are_consistent(parsed):
    for m in parsed:
        info, commits = m["info"], m["commits"]
        head = commits[-1]
        assert [c[1] for c in commits] == list(range(len(commits)))
        assert head[2] == m["sha"] == info["sha"]
        assert head[3] == m["modified"] == info["lastModified"]
        assert [c[3] for c in commits] == sorted(c[3] for c in commits)
        assert len({c[2] for c in commits}) == len(commits)
        tree = json.loads(head[7])
        assert [s["rfilename"] for s in info["siblings"]] == [e["path"] for e in tree]
        assert commits[0][4] == "initial commit" and ".gitattributes" in [e["path"] for e in json.loads(commits[0][7])]
        ids = {c[2] for c in commits}
        assert ("branch", "main", head[2]) in m["refs"]
        assert all(target in ids for _, _, target in m["refs"])
        assert info["id"] == m["id"] and info["author"] == m["author"] == m["id"].split("/")[0]
        assert info["createdAt"] == m["created"]
        assert (info["downloads"], info["likes"]) == (m["downloads"], m["likes"])
        for e in tree:
            if "lfs" in e:
                assert len(e["lfs"]["oid"]) == 64 and e["lfs"]["size"] == e["size"]
    assert max(len(m["commits"]) for m in parsed) <= 31
    assert sum(1 for m in parsed if any(k == "tag" for k, _, _ in m["refs"])) > 10


def test_parents_are_earlier_models(parsed):
    pos = {m["id"]: m["pos"] for m in parsed}
    children = 0
    for m in parsed:
        base = (m["info"].get("cardData") or {}).get("base_model")
        for parent in [base] if isinstance(base, str) else base or []:
            assert parent in pos, f"{m['id']}: parent {parent} is not in the snapshot"
            assert pos[parent] < m["pos"]
            children += 1
        for tag in m["info"]["tags"]:
            if tag.startswith("base_model:"):
                assert tag.split(":")[-1] in pos
    assert children > 500


def test_lineage_has_depth_and_all_relations(parsed):
    parent_of = {}
    relations = Counter()
    for m in parsed:
        card = m["info"].get("cardData") or {}
        base = card.get("base_model")
        if base:
            parent_of[m["id"]] = base if isinstance(base, str) else base[0]
            relations[card.get("base_model_relation")] += 1

    def depth(rid: str) -> int:
        d = 0
        while rid in parent_of:
            rid, d = parent_of[rid], d + 1
        return d

    assert max(depth(rid) for rid in parent_of) >= 3
    assert max(depth(rid) for rid in parent_of) <= 4
    assert set(relations) == {None, "finetune", "adapter", "quantized", "merge"}
    assert any(isinstance((m["info"].get("cardData") or {}).get("base_model"), list) for m in parsed)


def test_undeclared_relations_can_be_inferred_from_files(parsed):
    inferable = Counter()
    for m in parsed:
        card = m["info"].get("cardData") or {}
        if not card.get("base_model") or "base_model_relation" in card:
            continue
        files = {s["rfilename"] for s in m["info"]["siblings"]}
        if "adapter_config.json" in files and any(f.startswith("adapter_model.") for f in files):
            inferable["adapter"] += 1
        elif any(f.endswith(".gguf") for f in files) or "quantize_config.json" in files \
                or "quant_config.json" in files:
            inferable["quantized"] += 1
        elif "mergekit_config.yml" in files:
            inferable["merge"] += 1
    assert inferable["adapter"] > 10 and inferable["quantized"] > 10 and inferable["merge"] > 3


def test_cards_front_matter_matches_card_data(hub, parsed):
    directory, _ = hub
    reader = SnapshotReader(directory)
    styles = Counter()
    malformed = 0
    try:
        for m in parsed:
            head = json.loads(m["commits"][-1][7])
            readme = next((e for e in head if e["path"] == "README.md"), None)
            card = m["info"].get("cardData")
            if readme is None:
                assert card is None
                continue
            text = reader.blob(readme["oid"]).decode()
            assert len(text.encode()) == readme["size"]
            text = text.replace("\r\n", "\n")
            if not text.startswith("---\n"):
                assert card is None
                styles["no front matter"] += 1
                continue
            head_yaml = text[4:text.index("\n---\n", 3) + 1]
            try:
                data = yaml.safe_load(head_yaml)
            except yaml.YAMLError:
                malformed += 1
                assert card is None
                continue
            assert data == card
            # written by yaml's own emitter: byte-identical to one safe_dump of the card data
            assert head_yaml == yaml.safe_dump(card, sort_keys=False, allow_unicode=True, width=1000)
            body = text[len(head_yaml) + 8:]
            styles["Trainer" if "This model is a fine-tuned version of" in body else
                   "AutoTrain" if "Model Trained Using AutoTrain" in body else
                   "template" if "[More Information Needed]" in body else
                   "mergekit" if "mergekit" in body else "other"] += 1
    finally:
        reader.close()
    assert 5 <= malformed <= 60
    assert all(styles[k] > 50 for k in ("Trainer", "template", "other", "no front matter")), styles
    assert styles["AutoTrain"] > 5 and styles["mergekit"] > 5, styles


def test_template_cards_have_every_section(hub, parsed):
    directory, _ = hub
    reader = SnapshotReader(directory)
    sections = ["Model Details", "Uses", "Bias, Risks, and Limitations", "How to Get Started with the Model",
                "Training Details", "Evaluation", "Model Examination", "Environmental Impact",
                "Technical Specifications", "Citation", "Glossary", "More Information", "Model Card Authors",
                "Model Card Contact"]
    found = 0
    try:
        for m in parsed:
            head = json.loads(m["commits"][-1][7])
            readme = next((e for e in head if e["path"] == "README.md"), None)
            if readme is None:
                continue
            text = reader.blob(readme["oid"]).decode()
            if "# Model Card for " in text:
                assert all(f"## {s}" in text for s in sections)
                found += 1
    finally:
        reader.close()
    assert found > 50


def test_distributions_look_like_the_hub(parsed):
    n = len(parsed)
    no_readme = sum(1 for m in parsed if not any(s["rfilename"] == "README.md" for s in m["info"]["siblings"]))
    assert 0.15 <= no_readme / n <= 0.28
    placeholder = sum(1 for m in parsed if m["created"] == PLACEHOLDER)
    assert 0.015 <= placeholder / n <= 0.06
    assert all(m["created"] >= "2019-01-01" and m["created"] < "2026-11-01" for m in parsed)
    years = Counter(m["created"][:4] for m in parsed)
    assert years["2023"] < years["2024"] < years["2025"]
    co2 = [m["info"]["cardData"]["co2_eq_emissions"] for m in parsed
           if "co2_eq_emissions" in (m["info"].get("cardData") or {})]
    assert 0.01 <= len(co2) / n <= 0.06
    assert any(isinstance(c, (int, float)) for c in co2) and any(isinstance(c, dict) for c in co2)
    sources = Counter(c.get("source") for c in co2 if isinstance(c, dict) and c.get("source"))
    assert sources.most_common(1)[0][0] == "AutoTrain"

    downloads = np.array(sorted((m["downloads"] for m in parsed), reverse=True))
    assert downloads[: n // 100].sum() > 0.5 * downloads.sum()
    assert 0.3 <= (downloads == 0).mean() <= 0.7
    dl = np.log1p([m["downloads"] for m in parsed])
    likes = np.log1p([m["likes"] for m in parsed])
    assert np.corrcoef(dl, likes)[0, 1] > 0.5

    authors = Counter(m["author"] for m in parsed)
    assert authors.most_common(1)[0][1] >= 0.01 * n  # a few organisations with very many repos
    assert sum(1 for c in authors.values() if c == 1) > 0.5 * len(authors)  # a long tail of one-repo users
    pipelines = Counter(m["info"].get("pipeline_tag") for m in parsed)
    assert {"text-generation", "text-classification", "fill-mask", "text-to-image",
            "automatic-speech-recognition"} <= set(pipelines)
    libraries = Counter(m["info"].get("library_name") for m in parsed)
    assert {"transformers", "diffusers", "peft", "sentence-transformers", "gguf", "timm"} <= set(libraries)
    assert 0.2 <= sum(1 for m in parsed if "safetensors" in m["info"]) / n <= 0.7
    assert 0 < sum(1 for m in parsed if m["info"]["gated"]) < 0.05 * n
    assert any(m["info"].get("gguf") for m in parsed)


def test_names_mix_practices(parsed):
    names = [m["id"].split("/")[1] for m in parsed]
    joined = "\n".join(names)
    for part in ("-GGUF", "-AWQ", "-GPTQ", "finetuned-", "lora", "-v2", "8B", "7B", "Instruct", "bnb-4bit",
                 "my_awesome_", "autotrain-", "opus-mt-", "ppo-"):
        assert part in joined, part
    assert len(set(m["id"].lower() for m in parsed)) == len(parsed)  # the Hub's ids are case-insensitive


def test_planted_wsb_families_follow_their_curve(tmp_path):
    n = 5000
    generate(tmp_path / "w", models=n, seed=9, plant_wsb=2, progress=False)
    reader = SnapshotReader(tmp_path / "w")
    planted = json.loads(reader.meta["planted_wsb"])
    reader.close()
    assert len(planted) == 2
    models = [json.loads(r[9]) for r in rows(tmp_path / "w", "models")]
    for fam in planted:
        assert {"root", "lambda", "mu", "sigma", "m", "t0"} <= set(fam)
        t0 = np.datetime64(fam["t0"].rstrip("Z"))
        ages = []
        for info in models:
            base = (info.get("cardData") or {}).get("base_model")
            root_tag = f"base_model:{fam['root']}"
            if base == fam["root"] or root_tag in info["tags"]:
                ages.append((np.datetime64(info["createdAt"].rstrip("Z")) - t0) / np.timedelta64(1, "D"))
        ages = np.sort(np.array(ages))
        assert len(ages) > 20 and ages.min() > 0
        lam, mu, sigma = fam["lambda"], fam["mu"], fam["sigma"]

        def c(t, m=fam["m"], lam=lam, mu=mu, sigma=sigma):
            return m * math.expm1(lam * NormalDist().cdf((math.log(t) - mu) / sigma))

        horizon = (np.datetime64(fam["observed_until"].rstrip("Z")) - t0) / np.timedelta64(1, "D")
        model_cdf = np.array([c(t) / c(horizon) for t in ages])
        empirical = np.arange(1, len(ages) + 1) / len(ages)
        assert np.abs(model_cdf - empirical).max() < 0.15  # Kolmogorov–Smirnov distance


def test_planted_family_sizes_can_spread(tmp_path):
    # plant_spread=20: expected sizes a geometric series from the smallest to 20 times it
    n, k, share = 6000, 6, 0.6
    generate(tmp_path / "s", models=n, seed=4, plant_wsb=k, plant_share=share, plant_spread=20, progress=False)
    reader = SnapshotReader(tmp_path / "s")
    planted = json.loads(reader.meta["planted_wsb"])
    reader.close()
    expected = sorted(p["expected_children"] for p in planted)
    ratios = [b / a for a, b in zip(expected, expected[1:])]
    assert ratios == pytest.approx([20 ** (1 / (k - 1))] * (k - 1))
    roots = ROOT_STEP * len(_ROOTS)  # the catalog roots' slots come first, planted children after them
    assert sum(expected) == pytest.approx(share * (n - roots))
    for p in planted:  # the children drawn match the expected sizes (binomial spread)
        assert abs(p["children"] - p["expected_children"]) <= 4 * math.sqrt(p["expected_children"]) + 2
    counted = {p["root"]: 0 for p in planted}
    for r in rows(tmp_path / "s", "models"):
        info = json.loads(r[9])
        base = (info.get("cardData") or {}).get("base_model")
        for root in counted:
            if base == root or f"base_model:{root}" in info["tags"]:
                counted[root] += 1
    assert counted == {p["root"]: p["children"] for p in planted}
    with pytest.raises(ValueError):
        generate(tmp_path / "x", models=10, plant_wsb=2, plant_spread=0.5, progress=False)


def test_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, models=0, progress=False)
    with pytest.raises(ValueError):
        generate(tmp_path, models=10, day=-1, progress=False)
    with pytest.raises(ValueError):
        generate(tmp_path, models=10, daily_change=1.5, progress=False)


SERVED = ("models", "commits", "refs", "blobs")


def test_advancing_a_snapshot_equals_generating_the_later_day(tmp_path):
    args = {"models": 1500, "seed": 13, "daily_change": 0.1, "daily_new": 0.01, "progress": False}
    generate(tmp_path / "d0", day=0, **args)
    generate(tmp_path / "d2", day=2, **args)
    generate(tmp_path / "d3", day=3, **args)
    summary = advance(tmp_path / "d0", out=tmp_path / "a2", days=2, progress=False)
    assert summary["day"] == 2 and summary["models"] == 1500 + 2 * 15 and summary["new"] == 30
    for table in SERVED:
        assert rows(tmp_path / "a2", table) == rows(tmp_path / "d2", table), table
    meta = "SELECT * FROM meta ORDER BY key"
    assert sqlite3.connect(tmp_path / "a2" / DB_NAME).execute(meta).fetchall() == \
        sqlite3.connect(tmp_path / "d2" / DB_NAME).execute(meta).fetchall()
    # In place, one more day: the same as generating day 3 (the state new models depend on carries over).
    advance(tmp_path / "a2", progress=False)
    for table in SERVED:
        assert rows(tmp_path / "a2", table) == rows(tmp_path / "d3", table), table
    # The source of a copy is left alone.
    assert SnapshotReader(tmp_path / "d0").meta["day"] == "0"


def test_new_models_are_created_on_their_day_and_change_only_later(tmp_path):
    n, per_day = 2000, 20
    generate(tmp_path / "d2", models=n, seed=3, day=2, daily_change=0.5, daily_new=0.01, progress=False)
    models = rows(tmp_path / "d2", "models")
    commits = by_repo(tmp_path / "d2", "commits")
    assert len(models) == n + 2 * per_day
    assert len({r[1].lower() for r in models}) == len(models)
    for pos, rid, _, _, created, *_ in models[n:]:
        d = 1 + (pos - n) // per_day
        assert created.startswith(f"2026-11-0{1 + d}T")
        dates = [c[3] for c in commits[rid]]
        assert dates == sorted(dates) and dates[0] == created and dates[-1] < "2026-11-04"
    # Day-1 models may change on day 2 (half of them do at this rate); day-2 models never do.
    day1 = [r[1] for r in models[n:n + per_day]]
    day2 = [r[1] for r in models[n + per_day:]]
    assert any(c[3].startswith("2026-11-03") for rid in day1 for c in commits[rid])
    assert all(c[3].startswith("2026-11-03") for rid in day2 for c in commits[rid])


def test_worker_processes_give_the_same_snapshot(tmp_path):
    args = {"models": 6000, "seed": 2, "day": 1, "daily_change": 0.05, "daily_new": 0.001, "progress": False}
    generate(tmp_path / "one", workers=1, **args)
    generate(tmp_path / "two", workers=2, **args)
    for table in SERVED:
        assert rows(tmp_path / "one", table) == rows(tmp_path / "two", table), table


def test_weight_changes_often_come_without_a_card_change(tmp_path):
    # About half of the weight modifications leave README.md alone (Ajibode et al.: 40.87% silent).
    generate(tmp_path / "d5", models=3000, seed=21, day=5, daily_change=0.2, progress=False)
    modified = silent = 0
    for history in by_repo(tmp_path / "d5", "commits").values():
        trees = [{e["path"]: e for e in json.loads(c[7])} for c in history]
        for before, after in zip(trees, trees[1:]):
            weights = [p for p, e in after.items() if "lfs" in e and p in before and "lfs" in before[p]
                       and before[p]["lfs"]["oid"] != e["lfs"]["oid"] and not p.startswith("runs/")]
            if not weights:
                continue
            modified += 1
            readme_after, readme_before = after.get("README.md"), before.get("README.md")
            if readme_after is None or readme_before is None or readme_after["oid"] == readme_before["oid"]:
                silent += 1
    assert modified > 300
    assert 0.35 <= silent / modified <= 0.6, (silent, modified)


def test_advance_refuses_what_it_cannot_continue(tmp_path):
    generate(tmp_path / "g", models=50, seed=1, progress=False)
    db = sqlite3.connect(tmp_path / "g" / DB_NAME)
    db.execute("UPDATE meta SET value = 'hubmine-generate/1' WHERE key = 'generator'")
    db.commit()
    db.close()
    with pytest.raises(SnapshotError, match="regenerate"):
        advance(tmp_path / "g", progress=False)
    with pytest.raises(SnapshotError, match="not a hub snapshot"):
        advance(tmp_path / "nothing", progress=False)
