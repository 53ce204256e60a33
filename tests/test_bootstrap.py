"""Bootstrapping the cards from the daily card dump, end to end on the replay hub with the unmodified client:
the dump served as a dataset repo, landed as a cards run, then `crawl cards` fetches only the rest, and
the warehouse equals a full crawl's."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from core.config import Paths
from hubmine.cli import main
from miners import bootstrap as bootstrap_module
from miners.bootstrap import BootstrapError, bootstrap_cards
from miners.cards import crawl_cards
from miners.landing import MANIFEST, RESUME
from miners.models import crawl_models
from replayhub.datasets import FILES_DIR, read_repo, repo_dir, write_repo
from replayhub.server import HubConfig, ReplayHub
from replayhub.snapshot import SnapshotReader
from replayhub.synth import generate
from replayhub.synth.card_dump import DEFAULT_REPO, publish_card_dump
from replayhub.synth.daily import changed_models
from report import data as report_data
from report.build import build_site
from warehouse.db import connect_reader
from warehouse.load import load_pending

MODELS, SEED, CHANGE, DUMP_AGE = 400, 7, 0.05, 3
AS_OF = datetime(2026, 11, 5, tzinfo=UTC)
CARD_COLUMNS = "model_id, sha, status, size, truncated, utf8_valid, text"


@pytest.fixture(scope="module")
def hub_dir(tmp_path_factory) -> Path:
    """Day 3 of a generated hub, publishing the card dump of its day 0 (in 3 files)."""
    root = tmp_path_factory.mktemp("bootstrap-hub")
    for day in (0, DUMP_AGE):
        generate(root / f"day{day}", models=MODELS, seed=SEED, day=day, daily_change=CHANGE, progress=False)
    publish_card_dump(root / "day0", root / f"day{DUMP_AGE}", rows_per_file=150)
    return root / f"day{DUMP_AGE}"


@pytest.fixture(autouse=True)
def private_hf_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hf-cache"))


def _dump_ids(hub_dir: Path) -> set[str]:
    repo = read_repo(hub_dir, DEFAULT_REPO)
    return {i for f in repo.files for i in pq.read_table(repo.root / FILES_DIR / f["path"], columns=["modelId"])
            ["modelId"].to_pylist()}


def _readmes(snapshot: Path) -> dict[str, bytes | None]:
    """Each model's README.md bytes at its head in a snapshot (None: it has none)."""
    reader = SnapshotReader(snapshot)
    try:
        out = {}
        for repo_id in reader.iter_ids():
            head = reader.find_commit(repo_id, "main", with_tree=True)
            entry = next((e for e in head.tree if e.get("path") == "README.md"), None)
            out[repo_id] = reader.blob(entry["oid"]) if entry else None
        return out
    finally:
        reader.close()


def _cards(paths: Paths) -> set[tuple]:
    con = connect_reader(paths.warehouse)
    try:
        return set(con.sql(f"SELECT {CARD_COLUMNS} FROM core.cards").fetchall())
    finally:
        con.close()


def test_the_dump_downloads_through_the_unmodified_client(hub_dir, tmp_path):
    from huggingface_hub import HfApi, hf_hub_download

    repo = read_repo(hub_dir, DEFAULT_REPO)
    with ReplayHub(hub_dir) as hub:
        api = HfApi(endpoint=hub.url)
        info = api.dataset_info(DEFAULT_REPO, files_metadata=True)
        files = api.list_repo_files(DEFAULT_REPO, repo_type="dataset")
        local = hf_hub_download(DEFAULT_REPO, files[0], repo_type="dataset", revision=info.sha, endpoint=hub.url)
    assert info.sha == repo.sha
    assert files == ["data/train-00000-of-00003.parquet", "data/train-00001-of-00003.parquet",
                     "data/train-00002-of-00003.parquet"]
    assert [s.lfs.sha256 for s in info.siblings] == [f["sha256"] for f in repo.files]
    table = pq.read_table(local)
    assert table.column_names == ["modelId", "author", "last_modified", "downloads", "likes", "library_name",
                                  "tags", "pipeline_tag", "createdAt", "card"]
    # The dump is day 0's: its dates and cards are that day's, read from the day-0 snapshot itself.
    day0 = SnapshotReader(hub_dir.parent / "day0")
    first = table.slice(0, 1).to_pylist()[0]
    day0_info = day0.info(first["modelId"])
    assert first["last_modified"] == datetime.fromisoformat(day0_info["lastModified"].replace("Z", "+00:00"))
    day0.close()


