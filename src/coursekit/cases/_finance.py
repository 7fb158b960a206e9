r"""Two money helpers that several case modules share (private to :mod:`coursekit.cases`).

* :func:`annuity_factor` -- the present value of 1 received at the end of each of ``years``
  years, :math:`\sum_{t=1}^{T} (1 + d)^{-t}`, used to value a yearly margin over a horizon
  (cases 5, 6 and 7);
* :func:`money_text` -- an amount as whole units with thousands separators, for the explorers'
  summaries.

References
----------
.. [1] R. A. Brealey, S. C. Myers and F. Allen, *Principles of Corporate Finance*, 10th ed.,
   McGraw-Hill/Irwin, 2011.
"""

from __future__ import annotations

import numpy as np

__all__ = ["annuity_factor", "money_text"]


def annuity_factor(years: int, discount_rate):
    r"""Present value of 1 a year received at the end of each of ``years`` years.

    .. math:: a_{T,d} = \sum_{t=1}^{T} (1 + d)^{-t}

    Parameters
    ----------
    years : int
        Horizon :math:`T` in whole years (checked by the caller).
    discount_rate : float or array_like
        Yearly discount rate :math:`d`, > -1.

    Returns
    -------
    float or numpy.ndarray
        The factor, with the shape of ``discount_rate``.

    Examples
    --------
    >>> float(annuity_factor(3, 0.0)), round(float(annuity_factor(3, 0.08)), 6)
    (3.0, 2.577097)
    """
    t = np.arange(1, years + 1, dtype=float)
    d = np.asarray(discount_rate, dtype=float)
    return np.exp(-np.log1p(d)[..., None] * t).sum(axis=-1)


def money_text(value: float, symbol: str = "") -> str:
    """An amount as whole units with thousands separators: ``-$1,235``.

    Examples
    --------
    >>> money_text(-1234.5, "$"), money_text(980000)
    ('-$1,234', '980,000')
    """
    return f"{'-' if value < 0 else ''}{symbol}{abs(value):,.0f}"
