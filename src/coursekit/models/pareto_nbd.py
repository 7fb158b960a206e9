r"""The Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo 1987) (Chapter 4).

The model the BG/NBD (:mod:`coursekit.models.bgnbd`) simplifies.  While alive a customer buys at a
Poisson rate :math:`\lambda \sim \text{Gamma}(r, \alpha)`; the lifetime is exponential with rate
:math:`\mu \sim \text{Gamma}(s, \beta)` and runs in continuous time, not only at purchases.  It uses
the same summary :math:`(x, t_x, T)` as the BG/NBD.

Functions: :func:`pareto_nbd_log_likelihood`, :func:`fit_pareto_nbd`, :func:`pareto_nbd_p_alive`,
:func:`pareto_nbd_conditional_expected_transactions` and :func:`pareto_nbd_discounted_expected_transactions`
(the DET of Fader, Hardie & Lee 2005, JMR: with the gamma-gamma spend model, a customer's residual CLV).

References
----------
.. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting Your Customers: Who Are They
   and What Will They Do Next?", Management Science 33(1), 1-24, 1987.
.. [2] P. S. Fader and B. G. S. Hardie, "A Note on Deriving the Pareto/NBD Model and Related
   Expressions", 2005 (http://brucehardie.com/notes/009/).
.. [3] P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: Using Iso-Value Curves for Customer
   Base Analysis", Journal of Marketing Research 42(4), 415-430, 2005.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1, hyperu

from coursekit._validate import check_repeat_summary, check_scalar

__all__ = ["ParetoNBDFit", "pareto_nbd_log_likelihood", "fit_pareto_nbd", "pareto_nbd_p_alive",
           "pareto_nbd_conditional_expected_transactions", "pareto_nbd_discounted_expected_transactions"]


@dataclass(frozen=True)
class ParetoNBDFit:
    """Parameters of a Pareto/NBD model: ``r, alpha`` (purchase rates), ``s, beta`` (drop-out rates).

    ``log_likelihood`` of the data they were fitted to (NaN when given) and ``n_customers``.
    """

    r: float
    alpha: float
    s: float
    beta: float
    log_likelihood: float = float("nan")
    n_customers: int = 0

    def __post_init__(self):
        for name in ("r", "alpha", "s", "beta"):
            check_scalar(name, getattr(self, name), low=0, low_open=True)

    @property
    def params(self) -> tuple[float, float, float, float]:
        """``(r, alpha, s, beta)``."""
        return (self.r, self.alpha, self.s, self.beta)


def _params(fit) -> tuple[float, float, float, float]:
    if isinstance(fit, ParetoNBDFit):
        return fit.params
    if isinstance(fit, (str, bytes)) or np.ndim(fit) != 1 or len(fit) != 4:
        raise TypeError(f"fit must be a ParetoNBDFit or the four numbers (r, alpha, s, beta), got {fit!r}")
    return ParetoNBDFit(*(float(v) for v in fit)).params


def _log_parts(r, alpha, s, beta, x, t_x, big_t):
    """ln of the two terms of the likelihood's bracket, without the common factor (eq. 22 of [2])."""
    k = r + s + x
    if alpha >= beta:
        lead, second = alpha, s + 1
    else:
        lead, second = beta, r + x
    gap = abs(alpha - beta)
    log_a1 = np.log(hyp2f1(k, second, k + 1, gap / (lead + t_x))) - k * np.log(lead + t_x)
    log_a2 = np.log(hyp2f1(k, second, k + 1, gap / (lead + big_t))) - k * np.log(lead + big_t)
    # A0 = exp(log_a1) - exp(log_a2) >= 0, in logs (-inf when t_x = T)
    with np.errstate(divide="ignore"):
        log_a0 = log_a1 + np.log1p(-np.exp(np.minimum(log_a2 - log_a1, 0.0)))
    log_alive = -(r + x) * np.log(alpha + big_t) - s * np.log(beta + big_t)
    log_dropped = np.log(s) - np.log(k) + log_a0
    return log_alive, log_dropped


def _log_likelihoods(r, alpha, s, beta, x, t_x, big_t):
    log_alive, log_dropped = _log_parts(r, alpha, s, beta, x, t_x, big_t)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    return common + np.logaddexp(log_alive, log_dropped)