def test_bootstrap_then_crawl_equals_a_full_crawl_and_fetches_only_the_rest(hub_dir, tmp_path):
    with_dump, full = Paths(tmp_path / "with-dump"), Paths(tmp_path / "full")
    with ReplayHub(hub_dir, config=HubConfig()) as hub:
        crawl_models(paths=with_dump, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        boot = bootstrap_cards(paths=with_dump, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        rest = crawl_cards(paths=with_dump, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        crawl_models(paths=full, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        whole = crawl_cards(paths=full, endpoint=hub.url, fetched_at=AS_OF, progress=False)
    load_pending(with_dump)
    load_pending(full)

    # What the crawl after the bootstrap had to fetch: the models changed on days 1-3 (the generator's
    # own record of which models it changed) and those the dump lacks (no README on day 0).
    reader = SnapshotReader(hub_dir)
    ids = list(reader.iter_ids())
    reader.close()
    changed = {ids[i] for day in range(1, DUMP_AGE + 1) for i in changed_models(MODELS, SEED, day, CHANGE)}
    dumped = _dump_ids(hub_dir)
    assert changed and dumped and len(dumped) < MODELS
    fetched = set(pq.read_table(rest.run_dir, columns=["id"])["id"].to_pylist())
    assert fetched == changed | (set(ids) - dumped)
    assert boot.landed == len(dumped - changed) and boot.stale == len(dumped & changed) and boot.unlisted == 0
    assert rest.attempted + boot.landed == whole.attempted == MODELS

    # What each card cost, read from the two snapshots: none without a README at the listed head
    # (the listing names the files), one where the README is still the dumped one (the redirect's blob
    # id confirms it), two (the redirect, then the resolve cache) for the rest.
    now, then = _readmes(hub_dir), _readmes(hub_dir.parent / "day0")
    with_readme = {i for i in ids if now[i] is not None}
    unchanged = {i for i in dumped & changed if now[i] is not None and now[i] == then[i]}
    assert unchanged and (dumped & changed) - unchanged  # both kinds occur
    assert whole.requests == 2 * len(with_readme) and whole.no_readme == MODELS - len(with_readme)
    assert rest.from_dump == len(unchanged)
    assert rest.requests == len(unchanged) + 2 * len((fetched & with_readme) - unchanged)
    assert rest.no_readme == len(fetched - with_readme)

    # Same cards for the same shas; each says where it came from.
    assert _cards(with_dump) == _cards(full)
    con = connect_reader(with_dump.warehouse)
    sources = dict(con.sql("SELECT source, count(*) FROM cards GROUP BY source").fetchall())
    con.close()
    assert sources == {f"dump@{boot.revision}": boot.landed + len(unchanged),
                       "hub": MODELS - boot.landed - len(unchanged)}
    assert boot.revision == read_repo(hub_dir, DEFAULT_REPO).sha

    # The run's provenance, and it loads once.
    manifest = json.loads((boot.run_dir / MANIFEST).read_text())
    assert (manifest["dataset"], manifest["revision"], manifest["files"]) == (DEFAULT_REPO, boot.revision, boot.files)
    again = load_pending(with_dump)
    assert boot.run_id in {r.run_id for r in again} and all(r.skipped for r in again)

    # The report's provenance counts the cards of each source.
    data = report_data.load(with_dump)
    assert sorted(data.tables["provenance.card_sources"].rows) == sorted(sources.items())
    page = (build_site(with_dump, hub_url=None) / "index.html").read_text()
    assert f"dump@{boot.revision}" in page and "Current cards, by source" in page


def _republished(hub_dir: Path, out: Path, change) -> Path:
    """A hub serving ``hub_dir``'s models and its dump with each file's table passed through
    ``change(index, table)``."""
    out.mkdir()
    (out / "hub.sqlite").symlink_to(hub_dir / "hub.sqlite")
    root = repo_dir(out, DEFAULT_REPO) / FILES_DIR / "data"
    root.mkdir(parents=True)
    source = read_repo(hub_dir, DEFAULT_REPO)
    for n, f in enumerate(source.files):
        pq.write_table(change(n, pq.read_table(source.root / FILES_DIR / f["path"])), root / Path(f["path"]).name)
    write_repo(out, DEFAULT_REPO, last_modified=source.last_modified, created_at=source.created_at)
    return out


def test_a_dump_missing_columns_is_refused_by_name_and_nothing_lands(hub_dir, tmp_path):
    hub = _republished(hub_dir, tmp_path / "hub", lambda n, t: t.drop_columns(["card", "likes"]) if n == 2 else t)
    paths = Paths(tmp_path / "home")
    with ReplayHub(hub) as served:
        crawl_models(paths=paths, endpoint=served.url, fetched_at=AS_OF, progress=False)
        with pytest.raises(BootstrapError, match=r"lacks the column\(s\) likes, card"):
            bootstrap_cards(paths=paths, endpoint=served.url, fetched_at=AS_OF, progress=False)
    assert not (paths.landing / "cards").exists()


def test_a_dump_with_last_modified_as_text_is_read_as_the_same_times(hub_dir, tmp_path):
    """The real dump's ``last_modified`` could come as ISO 8601 text: with or without a zone, it
    decides freshness as the timestamps do (a zone-less time is UTC; text that is no time is stale)."""
    def as_text(n: int, table: pa.Table) -> pa.Table:
        times = table["last_modified"].to_pylist()
        text = [t.isoformat() if n == 0 else t.strftime("%Y-%m-%dT%H:%M:%S.%f") for t in times]
        if n == 2:
            text[0] = "yesterday"
        return table.set_column(table.schema.get_field_index("last_modified"), "last_modified", pa.array(text))

    hub = _republished(hub_dir, tmp_path / "hub", as_text)
    source = read_repo(hub_dir, DEFAULT_REPO)
    with_text, with_times = Paths(tmp_path / "text"), Paths(tmp_path / "times")
    with ReplayHub(hub) as served, ReplayHub(hub_dir) as original:
        crawl_models(paths=with_text, endpoint=served.url, fetched_at=AS_OF, progress=False)
        crawl_models(paths=with_times, endpoint=original.url, fetched_at=AS_OF, progress=False)
        text = bootstrap_cards(paths=with_text, endpoint=served.url, fetched_at=AS_OF, progress=False)
        times = bootstrap_cards(paths=with_times, endpoint=original.url, fetched_at=AS_OF, progress=False)
    first_of_third = pq.read_table(source.root / FILES_DIR / source.files[2]["path"])["modelId"][0].as_py()
    landed = {p: set(pq.read_table(r.run_dir, columns=["id"])["id"].to_pylist()) for p, r in (("t", text), ("s", times))}
    assert landed["t"] == landed["s"] - {first_of_third} and text.dump_rows == times.dump_rows
    assert text.stale == times.stale + (first_of_third in landed["s"])


def test_a_killed_bootstrap_resumes_after_the_files_it_landed(hub_dir, tmp_path, monkeypatch):
    paths, clean = Paths(tmp_path / "killed"), Paths(tmp_path / "clean")
    real_stamp = bootstrap_module._stamp
    calls = []

    def killed_on_second_file(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # a kill while landing the second dump file
        return real_stamp(*args)

    with ReplayHub(hub_dir) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        crawl_models(paths=clean, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        monkeypatch.setattr(bootstrap_module, "_stamp", killed_on_second_file)
        with pytest.raises(KeyboardInterrupt):
            bootstrap_cards(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        monkeypatch.setattr(bootstrap_module, "_stamp", real_stamp)
        run_dir = next((paths.landing / "cards").iterdir())
        assert json.loads((run_dir / RESUME).read_text())["files"] == 1
        first_part = (run_dir / "part-00000.parquet").stat()
        resumed = bootstrap_cards(paths=paths, endpoint=hub.url, progress=False)
        reference = bootstrap_cards(paths=clean, endpoint=hub.url, fetched_at=AS_OF, progress=False)
    assert resumed.run_dir == run_dir and (run_dir / MANIFEST).is_file() and not (run_dir / RESUME).exists()
    kept = (run_dir / "part-00000.parquet").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (first_part.st_ino, first_part.st_mtime_ns)
    assert (resumed.landed, resumed.stale, resumed.dump_rows) == (reference.landed, reference.stale,
                                                                  reference.dump_rows)
    # The cards of models changed since the dump, kept for the crawl to confirm, survive the kill too.
    kept = {p.name: pq.read_table(p) for p in (paths.state / "card_dump" / resumed.revision).glob("*.parquet")}
    again = {p.name: pq.read_table(p) for p in (clean.state / "card_dump" / reference.revision).glob("*.parquet")}
    assert len(kept) == len(resumed.files) and kept.keys() == again.keys()
    assert all(kept[k].equals(again[k]) for k in kept) and sum(t.num_rows for t in kept.values()) == resumed.stale
    load_pending(paths)
    load_pending(clean)
    assert _cards(paths) == _cards(clean)


def test_cli_bootstrap_cards(hub_dir, tmp_path):
    home = tmp_path / "home"
    with ReplayHub(hub_dir) as hub:
        crawl_models(paths=Paths(home), endpoint=hub.url, fetched_at=AS_OF, progress=False)
        result = CliRunner().invoke(main, ["--home", str(home), "bootstrap", "cards", "--endpoint", hub.url,
                                           "--no-progress"])
        missing = CliRunner().invoke(main, ["--home", str(home), "bootstrap", "cards", "--endpoint", hub.url,
                                            "--dataset", "nobody/nothing", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "current cards of" in result.output and "left to `crawl cards`" in result.output
    assert missing.exit_code == 1 and "card dump nobody/nothing@main not found" in missing.output


def test_bootstrap_needs_a_listing_first(hub_dir, tmp_path):
    with ReplayHub(hub_dir) as hub, pytest.raises(BootstrapError, match="crawl models"):
        bootstrap_cards(paths=Paths(tmp_path / "home"), endpoint=hub.url, progress=False)


def test_the_cards_dag_task_bootstraps_only_a_first_run(hub_dir, tmp_path, monkeypatch):
    from hubmine import tasks

    paths = Paths(tmp_path / "home")
    with ReplayHub(hub_dir) as hub:
        monkeypatch.setenv("HUBMINE_HOME", str(paths.home))
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("HUBMINE_HUB_TIER", tasks.UNLIMITED)
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        assert tasks.bootstrap_cards_if_empty("off") == {"bootstrapped": False, "reason": "bootstrap off"}
        assert not (paths.landing / "cards").exists()
        skipped = tasks.bootstrap_cards_if_empty("auto", "nobody/nothing")
        first = tasks.bootstrap_cards_if_empty("auto")
        again = tasks.bootstrap_cards_if_empty("auto")
    assert not skipped["bootstrapped"] and "not found" in skipped["reason"]
    assert first["bootstrapped"] and first["landed"] == len(_dump_ids(hub_dir)) - first["stale"]
    assert again == {"bootstrapped": False, "reason": "cards already landed"}
    monkeypatch.setenv("HUBMINE_BOOTSTRAP_CARDS", "sometimes")
    with pytest.raises(ValueError, match="HUBMINE_BOOTSTRAP_CARDS"):
        tasks.bootstrap_mode()
    monkeypatch.setenv("HUBMINE_BOOTSTRAP_CARDS", "OFF")
    assert tasks.bootstrap_mode() == "off"


def test_the_demo_starts_its_cards_from_the_dump_of_day_0(tmp_path):
    from hubmine.demo import run_demo

    paths = Paths(tmp_path / "home")
    lines: list[str] = []
    run_demo(paths, models=60, days=2, seed=3, echo=lines.append)
    boot = json.loads((paths.landing / "cards" / "demo-n60-s3-d00-bootstrap" / MANIFEST).read_text())
    crawled0 = json.loads((paths.landing / "cards" / "demo-n60-s3-d00" / MANIFEST).read_text())
    crawled1 = json.loads((paths.landing / "cards" / "demo-n60-s3-d01" / MANIFEST).read_text())
    # Day 0: the dump is that day's, so every dumped card is current; the crawl fetches only the models
    # the dump lacks (no README). Day 1: only the models the generator changed on day 1.
    assert boot["landed"] == boot["dump_rows"] > 0 and boot["stale"] == 0
    assert crawled0["attempted"] == 60 - boot["landed"] == crawled0["missing"]
    assert crawled1["attempted"] == len(changed_models(60, 3, 1, 0.03))
    assert any("from the card dump" in line for line in lines)
    con = connect_reader(paths.warehouse)
    sources = dict(con.sql("SELECT source, count(*) FROM core.cards GROUP BY source").fetchall())
    con.close()
    assert sources == {f"dump@{boot['revision']}": boot["landed"],
                       "hub": crawled0["attempted"] + crawled1["attempted"]}


def test_cli_hub_card_dump_publishes_the_dump_of_one_snapshot_in_another(hub_dir, tmp_path):
    result = CliRunner().invoke(main, ["hub", "card-dump", str(hub_dir.parent / "day0"), str(tmp_path),
                                       "--repo", "me/cards", "--rows-per-file", "1000"])
    assert result.exit_code == 0, result.output
    published = read_repo(tmp_path, "me/cards")
    assert [f["path"] for f in published.files] == ["data/train-00000-of-00001.parquet"]
    rows = pq.read_table(published.root / FILES_DIR / published.files[0]["path"]).num_rows
    assert rows == len(_dump_ids(hub_dir)) and f"me/cards@{published.sha}" in result.output
