r"""Case 8 -- *When satisfaction spending doesn't pay* (reading R4).

Serves the case notebooks ``cases/08_satisfaction_spending.ipynb`` and ``cases/08b_two_years_later.ipynb``.  It holds:

* the hotline-survey dataset: three survey waves of a US financial institution's large
  customers around the launch of a 24-hour telephone line -- :func:`make_hotline_survey` (the
  documented generative model), :func:`write_hotline_survey` (files ``hotline_survey.csv``,
  ``hotline_survey_truth.csv``, ``hotline_survey_parameters.csv``, declared as
  :class:`coursekit.tables.Table` specs) and the loaders :func:`load_hotline_survey`,
  :func:`load_hotline_truth`, :func:`load_hotline_parameters`; its data card is
  ``datasets/cards/hotline_survey.md``;
* the calculators :func:`importance_by_wave` and :func:`ipa_by_wave` (derived importance and
  the importance--performance grid, wave by wave);
* the explorer :func:`hotline_ipa_explorer`, with its ``BENCH`` slider moves for
  ``make bench``.

The balance columns of the survey work with :mod:`coursekit.data.bank_accounts`.  ``DATASETS``
maps the dataset's name to its writer.  Loaders read from the course's datasets folder by
default (:func:`coursekit.tables.data_dir`).

References
----------
.. [1] J. A. Martilla and J. C. James, "Importance-Performance Analysis", Journal of Marketing
   41(1), 77-79, 1977.
.. [2] A. Gustafsson and M. D. Johnson, "Determining Attribute Importance in a Service
   Satisfaction Model", Journal of Service Research 7(2), 124-141, 2004.
.. [3] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey Quarterly
   2002(2), 2002.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import expit

from coursekit import plotting
from coursekit._validate import check_frame, check_number, check_positive_int, check_seed
from coursekit.data.sampling import scale_round, streams
from coursekit.language import choose, tr
from coursekit.models import satisfaction as _sat
from coursekit.tables import Column, Table, write_tables
from coursekit.widgets import Explorer, float_slider, int_slider

__all__ = [
    "HOTLINE_ATTRIBUTES",
    "HOTLINE_WEIGHTS",
    "HOTLINE_PERFORMANCE",
    "HOTLINE_SEED",
    "DEFAULT_N_PER_WAVE",
    "HOTLINE_USE",
    "SURVEY_TABLE",
    "TRUTH_TABLE",
    "PARAMETERS_TABLE",
    "HOTLINE_COLUMNS",
    "HOTLINE_TRUTH_COLUMNS",
    "HOTLINE_PARAMETER_COLUMNS",
    "HOTLINE_FILES",
    "HotlineData",
    "make_hotline_survey",
    "write_hotline_survey",
    "load_hotline_survey",
    "load_hotline_truth",
    "load_hotline_parameters",
    "importance_by_wave",
    "ipa_by_wave",
    "hotline_ipa_explorer",
    "break_even_explorer",
    "DATASETS",
    "BENCH",
]

#: Attributes rated by the large customers (1-7), in display order.
HOTLINE_ATTRIBUTES = ("phone_support", "branch_service", "relationship_manager", "online_cash_management",
                      "fees", "credit_terms")

#: True weight of each attribute in overall satisfaction, by wave (1 = before the 24-hour line,
#: 2 = one year after its launch, 3 = two years after): the customers' needs move away from the
#: telephone towards online cash management and credit.
HOTLINE_WEIGHTS = {
    1: (0.28, 0.18, 0.22, 0.07, 0.15, 0.10),
    2: (0.15, 0.12, 0.22, 0.22, 0.12, 0.17),
    3: (0.05, 0.07, 0.20, 0.35, 0.10, 0.23),
}

#: Mean perceived performance of each attribute by wave (before rounding and clipping): the
#: hotline lifts phone support; online tools and credit terms fall behind.
HOTLINE_PERFORMANCE = {
    1: (3.8, 4.9, 4.6, 4.0, 4.2, 4.4),
    2: (5.3, 4.8, 4.5, 3.8, 4.2, 4.2),
    3: (5.9, 4.8, 4.4, 3.5, 4.1, 4.0),
}

HOTLINE_SEED = 20240708
DEFAULT_N_PER_WAVE = 600
HOTLINE_USE = {1: 0.0, 2: 0.12, 3: 0.09}  # share of respondents who used the 24-hour line that year
_HALO = 0.7
_ITEM_SD = 1.0
_SAT_INTERCEPT = 4.4
_SAT_NOISE = 0.6
_CLOSE_INTERCEPT = -2.4
_CLOSE_ON_SAT = -0.35
_CUT_INTERCEPT = -2.8
_CUT_ON_GAP = 2.5
_GAP_ATTRIBUTES = ("online_cash_management", "credit_terms")
_GAP_TARGET = 5.0
_CUT_DEPTH_MEAN = 0.6
_CUT_DEPTH_KAPPA = 10.0
_BALANCE_MEDIAN = 900.0  # k USD
_BALANCE_LOG_SD = 0.9
_DRIFT, _VOL = 0.03, 0.15

#: The files of the dataset, in the datasets folder.
SURVEY_TABLE = Table("hotline_survey.csv", [
    Column("respondent_id"),
    Column("wave", "int", low=1, high=3),
    *(Column(c, "int", low=1, high=7) for c in (*HOTLINE_ATTRIBUTES, "overall_satisfaction")),
    Column("used_hotline", "bool"),
    Column("balance_start", "float", decimals=1, low=0),
    Column("balance_end", "float", decimals=1, low=0),
    Column("closed", "bool"),
])
TRUTH_TABLE = Table("hotline_survey_truth.csv", [
    Column("respondent_id"),
    Column("wave", "int", low=1, high=3),
    Column("close_probability", "float", decimals=6, low=0, high=1),
    Column("cut_probability", "float", decimals=6, low=0, high=1),
    Column("balance_cut", "bool"),
    Column("cut_depth", "float", decimals=6, low=0, high=1),
])
PARAMETERS_TABLE = Table("hotline_survey_parameters.csv", [
    Column("wave", "int", low=1, high=3),
    Column("attribute"),
    Column("weight", "float", fmt="%g", low=0, high=1),
    Column("performance_mean", "float", fmt="%g", low=1, high=7),
])
HOTLINE_COLUMNS = tuple(SURVEY_TABLE.names)
HOTLINE_TRUTH_COLUMNS = tuple(TRUTH_TABLE.names)
HOTLINE_PARAMETER_COLUMNS = tuple(PARAMETERS_TABLE.names)
HOTLINE_FILES = tuple(t.filename for t in (SURVEY_TABLE, TRUTH_TABLE, PARAMETERS_TABLE))


class HotlineData(NamedTuple):
    """The frames of the hotline-survey dataset.

    Attributes
    ----------
    survey : pandas.DataFrame
        One row per respondent and wave, the columns of ``HOTLINE_COLUMNS``.
    truth : pandas.DataFrame
        The same rows with the latent quantities: ``close_probability``, ``cut_probability``,
        ``balance_cut`` (bool) and ``cut_depth``.
    parameters : pandas.DataFrame
        One row per wave and attribute: the true ``weight`` and ``performance_mean``.
    """

    survey: pd.DataFrame
    truth: pd.DataFrame
    parameters: pd.DataFrame


def make_hotline_survey(n_per_wave: int = DEFAULT_N_PER_WAVE, seed: int = HOTLINE_SEED) -> HotlineData:
    r"""Simulate three survey waves of a financial institution's large customers.

    The reading (R4) tells of a US financial institution that spent heavily on satisfaction --
    among other things a 24-hour telephone line -- and saw little come of it: its large
    customers were doing less business with it because their needs had changed.  Each wave
    surveys ``n_per_wave`` different large customers (wave 1 before the line opened, waves 2 and
    3 one and two years after) and follows their balances for a year.

    The model, for respondent :math:`i` of wave :math:`w` and attribute :math:`j`
    (:data:`HOTLINE_ATTRIBUTES`):

    1. **Perceptions** :math:`P_{ij} = \operatorname{round}(m_{wj} + 0.7\,h_i + 1.0\,z_{ij})`,
       clipped to 1..7, with :math:`m_{wj}` from :data:`HOTLINE_PERFORMANCE` and a halo
       :math:`h_i \sim N(0, 1)` shared by the attributes.
    2. **Overall satisfaction** :math:`S_i = \operatorname{round}(4.4 + \sum_j w_{wj} (P_{ij} - 4)
       + 0.6\,\varepsilon_i)`, clipped to 1..7, with the wave's weights
       :math:`w_{wj}` (:data:`HOTLINE_WEIGHTS`).  The weights move: in wave 1 the telephone
       matters most; by wave 3 online cash management and credit terms do.
    3. **Use of the line**: Bernoulli with probability 0, 0.12, 0.09 in waves 1-3.
    4. **Opening balance** (k USD): lognormal, median 900, log-sd 0.9, rounded to 0.1.
    5. **Closing the relationship** within the year:
       :math:`\operatorname{logit} p_i = -2.4 - 0.35\,(S_i - 4)`.
    6. **Cutting the balance sharply** (customers who stay): probability
       :math:`q_i = \operatorname{logit}^{-1}(-2.8 + 2.5\,g_i)` with the *need gap*
       :math:`g_i = \sum_{j \in \{\text{online}, \text{credit}\}} w_{wj} \max(0, 5 - P_{ij})`:
       a need that matters and is poorly served.  A cutter removes the fraction
       :math:`D_i \sim \mathrm{Beta}(6, 4)` (mean 0.6) of the balance; everyone else's balance
       is multiplied by :math:`e^{\epsilon_i}`, :math:`\epsilon_i \sim N(0.03, 0.15^2)`.

    Parameters
    ----------
    n_per_wave : int, default 600
        Respondents per wave, >= 20.
    seed : int, default 20240708
        Seed of the random streams, >= 0.

    Returns
    -------
    HotlineData
        Survey, truth and the true parameters.

    Raises
    ------
    ValueError, TypeError
        If ``n_per_wave`` is not a whole number >= 20 or ``seed`` not a whole number >= 0.

    References
    ----------
    .. [1] A. Gustafsson and M. D. Johnson, "Determining Attribute Importance in a Service
       Satisfaction Model", Journal of Service Research 7(2), 124-141, 2004.
    .. [2] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey
       Quarterly 2002(2), 2002.

    Examples
    --------
    >>> data = make_hotline_survey(n_per_wave=50, seed=1)
    >>> data.survey.shape, data.parameters.shape
    ((150, 13), (18, 4))
    >>> data.survey.groupby("wave")["phone_support"].mean().round(2).tolist()
    [3.56, 5.54, 5.94]
    """
    n = check_positive_int("n_per_wave", n_per_wave)
    if n < 20:
        raise ValueError(f"n_per_wave must be at least 20 (a regression per wave needs rows), got {n}")
    seed = check_seed(seed)
    rng_items, rng_sat, rng_use, rng_bal, rng_close, rng_cut = streams(seed, 6)
    waves = np.repeat(np.arange(1, 4), n)
    total = waves.size
    k = len(HOTLINE_ATTRIBUTES)
    means = np.array([HOTLINE_PERFORMANCE[w] for w in (1, 2, 3)])[waves - 1]
    weights = np.array([HOTLINE_WEIGHTS[w] for w in (1, 2, 3)])[waves - 1]
    halo = rng_items.standard_normal(total)
    perception = scale_round(means + _HALO * halo[:, None] + _ITEM_SD * rng_items.standard_normal((total, k)), 1, 7)
    overall = scale_round(_SAT_INTERCEPT + ((perception - 4) * weights).sum(axis=1)
                          + _SAT_NOISE * rng_sat.standard_normal(total), 1, 7)
    use_p = np.array([HOTLINE_USE[w] for w in (1, 2, 3)])[waves - 1]
    used = rng_use.random(total) < use_p
    balance = np.round(_BALANCE_MEDIAN * np.exp(_BALANCE_LOG_SD * rng_bal.standard_normal(total)), 1)
    balance = np.maximum(balance, 1.0)
    close_p = expit(_CLOSE_INTERCEPT + _CLOSE_ON_SAT * (overall - 4))
    closed = rng_close.random(total) < close_p
    gap_cols = [HOTLINE_ATTRIBUTES.index(a) for a in _GAP_ATTRIBUTES]
    gap = (weights[:, gap_cols] * np.maximum(0.0, _GAP_TARGET - perception[:, gap_cols])).sum(axis=1)
    cut_p = expit(_CUT_INTERCEPT + _CUT_ON_GAP * gap)
    cut = ~closed & (rng_cut.random(total) < cut_p)
    a = _CUT_DEPTH_MEAN * _CUT_DEPTH_KAPPA
    depth_draw = rng_cut.beta(a, _CUT_DEPTH_KAPPA - a, size=total)
    drift = np.exp(_DRIFT + _VOL * rng_cut.standard_normal(total))
    depth = np.where(cut, depth_draw, 0.0)
    end = np.where(closed, 0.0, np.where(cut, balance * (1 - depth), balance * drift))
    end = np.where(closed, 0.0, np.maximum(np.round(end, 1), 0.1))
    ids = [f"W{w}-{i + 1:04d}" for w, i in zip(waves, np.tile(np.arange(n), 3), strict=True)]
    survey = pd.DataFrame({"respondent_id": ids, "wave": waves.astype(np.int64)})
    for j, col in enumerate(HOTLINE_ATTRIBUTES):
        survey[col] = perception[:, j]
    survey["overall_satisfaction"] = overall
    survey["used_hotline"] = used
    survey["balance_start"] = balance
    survey["balance_end"] = end
    survey["closed"] = closed
    truth = pd.DataFrame({
        "respondent_id": ids,
        "wave": waves.astype(np.int64),
        "close_probability": close_p,
        "cut_probability": np.where(closed, 0.0, cut_p),
        "balance_cut": cut,
        "cut_depth": depth,
    })
    parameters = pd.DataFrame({
        "wave": np.repeat(np.arange(1, 4), k).astype(np.int64),
        "attribute": list(HOTLINE_ATTRIBUTES) * 3,
        "weight": np.concatenate([HOTLINE_WEIGHTS[w] for w in (1, 2, 3)]),
        "performance_mean": np.concatenate([HOTLINE_PERFORMANCE[w] for w in (1, 2, 3)]),
    })
    return HotlineData(survey=survey, truth=truth, parameters=parameters)



def write_hotline_survey(directory, data: HotlineData | None = None) -> list[Path]:
    """Write the hotline-survey dataset as three CSV files, byte for byte reproducibly.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; created if it does not exist.
    data : HotlineData, optional
        Frames to write; by default the course's dataset, ``make_hotline_survey()``.

    Returns
    -------
    list of pathlib.Path
        Paths of ``hotline_survey.csv``, ``hotline_survey_truth.csv`` and
        ``hotline_survey_parameters.csv``.

    Raises
    ------
    TypeError
        If ``directory`` is not a path or ``data`` is not a :class:`HotlineData`.
    ValueError
        If ``directory`` is an existing file.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV)
       Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_hotline_survey(tmp, make_hotline_survey(n_per_wave=20, seed=2))
    ...     print([p.name for p in paths])
    ...     print(paths[2].read_text().splitlines()[1])
    ['hotline_survey.csv', 'hotline_survey_truth.csv', 'hotline_survey_parameters.csv']
    1,phone_support,0.28,3.8
    """
    return write_tables(directory, data, HotlineData, make_hotline_survey, (SURVEY_TABLE, TRUTH_TABLE, PARAMETERS_TABLE))


def load_hotline_survey(directory=None, *, waves=(1, 2, 3)) -> pd.DataFrame:
    """Load the survey waves of the financial institution's large customers.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``hotline_survey.csv``; the data folder by default.
    waves : sequence of int, default (1, 2, 3)
        The waves to return.  Part A of the case sees only ``waves=[1]``: the survey the board
        had when it decided; part B releases waves 2 and 3.

    Returns
    -------
    pandas.DataFrame
        One row per respondent: ``respondent_id`` (str), ``wave`` (int: 1 before the 24-hour
        line, 2 and 3 one and two years after), the ratings of :data:`HOTLINE_ATTRIBUTES` and
        ``overall_satisfaction`` (int, 1-7), ``used_hotline`` (bool), ``balance_start`` and
        ``balance_end`` (float, k USD at the survey and a year later; 0 if closed) and
        ``closed`` (bool).  The balance columns work with :mod:`coursekit.data.bank_accounts`.

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or holds an unexpected value.

    References
    ----------
    .. [1] J. A. Martilla and J. C. James, "Importance-Performance Analysis", Journal of
       Marketing 41(1), 77-79, 1977.

    Examples
    --------
    >>> waves = load_hotline_survey()
    >>> waves.shape
    (1800, 13)
    >>> waves.groupby("wave")["phone_support"].mean().round(0).tolist()
    [4.0, 5.0, 6.0]
    >>> load_hotline_survey(waves=[1])["wave"].unique().tolist()
    [1]
    >>> load_hotline_survey(waves=[4])
    Traceback (most recent call last):
    ...
    ValueError: waves must be a non-empty list of survey waves from (1, 2, 3), got [4]
    """
    chosen = _check_waves(waves)
    frame = SURVEY_TABLE.read(directory)
    if chosen == list(HOTLINE_USE):
        return frame
    return frame[frame["wave"].isin(chosen)].reset_index(drop=True)


def _check_waves(waves) -> list[int]:
    allowed = tuple(HOTLINE_USE)
    if isinstance(waves, (str, bytes)) or not hasattr(waves, "__iter__"):
        raise TypeError(f"waves must be a list of survey waves from {allowed}, got {type(waves).__name__}")
    chosen = list(waves)
    if not chosen or any(isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w not in allowed for w in chosen):
        raise ValueError(f"waves must be a non-empty list of survey waves from {allowed}, got {chosen!r}")
    return sorted({int(w) for w in chosen})


def load_hotline_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the hotline survey (one row per respondent).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``hotline_survey_truth.csv``; the data folder by default.

    Returns
    -------
    pandas.DataFrame
        ``respondent_id`` (str), ``wave`` (int), ``close_probability``, ``cut_probability``
        (float), ``balance_cut`` (bool) and ``cut_depth`` (float, share of the balance removed;
        0 for non-cutters).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or holds an unexpected value.

    References
    ----------
    .. [1] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12),
       86-92, 2021.

    Examples
    --------
    >>> truth = load_hotline_truth()
    >>> truth.groupby("wave")["balance_cut"].mean().round(3).tolist()
    [0.078, 0.167, 0.307]
    """
    return TRUTH_TABLE.read(directory)


