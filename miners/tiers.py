"""The real Hub's rate limits: its request buckets, which bucket a path counts against, and the
published limit of each account tier.

The Hub counts requests per bucket in fixed 5-minute windows (see ../shared/DESIGN.md section 3).
The client paces itself with these numbers (Airflow pools, ``hubmine.tasks``); the replay hub
imitates the same limits (``hub serve --rate-limit free``), so both take them from here.
"""

BUCKETS = ("api", "resolvers", "pages")
WINDOW_SECONDS = 300

RATE_LIMIT_PRESETS: dict[str, dict[str, int]] = {
    "anonymous": {"api": 500, "resolvers": 3000, "pages": 100},
    "free": {"api": 1000, "resolvers": 5000, "pages": 200},
    "pro": {"api": 2500, "resolvers": 12000, "pages": 400},
}

# Where the Hub sends a regular file's /resolve/ request (a relative 307); the real Hub counts it,
# like the /resolve/ request itself, in the resolvers bucket (its RateLimit header says "resolvers").
RESOLVE_CACHE_PREFIX = "/api/resolve-cache/"


def bucket_of(path: str) -> str:
    """The Hub's rate-limit bucket of a request path."""
    if path.startswith(RESOLVE_CACHE_PREFIX):
        return "resolvers"
    if path.startswith("/api/"):
        return "api"
    return "resolvers" if "/resolve/" in path else "pages"
