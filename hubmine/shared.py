"""The options every ``hubmine`` command takes, wherever the user puts them: ``hubmine --home D load``
and ``hubmine load --home D`` mean the same.

Click gives an option only to the command that declares it, so these are declared once here and
attached to every group and command as it joins the tree (:class:`SharedOptionsGroup`). Each copy
writes into the context instead of into the command's arguments: ``--home`` replaces the
:class:`core.config.Paths` that commands get with ``pass_obj`` (the one nearest the command wins),
and ``--debug`` sets a flag in ``ctx.meta``, which every context of one command line shares.
"""

from __future__ import annotations

from pathlib import Path

import click

from core.config import Paths
from hubmine.errors import DEBUG_ENV, DEBUG_META, HubmineGroup


def _set_home(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.obj = Paths.from_env(value)


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[DEBUG_META] = True


def shared_options() -> list[click.Option]:
    """Fresh copies of the shared options (each command owns its parameter objects)."""
    return [
        click.Option(["--home"], type=click.Path(file_okay=False, path_type=Path), expose_value=False,
                     callback=_set_home,
                     help="Data folder (landing zone, state, warehouse). Default: $HUBMINE_HOME or ./hubmine-data."),
        click.Option(["--debug"], is_flag=True, envvar=DEBUG_ENV, expose_value=False, callback=_set_debug,
                     help=f"Show the traceback of an error instead of its one line. Default: ${DEBUG_ENV}."),
    ]


def attach_shared_options(command: click.Command) -> None:
    """Give ``command`` (and, for a group, every command under it) the shared options it lacks."""
    have = {param.name for param in command.params}
    command.params.extend(option for option in shared_options() if option.name not in have)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            attach_shared_options(sub)


class SharedOptionsGroup(HubmineGroup):
    """A :class:`HubmineGroup` whose own options, and those of every command added to it, include the
    shared ones. Groups made with ``@group.group()`` are of this class too."""

    group_class = type

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        attach_shared_options(self)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        attach_shared_options(cmd)
        super().add_command(cmd, name)
