"""Model lineage: parent edges from card metadata and tags, relation inference, families, suggestions.

Edges point child -> parent. They come from the card's ``base_model`` (a string or a list) with
``base_model_relation``, from the Hub's ``base_model:<relation>:<id>`` / ``base_model:<id>`` tags and,
when a caller has them, from the API's ``baseModels`` (listings do not carry it). A relation nobody
declared is inferred from signals in tags, library and repo name, and every edge says where its
relation came from (``relation_source``: declared | tag | api | inferred:<signal>).

Families are trees: every model keeps one *primary* parent (a parent in the snapshot before one
that is not, then the lexicographically smallest id), so a merge of two families still belongs to
exactly one of them and the depth is a distance along one chain. The tree is computed with
vectorised pointer jumping (numpy), O(E + N log depth), which handles millions of nodes in seconds.
A primary-parent cycle is broken by dropping the edge leaving the cycle's lexicographically smallest
node; that node becomes a root and the dropped edge is reported.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis.excerpt import excerpt

RELATIONS = ("adapter", "merge", "quantized", "finetune")
# Hub repo names are at most 96 characters and the owner at most 42: anything longer is not an id.
MAX_ID_CHARS = 96 + 1 + 42
REPO_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[\w.\-]+)?$")
HUB_URL = re.compile(r"^(https?://)?(www\.)?huggingface\.co/", re.IGNORECASE)
DETAIL_CHARS = 120  # of a declared value shown in a problem row

ADAPTER_TAGS = {"peft", "lora", "qlora", "adapter", "adapters", "adapter-transformers"}
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors", "adapter_model.bin")
QUANT_TAGS = {"gguf", "awq", "gptq", "exl2", "bitsandbytes", "4-bit", "8-bit", "int4", "int8", "fp8",
              "autoround", "auto-round", "hqq", "aqlm", "quantized", "compressed-tensors"}
QUANT_LIBRARIES = {"gguf", "bitsandbytes", "exllamav2", "awq", "gptq", "llama.cpp", "ctranslate2"}
QUANT_NAME = re.compile(
    r"(?i)(?:^|[-_.])(gguf|awq|gptq|exl2|bnb|bitsandbytes|[2-8]bit|[2-8]-bit|int[48]|fp8|w4a16|w8a8|"
    r"q[2-8]_k(?:_[msl])?|q[48]_0|auto[-_]?round|hqq|mlx-?[2-8]bit|[2-8]bpw)(?:$|[-_.])")
MERGE_TAGS = {"merge", "mergekit", "model-merge", "merged", "lazymergekit"}

EDGES = pa.schema([
    ("child_id", pa.string()), ("parent_id", pa.string()), ("relation", pa.string()),
    ("relation_source", pa.string()), ("declared_in", pa.list_(pa.string())),
])
PROBLEMS = pa.schema([
    ("model_id", pa.string()), ("code", pa.string()), ("parent_id", pa.string()), ("detail", pa.string()),
])
NODES = pa.schema([
    ("model_id", pa.string()), ("in_snapshot", pa.bool_()), ("parent_count", pa.int32()),
    ("primary_parent_id", pa.string()), ("family_id", pa.string()), ("depth", pa.int32()),
    ("children", pa.int32()),
])
SUGGESTIONS = pa.schema([
    ("model_id", pa.string()), ("suggested_parent_id", pa.string()), ("matched", pa.string()),
    ("candidates", pa.int32()), ("confidence", pa.float64()),
])


# --- edge extraction ---------------------------------------------------------------------------

def clean_parent_id(value) -> tuple[str | None, list[tuple[str, str]]]:
    """A declared parent as a repo id, plus (code, detail) problems; None when it cannot be one."""
    if not isinstance(value, str):
        return None, [("not_a_string", excerpt(value, DETAIL_CHARS, quote=False))]
    text, problems = _clean_parent_text(value)
    return text, list(problems)


# The same few base models are declared by millions of repos: a parsed id is worth remembering.
@functools.lru_cache(maxsize=200_000)
def _clean_parent_text(value: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    text, problems = _clean_parent_uncached(value)
    return text, tuple(problems)


def _clean_parent_uncached(value: str) -> tuple[str | None, list[tuple[str, str]]]:
    text = unicodedata.normalize("NFC", value).strip()
    problems = []
    if HUB_URL.match(text):
        text = HUB_URL.sub("", text).strip("/")
        problems.append(("url_not_id", excerpt(value, DETAIL_CHARS, quote=False)))
    if not text:
        return None, problems + [("empty_parent", "")]
    if len(text) > MAX_ID_CHARS:
        problems.append(("parent_id_too_long", f"{len(text)} characters"))
    elif not REPO_ID.match(text):
        problems.append(("parent_id_malformed", excerpt(text, DETAIL_CHARS, quote=False)))
    return text, problems


def parse_base_model(value) -> tuple[list[str], list[tuple[str, str]]]:
    """Parent ids of a card's ``base_model`` (string, list, or junk) in declared order, deduplicated."""
    if value is None:
        return [], []
    items = value if isinstance(value, list) else [value]
    ids, problems = [], []
    for item in items:
        parent, found = clean_parent_id(item)
        problems += found
        if parent is not None and parent not in ids:
            ids.append(parent)
    return ids, problems


