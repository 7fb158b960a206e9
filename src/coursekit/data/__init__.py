"""coursekit.data."""
