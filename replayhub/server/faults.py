"""Deterministic fault injection for the replay hub.

Each request that gets past the rate limiter draws at most one fault. The draw is a hash of
(seed, run label, method, request target, how many times this hub has drawn for that same target),
not a shared random stream, so that the same config and the same requests give the same faults
whatever order concurrent client threads happen to send them in: the n-th attempt at a given URL
meets the same fate on every run. A retry is a new occurrence and draws again, so a 5% fault rate
means a request needs a second attempt about once in twenty, a third once in four hundred.

Kinds (``FAULT_KINDS``):
- ``429``: the bucket's current window is declared spent: a 429 with ``RateLimit: r=0``,
  ``RateLimit-Policy`` (when the bucket has a limit) and ``Retry-After``; every request to that
  bucket is refused until the window resets, as on the Hub when someone else used the quota.
- ``5xx``: 500, 502, 503 or 504 with a JSON error body.
- ``reset``: the connection is closed (RST) without any response.
- ``timeout``: the server stalls ``stall_seconds`` (longer than the client's read timeout) and
  then closes the connection without a response.
- ``truncated``: a 200 whose body is cut short, with a ``Content-Length`` that matches the cut
  body (so only the content gives it away: invalid JSON, a file whose hash is not its ETag).
  Applies only to responses that have a body.
- ``broken_link``: a listing page (models, commits, tree) whose ``Link`` header is garbage:
  unparseable, or a ``next`` URL with the wrong path or without the query's parameters.
  Applies only to listing endpoints.
- ``drip``: a 200 whose headers come at once and whose body then trickles, one byte every
  ``HubConfig.drip_seconds`` (2 s by default): no read ever waits long enough for a read timeout,
  so only an overall deadline per request gets the client out. Applies only to GET answers with a
  body. Not part of ``all`` (``SLOW_KINDS``): each hit costs a client its whole deadline.
A kind drawn for a request it does not apply to leaves that request alone. ``429``, ``5xx``,
``reset`` and ``timeout`` replace the answer (``app.py``); ``truncated`` and ``broken_link`` spoil
a good one (:func:`spoil`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from urllib.parse import urlencode

from replayhub.server.protocol import Params, Response

FAULT_KINDS = ("429", "5xx", "reset", "timeout", "truncated", "broken_link")  # what ``all`` covers
SLOW_KINDS = ("drip",)
KINDS = FAULT_KINDS + SLOW_KINDS
_ALIASES = {"broken-link": "broken_link", "link": "broken_link", "truncate": "truncated", "500": "5xx"}
SERVER_ERRORS = (500, 502, 503, 504)

FaultRates = dict[str, float | dict[str, float]]


def parse_faults(text: str, buckets: tuple[str, ...]) -> FaultRates:
    """``"429=0.01,api.timeout=0.02,resolvers.5xx=0.03"`` -> rates per kind (a float for every
    bucket, or a dict per bucket). Also ``all=R``: R split evenly over the six kinds."""
    rates: FaultRates = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        key = key.strip()
        try:
            rate = float(value)
        except ValueError:
            raise ValueError(f"fault {part!r}: {value.strip()!r} is not a number") from None
        if not sep or not 0 <= rate <= 1:
            raise ValueError(f"fault {part!r}: expected [BUCKET.]KIND=RATE with 0 <= RATE <= 1")
        bucket, dot, kind = key.rpartition(".")
        kind = _ALIASES.get(kind, kind)
        if dot and bucket not in buckets:
            raise ValueError(f"fault {part!r}: unknown bucket {bucket!r}; expected one of {', '.join(buckets)}")
        kinds = FAULT_KINDS if kind == "all" else (kind,)
        if kind != "all" and kind not in KINDS:
            raise ValueError(f"fault {part!r}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        for k in kinds:
            share = rate / len(kinds)
            if not dot:
                rates[k] = share
            else:
                current = rates.get(k)
                per_bucket = dict(current) if isinstance(current, dict) else \
                    {b: float(current) for b in buckets} if current else {}
                per_bucket[bucket] = share
                rates[k] = per_bucket
    return rates


def rate_of(rates: FaultRates, kind: str, bucket: str) -> float:
    value = rates.get(kind, 0.0)
    return float(value.get(bucket, 0.0) if isinstance(value, dict) else value)


class FaultPlan:
    """Which fault (if any) the n-th draw for a request target gets; thread-safe."""

    def __init__(self, rates: FaultRates, *, seed: int = 0, label: str = ""):
        unknown = set(rates) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; expected {', '.join(KINDS)}")
        self.rates = rates
        self.prefix = f"{seed}\0{label}\0".encode()
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.enabled = any(rate_of(rates, k, b) > 0 for k in rates for b in ("api", "resolvers", "pages"))

    def draw(self, bucket: str, method: str, target: str) -> tuple[str | None, int]:
        """(fault kind or None, a stable 64-bit number for the fault's details)."""
        if not self.enabled:
            return None, 0
        key = f"{method} {target}"
        with self._lock:
            n = self._seen[key]
            self._seen[key] = n + 1
        digest = hashlib.blake2b(self.prefix + f"{key}\0{n}".encode(), digest_size=16).digest()
        u = int.from_bytes(digest[:8], "big") / 2**64
        detail = int.from_bytes(digest[8:], "big")
        edge = 0.0
        for kind in KINDS:  # the slow kinds last: adding them moved no other kind's draws
            edge += rate_of(self.rates, kind, bucket)
            if u < edge:
                return kind, detail
        return None, detail


def drips(response: Response, fault: str | None, method: str) -> bool:
    """Whether a drawn ``drip`` fault applies to this answer (a good GET answer with a body)."""
    return fault == "drip" and method == "GET" and response.status == 200 and len(response.body) > 1


def spoil(response: Response, fault: str | None, detail: int, method: str, base_url: str, path: str,
          params: Params) -> bool:
    """Spoil a good answer with a ``truncated`` or ``broken_link`` fault; False when it does not apply."""
    if fault is None or response.status != 200:
        return False
    if fault == "truncated":
        if method != "GET" or len(response.body) < 2:
            return False
        # Cut somewhere in the middle; Content-Length will match the cut body, so nothing but
        # the content itself can tell.
        keep = max(1, min(len(response.body) - 1, len(response.body) * (1 + detail % 9) // 10))
        response.body = response.body[:keep]
        return True
    if fault == "broken_link":
        if not response.listing:
            return False
        good = next((v for k, v in response.headers if k == "Link"), None)
        url = good[1:good.index(">")] if good else f"{base_url}{path}?{urlencode(params.pairs + [('cursor', 'x')])}"
        elsewhere = f'<{base_url}/api/oops{url[len(base_url) + len(path):]}>; rel="next"'
        kept = [(k, v) for k, v in params.pairs if k not in ("cursor", "p")]
        variants = [
            f"hubmine-garbage-{detail:x}",  # no URL at all
            f"<{url}",                      # cut before '>'
            f'<{url}>; rel="nxt"',          # no rel="next"
            elsewhere,                      # another path
            # the query's own parameters dropped (e.g. every expand=): where there are none, another path
            f'<{base_url}{path}?cursor=x>; rel="next"' if kept else elsewhere,
        ]
        response.headers = [(k, v) for k, v in response.headers if k != "Link"]
        response.headers.append(("Link", variants[detail % len(variants)]))
        return True
    return False
