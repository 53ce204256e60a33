"""The replay hub: a local HTTP imitation of the Hugging Face Hub API over a snapshot directory.

Unmodified ``huggingface_hub`` calls work against it (``HfApi(endpoint=hub.url)``): ``list_models``,
``model_info``, ``list_repo_commits``, ``list_repo_tree``, ``list_repo_refs`` and ``hf_hub_download``.
It can also misbehave on purpose, per request bucket (``api``, ``resolvers``, ``pages``, as the Hub
counts them): added latency, fixed-window rate limits answered with a real 429 and the Hub's
``RateLimit`` headers, random 500s from a seeded RNG, and deterministic faults (injected 429s, 5xx,
connection resets, read timeouts, truncated bodies, broken ``Link`` headers; see ``faults.py``).

Built on ``http.server`` rather than a framework because fault injection needs the raw socket, and
because every response is written in one piece with an exact ``Content-Length`` (keep-alive clients
depend on it).

Content served for files (``/{repo}/resolve/{rev}/{path}``): a small file's recorded blob; when no
blob is recorded, or for LFS files (never stored), deterministic filler bytes, at most
``HubConfig.filler_cap_bytes``. ``X-Linked-Size`` always carries an LFS file's real size, so
``hf_hub_download`` of an LFS file larger than the cap fails its size check; everything smaller,
and every non-LFS file, downloads fine.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import json
import math
import random
import socket
import struct
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from miners.tiers import BUCKETS, RATE_LIMIT_PRESETS, WINDOW_SECONDS
from replayhub.server.faults import SERVER_ERRORS, FaultPlan, FaultRates
from replayhub.snapshot import SnapshotError, SnapshotReader, StoredCommit, parse_info

EXPAND_PROPERTIES = frozenset({
    "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled", "downloads",
    "downloadsAllTime", "evalResults", "gated", "gguf", "inference", "inferenceProviderMapping", "lastModified",
    "library_name", "likes", "mask_token", "model-index", "pipeline_tag", "private", "resourceGroup",
    "safetensors", "sha", "siblings", "spaces", "tags", "transformersInfo", "trendingScore", "usedStorage",
    "widgetData",
})
# The Hub computes these per repo and refuses them in listings.
LIST_EXPAND_REJECTED = frozenset({"baseModels", "childrenModelCount", "usedStorage"})

LIST_KEYS = ("_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag",
             "library_name", "createdAt", "modelId")
FULL_EXTRA_KEYS = ("author", "sha", "lastModified", "gated", "disabled", "cardData", "siblings")

SORT_COLUMNS = {
    "downloads": "downloads",
    "likes": "likes",
    "createdAt": "created_at",
    "created_at": "created_at",
    "lastModified": "last_modified",
    "last_modified": "last_modified",
    "trendingScore": "trending_score",
    "trending_score": "trending_score",
}

LIST_PAGE_MAX = 1000
COMMITS_PAGE = 50
TREE_PAGE = 1000
TREE_PAGE_EXPANDED = 50  # the Hub's page size when each entry carries its last commit

_JSON = "application/json; charset=utf-8"


@dataclass
class HubConfig:
    """Stress switches. ``latency_ms`` and ``error_rate`` take one value for every bucket or a dict per bucket.

    ``faults`` maps a fault kind (``replayhub.server.faults.FAULT_KINDS``) to its rate, one value for
    every bucket or a dict per bucket; which requests get which fault is a function of ``seed``,
    ``run_label`` and the requests themselves, so the same config replays the same faults.
    ``stall_seconds`` is how long a ``timeout`` fault keeps the client waiting before the server
    hangs up: set it above the client's read timeout.
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


