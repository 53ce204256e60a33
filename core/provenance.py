"""Where a crawl's data came from: the names the replay hub, the miners and the report share.

A replay hub answers ``GET {endpoint}/api/replayhub/snapshot`` with what its snapshot is (see
``replayhub.provenance``); the real Hub has no such path. The models miner lands the answer with
its run (``kind`` ``hub`` when the endpoint is a real Hub), the loader keeps it in ``load_runs``, and
the report prints it on every page and withholds the figures the data cannot support.
"""

from __future__ import annotations

PATH = "/api/replayhub/snapshot"

# kind: what the data is
GENERATED, IMPORTED, REPLAY, HUB = "generated", "imported", "replay", "hub"

# Claims an imported sample may be unable to support, by id: the importer names them with the
# reason, the report withholds the figures that make them (report.provenance.WITHHELD).
SILENT_WEIGHT_CHANGES = "silent_weight_changes"
CO2_REPORTING_SHARE = "co2_reporting_share"
CARD_SHARE = "card_share"
