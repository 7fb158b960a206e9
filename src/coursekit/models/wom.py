"""Word of mouth (口碑): how far satisfied and dissatisfied customers spread the word.

This module holds two small calculators of chapter 1:

* :func:`word_of_mouth_reach` -- how many people hear good and bad things about the firm, given
  the numbers of satisfied and dissatisfied customers and how many people each of them tells;
  the result is a :class:`Reach` dataclass.
* :func:`referral_value` -- the value a customer adds through the customers they refer.

The default "tells" figures reproduce a claim that the course readings repeat without a source;
the functions take them as parameters so that students can vary them and see what follows.
Both functions validate their arguments, refuse NaN, broadcast NumPy arrays and return Python
floats for scalar inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coursekit._validate import as_output as _as_output
from coursekit._validate import check_fraction, check_number

__all__ = ["Reach", "word_of_mouth_reach", "referral_value"]


@dataclass(frozen=True)
class Reach:
    """Result of :func:`word_of_mouth_reach`.

    Attributes
    ----------
    positive : float or numpy.ndarray
        Number of people told something good (satisfied customers times their tells).
    negative : float or numpy.ndarray
        Number of people told something bad (dissatisfied customers times their tells).
    net : float or numpy.ndarray
        ``positive - negative``.
    ratio : float or numpy.ndarray
        ``negative / positive``; ``inf`` when only bad news spreads and ``0.0`` when nobody is told
        anything.

    All fields are floats for scalar inputs and arrays of one common broadcast shape otherwise.
    """

    positive: float | np.ndarray
    negative: float | np.ndarray
    net: float | np.ndarray
    ratio: float | np.ndarray


def word_of_mouth_reach(satisfied, dissatisfied, tells_if_satisfied=3, tells_if_dissatisfied=10):
    r"""Count the people reached by positive and negative word of mouth.

    .. math::

        \text{positive} = S \cdot k_S, \qquad
        \text{negative} = D \cdot k_D, \qquad
        \text{net} = \text{positive} - \text{negative}, \qquad
        \text{ratio} = \text{negative} / \text{positive},

    where :math:`S` and :math:`D` are the numbers of satisfied and dissatisfied customers and
    :math:`k_S`, :math:`k_D` the numbers of people each of them tells.  The ratio is defined as
    ``inf`` when ``positive == 0 < negative`` and as ``0.0`` when both are zero, so it is never NaN.

    The defaults (3 and 10) take the upper ends of a commonly cited claim -- a satisfied customer
    tells 2-3 people, a dissatisfied one 8-10 -- which Chinese CRM teaching materials (among them
    the course readings) repeat without naming a study.  We have found no traceable original study
    that reports these figures, so treat them as illustrative assumptions, not as measurements.
    Survey evidence (Anderson 1998) does find that very dissatisfied customers talk more than
    satisfied ones, but by a smaller margin than the claim suggests.

    Parameters
    ----------
    satisfied : float or array_like
        Number of satisfied customers, finite and >= 0 (need not be whole: it may be an expected
        count).
    dissatisfied : float or array_like
        Number of dissatisfied customers, finite and >= 0.
    tells_if_satisfied : float or array_like, default 3
        People told by each satisfied customer, finite and >= 0.
    tells_if_dissatisfied : float or array_like, default 10
        People told by each dissatisfied customer, finite and >= 0.

    Returns
    -------
    Reach
        Frozen dataclass with ``positive``, ``negative``, ``net`` (people) and ``ratio``
        (dimensionless).

    Raises
    ------
    ValueError
        If a value is NaN, infinite or negative.
    TypeError
        If a value is not a number.

    Notes
    -----
    A single round of telling is counted: people who hear the news are not assumed to pass it
    on, and a person told by two customers is counted twice.  There is no time dimension: the
    counts refer to whatever period the customer numbers describe.

    References
    ----------
    .. [1] E. W. Anderson, "Customer Satisfaction and Word of Mouth", Journal of Service Research
       1(1), 5-17, 1998.

    Examples
    --------
    90 satisfied and 10 dissatisfied customers, with the default tells:

    >>> reach = word_of_mouth_reach(90, 10)
    >>> reach.positive, reach.negative, reach.net
    (270.0, 100.0, 170.0)
    >>> round(reach.ratio, 3)
    0.37

    With only unhappy customers the ratio is infinite:

    >>> word_of_mouth_reach(0, 5).ratio
    inf
    """
    s = check_number("satisfied", satisfied, low=0.0)
    d = check_number("dissatisfied", dissatisfied, low=0.0)
    ks = check_number("tells_if_satisfied", tells_if_satisfied, low=0.0)
    kd = check_number("tells_if_dissatisfied", tells_if_dissatisfied, low=0.0)
    positive, negative = np.broadcast_arrays(np.asarray(s) * ks, np.asarray(d) * kd)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(positive > 0, negative / np.where(positive > 0, positive, 1.0), np.inf)
    ratio = np.where((positive == 0) & (negative == 0), 0.0, ratio)
    return Reach(
        positive=_as_output(positive),
        negative=_as_output(negative),
        net=_as_output(positive - negative),
        ratio=_as_output(ratio),
    )


def referral_value(clv_value, referrals_per_customer, conversion_rate):
    r"""Value a customer adds through the new customers they refer.

    .. math:: \text{referral value} = \text{CLV}_{\text{new}} \cdot n_{\text{ref}} \cdot c,

    where :math:`n_{\text{ref}}` is the number of people a customer refers, :math:`c` the share of
    them who become customers and :math:`\text{CLV}_{\text{new}}` the lifetime value of each new
    customer (see :func:`coursekit.models.clv.clv`).

    Parameters
    ----------
    clv_value : float or array_like
        Lifetime value of a referred customer, in money units; any finite number.
    referrals_per_customer : float or array_like
        Number of people referred per customer, finite and >= 0 (may be an average).
    conversion_rate : float or array_like
        Share of referred people who become customers, in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        Referral value per referring customer, in the money units of ``clv_value``.

    Raises
    ------
    ValueError
        If a value is NaN, infinite or outside its range.
    TypeError
        If a value is not a number.

    Notes
    -----
    Timing convention: ``clv_value`` should already be valued at the date the referred customers
    join; the function does not discount the delay between the referral and the purchase, and it
    ignores second-generation referrals.  Kumar, Petersen & Leone (2007) call a measured version of
    this quantity customer referral value and show that the customers with the highest lifetime
    value are not necessarily the best referrers.

    References
    ----------
    .. [1] V. Kumar, J. A. Petersen and R. P. Leone, "How Valuable Is Word of Mouth?", Harvard
       Business Review 85(10), 139-146, 2007.

    Examples
    --------
    A customer refers 4 people, of whom a quarter join, each worth 266.67:

    >>> round(referral_value(266.67, 4, 0.25), 2)
    266.67
    >>> referral_value(1000, [0, 2, 4], 0.1)
    array([  0., 200., 400.])
    """
    v = check_number("clv_value", clv_value)
    n = check_number("referrals_per_customer", referrals_per_customer, low=0.0)
    c = check_fraction("conversion_rate", conversion_rate, allow_one=True)
    return _as_output(np.asarray(v) * n * c)
