r"""Build a hub snapshot from the real recorded Hub facts in ``../shared/realdata``.

The replay hub then serves real model ids, counters, dates, lineage edges, carbon fields, commit
histories and card texts, so the miners and the analyses can be checked against facts that someone
else recorded from the real Hub rather than against the project's own generator.

Sources and how each lands in the snapshot (``models.info`` is the ``GET /api/models/{id}`` body):

* ``cassette`` -- ``hfhub_cassettes/model_info/*.json``: 35 real bodies, served verbatim. The files
  wrap the body as a parsed, re-indented JSON object, so the Hub's bytes are not in them. Three bodies
  also exist as the original response string in ``hfhub_cassettes/raw/*.yaml``; those strings are
  used as-is. The other 32 are re-serialised (unavoidably) compactly with ``ensure_ascii=False`` --
  the Hub's own JSON style, which reproduces the three raw originals byte for byte; only whitespace
  and ``\u`` escapes differ from the wrapper files. Nothing from other sources is merged into a
  verbatim body.
* ``oderinwale`` -- the Mistral-Small-24B-Base-2501 family, 67 models, each a huggingface_hub
  ``ModelInfo`` dumped with snake_case attribute names; converted back to the Hub's camelCase body
  (``card_data`` YAML parsed into ``cardData``; ``RepoSibling(...)`` reprs parsed into ``siblings``).
  The CSV holds all 67; ``model_data.json`` holds only a 5-model subtree (same metadata, depths
  relative to its own root), so the CSV is the source and its ``depth`` is the family depth.
* ``laufer`` -- 1,042 nodes / 1,041 typed edges: ``cardData.base_model`` = parent id,
  ``cardData.base_model_relation`` = edge type as recorded, plus the Hub's ``base_model:<id>`` and
  ``base_model:<relation>:<id>`` tags.
* ``gaissa`` -- 8,042 real commits of 359 models (``commit_data.csv``) and facts of 363 models
  (``HF_topmodels.csv``). Commits keep the order the Hub API returned them (the file lists newest
  first, git's order; two models have locally non-monotonic dates there, so sorting by date would
  reorder real history). Dates are rewritten from GAISSA's ``.0000Z`` to the Hub's ``.000Z``
  (same instant). Authors come from the JSON commit lists in ``HF_topmodels.csv`` (the CSV's
  ``", "``-joined field is ambiguous to split); title and message from ``commit_data.csv`` (whose
  messages lost the ``\r`` of ``\r\n`` that the JSON lists keep). One row lost its ``authors``
  field, shifting the rest left (a title under ``created_at``); it is re-aligned on its ISO date
  and counted as repaired. GAISSA's times run 1 h early inside European summer time (compared
  with the cassettes and Liang); commits keep them as recorded.
* ``castano`` -- HFCO2 rows: ``cardData.co2_eq_emissions`` = {emissions, source, training_type,
  geographical_location, hardware_used (the ``environment`` column)} with the raw values verbatim,
  "Not Specified" included; ``datasets`` into ``cardData.datasets``; downloads, likes, created_at;
  the ``library_name`` list into ``tags``; ``size`` into ``usedStorage``. HFCO2 records model
  *names* without owners: a name becomes ``owner/name`` only when the owner is certain (see
  :func:`_resolve_castano`); otherwise the recorded name is kept as a legacy-style bare id.
  A name recorded in several rows keeps its first row; the others are counted.
* ``liang`` -- 74,970 models: author, createdAt, downloads; ``pipeline_tag`` = ``task_category``
  unless ``unknown`` (every other value is a Hub pipeline tag), also listed in ``tags`` as the Hub
  does. ``task_domain`` is the paper's grouping, not a Hub field, and is not stored.

Merge: a model id found in several sources is ONE model. A field is taken from the first source
that has it in the precedence ``cassette > oderinwale > laufer > gaissa > castano > liang`` (a
cassette body is taken whole, nothing merged into it), except ``createdAt``, where GAISSA's
(1 h off in summer) and HFCO2's (a day) rank below every exact timestamp. ``cardData`` is merged
key by key in the order ``oderinwale > README front matter > laufer > gaissa > castano > liang``:
a real card's own YAML is what the Hub exposes as cardData, so it outranks facts other datasets
derived from cards (380 HFCO2 models thus show their card's own ``co2_eq_emissions``). Tags are
the union, first source first, plus the Hub's ``base_model:`` tags for a declared base model.

Cards: ``README.md`` carries real text only where a real card is recorded for that exact id:
``cards/`` (by ``hub_model_id_if_known``) > ``liang2024_modelcards/intervention_cards`` >
``cards_2023/cards.parquet`` (stem ``{owner}_{name}``; used only when exactly one snapshot id has
that stem, and never for a bare id containing ``_``, which any owner_name split could produce).
The card's front matter becomes ``cardData`` (parsed as huggingface_hub finds it). A model whose
source says it has a card but whose text is not recorded gets no README (it appears card-less;
counted as ``carded_without_text``) -- no prose is invented. A cassette model's README is the
recorded card even where it predates the body.

Commits and trees: GAISSA models get their real commits; the head tree is the recorded file
list (for a cassette model, its ``siblings``). Older trees are rolled back from the head using only
the Hub web UI's explicit commit titles (``Create X``, ``Upload X``, ``Update X``, ``Delete X``,
``Rename A to B``): a created file is absent before, an uploaded/updated file has another content
version before (a new stand-in LFS oid for weights), a deleted file is present before. Other
models get one commit: the real sha where recorded (cassette, oderinwale), else a stand-in
``sha1("<source>:<id>")``, dated lastModified, else createdAt, else the Hub's 2022-03-02
placeholder (then the body has no ``lastModified``); its tree is the recorded file list, else just
the README when a card is recorded, else empty. Only the head README text is known, so every
commit that has a README serves that text. Weights (by the Hub's default ``.gitattributes`` LFS
patterns) are LFS entries with a stand-in sha256; file sizes not recorded are 0. A cassette model
whose sha is an older commit of its GAISSA history gets the whole history: ``main`` is GAISSA's
newest commit (the body's facts with ``sha``, ``lastModified`` and ``siblings`` re-pointed; the
recorded file list stands for the head tree) and the body is served verbatim at its own revision
(counted per model in ``commits_newer_than_cassette_body``).

``meta``: ``source`` = ``import-real``, ``snapshot_time`` = the newest date found in any source,
``sources`` = the per-source counts (JSON).
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from replayhub.snapshot import Commit, SnapshotWriter, git_blob_oid, lfs_entry

SOURCE = "import-real"
PRECEDENCE = ("cassette", "oderinwale", "laufer", "gaissa", "castano", "liang")
CARD_PRECEDENCE = ("oderinwale", "readme", "laufer", "gaissa", "castano", "liang")
# createdAt only: GAISSA's times are 1 h early in European summer time (Liang and the cassettes
# agree with each other, GAISSA is off by -3600 s for 61 of 119 shared models, all in Mar-Oct);
# HFCO2 dates are days only. A better timestamp of the same model wins over either.
FIELD_PRECEDENCE = (*PRECEDENCE, "gaissa_time", "castano_day")
PLACEHOLDER_DATE = "2022-03-02T23:29:04.000Z"

# Key order of real /api/models/{id} bodies, so imported bodies read like recorded ones.
KEY_ORDER = ("_id", "id", "private", "pipeline_tag", "library_name", "tags", "downloads", "likes",
             "modelId", "author", "sha", "lastModified", "gated", "disabled", "mask_token",
             "widgetData", "model-index", "config", "cardData", "transformersInfo", "siblings",
             "spaces", "createdAt", "safetensors", "gguf", "inference", "usedStorage")

# huggingface_hub.ModelInfo attribute -> Hub JSON key.
ODER_KEYS = {
    "_id": "_id", "id": "id", "author": "author", "sha": "sha", "last_modified": "lastModified",
    "created_at": "createdAt", "private": "private", "gated": "gated", "disabled": "disabled",
    "downloads": "downloads", "downloads_all_time": "downloadsAllTime", "likes": "likes",
    "library_name": "library_name", "gguf": "gguf", "inference": "inference",
    "inference_provider_mapping": "inferenceProviderMapping", "tags": "tags",
    "pipeline_tag": "pipeline_tag", "mask_token": "mask_token", "trending_score": "trendingScore",
    "card_data": "cardData", "widget_data": "widgetData", "model_index": "model-index",
    "config": "config", "transformers_info": "transformersInfo", "siblings": "siblings",
    "spaces": "spaces", "safetensors": "safetensors", "security_repo_status": "securityRepoStatus",
    "xet_enabled": "xetEnabled", "usedStorage": "usedStorage",
}

# The Hub's default .gitattributes LFS patterns (plus formats that are always LFS in practice).
LFS_EXTENSIONS = frozenset(
    "7z arrow bin bz2 ckpt ftz gz h5 joblib mlmodel model msgpack npy npz onnx onnx_data ot parquet pb "
    "pickle pkl pt pth rar safetensors tar tflite tgz wasm xz zip zst gguf nemo pdparams".split())

# Framework tags in HFCO2's library list: real tags, but not a `library_name`.
FRAMEWORK_TAGS = frozenset({"pytorch", "tf", "jax", "safetensors", "tensorboard", "rust", "onnx",
                            "tflite", "coreml", "keras", "flax", "tf-keras"})

ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
HEX40 = re.compile(r"^[0-9a-f]{40}$")
YAML_BLOCK = re.compile(r"^(\s*---[\r\n]+)([\S\s]*?)([\r\n]+---(\r\n|\n|$))")
UI_TITLE = re.compile(r"^(Create|Add|Upload|Update|Delete) (\S+?)(?: with (?:huggingface_hub|git-lfs))?$")
UI_RENAME = re.compile(r"^Rename (\S+) to (\S+)$")

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def import_real(realdata: Path, out_dir: Path, *, progress: bool = True) -> dict:
    """Write a hub snapshot of the real recorded facts in ``realdata`` to ``out_dir``.

    Returns the summary: per-source counts (rows read, models, merges, repaired/dropped rows, cards),
    the total model count, ``snapshot_time`` and the run time in seconds.
    """
    started = time.perf_counter()
    realdata, out_dir = Path(realdata), Path(out_dir)
    log = _logger(progress, started)
    recs: dict[str, _Rec] = {}
    summary: dict[str, Any] = {}
    dates: list[str] = []

    def rec(repo_id: str, source: str) -> _Rec:
        r = recs.get(repo_id)
        if r is None:
            r = recs[repo_id] = _Rec(repo_id)
        r.sources.append(source)
        return r

    summary["cassette"] = _add_cassettes(realdata / "hfhub_cassettes", rec, dates)
    log("cassette", summary["cassette"])
    summary["oderinwale"] = _add_oderinwale(realdata / "oderinwale_model_trees", rec, dates)
    log("oderinwale", summary["oderinwale"])
    summary["laufer"] = _add_laufer(realdata / "laufer_modelbiome" / "graph_data_mini.json", rec, dates)
    log("laufer", summary["laufer"])
    summary["gaissa"] = _add_gaissa(realdata / "gaissa_hf_diversity", rec, dates)
    log("gaissa", summary["gaissa"])
    liang = pl.read_parquet(realdata / "liang2024_modelcards" / "model_info.parquet")
    cards = _CardIndex(realdata)
    summary["castano"] = _add_castano(realdata / "castano_hfco2" / "HFCO2.csv", rec, recs, liang, cards, dates)
    log("castano", summary["castano"])
    summary["liang"] = _add_liang(liang, rec, dates)
    log("liang", summary["liang"])
    summary["cards"] = cards.attach(recs)
    summary["liang"]["carded_without_text"] = sum(
        1 for r in recs.values() if r.liang_has_card and r.readme is None)
    summary["liang"]["cards_attached"] = sum(1 for r in recs.values() if "liang" in r.sources and r.readme)
    log("cards", summary["cards"])

    snapshot_time = max(dates)
    summary["merged"] = _overlaps(recs)
    summary["gaissa"]["commits_newer_than_cassette_body"] = _newer_than_verbatim(recs)
    ordered = sorted(recs.values(), key=lambda r: (r.sort_key(), r.id))
    meta = {"snapshot_time": snapshot_time, "sources": json.dumps(summary, sort_keys=True)}
    with SnapshotWriter(out_dir, source=SOURCE, meta=meta) as writer:
        for r in ordered:
            info, commits = r.build()
            writer.add_model(info, commits=commits)
            if r.verbatim is not None and info is not r.verbatim:
                writer.add_revision_body(r.id, json.loads(r.verbatim)["sha"], r.verbatim)
    result = {"models": len(recs), "snapshot_time": snapshot_time, **summary,
              "seconds": round(time.perf_counter() - started, 2)}
    log("done", {"models": len(recs), "seconds": result["seconds"]})
    return result


# --------------------------------------------------------------------------------------------- model


class _Rec:
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
                return self.verbatim, self._commits(body["sha"], body.get("lastModified"), _siblings_files(body))
            # GAISSA recorded newer commits than the body: main is GAISSA's head (the body's facts,
            # re-pointed), and the body itself is served verbatim at its own revision.
            commits = self._commits(ids[0], None, _siblings_files(body))
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
            head = _siblings_files(info)
        commits = self._commits(sha, date, head)
        info["sha"] = commits[-1].id
        if commits[-1].date != PLACEHOLDER_DATE or info.get("lastModified"):
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
            history = [{"id": sha, "date": date or PLACEHOLDER_DATE, "title": "Snapshot state",
                        "message": "", "authors": []}]
        if head is None:
            # No file list recorded: the recorded card is the only file known to exist.
            head = {"README.md": {}} if self.readme is not None else {}
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
        if path == "README.md" and self.readme is not None:
            return self.readme
        lfs = facts.get("lfs")
        if lfs or _is_lfs(path):
            lfs = lfs or {}
            sha256 = lfs.get("sha256") if gen == 0 and lfs.get("sha256") else hashlib.sha256(
                f"{self.id}\0{path}\0{gen}".encode()).hexdigest()
            return lfs_entry(path, sha256, int(lfs.get("size") or facts.get("size") or 0))
        oid = facts.get("blobId") if gen == 0 and facts.get("blobId") else git_blob_oid(
            f"{self.id}\0{path}\0{gen}".encode())
        return {"type": "file", "path": path, "oid": oid, "size": int(facts.get("size") or 0)}


def _key_rank(key: str) -> tuple[int, str]:
    return (KEY_ORDER.index(key), "") if key in KEY_ORDER else (len(KEY_ORDER), key)


def _siblings_files(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
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


def _newer_than_verbatim(recs: dict[str, _Rec]) -> dict[str, int]:
    """Recorded commits after a verbatim body's sha: ``main`` is the newest, the body is served at its sha."""
    dropped = {}
    for r in recs.values():
        if r.verbatim is not None and r.commits:
            ids = [c["id"] for c in r.commits]
            newer = ids.index(r.real_sha) if r.real_sha in ids else len(ids)
            if newer:
                dropped[r.id] = newer
    return dict(sorted(dropped.items()))


