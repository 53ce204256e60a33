"""hub_report (on the marts asset): build the static report site from the warehouse and publish it.

The work is ``hubmine.tasks.build_report`` (over ``report.build.build_site``).
"""

from datetime import UTC, datetime

from airflow.sdk import Asset, dag, task

from hubmine import tasks


@dag(
    dag_id="hub_report",
    schedule=[Asset(tasks.ASSET_MARTS)],
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=tasks.DEFAULT_ARGS,
    tags=["hubmine"],
    doc_md=__doc__,
)
def hub_report():
    # Reads the DuckDB file, which no process can open while the loader writes it: the warehouse pool.
    @task(pool=tasks.POOL_WAREHOUSE, **tasks.warehouse_placement())
    def build_and_publish():
        return tasks.build_report()

    build_and_publish()


hub_report()
