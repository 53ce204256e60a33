"""The replay hub's fixed-window rate limiter and the Hub's ``RateLimit`` headers it answers with.

Windows are aligned to server start, one counter per request bucket (``miners.tiers.bucket_of``); the
limits per bucket are a run's ``HubConfig.rate_limits`` (presets in ``miners.tiers``).
"""

from __future__ import annotations

import math
import threading
import time


class RateLimiter:
    """Fixed windows aligned to server start, one counter per bucket.

    A bucket can also be declared spent for the rest of its current window (an injected 429):
    it then refuses every request until the window resets, whether or not it has a limit.
    """

    def __init__(self, limits: dict[str, int], window: float):
        self.limits = dict(limits)
        self.window = float(window)
        if self.window <= 0:
            raise ValueError("window_seconds must be > 0")
        self.start = time.monotonic()
        self.start_wall = time.time() - (time.monotonic() - self.start)
        self.lock = threading.Lock()
        self.counts: dict[str, tuple[int, int]] = {}  # bucket -> (window index, requests in it)
        self.spent: dict[str, int] = {}  # bucket -> window index declared spent

    def _now(self) -> tuple[int, int, float]:
        elapsed = time.monotonic() - self.start
        index = int(elapsed // self.window)
        end = (index + 1) * self.window
        return index, max(1, math.ceil(end - elapsed)), self.start_wall + end

    def _headers(self, bucket: str, remaining: int, reset: int) -> list[tuple[str, str]]:
        headers = [("RateLimit", f'"{bucket}";r={max(0, remaining)};t={reset}')]
        limit = self.limits.get(bucket)
        if limit is not None:
            headers.append(("RateLimit-Policy", f'"fixed window";"{bucket}";q={limit};w={math.ceil(self.window)}'))
        return headers

    def hit(self, bucket: str) -> tuple[list[tuple[str, str]], bool, float]:
        """(headers for the answer, whether the request is over the limit, when the window resets as epoch seconds)."""
        limit = self.limits.get(bucket)
        index, reset, reset_at = self._now()
        with self.lock:
            spent = self.spent.get(bucket) == index
            if limit is None and not spent:
                return [], False, reset_at
            seen_index, count = self.counts.get(bucket, (index, 0))
            count = count + 1 if seen_index == index else 1
            self.counts[bucket] = (index, count)
        over = spent or count > (limit or 0)
        headers = self._headers(bucket, 0 if spent else (limit or 0) - count, reset)
        if over:
            headers.append(("Retry-After", str(reset)))
        return headers, over, reset_at

    def exhaust(self, bucket: str) -> tuple[list[tuple[str, str]], float]:
        """Declare the bucket's current window spent; the 429 headers to answer with, and the reset time."""
        index, reset, reset_at = self._now()
        with self.lock:
            self.spent[bucket] = index
        return self._headers(bucket, 0, reset) + [("Retry-After", str(reset))], reset_at
