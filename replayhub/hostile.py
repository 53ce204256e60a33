"""A hub snapshot of hostile model repos, to prove the pipeline records bad input and goes on.

``hostile_hub(out_dir, items=1000)`` writes a snapshot in which every repo carries exactly one
kind of bad input, spread evenly over ``KINDS`` (the 50 MB card only ``HUGE_ITEMS`` times), plus
benign controls. Each kind names where the pipeline must record it:

* ``card_issue`` -- the parse issue code in ``documentation.issues`` (YAML bombs, ``!!python``
  tags, deep nesting, invalid UTF-8, NULs, unclosed front matter, 50 MB bodies);
* ``metadata_problem`` -- the code in ``metadata_problems`` (absurd co2 and model-index numbers,
  ``<script>`` licences, ``javascript:`` licence links, ``../`` base models);
* ``crawl_error`` -- a row in ``crawl_errors`` (repo ids the Hub could not have: ``../``,
  ``<script>``, 300 characters, bidi overrides).

Markup payloads (``<script>``, ``javascript:``, ``onerror=``) also sit in card headings, link
targets and metadata values of otherwise valid cards, so a report built from the warehouse can be
checked for injected script. ``expected(out_dir)`` reads the item list back from the snapshot.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from replayhub.snapshot import Commit, SnapshotReader, SnapshotWriter, git_blob_oid

SOURCE = "hostile"
HUGE_ITEMS = 2
HUGE_BYTES = 50 * 2**20
CONTROLS_SHARE = 0.05
# a marker the browser test looks for: any script that runs sets it
PAYLOAD = "<script>window.__hubmine_pwned=1</script>"
HANDLER = "<img src=x onerror=\"window.__hubmine_pwned=1\">"


@dataclass(frozen=True)
class Item:
    repo_id: str
    kind: str
    where: str  # card_issue | metadata_problem | crawl_error | none
    code: str  # the issue / problem code expected there ('' for crawl errors and controls)


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines)


def _front(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


_BODY = (f"# Model card {PAYLOAD}\n\n## Uses\n\nSee [the docs](javascript:window.__hubmine_pwned=1) and "
         f"{HANDLER}.\n\n## Training data {HANDLER}\n\nA dataset.\n")

# kind -> (where, code, README bytes or None for the benign card, cardData)
_CARD_KINDS: dict[str, tuple[str, bytes, dict]] = {
    "yaml_bomb": ("yaml_alias_bomb", ("---\n" + _bomb() + "\n---\n" + _BODY).encode(), {}),
    "python_tag": ("yaml_unsafe_tag",
                   b"---\nx: !!python/object/apply:os.system ['echo pwned']\n---\n" + _BODY.encode(), {}),
    "yaml_deep": ("yaml_too_deep", ("---\nx: " + "[" * 100_000 + "]" * 100_000 + "\n---\n" + _BODY).encode(), {}),
    "invalid_utf8": ("invalid_utf8", b"---\nlicense: mit\n---\n# caf\xe9 \xff\xfe\n\n## Uses\n\ntext\n",
                     {"license": "mit"}),
    "nul_bytes": ("nul_bytes", b"---\nlicense: mit\n---\n# x\x00y\n\n## Uses\n\nte\x00xt\n", {"license": "mit"}),
    "unclosed_front_matter": ("front_matter_unclosed", b"---\nlicense: mit\n# no closing line\n\ntext\n", {}),
}

_META_KINDS: dict[str, tuple[str, dict]] = {
    "co2_negative": ("co2_emissions_negative", {"co2_eq_emissions": -5}),
    "co2_implausible": ("co2_emissions_implausible", {"co2_eq_emissions": 1e308}),
    "co2_string_overflow": ("co2_emissions_not_finite", {"co2_eq_emissions": {"emissions": "1e999"}}),
    "model_index_absurd": ("model_index_metric_value_absurd", {"model-index": [{"name": PAYLOAD, "results": [{
        "task": {"type": "text-classification"}, "dataset": {"type": "x", "name": HANDLER},
        "metrics": [{"type": "accuracy", "value": 1e300}]}]}]}),
    "license_script": ("license_unknown_id", {"license": PAYLOAD}),
    "license_link_javascript": ("license_link_bad_scheme", {
        "license": "other", "license_name": HANDLER, "license_link": "javascript:window.__hubmine_pwned=1"}),
    "base_model_traversal": ("base_model_invalid_repo_id", {"base_model": "../../etc/passwd"}),
}

_ID_KINDS: dict[str, str] = {
    "id_traversal": "hostile/../../etc/passwd-{i}",
    "id_script": "hostile/!" + PAYLOAD + "{i}",  # "!" sorts first: the id is its naming pattern's example
    "id_too_long": "hostile/" + "a" * 300 + "{i}",
    "id_bidi": "hostile/model\u202e{i}gpj.exe",
}

KINDS = ("huge_body", *_CARD_KINDS, *_META_KINDS, *_ID_KINDS)


def _items(n: int) -> list[tuple[Item, bytes | None, dict]]:
    controls = max(1, int(n * CONTROLS_SHARE))
    spread = [k for k in KINDS if k != "huge_body"]
    out: list[tuple[Item, bytes | None, dict]] = []
    for i in range(n):
        if i < HUGE_ITEMS:
            text = ("# Huge\n\n## Uses\n\n" + "All work and no play. " * (HUGE_BYTES // 22)).encode()
            out.append((Item(f"hostile/huge_body-{i:04d}", "huge_body", "card_issue", "body_truncated"), text, {}))
        elif i >= n - controls:
            out.append((Item(f"hostile/control-{i:04d}", "control", "none", ""),
                        (_front({"license": "mit"}) + "# Control\n\n## Uses\n\nFine.\n").encode(), {"license": "mit"}))
        else:
            kind = spread[(i - HUGE_ITEMS) % len(spread)]
            if kind in _CARD_KINDS:
                code, text, card = _CARD_KINDS[kind]
                out.append((Item(f"hostile/{kind}-{i:04d}", kind, "card_issue", code), text, card))
            elif kind in _META_KINDS:
                code, card = _META_KINDS[kind]
                text = (_front(card) + _BODY).encode()
                out.append((Item(f"hostile/{kind}-{i:04d}", kind, "metadata_problem", code), text, card))
            else:
                repo_id = _ID_KINDS[kind].format(i=f"{i:04d}")
                out.append((Item(repo_id, kind, "crawl_error", ""), _BODY.encode(), {}))
    return out


def hostile_hub(out_dir: str | Path, *, items: int = 1000) -> list[Item]:
    """Write the hostile snapshot to ``out_dir``; returns its items (also in meta ``items``)."""
    if items < HUGE_ITEMS + 2:
        raise ValueError(f"items must be at least {HUGE_ITEMS + 2}, got {items}")
    made = _items(items)
    listed = [asdict(item) for item, _, _ in made]
    with SnapshotWriter(out_dir, source=SOURCE, meta={"snapshot_time": "2026-11-01T00:00:00.000Z",
                                                      "items": json.dumps(listed)}) as writer:
        for pos, (item, text, card) in enumerate(made):
            sha = git_blob_oid(f"hostile:{item.repo_id}".encode())
            date = "2026-10-01T00:00:00.000Z"
            writer.add_model(
                {"id": item.repo_id, "author": "hostile", "sha": sha, "createdAt": "2026-09-01T00:00:00.000Z",
                 "lastModified": date, "private": False, "downloads": 1000 - pos, "likes": 0,
                 "tags": ["hostile", item.kind], "pipeline_tag": "text-classification",
                 "library_name": "transformers", "cardData": card,
                 "siblings": [{"rfilename": "README.md"}]},
                commits=[Commit(id=sha, date=date, title=f"Upload {item.kind}", files={"README.md": text})])
    return [item for item, _, _ in made]


def expected(out_dir: str | Path) -> list[Item]:
    """The items of a hostile snapshot, as written."""
    reader = SnapshotReader(out_dir)
    try:
        return [Item(**x) for x in json.loads(reader.meta["items"])]
    finally:
        reader.close()
