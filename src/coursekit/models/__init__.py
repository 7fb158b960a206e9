"""coursekit.models."""
