"""hub_snapshot (daily): list every model on the Hub into the landing zone, then load it.

Emits the models asset, which starts ``hub_cards``. Schedule only: the work is ``hubmine.tasks``.
"""

from airflow.sdk import Asset, dag, task

from hubmine import tasks


@dag(
    dag_id="hub_snapshot",
    schedule="@daily",
    doc_md=__doc__,
    **tasks.DAG_DEFAULTS,
)
def hub_snapshot():
    @task
    def plan_run():
        return tasks.plan_run()

    @task(pool=tasks.BUCKET_POOLS["api"])
    def list_models(plan):
        return tasks.snapshot_models(plan)

    @task(pool=tasks.POOL_WAREHOUSE, **tasks.warehouse_placement(), outlets=[Asset(tasks.ASSET_MODELS)])
    def load_models():
        return tasks.load("models")

    list_models(plan_run()) >> load_models()


hub_snapshot()
