r"""The BG/NBD model of repeat buying: customers who leave silently (Chapter 4).

In a *non-contractual* relationship nobody announces that they have left; a customer simply
stops buying.  The beta-geometric/negative-binomial model (Fader, Hardie & Lee 2005) describes
each customer by two hidden rates:

* while *alive*, the customer buys at a Poisson rate :math:`\lambda`, gamma distributed across
  customers with shape :math:`r` and rate :math:`\alpha`;
* after every purchase the customer drops out ("dies") with probability :math:`p`, beta
  distributed with parameters :math:`a, b`.

All it needs of a customer is the summary :math:`(x, t_x, T)`: ``frequency`` (repeat purchases),
``recency`` (time of the last repeat purchase, measured from the first purchase) and ``T`` (time
observed since the first purchase).

Functions: :func:`bgnbd_log_likelihood`, :func:`fit_bgnbd` (maximum likelihood),
:func:`bgnbd_p_alive`, :func:`bgnbd_expected_transactions` (a new customer, unconditional) and
:func:`bgnbd_conditional_expected_transactions` (a known customer).

References
----------
.. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, "'Counting Your Customers' the Easy Way: An
   Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284, 2005.
.. [2] P. S. Fader, B. G. S. Hardie and K. L. Lee, "Computing P(alive) Using the BG/NBD Model",
   note, 2008 (http://brucehardie.com/notes/021/).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, digamma, gammaln, hyp2f1

from coursekit._validate import check_number, check_repeat_summary, check_scalar

__all__ = ["BGNBDFit", "bgnbd_log_likelihood", "fit_bgnbd", "bgnbd_p_alive", "bgnbd_expected_transactions",
           "bgnbd_conditional_expected_transactions"]


@dataclass(frozen=True)
class BGNBDFit:
    """Parameters of a BG/NBD model and the log-likelihood they reached.

    ``r, alpha``: gamma shape and rate of the purchase rates; ``a, b``: beta parameters of the
    drop-out probability; ``log_likelihood``: of the data they were fitted to (NaN when the
    parameters were given, not fitted); ``n_customers``.
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = float("nan")
    n_customers: int = 0

    def __post_init__(self):
        for name in ("r", "alpha", "a", "b"):
            check_scalar(name, getattr(self, name), low=0, low_open=True)

    @property
    def params(self) -> tuple[float, float, float, float]:
        """``(r, alpha, a, b)``."""
        return (self.r, self.alpha, self.a, self.b)


def _params(fit) -> tuple[float, float, float, float]:
    if isinstance(fit, BGNBDFit):
        return fit.params
    if isinstance(fit, (str, bytes)) or np.ndim(fit) != 1 or len(fit) != 4:
        raise TypeError(f"fit must be a BGNBDFit or the four numbers (r, alpha, a, b), got {fit!r}")
    return BGNBDFit(*(float(v) for v in fit)).params


def _log_likelihoods(r, alpha, a, b, x, t_x, big_t):
    """Per-customer log-likelihood, eq. (6) of [1], in logs so that large x does not overflow."""
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    first = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + big_t)
    buyer = x > 0
    second = np.full_like(first, -np.inf)
    second[buyer] = (betaln(a + 1, b + x[buyer] - 1) - betaln(a, b)
                     - (r + x[buyer]) * np.log(alpha + t_x[buyer]))
    return common + np.logaddexp(first, second)


def bgnbd_log_likelihood(fit, frequency, recency, T) -> float:
    r"""Log-likelihood of the BG/NBD model for a set of customers.

    For a customer with :math:`(x, t_x, T)`,

    .. math:: L = \frac{B(a, b+x)}{B(a, b)} \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+T)^{r+x}}
              + \delta_{x>0} \frac{B(a+1, b+x-1)}{B(a, b)}
                \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+t_x)^{r+x}}

    (eq. 6 of Fader, Hardie & Lee 2005); the function returns :math:`\sum \ln L`.

    Parameters
    ----------
    fit : BGNBDFit or sequence of 4 floats
        ``(r, alpha, a, b)``, all > 0.
    frequency, recency, T : array_like
        One value per customer: repeat purchases (whole numbers >= 0), time of the last repeat
        purchase and time observed, both measured from the first purchase (0 <= recency <= T).

    Returns
    -------
    float

    Raises
    ------
    ValueError, TypeError
        For parameters <= 0 or a summary that breaks the rules above.

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, Marketing Science 24(2), 275-284, 2005.

    Examples
    --------
    >>> round(bgnbd_log_likelihood((0.243, 4.414, 0.793, 2.426), [2, 1, 0], [30.43, 1.71, 0], [38.86] * 3), 4)
    -14.4824
    """
    r, alpha, a, b = _params(fit)
    x, t_x, big_t = check_repeat_summary(frequency, recency, T)
    return float(_log_likelihoods(r, alpha, a, b, x, t_x, big_t).sum())