def load_hotline_parameters(directory=None) -> pd.DataFrame:
    """Load the true weights and performance means of the hotline survey, by wave.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``hotline_survey_parameters.csv``; the data folder by default.

    Returns
    -------
    pandas.DataFrame
        18 rows: ``wave`` (int), ``attribute`` (str), ``weight`` (float, outcome points per
        rating point) and ``performance_mean`` (float, before rounding and clipping).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or holds an unexpected value.

    References
    ----------
    .. [1] A. Gustafsson and M. D. Johnson, "Determining Attribute Importance in a Service
       Satisfaction Model", Journal of Service Research 7(2), 124-141, 2004.

    Examples
    --------
    >>> p = load_hotline_parameters()
    >>> p.pivot(index="attribute", columns="wave", values="weight").loc["online_cash_management"].tolist()
    [0.07, 0.22, 0.35]
    """
    return PARAMETERS_TABLE.read(directory)


def _wave_groups(frame, by: str):
    if not isinstance(by, str):
        raise TypeError(f"by must be a column name, got {by!r}")
    if by not in frame.columns:
        raise ValueError(f"by={by!r} is not a column of the frame; the columns are {frame.columns.tolist()}")
    if frame[by].isna().any():
        raise ValueError(f"column {by!r} (by) must not hold missing values")
    return sorted(frame[by].unique())


