"""Day-by-day change after the start date: which models change on which day, and how.

Day ``d >= 1`` gives each model a new commit with probability ``daily_change``, decided by a hash
of ``(seed, model, d)`` (:func:`changed_models`), and adds ``daily_new`` models (appended after the
earlier ones). A day's change to a model is computed from what the snapshot holds for it (API body,
head tree, README and config contents) plus two generator facts kept beside it (which files are
weights, who commits), never from the generator's in-memory model. So day D+1 can be derived from
day D's snapshot by touching only the few models that change (``advance``), and generating day D
in one go (``generate``) applies the very same function: both give identical snapshots.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from random import Random
from typing import Any

import numpy as np

from replayhub.snapshot import Commit
from replayhub.synth.card_text import MORE_INFO, TASK_HUMAN
from replayhub.synth.cards import _CARD_NOTES
from replayhub.synth.clock import DAY, iso
from replayhub.synth.files import _TRANSFORMERS_VERSIONS, _jline, _lfs, _nb_entry
from replayhub.synth.history import P_CARD_WITH_WEIGHTS, _commit_id
from replayhub.synth.vocab import COMMIT_CARD_TITLES, COMMIT_WEIGHT_TITLES, pick

_MASK64 = (1 << 64) - 1

_LATE_CARDS = ["{name}", "# {name}", "# {name}\n\nWork in progress.", "# {name}\n\nTODO: add model card", "test",
               "Model for my thesis project.", "# {name}\n\nSee https://github.com/{author}/{name}",
               "My {task} model."]
# What a card edit writes into a template placeholder.
_FILLED = ["This model was trained on a single GPU for a few hours.", "Use it for research purposes only.",
           "The model may reproduce biases present in its training data.", "Evaluated on the held-out test split.",
           "Trained with the Hugging Face Trainer.", "Contact the author through the community tab."]
_PLACEHOLDER = MORE_INFO.encode()


class _Served:
    """One model as a snapshot serves it, plus the generator facts a day change needs."""

    __slots__ = ("pos", "info", "files", "seq", "weights", "owner")

    def __init__(self, pos: int, info: dict[str, Any], files: dict[str, Any], seq: int, weights: list[str],
                 owner: tuple[str, ...]):
        self.pos = pos
        self.info = info    # GET /api/models/{id} body
        self.files = files  # head tree: path -> content (bytes) or tree entry (dict)
        self.seq = seq      # head commit's position in the log
        self.weights = weights
        self.owner = owner  # authors of the repo's own commits


def day_change(seed: int, start_ts: int, s: _Served, d: int, load: Callable[[dict], bytes | None]) -> Commit:
    """Apply day ``d``'s change to ``s`` (in place: info, files, seq) and return the new head commit.

    ``load(entry)`` gives the content of a small file listed by its tree entry (None when unknown).
    """
    r = Random(((seed << 32) + s.pos) | ((d + 1) << 90))
    state = dict(s.files)
    title, authors, used = _day_event(r, s, state, load)
    when = start_ts + d * DAY + int(r.random() * (DAY - 120))
    commit = Commit(_commit_id(seed, s.pos, f"d{d}"), iso(when), title, "", authors or s.owner, state)
    info = s.info
    dl = info["downloads"]
    gained = int(dl * (0.01 + 0.2 * r.random())) + int(r.random() * 30)
    likes = info["likes"]
    new_likes = int(likes * 0.03 * r.random()) + (1 if r.random() < 0.3 else 0)
    info.update(sha=commit.id, lastModified=commit.date, downloads=dl + gained, likes=likes + new_likes,
                trendingScore=new_likes + gained // 1000, siblings=[{"rfilename": p} for p in sorted(state)],
                usedStorage=info.get("usedStorage", 0) + used)
    s.files = state
    s.seq += 1
    return commit


def _day_event(r: Random, s: _Served, state: dict[str, Any], load) -> tuple[str, tuple | None, int]:
    """One change to ``state``: (commit title, authors override, storage added)."""
    u = r.random()
    weights = [p for p in s.weights if p in state]
    has_card = "README.md" in state
    if not has_card and u < 0.5:
        # a card-less repo finally gets a README: a one-liner without metadata
        info = s.info
        text = pick(r, _LATE_CARDS).format(name=info["id"].rsplit("/", 1)[-1], author=info.get("author") or "",
                                           task=TASK_HUMAN.get(info.get("pipeline_tag"), "machine learning"))
        state["README.md"] = (text + "\n").encode()
        return "Create README.md", None, 0
    if u < 0.45 and has_card:
        state["README.md"] = _edit_card(_content(state["README.md"], load), r, s.seq + 1)
        title = pick(r, COMMIT_CARD_TITLES)
        return title, ("librarian-bot",) if title.startswith("Librarian") else None, 0
    if u < 0.8 and weights:
        used = 0
        for p in weights:
            size = int(state[p]["size"] * (0.98 + 0.04 * r.random()))
            state[p] = _lfs(p, r, size)
            used += size
        if has_card and r.random() < P_CARD_WITH_WEIGHTS:
            state["README.md"] = _edit_card(_content(state["README.md"], load), r, s.seq + 1)
        k = 1 + int(r.random() * 5)
        return pick(r, COMMIT_WEIGHT_TITLES).format(weights=weights[0], k=k, step=k * 500), None, used
    config = _bump_config(_content(state["config.json"], load)) if "config.json" in state else None
    if config is not None:
        state["config.json"] = config
        return pick(r, ["Update config.json", "fix config", "Upload config"]), None, 0
    p = pick(r, ["training_log.txt", "notes.md", "eval_results.txt", "LICENSE"])
    state[p] = _nb_entry(p, r, 200, 20_000)
    return f"Upload {p}", None, 0


def _content(value: bytes | dict[str, Any], load) -> bytes | None:
    return value if isinstance(value, bytes) else load(value)


def _edit_card(text: bytes | None, r: Random, rev: int) -> bytes:
    """A card edit: fill in one template placeholder, else add a dated note at the end."""
    text = text or b""
    if _PLACEHOLDER in text and r.random() < 0.6:
        return text.replace(_PLACEHOLDER, pick(r, _FILLED).encode(), 1)
    nl = "\r\n" if b"\r\n" in text else "\n"
    return text + f"{nl}{pick(r, _CARD_NOTES)} ({rev}){nl}".encode()


def _bump_config(raw: bytes | None) -> bytes | None:
    """A config edit: the next transformers version and use_cache flipped; None when not a JSON object."""
    if raw is None:
        return None
    try:
        cfg = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(cfg, dict):
        return None
    version = cfg.get("transformers_version")
    k = _TRANSFORMERS_VERSIONS.index(version) if version in _TRANSFORMERS_VERSIONS else -1
    cfg["transformers_version"] = _TRANSFORMERS_VERSIONS[min(len(_TRANSFORMERS_VERSIONS) - 1, k + 1)]
    cfg["use_cache"] = not cfg.get("use_cache", True)
    return _jline(cfg)


def _no_load(entry: dict[str, Any]) -> bytes | None:
    return None  # in memory, every small file the change function reads is held as bytes


def _splitmix(x: np.ndarray) -> np.ndarray:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _day_uniform(seed: int, first: int, count: int, days: np.ndarray) -> np.ndarray:
    """Uniform [0,1) per (model, day) for models first..first+count-1: shape (count, len(days)).

    Vectorised: day D needs days 1..D for every model."""
    idx = np.arange(first, first + count, dtype=np.uint64)[:, None]
    salt = np.uint64((seed * 0xD1B54A32D192ED03 + 0x632BE59BD9B4E019) & _MASK64)
    with np.errstate(over="ignore"):
        x = _splitmix(idx * np.uint64(0x9E3779B97F4A7C15) ^ salt)
        x = _splitmix(x ^ (days.astype(np.uint64)[None, :] * np.uint64(0xC2B2AE3D27D4EB4F)))
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def new_models_per_day(models: int, daily_new: float) -> int:
    """Models created on each simulated day: a fixed share of the initial ones."""
    return int(models * daily_new)


def changed_models(models: int, seed: int, day: int, daily_change: float) -> np.ndarray:
    """Positions (among the first ``models``, i.e. those that existed the day before) of the models
    that get a new commit on ``day`` (empty for day 0)."""
    if day <= 0:
        return np.zeros(0, dtype=np.int64)
    u = _day_uniform(seed, 0, models, np.array([day]))
    return np.nonzero(u[:, 0] < daily_change)[0]


def _served(m: dict[str, Any], info: dict[str, Any]) -> _Served:
    return _Served(m["i"], info, m["state"], len(m["commits"]) - 1, list(m["weights"]), tuple(m["commits"][0].authors))
