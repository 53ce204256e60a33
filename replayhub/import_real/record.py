"""One model id as the import knows it, source by source, and how the sources merge into its
snapshot row: the ``/api/models/{id}`` body and its commits.

Merge: a model id found in several sources is ONE model. A field is taken from the first source
that has it in the precedence ``cassette > oderinwale > laufer > gaissa > castano > liang`` (a
cassette body is taken whole, nothing merged into it), except ``createdAt``, where GAISSA's
(1 h off in summer) and HFCO2's (a day) rank below every exact timestamp. ``cardData`` is merged
key by key in the order ``oderinwale > README front matter > laufer > gaissa > castano > liang``:
a real card's own YAML is what the Hub exposes as cardData, so it outranks facts other datasets
derived from cards (380 HFCO2 models thus show their card's own ``co2_eq_emissions``). Tags are
the union, first source first, plus the Hub's ``base_model:`` tags for a declared base model.

Commits and trees: GAISSA models get their real commits; the head tree is the recorded file
list (for a cassette model, its ``siblings``). Older trees are rolled back from the head using only
the Hub web UI's explicit commit titles (``Create X``, ``Upload X``, ``Update X``, ``Delete X``,
``Rename A to B``): a created file is absent before, an uploaded/updated file has another content
version before (a new stand-in LFS oid for weights), a deleted file is present before. Other
models get one commit: the real sha where recorded (cassette, oderinwale), else a stand-in
``sha1("<source>:<id>")``, dated lastModified, else createdAt, else the Hub's 2022-03-02
placeholder (then the body has no ``lastModified``); its tree is the recorded file list, else just
the README when a card is recorded, else empty. Only the head README text is known, so every
commit that has a README serves that text; a README whose text is not recorded (a card Liang lists,
or a README in a recorded file list) is an ``unrecorded`` tree entry, which the replay hub answers
with 410 ``ContentNotRecorded``: the card is unknown, not missing. Weights (by the Hub's default ``.gitattributes`` LFS
patterns) are LFS entries with a stand-in sha256; file sizes not recorded are 0. A cassette model
whose sha is an older commit of its GAISSA history gets the whole history: ``main`` is GAISSA's
newest commit (the body's facts with ``sha``, ``lastModified`` and ``siblings`` re-pointed; the
recorded file list stands for the head tree) and the body is served verbatim at its own revision
(counted per model in ``commits_newer_than_cassette_body``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from core.hub import PLACEHOLDER_CREATED_AT
from replayhub.snapshot import Commit, git_blob_oid, lfs_entry

PRECEDENCE = ("cassette", "oderinwale", "laufer", "gaissa", "castano", "liang")
CARD_PRECEDENCE = ("oderinwale", "readme", "laufer", "gaissa", "castano", "liang")
# createdAt only: GAISSA's times are 1 h early in European summer time (Liang and the cassettes
# agree with each other, GAISSA is off by -3600 s for 61 of 119 shared models, all in Mar-Oct);
# HFCO2 dates are days only. A better timestamp of the same model wins over either.
FIELD_PRECEDENCE = (*PRECEDENCE, "gaissa_time", "castano_day")

# Key order of real /api/models/{id} bodies, so imported bodies read like recorded ones.
KEY_ORDER = ("_id", "id", "private", "pipeline_tag", "library_name", "tags", "downloads", "likes",
             "modelId", "author", "sha", "lastModified", "gated", "disabled", "mask_token",
             "widgetData", "model-index", "config", "cardData", "transformersInfo", "siblings",
             "spaces", "createdAt", "safetensors", "gguf", "inference", "usedStorage")

# The Hub's default .gitattributes LFS patterns (plus formats that are always LFS in practice).
LFS_EXTENSIONS = frozenset(
    "7z arrow bin bz2 ckpt ftz gz h5 joblib mlmodel model msgpack npy npz onnx onnx_data ot parquet pb "
    "pickle pkl pt pth rar safetensors tar tflite tgz wasm xz zip zst gguf nemo pdparams".split())

UI_TITLE = re.compile(r"^(Create|Add|Upload|Update|Delete) (\S+?)(?: with (?:huggingface_hub|git-lfs))?$")
UI_RENAME = re.compile(r"^Rename (\S+) to (\S+)$")


class Record:
    """Everything known about one model id, per source, until the snapshot row is built."""

    __slots__ = ("id", "sources", "layers", "card_layers", "tags", "verbatim", "commits", "head_files",
                 "readme", "real_sha", "liang_has_card")

    def __init__(self, repo_id: str):
        self.id = repo_id
        self.sources: list[str] = []
        self.layers: dict[str, dict[str, Any]] = {}
        self.card_layers: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, list[str]] = {}
        self.verbatim: str | None = None
        self.commits: list[dict[str, Any]] | None = None  # newest first, as the API lists them
        self.head_files: dict[str, dict[str, Any]] | None = None  # path -> sibling-ish facts
        self.readme: bytes | None = None
        self.real_sha: str | None = None
        self.liang_has_card = False

    def field(self, key: str) -> Any:
        for source in FIELD_PRECEDENCE:
            value = self.layers.get(source, {}).get(key)
            if value is not None:
                return value
        return None

    def created(self) -> str | None:
        if self.verbatim is not None:
            return json.loads(self.verbatim).get("createdAt")
        return self.field("createdAt")

    def sort_key(self) -> str:
        return self.created() or ""

    def build(self) -> tuple[dict[str, Any] | str, list[Commit]]:
        if self.verbatim is not None:
            body = json.loads(self.verbatim)
            ids = [c["id"] for c in self.commits or []]
            if not ids or ids[0] == body["sha"] or body["sha"] not in ids:
                return self.verbatim, self._commits(body["sha"], body.get("lastModified"), siblings_files(body))
            # GAISSA recorded newer commits than the body: main is GAISSA's head (the body's facts,
            # re-pointed), and the body itself is served verbatim at its own revision.
            commits = self._commits(ids[0], None, siblings_files(body))
            head = {**body, "sha": commits[-1].id, "lastModified": commits[-1].date,
                    "siblings": list(_siblings_of(commits[-1], body.get("siblings")))}
            return json.dumps(head, ensure_ascii=False, separators=(",", ":")), commits
        info: dict[str, Any] = {}
        for source in FIELD_PRECEDENCE:
            for key, value in self.layers.get(source, {}).items():
                if value is not None and key not in info:
                    info[key] = value
        card: dict[str, Any] = {}
        for source in CARD_PRECEDENCE:
            for key, value in self.card_layers.get(source, {}).items():
                if key not in card:
                    card[key] = value
        tags: list[str] = []
        for source in PRECEDENCE:
            tags += [t for t in self.tags.get(source, ()) if t not in tags]
        if card:
            info["cardData"] = card
            if "oderinwale" not in self.tags:
                # The Hub tags what a card declares; a recorded tag list already has its own.
                tags += [t for t in _base_model_tags(card) if t not in tags]
        info["tags"] = tags
        info["id"] = self.id
        if "/" in self.id:
            info["author"] = self.id.split("/")[0]
        info.setdefault("private", False)
        # The top source names the stand-in sha, so the same id from another import differs.
        sha = self.real_sha or (self.commits[0]["id"] if self.commits else None) or hashlib.sha1(
            f"{self.sources[0]}:{self.id}".encode()).hexdigest()
        date = info.get("lastModified") or info.get("createdAt")
        head = self.head_files
        if head is None and "siblings" in info:
            head = siblings_files(info)
        commits = self._commits(sha, date, head)
        info["sha"] = commits[-1].id
        if commits[-1].date != PLACEHOLDER_CREATED_AT[0] or info.get("lastModified"):
            info["lastModified"] = commits[-1].date
        info["siblings"] = list(_siblings_of(commits[-1], info.get("siblings")))
        return {k: info[k] for k in sorted(info, key=_key_rank)}, commits

    def _commits(self, sha: str, date: str | None, head: dict[str, dict[str, Any]] | None) -> list[Commit]:
        """Oldest first; a README.md in a tree gets the recorded card text when there is one."""
        history = self.commits or []
        ids = [c["id"] for c in history]
        if sha in ids:
            history = history[ids.index(sha):]
        else:
            # One commit for the snapshot state; undated, it gets the Hub's placeholder (:04 form).
            history = [{"id": sha, "date": date or PLACEHOLDER_CREATED_AT[0], "title": "Snapshot state",
                        "message": "", "authors": []}]
        if head is None:
            # No file list recorded: the card is the only file known to exist (its text may not be).
            head = {"README.md": {}} if self.readme is not None or self.liang_has_card else {}
        if len(history) > 1:
            trees = _roll_back(head, [c["title"] for c in history])
        else:
            trees = [{p: 0 for p in head}]
        out = []
        for c, tree in zip(reversed(history), reversed(trees)):
            files: dict[str, bytes | dict[str, Any]] = {}
            for path, gen in tree.items():
                files[path] = self._entry(path, gen, head.get(path, {}))
            out.append(Commit(id=c["id"], date=c["date"], title=c["title"], message=c["message"],
                              authors=tuple(c["authors"]), files=files))
        return out

    def _entry(self, path: str, gen: int, facts: dict[str, Any]) -> bytes | dict[str, Any]:
        if path == "README.md":
            if self.readme is not None:
                return self.readme
            # The card exists but nobody recorded its text: the replay hub answers "content unknown"
            # (410), never "no card" (404) nor filler bytes posing as the card.
            return {"type": "file", "path": path, "oid": git_blob_oid(f"{self.id}\0{path}\0{gen}".encode()),
                    "size": int(facts.get("size") or 0), "unrecorded": True}
        lfs = facts.get("lfs")
        if lfs or _is_lfs(path):
            lfs = lfs or {}
            sha256 = lfs.get("sha256") if gen == 0 and lfs.get("sha256") else hashlib.sha256(
                f"{self.id}\0{path}\0{gen}".encode()).hexdigest()
            return lfs_entry(path, sha256, int(lfs.get("size") or facts.get("size") or 0))
        oid = facts.get("blobId") if gen == 0 and facts.get("blobId") else git_blob_oid(
            f"{self.id}\0{path}\0{gen}".encode())
        return {"type": "file", "path": path, "oid": oid, "size": int(facts.get("size") or 0)}


# How a source reaches the record of a model id: ``rec(repo_id, source)`` creates it on first
# sight and notes the source (``build.import_real`` owns the records).
RecordFor = Callable[[str, str], Record]


def _key_rank(key: str) -> tuple[int, str]:
    return (KEY_ORDER.index(key), "") if key in KEY_ORDER else (len(KEY_ORDER), key)


def siblings_files(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["rfilename"]: s for s in body.get("siblings") or [] if s.get("rfilename")}


def _siblings_of(commit: Commit, recorded: list[dict[str, Any]] | None) -> Iterable[dict[str, Any]]:
    """The head tree as ``siblings``; recorded siblings keep their own extra facts."""
    known = {s["rfilename"]: s for s in recorded or []}
    for path in sorted(commit.files or {}):
        yield known.get(path) or {"rfilename": path}


def _is_lfs(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "tfevents" in name or ("." in name and name.rsplit(".", 1)[-1].lower() in LFS_EXTENSIONS)


def _roll_back(head: dict[str, Any], titles_newest_first: list[str]) -> list[dict[str, int]]:
    """Trees (path -> content generation, 0 = head content), newest first, from web-UI titles."""
    tree = {p: 0 for p in head}
    trees = []
    for title in titles_newest_first:
        trees.append(dict(tree))
        if m := UI_RENAME.match(title):
            old, new = m.groups()
            if new in tree and old not in tree:
                tree[old] = tree.pop(new)
        elif m := UI_TITLE.match(title):
            verb, path = m.groups()
            if verb in ("Create", "Add") and path in tree:
                del tree[path]
            elif verb in ("Upload", "Update") and path in tree:
                tree[path] += 1
            elif verb == "Delete" and path not in tree and "." in path.rsplit("/", 1)[-1]:
                tree[path] = 0
    return trees


def _base_model_tags(card: dict[str, Any]) -> list[str]:
    base = card.get("base_model")
    if isinstance(base, str):
        bases = [base]
    elif isinstance(base, list):
        bases = [b for b in base if isinstance(b, str)]
    else:
        bases = []
    relation = card.get("base_model_relation")
    tags = [f"base_model:{b}" for b in bases]
    if isinstance(relation, str):
        tags += [f"base_model:{relation}:{b}" for b in bases]
    return tags


def newer_than_verbatim(recs: dict[str, Record]) -> dict[str, int]:
    """Recorded commits after a verbatim body's sha: ``main`` is the newest, the body is served at its sha."""
    dropped = {}
    for r in recs.values():
        if r.verbatim is not None and r.commits:
            ids = [c["id"] for c in r.commits]
            newer = ids.index(r.real_sha) if r.real_sha in ids else len(ids)
            if newer:
                dropped[r.id] = newer
    return dict(sorted(dropped.items()))


def overlaps(recs: dict[str, Record]) -> dict[str, int]:
    """How many models each combination of sources shares."""
    combos = Counter("+".join(sorted(set(r.sources), key=PRECEDENCE.index)) for r in recs.values()
                     if len(set(r.sources)) > 1)
    return dict(sorted(combos.items()))
