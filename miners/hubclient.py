"""The one place that configures how huggingface_hub talks to the Hub for hubmine.

huggingface_hub's default HTTP client has no timeout at all, so one stalled connection would hang a
daily crawl forever; a crawler must keep within the Hub's rate limits, retry what fails for a
moment, and know how many requests it spent per rate-limit bucket. All of it comes from installing
our own client factory through the library's public ``set_client_factory`` hook: a timeout, and
``miners.resilience.ResilientTransport`` (request budget per bucket, retries with backoff, checks of
answers that look fine but are not) under every request the library sends.

A process that is given only a share of an account's rate limit (an Airflow task in a pool, see
``hubmine.tasks``) also caps its request rate per bucket: ``PACER.set_rate(bucket, per_second)``.
That cap is part of the same ``BucketPacer`` that keeps the header budget, not a second pacer.

Settings come from the environment, so that a ``hubmine`` subprocess can be told too, or from
``configure()``: ``HUBMINE_HTTP_TIMEOUT`` (read timeout, seconds; default 60),
``HUBMINE_RETRY_ATTEMPTS`` (default 8), ``HUBMINE_RETRY_BASE_SECONDS`` (first backoff; default 1),
``HUBMINE_RETRY_CAP_SECONDS`` (longest backoff; default 30), ``HUBMINE_HTTP_DEADLINE`` (seconds an
attempt may take in all, body included, before it is dropped as a timeout; default 300: a README or
a 1,000-model page takes well under a second, a body trickling in a byte at a time never ends; 0:
none).

huggingface_hub also fetches ``{endpoint}/api/agent-harnesses`` for itself (once a day per HF_HOME,
to name an AI agent in its User-Agent). That request must cost a crawl nothing: the transport sends
it once, without retries or budget, and refuses an answer the library could not use (see
``miners.resilience``); a cached copy of the wrong shape, on which the library would raise in
every request, is removed here when this module is imported.

huggingface_hub's own progress bars are turned off here, where the client is made: it would draw a bar
per file it downloads (one per dump file, per README), burying the one bar per step the miners draw
(unless the user set ``HF_HUB_DISABLE_PROGRESS_BARS=0``, which the library lets win).

``check_endpoint`` asks the endpoint once, with a short timeout and no retries, before a crawl starts:
an address that is not a URL, refuses, or answers but not as the Hub API fails in seconds with one
line naming the URL and what answered, instead of minutes of silent retries.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import httpx2
from huggingface_hub import HfApi, constants
from huggingface_hub.utils import build_hf_headers, disable_progress_bars, get_session, set_client_factory
from huggingface_hub.utils._http import hf_request_event_hook

from core.config import hub_endpoint
from core.errors import HubmineError
from miners.resilience import (
    BucketPacer,
    RequestStats,
    ResilientTransport,
    RetriesExhausted,
    RetryPolicy,
    agent_registry_problem,
    bucket_of,
    resilient,
)

__all__ = ["PACER", "STATS", "EndpointError", "RequestStats", "RetriesExhausted", "RetryPolicy", "bucket_of",
           "check_endpoint", "configure", "hub_api", "resilient"]

CONNECT_TIMEOUT = 10.0
CHECK_TIMEOUT = 5.0  # the endpoint check's: a Hub that answers at all answers /api/models?limit=1 at once


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


DEFAULT_READ_TIMEOUT = _env_float("HUBMINE_HTTP_TIMEOUT", 60.0)
_read_timeout = DEFAULT_READ_TIMEOUT
DEFAULT_DEADLINE = _env_float("HUBMINE_HTTP_DEADLINE", 300.0)
_deadline = DEFAULT_DEADLINE
_policy = RetryPolicy(attempts=int(_env_float("HUBMINE_RETRY_ATTEMPTS", RetryPolicy.attempts)),
                      base_seconds=_env_float("HUBMINE_RETRY_BASE_SECONDS", RetryPolicy.base_seconds),
                      cap_seconds=_env_float("HUBMINE_RETRY_CAP_SECONDS", RetryPolicy.cap_seconds))

STATS = RequestStats()
PACER = BucketPacer()


def _client() -> httpx2.Client:
    timeout = httpx2.Timeout(_read_timeout, connect=min(CONNECT_TIMEOUT, _read_timeout))
    transport = ResilientTransport(httpx2.HTTPTransport(), pacer=PACER, stats=STATS, policy=lambda: _policy,
                                   timeout=timeout, deadline=lambda: _deadline)
    return httpx2.Client(
        transport=transport,
        event_hooks={"request": [hf_request_event_hook]},
        follow_redirects=True,
        timeout=timeout,
    )


set_client_factory(_client)
if constants.HF_HUB_DISABLE_PROGRESS_BARS is not False:
    disable_progress_bars()


def _drop_unusable_agent_registry(path: Path) -> None:
    """Remove huggingface_hub's cached agent registry when the library would raise on it (a JSON file
    of the wrong shape); it then fetches a new one, or does without. Where it cannot be removed,
    the library's own switch (telemetry off) keeps it unread in this process."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # absent, unreadable or not JSON: the library passes over it by itself
    if agent_registry_problem(value) is None:
        return
    try:
        path.unlink()
    except OSError:
        constants.HF_HUB_DISABLE_TELEMETRY = True


