"""A next-page URL off the endpoint (from a Link header or a saved resume point) is refused before the
token can go there: real client, two real replay hubs, the second recording who contacted it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import write_snapshot
from huggingface_hub.utils import get_session

from core.config import Paths
from core.errors import HubmineError
from miners.landing import LandingRun, rows_table
from miners.listing import ForeignLink, ResumePoint
from miners.models import SCHEMA, crawl_models
from replayhub.server import HubConfig, ReplayHub

TOKEN = "hf_ForeignLinkTestTokenNeverSentAnywhere01"
MODELS = 2_500


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    return write_snapshot(tmp_path_factory.mktemp("hub"), (
        {"id": f"org/m-{i:05d}", "sha": f"{i:040x}", "downloads": i, "createdAt": f"2024-01-01T00:00:{i % 60:02d}.000Z"}
        for i in range(MODELS)))


@pytest.fixture
def elsewhere(snapshot, tmp_path):
    """Another server (same snapshot, so it would answer): the place a token must never reach."""
    with ReplayHub(snapshot, config=HubConfig(request_log=tmp_path / "elsewhere.jsonl")) as hub:
        yield hub


def _contacts(hub: ReplayHub) -> list[dict]:
    log = Path(hub.config.request_log)
    return [json.loads(line) for line in log.read_text().splitlines()] if log.is_file() else []


def test_the_witness_sees_a_token_when_one_is_sent(elsewhere):
    # Else an empty log below would prove nothing.
    get_session().get(f"{elsewhere.url}/api/models", params={"limit": 1},
                      headers={"authorization": f"Bearer {TOKEN}"})
    assert [c["auth"] for c in _contacts(elsewhere)] == [True]


@pytest.mark.parametrize("base", ["other_port", "other_scheme", "other_host"])
def test_a_next_link_to_another_origin_is_refused_and_never_requested(snapshot, elsewhere, tmp_path, base):
    link_base = {"other_port": elsewhere.url, "other_scheme": elsewhere.url.replace("http://", "https://"),
                 "other_host": elsewhere.url.replace("127.0.0.1", "localhost")}[base]
    with ReplayHub(snapshot, config=HubConfig(link_base=link_base, request_log=tmp_path / "hub.jsonl")) as hub:
        if base == "other_host":
            # Same port as the witness, another name for it: only the host differs from the link.
            link_base = hub.url.replace("127.0.0.1", "localhost")
            hub.config.link_base = link_base
        with pytest.raises(ForeignLink) as info:
            crawl_models(paths=Paths(tmp_path / "home"), endpoint=hub.url, token=TOKEN, progress=False)
        served = _contacts(hub)
    message = str(info.value)
    assert isinstance(info.value, HubmineError) and "\n" not in message
    assert message.startswith("refusing to follow a next-page link to ") and hub.url.split("//")[1] in message
    assert TOKEN not in message and "cursor" not in message
    assert len(served) == 1 and served[0]["auth"] is True  # the first page, on the endpoint itself
    assert _contacts(elsewhere) == []


def test_a_resume_point_off_the_endpoint_is_refused(snapshot, elsewhere, tmp_path):
    paths = Paths(tmp_path / "home")
    with ReplayHub(snapshot, config=HubConfig(request_log=tmp_path / "hub.jsonl")) as hub:
        run = LandingRun(paths.landing, "models", "r1")
        run.start()
        run.write_part(rows_table([], SCHEMA, "r1", datetime(2026, 11, 1, tzinfo=UTC)))
        now = datetime.now(UTC)
        # A tampered (or copied) _resume.json: the rest of the run is as a killed crawl leaves it.
        run.save_resume_point(ResumePoint(next_url=f"{elsewhere.url}/api/models?cursor=eyJ4IjoxfQ%3D%3D",
                                          models=1_000, parts=1, fetched_at=now, saved_at=now,
                                          endpoint=hub.url).to_json())
        with pytest.raises(ForeignLink, match="refusing to follow a saved next-page URL to http://127.0.0.1:"):
            crawl_models(paths=paths, endpoint=hub.url, token=TOKEN, run_id="r1", progress=False)
        assert _contacts(hub) == []
    assert _contacts(elsewhere) == []


def test_a_commits_page_linking_to_another_origin_is_refused_not_followed(elsewhere, tmp_path):
    """huggingface_hub pages a repo's log itself (``list_repo_commits``) and would follow a next link
    anywhere with the token: the transport refuses the answer, and the repo is recorded as an error."""
    from miners.history import crawl_history
    from replayhub.snapshot import Commit, SnapshotWriter

    log = [Commit(id=f"{i + 1:040x}", date=f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}.000Z",
                  files={"README.md": f"# v{i}\n".encode()}) for i in range(120)]  # more than one page
    with SnapshotWriter(tmp_path / "long", source="test") as writer:
        writer.add_model({"id": "org/long", "sha": log[-1].id, "downloads": 1}, commits=log)
    paths = Paths(tmp_path / "home")
    with ReplayHub(tmp_path / "long", config=HubConfig(request_log=tmp_path / "hub.jsonl")) as hub:
        crawl_models(paths=paths, endpoint=hub.url, token=TOKEN, progress=False)
        hub.config.link_base = elsewhere.url  # from here on, the log's next links point elsewhere
        result = crawl_history(paths=paths, endpoint=hub.url, token=TOKEN, progress=False)
    assert (result.attempted, result.ok, result.errors) == (1, 0, 1)
    assert _contacts(elsewhere) == []
    errors = [json.loads(r) for r in (tmp_path / "hub.jsonl").read_text().splitlines()]
    assert errors and all(e["auth"] for e in errors)  # the token went to the endpoint, and only there
