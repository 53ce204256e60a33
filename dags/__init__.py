"""The schedule: one file per workflow, each a declaration over ``hubmine.tasks`` and nothing else."""
