"""Release steps from repo names: what kind of release a versioned name announces and how a release
moves the version of the one before it.

Ajibode et al. (RQ3) read a name's version by its form: ``vN`` announces a *major* release and
``vN.M`` a *minor* one, whatever the numbers (``TinyLlama-1.1B-Chat-v1.0`` after ``v0.6`` is minor;
``...-v4`` beside ``...-v4.1`` is major). :func:`release_kind` is that reading; :func:`pair_kind`
applies it to a (release, predecessor) pair as their pair tables do, falling back to the
predecessor's version when the release itself carries none.

Within a lineage family the warehouse also orders releases by creation time and says how each moves
the version of the previous one (:func:`step`: major, minor, patch, same or backwards), which is
what semantic versioning would require. ``family_releases`` (marts.release_steps, built by
:func:`release_steps`) carries both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from analysis.naming.parse import parse_name
from analysis.naming.tokens import version_kind

KINDS = {"vN": "major", "vN.M": "minor", "vN.M.K": "patch"}

# The last v-number in the name is the release's: earlier ones belong to the base it was built on
# ("TinyLlama-1.1B-Chat-v1.0-reasoning-v2" is a v2 release, "squad_v2" as much as "model-v2").
_V_RE = re.compile(r"(?<![A-Za-z0-9])[vV](\d{1,8}(?:\.\d{1,4}){0,2})(?![0-9]|\.\d)")


def release_version(repo_id: str) -> str | None:
    """The version a name announces: its last ``vN[.M[.K]]``, else the parser's version (bare
    ``1.5``, date stamps)."""
    model = repo_id[repo_id.find("/") + 1 :] if isinstance(repo_id, str) else ""
    found = _V_RE.findall(model)
    if found:
        return "v" + found[-1]
    return parse_name(repo_id).version


def release_kind(repo_id: str) -> str | None:
    """major (``vN``), minor (``vN.M``), patch (``vN.M.K``), date, or None when the name has no version."""
    version = release_version(repo_id)
    if version is None:
        return None
    kind = version_kind(version)
    if kind is None and version[:1] in "vV":  # "v1123": not a date, so a plain major number
        return "major"
    return "date" if kind == "date" else KINDS.get(kind or "")


def version_parts(repo_id: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) of the version a name announces; None without one or for a date stamp."""
    version = release_version(repo_id)
    if version is None or release_kind(repo_id) == "date":
        return None
    numbers = version.lstrip("vV").split(".")
    if not all(n.isdigit() for n in numbers):
        return None
    return tuple((list(map(int, numbers)) + [0, 0])[:3])  # type: ignore[return-value]


def pair_kind(release: str, predecessor: str) -> str | None:
    """The authors' kind of a (release, compared-with) pair: the release's own version form, else the
    other name's (``luau-assistant-v0.1`` beside ``luau-assistant-lora`` is a minor pair)."""
    return release_kind(release) or release_kind(predecessor)


def step(previous: tuple[int, int, int] | None, current: tuple[int, int, int] | None) -> str | None:
    """How ``current`` moves ``previous``: first, major, minor, patch, same or backwards (None without
    a current version)."""
    if current is None:
        return None
    if previous is None:
        return "first"
    if current < previous:
        return "backwards"
    if current[0] > previous[0]:
        return "major"
    if current[1] > previous[1]:
        return "minor"
    if current[2] > previous[2]:
        return "patch"
    return "same"


def release_steps(rows: Iterable[tuple[str, str, object]]) -> Iterator[tuple[str, str, str | None, str, str, str]]:
    """(family_id, model_id, previous_model_id, version, kind, step) for versioned releases.

    ``rows``: (family_id, model_id, created_at) sorted by family, creation time and model id; models
    without a vN[.M[.K]] version are skipped, as they cannot take part in a version sequence.
    """
    family = previous_id = None
    previous: tuple[int, int, int] | None = None
    for family_id, model_id, _created_at in rows:
        parts = version_parts(model_id)
        if parts is None:
            continue
        if family_id != family:
            family, previous_id, previous = family_id, None, None
        yield family_id, model_id, previous_id, release_version(model_id), release_kind(model_id), step(previous, parts)
        previous_id, previous = model_id, parts
