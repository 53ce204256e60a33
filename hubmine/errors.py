"""Library errors as CLI errors: the expected ones become one clean line, bugs keep their traceback."""

from __future__ import annotations

import functools

import click

from core.errors import HubmineError


def clean_errors(fn):
    """Turn the library's expected errors (:class:`core.errors.HubmineError`) into ``Error: <message>``
    and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except HubmineError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper
