"""coursekit.cases."""
