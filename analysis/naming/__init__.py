"""Naming practice: a repo name split into typed tokens (``parse``, over the token reading in
``tokens`` and the word lists in ``vocab``), read by Ajibode et al.'s codebook (``codebook``, measured
against their labels by ``agreement``), its shares beside the paper (``shares``), release kinds and
steps from versioned names (``releases``) and the naming marts over the current models (``marts``).
The versioning views (``versioning_practice``, ``family_releases``) are SQL over the history and
these marts."""

from analysis.naming.codebook import names_rows
from analysis.naming.parse import NameParse, Segment, parse_name
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
