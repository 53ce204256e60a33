"""Serving a snapshot over HTTP as the Hub does, with switchable rate limits, latency and faults.

Unmodified ``huggingface_hub`` calls work against it (``HfApi(endpoint=hub.url)``): ``list_models``,
``model_info``, ``list_repo_commits``, ``list_repo_tree``, ``list_repo_refs`` and ``hf_hub_download``.

- ``config``: the switches a run sets (``HubConfig``, ``parse_rate_limit``) and the counters (``HubStats``);
- ``limits``: the fixed-window rate limiter and the Hub's ``RateLimit`` headers;
- ``faults``: deterministic faults (which request gets which, and how a good answer is spoiled);
- ``protocol``: a request and its answer as the endpoints see them;
- ``routes``: the endpoints (listing with keyset cursors, model_info, commits, tree, refs, resolve);
- ``app``: ``ReplayHub`` (start/stop, stats), the HTTP server and its request handler, ``serve_forever``.
"""

from miners.tiers import BUCKETS
from replayhub.server.app import ReplayHub, serve_forever
from replayhub.server.config import HubConfig, HubStats, parse_rate_limit
from replayhub.server.faults import FAULT_KINDS, FaultPlan, parse_faults
from replayhub.server.routes import LIST_KEYS

__all__ = ["BUCKETS", "FAULT_KINDS", "LIST_KEYS", "FaultPlan", "HubConfig", "HubStats", "ReplayHub",
           "parse_faults", "parse_rate_limit", "serve_forever"]
