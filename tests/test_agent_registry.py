"""huggingface_hub fetches ``{HF_ENDPOINT}/api/agent-harnesses`` in every process (for its User-Agent)
and caches it in HF_HOME. That must cost a crawl nothing and never break it: unreachable or failing,
it is asked once (no retries); a cached copy of the wrong shape is removed. Each crawl runs as a real
``hubmine`` process with telemetry on (the suite turns it off elsewhere), HF_ENDPOINT pointing at the
registry under test and ``--endpoint`` at the replay hub that lists the models."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
from huggingface_hub.utils import get_session
from processes import env as command_env

from miners.resilience import _refuse_bad_registry, agent_registry_problem
from replayhub.server import HubConfig, ReplayHub
from replayhub.server.routes import AGENT_HARNESSES
from replayhub.snapshot import SnapshotWriter

HUBMINE = Path(sys.executable).with_name("hubmine")


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("three_pages")
    with SnapshotWriter(out, source="test") as writer:
        for i in range(2_500):
            writer.add_model({"id": f"org{i % 7}/m-{i:05d}", "sha": f"{i:040x}", "downloads": i,
                              "createdAt": "2024-01-01T00:00:00.000Z"})
    return out


def crawl(tmp_path: Path, listing: str, registry_endpoint: str) -> tuple[subprocess.CompletedProcess, float]:
    environ = command_env(tmp_path)
    environ.pop("HF_HUB_DISABLE_TELEMETRY")  # telemetry on: the library wants its agent registry
    # The real default backoff (1 s doubling to 30 s): what made an unreachable registry cost a minute.
    environ.pop("HUBMINE_RETRY_BASE_SECONDS")
    environ.pop("HUBMINE_RETRY_CAP_SECONDS")
    environ["HF_ENDPOINT"] = registry_endpoint
    started = time.monotonic()
    done = subprocess.run([str(HUBMINE), "--home", str(tmp_path / "home"), "crawl", "models", "--endpoint", listing],
                          env=environ, capture_output=True, text=True, timeout=300)
    return done, time.monotonic() - started


def registry_requests(log: Path) -> list[int]:
    return [r["status"] for r in map(json.loads, log.read_text().splitlines()) if r["path"] == "/api/agent-harnesses"]


def test_the_replay_hub_serves_the_registry_in_the_form_the_library_reads(three_pages):
    with ReplayHub(three_pages) as hub:
        answer = get_session().get(f"{hub.url}/api/agent-harnesses")
    assert answer.status_code == 200 and answer.json() == AGENT_HARNESSES
    assert agent_registry_problem(answer.json()) is None
    assert answer.json()["standardEnvVars"] == ["AI_AGENT", "AGENT"]


@pytest.mark.parametrize("value, problem", [
    (["not", "a", "registry"], "not an object"),
    ({"standardEnvVars": 5, "harnesses": {}}, "standardEnvVars"),
    ({"standardEnvVars": [], "harnesses": ["x"]}, "harnesses"),
    ({"standardEnvVars": [], "harnesses": {"x": {"envVars": ["X"]}}}, "'x'"),
    ({"standardEnvVars": [], "harnesses": {"x": "X"}}, "'x'"),
])
def test_registry_shapes_the_library_would_raise_on(value, problem):
    assert problem in agent_registry_problem(value)


def test_an_unreachable_registry_costs_a_crawl_one_refused_connection(three_pages, tmp_path):
    with socket.socket() as closed:  # a port nobody listens on: connections are refused
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}"
    with ReplayHub(three_pages) as hub:
        done, seconds = crawl(tmp_path, hub.url, dead)
        listed = hub.stats.count("api", 200)
    assert done.returncode == 0, done.stderr
    assert listed == 1 + 3  # the command's endpoint check and the three pages, and nothing asked twice
    # Retried with the default backoff, one refused registry took about a minute (1+2+4+8+16+30 s).
    assert seconds < 20, seconds


def test_a_failing_registry_is_asked_once_and_a_broken_cached_copy_is_dropped(three_pages, tmp_path):
    cached = tmp_path / "hf-home" / ".agent_harnesses.json"
    cached.parent.mkdir(parents=True)
    cached.write_text(json.dumps(["not", "a", "registry"]))  # fresh: the library would use it, and raise
    failing_log = tmp_path / "failing.jsonl"
    with ReplayHub(three_pages) as hub, \
            ReplayHub(three_pages, config=HubConfig(error_rate=1.0, request_log=failing_log)) as failing:
        done, _ = crawl(tmp_path, hub.url, failing.url)
        listed = hub.stats.count("api", 200)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and listed == 1 + 3  # the endpoint check and the three pages
    assert registry_requests(failing_log) == [500]  # once, not retried
    assert not cached.exists()  # nothing usable to keep: the library did without

    # A registry that answers: fetched once, cached in its served form, used by later crawls.
    served_log = tmp_path / "served.jsonl"
    with ReplayHub(three_pages) as hub, ReplayHub(three_pages, config=HubConfig(request_log=served_log)) as served:
        assert crawl(tmp_path, hub.url, served.url)[0].returncode == 0
        assert crawl(tmp_path, hub.url, served.url)[0].returncode == 0
    assert registry_requests(served_log) == [200]
    assert json.loads(cached.read_text()) == AGENT_HARNESSES


def test_the_transport_refuses_a_registry_answer_the_library_would_raise_on():
    request = httpx2.Request("GET", "http://hub.example/api/agent-harnesses")
    with pytest.raises(httpx2.DecodingError, match="not an object"):
        _refuse_bad_registry(request, httpx2.Response(200, json=["x"], request=request))
    _refuse_bad_registry(request, httpx2.Response(200, json=AGENT_HARNESSES, request=request))  # kept
    _refuse_bad_registry(request, httpx2.Response(503, text="busy", request=request))  # the library handles it


def test_a_registry_answer_that_is_not_json_is_neither_used_nor_cached(three_pages, tmp_path):
    # A truncated body is not JSON: the crawl goes on, and nothing is written to HF_HOME.
    log = tmp_path / "broken.jsonl"
    with ReplayHub(three_pages) as hub, \
            ReplayHub(three_pages, config=HubConfig(faults={"truncated": 1.0}, request_log=log)) as broken:
        done, _ = crawl(tmp_path, hub.url, broken.url)
    assert done.returncode == 0, done.stderr
    assert registry_requests(log) == [200]
    assert not (tmp_path / "hf-home" / ".agent_harnesses.json").exists()
    assert os.environ.get("HF_HUB_DISABLE_TELEMETRY") == "1"  # this process's own setting is untouched
