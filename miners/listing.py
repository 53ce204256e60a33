"""Cursor-paginated Hub listings that another process can continue: pages, next-page URLs, resume points.

huggingface_hub's ``paginate`` follows each page's ``Link: <url>; rel="next"`` header but keeps
that URL to itself, so a walk killed at page 2,000 of 2,500 can only begin again at page 1.
``pages`` is the same walk, request for request (``http_backoff``, hence the library's own retry
of a page, then ``hf_raise_for_status``, then ``response.links["next"]`` followed verbatim), that
also hands out each next-page URL. That URL is the whole state of the walk (the Hub keeps the
position in its ``cursor`` parameter), so a miner that saves it with what it has landed can resume
the walk in a new process: a ``ResumePoint``.

A next-page URL comes from the server (or from a resume point on disk) and is followed with the
crawl's token: one on another scheme, host or port than the endpoint is refused before any request
(``ForeignLink``), so that a hostile or misconfigured server cannot have the token sent elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

import httpx2
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import hf_raise_for_status, http_backoff

from core.errors import HubmineError
from miners.resilience import ForeignLinkRefused, origin

# How the Hub refuses a cursor it no longer honours (malformed, expired, or from another listing).
STALE_CURSOR_STATUSES = frozenset({400, 404, 410, 422})
# Query parameters that would carry a credential; the Hub's listing links have none.
_CREDENTIAL_PARAM = re.compile(r"^(.*[_-])?(token|auth|authorization|api_?key|password|secret|signature)$", re.I)


class StaleCursor(Exception):
    """The Hub refused a saved next-page URL (``status`` one of ``STALE_CURSOR_STATUSES``)."""

    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class ForeignLink(HubmineError):
    """A next-page URL points at another scheme, host or port than the listing's endpoint."""


def check_same_origin(url: str, endpoint: str, what: str = "next-page link") -> None:
    """Raise ForeignLink unless ``url`` has the scheme, host and port of ``endpoint``. The message
    names the two origins, never the URL's path or query (they may carry anything)."""
    try:
        theirs = origin(url)
    except (httpx2.InvalidURL, ValueError):
        theirs = None
    ours = origin(endpoint)
    if theirs != ours:
        raise ForeignLink(f"refusing to follow a {what} to {theirs or 'an unparseable URL'}: the listing's "
                          f"endpoint is {ours} and the token goes nowhere else")


def pages(url: str, params: dict[str, Any] | None, headers: dict[str, str], *, endpoint: str,
          resumed: bool = False) -> Iterator[tuple[Any, str | None]]:
    """Each page of a listing as ``(items, URL of the next page or None after the last)``.

    ``params`` go with the first request only: a next link already carries the whole query. With
    ``resumed``, ``url`` is a saved next-page URL and a refusal of that first request with a
    status of ``STALE_CURSOR_STATUSES`` raises ``StaleCursor`` instead of the library's error.
    ``url`` must be on ``endpoint``'s scheme, host and port, else ``ForeignLink`` is raised before it is
    requested; a page whose next link goes elsewhere is refused by hubmine's transport (before
    anything can follow it), and that refusal is raised as ``ForeignLink`` too. Other errors propagate as huggingface_hub raises them
    (``HfHubHTTPError``, or the transport's). ``items`` is the decoded JSON body, whatever it is.
    """
    check_same_origin(url, endpoint, "saved next-page URL" if resumed else "listing URL")
    first = True
    while url is not None:
        # Exactly what huggingface_hub's paginate sends (timeout=None included: hubmine's transport
        # bounds it), so a page is retried the way the library retries it.
        try:
            response = http_backoff("GET", url, params=params, headers=headers, timeout=None)
        except ForeignLinkRefused as exc:  # the transport saw this page's next link go elsewhere
            raise ForeignLink(str(exc)) from None
        try:
            hf_raise_for_status(response)
        except HfHubHTTPError as exc:
            if first and resumed and response.status_code in STALE_CURSOR_STATUSES:
                raise StaleCursor(response.status_code, exc.server_message or str(exc).splitlines()[0]) from exc
            raise
        first = False
        url, params = response.links.get("next", {}).get("url"), None
        yield response.json(), url


def check_credential_free(url: str, headers: dict[str, str]) -> None:
    """Raise ValueError when ``url`` carries a credential (user info, a token-like parameter, or the
    token sent in ``headers``): such a URL must never be written down. The message omits the URL."""
    parsed = httpx2.URL(url)
    sent = (headers.get("authorization") or headers.get("Authorization") or "").partition(" ")[2]
    if parsed.userinfo:
        raise ValueError("the next-page URL carries user credentials")
    if any(_CREDENTIAL_PARAM.match(key) for key in parsed.params.keys()):
        raise ValueError("the next-page URL carries a credential parameter")
    if sent and (sent in url or sent in unquote(url)):
        raise ValueError("the next-page URL carries the token this crawl sends")


@dataclass(frozen=True)
class ResumePoint:
    """Where an unfinished listing run can go on: the next page to ask for and what the run holds
    before it (``models`` rows in its first ``parts`` parts). Saved after each landed part.

    ``fetched_at``: the time the run stands for (its first attempt's); ``saved_at``: when this
    point was written (its age decides whether a crawl without a run id takes the run up again);
    ``endpoint``: the Hub the run lists; ``restarted_after_stale_cursor``: an earlier attempt's
    cursor was refused and the run was listed again from page 1.
    """

    next_url: str
    models: int
    parts: int
    fetched_at: datetime
    saved_at: datetime
    endpoint: str
    restarted_after_stale_cursor: bool = False

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["fetched_at"] = self.fetched_at.isoformat()
        out["saved_at"] = self.saved_at.isoformat()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ResumePoint:
        """Raises ValueError when ``data`` is not a resume point."""
        try:
            point = cls(next_url=str(data["next_url"]), models=int(data["models"]), parts=int(data["parts"]),
                        fetched_at=datetime.fromisoformat(data["fetched_at"]),
                        saved_at=datetime.fromisoformat(data["saved_at"]), endpoint=str(data["endpoint"]),
                        restarted_after_stale_cursor=bool(data.get("restarted_after_stale_cursor", False)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a resume point: {exc!r}") from None
        if point.models < 0 or point.parts < 1 or point.fetched_at.tzinfo is None or point.saved_at.tzinfo is None:
            raise ValueError("not a resume point: counts or times out of range")
        return point
