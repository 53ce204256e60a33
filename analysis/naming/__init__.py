"""Naming practice: a repo name split into typed segments (``parse``, over the token reading in
``tokens`` and the word lists in ``vocab``), its shares beside Ajibode et al. 2025 (``shares``) and the
naming marts over the current models (``marts``). The versioning views (``versioning_practice``,
``family_releases``) are SQL over the history and these marts."""

from analysis.naming.parse import NameParse, Segment, names_rows, parse_name
from analysis.naming.shares import PAPER_SHARES, PAPER_VERSION_KINDS, format_shares, segment_shares
from analysis.naming.tokens import parse_size, parse_version
from analysis.naming.vocab import SEGMENT_TYPES

__all__ = [
    "PAPER_SHARES",
    "PAPER_VERSION_KINDS",
    "SEGMENT_TYPES",
    "NameParse",
    "Segment",
    "format_shares",
    "names_rows",
    "parse_name",
    "parse_size",
    "parse_version",
    "segment_shares",
]
