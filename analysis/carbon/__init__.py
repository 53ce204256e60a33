"""Carbon reporting: ``co2_eq_emissions`` read into one record form, reporting classes, efficiency
and performance scores (``emissions``), and the card-metadata pass that fills the carbon and
metadata-problem marts (``marts``)."""