def parse_tag(tag: str) -> tuple[str, str | None] | None:
    """``base_model:<relation>:<id>`` -> (id, relation); ``base_model:<id>`` -> (id, None); else None."""
    if not isinstance(tag, str) or not tag.startswith("base_model:"):
        return None
    return _parse_base_model_tag(tag)


@functools.lru_cache(maxsize=200_000)
def _parse_base_model_tag(tag: str) -> tuple[str, str | None] | None:
    rest = tag[len("base_model:"):]
    head, sep, tail = rest.partition(":")
    if sep and head in RELATIONS:
        return (tail, head) if tail else None
    return (rest, None) if rest else None


def infer_relation(model_id: str, tags: Iterable[str] | None, library_name: str | None,
                   files: Iterable[str] | None = None, parents: int = 1) -> tuple[str, str]:
    """(relation, signal) for an edge whose relation nobody declared; checks adapter, quantized, merge."""
    tagset = {t.lower() for t in (tags or ()) if isinstance(t, str)}
    library = (library_name or "").lower()
    name = model_id.rsplit("/", 1)[-1]
    if library == "peft":
        return "adapter", "library_peft"
    if tagset & ADAPTER_TAGS:
        return "adapter", "tag_" + sorted(tagset & ADAPTER_TAGS)[0]
    if files is not None and any(f.rsplit("/", 1)[-1] in ADAPTER_FILES for f in files):
        return "adapter", "adapter_files"
    if library in QUANT_LIBRARIES:
        return "quantized", "library_" + library
    quant_tags = tagset & QUANT_TAGS
    if quant_tags:
        return "quantized", "tag_" + sorted(quant_tags)[0]
    if library == "mlx" and re.search(r"(?i)([2-8]bit|quant)", name):
        return "quantized", "mlx_quantized"
    match = QUANT_NAME.search(name)
    if match:
        return "quantized", "name_" + match.group(1).lower()
    if tagset & MERGE_TAGS or library == "mergekit":
        return "merge", "tag_merge" if tagset & MERGE_TAGS else "library_mergekit"
    if parents > 1:
        return "merge", "several_parents"
    return "finetune", "default"


def _card(card_json) -> tuple[dict | None, str | None]:
    if card_json is None:
        return None, None
    if isinstance(card_json, dict):
        return card_json, None
    try:
        card = json.loads(card_json)
    except (TypeError, ValueError):
        return None, "card_data_unreadable"
    return (card, None) if isinstance(card, dict) else (None, "card_data_not_a_mapping")


