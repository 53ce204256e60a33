r"""Source ``gaissa``: ``gaissa_hf_diversity/`` (GAISSA-UPC's HF_diversity datasets).

Taken: 8,042 real commits of 359 models (``commit_data.csv``) and facts of 363 models
(``HF_topmodels.csv``: downloads, likes, library_name, size as ``usedStorage``, datasets into
``cardData.datasets``, the file list as the head tree, createdAt). Commits keep the order the Hub
API returned them (the file lists newest first, git's order; two models have locally non-monotonic
dates there, so sorting by date would reorder real history). Dates are rewritten from GAISSA's
``.0000Z`` to the Hub's ``.000Z`` (same instant). Authors come from the JSON commit lists in
``HF_topmodels.csv`` (the CSV's ``", "``-joined field is ambiguous to split); title and message from
``commit_data.csv`` (whose messages lost the ``\r`` of ``\r\n`` that the JSON lists keep). One row
lost its ``authors`` field, shifting the rest left (a title under ``created_at``); it is re-aligned
on its ISO date and counted as repaired. GAISSA's times run 1 h early inside European summer time
(compared with the cassettes and Liang); commits keep them as recorded, and its createdAt ranks
below every exact timestamp (``record.FIELD_PRECEDENCE``).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from replayhub.import_real.record import RecordFor
from replayhub.import_real.values import hub_date_text, list_literal, num, whole

ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
HEX40 = re.compile(r"^[0-9a-f]{40}$")


def add(folder: Path, rec: RecordFor, dates: list[str]) -> dict[str, Any]:
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
            commit = _commit_row(fields)
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
        created = hub_date_text(row["created_at"]) if row["created_at"] else None
        size = num(row["size"])
        r.layers["gaissa_time"] = {"createdAt": created}
        r.layers["gaissa"] = {"downloads": whole(row["downloads"]),
                              "likes": whole(row["likes"]), "library_name": row["library_name"] or None,
                              "usedStorage": int(size) if size is not None else None}
        datasets = list_literal(row["datasets"])
        if datasets:
            r.card_layers["gaissa"] = {"datasets": datasets}
        files = list_literal(row["files"])
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


def _commit_row(fields: list[str]) -> dict[str, Any] | None:
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
    return {"model": fields[0], "id": fields[1], "authors_text": authors, "date": hub_date_text(when),
            "title": title, "message": message, "gaissa": True, "repaired": repaired}