def importance_by_wave(frame, attributes=HOTLINE_ATTRIBUTES, outcome="overall_satisfaction", by="wave",
                       method="regression") -> pd.DataFrame:
    r"""Derived importance of each attribute, wave by wave (or group by group).

    For every value :math:`w` of ``by`` this runs :func:`coursekit.models.satisfaction.derived_importance`
    on the rows of that wave -- by default the standardised coefficients of the regression of
    overall satisfaction on the attribute ratings -- and adds each attribute's mean rating
    (its performance).  Comparing waves shows how what drives satisfaction moves over time.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent, with the attribute ratings (1-7), the outcome (1-7) and the
        ``by`` column.
    attributes : sequence of str, default HOTLINE_ATTRIBUTES
        Columns of the attribute ratings.
    outcome : str, default "overall_satisfaction"
        Column of the outcome.
    by : str, default "wave"
        Column that defines the waves (or any groups).
    method : {"regression", "correlation"}, default "regression"
        Passed to :func:`coursekit.models.satisfaction.derived_importance`.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``by``, ``attribute``), waves in sorted order and attributes in the order
        given: ``importance``, ``coefficient``, ``rank`` (1 = most important within the wave)
        and ``performance`` (mean rating in the wave).

    Raises
    ------
    TypeError, ValueError
        If ``frame`` is not a DataFrame, a column is missing, or a wave's data cannot be used
        by :func:`coursekit.models.satisfaction.derived_importance` (too few rows, a constant
        attribute, ratings off the 1-7 scale).

    References
    ----------
    .. [1] A. Gustafsson and M. D. Johnson, "Determining Attribute Importance in a Service
       Satisfaction Model", Journal of Service Research 7(2), 124-141, 2004.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"wave": [1] * 6 + [2] * 6,
    ...                     "phone": [1, 2, 3, 4, 5, 6, 3, 4, 3, 4, 3, 4],
    ...                     "online": [3, 4, 3, 4, 3, 4, 1, 2, 3, 4, 5, 6],
    ...                     "overall": [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]})
    >>> importance_by_wave(toy, ["phone", "online"], outcome="overall")["rank"].unstack()[["phone", "online"]]
    attribute  phone  online
    wave
    1              1       2
    2              2       1
    """
    check_frame("frame", frame, [*attributes, outcome])
    waves = _wave_groups(frame, by)
    parts = []
    for w in waves:
        rows = frame[frame[by] == w]
        table = _sat.derived_importance(rows, list(attributes), outcome=outcome, method=method)
        table["performance"] = rows[list(attributes)].mean().to_numpy(dtype=float)
        table.index = pd.MultiIndex.from_product([[w], table.index], names=[by, "attribute"])
        parts.append(table)
    return pd.concat(parts)


