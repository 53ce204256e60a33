"""hub_cards (on the models asset): README.md of every model whose sha changed, mapped over shards.

On a first run (no card landed yet) it starts from the Hub's public daily card dump (param
``bootstrap``, default ``$HUBMINE_BOOTSTRAP_CARDS`` or auto), so the shards fetch only what changed since.

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
        "bootstrap": Param(tasks.bootstrap_mode(), enum=list(tasks.BOOTSTRAP_MODES),
                           description="auto: start from the card dump when no card is landed yet; off: never."),
        "card_dump": Param(tasks.card_dump(), type="string", description="Dataset repo of the daily card dump."),
    },
    doc_md=__doc__,
    **tasks.DAG_DEFAULTS,
)
def hub_cards():
    @task(pool=tasks.BUCKET_POOLS["resolvers"])
    def bootstrap(params=None):
        return tasks.bootstrap_cards_if_empty(params["bootstrap"], params["card_dump"])

    @task
    def plan_shards(params=None):
        return tasks.plan_shards(params["shards"])

    @task(pool=tasks.BUCKET_POOLS["resolvers"])
    def crawl_cards(shard, params=None):
        return tasks.crawl_cards_shard(shard, params["workers"])

    @task(pool=tasks.POOL_WAREHOUSE, **tasks.warehouse_placement(), outlets=[Asset(tasks.ASSET_CARDS)])
    def load_cards():
        return tasks.load("cards")

    shards = plan_shards()
    bootstrap() >> shards
    crawl_cards.expand(shard=shards) >> load_cards()


hub_cards()
