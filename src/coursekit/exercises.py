"""What a notebook's test cells call: "not answered yet" instead of a traceback, and a short "passed".

A student who opens a notebook and chooses *Run → Run All Cells* must reach the end of it with every
exercise still unanswered: figures drawn, explorers shown.  So an unanswered exercise must not stop
the run.  The answer cells' stub is a comment (nothing to raise), and each test cell starts with
:func:`answered`, which raises :class:`NotAnswered` when a name the exercise asks for is not defined
yet.  The test cell carries the ``raises-exception`` tag, which JupyterLab's Run All (and nbval)
honour: the run goes on past it.  IPython shows a :class:`NotAnswered` as the one plain line of its
``_render_traceback_``, not as a traceback.  A graded test still fails on it, so an unanswered
exercise scores 0 with nbgrader and with ``coursekit grade`` alike.

Examples
--------
>>> retention_q = 0.9
>>> answered("retention_q")
>>> answered("retention_q", "churn_q")
Traceback (most recent call last):
...
coursekit.exercises.NotAnswered: not answered yet: churn_q is not defined (write your answer in the cell above, then run it)
>>> passed()
✓ Your answer passes the visible checks (the hidden tests grade it when you hand it in).
"""

from __future__ import annotations

import inspect

from coursekit.language import tr

__all__ = ["NotAnswered", "answered", "passed"]


class NotAnswered(Exception):
    """An exercise whose answer is not defined yet (raised by :func:`answered`)."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of a traceback: one plain line."""
        return [f"✗ {self}"]


def answered(*names: str) -> None:
    """Check that the names an exercise asks for are defined in the notebook.

    Parameters
    ----------
    *names : str
        The names the exercise's answer cell must define (e.g. ``"retention_q"``), looked up
        in the calling cell's global namespace (the notebook's).

    Raises
    ------
    NotAnswered
        If one of them is not defined yet; the message names them.
    TypeError, ValueError
        If no name is given, or a name is not an identifier string.

    Examples
    --------
    >>> answered()
    Traceback (most recent call last):
    ...
    ValueError: answered() needs at least one name, e.g. answered("retention_q")
    >>> answered(3)
    Traceback (most recent call last):
    ...
    TypeError: names must be strings naming variables, got int
    """
    if not names:
        raise ValueError('answered() needs at least one name, e.g. answered("retention_q")')
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"names must be strings naming variables, got {type(name).__name__}")
        if not name.isidentifier():
            raise ValueError(f"{name!r} is not a variable name")
    frame = inspect.currentframe()
    scope = frame.f_back.f_globals if frame is not None and frame.f_back is not None else {}
    del frame
    missing = [name for name in names if name not in scope]
    if missing:
        template = tr("not answered yet: {names} is not defined (write your answer in the cell above, then run it)") \
            if len(missing) == 1 else \
            tr("not answered yet: {names} are not defined (write your answer in the cell above, then run it)")
        raise NotAnswered(template.format(names=", ".join(missing)))


def passed() -> None:
    """Print the short confirmation a test cell ends with when the visible checks pass."""
    print("✓ " + tr("Your answer passes the visible checks (the hidden tests grade it when you hand it in)."))
