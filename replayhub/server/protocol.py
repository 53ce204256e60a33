"""A request and its answer as the replay hub's endpoints see them, apart from the socket.

The handler (``app.py``) turns the raw HTTP request into a :class:`Request`; an endpoint
(``routes.py``) answers it with a :class:`Response` or raises :class:`HubError`; the handler writes
the answer in one piece.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from replayhub.snapshot import SnapshotReader

if TYPE_CHECKING:
    from replayhub.server.keyset import ScoreDrift

JSON_TYPE = "application/json; charset=utf-8"


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
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)
    listing: bool = False  # a paginated listing page (models, commits, tree): broken Link faults apply


def json_response(value: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Response:
    body = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(status, body, headers=headers or [])


def error_response(error: HubError) -> Response:
    headers = list(error.headers)
    if error.code:
        headers.append(("X-Error-Code", error.code))
    return json_response({"error": error.message}, error.status, headers)


class Params:
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


@dataclass(frozen=True)
class Request:
    """What an endpoint may know of a request: the snapshot, the path and query, the base URL for
    next-page links (from the ``Host`` header), the ``Range`` header, and how much filler a file
    without recorded content gets (``HubConfig.filler_cap_bytes``), and how listed scores move
    between listing requests (``HubConfig.score_drift``; None: they do not)."""

    reader: SnapshotReader
    path: str
    params: Params
    base_url: str
    range: str | None
    filler_cap_bytes: int
    drift: ScoreDrift | None = None


def as_listing(response: Response) -> Response:
    """Mark ``response`` as a page of a listing (the faults that spoil next links look for it)."""
    response.listing = True
    return response
