"""hub_history (weekly): commits, refs and weight/README files of the followed repos, mapped over shards.

The policy (top N by downloads, named repos, authors, lineage families) is resolved once, each
shard lands its own run, and the load takes every finished shard run and emits the history asset
(which starts ``hub_analysis``). Schedule only: the work is ``hubmine.tasks``.
"""

from airflow.sdk import Asset, Param, dag, task

from hubmine import tasks


@dag(
    dag_id="hub_history",
    schedule="@weekly",
    params={
        "shards": Param(tasks.DEFAULT_SHARDS, type="integer", minimum=1, description="Parallel crawl tasks."),
        "top_n": Param(1000, type="integer", minimum=0, description="Follow the N most downloaded repos."),
        "repos": Param([], type="array", description="Also follow these repo ids."),
        "authors": Param([], type="array", description="Also follow every repo of these authors."),
        "families": Param([], type="array", description="Also follow these lineage families (root ids)."),
        "max_trees_per_repo": Param(None, type=["null", "integer"], description="Walk only the newest K new commits."),
    },
    doc_md=__doc__,
    **tasks.DAG_DEFAULTS,
)
def hub_history():
    @task
    def plan_shards(params=None):
        return tasks.plan_shards(params["shards"])

    # In the warehouse pool: naming lineage families means reading the warehouse.
    @task(pool=tasks.POOL_WAREHOUSE, **tasks.warehouse_placement())
    def follow_policy(params=None):
        return tasks.history_policy(top_n=params["top_n"], repos=params["repos"], authors=params["authors"],
                                    families=params["families"], max_trees_per_repo=params["max_trees_per_repo"])

    @task(pool=tasks.BUCKET_POOLS["api"])
    def crawl_history(shard, policy):
        return tasks.crawl_history_shard(shard, policy)

    @task(pool=tasks.POOL_WAREHOUSE, **tasks.warehouse_placement(), outlets=[Asset(tasks.ASSET_HISTORY)])
    def load_history():
        return tasks.load("history")

    crawl_history.partial(policy=follow_policy()).expand(shard=plan_shards()) >> load_history()


hub_history()