def _overlaps(recs: dict[str, _Rec]) -> dict[str, int]:
    combos = Counter("+".join(sorted(set(r.sources), key=PRECEDENCE.index)) for r in recs.values()
                     if len(set(r.sources)) > 1)
    return dict(sorted(combos.items()))


# ------------------------------------------------------------------------------------------- sources


def _add_cassettes(folder: Path, rec, dates: list[str]) -> dict[str, Any]:
    raw: dict[str, str] = {}
    for path in sorted((folder / "raw").glob("*.yaml")):
        cassette = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        for interaction in cassette.get("interactions") or []:
            request, response = interaction.get("request") or {}, interaction.get("response") or {}
            body = (response.get("body") or {}).get("string")
            if request.get("method") == "GET" and (response.get("status") or {}).get("code") == 200 \
                    and isinstance(body, str):
                raw[request.get("uri", "")] = body
    stats = {"files": 0, "models": 0, "verbatim_from_raw_cassette": 0, "reserialised": 0}
    for path in sorted((folder / "model_info").glob("*.json")):
        wrapper = json.loads(path.read_text(encoding="utf-8"))
        body = wrapper["body"]
        text = raw.get(wrapper.get("uri", ""))
        if text is not None and json.loads(text) == body:
            stats["verbatim_from_raw_cassette"] += 1
        else:
            text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            stats["reserialised"] += 1
        stats["files"] += 1
        r = rec(body["id"], "cassette")
        if r.verbatim is not None:
            raise ValueError(f"{path}: a second recorded body for {body['id']}")
        r.verbatim = text
        r.real_sha = body.get("sha")
        for d in (body.get("lastModified"), body.get("createdAt")):
            if d:
                dates.append(d)
        for recorded in wrapper.get("date") or []:
            dates.append(_hub_date(parsedate_to_datetime(recorded)))
    stats["models"] = stats["files"]
    return stats


