"""Who holds the warehouse file: a small record per open connection, so that a process DuckDB's lock
keeps out can say which command it waits for.

DuckDB names the process holding a conflicting lock only by its program and PID ("Conflicting lock
is held in /usr/bin/python3.11 (PID 4242)"). Every hubmine connection therefore writes a record
(PID, command line, reading or writing, since when) when it opens, and removes it when the
connection is garbage collected or the process exits; :func:`describe` turns the PID of DuckDB's
message into "PID 4242 (hubmine load, writing since 15:02:11 UTC)". The records live in this user's
runtime folder ($XDG_RUNTIME_DIR, else the temporary folder), one folder per warehouse path, not
beside the warehouse: a reader changes nothing in the data folder, and DuckDB's locks are local to
one machine anyway. A record is a courtesy, never a lock: none is written where the folder cannot
be made, a killed process leaves its record behind (ignored once that PID is gone), and nothing
waits on it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import sys
import tempfile
import uuid
import weakref
from datetime import UTC, datetime
from pathlib import Path

_CONFLICT = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
MAX_COMMAND = 200


def holders_dir(warehouse: Path) -> Path:
    """This user's folder of records for ``warehouse`` (by its absolute path)."""
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
    key = hashlib.sha256(str(warehouse.absolute()).encode()).hexdigest()[:16]
    return base / f"hubmine-holders-{os.getuid()}" / key


def _ours(folder: Path) -> bool:
    """The user folder of ``folder`` is this user's alone (no one else can plant records in it)."""
    try:
        info = folder.parent.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def is_lock_conflict(message: str) -> bool:
    return "Could not set lock" in message or "Conflicting lock" in message


def _command() -> str:
    argv = [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv and sys.argv[0] else ["python"]
    text = shlex.join(argv)
    return text if len(text) <= MAX_COMMAND else text[:MAX_COMMAND - 1] + "…"


def record(warehouse: Path, connection: object, *, writing: bool) -> None:
    """Record this process as holding ``warehouse`` for as long as ``connection`` lives."""
    folder = holders_dir(warehouse)
    path = folder / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
    text = json.dumps({"pid": os.getpid(), "command": _command(), "writing": writing,
                       "since": datetime.now(UTC).isoformat(timespec="seconds")})
    for _ in range(2):  # a second try when another process removed the emptied folder meanwhile
        try:
            folder.parent.mkdir(mode=0o700, exist_ok=True)
            if not _ours(folder):
                return
            folder.mkdir(exist_ok=True)
            _sweep(folder)
            path.write_text(text)
        except FileNotFoundError:
            continue
        except OSError:
            return  # no room for records: the connection works without its record
        weakref.finalize(connection, _forget, path)
        return


def _sweep(folder: Path) -> None:
    """Remove the records of processes that are gone (killed before they could remove their own)."""
    for stale in folder.glob("*.json"):
        pid = stale.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)


def _forget(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
        path.parent.rmdir()  # only when no other holder is recorded
    except OSError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _recorded(warehouse: Path, pid: int) -> dict | None:
    folder = holders_dir(warehouse)
    if not _ours(folder):
        return None
    newest = None
    for path in folder.glob(f"{pid}-*.json"):
        try:
            entry = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if newest is None or entry.get("since", "") > newest.get("since", ""):
            newest = entry
    return newest


def describe(warehouse: Path, message: str) -> str:
    """The holder DuckDB's lock-conflict ``message`` names, in words: its PID and, when it recorded
    itself, its command and since when it holds the file."""
    match = _CONFLICT.search(message)
    if match is None:
        return "another process"
    pid = int(match.group("pid"))
    entry = _recorded(warehouse, pid) if _alive(pid) else None
    if entry is None:
        return f"PID {pid} ({match.group('program')}, not a hubmine command or one that did not record itself)"
    how = "writing" if entry.get("writing") else "reading"
    since = entry.get("since", "?").replace("T", " ").replace("+00:00", " UTC")
    return f"PID {pid} ({entry.get('command')}, {how} since {since})"