def edges_of_model(model_id: str, card: dict | None, tags, library_name, files=None,
                   api_base_models=None) -> tuple[list[dict], list[tuple[str, str, str | None, str]]]:
    """Edges and problems (code, parent, detail) of one model."""
    problems: list[tuple[str, str | None, str]] = []
    # parent -> {"relation", "source", "declared_in"}; the card's own relation beats a tag's.
    found: dict[str, dict] = {}

    def add(parent: str, relation: str | None, source: str, where: str) -> None:
        entry = found.setdefault(parent, {"relation": None, "source": None, "declared_in": []})
        if where not in entry["declared_in"]:
            entry["declared_in"].append(where)
        if relation is None:
            return
        if entry["relation"] is None:
            entry["relation"], entry["source"] = relation, source
        elif entry["relation"] != relation:
            problems.append(("relation_conflict", parent,
                             f"{entry['source']} says {entry['relation']}, {source} says {relation}"))

    card = card or {}
    bases, found_problems = parse_base_model(card.get("base_model"))
    problems += [(code, None, detail) for code, detail in found_problems]
    declared = card.get("base_model_relation")
    if declared is not None and (not isinstance(declared, str) or declared.strip().lower() not in RELATIONS):
        problems.append(("unknown_relation", None, excerpt(declared, DETAIL_CHARS, quote=False)))
        declared = None
    declared = declared.strip().lower() if isinstance(declared, str) else None
    for parent in bases:
        add(parent, declared, "declared", "card")
    for tag in tags or ():
        if not isinstance(tag, str) or not tag.startswith("base_model:"):
            continue
        parsed = parse_tag(tag)
        if parsed is None:
            continue
        parent, relation = parsed
        parent, tag_problems = clean_parent_id(parent)
        problems += [(code, parent, detail) for code, detail in tag_problems]
        if parent is not None:
            add(parent, relation, "tag", "tag")
    for item in api_base_models or ():
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            relation = item.get("relation")
            add(item["id"], relation if relation in RELATIONS else None, "api", "api")
    if model_id in found:
        del found[model_id]
        problems.append(("self_reference", model_id, "declares itself as its base model"))
    edges = []
    for parent, entry in found.items():
        relation, source = entry["relation"], entry["source"]
        if relation is None:
            relation, signal = infer_relation(model_id, tags, library_name, files, parents=len(found))
            source = f"inferred:{signal}"
        edges.append({"child_id": model_id, "parent_id": parent, "relation": relation,
                      "relation_source": source, "declared_in": entry["declared_in"]})
    return edges, problems


