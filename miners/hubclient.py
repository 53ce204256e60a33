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
``HUBMINE_RETRY_CAP_SECONDS`` (longest backoff; default 30).
"""

from __future__ import annotations

import os
from dataclasses import replace

import httpx2
from huggingface_hub import HfApi
from huggingface_hub.utils import set_client_factory
from huggingface_hub.utils._http import hf_request_event_hook

from core.config import hub_endpoint
from miners.resilience import (
    BucketPacer,
    RequestStats,
    ResilientTransport,
    RetriesExhausted,
    RetryPolicy,
    bucket_of,
    resilient,
)

__all__ = ["PACER", "STATS", "RequestStats", "RetriesExhausted", "RetryPolicy", "bucket_of", "configure",
           "hub_api", "resilient"]

CONNECT_TIMEOUT = 10.0


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


DEFAULT_READ_TIMEOUT = _env_float("HUBMINE_HTTP_TIMEOUT", 60.0)
_read_timeout = DEFAULT_READ_TIMEOUT
_policy = RetryPolicy(attempts=int(_env_float("HUBMINE_RETRY_ATTEMPTS", RetryPolicy.attempts)),
                      base_seconds=_env_float("HUBMINE_RETRY_BASE_SECONDS", RetryPolicy.base_seconds),
                      cap_seconds=_env_float("HUBMINE_RETRY_CAP_SECONDS", RetryPolicy.cap_seconds))

STATS = RequestStats()
PACER = BucketPacer()


def _client() -> httpx2.Client:
    timeout = httpx2.Timeout(_read_timeout, connect=min(CONNECT_TIMEOUT, _read_timeout))
    transport = ResilientTransport(httpx2.HTTPTransport(), pacer=PACER, stats=STATS, policy=lambda: _policy,
                                   timeout=timeout)
    return httpx2.Client(
        transport=transport,
        event_hooks={"request": [hf_request_event_hook]},
        follow_redirects=True,
        timeout=timeout,
    )


set_client_factory(_client)


def configure(*, timeout: float | None = None, attempts: int | None = None, base_seconds: float | None = None,
              cap_seconds: float | None = None) -> RetryPolicy:
    """Change the read timeout and retry policy of this process (tests shorten them). Returns the policy."""
    global _read_timeout, _policy
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
