"""The generator's calendar: the day unit, the Hub's first day, its placeholder creation date, and
timestamps written the way the Hub writes them. Every part of the generator dates things with these."""

from __future__ import annotations

import calendar
import time

from core.hub import PLACEHOLDER_CREATED_AT

DAY = 86_400
EPOCH_START = calendar.timegm((2019, 1, 1, 0, 0, 0))
# Repos created before the Hub recorded creation times carry a placeholder createdAt; the generator
# writes the :04 form for them (the Hub also serves :05, which the generator never writes).
PLACEHOLDER_CREATED = PLACEHOLDER_CREATED_AT[0]
PLACEHOLDER_UNTIL = calendar.timegm(time.strptime(PLACEHOLDER_CREATED, "%Y-%m-%dT%H:%M:%S.000Z"))


def _ts(date: str) -> int:
    y, m, d = (int(x) for x in date[:10].split("-"))
    return calendar.timegm((y, m, d, 0, 0, 0))


def iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts))
