"""The order of ``GET /api/models`` and its keyset cursors, as the real Hub has them.

Recorded real traffic (next links of huggingface.co/api/models, 2024-2026) shows:

- without ``sort`` the Hub lists by ``trendingScore`` descending, ties by ``_id`` ascending;
- ``sort=`` one of downloads, likes, createdAt, lastModified, trendingScore, descending; only
  ``createdAt`` may also be listed ascending (``direction=1``): huggingface_hub dropped its
  ``direction`` argument because the API refuses ascending order for the other keys;
- the next link is the request's own URL plus ``cursor=``: standard base64 (with ``=`` padding) of a
  MongoDB-style keyset on the last model served, e.g. for the default order
  ``{"$or":[{"trendingScore":2,"_id":{"$gt":"6634…"}},{"trendingScore":{"$lt":2}},{"trendingScore":null}]}``.

The replay hub writes the same form (one key of its own added, ``hubmineSnapshot``, naming the
snapshot that issued it: a cursor from another day's snapshot is refused as stale, where the real
Hub would just go on). The key of a keyset is a value that may change while a client walks the
pages: ``ScoreDrift`` makes ``trendingScore`` and ``downloads`` move with every listing request, as
they do on the Hub during a walk of hours, so that a walk by such a key meets models twice and
misses others, while a walk by ``createdAt`` (which never changes) meets each model once.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from replayhub.server.protocol import HubError, Params
from replayhub.snapshot import SnapshotReader

# API sort names (and huggingface_hub's snake_case spellings) -> (API field, snapshot column).
SORTS = {
    "downloads": ("downloads", "downloads"),
    "likes": ("likes", "likes"),
    "createdAt": ("createdAt", "created_at"),
    "created_at": ("createdAt", "created_at"),
    "lastModified": ("lastModified", "last_modified"),
    "last_modified": ("lastModified", "last_modified"),
    "trendingScore": ("trendingScore", "trending_score"),
    "trending_score": ("trendingScore", "trending_score"),
}
DEFAULT_SORT = "trendingScore"
ASCENDING_ALLOWED = frozenset({"createdAt"})
SNAPSHOT_KEY = "hubmineSnapshot"
DRIFTING = {"trendingScore": "trending_score", "downloads": "downloads"}
_OID = re.compile(r'"_id"\s*:\s*"([^"]+)"')


def object_id(repo_id: str, info_text: str | None = None) -> str:
    """The model's ``_id``: the one its stored body carries, else one derived from its repo id."""
    found = _OID.search(info_text) if info_text else None
    return found.group(1) if found else hashlib.sha1(repo_id.encode()).hexdigest()[:24]