def bucket_of(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if "/resolve/" in path:
        return "resolvers"
    return "pages"


class HubError(Exception):
    """An error answer: status, ``{"error": message}`` body, optional ``X-Error-Code``."""

    def __init__(self, status: int, message: str, code: str | None = None,
                 headers: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or []


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str = _JSON
    headers: list[tuple[str, str]] = field(default_factory=list)
    listing: bool = False  # a paginated listing page (models, commits, tree): broken Link faults apply


def _json_response(value: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> _Response:
    body = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    return _Response(status, body, headers=headers or [])


def _error_response(error: HubError) -> _Response:
    headers = list(error.headers)
    if error.code:
        headers.append(("X-Error-Code", error.code))
    return _json_response({"error": error.message}, error.status, headers)


class _Params:
    """Query parameters in their original order (the next-page link must carry all of them)."""

    def __init__(self, query: str):
        self.pairs = parse_qsl(query, keep_blank_values=True)

    def get(self, name: str) -> str | None:
        values = self.getall(name)
        return values[-1] if values else None

    def getall(self, *names: str) -> list[str]:
        return [v for k, v in self.pairs if k in names]

    def flag(self, name: str) -> bool:
        return (self.get(name) or "").lower() in ("1", "true", "yes")

    def integer(self, name: str, default: int, minimum: int = 0) -> int:
        raw = self.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise HubError(400, f"'{name}' must be an integer, got {raw!r}") from None
        if value < minimum:
            raise HubError(400, f"'{name}' must be >= {minimum}, got {value}")
        return value

    def as_log(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in self.pairs:
            if k in out:
                out[k] = (out[k] if isinstance(out[k], list) else [out[k]]) + [v]
            else:
                out[k] = v
        return out


def _encode_token(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _decode_token(token: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, TypeError):
        raise HubError(400, f"invalid cursor {token!r}") from None


def _snapshot_tag(reader: SnapshotReader) -> str:
    """Which snapshot a listing cursor was issued by. A cursor holds everything needed to continue
    (sort key and position of the last model served), so any process serving the same snapshot
    honours it; but a position in one day's listing order means nothing in another day's (models
    come and go, sort keys move), so a cursor from another snapshot is refused, not followed."""
    meta = reader.meta
    ident = json.dumps([meta.get("source"), meta.get("snapshot_time"), meta.get("models")])
    return hashlib.sha1(ident.encode()).hexdigest()[:12]


def _object_id(repo_id: str) -> str:
    return hashlib.sha1(repo_id.encode()).hexdigest()[:24]


class _RateLimiter:
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


class ReplayHub:
    """Serves a snapshot directory over HTTP from a daemon thread; use as a context manager."""

    def __init__(self, snapshot_dir: str | Path, *, host: str = "127.0.0.1", port: int = 0,
                 config: HubConfig | None = None):
        self.snapshot_dir = Path(snapshot_dir)
        SnapshotReader(self.snapshot_dir).close()  # fail now, not on the first request
        self.host = host
        self.port = port
        self.config = config or HubConfig()
        self._local = threading.local()
        self._server: _HubServer | None = None
        self._thread: threading.Thread | None = None
        self._limiter = _RateLimiter(self.config.rate_limits, self.config.window_seconds)
        self._rng = random.Random(self.config.seed)
        self.faults = FaultPlan(self.config.faults, seed=self.config.seed, label=self.config.run_label)
        self._stopping = threading.Event()
        self._rng_lock = threading.Lock()
        self._stats_lock = threading.Lock()
        self._counts: Counter[tuple[str, int]] = Counter()
        self._log_lock = threading.Lock()
        self._log = None
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()

    # -- lifecycle

    def start(self) -> ReplayHub:
        if self._server is not None:
            return self
        if self.config.request_log is not None:
            path = Path(self.config.request_log)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._log = path.open("a", encoding="utf-8")
        self._limiter = _RateLimiter(self.config.rate_limits, self.config.window_seconds)
        self._stopping.clear()
        self._server = _HubServer((self.host, self.port), _Handler, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name=f"replay-hub:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes handlers stalled by a timeout fault
        self._server.shutdown()
        self._server.server_close()
        # Idle keep-alive connections would otherwise keep their threads (and SQLite handles) alive.
        with self._conn_lock:
            for conn in list(self._connections):
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._log_lock:
            if self._log is not None:
                self._log.close()
                self._log = None

    def __enter__(self) -> ReplayHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def stats(self) -> HubStats:
        with self._stats_lock:
            counts = dict(self._counts)
        by_bucket: Counter[str] = Counter()
        by_status: Counter[int] = Counter()
        for (bucket, status), n in counts.items():
            by_bucket[bucket] += n
            by_status[status] += n
        return HubStats(sum(counts.values()), dict(by_bucket), dict(by_status), counts)

    def reset_stats(self) -> None:
        with self._stats_lock:
            self._counts.clear()

    # -- used by handler threads

    def reader(self) -> SnapshotReader:
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._local.reader = SnapshotReader(self.snapshot_dir)
        return reader

    def release_reader(self) -> None:
        reader = getattr(self._local, "reader", None)
        if reader is not None:
            reader.close()
            self._local.reader = None

    def inject_error(self, bucket: str) -> bool:
        rate = self.config.for_bucket("error_rate", bucket)
        if rate <= 0:
            return False
        with self._rng_lock:
            return self._rng.random() < rate

    def record(self, method: str, path: str, params: _Params, status: int, bucket: str, latency_ms: float,
               *, authorized: bool = False, **extra: Any) -> None:
        """Count and log one answer. ``status`` 0 means the connection was dropped without one.
        ``authorized``: whether the request carried a token (logged as ``auth``; never the token:
        the Hub's limits depend on it). ``extra``: ``arrived`` (epoch seconds the request came in),
        ``conn`` (client port), ``fault`` (injected fault kind), ``reset_at`` (for a 429: epoch
        seconds its window resets)."""
        with self._stats_lock:
            self._counts[(bucket, status)] += 1
        if self._log is None:
            return
        line = json.dumps({
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": method, "path": path, "query": params.as_log(), "status": status, "bucket": bucket,
            "latency_ms": round(latency_ms, 3), "done": round(time.time(), 6),
            # Whether a token was sent (never the token): the Hub's limits depend on it.
            "auth": authorized,
            **{k: round(v, 6) if isinstance(v, float) else v for k, v in extra.items() if v is not None},
        }, ensure_ascii=False)
        with self._log_lock:
            if self._log is not None:
                self._log.write(line + "\n")
                self._log.flush()


class _HubServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type, hub: ReplayHub):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)
        self.hub = hub

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client went away (or the hub is stopping): nothing to report
        super().handle_error(request, client_address)


def serve_forever(snapshot_dir: str | Path, *, host: str = "127.0.0.1", port: int = 0,
                  config: HubConfig | None = None) -> None:
    """Serve until interrupted (the CLI's ``hub serve``); prints the URL first."""
    hub = ReplayHub(snapshot_dir, host=host, port=port, config=config)
    hub.start()
    print(f"replay hub serving {hub.snapshot_dir} at {hub.url}", flush=True)
    try:
        while hub._thread is not None and hub._thread.is_alive():
            hub._thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hubmine-replay-hub"
    sys_version = ""
    disable_nagle_algorithm = True
    server: _HubServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.hub._conn_lock:
            self.server.hub._connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            hub = self.server.hub
            with hub._conn_lock:
                hub._connections.discard(self.connection)
            hub.release_reader()

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # -- plumbing

    def _dispatch(self, method: str) -> None:
        started = time.perf_counter()
        arrived = time.time()
        hub = self.server.hub
        split = urlsplit(self.path)
        path = split.path or "/"
        params = _Params(split.query)
        bucket = bucket_of(path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > 0:
            self.rfile.read(length)  # keep the connection usable
        limit_headers: list[tuple[str, str]] = []
        fault: str | None = None
        reset_at: float | None = None
        extra: dict[str, Any] = {"arrived": arrived, "conn": self.client_address[1],
                                 "authorized": self.headers.get("Authorization") is not None}
        try:
            latency = hub.config.for_bucket("latency_ms", bucket)
            if latency > 0:
                time.sleep(latency / 1000)
            limit_headers, over, window_reset = hub._limiter.hit(bucket)
            if over:
                reset_at = window_reset
                raise HubError(429, f"You have exceeded the '{bucket}' rate limit of this replay hub; retry after "
                                    f"{dict(limit_headers)['Retry-After']} seconds.")
            if hub.inject_error(bucket):
                raise HubError(500, "Internal Error (injected by the replay hub)")
            # Drawn only for requests the limiter let through, so that time-dependent 429s do not
            # shift which attempt of a URL gets which fault.
            fault, detail = hub.faults.draw(bucket, method, self.path)
            if fault == "429":
                limit_headers, reset_at = hub._limiter.exhaust(bucket)
                raise HubError(429, f"You have exceeded the '{bucket}' rate limit (injected by the replay hub); "
                                    f"retry after {dict(limit_headers)['Retry-After']} seconds.")
            if fault == "5xx":
                raise HubError(SERVER_ERRORS[detail % len(SERVER_ERRORS)], "Server error (injected by the replay hub)")
            if fault in ("reset", "timeout"):
                hub.record(method, path, params, 0, bucket, (time.perf_counter() - started) * 1000,
                           fault=fault, **extra)
                self._hang_up(hub.config.stall_seconds if fault == "timeout" else 0)
                return
            if method not in ("GET", "HEAD"):
                raise HubError(405, f"method {method} is not supported by the replay hub: {path}")
            response = self._route(hub.reader(), path, params)
            if not _apply_fault(response, fault, detail, method, self._base_url(), path, params):
                fault = None  # drawn, but this answer has nothing it applies to
        except HubError as exc:
            response = _error_response(exc)
        except SnapshotError as exc:
            response = _error_response(HubError(500, str(exc)))
        except Exception as exc:  # a bug here must still answer, or the client hangs on keep-alive
            traceback.print_exc(file=sys.stderr)
            response = _error_response(HubError(500, f"replay hub internal error: {exc!r}"))
        if fault in ("truncated", "broken_link") and response.status != 200:
            fault = None  # the route answered an error of its own; the fault had nothing to spoil
        response.headers.extend(limit_headers)
        # Recorded before the write: a client that has its answer must find it in the log and counters.
        hub.record(method, path, params, response.status, bucket, (time.perf_counter() - started) * 1000,
                   fault=fault, reset_at=reset_at if response.status == 429 else None, **extra)
        self._send(response, head_only=method == "HEAD")

    def _hang_up(self, stall: float) -> None:
        """Close the connection without an answer, after ``stall`` seconds; with SO_LINGER 0 the
        close is a reset (RST), as when a proxy or load balancer drops a connection."""
        if stall > 0:
            self.server.hub._stopping.wait(stall)
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True

    def _send(self, response: _Response, *, head_only: bool) -> None:
        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = ""
        lines = [f"HTTP/1.1 {response.status} {phrase}", f"Server: {self.server_version}",
                 f"Date: {self.date_time_string()}", f"Content-Type: {response.content_type}",
                 f"Content-Length: {len(response.body)}"]
        lines += [f"{k}: {v}" for k, v in response.headers]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        self.wfile.write(head if head_only else head + response.body)

    def _base_url(self) -> str:
        host = self.headers.get("Host") or f"{self.server.hub.host}:{self.server.hub.port}"
        return f"http://{host}"

    def _next_link(self, path: str, params: _Params, key: str, value: str) -> tuple[str, str]:
        pairs = [(k, v) for k, v in params.pairs if k != key] + [(key, value)]
        return ("Link", f'<{self._base_url()}{path}?{urlencode(pairs)}>; rel="next"')

    # -- routing

    def _route(self, reader: SnapshotReader, path: str, params: _Params) -> _Response:
        raw = path.split("/")[1:]
        if raw and raw[-1] == "":
            raw.pop()
        segs = [unquote(s) for s in raw]
        if segs[:2] == ["api", "models"]:
            if len(segs) == 2:
                return self._list_models(reader, path, params)
            return self._model_route(reader, path, segs[2:], params)
        for repo_len in (2, 1):
            if len(segs) > repo_len + 1 and segs[repo_len] == "resolve":
                repo_id = "/".join(segs[:repo_len])
                if repo_len == 1 or reader.has_model(repo_id) or not reader.has_model(segs[0]):
                    return self._resolve(reader, repo_id, segs[repo_len + 1], "/".join(segs[repo_len + 2:]))
        raise HubError(404, f"Sorry, we can't find the page you are looking for: {path}")

    def _model_route(self, reader: SnapshotReader, path: str, rest: list[str], params: _Params) -> _Response:
        candidates = []
        if len(rest) >= 2:
            candidates.append(("/".join(rest[:2]), rest[2:]))
        candidates.append((rest[0], rest[1:]))
        candidates = [(repo, tail) for repo, tail in candidates if _valid_tail(tail)]
        if not candidates:
            raise HubError(404, f"Sorry, we can't find the page you are looking for: {path}")
        repo_id, tail = next(((r, t) for r, t in candidates if reader.has_model(r)), candidates[0])
        if not reader.has_model(repo_id):
            raise HubError(404, "Repository not found", "RepoNotFound")
        if not tail:
            return self._model_info(reader, repo_id, None, params)
        action, args = tail[0], tail[1:]
        if action == "revision":
            return self._model_info(reader, repo_id, "/".join(args), params)
        if action == "commits":
            return self._commits(reader, path, repo_id, "/".join(args) or "main", params)
        if action == "tree":
            return self._tree(reader, path, repo_id, args[0] if args else "main", "/".join(args[1:]), params)
        return self._refs(reader, repo_id, params)

    # -- endpoints

    def _list_models(self, reader: SnapshotReader, path: str, params: _Params) -> _Response:
        expand = params.getall("expand", "expand[]")
        full, card_data, config = params.flag("full"), params.flag("cardData"), params.flag("config")
        if expand and (full or card_data or config):
            raise HubError(400, "expand cannot be combined with full, cardData or config")
        _check_expand(expand, listing=True)
        page_size = min(params.integer("limit", LIST_PAGE_MAX, minimum=1), LIST_PAGE_MAX)
        sort = params.get("sort") or None
        if sort is not None and sort not in SORT_COLUMNS:
            raise HubError(400, f"invalid sort {sort!r}; expected one of {', '.join(sorted(SORT_COLUMNS))}")
        column = SORT_COLUMNS[sort] if sort else None
        cursor = None
        if params.get("cursor"):
            token = _decode_token(params.get("cursor") or "")
            if not (isinstance(token, list) and len(token) == 4 and token[0] == column
                    and (token[1] is None or isinstance(token[1], int | float | str)) and isinstance(token[2], int)):
                raise HubError(400, "invalid cursor for this query")
            if token[3] != _snapshot_tag(reader):
                raise HubError(400, "expired cursor: it belongs to another snapshot of the hub; list again "
                                    "from the first page")
            cursor = (token[1], token[2])

        where, args = [], []
        if params.get("search"):
            escaped = (params.get("search") or "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("id LIKE ? ESCAPE '\\'")
            args.append(f"%{escaped}%")
        author = params.get("author")
        if author:
            where.append("author = ?")
            args.append(author)
        tags = [tag for value in params.getall("filter") for tag in value.split(",") if tag]
        pipeline_tag = params.get("pipeline_tag") or None
        gated = params.get("gated")
        for needle in tags + ([pipeline_tag] if pipeline_tag else []):
            # A cheap text prefilter so that rare tags do not parse every row; the exact check is below.
            quoted = json.dumps(needle)
            if quoted == f'"{needle}"':
                where.append("instr(info, ?) > 0")
                args.append(quoted)

        def matches(info: dict[str, Any]) -> bool:
            if tags and not set(tags) <= set(info.get("tags") or ()):
                return False
            if pipeline_tag and info.get("pipeline_tag") != pipeline_tag:
                return False
            if gated is not None and bool(info.get("gated")) != (gated.lower() in ("1", "true")):
                return False
            return True

        checks = bool(tags or pipeline_tag or gated is not None)
        items: list[dict[str, Any]] = []
        last: tuple[Any, int] | None = None
        more = False
        for pos, repo_id, text, sha, created, modified, author_col, key in _keyset_rows(
                reader, column, where, args, cursor, by_author=bool(author)):
            if len(items) == page_size:
                if checks:
                    try:
                        if not matches(parse_info(repo_id, text)):
                            continue
                    except SnapshotError:
                        pass  # the next page reports it
                more = True
                break
            info = parse_info(repo_id, text)
            if checks and not matches(info):
                continue
            fallback = {"sha": sha, "createdAt": created, "lastModified": modified, "author": author_col}
            if expand:
                items.append(_project(info, repo_id, expand, fallback))
            else:
                keys = list(LIST_KEYS)
                if full:
                    keys += FULL_EXTRA_KEYS
                if card_data and "cardData" not in keys:
                    keys.append("cardData")
                if config:
                    keys.append("config")
                items.append(_project(info, repo_id, keys, fallback, siblings_names_only=True))
            last = (key, pos)
        headers = []
        if more and last is not None:
            headers.append(self._next_link(path, params, "cursor",
                                           _encode_token([column, *last, _snapshot_tag(reader)])))
        return _listing(_json_response(items, headers=headers))

    def _model_info(self, reader: SnapshotReader, repo_id: str, revision: str | None,
                    params: _Params) -> _Response:
        row = reader.model_row(repo_id)
        if row is None:
            raise HubError(404, "Repository not found", "RepoNotFound")
        _, _, text = row
        info = parse_info(repo_id, text)  # a broken row must fail here, even when served verbatim
        expand = params.getall("expand", "expand[]")
        blobs = params.flag("blobs")
        if expand and blobs:
            raise HubError(400, "expand cannot be combined with blobs")
        _check_expand(expand, listing=False)
        commit = None
        if revision not in (None, "main"):
            commit = _find_commit(reader, repo_id, revision, with_tree=True)
            if commit.id == info.get("sha") and not blobs:
                commit = None  # the head: the stored body already describes it
            elif not blobs and not expand and (recorded := reader.revision_body(repo_id, commit.id)) is not None:
                return _Response(200, recorded.encode())
        if commit is None and not blobs and not expand:
            return _Response(200, text.encode())
        if blobs or commit is not None:
            commit = commit or _find_commit(reader, repo_id, "main", with_tree=True)
            info["sha"] = commit.id
            info["siblings"] = _siblings(commit.tree, blobs)
        if expand:
            info = _project(info, repo_id, expand, {})
        return _json_response(info)

    def _commits(self, reader: SnapshotReader, path: str, repo_id: str, revision: str,
                 params: _Params) -> _Response:
        head = _find_commit(reader, repo_id, revision, with_tree=False)
        limit = min(params.integer("limit", COMMITS_PAGE, minimum=1), 1000)
        page = params.integer("p", 0)
        rows = reader.commit_log(repo_id, max_seq=head.seq, offset=page * limit, limit=limit + 1)
        formatted = "formatted" in params.getall("expand", "expand[]")
        out = []
        for c in rows[:limit]:
            item: dict[str, Any] = {"id": c.id, "title": c.title, "message": c.message, "date": c.date,
                                    "authors": [{"user": a} for a in c.authors]}
            if formatted:
                item["formatted"] = {"title": html.escape(c.title), "message": html.escape(c.message)}
            out.append(item)
        headers = [("X-Total-Count", str(head.seq + 1))]
        if len(rows) > limit:
            headers.append(self._next_link(path, params, "p", str(page + 1)))
        return _listing(_json_response(out, headers=headers))

    def _tree(self, reader: SnapshotReader, path: str, repo_id: str, revision: str, sub: str,
              params: _Params) -> _Response:
        commit = _find_commit(reader, repo_id, revision, with_tree=True)
        sub = sub.strip("/")
        expand = params.flag("expand")
        entries = _tree_listing(commit.tree, sub, params.flag("recursive"))
        if entries is None:
            raise HubError(404, f"Entry not found: {sub!r} is not a folder at revision {revision!r}",
                           "EntryNotFound", [("X-Repo-Commit", commit.id)])
        limit = min(params.integer("limit", TREE_PAGE_EXPANDED if expand else TREE_PAGE, minimum=1), TREE_PAGE)
        start = 0
        if params.get("cursor"):
            after = _decode_token(params.get("cursor") or "")
            if not isinstance(after, str):
                raise HubError(400, "invalid cursor for this query")
            start = bisect.bisect_right([e["path"] for e in entries], after)
        page = entries[start:start + limit]
        if expand:
            page = [{**e, "lastCommit": None} for e in page]
        headers = [("X-Repo-Commit", commit.id)]
        if start + limit < len(entries):
            headers.append(self._next_link(path, params, "cursor", _encode_token(page[-1]["path"])))
        return _listing(_json_response(page, headers=headers))

    def _refs(self, reader: SnapshotReader, repo_id: str, params: _Params) -> _Response:
        out: dict[str, list] = {"branches": [], "converts": [], "tags": []}
        prefix = {"branch": ("branches", "refs/heads/"), "convert": ("converts", "refs/convert/"),
                  "tag": ("tags", "refs/tags/")}
        for kind, name, target in reader.refs(repo_id):
            key, ref = prefix[kind]
            out[key].append({"name": name, "ref": ref + name, "targetCommit": target})
        if params.flag("include_prs"):
            out["pullRequests"] = []
        return _json_response(out)

    def _resolve(self, reader: SnapshotReader, repo_id: str, revision: str, file_path: str) -> _Response:
        if not reader.has_model(repo_id):
            raise HubError(404, "Repository not found", "RepoNotFound")
        commit = _find_commit(reader, repo_id, revision, with_tree=True)
        entry = next((e for e in commit.tree if e.get("path") == file_path and e.get("type", "file") == "file"),
                     None)
        if entry is None:
            raise HubError(404, f"Entry not found: {file_path!r} at revision {revision!r}", "EntryNotFound",
                           [("X-Repo-Commit", commit.id)])
        cap = max(0, int(self.server.hub.config.filler_cap_bytes))
        lfs = entry.get("lfs")
        headers = [("X-Repo-Commit", commit.id), ("Accept-Ranges", "bytes")]
        if lfs:
            body = _filler(lfs["oid"], min(int(lfs["size"]), cap))
            etag = f'"{lfs["oid"]}"'
            headers += [("ETag", etag), ("X-Linked-Etag", etag), ("X-Linked-Size", str(lfs["size"]))]
            content_type = "application/octet-stream"
        else:
            data = reader.blob(entry["oid"])
            body = data if data is not None else _filler(entry["oid"], min(int(entry.get("size") or 0), cap))
            headers.append(("ETag", f'"{entry["oid"]}"'))
            content_type = "text/plain; charset=utf-8"
        status = 200
        ranged = _parse_range(self.headers.get("Range"), len(body))
        if ranged == "invalid":
            raise HubError(416, f"Range Not Satisfiable: {self.headers.get('Range')}",
                           headers=[("Content-Range", f"bytes */{len(body)}")])
        if ranged is not None:
            first, last = ranged
            headers.append(("Content-Range", f"bytes {first}-{last}/{len(body)}"))
            body = body[first:last + 1]
            status = 206
        return _Response(status, body, content_type, headers)


def _listing(response: _Response) -> _Response:
    response.listing = True
    return response


def _apply_fault(response: _Response, fault: str | None, detail: int, method: str, base_url: str, path: str,
                 params: _Params) -> bool:
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


def _valid_tail(tail: list[str]) -> bool:
    if not tail:
        return True
    action = tail[0]
    return ((action == "revision" and len(tail) >= 2) or action in ("commits", "tree")
            or (action == "refs" and len(tail) == 1))


def _check_expand(expand: list[str], *, listing: bool) -> None:
    for prop in expand:
        if listing and prop in LIST_EXPAND_REJECTED:
            raise HubError(400, f"expand={prop} is not supported when listing models; "
                                f"ask /api/models/{{repo_id}}?expand={prop} instead")
        if prop not in EXPAND_PROPERTIES:
            raise HubError(400, f"invalid expand property {prop!r}; expected one of "
                                f"{', '.join(sorted(EXPAND_PROPERTIES))}")


def _project(info: dict[str, Any], repo_id: str, keys: list[str] | tuple[str, ...],
             fallback: dict[str, Any], *, siblings_names_only: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"_id": info.get("_id") or _object_id(repo_id), "id": info.get("id", repo_id)}
    for key in keys:
        if key in out:
            continue
        if key == "modelId":
            out[key] = info.get("modelId", repo_id)
        elif key in info:
            value = info[key]
            if key == "siblings" and siblings_names_only and isinstance(value, list):
                value = [{"rfilename": s.get("rfilename")} for s in value if isinstance(s, dict)]
            out[key] = value
        elif fallback.get(key) is not None:
            out[key] = fallback[key]
    return out


def _keyset_rows(reader: SnapshotReader, column: str | None, where: list[str], args: list[Any],
                 cursor: tuple[Any, int] | None, *, by_author: bool) -> Iterator[tuple]:
    """Rows in listing order after ``cursor``, lazily: a page reads only what it returns (no OFFSET)."""
    key_col = column or "pos"
    cols = f"pos, id, info, sha, created_at, last_modified, author, {key_col}"
    # With an author filter the author index beats walking the sort index past everyone else's models.
    table = "models INDEXED BY models_author" if by_author else "models"
    extra = "".join(f" AND {w}" for w in where)

    def run(condition: str, order: str, cond_args: tuple = ()) -> Iterator[tuple]:
        sql = f"SELECT {cols} FROM {table} WHERE {condition}{extra} ORDER BY {order}"
        yield from reader.db.execute(sql, (*cond_args, *args))

    if column is None:
        yield from run("pos > ?", "pos", (cursor[1] if cursor else -1,))
    elif cursor is None:
        yield from run("1", f"{column} DESC, pos")  # NULLs sort last in DESC
    elif cursor[0] is None:
        yield from run(f"{column} IS NULL AND pos > ?", "pos", (cursor[1],))
    else:
        # Split at the cursor so ties (e.g. a million models with 0 downloads) are sought, not scanned.
        yield from run(f"{column} = ? AND pos > ?", "pos", cursor)
        yield from run(f"{column} < ?", f"{column} DESC, pos", (cursor[0],))
        yield from run(f"{column} IS NULL", "pos")


def _find_commit(reader: SnapshotReader, repo_id: str, revision: str, *, with_tree: bool) -> StoredCommit:
    name = revision
    for prefix in ("refs/heads/", "refs/tags/", "refs/convert/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    commit = reader.find_commit(repo_id, name, with_tree=with_tree)
    if commit is None:
        raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
    return commit


def _siblings(tree: list[dict[str, Any]], blobs: bool) -> list[dict[str, Any]]:
    out = []
    for entry in tree:
        if entry.get("type", "file") != "file":
            continue
        sibling: dict[str, Any] = {"rfilename": entry["path"]}
        if blobs:
            sibling["blobId"] = entry.get("oid")
            sibling["size"] = entry.get("size")
            lfs = entry.get("lfs")
            if lfs:
                sibling["lfs"] = {"sha256": lfs.get("oid"), "size": lfs.get("size"),
                                  "pointerSize": lfs.get("pointerSize")}
        out.append(sibling)
    return out


def _tree_listing(tree: list[dict[str, Any]], sub: str, recursive: bool) -> list[dict[str, Any]] | None:
    """Entries under ``sub`` (files plus derived folders), sorted by path; None when ``sub`` is no folder."""
    prefix = f"{sub}/" if sub else ""
    files = [e for e in tree if e.get("type", "file") == "file" and e["path"].startswith(prefix)]
    if sub and not files:
        return None
    # A folder's oid changes whenever anything below it changes, like a git tree id.
    folders: dict[str, Any] = {}
    out: list[dict[str, Any]] = []
    for entry in files:
        rel = entry["path"][len(prefix):]
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            folder = prefix + "/".join(parts[:depth])
            if recursive or depth == 1:
                if folder not in folders:
                    folders[folder] = hashlib.sha1(f"tree {folder}\0".encode())
                folders[folder].update(f"{entry['path']}\0{entry.get('oid')}\n".encode())
        if recursive or len(parts) == 1:
            out.append({k: entry[k] for k in ("type", "path", "oid", "size", "lfs") if k in entry})
    out += [{"type": "directory", "path": p, "oid": h.hexdigest(), "size": 0} for p, h in folders.items()]
    out.sort(key=lambda e: e["path"])
    return out


def _filler(seed: str, size: int) -> bytes:
    unit = f"hubmine replay filler {seed}\n".encode()
    return (unit * (size // len(unit) + 1))[:size]


def _parse_range(header: str | None, total: int) -> tuple[int, int] | str | None:
    """``Range: bytes=a-b`` / ``bytes=a-`` / ``bytes=-n`` (one range only) -> inclusive (first, last)."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first_s, _, last_s = header[6:].strip().partition("-")
    try:
        if first_s == "":
            n = int(last_s)
            first, last = max(0, total - n), total - 1
        else:
            first = int(first_s)
            last = min(int(last_s), total - 1) if last_s else total - 1
    except ValueError:
        return None
    if first >= total or first > last:
        return "invalid"
    return first, last

