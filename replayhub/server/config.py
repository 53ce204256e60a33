"""The switches a replay hub run sets (``HubConfig``) and the counters it keeps (``HubStats``).
(Which bucket a path counts against is ``miners.tiers.bucket_of``, shared with the client.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from miners.tiers import BUCKETS, RATE_LIMIT_PRESETS, WINDOW_SECONDS
from replayhub.server.faults import FaultRates


@dataclass
class HubConfig:
    """Stress switches. ``latency_ms`` and ``error_rate`` take one value for every bucket or a dict per bucket.

    ``faults`` maps a fault kind (``replayhub.server.faults.FAULT_KINDS``) to its rate, one value for
    every bucket or a dict per bucket; which requests get which fault is a function of ``seed``,
    ``run_label`` and the requests themselves, so the same config replays the same faults.
    ``stall_seconds`` is how long a ``timeout`` fault keeps the client waiting before the server
    hangs up: set it above the client's read timeout. ``score_drift``: how far each model's
    trendingScore (and, ten times that, its downloads) moves per listing request
    (``replayhub.server.keyset.ScoreDrift``), as on the real Hub during a long walk; 0: not at all.
    ``link_base``: the scheme://host:port next-page links point at instead of this hub's own (a
    hostile or misconfigured Hub sending clients elsewhere); None: the request's own.
    """

    latency_ms: float | dict[str, float] = 0
    rate_limits: dict[str, int] = field(default_factory=dict)
    window_seconds: float = WINDOW_SECONDS
    error_rate: float | dict[str, float] = 0.0
    seed: int = 0
    request_log: Path | None = None
    filler_cap_bytes: int = 1 << 20
    faults: FaultRates = field(default_factory=dict)
    run_label: str = ""
    stall_seconds: float = 90.0
    drip_seconds: float = 2.0  # a ``drip`` fault's pause between two bytes of the body
    score_drift: float = 0.0
    link_base: str | None = None

    def for_bucket(self, name: str, bucket: str) -> float:
        value = getattr(self, name)
        return float(value.get(bucket, 0) if isinstance(value, dict) else value)


@dataclass(frozen=True)
class HubStats:
    """A copy of the request counters at one moment."""

    total: int
    by_bucket: dict[str, int]
    by_status: dict[int, int]
    by_bucket_status: dict[tuple[str, int], int]

    def count(self, bucket: str | None = None, status: int | None = None) -> int:
        return sum(n for (b, s), n in self.by_bucket_status.items()
                   if (bucket is None or b == bucket) and (status is None or s == status))


def parse_rate_limit(text: str) -> dict[str, int]:
    """``"api=500,resolvers=3000"`` -> ``{"api": 500, "resolvers": 3000}``; also a preset name
    (``anonymous``, ``free``, ``pro``) or an empty string (no limits)."""
    text = text.strip()
    if text.lower() in RATE_LIMIT_PRESETS:
        return dict(RATE_LIMIT_PRESETS[text.lower()])
    limits: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        bucket, sep, value = part.partition("=")
        bucket = bucket.strip()
        if not sep or bucket not in BUCKETS:
            raise ValueError(f"rate limit {part!r}: expected BUCKET=N with BUCKET one of {', '.join(BUCKETS)}")
        try:
            limits[bucket] = int(value)
        except ValueError:
            raise ValueError(f"rate limit {part!r}: {value.strip()!r} is not a whole number") from None
        if limits[bucket] < 0:
            raise ValueError(f"rate limit {part!r}: must be >= 0")
    return limits