def extract_edges(models: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(edges, problems) of a models table with columns model_id, tags, library_name, card_data
    (JSON text or NULL) and optionally ``files`` (list of paths) and ``base_models`` (API baseModels).
    Only base_model and base_model_relation of the card are read, so callers may pass just those."""
    cols = {name: models[name].to_pylist() for name in ("model_id", "tags", "library_name", "card_data")}
    n = models.num_rows
    files = models["files"].to_pylist() if "files" in models.column_names else [None] * n
    api = models["base_models"].to_pylist() if "base_models" in models.column_names else [None] * n
    edges, problems = [], []
    for model_id, tags, library, card_json, tree, base_models in zip(
            cols["model_id"], cols["tags"], cols["library_name"], cols["card_data"], files, api):
        card, card_problem = _card(card_json)
        if card_problem:
            problems.append({"model_id": model_id, "code": card_problem, "parent_id": None,
                             "detail": excerpt(str(card_json), DETAIL_CHARS, quote=False)})
        if card is None and not tags and not base_models:
            continue
        if card is not None and card.get("base_model") is None and not any(
                isinstance(t, str) and t.startswith("base_model:") for t in tags or ()) and not base_models:
            continue
        found, found_problems = edges_of_model(model_id, card, tags, library, tree, base_models)
        edges += found
        problems += [{"model_id": model_id, "code": code, "parent_id": parent, "detail": detail}
                     for code, parent, detail in found_problems]
    return pa.Table.from_pylist(edges, EDGES), pa.Table.from_pylist(problems, PROBLEMS)


def canonical_parents(edges: pa.Table, model_ids: pa.Array | pa.ChunkedArray) -> pa.Table:
    """Parent ids rewritten to the snapshot's spelling when they differ only in case (Hub ids are
    case-insensitive), with ``parent_known``; duplicate (child, parent) pairs after that are merged."""
    con = duckdb.connect()
    try:
        con.register("e", edges)
        con.register("m", pa.table({"model_id": model_ids}))
        return con.sql("""
            WITH exact AS (SELECT model_id FROM m),
            -- Case-folded spellings are looked up only for parents without an exact match (few).
            unmatched AS (SELECT DISTINCT lower(parent_id) AS key FROM e ANTI JOIN exact x ON x.model_id = e.parent_id),
            ids AS (SELECT lower(model_id) AS key, min(model_id) AS model_id FROM m
                    WHERE lower(model_id) IN (SELECT key FROM unmatched) GROUP BY 1),
            resolved AS (
                SELECT e.*, coalesce(x.model_id, i.model_id, e.parent_id) AS parent,
                       x.model_id IS NOT NULL OR i.model_id IS NOT NULL AS parent_known
                FROM e LEFT JOIN exact x ON x.model_id = e.parent_id
                LEFT JOIN ids i ON x.model_id IS NULL AND i.key = lower(e.parent_id))
            SELECT child_id, parent AS parent_id, first(relation ORDER BY relation_source <> 'declared',
                   relation_source <> 'tag', parent_id = parent DESC) AS relation,
                   first(relation_source ORDER BY relation_source <> 'declared', relation_source <> 'tag',
                   parent_id = parent DESC) AS relation_source,
                   list_sort(list_distinct(flatten(list(declared_in)))) AS declared_in,
                   bool_or(parent_known) AS parent_known
            FROM resolved WHERE child_id <> parent GROUP BY child_id, parent ORDER BY child_id, parent_id
        """).to_arrow_table()
    finally:
        con.close()


# --- families ----------------------------------------------------------------------------------

@dataclass
class Forest:
    """Per node: primary parent (index, -1 for a root), family root index, depth; plus broken edges."""

    ids: pa.Array            # node ids, sorted (so index order is lexicographic order)
    primary: np.ndarray      # int64, -1 for roots
    family: np.ndarray       # int64 index of the family root
    depth: np.ndarray        # int32
    parent_count: np.ndarray  # int32, edges kept after cycle breaking
    children: np.ndarray     # int32, children in the primary tree
    broken: list[tuple[str, str]]  # (child, parent) edges dropped to break cycles


def _np(values) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values.to_numpy(zero_copy_only=False)
    return np.asarray(values)


def _primary(n: int, child: np.ndarray, parent: np.ndarray, known: np.ndarray) -> np.ndarray:
    primary = np.full(n, -1, dtype=np.int64)
    if len(child):
        order = np.lexsort((parent, ~known, child))
        c = child[order]
        first = np.ones(len(c), dtype=bool)
        first[1:] = c[1:] != c[:-1]
        primary[c[first]] = parent[order][first]
    return primary


def _jump(primary: np.ndarray, rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """After ``rounds`` doublings: the node 2^rounds primary steps up (or the root) and the steps taken."""
    n = len(primary)
    idx = np.arange(n, dtype=np.int64)
    up = np.where(primary < 0, idx, primary)
    dist = (primary >= 0).astype(np.int64)
    for _ in range(rounds):
        nxt = up[up]
        if np.array_equal(nxt, up):
            break
        dist = dist + dist[up]
        up = nxt
    return up, dist


def build_forest(node_ids: pa.Array | pa.ChunkedArray, child_ids, parent_ids, parent_known=None) -> Forest:
    """Families of the graph given by edges child_ids[i] -> parent_ids[i] over ``node_ids`` (every
    child and parent must be among them). Terminates on any input: each cycle-breaking pass drops at
    least one edge."""
    ids = pc.unique(node_ids)
    ids = ids.take(pc.sort_indices(ids))
    n = len(ids)
    child = _np(pc.index_in(child_ids, value_set=ids)).astype(np.int64)
    parent = _np(pc.index_in(parent_ids, value_set=ids)).astype(np.int64)
    if (child < 0).any() or (parent < 0).any():
        raise ValueError("every edge end must be among node_ids")
    known = np.ones(len(child), dtype=bool) if parent_known is None else _np(parent_known).astype(bool)
    keep = child != parent
    alive = np.ones(len(child), dtype=bool) & keep
    rounds = max(1, math.ceil(math.log2(max(n, 2)))) + 1
    broken: list[tuple[int, int]] = []
    while True:
        primary = _primary(n, child[alive], parent[alive], known[alive])
        up, dist = _jump(primary, rounds)
        stuck = primary[up] >= 0  # 2^rounds >= n steps without reaching a root: the walk is in a cycle
        if not stuck.any():
            break
        cyc = np.unique(up[stuck])
        label = np.arange(n, dtype=np.int64)
        step = primary.copy()
        for _ in range(rounds):
            label[cyc] = np.minimum(label[cyc], label[step[cyc]])
            step[cyc] = step[step[cyc]]
        closers = cyc[label[cyc] == cyc]
        drop = np.isin(child, closers) & alive
        drop &= parent == primary[child]
        alive &= ~drop
        broken += [(int(c), int(p)) for c, p in zip(child[drop], parent[drop])]
    children = np.bincount(primary[primary >= 0], minlength=n).astype(np.int32)
    parent_count = np.bincount(child[alive], minlength=n).astype(np.int32)
    return Forest(ids=ids, primary=primary,
                  family=up, depth=dist.astype(np.int32), parent_count=parent_count, children=children,
                  broken=[(ids[c].as_py(), ids[p].as_py()) for c, p in sorted(broken)])


def forest_nodes(forest: Forest, in_snapshot: pa.Array | pa.ChunkedArray) -> pa.Table:
    """One row per node (schema NODES); ``in_snapshot`` is the set of model ids listed."""
    ids = forest.ids
    has_parent = forest.primary >= 0
    primary_ids = ids.take(pa.array(np.where(has_parent, forest.primary, 0))).to_numpy(zero_copy_only=False)
    primary_ids = pa.array(np.where(has_parent, primary_ids, None), pa.string())
    return pa.table({
        "model_id": ids,
        "in_snapshot": pc.is_in(ids, value_set=pa.array(_np(in_snapshot), pa.string())),
        "parent_count": pa.array(forest.parent_count, pa.int32()),
        "primary_parent_id": primary_ids,
        "family_id": ids.take(pa.array(forest.family)),
        "depth": pa.array(forest.depth, pa.int32()),
        "children": pa.array(forest.children, pa.int32()),
    }, schema=NODES)


# --- suggestions -------------------------------------------------------------------------------

_SPLIT = re.compile(r"[\s\-_.]+")
_SIZE = re.compile(r"^\d+(\.\d+)?[bmk]$|^\d+x\d+b$")


def name_tokens(model_id: str) -> list[str]:
    name = unicodedata.normalize("NFKC", model_id.rsplit("/", 1)[-1]).lower()
    return [t for t in _SPLIT.split(name) if t]


def _keys(root_id: str) -> list[tuple[str, ...]]:
    """Name keys that identify a root: its whole name, and without a leading word repeating the
    owner (``meta-llama/Meta-Llama-3-8B`` -> ``llama 3 8b``). A key must hold a digit to be specific."""
    tokens = name_tokens(root_id)
    owner = set(name_tokens(root_id.split("/", 1)[0])) if "/" in root_id else set()
    keys = [tuple(tokens)]
    if len(tokens) >= 3 and tokens[0] in owner:
        keys.append(tuple(tokens[1:]))
    good = []
    for key in keys:
        text = "".join(key)
        if any(ch.isdigit() for ch in text) and any(ch.isalpha() for ch in text) and len(text) >= 4:
            good.append(key)
    return good


def suggest_parents(orphans: Iterable[str], roots: Iterable[str], *, max_key_tokens: int = 8) -> pa.Table:
    """For models without a declared parent, a known root whose name occurs in theirs (token-aligned),
    the longest match winning; confidence in [0, 1] grows with the matched tokens and a size token,
    and is divided among roots sharing the same key."""
    index: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for root in roots:
        for key in _keys(root):
            if len(key) <= max_key_tokens:
                index[key].add(root)
    rows = []
    if not index:
        return pa.Table.from_pylist(rows, SUGGESTIONS)
    longest = max(len(k) for k in index)
    for model_id in orphans:
        tokens = name_tokens(model_id)
        best = None
        for size in range(min(longest, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                key = tuple(tokens[start:start + size])
                if key in index:
                    best = key
                    break
            if best:
                break
        if not best:
            continue
        candidates = sorted(index[best] - {model_id})
        if not candidates:
            continue
        confidence = min(0.95, 0.35 + 0.15 * len(best) + (0.15 if any(_SIZE.match(t) for t in best) else 0))
        if tuple(tokens) == best:
            confidence *= 0.5  # same name under another owner: a re-upload as often as a derivative
        for parent in candidates:
            rows.append({"model_id": model_id, "suggested_parent_id": parent, "matched": "-".join(best),
                         "candidates": len(candidates), "confidence": round(confidence / len(candidates), 4)})
    return pa.Table.from_pylist(rows, SUGGESTIONS)
