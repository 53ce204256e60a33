"""hub_cards (on the models asset): README.md of every model whose sha changed, mapped over shards.

Each shard lands its own run; the load then takes every finished shard run and emits the cards
asset (which starts ``hub_analysis``). Schedule only: the work is ``hubmine.tasks``.
"""

from airflow.sdk import Asset, Param, dag, task

from hubmine import tasks


@dag(
    dag_id="hub_cards",
    schedule=[Asset(tasks.ASSET_MODELS)],
    params={
        "shards": Param(tasks.DEFAULT_SHARDS, type="integer", minimum=1, description="Parallel crawl tasks."),
        "workers": Param(tasks.CARD_WORKERS, type="integer", minimum=1, description="Download threads per shard."),
    },
    doc_md=__doc__,
    **tasks.DAG_DEFAULTS,
)
def hub_cards():
    @task
    def plan_shards(params=None):
        return tasks.plan_shards(params["shards"])

    @task(pool=tasks.BUCKET_POOLS["resolvers"])
    def crawl_cards(shard, params=None):
        return tasks.crawl_cards_shard(shard, params["workers"])

    @task(pool=tasks.POOL_WAREHOUSE, **tasks.warehouse_placement(), outlets=[Asset(tasks.ASSET_CARDS)])
    def load_cards():
        return tasks.load("cards")

    crawl_cards.expand(shard=plan_shards()) >> load_cards()


hub_cards()
