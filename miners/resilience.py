"""Polite, persistent Hub access beneath huggingface_hub: a request budget per rate-limit bucket, and retries.

huggingface_hub 2.4 retries some calls itself (``http_backoff``: 408/429/5xx and transport errors,
1 s doubling to 8 s, no jitter, used by ``paginate`` and the HEAD of ``hf_hub_download`` only on a
second pass) but not others (``list_repo_refs``, ``model_info``), never shares what a 429 taught one
thread with the others, and cannot see a 200 that is wrong: ``paginate`` stops silently on a
garbled ``Link`` header (a listing that "ends" early), raises on a truncated JSON page (the walk
is lost), and ``hf_hub_download`` turns a failed HEAD into ``LocalEntryNotFoundError``, a kind of
``EntryNotFoundError``. So hubmine puts one transport under the library's shared client
(``ResilientTransport``, installed by ``miners.hubclient``) that every request goes through:

- **Budget** (``BucketPacer``): per (host, bucket), the ``RateLimit`` header (remaining ``r``, reset
  ``t``) of each answer, less the requests still in flight, is what may still be sent in the
  current window; a small reserve is kept for other users of the same token. When it is spent,
  every thread waits for the reset. After a 429 nobody sends to that bucket until ``Retry-After``
  (or ``t``) has passed.
- **Rate cap** (optional, ``BucketPacer.set_rate``): a process given only a share of an account's
  limit (an Airflow task in a pool of several) also spaces its requests to a bucket at a fixed
  rate; the header budget cannot see what other processes have in flight.
- **Retries** with exponential backoff and jitter (``RetryPolicy``) for 408/429/5xx, resets,
  timeouts, and answers that are 200 but broken: JSON that does not parse, a ``Link`` header that is
  not a well-formed next page of the same query, a file whose bytes do not hash to its ETag. The
  same request is sent again, so a listing resumes at the very cursor that failed.
- A **deadline** per attempt (``deadline``, seconds): an answer whose body is still arriving when it
  has passed is dropped as a ``ReadTimeout`` (retried like one). The read timeout alone cannot end a
  body that trickles in a byte at a time: no single read ever waits long.
- huggingface_hub's own fetch of its **agent registry** (``AGENT_REGISTRY_PATH``, for its
  User-Agent; best-effort, once a day per HF_HOME) is sent once: no budget, no retries (offline,
  retrying it cost every crawl about a minute), within the library's own short timeout; an answer
  the library would raise on in every later request (``agent_registry_problem``) is refused as a
  ``DecodingError``, which the library swallows.
- When the attempts run out the transport raises ``RetriesExhausted`` (an ``httpx2.TransportError``
  that huggingface_hub does not retry again on top), carrying the last answer; the miners record it
  per item and go on.

The transport does this only while a miner runs (``resilient``); other users of huggingface_hub's
shared client in the same process see the Hub's answers unchanged (only a configured rate cap,
being the whole process's share of the account, spaces their requests too, and the deadline, like
the read timeout, bounds their attempts: a hubmine process downloads no weight files).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx2
from huggingface_hub.utils import parse_ratelimit_headers

from miners.tiers import bucket_of

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})  # huggingface_hub's own list
RETRY_EXCEPTIONS = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)
PAGE_KEYS = frozenset({"cursor", "p"})  # how the Hub's next-page links move on
# Bodies up to this size are read in the transport to be checked; bigger ones stream through (so a
# 50 MB README is never held whole: the cards miner reads only its first MAX_CARD_BYTES).
CHECK_BODY_BYTES = 16 * 2**20

F = TypeVar("F", bound=Callable[..., Any])
AGENT_REGISTRY_PATH = "/api/agent-harnesses"


class RetriesExhausted(httpx2.TransportError):
    """A request failed on every attempt. ``response`` is the last answer (None when the last attempt
    got none), ``reason`` what was wrong with it, ``attempts`` how many were made."""

    def __init__(self, message: str, *, request: httpx2.Request, response: httpx2.Response | None,
                 reason: str, attempts: int):
        super().__init__(message, request=request)
        self.response = response
        self.reason = reason
        self.attempts = attempts


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` per request in all; waits between them double from ``base_seconds`` up to
    ``cap_seconds``, each drawn from its upper half (jitter, so that threads that failed together
    do not come back together)."""

    attempts: int = 8
    base_seconds: float = 1.0
    cap_seconds: float = 30.0

    def backoff(self, failures: int, rng: random.Random) -> float:
        delay = min(self.cap_seconds, self.base_seconds * 2 ** max(0, failures - 1))
        return delay / 2 + rng.uniform(0, delay / 2)


