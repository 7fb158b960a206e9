"""coursekit: the helper package of the Customer Retention Management course."""

__version__ = "0.1.0"
