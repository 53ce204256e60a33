"""How a ``hubmine`` command ends when something fails: one line naming what failed and what to do.

Every command runs under :class:`HubmineGroup`, which turns whatever escapes it into ``Error: <line>``
on stderr: the library's expected errors (:class:`core.errors.HubmineError`) by their message, the
Hub answering an error or being out of reach, a file-system error, Ctrl-C (exit status 130), and, as
a last resort, any other exception by its type (a bug: the line says so and how to see more).
``--debug`` (or ``HUBMINE_DEBUG=1``) lets the exception through, traceback and all. Output piped into
a reader that stops early (``| head``) ends the command quietly with status 141, as for Unix tools.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import click

from core.errors import HubmineError

DEBUG_ENV = "HUBMINE_DEBUG"
DEBUG_META = "hubmine.debug"  # the ctx.meta key --debug sets (hubmine.shared)
INTERRUPTED_STATUS = 130  # 128 + SIGINT, what shells report for a process stopped by Ctrl-C
BROKEN_PIPE_STATUS = 141  # 128 + SIGPIPE, what shells report for a writer whose reader has gone
MAX_LINE = 600
SEE_DEBUG = "run again with --debug for the traceback"


def one_line(text: str) -> str:
    """``text`` on one line (inner line breaks become spaces), at most :data:`MAX_LINE` characters."""
    flat = " ".join(part.strip() for part in str(text).splitlines() if part.strip())
    return flat if len(flat) <= MAX_LINE else flat[:MAX_LINE - 1] + "…"


def _hub_answer(exc) -> str:
    response = exc.response
    status = response.status_code if response is not None else "?"
    url = str(response.request.url) if response is not None and response.request is not None else "the Hub"
    hint = {401: "check the token (HF_TOKEN)", 403: "check the token's access to it (HF_TOKEN)",
            404: "check the repo id and the endpoint (--endpoint or HF_ENDPOINT)",
            429: "the rate limit is spent: wait a few minutes, then run again"}.get(
        status, "run again later; if it persists, check the endpoint (--endpoint or HF_ENDPOINT)")
    server = getattr(exc, "server_message", None)
    return f"the Hub answered HTTP {status} for {url}{f' ({server})' if server else ''}; {hint}"


def failure_line(exc: BaseException) -> str:
    """What failed and what to do, for an exception that ended a command (without ``Error: ``)."""
    # Imported here, not at the top: a command that never talks to the Hub starts without the client.
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError

    from miners.resilience import RetriesExhausted

    if isinstance(exc, KeyboardInterrupt):
        return ("interrupted (Ctrl-C); run the same command again to go on (a crawl resumes or refetches "
                "what it did not finish; a load commits each run whole or not at all)")
    if isinstance(exc, HubmineError):
        return one_line(str(exc))
    if isinstance(exc, HfHubHTTPError):
        return one_line(_hub_answer(exc))
    if isinstance(exc, RetriesExhausted):
        return one_line(f"the Hub failed {exc.attempts} attempts at {exc.request.url} ({exc.reason}); "
                        f"run again later")
    if isinstance(exc, httpx2.TransportError):
        return one_line(f"cannot reach the Hub ({type(exc).__name__}: {exc}); check the endpoint "
                        f"(--endpoint or HF_ENDPOINT) and the network, then run again")
    if isinstance(exc, subprocess.CalledProcessError):
        return one_line(f"{' '.join(map(str, exc.cmd))} failed with exit status {exc.returncode}; run it yourself "
                        f"to see its output")
    if isinstance(exc, OSError):
        return one_line(f"file system: {exc}; check the path, its permissions and the free space, then run again")
    return one_line(f"unexpected {type(exc).__name__}: {exc}. This is a bug in hubmine: {SEE_DEBUG} "
                    f"and report it")


def _stdout_is_pipe() -> bool:
    try:
        mode = os.fstat(sys.stdout.fileno()).st_mode
    except (OSError, ValueError, AttributeError):  # no stdout, or not a real file (a test's capture)
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


class HubmineGroup(click.Group):
    """A click group whose commands (and subgroups') end in one ``Error:`` line instead of a traceback,
    unless ``--debug`` was given (anywhere on the command line: it sets ``ctx.meta[DEBUG_META]``)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: usage errors and exits already end in one line
        except BrokenPipeError:
            if not _stdout_is_pipe():
                raise
            # the reader of our output has gone (`hubmine sql --schema | head`): stop quietly, as Unix
            # tools do; stdout goes to /dev/null so the interpreter's last flush does not fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(BROKEN_PIPE_STATUS)
        except (Exception, KeyboardInterrupt) as exc:
            if ctx.meta.get(DEBUG_META):
                raise
            click.echo(f"Error: {failure_line(exc)}", err=True)
            ctx.exit(INTERRUPTED_STATUS if isinstance(exc, KeyboardInterrupt) else 1)
