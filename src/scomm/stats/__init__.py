"""Statistics computed from the records the pipeline produced, and the reports that show them."""
