"""Naming practice: a repo name split into typed segments (``parse``, with its word lists in
``vocab``) and the naming marts over the current models (``marts``). The versioning views
(``versioning_practice``, ``family_releases``) are SQL over the history and these marts."""
