r"""Case 9 -- "Is this customer still alive?": the CDNOW sample, a win-back list, and the holdout that judges it.

The case uses the real CDNOW sample (:mod:`coursekit.data.cdnow`) and the repeat-buying models of
Chapter 4 (:mod:`coursekit.models.pareto_nbd`, :mod:`coursekit.models.gamma_gamma`).  This module adds
what the case needs on top of them:

* :func:`weeks_silent` -- each customer's silence at the end of the calibration period, :math:`T - t_x`;
* :func:`alive_explorer` -- sliders for a customer's history, and the Pareto/NBD's P(alive) against the
  weeks of silence, beside the manager's 13-week rule.

The case has no dataset of its own: :data:`DATASETS` is empty.

References
----------
.. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting Your Customers: Who Are They and What
   Will They Do Next?", Management Science 33(1), 1-24, 1987.
.. [2] P. S. Fader, B. G. S. Hardie and K. L. Lee, "'Counting Your Customers' the Easy Way: An Alternative
   to the Pareto/NBD Model", Marketing Science 24(2), 275-284, 2005.
"""

from __future__ import annotations

import numpy as np

from coursekit import plotting
from coursekit._validate import check_number, check_repeat_summary
from coursekit.language import tr
from coursekit.models import pareto_nbd
from coursekit.widgets import Explorer, float_slider, int_slider

__all__ = ["weeks_silent", "alive_explorer", "DATASETS", "BENCH"]

#: The Pareto/NBD estimates on the CDNOW calibration data, the explorer's default: r, alpha, s, beta
#: (as published, see :func:`coursekit.models.pareto_nbd.fit_pareto_nbd`; ``tests/models`` reproduces them).
PUBLISHED_PARETO_NBD = (0.553, 10.578, 0.606, 11.669)


def weeks_silent(frequency, recency, T):
    r"""Weeks since each customer's last purchase at the end of the observation period, :math:`T - t_x`.

    A customer who never bought again (:math:`x = 0`, :math:`t_x = 0`) has been silent since the first
    purchase: :math:`T` weeks.

    Parameters
    ----------
    frequency, recency, T : array_like
        The repeat-buying summary (:func:`coursekit.data.cdnow_summary`): repeat purchases :math:`x`,
        time of the last one :math:`t_x` and the time observed :math:`T`, with :math:`0 \le t_x \le T`.

    Returns
    -------
    numpy.ndarray
        :math:`T - t_x`, in the summary's time unit.

    Raises
    ------
    ValueError
        If the arrays differ in length or break :math:`0 \le t_x \le T`.

    Examples
    --------
    >>> weeks_silent([0, 2], [0.0, 30.0], [38.0, 36.0]).tolist()
    [38.0, 6.0]
    """
    _, t_x, big_t = check_repeat_summary(frequency, recency, T)
    return big_t - t_x


