"""hub_analysis (on the loaded cards or history assets): build every analysis mart.

Cards follow every daily snapshot, so this runs daily after them (and after a weekly history
load too). Emits the marts asset, which starts ``hub_report``. The work is ``hubmine.tasks``.
"""

from airflow.sdk import Asset, dag, task

from hubmine import tasks


@dag(
    dag_id="hub_analysis",
    schedule=(Asset(tasks.ASSET_CARDS) | Asset(tasks.ASSET_HISTORY)),
    doc_md=__doc__,
    **tasks.DAG_DEFAULTS,
)
def hub_analysis():
    # The analyses write marts: a warehouse writer like the loader, so the same one-slot pool.
    @task(pool=tasks.POOL_WAREHOUSE, **tasks.warehouse_placement(), outlets=[Asset(tasks.ASSET_MARTS)])
    def analyze():
        return tasks.analyze()

    analyze()


hub_analysis()
