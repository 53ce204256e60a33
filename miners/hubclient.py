"""The one place that configures how huggingface_hub talks to the Hub for hubmine.

huggingface_hub's default HTTP client has no timeout at all, so one stalled connection would hang a
daily crawl forever; and a crawler needs to know how many requests it spent per rate-limit bucket
(API, resolvers) and what the Hub's ``RateLimit`` headers said. Both come from installing our own
client factory through the library's public ``set_client_factory`` hook. The same hook paces
requests per bucket when a process is given a share of the Hub's rate limit (``PACER``).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx2
from huggingface_hub import HfApi
from huggingface_hub.utils import parse_ratelimit_headers, set_client_factory
from huggingface_hub.utils._http import hf_request_event_hook

from hubmine.config import hub_endpoint

TIMEOUT = httpx2.Timeout(60.0, connect=10.0)


def bucket_of(path: str) -> str:
    """The Hub's rate-limit bucket of a request path."""
    if "/resolve/" in path:
        return "resolvers"
    return "api" if path.startswith("/api/") else "pages"


@dataclass
class RequestStats:
    """Requests sent through huggingface_hub since the last reset, per bucket and per status."""

    by_bucket: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)
    last_ratelimit: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, response: httpx2.Response) -> None:
        bucket = bucket_of(response.request.url.path)
        info = parse_ratelimit_headers(response.headers)
        with self._lock:
            self.by_bucket[bucket] += 1
            self.by_status[response.status_code] += 1
            if info is not None:
                self.last_ratelimit[bucket] = info

    def reset(self) -> None:
        with self._lock:
            self.by_bucket.clear()
            self.by_status.clear()
            self.last_ratelimit.clear()

    @property
    def total(self) -> int:
        return sum(self.by_bucket.values())


STATS = RequestStats()


class Pacer:
    """Spaces out the starts of requests per rate-limit bucket, across all threads of the process.

    The Hub counts requests per bucket in fixed 5-minute windows. A process that may spend R
    requests a second on a bucket starts one request every 1/R s there, so it stays under R·300 a
    window however many worker threads it runs. Off (no pacing) for a bucket without a rate.
    """

    def __init__(self) -> None:
        self._interval: dict[str, float] = {}
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def set_rate(self, bucket: str, per_second: float | None) -> None:
        with self._lock:
            if per_second:
                self._interval[bucket] = 1.0 / per_second
            else:
                self._interval.pop(bucket, None)
            self._next.pop(bucket, None)

    def rates(self) -> dict[str, float]:
        with self._lock:
            return {bucket: 1.0 / interval for bucket, interval in self._interval.items()}

    def __call__(self, request: httpx2.Request) -> None:
        bucket = bucket_of(request.url.path)
        with self._lock:
            interval = self._interval.get(bucket)
            if interval is None:
                return
            now = time.monotonic()
            start = max(now, self._next.get(bucket, now))
            self._next[bucket] = start + interval
        if start > now:
            time.sleep(start - now)


PACER = Pacer()


def _client() -> httpx2.Client:
    return httpx2.Client(
        event_hooks={"request": [PACER, hf_request_event_hook], "response": [STATS.record]},
        follow_redirects=True,
        timeout=TIMEOUT,
    )


set_client_factory(_client)


def hub_api(endpoint: str | None = None, token: str | bool | None = None) -> HfApi:
    """An HfApi for ``endpoint`` (default ``$HF_ENDPOINT`` or the real Hub) using hubmine's client."""
    return HfApi(endpoint=hub_endpoint(endpoint), token=token)