def _compress(x, t_x, big_t):
    """Unique (x, t_x, T) rows and their counts: the likelihood is a weighted sum over them."""
    rows = np.column_stack([x, t_x, big_t])
    unique, counts = np.unique(rows, axis=0, return_counts=True)
    return unique[:, 0], unique[:, 1], unique[:, 2], counts.astype(float)


def _negative_and_gradient(theta, x, t_x, big_t, n):
    """Minus the weighted log-likelihood and its gradient in the log-parameters (analytic)."""
    r, alpha, a, b = np.exp(theta)
    buyer = x > 0
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    first = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + big_t)
    second = np.full_like(first, -np.inf)
    xb = x[buyer]
    second[buyer] = betaln(a + 1, b + xb - 1) - betaln(a, b) - (r + xb) * np.log(alpha + t_x[buyer])
    total = np.logaddexp(first, second)
    w = np.exp(first - total)          # weight of the "alive" term; 1 - w of the "dropped out" term
    ab, abx = digamma(a + b), digamma(a + b + x)
    safe_tx = np.where(buyer, t_x, 1.0)
    d_first = np.array([-np.log(alpha + big_t), -(r + x) / (alpha + big_t), ab - abx,
                        digamma(b + x) - abx - digamma(b) + ab])
    d_second = np.array([-np.log(alpha + safe_tx), -(r + x) / (alpha + safe_tx),
                         digamma(a + 1) - abx - digamma(a) + ab,
                         digamma(np.where(buyer, b + x - 1, b)) - abx - digamma(b) + ab])
    d_common = np.array([digamma(r + x) - digamma(r) + np.log(alpha), np.full_like(x, r / alpha), 0 * x, 0 * x])
    grad = d_common + w * d_first + np.where(buyer, 1 - w, 0.0) * d_second
    value = float(n @ (common + total))
    return -value, -(grad @ n) * np.array([r, alpha, a, b])


def fit_bgnbd(frequency, recency, T, *, start=(1.0, 1.0, 1.0, 1.0)) -> BGNBDFit:
    """Maximum-likelihood estimates of the BG/NBD parameters.

    Maximises :func:`bgnbd_log_likelihood` over the logarithms of the four parameters (so they stay
    positive) with BFGS and the analytic gradient (digamma functions), summing over the distinct
    customer summaries weighted by how many customers share each.

    Parameters
    ----------
    frequency, recency, T : array_like
        As :func:`bgnbd_log_likelihood`.
    start : sequence of 4 floats, default (1, 1, 1, 1)
        Starting values of ``(r, alpha, a, b)``.

    Returns
    -------
    BGNBDFit

    Raises
    ------
    ValueError, TypeError
        For a bad summary or start; ``ValueError`` also if the optimiser fails.

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, Marketing Science 24(2), 275-284, 2005
       (on the CDNOW sample: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426).

    Examples
    --------
    >>> fit = fit_bgnbd([2, 1, 0, 0, 4, 0, 1], [30.4, 1.7, 0, 0, 35.0, 0, 20.0], [38.9] * 7)
    >>> fit.n_customers, fit.log_likelihood < 0, fit.r > 0
    (7, True, True)
    """
    x, t_x, big_t = check_repeat_summary(frequency, recency, T)
    start = _params(start)
    ux, ut, uT, n = _compress(x, t_x, big_t)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = minimize(_negative_and_gradient, np.log(start), args=(ux, ut, uT, n), jac=True, method="BFGS")
    if not (np.isfinite(result.fun) and np.isfinite(result.x).all()):
        raise ValueError(f"the BG/NBD fit did not converge: {result.message}")
    r, alpha, a, b = np.exp(result.x)
    return BGNBDFit(float(r), float(alpha), float(a), float(b), -float(result.fun), int(x.size))