def ipa_by_wave(frame, attributes=HOTLINE_ATTRIBUTES, outcome="overall_satisfaction", by="wave",
                crosshairs="mean") -> pd.DataFrame:
    r"""Importance--performance grid of each wave, with derived importance.

    For each wave, :func:`coursekit.models.satisfaction.ipa` places every attribute by its mean rating
    (performance) and its derived importance (:func:`importance_by_wave`); with
    ``crosshairs="mean"`` the cross-hairs are the wave's mean performance and mean importance.

    Parameters
    ----------
    frame : pandas.DataFrame
        As for :func:`importance_by_wave`.
    attributes, outcome, by
        As for :func:`importance_by_wave`.
    crosshairs : {"mean", "median"} or tuple, default "mean"
        Passed to :func:`coursekit.models.satisfaction.ipa`.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``by``, ``attribute``): ``performance``, ``importance`` (float), ``quadrant``
        (str, one of :data:`coursekit.models.satisfaction.IPA_QUADRANTS`) and ``rank``.

    Raises
    ------
    TypeError, ValueError
        As :func:`importance_by_wave` and :func:`coursekit.models.satisfaction.ipa`.

    References
    ----------
    .. [1] J. A. Martilla and J. C. James, "Importance-Performance Analysis", Journal of
       Marketing 41(1), 77-79, 1977.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"wave": [1] * 6 + [2] * 6,
    ...                     "phone": [1, 2, 3, 4, 5, 2, 5, 6, 5, 6, 5, 6],
    ...                     "online": [5, 6, 5, 6, 5, 6, 1, 2, 3, 4, 5, 2],
    ...                     "overall": [1, 2, 3, 4, 5, 2, 1, 2, 3, 4, 5, 2]})
    >>> ipa_by_wave(toy, ["phone", "online"], outcome="overall")["quadrant"].unstack()[["phone", "online"]]
    attribute             phone             online
    wave
    1          Concentrate here  Possible overkill
    2         Possible overkill   Concentrate here
    """
    table = importance_by_wave(frame, attributes, outcome=outcome, by=by)
    parts = []
    for w in table.index.get_level_values(0).unique():
        sub = table.loc[w]
        grid = _sat.ipa(sub["performance"], sub["importance"], crosshairs=crosshairs)
        grid["quadrant"] = grid["quadrant"].astype(str)
        grid["rank"] = sub["rank"].to_numpy()
        grid.index = pd.MultiIndex.from_product([[w], grid.index], names=[by, "attribute"])
        parts.append(grid)
    return pd.concat(parts)


