"""A local Airflow for hubmine's DAGs: the environment `airflow standalone` needs, and starting it.

Settings that matter on a laptop or small server (see docs/airflow.md):
the API server on the loopback interface only, few parallel tasks, no example DAGs, the DAGs
folder of this checkout, and the venv's ``bin`` on PATH (standalone starts ``airflow`` subprocesses).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from core.config import Paths

DAGS_FOLDER = Path(__file__).resolve().parents[1] / "dags"
PARALLELISM = 4  # task slots in all: a 2-4 core machine, and the Hub pools cap Hub tasks below that anyway


def local_env(paths: Paths, airflow_home: Path | None = None, *, port: int = 8080) -> dict[str, str]:
    """The variables to export before ``airflow standalone`` (or ``airflow db migrate`` etc.)."""
    if not DAGS_FOLDER.is_dir():
        raise FileNotFoundError(f"no dags/ folder at {DAGS_FOLDER}: run from a hubmine checkout")
    home = Path(airflow_home or os.environ.get("AIRFLOW_HOME") or paths.home / "airflow").resolve()
    venv_bin = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        # Loopback only: standalone serves 0.0.0.0 by default, with an auto-generated admin password.
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__CORE__PARALLELISM": str(PARALLELISM),
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(PARALLELISM),
        "HUBMINE_HOME": str(paths.home),
        "PATH": venv_bin if not path else (path if path.split(os.pathsep)[0] == venv_bin
                                           else venv_bin + os.pathsep + path),
    }
    if paths.warehouse_file is not None:
        env["HUBMINE_WAREHOUSE"] = str(paths.warehouse_file)
    return env


def run_standalone(paths: Paths, airflow_home: Path | None = None, *, port: int = 8080, tier: str,
                   echo: Callable[[str], None] = print) -> None:
    """Migrate the metadata DB, create the pools for ``tier``, then replace this process with
    ``airflow standalone`` (scheduler, DAG processor, triggerer, API server; Ctrl-C stops all)."""
    from hubmine.tasks import pools

    env = {**os.environ, **local_env(paths, airflow_home, port=port)}
    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    airflow = str(Path(sys.executable).parent / "airflow")
    echo(f"AIRFLOW_HOME={home}; DAGs from {DAGS_FOLDER}; data in {paths.home}")
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    pools_file = home / "hubmine-pools.json"
    pools_file.write_text(json.dumps(pools(tier), indent=2) + "\n")
    subprocess.run([airflow, "pools", "import", str(pools_file)], env=env, check=True, stdout=subprocess.DEVNULL)
    echo(f"pools for the {tier} tier: " + ", ".join(f"{n}={p['slots']}" for n, p in pools(tier).items()))
    echo(f"starting airflow standalone on http://127.0.0.1:{port} (admin password: "
         f"{home / 'simple_auth_manager_passwords.json.generated'})")
    os.execvpe(airflow, [airflow, "standalone"], env)
