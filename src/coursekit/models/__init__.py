"""What the chapters teach: pure functions of numbers, arrays and frames.

No file input or output and no widgets here; each module is named after its topic
(``clv``, ``bucket``, ``retention``, ``survival``, ``satisfaction`` ...) and imports nothing of
coursekit but :mod:`coursekit._validate`.  Import the module you need::

    from coursekit.models import clv, survival
"""
