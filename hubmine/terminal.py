"""What the ``hubmine`` command shows on the terminal besides its own lines: the library's warnings
(a retry waiting and why, a crawl's notes), one line each, written above the progress bar of the
step that is running instead of through it; and counts in words (:func:`counted`)."""

from __future__ import annotations

import logging
import sys

from tqdm import tqdm


def counted(n: int, noun: str) -> str:
    """``counted(1, "API request")`` -> "1 API request", ``counted(2, ...)`` -> "2 API requests"."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


class _AboveTheBar(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            tqdm.write(self.format(record), file=sys.stderr)  # clears the bar, writes the line, redraws the bar
        except Exception:
            self.handleError(record)


def show_warnings() -> None:
    """Print warnings logged anywhere in the process (once, however often this is called)."""
    root = logging.getLogger()
    if not any(isinstance(h, _AboveTheBar) for h in root.handlers):
        root.addHandler(_AboveTheBar(logging.WARNING))