#: Where a point's label may go, tried in this order: (x offset, y offset, horizontal alignment, vertical
#: alignment) in the IPA grid's data units.
_LABEL_SPOTS = ((0.06, 0.008, "left", "bottom"), (0.06, -0.008, "left", "top"),
                (-0.06, 0.008, "right", "bottom"), (-0.06, -0.008, "right", "top"))


def _place_labels(x, y, labels, char_w: float = 0.058, line_h: float = 0.03):
    """A spot from :data:`_LABEL_SPOTS` for each point's label, so that no two labels' boxes overlap where
    that can be helped (a Chinese character counts as two letters wide).  Points are placed top down."""
    boxes, spots = [], [None] * len(labels)
    for i in sorted(range(len(labels)), key=lambda k: -y[k]):
        width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in labels[i]) * char_w
        for spot in _LABEL_SPOTS:
            dx, dy, ha, va = spot
            x0 = x[i] + dx if ha == "left" else x[i] + dx - width
            y0 = y[i] + dy if va == "bottom" else y[i] + dy - line_h
            box = (x0, y0, x0 + width, y0 + line_h)
            clear = all(box[2] <= b[0] or b[2] <= box[0] or box[3] <= b[1] or b[3] <= box[1] for b in boxes)
            clear = clear and all(not (box[0] <= x[j] <= box[2] and box[1] <= y[j] <= box[3])
                                  for j in range(len(labels)) if j != i)
            if clear:
                break
        else:
            spot, box = _LABEL_SPOTS[0], (x[i], y[i], x[i] + width, y[i] + line_h)
        boxes.append(box)
        spots[i] = spot
    return spots


