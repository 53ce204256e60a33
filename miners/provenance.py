"""Which data an endpoint serves: the real Hub, or a replay hub's generated or imported snapshot.

Asked once per models crawl and landed in the run's manifest (``provenance``): the loader keeps it
in ``load_runs`` and the report prints it. A replay hub also says which moment its snapshot
depicts; a crawl given no ``--as-of`` stands for that moment, not for the wall clock, so that a
snapshot of 2025 is not reported (and forecast) as the Hub of today.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx2
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

from core.provenance import HUB, PATH

log = logging.getLogger(__name__)

# The real Hub has no provenance path: it is not asked (a crawl of it spends no request on this).
REAL_HUB_HOSTS = frozenset({"huggingface.co", "hf.co"})
TIMEOUT_SECONDS = 10


def endpoint_provenance(endpoint: str, token: str | bool | None = None) -> dict[str, Any]:
    """What ``endpoint`` serves: the replay hub's answer, else ``{"kind": "hub"}``. The endpoint itself
    is the manifest's own field (the same data listed from another port is the same data)."""
    real = {"kind": HUB}
    if (urlsplit(endpoint).hostname or "").lower() in REAL_HUB_HOSTS:
        return real
    try:
        # One attempt, short: hubmine's transport does not retry this path (a dead endpoint fails in
        # the listing that follows, with its own retries and message).
        answer = get_session().get(endpoint.rstrip("/") + PATH, headers=build_hf_headers(token=token),
                                   timeout=TIMEOUT_SECONDS)
        hf_raise_for_status(answer)
        served = answer.json()
    except (HfHubHTTPError, httpx2.HTTPError, ValueError) as exc:
        # A mirror or proxy of the Hub: it serves the Hub's data as of the crawl.
        log.debug("%s does not describe its snapshot (%s): taken as the Hub", endpoint, exc)
        return real
    if not isinstance(served, dict) or not isinstance(served.get("kind"), str):
        return real
    return served


def data_time(provenance: dict[str, Any]) -> datetime | None:
    """The moment a replay hub's snapshot depicts (UTC), or None for the real Hub (its time is now)."""
    value = provenance.get("snapshot_time") if provenance.get("kind") != HUB else None
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
    return when.astimezone(UTC) if when and when.tzinfo else (when.replace(tzinfo=UTC) if when else None)