def _add_oderinwale(folder: Path, rec, dates: list[str]) -> dict[str, Any]:
    csv_path = next(folder.glob("*.csv"))
    table = pl.read_csv(csv_path, infer_schema=False)
    members = set(table["model_id"])
    children_outside: set[str] = set()
    for row in table.iter_rows(named=True):
        meta = json.loads(row["metadata"])
        body = _modelinfo_to_body(meta)
        r = rec(row["model_id"], "oderinwale")
        card = body.pop("cardData", None)
        if isinstance(card, dict):
            r.card_layers["oderinwale"] = card
        r.tags["oderinwale"] = list(body.pop("tags", None) or [])
        r.layers["oderinwale"] = body
        r.real_sha = body.get("sha")
        r.head_files = _siblings_files(body)
        for d in (body.get("lastModified"), body.get("createdAt")):
            if d:
                dates.append(d)
        for url in ast.literal_eval(row["children"] or "[]"):
            child = url.removeprefix("https://huggingface.co/")
            if child not in members:
                children_outside.add(child)
    json_models = 0
    json_path = folder / "model_data.json"
    if json_path.exists():
        json_models = len(json.loads(json_path.read_text(encoding="utf-8")).get("models") or [])
    depths = Counter(int(d) for d in table["depth"])
    return {"models": table.height, "depths": {str(k): v for k, v in sorted(depths.items())},
            "children_not_recorded": len(children_outside), "model_data_json_models": json_models}


