"""coursekit.course."""
