"""Serving a snapshot over HTTP as the Hub does, with switchable rate limits, latency and faults."""

from miners.tiers import BUCKETS
from replayhub.server.app import LIST_KEYS, HubConfig, HubStats, ReplayHub, parse_rate_limit, serve_forever
from replayhub.server.faults import FAULT_KINDS, FaultPlan, parse_faults

__all__ = ["BUCKETS", "FAULT_KINDS", "LIST_KEYS", "FaultPlan", "HubConfig", "HubStats", "ReplayHub",
           "parse_faults", "parse_rate_limit", "serve_forever"]
