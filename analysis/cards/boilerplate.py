"""Known generated boilerplate whose text answers nothing about the model it ships with.

Only cards a generator wrote word for word are recognised here; sentences that are boilerplate in
any card (the template's, DreamBooth notebooks') are blanked as placeholders (placeholders.py).

* ML-Agents (Deep RL course) cards: a title sentence naming the agent and environment, then the
  library's own usage text ("Resume the training", "Watch your Agent play", documentation links)
  copied into every card. Only the title paragraph counts (as Model Details, when it describes).
"""

from __future__ import annotations

_INTRO = 3_000


def only_intro_counts(text: str, body: int, end: int) -> bool:
    """Is this an ML-Agents card whose only own text is its title paragraph?"""
    at = text.find("ML-Agents", body, min(end, body + _INTRO))
    if at < 0:
        return False
    return text.find("Resume the training", at, end) >= 0 or text.find("Watch your Agent play", at, end) >= 0