def alive_explorer(fit=PUBLISHED_PARETO_NBD, frequency: int = 2, weeks_observed: float = 36.0, rule_weeks: float = 13.0):
    r"""Sliders for one customer's history, and the Pareto/NBD's P(alive) against the weeks of silence.

    For a customer first seen ``weeks_observed`` weeks ago who made ``frequency`` repeat purchases, the
    curve is :math:`P(\text{alive} \mid x, t_x = T - \text{silence}, T)` for every silence from 0 to
    :math:`T` (Schmittlein, Morrison & Colombo 1987); the dashed line is the rule of thumb that calls a
    customer gone after ``rule_weeks`` weeks of silence.  The curve falls faster for a frequent buyer:
    the same silence means more from a customer who used to buy every few weeks.  For a customer with no
    repeat purchase the silence is the time since the first purchase, so the curve is drawn against
    :math:`T` itself.

    Parameters
    ----------
    fit : ParetoNBDFit or sequence of 4 floats, default the published CDNOW estimates
        :math:`r, \alpha, s, \beta`.
    frequency : int, default 2
        Initial repeat purchases, 0-15.
    weeks_observed : float, default 36
        Initial :math:`T`, 5-78 weeks.
    rule_weeks : float, default 13
        Initial silence after which the rule calls a customer gone, 1-39 weeks.

    Returns
    -------
    coursekit.widgets.Explorer
        ``results`` holds ``p_alive_at_rule`` (P(alive) at the rule's silence) and ``silence_half``
        (the silence at which P(alive) falls to 0.5, or None if it never does).

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, Management Science 33(1), 1-24, 1987.

    Examples
    --------
    >>> ex = alive_explorer(frequency=5)
    >>> round(ex.results["p_alive_at_rule"], 2)
    0.62
    >>> ex.set(frequency=0)
    >>> round(ex.results["silence_half"], 1)
    17.5
    """
    params = tuple(float(v) for v in (fit.params if hasattr(fit, "params") else fit))
    if len(params) != 4:
        raise ValueError(f"fit must hold the four Pareto/NBD parameters r, alpha, s, beta; got {len(params)} values")
    for name, value in zip(("r", "alpha", "s", "beta"), params, strict=True):
        check_number(f"fit {name}", value, low=0, low_open=True)
    check_number("frequency", frequency, low=0, high=15)
    check_number("weeks_observed", weeks_observed, low=5, high=78)
    check_number("rule_weeks", rule_weeks, low=1, high=39)

    def draw(ax, artists, frequency, weeks_observed, rule_weeks):
        silence = np.linspace(0, weeks_observed, 157)
        x = np.full(silence.shape, float(frequency))
        if frequency > 0:
            t_x, big_t = np.maximum(weeks_observed - silence, 1e-6), np.full(silence.shape, float(weeks_observed))
        else:   # a one-time buyer has been silent since the first purchase: the silence is T itself
            t_x, big_t = np.zeros(silence.shape), np.maximum(silence, 1e-6)
        p = pareto_nbd.pareto_nbd_p_alive(params, x, t_x, big_t)
        at_rule = float(np.interp(min(rule_weeks, weeks_observed), silence, p))
        below = np.flatnonzero(p < 0.5)
        half = float(silence[below[0]]) if below.size else None
        if not artists:
            (artists["curve"],) = ax.plot(silence, p, color=plotting.PALETTE[0], label=tr("P(alive), Pareto/NBD"))
            artists["rule"] = ax.axvline(rule_weeks, color=plotting.PALETTE[1], linestyle="--",
                                         label=tr("rule: gone after this silence"))
            ax.axhline(0.5, color="0.6", linestyle=":", linewidth=1)
            ax.set_ylim(0, 1.02)
            plotting.label(ax, tr("Is this customer still alive?"), tr("Weeks since the last purchase"),
                           "P(alive)", legend=True)
        artists["curve"].set_data(silence, p)
        artists["rule"].set_xdata([rule_weeks, rule_weeks])
        ax.set_xlim(0, max(weeks_observed, rule_weeks))
        results = {"p_alive_at_rule": at_rule, "silence_half": half}
        half_text = tr("{weeks} weeks").format(weeks=f"{half:.1f}") if half is not None else \
            tr("not within {weeks} weeks").format(weeks=f"{weeks_observed:.0f}")
        seen = tr("one purchase only: the silence is the time since it") if frequency == 0 else \
            tr("{x} repeat purchases, first seen {weeks} weeks ago").format(x=frequency, weeks=f"{weeks_observed:.0f}")
        html = (f"{seen}.<br>"
                + tr("P(alive) after {weeks} weeks of silence: <b>{p}</b>.").format(weeks=f"{rule_weeks:.0f}",
                                                                                    p=f"{at_rule:.2f}")
                + "<br>" + tr("P(alive) falls below 0.5 after: <b>{when}</b>.").format(when=half_text))
        return results, html

    controls = {
        "frequency": int_slider(tr("Repeat purchases x"), int(frequency), 0, 15),
        "weeks_observed": float_slider(tr("Weeks since first purchase T"), float(weeks_observed), 5, 78, 1, ".0f"),
        "rule_weeks": float_slider(tr("Rule: gone after (weeks)"), float(rule_weeks), 1, 39, 1, ".0f"),
    }
    return Explorer(controls, draw)


#: Writers of this module's datasets: none (the case reads the vendored CDNOW sample).
DATASETS: dict = {}

#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "case 9 P(alive) explorer": (alive_explorer, [{"frequency": i % 12, "weeks_observed": 20 + 3 * i} for i in range(15)]),
}
