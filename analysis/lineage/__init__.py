"""Base-model lineage: declared and inferred parent edges, families, depth and suggested parents
(``graph``), and the lineage marts built from the current models (``marts``)."""