# -- the budget -----------------------------------------------------------------------------------

@dataclass
class _Budget:
    blocked_until: float = 0.0      # monotonic; after a 429 or when the budget is spent
    window_end: float | None = None  # monotonic; our (late-leaning) estimate of the window's reset
    remaining: int | None = None    # requests we may still send in this window; None: unknown
    limit: int | None = None        # the window's quota (RateLimit-Policy q), once seen
    inflight: int = 0
    next_start: float = 0.0         # monotonic; the earliest next start under a configured rate cap


class BucketPacer:
    """Request budget per (host, bucket), shared by every thread of the process.

    ``acquire`` before sending (waits while the bucket is blocked or its budget is spent),
    ``release`` with the answer's headers after. ``reserve_share`` of each window's quota is never
    used, room for other clients of the same account and for answers that arrive out of order.

    The budget is what the Hub's headers say is left for the whole account, which a process can
    only use safely on its own: processes sharing an account (Airflow tasks in one pool, maybe on
    several machines) cannot share what is in flight. For them ``set_rate(bucket, per_second)`` adds
    a cap: the starts of requests to that bucket are spaced at least ``1/per_second`` apart across
    all threads, so a process given a share R of a limit stays under R requests a second whatever
    the headers say. The cap applies on top of the budget (a request waits for both), and also to
    requests sent outside a miner (``acquire(key, budget=False)``), where only the cap holds.
    """

    def __init__(self, *, reserve_share: float = 0.02, clock: Callable[[], float] = time.monotonic):
        self.reserve_share = reserve_share
        self.clock = clock
        self._cond = threading.Condition()
        self._budgets: dict[tuple[str, str], _Budget] = {}
        self._intervals: dict[str, float] = {}  # bucket -> seconds between starts (the rate cap)

    def set_rate(self, bucket: str, per_second: float | None) -> None:
        """Cap requests to ``bucket`` (on each host) at ``per_second``; None or 0 lifts the cap."""
        with self._cond:
            if per_second:
                self._intervals[bucket] = 1.0 / per_second
            else:
                self._intervals.pop(bucket, None)
            for (_, b), budget in self._budgets.items():
                if b == bucket:
                    budget.next_start = 0.0
            self._cond.notify_all()

    def rates(self) -> dict[str, float]:
        """The configured caps, requests per second per bucket."""
        with self._cond:
            return {bucket: 1.0 / interval for bucket, interval in self._intervals.items()}

    def _reserve(self, b: _Budget) -> int:
        return 0 if b.limit is None else max(1, math.ceil(b.limit * self.reserve_share))

    def acquire(self, key: tuple[str, str], *, budget: bool = True) -> float:
        """Wait until a request may go to ``key``; returns the seconds waited. ``budget=False``:
        only the rate cap applies (and the request is not counted against the budget)."""
        started = self.clock()
        with self._cond:
            b = self._budgets.setdefault(key, _Budget())
            while True:
                now = self.clock()
                until = 0.0
                if budget:
                    if b.window_end is not None and now >= b.window_end:
                        # The window our count belonged to is over: a fresh quota (when we know it).
                        b.window_end, b.remaining = None, b.limit
                    until = b.blocked_until
                    if b.remaining is not None and b.remaining <= self._reserve(b) and b.window_end is not None:
                        until = max(until, b.window_end)
                interval = self._intervals.get(key[1])
                if interval is not None:
                    until = max(until, b.next_start)
                if now >= until:
                    break
                self._cond.wait(until - now)
            if interval is not None:
                b.next_start = now + interval
            if budget:
                if b.remaining is not None:
                    b.remaining -= 1
                b.inflight += 1
        return self.clock() - started

    def release(self, key: tuple[str, str], response: httpx2.Response | None, fallback_wait: float) -> float | None:
        """Take in an answer (None: no answer). Returns how long the bucket is now blocked for when
        the answer was a 429, else None."""
        with self._cond:
            b = self._budgets.setdefault(key, _Budget())
            b.inflight = max(0, b.inflight - 1)
            if response is None:
                return None
            info = parse_ratelimit_headers(response.headers)
            now = self.clock()
            if info is not None and info.limit:
                b.limit = info.limit
            if response.status_code == 429:
                retry_after = _retry_after(response.headers)
                wait = max(retry_after or 0, info.reset_in_seconds if info else 0) or fallback_wait
                # Both headers count whole seconds rounded up, so waiting them out from now is
                # never early; the margin absorbs scheduling jitter between the two clocks' reads.
                b.blocked_until = max(b.blocked_until, now + wait + 0.01)
                b.window_end, b.remaining = b.blocked_until, 0
                self._cond.notify_all()
                return wait
            if info is None:
                return None
            end = now + info.reset_in_seconds
            # The answer's count did not include requests sent after it was counted: assume every
            # other request still in flight was.
            fresh = info.remaining - b.inflight
            if b.window_end is None or end > b.window_end + 0.5:
                b.window_end, b.remaining = end, fresh  # a new window
            else:
                b.window_end = min(b.window_end, end)
                b.remaining = fresh if b.remaining is None else min(b.remaining, fresh)
            return None

    def reset(self) -> None:
        with self._cond:
            self._budgets.clear()
            self._cond.notify_all()


