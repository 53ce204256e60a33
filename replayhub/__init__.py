"""The replay hub: an offline imitation of the Hugging Face Hub API, for tests, benchmarks and the demo.

``snapshot`` is the stored hub (one SQLite file), ``synth`` generates snapshots, ``import_real``
builds one from recorded real data, ``hostile`` one of hostile repos, and ``server`` serves a
snapshot through the endpoints huggingface_hub calls. Nothing outside the ``hub`` command group,
the demo, tests and benchmarks imports this package: hubmine never depends on its own test double.
"""