def hotline_ipa_explorer(frame=None):
    """A wave slider for the importance--performance grid of the hotline survey (case 8).

    Each attribute sits at (mean rating, derived importance) in the chosen wave, with the
    wave's mean cross-hairs (:func:`ipa_by_wave`).  Moving from wave 1 to wave 3 shows phone
    support climbing to the right (better performance) while sinking (less importance), and
    online cash management rising into "Concentrate here".

    Examples
    --------
    >>> ex = hotline_ipa_explorer()
    >>> ex.set(wave=3)
    >>> ex.results["top_attribute"], ex.results["quadrants"]["phone_support"]
    ('online_cash_management', 'Possible overkill')
    """
    data = load_hotline_survey() if frame is None else frame
    grid = ipa_by_wave(data)
    attrs = list(HOTLINE_ATTRIBUTES)
    short = {"phone_support": tr("phone (24 h line)"), "branch_service": tr("branch"),
             "relationship_manager": tr("rel. manager"), "online_cash_management": tr("online cash mgmt"),
             "fees": tr("fees"), "credit_terms": tr("credit terms")}
    # The quadrants' names as the student reads them (the results keep the English names of _sat.IPA_QUADRANTS).
    quadrant_names = {"Concentrate here": tr("Concentrate here"), "Keep up the good work": tr("Keep up the good work"),
                      "Low priority": tr("Low priority"), "Possible overkill": tr("Possible overkill")}
    periods = [tr("before the 24-hour line"), tr("one year after"), tr("two years after")]
    comma = choose(", ", "、")

    def draw(ax, artists, wave):
        g = grid.loc[wave].reindex(attrs)
        x, y = g["performance"].to_numpy(), g["importance"].to_numpy()
        px, iy = float(x.mean()), float(y.mean())
        if not artists:
            artists["dots"] = ax.scatter(x, y, s=60, color=plotting.PALETTE[0], zorder=3)
            artists["labels"] = [ax.text(xi, yi, short[a], fontsize=9) for a, xi, yi in zip(attrs, x, y, strict=True)]
            artists["v"] = ax.axvline(px, color="0.5", linestyle=":")
            artists["h"] = ax.axhline(iy, color="0.5", linestyle=":")
            ax.text(2.1, 0.47, quadrant_names["Concentrate here"], fontsize=8, color="0.4")
            ax.text(5.3, 0.47, quadrant_names["Keep up the good work"], fontsize=8, color="0.4")
            ax.text(2.1, -0.02, quadrant_names["Low priority"], fontsize=8, color="0.4")
            ax.text(5.3, -0.02, quadrant_names["Possible overkill"], fontsize=8, color="0.4")
            plotting.label(ax, tr("Importance-performance grid by survey wave"), tr("Performance (mean rating, 1-7)"),
                           tr("Derived importance (std. coefficient)"))
        artists["dots"].set_offsets(np.column_stack([x, y]))
        spots = _place_labels(x, y, [short[a] for a in attrs])
        for text, xi, yi, (dx, dy, ha, va) in zip(artists["labels"], x, y, spots, strict=True):
            text.set_position((xi + dx, yi + dy))
            text.set_horizontalalignment(ha)
            text.set_verticalalignment(va)
        artists["v"].set_xdata([px, px])
        artists["h"].set_ydata([iy, iy])
        ax.set_xlim(2.0, 7.0)
        ax.set_ylim(-0.05, 0.5)
        quadrants = g["quadrant"].to_dict()
        top = str(g["importance"].idxmax())
        results = {"wave": int(wave), "top_attribute": top, "quadrants": quadrants}
        concentrate = [a for a in attrs if quadrants[a] == "Concentrate here"]
        phone = quadrants["phone_support"]
        html = (tr("<b>Wave {wave}</b> ({period}): most important <b>{top}</b>").format(
                    wave=wave, period=periods[wave - 1], top=top)
                + "<br>" + (tr("Concentrate here: {attributes}").format(attributes=comma.join(concentrate))
                            if concentrate else tr("Concentrate here: none"))
                + "<br>" + tr("phone_support: {quadrant}").format(quadrant=quadrant_names.get(phone, phone)))
        return results, html

    return Explorer({"wave": int_slider(tr("Survey wave"), 1, 1, 3)}, draw)


