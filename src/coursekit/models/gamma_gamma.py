r"""The gamma-gamma model of spend per purchase (Chapter 4).

The repeat-buying models (:mod:`coursekit.models.bgnbd`, :mod:`coursekit.models.pareto_nbd`)
predict *how many* purchases a customer will make; the gamma-gamma model predicts *how much* each
will be worth.  A customer's purchase amounts are gamma distributed with shape :math:`p` and a
rate :math:`\nu` of their own; across customers :math:`\nu \sim \text{Gamma}(q, \gamma)`.  It needs,
for each customer with at least one repeat purchase, the number of purchases :math:`x` and their
average amount :math:`m_x`, and it assumes that amount and frequency are independent.

Functions: :func:`gamma_gamma_log_likelihood`, :func:`fit_gamma_gamma` and
:func:`gamma_gamma_expected_spend`.

References
----------
.. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: Using Iso-Value Curves for
   Customer Base Analysis", Journal of Marketing Research 42(4), 415-430, 2005.
.. [2] P. S. Fader and B. G. S. Hardie, "The Gamma-Gamma Model of Monetary Value", note, 2013
   (http://brucehardie.com/notes/025/).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

from coursekit._validate import check_scalar, check_vector, check_whole_numbers

__all__ = ["GammaGammaFit", "gamma_gamma_log_likelihood", "fit_gamma_gamma", "gamma_gamma_expected_spend"]


@dataclass(frozen=True)
class GammaGammaFit:
    """Parameters of a gamma-gamma spend model: ``p, q, gamma`` (all > 0).

    ``log_likelihood`` of the data they were fitted to (NaN when given) and ``n_customers``.
    """

    p: float
    q: float
    gamma: float
    log_likelihood: float = float("nan")
    n_customers: int = 0

    def __post_init__(self):
        for name in ("p", "q", "gamma"):
            check_scalar(name, getattr(self, name), low=0, low_open=True)

    @property
    def params(self) -> tuple[float, float, float]:
        """``(p, q, gamma)``."""
        return (self.p, self.q, self.gamma)


def _params(fit) -> tuple[float, float, float]:
    if isinstance(fit, GammaGammaFit):
        return fit.params
    if isinstance(fit, (str, bytes)) or np.ndim(fit) != 1 or len(fit) != 3:
        raise TypeError(f"fit must be a GammaGammaFit or the three numbers (p, q, gamma), got {fit!r}")
    return GammaGammaFit(*(float(v) for v in fit)).params


def _check(frequency, monetary_value) -> tuple[np.ndarray, np.ndarray]:
    x = check_whole_numbers("frequency", check_vector("frequency", frequency), minimum=1)
    m = check_vector("monetary_value", monetary_value)
    if x.size != m.size:
        raise ValueError(f"frequency and monetary_value must have one value per customer, got lengths {x.size} and {m.size}")
    if not np.isfinite(m).all() or (m <= 0).any():
        raise ValueError("monetary_value must hold positive average amounts (customers with repeat purchases only)")
    return x, m


def _log_likelihoods(p, q, gamma, x, m):
    """ln f(m_x | p, q, gamma, x), eq. (3) of the 2013 note."""
    return (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(gamma)
            + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(gamma + m * x))


def gamma_gamma_log_likelihood(fit, frequency, monetary_value) -> float:
    r"""Log-likelihood of the gamma-gamma model.

    For a customer with :math:`x` purchases of average amount :math:`m_x`,

    .. math:: f(m_x \mid p, q, \gamma, x) = \frac{\Gamma(px+q)}{\Gamma(px)\Gamma(q)}
              \frac{\gamma^q\, m_x^{px-1}\, x^{px}}{(\gamma + m_x x)^{px+q}}

    Parameters
    ----------
    fit : GammaGammaFit or sequence of 3 floats
        ``(p, q, gamma)``, all > 0.
    frequency : array_like
        Purchases whose amounts are averaged, whole numbers >= 1 (customers with no repeat
        purchase are left out).
    monetary_value : array_like
        Their average amount, > 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(gamma_gamma_log_likelihood((6.25, 3.74, 15.44), [2, 1], [22.35, 11.77]), 4)
    -7.289
    """
    p, q, gamma = _params(fit)
    x, m = _check(frequency, monetary_value)
    return float(_log_likelihoods(p, q, gamma, x, m).sum())


def fit_gamma_gamma(frequency, monetary_value, *, start=(5.0, 3.0, 10.0)) -> GammaGammaFit:
    """Maximum-likelihood estimates of the gamma-gamma parameters.

    Parameters
    ----------
    frequency, monetary_value : array_like
        As :func:`gamma_gamma_log_likelihood`.
    start : sequence of 3 floats, default (5, 3, 10)
        Starting values of ``(p, q, gamma)``.

    Returns
    -------
    GammaGammaFit

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, Journal of Marketing Research 42(4),
       415-430, 2005; and Fader & Hardie (2013): on the 946 CDNOW customers with a repeat
       purchase in weeks 1-39, p = 6.25, q = 3.74, gamma = 15.44.
    """
    x, m = _check(frequency, monetary_value)
    start = _params(start)

    log_m, x_log_x, mx = np.log(m), x * np.log(x), m * x

    def negative(theta):
        p, q, gamma = np.exp(theta)
        px = p * x
        value = (gammaln(px + q) - gammaln(px) + (px - 1) * log_m + p * x_log_x
                 - (px + q) * np.log(gamma + mx)).sum() + x.size * (q * np.log(gamma) - gammaln(q))
        return -float(value) if np.isfinite(value) else 1e300

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = minimize(negative, np.log(start), method="Nelder-Mead", options={"xatol": 1e-4, "fatol": 1e-5})
    if not (np.isfinite(result.fun) and result.fun < 1e300):
        raise ValueError(f"the gamma-gamma fit did not converge: {result.message}")
    p, q, gamma = np.exp(result.x)
    return GammaGammaFit(float(p), float(q), float(gamma), -float(result.fun), int(x.size))


def gamma_gamma_expected_spend(fit, frequency, monetary_value) -> np.ndarray:
    r"""Expected amount of a customer's future purchase, given the past ones.

    .. math:: E[M \mid p, q, \gamma, m_x, x] = \frac{p(\gamma + m_x x)}{px + q - 1}

    a weighted average of the population mean :math:`p\gamma/(q-1)` and the customer's own
    average :math:`m_x`, with more weight on :math:`m_x` the more purchases it rests on.

    Parameters
    ----------
    fit : GammaGammaFit or sequence of 3 floats
        Needs ``px + q > 1``.
    frequency, monetary_value : array_like
        As :func:`gamma_gamma_log_likelihood`.

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> gamma_gamma_expected_spend((6.25, 3.74, 15.44), [1, 10], [100.0, 100.0]).round(2).tolist()
    [80.26, 97.28]
    """
    p, q, gamma = _params(fit)
    x, m = _check(frequency, monetary_value)
    return p * (gamma + m * x) / (p * x + q - 1)
