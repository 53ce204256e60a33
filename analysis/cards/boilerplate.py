"""Known generated boilerplate whose text answers nothing about the model it ships with.

Only cards a generator wrote word for word are recognised here; sentences that are boilerplate in
any card (the template's, DreamBooth notebooks') are blanked as placeholders (placeholders.py).

* ML-Agents (Deep RL course) cards: a title sentence naming the agent and environment, then the
  library's own text copied into every card. The title paragraph says what the model is and the
  load / resume / watch commands say how to run it; "Resume the training" says nothing of how it
  was trained, so the card can fill Model Details and How to Get Started only.
"""

from __future__ import annotations

_INTRO = 3_000


_MLAGENTS_ALLOWED = ("model_details", "how_to_get_started")


def allowed_sections(text: str, body: int, end: int) -> tuple[str, ...] | None:
    """The only sections a recognised generated card can fill, or None (any)."""
    at = text.find("ML-Agents", body, min(end, body + _INTRO))
    if at >= 0 and (text.find("Resume the training", at, end) >= 0 or text.find("Watch your Agent play", at, end) >= 0):
        return _MLAGENTS_ALLOWED
    return None