def _retry_after(headers: httpx2.Headers) -> float | None:
    value = (headers.get("retry-after") or "").strip()
    try:
        return float(value) if value else None
    except ValueError:
        return None  # an HTTP date: RateLimit's t (or the backoff) decides instead


# -- statistics ----------------------------------------------------------------------------------

@dataclass
class RequestStats:
    """What went over the wire since the last reset: every attempt, per bucket and per status (0: no
    answer), the retries per bucket and reason, 429s, seconds spent waiting for budget, give-ups."""

    by_bucket: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)
    retries: Counter = field(default_factory=Counter)        # (bucket, reason kind) -> n
    rate_limited: Counter = field(default_factory=Counter)   # bucket -> 429s received
    waited_seconds: Counter = field(default_factory=Counter)  # bucket -> seconds waiting for budget
    gave_up: Counter = field(default_factory=Counter)        # bucket -> requests that exhausted retries
    last_ratelimit: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def attempt(self, bucket: str, response: httpx2.Response | None) -> None:
        info = parse_ratelimit_headers(response.headers) if response is not None else None
        with self._lock:
            self.by_bucket[bucket] += 1
            self.by_status[response.status_code if response is not None else 0] += 1
            if info is not None:
                self.last_ratelimit[bucket] = info
            if response is not None and response.status_code == 429:
                self.rate_limited[bucket] += 1

    def add(self, counter: str, key: Any, n: float = 1) -> None:
        with self._lock:
            getattr(self, counter)[key] += n

    def reset(self) -> None:
        with self._lock:
            for c in (self.by_bucket, self.by_status, self.retries, self.rate_limited, self.waited_seconds,
                      self.gave_up):
                c.clear()
            self.last_ratelimit.clear()

    @property
    def total(self) -> int:
        return sum(self.by_bucket.values())

    def summary(self) -> dict[str, Any]:
        with self._lock:
            return {"requests": dict(self.by_bucket), "statuses": {str(k): v for k, v in self.by_status.items()},
                    "retries": {f"{b}:{r}": n for (b, r), n in sorted(self.retries.items())},
                    "rate_limited": dict(self.rate_limited),
                    "waited_seconds": {b: round(s, 3) for b, s in self.waited_seconds.items()},
                    "gave_up": dict(self.gave_up)}


# -- checks of answers that look fine -----------------------------------------------------------

def _problem(request: httpx2.Request, response: httpx2.Response) -> tuple[str, str] | None:
    """(reason kind, detail) when a 2xx answer to a GET is broken; reads the body when it must."""
    if request.method != "GET" or not 200 <= response.status_code < 300:
        return None
    size = response.headers.get("content-length")
    if size is not None and size.isdigit() and int(size) > CHECK_BODY_BYTES:
        return None
    link = _link_problem(request, response)
    if link:
        return "broken_link", link
    content_type = response.headers.get("content-type", "")
    if "json" in content_type:
        body = response.read()
        try:
            json.loads(body)
        except ValueError as exc:
            return "bad_json", f"{len(body)}-byte body is not JSON ({exc})"
    elif response.status_code == 200 and bucket_of(request.url.path) == "resolvers":
        etag = (response.headers.get("etag") or "").removeprefix("W/").strip('"')
        # A regular (non-LFS) file's ETag is its git blob id: the bytes can be checked against it.
        if len(etag) == 40 and "x-linked-etag" not in response.headers:
            body = response.read()
            digest = hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest()
            if digest != etag.lower():
                return "bad_body", f"{len(body)} bytes do not hash to their ETag {etag}"
    return None


