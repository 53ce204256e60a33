"""The replay hub: a local HTTP imitation of the Hugging Face Hub API over a snapshot directory.

``ReplayHub`` serves a snapshot from a daemon thread (start/stop, request counters, request log);
its handler takes each request through the misbehaviour a run switched on, per request bucket
(``api``, ``resolvers``, ``pages``, as the Hub counts them): added latency, fixed-window rate
limits (``limits.py``), random 500s from a seeded RNG, deterministic faults (``faults.py``), then
the endpoint (``routes.py``), and writes the answer.

Built on ``http.server`` rather than a framework because fault injection needs the raw socket, and
because every response is written in one piece with an exact ``Content-Length`` (keep-alive clients
depend on it).
"""

from __future__ import annotations

import json
import random
import socket
import struct
import sys
import threading
import time
import traceback
from collections import Counter
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.provenance import PATH as PROVENANCE_PATH
from miners.tiers import bucket_of
from replayhub.server.config import HubConfig, HubStats
from replayhub.server.faults import SERVER_ERRORS, FaultPlan, drips, spoil
from replayhub.server.keyset import ScoreDrift
from replayhub.server.limits import RateLimiter
from replayhub.server.protocol import HubError, Params, Request, Response, error_response
from replayhub.server.routes import route
from replayhub.snapshot import SnapshotError, SnapshotReader


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
        self._limiter = RateLimiter(self.config.rate_limits, self.config.window_seconds)
        self._rng = random.Random(self.config.seed)
        self.faults = FaultPlan(self.config.faults, seed=self.config.seed, label=self.config.run_label)
        self.drift = ScoreDrift(self.config.score_drift, self.config.seed)
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
        self._limiter = RateLimiter(self.config.rate_limits, self.config.window_seconds)
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

    def record(self, method: str, path: str, params: Params, status: int, bucket: str, latency_ms: float,
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
        params = Params(split.query)
        bucket = bucket_of(path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > 0:
            self.rfile.read(length)  # keep the connection usable
        if path == PROVENANCE_PATH and method == "GET":
            # The replay hub describing its snapshot, not an endpoint of the Hub's API: outside the
            # limits, faults, counters and log, so that a crawl's request accounting stays the Hub's.
            self._send(route(Request(hub.reader(), path, params, "", None, 0, hub.drift)), head_only=False, drip=0)
            return
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
            base_url = hub.config.link_base or self._base_url()
            response = route(Request(hub.reader(), path, params, base_url, self.headers.get("Range"),
                                     hub.config.filler_cap_bytes, hub.drift))
            if not (drips(response, fault, method) or spoil(response, fault, detail, method, base_url, path, params)):
                fault = None  # drawn, but this answer has nothing it applies to
        except HubError as exc:
            response = error_response(exc)
        except SnapshotError as exc:
            response = error_response(HubError(500, str(exc)))
        except Exception as exc:  # a bug here must still answer, or the client hangs on keep-alive
            traceback.print_exc(file=sys.stderr)
            response = error_response(HubError(500, f"replay hub internal error: {exc!r}"))
        if fault in ("truncated", "broken_link", "drip") and response.status != 200:
            fault = None  # the route answered an error of its own; the fault had nothing to spoil
        response.headers.extend(limit_headers)
        # Recorded before the write: a client that has its answer must find it in the log and counters.
        hub.record(method, path, params, response.status, bucket, (time.perf_counter() - started) * 1000,
                   fault=fault, reset_at=reset_at if response.status == 429 else None, **extra)
        self._send(response, head_only=method == "HEAD", drip=hub.config.drip_seconds if fault == "drip" else 0)

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

    def _send(self, response: Response, *, head_only: bool, drip: float = 0) -> None:
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
        if drip > 0 and not head_only:
            self._drip(head, response.body, drip)
            return
        self.wfile.write(head if head_only else head + response.body)

    def _drip(self, head: bytes, body: bytes, pause: float) -> None:
        """Headers at once, then the body a byte at a time, until it is done, the client hangs up or
        the hub stops (a ``drip`` fault)."""
        self.wfile.write(head)
        stopping = self.server.hub._stopping
        for i in range(len(body)):
            if stopping.wait(pause):
                break
            self.wfile.write(body[i:i + 1])
        self.close_connection = True

    def _base_url(self) -> str:
        host = self.headers.get("Host") or f"{self.server.hub.host}:{self.server.hub.port}"
        return f"http://{host}"
