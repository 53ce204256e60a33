"""Naming marts: every current model's repo name read into typed segments by Ajibode et al.'s codebook
(analysis/naming/codebook.py, with the model's tags and pipeline tag as evidence), its version and
size from the token reading (analysis/naming/parse.py); and the release steps within lineage families
(analysis/naming/releases.py)."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from analysis.incremental import refresh
from analysis.naming.codebook import Evidence, read
from analysis.naming.parse import parse_name
from analysis.naming.releases import release_steps

ANALYSIS = "naming"
VERSION = 3  # 3: the codebook reading as tuned on the dev labels (issue 16), which stored names predate

SEGMENT = pa.struct([("text", pa.string()), ("type", pa.string())])
NAMES = pa.schema([
    ("model_id", pa.string()), ("pattern", pa.string()), ("segments", pa.list_(SEGMENT)),
    ("version", pa.string()), ("version_kind", pa.string()), ("version_major", pa.int32()),
    ("version_minor", pa.int32()), ("size_params", pa.float64()), ("problems", pa.list_(pa.string())),
])

# A repo's name is its id, so the input changes only with the metadata used as evidence (tags, pipeline
# tag), not with every new state (downloads, likes).
INPUTS = """
    SELECT model_id, md5(coalesce(array_to_string(tags, chr(31)), '') || chr(30) || coalesce(pipeline_tag, ''))
               AS input_key, tags, pipeline_tag
    FROM core.model_state WHERE valid_to IS NULL"""

RELEASES = pa.schema([("family_id", pa.string()), ("model_id", pa.string()), ("previous_model_id", pa.string()),
                      ("version", pa.string()), ("release_kind", pa.string()), ("step", pa.string())])
# Versioned members of every lineage family, in the order releases are compared.
FAMILY_MEMBERS = """
    SELECT l.family_id, m.model_id, m.created_at FROM marts.lineage_nodes l JOIN models m USING (model_id)
    WHERE m.created_at_known ORDER BY l.family_id, m.created_at, m.model_id"""


def _major_minor(parsed) -> tuple[int | None, int | None]:
    if parsed.version_kind not in ("vN", "vN.M", "vN.M.K"):
        return None, None
    numbers = parsed.version.lower().lstrip("v").split(".")
    try:
        return int(numbers[0]), int(numbers[1]) if len(numbers) > 1 else 0
    except ValueError:
        return None, None


def analyse(batch: pa.Table) -> dict[str, pa.Table]:
    # Built column by column (no per-row dicts): at 2.5M names the row dicts and their conversion
    # cost more than the parsing itself.
    ids = batch["model_id"].to_pylist()
    tags = batch["tags"].to_pylist() if "tags" in batch.column_names else [None] * len(ids)
    pipeline_tags = batch["pipeline_tag"].to_pylist() if "pipeline_tag" in batch.column_names else [None] * len(ids)
    patterns, versions, kinds, majors, minors, sizes = [], [], [], [], [], []
    seg_offsets, seg_texts, seg_types = [0], [], []
    prob_offsets, prob_values = [0], []
    for model_id, model_tags, pipeline_tag in zip(ids, tags, pipeline_tags, strict=True):
        parsed = parse_name(model_id)
        evidence = Evidence.from_metadata(model_tags, pipeline_tag) if model_tags or pipeline_tag else None
        segments = read(model_id, evidence=evidence)
        major, minor = _major_minor(parsed)
        patterns.append("".join("{" + seg.type + "}" for seg in segments))
        versions.append(parsed.version)
        kinds.append(parsed.version_kind)
        majors.append(major)
        minors.append(minor)
        sizes.append(parsed.size_params)
        for segment in segments:
            seg_texts.append(segment.text)
            seg_types.append(segment.type)
        seg_offsets.append(len(seg_texts))
        prob_values += parsed.problems
        prob_offsets.append(len(prob_values))
    segments = pa.ListArray.from_arrays(
        pa.array(seg_offsets, pa.int32()),
        pa.StructArray.from_arrays([pa.array(seg_texts, pa.string()), pa.array(seg_types, pa.string())],
                                   fields=list(SEGMENT)))
    problems = pa.ListArray.from_arrays(pa.array(prob_offsets, pa.int32()), pa.array(prob_values, pa.string()))
    table = pa.table([pa.array(ids, pa.string()), pa.array(patterns, pa.string()), segments,
                      pa.array(versions, pa.string()), pa.array(kinds, pa.string()), pa.array(majors, pa.int32()),
                      pa.array(minors, pa.int32()), pa.array(sizes, pa.float64()), problems], schema=NAMES)
    return {"marts.model_names": table}


def build(con: duckdb.DuckDBPyConnection, *, progress: bool = False) -> dict[str, int]:
    """Refresh the names of changed models, then rebuild the release steps (they depend on every
    member of a family, so they are recomputed whole; runs after the lineage analysis)."""
    summary = refresh(con, analysis=ANALYSIS, version=VERSION, inputs_sql=INPUTS,
                      marts={"marts.model_names": NAMES}, analyse=analyse, progress=progress)
    members = con.execute(FAMILY_MEMBERS).fetchall()
    steps = pa.Table.from_pylist([dict(zip(RELEASES.names, row, strict=True)) for row in release_steps(members)],
                                 schema=RELEASES)
    con.execute("DELETE FROM marts.release_steps")
    if steps.num_rows:
        con.register("new_steps", steps)
        con.execute("INSERT INTO marts.release_steps BY NAME SELECT * FROM new_steps")
        con.unregister("new_steps")
    return {**summary, "release_steps": steps.num_rows}
