"""Many series in one table: one global network over all of them."""