_drop_unusable_agent_registry(Path(constants.AGENT_HARNESSES_PATH))


def configure(*, timeout: float | None = None, attempts: int | None = None, base_seconds: float | None = None,
              cap_seconds: float | None = None, deadline: float | None = None) -> RetryPolicy:
    """Change the read timeout, the deadline per attempt and the retry policy of this process (tests
    shorten them). Returns the policy."""
    global _read_timeout, _policy, _deadline
    if deadline is not None:
        if deadline < 0:
            raise ValueError(f"deadline must be >= 0 seconds (0: none), got {deadline}")
        _deadline = deadline
    changes = {k: v for k, v in (("attempts", attempts), ("base_seconds", base_seconds),
                                 ("cap_seconds", cap_seconds)) if v is not None}
    _policy = replace(_policy, **changes)
    if timeout is not None and timeout != _read_timeout:
        _read_timeout = timeout
        set_client_factory(_client)  # closes the shared client; the next request builds one with the new timeout
    return _policy


def hub_api(endpoint: str | None = None, token: str | bool | None = None) -> HfApi:
    """An HfApi for ``endpoint`` (default ``$HF_ENDPOINT`` or the real Hub) using hubmine's client."""
    return HfApi(endpoint=hub_endpoint(endpoint), token=token)


class EndpointError(HubmineError):
    """The endpoint is not a URL, cannot be reached, or answers but not as the Hub API."""


def check_endpoint(endpoint: str | None = None, token: str | bool | None = None) -> str:
    """Ask ``endpoint`` (default ``$HF_ENDPOINT`` or the real Hub) for one model, once, within
    ``CHECK_TIMEOUT`` seconds; return it when it answers as the Hub API, else raise EndpointError
    naming the URL and what answered. A 429 or 5xx is the Hub, busy: the crawl's retries wait it out."""
    url = hub_endpoint(endpoint)
    where = "--endpoint or HF_ENDPOINT"
    try:
        parsed = httpx2.URL(url)
    except (httpx2.InvalidURL, ValueError):
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise EndpointError(f"the endpoint {url!r} is not an http(s) URL: give the Hub's address, e.g. "
                            f"https://huggingface.co ({where})")
    probe = f"{url}/api/models"
    try:
        answer = get_session().get(probe, params={"limit": 1}, headers=build_hf_headers(token=token),
                                   timeout=CHECK_TIMEOUT)
    except httpx2.TimeoutException:
        raise EndpointError(f"{url} did not answer within {CHECK_TIMEOUT:g} s: check the address ({where}) "
                            "and the network") from None
    except httpx2.TransportError as exc:
        what = "refused the connection" if isinstance(exc, httpx2.ConnectError) else f"failed: {exc}"
        raise EndpointError(f"{url} {what}: check the address ({where}) and that the Hub (or `hubmine hub "
                            "serve`) is running there") from None
    status, kind = answer.status_code, answer.headers.get("content-type", "").split(";")[0].strip() or "no type"
    if status in (401, 403):
        raise EndpointError(f"{probe} answered HTTP {status}: the token was refused; check HF_TOKEN")
    if status == 429 or status >= 500 or (status == 200 and kind.endswith("json") and _is_list(answer)):
        return url
    path = ", without the /api/... path" if "/api" in parsed.path else ""
    raise EndpointError(f"{probe} answered HTTP {status} ({kind}), not as the Hub API: give the Hub's root "
                        f"address, e.g. https://huggingface.co{path} ({where})")


def _is_list(answer: httpx2.Response) -> bool:
    try:
        return isinstance(answer.json(), list)
    except ValueError:
        return False
