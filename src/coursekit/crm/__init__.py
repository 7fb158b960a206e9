"""coursekit.crm."""
