"""Generated hub snapshots with realistic distributions, from a few models to 2.5M, one day or many.

The generator's parts, in the order a model goes through them:

* ``vocab``: the tables it draws from (foundation models, orgs, words, languages, licences...);
* ``population``: each model's attributes (kind, author, date, popularity), with ``names`` for
  accounts and repo names and ``pools`` for lineage (candidate parents, planted families);
* ``files``, ``cards`` (with ``card_text``), ``history``: a model's repo files, card and commits;
  ``info``: its ``GET /api/models/{id}`` body;
* ``daily``: what each day after the start changes;
* ``parallel``: rows produced in worker processes; ``generate``: the entry points writing snapshots.
"""

from replayhub.synth.daily import changed_models
from replayhub.synth.generate import GENERATOR_VERSION, advance, generate

__all__ = ["GENERATOR_VERSION", "advance", "changed_models", "generate"]
