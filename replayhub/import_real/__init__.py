"""A hub snapshot built from real recorded Hub facts (../shared/realdata): one module per source,
``record`` merges them per model id, ``build.import_real`` runs it all."""

from replayhub.import_real.build import import_real

__all__ = ["import_real"]
