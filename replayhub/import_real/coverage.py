"""What an imported sample covers, source by source, and which claims it cannot support.

Written into the snapshot's meta (``provenance``, see ``replayhub.provenance``): the replay hub
serves it, a crawl carries it into the warehouse, and the report prints it on every page and
withholds the figures named in ``unsupported`` instead of computing them from a sample that
cannot carry them. Every number here is counted from the import itself.
"""

from __future__ import annotations

from typing import Any

from core.provenance import CARD_SHARE, CO2_REPORTING_SHARE, IMPORTED, SILENT_WEIGHT_CHANGES
from replayhub.import_real.record import Record

# Liang et al.'s models were created up to this day; later models come from the other sources.
LIANG_END = "2022-09-30"

WHAT = {
    "cassette": "real GET /api/models/{id} bodies from huggingface_hub's test cassettes",
    "oderinwale": "one lineage family (Mistral-Small-24B-Base-2501) with full model info",
    "laufer": "a sample of the ModelBiome lineage graph with typed edges",
    "gaissa": "real commit histories of top models (GAISSA HF_diversity)",
    "castano": "HFCO2 (Castaño et al. 2023): models that declare CO2 emissions",
    "liang": "Liang et al. 2024: model ids, dates, downloads and whether a card exists",
}


def provenance(summary: dict[str, Any], recs: dict[str, Record]) -> dict[str, Any]:
    liang = summary["liang"]
    later = [r for r in recs.values() if (r.created() or "") > LIANG_END]
    later_co2 = sum(1 for r in later if "castano" in r.sources)
    carded, listed = liang["has_modelcard"], liang["models"]
    texts = summary["cards"].get("cards", 0) + summary["cards"].get("cards_2023", 0)
    coverage = {
        "cassette": f"{summary['cassette']['models']:,} models, bodies verbatim",
        "oderinwale": f"{summary['oderinwale']['models']:,} models",
        "laufer": f"{summary['laufer']['models']:,} models, {summary['laufer']['edges']:,} typed lineage edges",
        "gaissa": f"{summary['gaissa']['models']:,} models, {summary['gaissa']['commits']:,} commits of "
                  f"{summary['gaissa']['models_with_commits']}",
        "castano": f"{summary['castano']['models']:,} models, every one declaring CO2 emissions",
        "liang": f"{listed:,} models created up to {LIANG_END}; {carded:,} recorded as carded, the text of "
                 f"{liang['cards_attached']:,} of them recorded",
    }
    sources = [{"name": name, "what": WHAT[name], "models": summary[name]["models"], "coverage": coverage[name]}
               for name in WHAT]
    unknown = liang["carded_without_text"]
    return {
        "kind": IMPORTED,
        "sources": sources,
        "card_texts": texts,
        "card_unknown": unknown,
        "unsupported": {
            CARD_SHARE: f"{unknown:,} of the {carded:,} models Liang et al. record as carded have no recorded card "
                        f"text: their card is unknown (the replay hub answers 410 for it) and they are left out of "
                        f"the card figures, so the share of models with a card is not the sample's to give; the "
                        f"source records {carded:,} of {listed:,} models as carded ({carded / listed:.1%}).",
            SILENT_WEIGHT_CHANGES: "commit trees are rebuilt from web-UI commit titles and every commit serves the "
                                   "head README text, so no commit changes the card: every weight change would "
                                   "count as silent.",
            CO2_REPORTING_SHARE: f"HFCO2 holds only models that declare emissions: of the {len(later):,} models "
                                 f"created after {LIANG_END}, {later_co2:,} come from it, so reporting shares "
                                 f"(overall and by creation time) measure the sources' selection, not the Hub.",
        },
    }