def agent_registry_problem(value: Any) -> str | None:
    """What makes ``value`` unusable as huggingface_hub's agent registry (``{"standardEnvVars": [names],
    "harnesses": {id: {"envVars": {name: pattern}}}}``; the library raises on anything else), or None."""
    if not isinstance(value, dict):
        return f"a JSON {type(value).__name__}, not an object"
    names = value.get("standardEnvVars")
    if names is not None and not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        return "standardEnvVars is not a list of names"
    harnesses = value.get("harnesses")
    if harnesses is not None and not isinstance(harnesses, dict):
        return "harnesses is not an object"
    for harness, info in (harnesses or {}).items():
        env = info.get("envVars") if isinstance(info, dict) else None
        if (info is not None and not isinstance(info, dict)) or (
                env is not None and not (isinstance(env, dict) and all(isinstance(k, str) for k in env))):
            return f"harness {harness!r} is not an object with envVars names"
    return None


def _refuse_bad_registry(request: httpx2.Request, response: httpx2.Response) -> None:
    if response.status_code != 200:
        return
    try:
        problem = agent_registry_problem(json.loads(response.read()))
    except ValueError as exc:
        problem = f"not JSON ({exc})"
    if problem:
        response.close()
        raise httpx2.DecodingError(f"unusable agent registry from {request.url}: {problem}", request=request)


def _message(response: httpx2.Response) -> str:
    """The Hub's error message (``{"error": ...}``), or the start of the body."""
    try:
        return str(response.json().get("error"))[:500]
    except (ValueError, AttributeError):
        return response.text[:500]


class ForeignLinkRefused(httpx2.TransportError):
    """An answer's next-page ``Link`` points at another scheme, host or port than the request went
    to. huggingface_hub would follow it with the same headers, token included, so it is refused."""


_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str | httpx2.URL) -> str:
    """``scheme://host:port`` of ``url``, the default port spelled out (httpx2.InvalidURL when unparseable)."""
    url = httpx2.URL(url) if isinstance(url, str) else url
    return f"{url.scheme}://{url.host}:{url.port or _DEFAULT_PORTS.get(url.scheme)}"


def _refuse_foreign_link(request: httpx2.Request, response: httpx2.Response) -> None:
    """Raise ForeignLinkRefused (closing the answer) when its next page is on another origin. The
    message names the two origins, never the link's path or query (they may carry anything)."""
    target = (response.links.get("next") or {}).get("url") if "link" in response.headers else None
    if not target:
        return
    try:
        url = request.url.join(target)  # a relative link stays on the request's origin
    except (httpx2.InvalidURL, ValueError):
        return  # a damaged header: _link_problem's to judge
    if origin(url) != origin(request.url):
        response.close()
        raise ForeignLinkRefused(f"refusing to follow a next-page link to {origin(url)}: the request went to "
                                 f"{origin(request.url)} and the token goes nowhere else", request=request)


def _link_problem(request: httpx2.Request, response: httpx2.Response) -> str | None:
    """The Hub sends a ``Link`` header only to point at the next page of the same query; anything
    else in it means the header was damaged, and following (or ignoring) it would skip pages."""
    header = response.headers.get("link")
    if header is None:
        return None
    target = (response.links.get("next") or {}).get("url")
    if not target:
        return f"Link header without a next page: {header[:200]!r}"
    try:
        url = httpx2.URL(target)
    except (httpx2.InvalidURL, ValueError):
        return f"Link header with an invalid URL: {header[:200]!r}"
    if url.scheme not in ("http", "https") or not url.host or url.path != request.url.path:
        return f"Link header points elsewhere: {target[:200]!r}"
    mine = Counter((k, v) for k, v in request.url.params.multi_items() if k not in PAGE_KEYS)
    theirs = Counter((k, v) for k, v in url.params.multi_items() if k not in PAGE_KEYS)
    if mine - theirs or not PAGE_KEYS & set(url.params.keys()) or url == request.url:
        return f"Link header does not continue this query: {target[:200]!r}"
    return None


# -- the transport ---------------------------------------------------------------------------------

_active = 0
_active_lock = threading.Lock()


