"""Shards: a stable split of repo ids into N parts, so detail miners can run as N parallel tasks.

A repo belongs to shard ``blake2b(repo_id) mod N``: stable across processes, machines and Python
versions (the built-in ``hash`` is salted per process), and even enough that shards get similar work.
Each shard lands its own run (``<run_id>-shard-<i>of<n>``) and keeps its own state part, so shards
running at the same time never write the same file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pyarrow as pa

_LABEL = re.compile(r"^shard-(\d+)of(\d+)$")


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ValueError(f"shard {self.index} of {self.count}: need 0 <= index < count and count >= 1")

    @property
    def label(self) -> str:
        """``shard-03of16``: zero-padded so that run folders of one run sort in shard order."""
        width = len(str(self.count - 1))
        return f"shard-{self.index:0{width}d}of{self.count}"

    def run_id(self, base: str) -> str:
        return f"{base}-{self.label}"

    def filter(self, table: pa.Table, column: str = "id") -> pa.Table:
        """Rows of ``table`` whose ``column`` (a repo id) belongs to this shard."""
        if self.count == 1:
            return table
        mask = [shard_of(repo_id, self.count) == self.index for repo_id in table[column].to_pylist()]
        return table.filter(pa.array(mask, pa.bool_()))

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``shard-3of16`` (a label) or ``3/16``."""
        match = _LABEL.match(text) or re.match(r"^(\d+)/(\d+)$", text)
        if not match:
            raise ValueError(f"not a shard: {text!r} (expected I/N or shard-IofN)")
        return cls(int(match.group(1)), int(match.group(2)))


def shard_of(repo_id: str, count: int) -> int:
    digest = hashlib.blake2b(repo_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count
