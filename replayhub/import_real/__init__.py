"""A hub snapshot built from real recorded Hub facts (../shared/realdata)."""

from replayhub.import_real.build import import_real

__all__ = ["import_real"]
