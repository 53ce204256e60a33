"""hub_report (on the marts asset): build the static report site from the warehouse and publish it.

The work is ``hubmine.tasks.build_report`` (over ``report.build.build_site``).
"""

from airflow.sdk import Asset, dag, task

from hubmine import tasks


@dag(
    dag_id="hub_report",
    schedule=[Asset(tasks.ASSET_MARTS)],
    doc_md=__doc__,
    **tasks.DAG_DEFAULTS,
)
def hub_report():
    # Reads the DuckDB file, which no process can open while the loader writes it: the warehouse pool.
    @task(pool=tasks.POOL_WAREHOUSE, **tasks.warehouse_placement())
    def build_and_publish():
        return tasks.build_report()

    build_and_publish()


hub_report()
