"""Card texts: ``cards/`` (real cards from public repositories, by ``MANIFEST.csv``'s
``hub_model_id_if_known``), ``liang2024_modelcards/intervention_cards/`` and
``cards_2023/cards.parquet`` (an April 2023 scrape, by file stem ``{owner}_{name}``).

``README.md`` carries real text only where a real card is recorded for that exact id, in that
order of precedence; a scraped card is used only when exactly one snapshot id has that stem, and
never for a bare id containing ``_``, which any owner_name split could produce. The card's front
matter becomes ``cardData`` (parsed as huggingface_hub finds it). A model whose source says it has
a card but whose text is not recorded gets a README whose content is unknown (the replay hub answers
410, so it is neither card-less nor given invented prose; counted as ``carded_without_text``). A cassette model's README is the recorded card
even where it predates the body.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import polars as pl

from replayhub.import_real.record import Record
from replayhub.import_real.values import yaml_mapping

YAML_BLOCK = re.compile(r"^(\s*---[\r\n]+)([\S\s]*?)([\r\n]+---(\r\n|\n|$))")


class CardIndex:
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

    def attach(self, recs: dict[str, Record]) -> dict[str, Any]:
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
    return yaml_mapping(match.group(2)) if match else None