def _modelinfo_to_body(meta: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for attr, key in ODER_KEYS.items():
        value = meta.get(attr)
        if value is None:
            continue
        if key in ("lastModified", "createdAt"):
            value = _hub_date(datetime.fromisoformat(value))
        elif key == "cardData":
            value = _yaml_mapping(value) if isinstance(value, str) else value
            if value is None:
                continue
        elif key == "siblings":
            value = [_parse_sibling(s) if isinstance(s, str) else s for s in value]
        body[key] = value
    body.setdefault("modelId", body.get("id"))
    return body


def _parse_sibling(text: str) -> dict[str, Any]:
    """``RepoSibling(rfilename='x', size=None, blob_id=None, lfs=BlobLfsInfo(...))`` -> Hub sibling."""
    call = ast.parse(text, mode="eval").body
    fields = _call_kwargs(call)
    sibling: dict[str, Any] = {"rfilename": fields["rfilename"]}
    if fields.get("size") is not None:
        sibling["size"] = fields["size"]
    if fields.get("blob_id") is not None:
        sibling["blobId"] = fields["blob_id"]
    lfs = fields.get("lfs")
    if isinstance(lfs, dict):
        sibling["lfs"] = {"size": lfs.get("size"), "sha256": lfs.get("sha256"),
                          "pointerSize": lfs.get("pointer_size")}
    return sibling


def _call_kwargs(node: ast.AST) -> dict[str, Any]:
    if not isinstance(node, ast.Call):
        raise ValueError(f"not a call: {ast.dump(node)}")
    return {kw.arg: _call_kwargs(kw.value) if isinstance(kw.value, ast.Call) else ast.literal_eval(kw.value)
            for kw in node.keywords}


def _add_laufer(path: Path, rec, dates: list[str]) -> dict[str, Any]:
    graph = json.loads(path.read_text(encoding="utf-8"))
    parent: dict[str, tuple[str, str]] = {}
    for edge in graph["edges"]:
        if edge["target"] in parent:
            raise ValueError(f"{path}: {edge['target']} has two recorded parents")
        parent[edge["target"]] = (edge["source"], edge["type"])
    for node in graph["nodes"]:
        r = rec(node["id"], "laufer")
        r.layers["laufer"] = {"createdAt": node.get("createdAt"), "downloads": node.get("downloads"),
                              "likes": node.get("likes"), "pipeline_tag": node.get("pipeline_tag"),
                              "library_name": node.get("library_name")}
        if node["id"] in parent:
            base, relation = parent[node["id"]]
            r.card_layers["laufer"] = {"base_model": base, "base_model_relation": relation}
            r.tags["laufer"] = [f"base_model:{base}", f"base_model:{relation}:{base}"]
        if node.get("createdAt"):
            dates.append(node["createdAt"])
    return {"models": len(graph["nodes"]), "edges": len(graph["edges"]),
            "relations": dict(sorted(Counter(e["type"] for e in graph["edges"]).items()))}


def _add_gaissa(folder: Path, rec, dates: list[str]) -> dict[str, Any]:
    csv.field_size_limit(sys.maxsize)
    top: dict[str, dict[str, str]] = {}
    json_commits: dict[tuple[str, str], dict[str, Any]] = {}
    with open(folder / "HF_topmodels.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            top[row["modelId"]] = row
            try:
                listed = json.loads(row["commits"])
            except json.JSONDecodeError:
                continue  # gated repos: the crawler recorded "not authorized"
            for c in listed:
                json_commits[(row["modelId"], c["commit_id"])] = c
    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    repaired, dropped = [], []
    with open(folder / "commit_data.csv", newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if header != ["model_id", "commit_id", "authors", "created_at", "title", "message"]:
            raise ValueError(f"{folder}/commit_data.csv: unexpected header {header}")
        for fields in reader:
            line = reader.line_num
            commit = _gaissa_commit(fields)
            if commit is None:
                dropped.append({"line": line, "fields": fields[:2]})
                continue
            if commit.pop("repaired"):
                repaired.append({"line": line, "model": commit["model"], "commit": commit["id"]})
            recorded = json_commits.get((commit["model"], commit["id"]))
            if recorded is not None and (", ".join(recorded["authors"]) == commit["authors_text"]
                                         or not commit["authors_text"]):
                commit["authors"] = list(recorded["authors"])
            else:
                commit["authors"] = [a for a in commit["authors_text"].split(", ") if a]
            del commit["authors_text"]
            by_model[commit.pop("model")].append(commit)
            dates.append(commit["date"])
    non_monotonic = 0
    for commits in by_model.values():
        if any(a["date"] < b["date"] for a, b in zip(commits, commits[1:])):
            non_monotonic += 1
    for model_id, row in top.items():
        r = rec(model_id, "gaissa")
        created = _hub_date_text(row["created_at"]) if row["created_at"] else None
        size = _num(row["size"])
        r.layers["gaissa_time"] = {"createdAt": created}
        r.layers["gaissa"] = {"downloads": _int(row["downloads"]),
                              "likes": _int(row["likes"]), "library_name": row["library_name"] or None,
                              "usedStorage": int(size) if size is not None else None}
        datasets = _list_literal(row["datasets"])
        if datasets:
            r.card_layers["gaissa"] = {"datasets": datasets}
        files = _list_literal(row["files"])
        if files:
            r.head_files = {p: {} for p in files}
        if model_id in by_model:
            r.commits = by_model[model_id]
        if created:
            dates.append(created)
    return {"models": len(top), "commit_rows": sum(len(v) for v in by_model.values()) + len(dropped),
            "commits": sum(len(v) for v in by_model.values()), "models_with_commits": len(by_model),
            "models_without_commits": len(set(top) - set(by_model)),
            "commit_models_without_facts": len(set(by_model) - set(top)),
            "repaired_rows": repaired, "dropped_rows": dropped,
            "models_with_non_monotonic_dates": non_monotonic}


def _gaissa_commit(fields: list[str]) -> dict[str, Any] | None:
    """One commit_data.csv row; a row whose columns shifted (a field went missing, so a title
    sits in ``created_at``) is re-aligned on the one field that must be an ISO date."""
    if len(fields) < 4 or not HEX40.match(fields[1]):
        return None
    if len(fields) == 6 and ISO_DATE.match(fields[3]):
        authors, when, title, message, repaired = fields[2], fields[3], fields[4], fields[5], False
    else:
        at = next((i for i in range(2, len(fields)) if ISO_DATE.match(fields[i])), None)
        if at is None:
            return None
        authors = ", ".join(fields[2:at])
        when = fields[at]
        title = fields[at + 1] if len(fields) > at + 1 else ""
        message = ",".join(fields[at + 2:])
        repaired = True
    return {"model": fields[0], "id": fields[1], "authors_text": authors, "date": _hub_date_text(when),
            "title": title, "message": message, "gaissa": True, "repaired": repaired}


def _add_castano(path: Path, rec, recs: dict[str, _Rec], liang: pl.DataFrame, cards: _CardIndex,
                 dates: list[str]) -> dict[str, Any]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    first: dict[str, dict[str, str]] = {}
    duplicates: Counter[str] = Counter()
    for row in rows:
        if row["modelId"] in first:
            duplicates[row["modelId"]] += 1
        else:
            first[row["modelId"]] = row
    resolved, how = _resolve_castano(first, recs, liang, cards)
    for name, row in first.items():
        repo_id = resolved[name]
        r = rec(repo_id, "castano")
        created = f"{row['created_at']}T00:00:00.000Z" if row["created_at"] else None
        libraries = _list_literal(row["library_name"])
        size = _num(row["size"])
        r.layers["castano_day"] = {"createdAt": created}
        r.layers["castano"] = {
            "downloads": _int(row["downloads"]), "likes": _int(row["likes"]),
            "library_name": next((lib for lib in libraries if lib not in FRAMEWORK_TAGS), None),
            "usedStorage": int(size) if size is not None else None}
        r.tags["castano"] = libraries
        card: dict[str, Any] = {"co2_eq_emissions": {
            "emissions": _num(row["co2_eq_emissions"]), "source": row["source"],
            "training_type": row["training_type"], "geographical_location": row["geographical_location"],
            "hardware_used": row["environment"]}}
        datasets = [d for d in _list_literal(row["datasets"]) if d]
        if datasets:
            card["datasets"] = datasets
        r.card_layers["castano"] = card
        if created:
            dates.append(created)
    return {"rows": len(rows), "models": len(first), "duplicate_rows": sum(duplicates.values()),
            "duplicated_names": dict(sorted(duplicates.items())), "resolution": dict(sorted(how.items()))}


def _resolve_castano(first: dict[str, dict[str, str]], recs: dict[str, _Rec], liang: pl.DataFrame,
                     cards: _CardIndex) -> tuple[dict[str, str], Counter[str]]:
    """HFCO2 name -> snapshot id.

    ``owner/name`` only when certain: the name is itself a known id (legacy), or exactly one known
    id (Liang or an already imported source) has that name and the same creation day as HFCO2 records
    (a unique name alone is not enough: HFCO2's ``flan-t5-large`` is a 2023 AutoTrain model, not
    google's), or exactly one 2023 card scrape stem ``{owner}_{name}`` whose card declares
    ``co2_eq_emissions`` (HFCO2 was built from such cards). Otherwise the recorded name stays the id.
    """
    created: dict[str, str | None] = {}
    for repo_id, when in liang.select("modelId", pl.col("creation_time").dt.strftime("%Y-%m-%d")).iter_rows():
        created[repo_id] = when
    for repo_id, r in recs.items():
        when = r.created()
        created.setdefault(repo_id, when[:10] if when else None)
    by_name: dict[str, list[str]] = defaultdict(list)
    for repo_id in created:
        by_name[repo_id.rsplit("/", 1)[-1]].append(repo_id)
    resolved: dict[str, str] = {}
    how: Counter[str] = Counter()
    for name, row in first.items():
        if name in created:
            resolved[name] = name
            how["known_bare_id"] += 1
            continue
        day = row["created_at"] or None
        candidates = [c for c in by_name.get(name, ()) if "/" in c and day and created.get(c) == day]
        if len(candidates) == 1:
            resolved[name] = candidates[0]
            how["known_id"] += 1
            continue
        stem_ids = [c for c in cards.stem_candidates(name) if cards.declares_co2(c)
                    and created.get(c, day) in (None, day)]
        if len(stem_ids) == 1:
            resolved[name] = stem_ids[0]
            how["card_stem"] += 1
            continue
        resolved[name] = name
        how["unresolved_bare_name"] += 1
    return resolved, how


def _add_liang(liang: pl.DataFrame, rec, dates: list[str]) -> dict[str, Any]:
    frame = liang.select(
        "modelId", "author", "has_modelcard", "task_category",
        pl.col("downloads").round().cast(pl.Int64),
        pl.col("creation_time").dt.strftime("%Y-%m-%dT%H:%M:%S.000Z").alias("created"))
    tagged = 0
    for repo_id, author, has_card, task, downloads, created in frame.iter_rows():
        r = rec(repo_id, "liang")
        pipeline = task if task and task != "unknown" else None
        r.layers["liang"] = {"author": author, "createdAt": created, "downloads": downloads,
                             "pipeline_tag": pipeline}
        if pipeline:
            r.tags["liang"] = [pipeline]
            tagged += 1
        r.liang_has_card = bool(has_card)
        if created:
            dates.append(created)
    return {"rows": liang.height, "models": liang["modelId"].n_unique(), "with_pipeline_tag": tagged,
            "has_modelcard": int(liang["has_modelcard"].sum()), "null_creation_time":
                int(liang["creation_time"].null_count())}


# --------------------------------------------------------------------------------------------- cards


class _CardIndex:
    """Recorded card texts by exact model id, with the 2023 scrape's ``{owner}_{name}`` stems."""

    def __init__(self, realdata: Path):
        self.by_id: dict[str, tuple[str, Path]] = {}
        manifest = realdata / "cards" / "MANIFEST.csv"
        with open(manifest, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["hub_model_id_if_known"]:
                    self.by_id.setdefault(row["hub_model_id_if_known"], ("cards", realdata / "cards" / row["file"]))
        for path in sorted((realdata / "liang2024_modelcards" / "intervention_cards").glob("*.md")):
            self.by_id.setdefault(path.stem.replace("'", "/", 1), ("intervention_cards", path))
        scrape = pl.read_parquet(realdata / "cards_2023" / "cards.parquet", columns=["file_stem", "text"])
        self.stems: dict[str, str] = dict(scrape.iter_rows())
        self._suffixes: dict[str, list[str]] | None = None

    def stem_candidates(self, name: str) -> list[str]:
        """Ids ``owner/name`` for which a scraped stem ``owner_name`` exists."""
        if self._suffixes is None:
            self._suffixes = defaultdict(list)
            for stem in self.stems:
                for i, ch in enumerate(stem):
                    if ch == "_" and i:
                        self._suffixes[stem[i + 1:]].append(stem[:i])
        return [f"{owner}/{name}" for owner in self._suffixes.get(name, ())]

    def declares_co2(self, repo_id: str) -> bool:
        card = _front_matter(self.stems.get(repo_id.replace("/", "_"), ""))
        return isinstance(card, dict) and "co2_eq_emissions" in card

    def attach(self, recs: dict[str, _Rec]) -> dict[str, Any]:
        stem_owners: dict[str, list[str]] = defaultdict(list)
        for repo_id in recs:
            stem_owners[repo_id.replace("/", "_")].append(repo_id)
        stats: Counter[str] = Counter()
        for repo_id, r in recs.items():
            text: bytes | None = None
            if repo_id in self.by_id:
                origin, path = self.by_id[repo_id]
                text = path.read_bytes()
            else:
                stem = repo_id.replace("/", "_")
                # A bare id with "_" could be any owner_name split of the stem: never certain.
                if stem in self.stems and ("/" in repo_id or "_" not in repo_id):
                    if len(stem_owners[stem]) == 1:
                        origin, text = "cards_2023", self.stems[stem].encode("utf-8")
                    else:
                        stats["cards_2023_ambiguous_stem_skipped"] += 1
            if text is None:
                continue
            r.readme = text
            stats[origin] += 1
            if r.verbatim is None:
                card = _front_matter(text.decode("utf-8", errors="replace"))
                if isinstance(card, dict) and card:
                    r.card_layers["readme"] = card
                    stats["readme_front_matter"] += 1
                if "co2_eq_emissions" in (card or {}) and "castano" in r.card_layers:
                    stats["castano_co2_from_readme"] += 1
        return dict(sorted(stats.items()))


def _front_matter(text: str) -> dict[str, Any] | None:
    match = YAML_BLOCK.search(text)
    return _yaml_mapping(match.group(2)) if match else None


def _yaml_mapping(text: str) -> dict[str, Any] | None:
    """Card YAML as the Hub exposes it: a mapping with JSON types, or nothing when it is invalid."""
    try:
        value = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError:
        return None
    if not isinstance(value, dict):
        return None
    try:
        return json.loads(json.dumps(value, default=_json_default, allow_nan=False))
    except (TypeError, ValueError):
        return None


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return _hub_date(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


# ------------------------------------------------------------------------------------------ helpers


def _hub_date(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _hub_date_text(text: str) -> str:
    """``2023-03-19T21:35:48.0000Z`` (GAISSA) -> ``2023-03-19T21:35:48.000Z`` (the Hub's form)."""
    head, _, frac = text.rstrip("Z").partition(".")
    return f"{head}.{(frac + '000')[:3]}Z"


def _num(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    value = _num(text)
    return int(value) if value is not None else None


def _list_literal(text: str | None) -> list[str]:
    """``"['a', 'b']"`` as the CSVs store Python lists; anything else is no list."""
    if not text:
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return []
    return [v for v in value if isinstance(v, str) and v] if isinstance(value, list) else []


def _logger(enabled: bool, started: float):
    def log(step: str, counts: dict[str, Any]) -> None:
        if enabled:
            brief = {k: (len(v) if isinstance(v, (list, dict)) and k.endswith("rows") else v)
                     for k, v in counts.items()}
            print(f"[import-real {time.perf_counter() - started:6.1f}s] {step}: {json.dumps(brief, default=str)}",
                  file=sys.stderr, flush=True)
    return log
