"""Real recorded ``GET /api/models/{id}`` bodies, served by the replay hub, parse exactly as the Hub's do.

Each cassette in ``../shared/realdata/hfhub_cassettes/model_info`` wraps one body:
``{"uri", "date", "source_blob", "body": {...}}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from huggingface_hub import HfApi, ModelInfo
from huggingface_hub.utils import get_session

from replayhub.server import ReplayHub
from replayhub.snapshot import SnapshotWriter

CASSETTES = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "hfhub_cassettes" / "model_info"
FILES = sorted(p.name for p in CASSETTES.glob("*.json")) if CASSETTES.is_dir() else ["(real data absent)"]


def _body_text(name: str) -> str:
    # Compact and non-ASCII-escaped, as the Hub writes it.
    return json.dumps(json.loads((CASSETTES / name).read_text())["body"], ensure_ascii=False, separators=(",", ":"))


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if not CASSETTES.is_dir():
        pytest.skip(f"real data not present at {CASSETTES}")
    directory = tmp_path_factory.mktemp("real-model-info")
    with SnapshotWriter(directory, source="test") as writer:
        for name in FILES:
            writer.add_model(_body_text(name))
    with ReplayHub(directory) as served:
        yield served


def _plain(value: Any) -> Any:
    """Objects as nested dicts: several huggingface_hub classes (CardData) compare equal whatever their content."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "__dict__"):
        return {"__class__": type(value).__name__, **_plain(vars(value))}
    return value


def test_all_cassettes_found(realdata):
    assert len(FILES) == 35


@pytest.mark.parametrize("name", FILES)
def test_model_info_matches_recorded_body(realdata, hub, name):
    text = _body_text(name)
    body = json.loads(text)
    assert get_session().get(f"{hub.url}/api/models/{body['id']}").content == text.encode()
    served = HfApi(endpoint=hub.url).model_info(body["id"])
    expected = ModelInfo(**json.loads(text))
    assert _plain(served) == _plain(expected)
    assert served.sha == body["sha"] and len(served.siblings) == len(body["siblings"])