def resilient(fn: F) -> F:
    """Run ``fn`` with the budget and retries on (they stay on for every thread until it returns)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        global _active
        with _active_lock:
            _active += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with _active_lock:
                _active -= 1

    return wrapper  # type: ignore[return-value]


class _DeadlineStream(httpx2.SyncByteStream):
    """An answer's body that raises ``ReadTimeout`` once its request's deadline has passed."""

    def __init__(self, inner: httpx2.SyncByteStream, request: httpx2.Request, ends_at: float, seconds: float):
        self.inner, self.request, self.ends_at, self.seconds = inner, request, ends_at, seconds

    def __iter__(self):
        for chunk in self.inner:
            if time.monotonic() > self.ends_at:
                raise httpx2.ReadTimeout(f"the answer was not complete within the {self.seconds:g} s deadline "
                                         "(HUBMINE_HTTP_DEADLINE)", request=self.request)
            yield chunk

    def close(self) -> None:
        self.inner.close()


class ResilientTransport(httpx2.BaseTransport):
    """Wraps the real transport; see the module docstring."""

    def __init__(self, inner: httpx2.BaseTransport, *, pacer: BucketPacer, stats: RequestStats,
                 policy: Callable[[], RetryPolicy], timeout: httpx2.Timeout | None = None,
                 deadline: Callable[[], float | None] = lambda: None):
        self.inner = inner
        self.timeout = timeout.as_dict() if timeout is not None else None
        self.pacer = pacer
        self.stats = stats
        self.policy = policy
        self.deadline = deadline
        self._rng = random.Random()  # jitter only; its C-level calls are atomic, no lock needed

    def _send(self, request: httpx2.Request, seconds: float | None = None) -> httpx2.Response:
        """One attempt, its body bound by the deadline (``seconds`` or the configured one) counted from now."""
        seconds = seconds or self.deadline()
        started = time.monotonic()
        response = self.inner.handle_request(request)
        if seconds:
            response.stream = _DeadlineStream(response.stream, request, started + seconds, seconds)
        return response

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        bucket = bucket_of(request.url.path)
        if self.timeout is not None:
            # huggingface_hub passes timeout=None explicitly (paginate, http_backoff), which turns the
            # client's default off: a stalled Hub would hang the crawl. Ours is the upper bound.
            given = request.extensions.get("timeout") or {}
            request.extensions["timeout"] = {
                k: v if given.get(k) is None else min(v, given[k]) for k, v in self.timeout.items()}
        key = (f"{request.url.scheme}://{request.url.netloc.decode()}", bucket)
        registry = request.url.path == AGENT_REGISTRY_PATH
        if not _active or registry:
            waited = self.pacer.acquire(key, budget=False)  # a configured rate cap holds for every request
            if waited > 0:
                self.stats.add("waited_seconds", bucket, waited)
            response = None
            try:
                # The registry's deadline is the library's own short timeout for it.
                response = self._send(request, (request.extensions.get("timeout") or {}).get("read") if registry else None)
                if registry:
                    _refuse_bad_registry(request, response)
                _refuse_foreign_link(request, response)
                return response
            finally:
                self.stats.attempt(bucket, response)
        policy = self.policy()
        failures = 0
        while True:
            waited = self.pacer.acquire(key)
            if waited > 0:
                self.stats.add("waited_seconds", bucket, waited)
            response: httpx2.Response | None = None
            try:
                response = self._send(request)
                if response.status_code in RETRY_STATUSES:
                    response.read()  # small error body: keeps the connection reusable, and the message
                    problem = (str(response.status_code), f"HTTP {response.status_code}: {_message(response)}")
                else:
                    problem = _problem(request, response)
            except RETRY_EXCEPTIONS as exc:
                if response is not None:
                    response.close()  # the body failed half-way: the answer is unusable
                    response = None
                problem = (type(exc).__name__, f"{type(exc).__name__}: {exc}")
            self.stats.attempt(bucket, response)
            blocked = self.pacer.release(key, response, fallback_wait=policy.backoff(failures + 1, self._rng))
            if problem is None:
                _refuse_foreign_link(request, response)  # type: ignore[arg-type]
                return response  # type: ignore[return-value]
            failures += 1
            if failures >= policy.attempts:
                self.stats.add("gave_up", bucket)
                raise RetriesExhausted(
                    f"{request.method} {request.url} failed {failures} times; last: {problem[1]}",
                    request=request, response=response, reason=problem[0], attempts=failures)
            self.stats.add("retries", (bucket, problem[0]))
            if response is not None:
                response.close()
            if blocked is None:  # a 429 already blocks the bucket for as long as it said
                time.sleep(policy.backoff(failures, self._rng))

    def close(self) -> None:
        self.inner.close()
