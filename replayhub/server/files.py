"""How a repo's files are answered, for model and dataset repos alike: tree listings (with derived
folders), a file's body whole or as the one byte range asked for, the Content-Disposition header,
and the filler content served where a snapshot records a file's size but not its bytes."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from replayhub.server.protocol import HubError, Response


def tree_listing(tree: list[dict[str, Any]], sub: str, recursive: bool) -> list[dict[str, Any]] | None:
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


def parse_range(header: str | None, total: int) -> tuple[int, int] | str | None:
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


def disposition(file_path: str) -> str:
    name = file_path.rsplit("/", 1)[-1]
    plain = name.encode("ascii", "replace").decode().replace('"', "_")
    return f"inline; filename*=UTF-8''{quote(name)}; filename=\"{plain}\";"


def filler(seed: str, size: int) -> bytes:
    unit = f"hubmine replay filler {seed}\n".encode()
    return (unit * (size // len(unit) + 1))[:size]


def file_response(range_header: str | None, body: bytes, content_type: str, headers: list[tuple[str, str]]) -> Response:
    """200 with ``body``, or 206 with the one range ``range_header`` asks for (416 outside it)."""
    ranged = parse_range(range_header, len(body))
    if ranged == "invalid":
        raise HubError(416, f"Range Not Satisfiable: {range_header}", headers=[("Content-Range", f"bytes */{len(body)}")])
    if ranged is None:
        return Response(200, body, content_type, headers)
    first, last = ranged
    return Response(206, body[first:last + 1], content_type,
                    [*headers, ("Content-Range", f"bytes {first}-{last}/{len(body)}")])