def break_even_explorer(setup_cost: float = 2.0e6, running_cost: float = 3.5e6, years: int = 2, book: int = 6_000,
                        margin: float = 14_000.0, retention: float = 0.94, discount_rate: float = 0.10,
                        baseline: float = 0.90, respondents: int = DEFAULT_N_PER_WAVE):
    r"""Sliders for what a service programme must achieve to pay for itself (case 8, part A).

    The programme costs :math:`C = \text{set-up} + \text{years} \times \text{running cost}`.  Each
    extra customer kept is worth one year's margin :math:`m` or its lifetime value with the course's
    convention, :math:`m\,r/(1+d-r)`; so the programme breaks even when it keeps
    :math:`N = C / \text{value}` extra customers, a rise of count retention of
    :math:`100\,N / (\text{years} \times \text{book})` points in each year.  The picture sets
    the two rises against the sampling noise of one survey wave: the half-width of the 95 %
    interval of a retention rate ``baseline`` measured on ``respondents`` customers,
    :math:`1.96\sqrt{p(1-p)/n}`.

    Parameters
    ----------
    setup_cost, running_cost : float
        US$; the running cost is a year's (initial slider value, 1-6 million).
    years, book : int
        Years of running cost and large customers in the book, >= 1.
    margin : float, default 14,000
        Yearly margin per customer kept (US$), initial slider value (5,000-30,000).
    retention, discount_rate : float
        Initial values of r (0.80-0.98) and d (0.05-0.20) for the lifetime value.
    baseline : float, default 0.90
        Today's count retention, in (0, 1).
    respondents : int, default 600
        Customers in one survey wave.

    Returns
    -------
    coursekit.widgets.Explorer
        ``results`` holds ``cost``, ``customers_margin``, ``customers_clv``, ``points_margin``,
        ``points_clv`` and ``noise_points``.

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as Assets", Journal of Interactive Marketing
       17(1), 9-24, 2003.

    Examples
    --------
    >>> ex = break_even_explorer(margin=20_000)
    >>> round(ex.results["customers_clv"], 1), round(ex.results["points_clv"], 2)
    (76.6, 0.64)
    >>> ex.set(retention=0.90)
    >>> round(ex.results["customers_clv"])
    100
    """
    setup = check_number("setup_cost", setup_cost, low=0)
    check_number("running_cost", running_cost, low=1.0e6, high=6.0e6)
    n_years = check_positive_int("years", years)
    n_book = check_positive_int("book", book)
    check_number("margin", margin, low=5_000, high=30_000)
    check_number("retention", retention, low=0.80, high=0.98)
    check_number("discount_rate", discount_rate, low=0.05, high=0.20)
    p = check_number("baseline", baseline, low=0, high=1, low_open=True, high_open=True)
    n_resp = check_positive_int("respondents", respondents)
    noise = 100 * 1.96 * float(np.sqrt(p * (1 - p) / n_resp))
    labels = [tr("1 year's\nmargin"), tr("lifetime\nvalue")]

    def draw(ax, artists, margin, retention, discount_rate, running_cost_m):
        cost = setup + n_years * running_cost_m * 1e6
        values = np.array([margin, margin * retention / (1 + discount_rate - retention)])
        customers = cost / values
        points = 100 * customers / (n_years * n_book)
        if not artists:
            artists["band"] = ax.axvspan(0, noise, color="0.88", zorder=0)
            ax.text(noise * 0.5, 1.45, tr("inside the noise\nof one wave"), ha="center", fontsize=8, color="0.35")
            artists["bars"] = ax.barh([0, 1], points, color=[plotting.PALETTE[0], plotting.PALETTE[1]], zorder=2)
            ax.set_yticks([0, 1], labels)
            ax.figure.subplots_adjust(left=0.16)
            ax.set_ylim(-0.6, 1.8)
            plotting.label(ax, tr("Rise of count retention needed to break even"), tr("Points a year"), tr("Valuation"))
        for bar, width in zip(artists["bars"], points, strict=True):
            bar.set_width(width)
        ax.set_xlim(0, max(8.0, float(points.max()) * 1.1))
        results = {"cost": cost, "customers_margin": float(customers[0]), "customers_clv": float(customers[1]),
                   "points_margin": float(points[0]), "points_clv": float(points[1]), "noise_points": noise}
        html = (tr("Cost over {years} years: <b>USD {cost} million</b>.").format(years=n_years,
                                                                                 cost=f"{cost / 1e6:.1f}")
                + "<br>" + tr("Break-even at one year's margin: {customers} extra customers, <b>{points}</b> points "
                              "a year.").format(customers=f"{customers[0]:,.0f}", points=f"{points[0]:.1f}")
                + "<br>" + tr("Break-even at lifetime value (USD {value} each): {customers} extra customers, "
                              "<b>{points}</b> points a year.").format(value=f"{values[1]:,.0f}",
                                                                      customers=f"{customers[1]:,.0f}",
                                                                      points=f"{points[1]:.2f}")
                + "<br>" + tr("One wave's 95% interval: &plusmn;{noise} points.").format(noise=f"{noise:.1f}"))
        return results, html

    controls = {
        "margin": float_slider(tr("Margin per customer (USD)"), float(margin), 5_000, 30_000, 1_000, ",.0f"),
        "retention": float_slider(tr("Retention r"), float(retention), 0.80, 0.98, 0.01, ".2f"),
        "discount_rate": float_slider(tr("Discount rate d"), float(discount_rate), 0.05, 0.20, 0.01, ".2f"),
        "running_cost_m": float_slider(tr("Running cost (USD m a year)"), float(running_cost) / 1e6, 1.0, 6.0, 0.5,
                                       ".1f"),
    }
    return Explorer(controls, draw)


#: Writers of this module's dataset: name -> writer(directory) returning the paths written.
DATASETS = {"hotline_survey": write_hotline_survey}

#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "case 8 hotline IPA explorer": (hotline_ipa_explorer, [{"wave": 1 + i % 3} for i in range(15)]),
    "case 8 break-even explorer (part A)": (break_even_explorer,
                                            [{"retention": 0.80 + 0.01 * i, "margin": 5_000 + 1_000 * i} for i in range(15)]),
}
