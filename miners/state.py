"""Miner state: small Parquet tables under ``<home>/state`` that say what each miner already has.

Replaced atomically (write, then rename), so a killed miner leaves the previous state whole.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from hubmine.config import Paths


def read_state(paths: Paths, name: str, schema: pa.Schema) -> pa.Table:
    path = paths.state / name
    return pq.read_table(path, schema=schema) if path.is_file() else schema.empty_table()


def write_state(paths: Paths, name: str, table: pa.Table) -> None:
    paths.state.mkdir(parents=True, exist_ok=True)
    tmp = paths.state / (name + ".tmp")
    pq.write_table(table, tmp)
    tmp.replace(paths.state / name)


def with_run_id(table: pa.Table, run_id: str) -> pa.Table:
    return table.append_column("run_id", pa.array([run_id] * table.num_rows, pa.string()))
