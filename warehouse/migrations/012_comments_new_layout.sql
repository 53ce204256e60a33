-- 012: table comments that named modules by their paths before issue 13 moved them.
COMMENT ON TABLE marts.carbon IS 'Normalised co2_eq_emissions of every current model that declares it (see analysis/carbon/emissions.py for classes and bands).';
COMMENT ON TABLE marts.model_names IS 'Repo names split into typed segments (analysis/naming/; the 13 types of Ajibode et al. 2025), one row per current model.';
COMMENT ON COLUMN marts.lineage_declared_problems.code IS 'Problem code (see analysis/lineage/graph.py).';
