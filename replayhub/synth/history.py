"""A generated repo's commit history, from its first upload to the start date.

:class:`_Repo` completes a model drawn by the population: its files and card, then its commits
(an initial commit and an upload, a geometric tail of card edits, weight updates, safetensors
conversions and config changes; dozens for foundation models), tags and extra branches. What a
day after the start date changes is ``daily.py``'s business.
"""

from __future__ import annotations

import hashlib
import math
from random import Random
from typing import Any

from replayhub.snapshot import Commit, file_entry
from replayhub.synth.cards import card_data, prepare, readme
from replayhub.synth.clock import DAY, iso
from replayhub.synth.files import _Files, _lfs, _nb_entry, config
from replayhub.synth.population import _Generator
from replayhub.synth.vocab import COMMIT_CARD_TITLES, COMMIT_UPLOAD_TITLES, COMMIT_WEIGHT_TITLES, pick

MAX_BASE_COMMITS = 30
# Share of weight modifications whose commit also edits README.md (the rest change weights silently;
# Ajibode et al. 2025 find 40.87% of weight changes come without a version or card change).
P_CARD_WITH_WEIGHTS = 0.55


def _commit_id(seed: int, i: int, tag: str) -> str:
    return hashlib.sha1(f"hubmine:{seed}:{i}:{tag}".encode()).hexdigest()


