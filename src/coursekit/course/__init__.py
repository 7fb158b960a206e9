"""Teacher tooling: execute and release the notebooks, the ``coursekit`` command, ``make bench``, grading.

``notebooks`` (execute ``solutions/``, generate the student versions with nbgrader), ``cli``
(``coursekit release | execute | generate | bench | grade``), ``bench`` (the performance budgets)
and ``grading`` (``coursekit grade``).  Release and grading need the ``teacher`` extra (nbgrader).
"""