def pareto_nbd_log_likelihood(fit, frequency, recency, T) -> float:
    r"""Log-likelihood of the Pareto/NBD model for a set of customers.

    .. math:: L = \frac{\Gamma(r+x)\,\alpha^r\beta^s}{\Gamma(r)}\left[\frac{1}{(\alpha+T)^{r+x}
              (\beta+T)^s} + \frac{s}{r+s+x} A_0\right]

    with :math:`A_0` the difference of two Gauss hypergeometric terms (eq. 22 of Fader & Hardie's
    2005 note; its form depends on whether :math:`\alpha \ge \beta`).

    Parameters
    ----------
    fit : ParetoNBDFit or sequence of 4 floats
        ``(r, alpha, s, beta)``, all > 0.
    frequency, recency, T : array_like
        As :func:`coursekit.models.bgnbd.bgnbd_log_likelihood`.

    Returns
    -------
    float

    Examples
    --------
    >>> round(pareto_nbd_log_likelihood((0.553, 10.578, 0.606, 11.669), [2, 0], [30.43, 0], [38.86, 38.86]), 4)
    -10.0753
    """
    r, alpha, s, beta = _params(fit)
    x, t_x, big_t = check_repeat_summary(frequency, recency, T)
    return float(_log_likelihoods(r, alpha, s, beta, x, t_x, big_t).sum())


def fit_pareto_nbd(frequency, recency, T, *, start=(0.5, 10.0, 0.5, 10.0)) -> ParetoNBDFit:
    """Maximum-likelihood estimates of the Pareto/NBD parameters.

    Maximises :func:`pareto_nbd_log_likelihood` over the logarithms of the parameters with the
    Nelder-Mead simplex (the hypergeometric terms make an analytic gradient costly), summing over
    the distinct customer summaries weighted by how many customers share each.

    Parameters
    ----------
    frequency, recency, T : array_like
        As :func:`pareto_nbd_log_likelihood`.
    start : sequence of 4 floats, default (0.5, 10, 0.5, 10)
        Starting values of ``(r, alpha, s, beta)``.

    Returns
    -------
    ParetoNBDFit

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, Marketing Science 24(2), 275-284, 2005: on
       the CDNOW sample r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669, LL = -9595.0.
    """
    x, t_x, big_t = check_repeat_summary(frequency, recency, T)
    start = _params(start)
    rows = np.column_stack([x, t_x, big_t])
    unique, counts = np.unique(rows, axis=0, return_counts=True)
    ux, ut, uT, n = unique[:, 0], unique[:, 1], unique[:, 2], counts.astype(float)

    def negative(theta):
        r, alpha, s, beta = np.exp(theta)
        value = n @ _log_likelihoods(r, alpha, s, beta, ux, ut, uT)
        return -float(value) if np.isfinite(value) else 1e300

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = minimize(negative, np.log(start), method="Nelder-Mead",
                          options={"xatol": 1e-5, "fatol": 1e-6, "maxiter": 4000, "maxfev": 4000})
    if not (np.isfinite(result.fun) and result.fun < 1e300):
        raise ValueError(f"the Pareto/NBD fit did not converge: {result.message}")
    r, alpha, s, beta = np.exp(result.x)
    return ParetoNBDFit(float(r), float(alpha), float(s), float(beta), -float(result.fun), int(x.size))


def pareto_nbd_p_alive(fit, frequency, recency, T) -> np.ndarray:
    r"""Probability that each customer is still alive at the end of the observation.

    .. math:: P(\text{alive}) = \left[1 + \frac{s}{r+s+x}(\alpha+T)^{r+x}(\beta+T)^s A_0\right]^{-1}

    Parameters
    ----------
    fit : ParetoNBDFit or sequence of 4 floats
    frequency, recency, T : array_like

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> pareto_nbd_p_alive((0.553, 10.578, 0.606, 11.669), [2, 0], [30.43, 0], [38.86, 38.86]).round(3).tolist()
    [0.869, 0.295]
    """
    r, alpha, s, beta = _params(fit)
    x, t_x, big_t = check_repeat_summary(frequency, recency, T)
    log_alive, log_dropped = _log_parts(r, alpha, s, beta, x, t_x, big_t)
    return 1.0 / (1.0 + np.exp(log_dropped - log_alive))