class _Repo:
    """Completes models of one generator: files, card and commits (``m["commits"]``, ``m["refs"]``)."""

    def __init__(self, g: _Generator):
        self.g = g
        self.files = _Files()
        self.seen: dict[tuple[str, bytes], dict[str, Any]] = {}

    def writer_commits(self, commits: list[Commit]) -> list[Commit]:
        """Commits for SnapshotWriter: a small file's bytes only where its blob is new, its tree entry after.

        Most small files repeat (across a repo's commits, and constant ones across repos); handing the
        writer the entry instead of the bytes skips re-hashing and re-compressing them.
        """
        seen = self.seen
        out = []
        for c in commits:
            files = {}
            for p, v in c.files.items():
                if type(v) is bytes:
                    key = (p, v)
                    e = seen.get(key)
                    if e is None:
                        if len(seen) > 50_000:
                            seen.clear()
                        seen[key] = file_entry(p, v)
                    else:
                        v = e
                files[p] = v
            out.append(Commit(c.id, c.date, c.title, c.message, c.authors, files))
        return out

    def complete(self, m: dict[str, Any], fresh: int | None = None) -> None:
        """Add files, card and history to model ``m`` (``fresh=d``: a model made on day ``d``)."""
        g, r = self.g, m["r"]
        m["id"] = f"{m['author']}/{m['name']}"
        if fresh is not None:
            # A repo made on day `fresh`: its history fits in that day, and it has a day's downloads.
            m["horizon"] = g.start_ts + (fresh + 1) * DAY - 60
            m["downloads"] //= 30
            m["likes"] //= 10
        if m["kind"] != "root" and r.random() < 0.01:
            m["gated"] = "auto"
        prepare(m)
        self.files.build(m)
        m["used"] = sum(e["size"] for e in m["files"].values() if isinstance(e, dict) and "lfs" in e)
        # trending: likes of the last weeks, so only young, liked repos trend (static until the repo changes)
        age_days = max(0.0, (g.start_ts - m["created"]) / DAY)
        m["trending"] = int(m["likes"] * math.exp(-age_days / 14)) if age_days < 90 else 0
        m["card_data"] = card_data(m) if m["readme"] else None
        m["malformed"] = 1 + int(r.random() * 3) if m["readme"] and r.random() < 0.005 and not m.get("planted") else 0
        m["crlf"] = r.random() < 0.01
        self.history(m)

    def _authors(self, m: dict[str, Any], r: Random) -> tuple[str, ...]:
        if m["author_kind"] == "user":
            return (m["author"],)
        return (self.g.names.org_member(m["author"], r),)

    def history(self, m: dict[str, Any]) -> None:
        r, g = m["r"], self.g
        created, i = m["created"], m["i"]
        files = m["files"]
        u = r.random()
        # most repos: "initial commit" + one upload, or a single commit; a geometric tail of edits
        n = 1 if u < 0.28 else 2 + int(-1.4 * math.log(1.0 - r.random()))
        if m["kind"] == "root":
            n = 5 + int(r.random() * 25)
        elif m["downloads"] > 5_000:
            n += int(math.exp(r.random() * 2.5))
        n = min(n, MAX_BASE_COMMITS)
        authors = self._authors(m, r)
        m["readme_rev"] = -1
        m["cfg_rev"] = 0
        commits: list[Commit] = []
        if n == 1:
            state = dict(files)
            if m["readme"]:
                state["README.md"] = readme(m, 0, r)
                m["readme_rev"] = 0
            commits.append(Commit(_commit_id(g.seed, i, "0"), iso(created), "initial commit", "", authors, state))
        else:
            t1 = created + 10 + int(r.random() * 900)
            last = m.get("horizon", g.start_ts - 60)
            later = sorted(t1 + int((last - t1) * r.random() ** 3) for _ in range(n - 2))
            times = [created, t1] + later
            for k in range(2, n):
                times[k] = max(times[k], times[k - 1] + 1)
            commits.append(Commit(_commit_id(g.seed, i, "0"), iso(created), "initial commit", "", authors,
                                  {".gitattributes": files[".gitattributes"]}))
            state = dict(files)
            if m["readme"] and (n == 2 or r.random() < 0.75):
                state["README.md"] = readme(m, 0, r)
                m["readme_rev"] = 0
            title = pick(r, COMMIT_UPLOAD_TITLES).format(cls=pick(r, ["model", "tokenizer", "folder"]))
            commits.append(Commit(_commit_id(g.seed, i, "1"), iso(t1), title, "", authors, state))
            for k in range(2, n):
                state = dict(state)
                title, auth = self.event(m, r, state, base=True)
                commits.append(Commit(_commit_id(g.seed, i, str(k)), iso(times[k]), title, "",
                                      auth or authors, state))
        m["commits"], m["state"] = commits, state
        refs: list[tuple[str, str, str]] = []
        if len(commits) >= 3 and r.random() < (0.3 if m["kind"] == "root" else 0.05):
            refs.append(("tag", pick(r, ["v1.0", "v1", "v0.1", "1.0.0"]), commits[len(commits) // 2].id))
            if r.random() < 0.5:
                refs.append(("tag", pick(r, ["v2", "v2.0", "v1.1", "2.0.0"]), commits[-1].id))
        if m["quant_format"] in ("gptq", "exl2") and m["author_kind"] == "quant-org" and len(commits) >= 2:
            names = ["gptq-4bit-32g-actorder_True", "gptq-8bit-128g-actorder_False"] if m["quant_format"] == "gptq" \
                else ["4_0", "5_0", "6_5", "8_0"]
            refs += [("branch", b, commits[-1 - (k % 2)].id) for k, b in enumerate(names)]
        m["refs"] = refs

    def event(self, m: dict[str, Any], r: Random, state: dict[str, Any], *, base: bool) -> tuple[str, tuple | None]:
        """Apply one change to ``state``; returns (commit title, authors override)."""
        u = r.random()
        weights = [p for p in m["weights"] if p in state]
        if m["readme"] and "README.md" not in state:
            state["README.md"] = readme(m, 0, r)
            m["readme_rev"] = 0
            return pick(r, ["Create README.md", "Add model card", "Upload README.md with huggingface_hub"]), None
        if not base and "README.md" not in state and u < 0.5:
            # a card-less repo finally gets a README: a one-liner without metadata
            m["card_style"] = "late"
            m["readme_rev"] = 0
            state["README.md"] = readme(m, 0, r)
            return "Create README.md", None
        if u < 0.45 and "README.md" in state:
            m["readme_rev"] += 1
            state["README.md"] = readme(m, m["readme_rev"], r)
            title = pick(r, COMMIT_CARD_TITLES)
            return title, ("librarian-bot",) if title.startswith("Librarian") else None
        if base and m.get("bin_weights") and "model.safetensors" not in state and weights and u < 0.55:
            size = sum(state[p]["size"] for p in weights if p.endswith(".bin"))
            if size:
                state["model.safetensors"] = _lfs("model.safetensors", r, size)
                m["used"] += size
                m["weights"].append("model.safetensors")
                return "Adding `safetensors` variant of this model", ("SFconvertbot",)
        if u < 0.8 and weights:
            for p in weights:
                size = int(state[p]["size"] * (0.98 + 0.04 * r.random()))
                state[p] = _lfs(p, r, size)
                m["used"] += size
            if "README.md" in state and r.random() < P_CARD_WITH_WEIGHTS:
                m["readme_rev"] += 1
                state["README.md"] = readme(m, m["readme_rev"], r)
            k = 1 + int(r.random() * 5)
            return pick(r, COMMIT_WEIGHT_TITLES).format(weights=weights[0], k=k, step=k * 500), None
        if isinstance(state.get("config.json"), bytes):
            m["cfg_rev"] += 1
            state["config.json"] = config(m, m["cfg_rev"])
            return pick(r, ["Update config.json", "fix config", "Upload config"]), None
        p = pick(r, ["training_log.txt", "notes.md", "eval_results.txt", "LICENSE"])
        state[p] = _nb_entry(p, r, 200, 20_000)
        return f"Upload {p}", None

    # -- the GET /api/models/{id} body -------------------------------------------------------------------