class ScoreDrift:
    """Deterministic movement of ``trendingScore`` and ``downloads`` between listing requests.

    The n-th listing request a hub serves (n from 0) sees each model's trendingScore moved by
    ``round(rate * n * s)`` (floored at 0) and its downloads grown by ``round(10 * rate * n * |s|)``,
    where ``s`` in [-1, 1] is a fixed slope of the model (a hash of ``seed`` and its id). Models cross
    each other at different requests, as on the Hub. ``rate`` 0: nothing moves.
    """

    def __init__(self, rate: float = 0.0, seed: int = 0):
        self.rate = float(rate)
        self.seed = seed
        self._counter = itertools.count()
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return self.rate > 0

    def tick(self) -> int:
        with self._lock:
            return next(self._counter)

    def slope(self, repo_id: str) -> float:
        digest = hashlib.blake2b(f"{self.seed}\0{repo_id}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**63 - 1.0

    def value(self, field: str, base: Any, repo_id: str, tick: int) -> Any:
        if base is None or not self.active:
            return base
        s = self.slope(repo_id)
        if field == "trendingScore":
            return max(0, round(base + self.rate * tick * s))
        return base + round(10 * self.rate * tick * abs(s))


@dataclass(frozen=True)
class Order:
    """One listing order: ``field`` (API name), its snapshot ``column``, its direction."""

    field: str
    column: str
    descending: bool

    @classmethod
    def of(cls, params: Params) -> Order:
        sort = params.get("sort") or DEFAULT_SORT
        if sort not in SORTS:
            raise HubError(400, f"invalid sort {sort!r}; expected one of {', '.join(sorted(SORTS))}")
        field, column = SORTS[sort]
        direction = params.get("direction")
        if direction in (None, "", "-1"):
            return cls(field, column, True)
        if direction != "1":
            raise HubError(400, f"invalid direction {direction!r}; expected -1 or 1")
        if field not in ASCENDING_ALLOWED:
            raise HubError(400, f"sort={field} can only be listed in descending order (direction=-1)")
        return cls(field, column, False)


def encode_cursor(order: Order, key: Any, oid: str, snapshot: str) -> str:
    """The real Hub's cursor for the position after a model with sort value ``key`` and ``_id`` ``oid``."""
    f = order.field
    if isinstance(key, float) and key.is_integer():
        key = int(key)  # the Hub's scores and counts are integers: 2, not 2.0
    if key is None:
        keyset = [{f: None, "_id": {"$gt": oid}}]
    elif order.descending:
        keyset = [{f: key, "_id": {"$gt": oid}}, {f: {"$lt": key}}, {f: None}]
    else:
        keyset = [{f: key, "_id": {"$gt": oid}}, {f: {"$gt": key}}]
    body = json.dumps({"$or": keyset, SNAPSHOT_KEY: snapshot}, separators=(",", ":"))
    return base64.b64encode(body.encode()).decode()


def decode_cursor(order: Order, token: str, snapshot: str) -> tuple[Any, str]:
    """(sort value, ``_id``) of the last model a cursor names; 400 when it is not one of ``order``'s."""
    try:
        body = json.loads(base64.b64decode(token + "=" * (-len(token) % 4), validate=True))
        first = body["$or"][0]
        key, oid = first[order.field], first["_id"]["$gt"]
    except (ValueError, TypeError, KeyError, IndexError):
        raise HubError(400, f"invalid cursor {token!r} for sort={order.field}") from None
    if not (key is None or isinstance(key, int | float | str)) or not isinstance(oid, str):
        raise HubError(400, f"invalid cursor {token!r} for sort={order.field}")
    if body.get(SNAPSHOT_KEY) != snapshot:
        raise HubError(400, "expired cursor: it belongs to another snapshot of the hub; list again from the first page")
    return key, oid


def keyset_rows(reader: SnapshotReader, order: Order, where: list[str], args: list[Any],
                cursor: tuple[Any, str] | None, *, by_author: bool, drift: ScoreDrift | None = None,
                tick: int = 0) -> Iterator[tuple]:
    """Rows ``(pos, id, info, sha, created_at, last_modified, author, key, _id)`` in listing order
    after ``cursor``, lazily: a page reads only what it returns (no OFFSET). The sort key is the
    drifted value when ``drift`` is active (then every page sorts the whole listing: a test mode)."""
    db = reader.db
    db.create_function("hub_oid", 2, object_id, deterministic=True)
    key = order.column
    if drift is not None and drift.active and order.field in DRIFTING:
        field = order.field
        db.create_function("hub_drift", 2, lambda base, rid: drift.value(field, base, rid, tick))
        key = f"hub_drift({order.column}, id)"
    oid = "hub_oid(id, info)"
    cols = f"pos, id, info, sha, created_at, last_modified, author, {key}, {oid}"
    # With an author filter the author index beats walking the sort index past everyone else's models.
    table = "models INDEXED BY models_author" if by_author else "models"
    extra = "".join(f" AND {w}" for w in where)
    direction = "DESC" if order.descending else "ASC"

    def run(condition: str, by: str, cond_args: tuple = ()) -> Iterator[tuple]:
        yield from db.execute(f"SELECT {cols} FROM {table} WHERE {condition}{extra} ORDER BY {by}",
                              (*cond_args, *args))

    if cursor is None:
        # SQLite puts NULLs last in DESC, first in ASC: where the Hub (MongoDB) puts them.
        yield from run("1", f"{key} {direction}, {oid}")
    elif cursor[0] is None:
        yield from run(f"{key} IS NULL AND {oid} > ?", oid, (cursor[1],))
        if not order.descending:
            yield from run(f"{key} IS NOT NULL", f"{key} ASC, {oid}")
    else:
        # Split at the cursor so that ties (a million models with trendingScore 0) are sought, not scanned.
        yield from run(f"{key} = ? AND {oid} > ?", oid, cursor)
        yield from run(f"{key} {'<' if order.descending else '>'} ?", f"{key} {direction}, {oid}", (cursor[0],))
        if order.descending:
            yield from run(f"{key} IS NULL", oid)
