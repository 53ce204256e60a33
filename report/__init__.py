"""The published report: a static HTML site built from the warehouse."""