def bgnbd_p_alive(fit, frequency, recency, T) -> np.ndarray:
    r"""Probability that each customer is still alive at the end of the observation.

    .. math:: P(\text{alive} \mid x, t_x, T) = \left[1 + \delta_{x>0} \frac{a}{b+x-1}
              \left(\frac{\alpha+T}{\alpha+t_x}\right)^{r+x}\right]^{-1}

    A customer with no repeat purchase is alive with probability 1 under the BG/NBD model (drop-out
    happens only after a purchase), a known weakness of the model.

    Parameters
    ----------
    fit : BGNBDFit or sequence of 4 floats
    frequency, recency, T : array_like
        As :func:`bgnbd_log_likelihood`.

    Returns
    -------
    numpy.ndarray of float

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, "Computing P(alive) Using the BG/NBD
       Model", 2008 (http://brucehardie.com/notes/021/).

    Examples
    --------
    >>> bgnbd_p_alive((0.243, 4.414, 0.793, 2.426), [2, 0], [30.43, 0], [38.86, 38.86]).round(3).tolist()
    [0.727, 1.0]
    """
    r, alpha, a, b = _params(fit)
    x, t_x, big_t = check_repeat_summary(frequency, recency, T)
    odds = np.zeros_like(x)
    buyer = x > 0
    log_ratio = (r + x[buyer]) * (np.log(alpha + big_t[buyer]) - np.log(alpha + t_x[buyer]))
    odds[buyer] = a / (b + x[buyer] - 1) * np.exp(log_ratio)
    return 1.0 / (1.0 + odds)


def bgnbd_expected_transactions(fit, t) -> np.ndarray:
    r"""Expected repeat purchases of a new customer in :math:`(0, t]` since the first purchase.

    .. math:: E[X(t)] = \frac{a+b-1}{a-1}\left[1 - \left(\frac{\alpha}{\alpha+t}\right)^r
              {}_2F_1\!\left(r, b; a+b-1; \frac{t}{\alpha+t}\right)\right]

    (eq. 9 of Fader, Hardie & Lee 2005; needs :math:`a > 1` for the formula as written, and is
    evaluated through the same expression otherwise).

    Parameters
    ----------
    fit : BGNBDFit or sequence of 4 floats
    t : float or array_like
        Time since the first purchase, >= 0.

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> float(bgnbd_expected_transactions((0.243, 4.414, 0.793, 2.426), 0.0))
    0.0
    """
    r, alpha, a, b = _params(fit)
    t = check_number("t", t, low=0)
    t = np.asarray(t, dtype=float)
    z = t / (alpha + t)
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z))


def bgnbd_conditional_expected_transactions(fit, t, frequency, recency, T) -> np.ndarray:
    r"""Expected purchases of known customers in the next period of length ``t``.

    .. math:: E[Y(t) \mid x, t_x, T] = \frac{\frac{a+b+x-1}{a-1}\left[1 -
              \left(\frac{\alpha+T}{\alpha+T+t}\right)^{r+x} {}_2F_1\!\left(r+x, b+x; a+b+x-1;
              \frac{t}{\alpha+T+t}\right)\right]}{1 + \delta_{x>0} \frac{a}{b+x-1}
              \left(\frac{\alpha+T}{\alpha+t_x}\right)^{r+x}}

    (eq. 10 of Fader, Hardie & Lee 2005).

    Parameters
    ----------
    fit : BGNBDFit or sequence of 4 floats
    t : float
        Length of the future period, >= 0 (same unit as ``T``).
    frequency, recency, T : array_like
        As :func:`bgnbd_log_likelihood`.

    Returns
    -------
    numpy.ndarray of float

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, Marketing Science 24(2), 275-284, 2005: a
       customer with x = 2, t_x = 30.43, T = 38.86 (weeks) expects 1.226 purchases in the next 39
       weeks.

    Examples
    --------
    >>> bgnbd_conditional_expected_transactions((0.243, 4.414, 0.793, 2.426), 39, [2], [30.43], [38.86]).round(3)
    array([1.226])
    """
    r, alpha, a, b = _params(fit)
    t = check_scalar("t", t, low=0)
    x, t_x, big_t = check_repeat_summary(frequency, recency, T)
    z = t / (alpha + big_t + t)
    head = (a + b + x - 1) / (a - 1)
    body = 1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return head * body * bgnbd_p_alive((r, alpha, a, b), x, t_x, big_t)
