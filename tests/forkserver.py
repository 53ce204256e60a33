"""A fork server for tests that start many short `hubmine` commands: import once, fork per command.

Launching a fresh interpreter costs about 1.2 s of imports (pyarrow, duckdb, huggingface_hub), which
would dominate a test that starts dozens of commands and kills them. This helper process imports the
command line once, then for each request forks a child that runs ``hubmine.cli.main`` with the given
arguments, exactly as the console script does, in a process of its own (that is what gets killed).

Protocol on stdin/stdout, one JSON line each: ``{"args": [...], "log": path}`` -> ``{"pid": N}``,
then, once the child has ended, ``{"pid": N, "code": C}`` (C < 0: killed by signal -C).
Run as ``python tests/forkserver.py``; it exits at the end of its input.
"""

from __future__ import annotations

import json
import os
import sys

import hubmine.cli  # noqa: F401  (the imports every command needs, done once)
import miners.cards  # noqa: F401
import miners.history  # noqa: F401
import miners.models  # noqa: F401
import warehouse.load  # noqa: F401


def child(args: list[str], log: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    code = 0
    try:
        hubmine.cli.main(args, prog_name="hubmine")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            child(request["args"], request["log"])
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"pid": pid, "code": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    main()