def pareto_nbd_conditional_expected_transactions(fit, t, frequency, recency, T) -> np.ndarray:
    r"""Expected purchases of known customers in the next period of length ``t``.

    .. math:: E[Y(t) \mid x, t_x, T] = \frac{(r+x)(\beta+T)}{(\alpha+T)(s-1)}
              \left[1 - \left(\frac{\beta+T}{\beta+T+t}\right)^{s-1}\right] P(\text{alive})

    (Schmittlein, Morrison & Colombo 1987; written for :math:`s \ne 1`).

    Parameters
    ----------
    fit : ParetoNBDFit or sequence of 4 floats
    t : float
        Length of the future period, >= 0.
    frequency, recency, T : array_like

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> pareto_nbd_conditional_expected_transactions((0.553, 10.578, 0.606, 11.669), 39, [2], [30.43], [38.86]).round(3)
    array([1.455])
    """
    r, alpha, s, beta = _params(fit)
    t = check_scalar("t", t, low=0)
    x, t_x, big_t = check_repeat_summary(frequency, recency, T)
    if abs(s - 1) < 1e-9:
        growth = np.log((beta + big_t + t) / (beta + big_t))
    else:
        growth = (1 - ((beta + big_t) / (beta + big_t + t)) ** (s - 1)) / (s - 1)
    expected = (r + x) * (beta + big_t) / (alpha + big_t) * growth
    return expected * pareto_nbd_p_alive((r, alpha, s, beta), x, t_x, big_t)


def pareto_nbd_discounted_expected_transactions(fit, discount_rate, frequency, recency, T) -> np.ndarray:
    r"""Discounted expected transactions (DET): every future purchase of a known customer, discounted.

    With continuous discounting at rate :math:`\delta` per period, a customer alive at :math:`T` buys at
    rate :math:`\lambda` until she dies; given her history, :math:`\lambda \sim \text{Gamma}(r+x, \alpha+T)`
    and :math:`\mu \sim \text{Gamma}(s, \beta+T)`, so

    .. math:: \text{DET} = P(\text{alive})\,\frac{r+x}{\alpha+T}\int_0^\infty
              \left(\frac{\beta+T}{\beta+T+\tau}\right)^{s} e^{-\delta\tau}\,d\tau
              = P(\text{alive})\,\frac{(r+x)(\beta+T)}{\alpha+T}\,U\bigl(1, 2-s, \delta(\beta+T)\bigr),

    where :math:`U` is the confluent hypergeometric function of the second kind; by Kummer's relation
    this is Fader, Hardie & Lee's (2005, JMR, eq. 2) expression with :math:`\Psi(s, s; \delta(\beta+T))`.
    A customer's residual lifetime value is then margin × expected spend per purchase × DET.

    Parameters
    ----------
    fit : ParetoNBDFit or sequence of 4 floats
    discount_rate : float
        :math:`\delta`, the continuously compounded discount rate per period of the summary (> 0); an
        annual rate of 15% with weekly data is :math:`\ln(1.15)/52 \approx 0.0027`.
    frequency, recency, T : array_like

    Returns
    -------
    numpy.ndarray of float
        Discounted purchases, in the units of one purchase.

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, Journal of Marketing Research 42(4), 415-430, 2005.

    Examples
    --------
    >>> fit = (0.553, 10.578, 0.606, 11.669)
    >>> det = pareto_nbd_discounted_expected_transactions(fit, np.log(1.15) / 52, [2, 0], [30.43, 0.0], [38.86, 38.86])
    >>> bool(det[0] > det[1] > 0)
    True
    """
    r, alpha, s, beta = _params(fit)
    delta = check_scalar("discount_rate", discount_rate, low=0, low_open=True)
    x, t_x, big_t = check_repeat_summary(frequency, recency, T)
    future = (r + x) * (beta + big_t) / (alpha + big_t) * hyperu(1.0, 2.0 - s, delta * (beta + big_t))
    return future * pareto_nbd_p_alive((r, alpha, s, beta), x, t_x, big_t)
