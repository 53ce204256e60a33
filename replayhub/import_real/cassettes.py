r"""Source ``cassette``: ``hfhub_cassettes/`` (huggingface_hub's recorded test responses).

Taken: 35 real ``GET /api/models/{id}`` bodies (``model_info/*.json``), served verbatim. The files
wrap the body as a parsed, re-indented JSON object, so the Hub's bytes are not in them. Three bodies
also exist as the original response string in ``raw/*.yaml``; those strings are used as-is. The
other 32 are re-serialised (unavoidably) compactly with ``ensure_ascii=False`` -- the Hub's own
JSON style, which reproduces the three raw originals byte for byte; only whitespace and ``\u``
escapes differ from the wrapper files. Nothing from other sources is merged into a verbatim body.
The recording dates (``date``) count towards the snapshot time.
"""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import yaml

from replayhub.import_real.record import RecordFor
from replayhub.import_real.values import YAML_LOADER, hub_date


def add(folder: Path, rec: RecordFor, dates: list[str]) -> dict[str, Any]:
    raw: dict[str, str] = {}
    for path in sorted((folder / "raw").glob("*.yaml")):
        cassette = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
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
            dates.append(hub_date(parsedate_to_datetime(recorded)))
    stats["models"] = stats["files"]
    return stats
