"""Generated hub snapshots with realistic distributions, from a few models to 2.5M, one day or many."""

from replayhub.synth.generate import GENERATOR_VERSION, advance, changed_models, generate

__all__ = ["GENERATOR_VERSION", "advance", "changed_models", "generate"]
