r"""The campaign dataset: a randomised retention campaign with a known true lift per segment.

:func:`make_campaign` simulates a retention campaign run on ``n_customers`` customers of a
subscription business.  Each customer belongs to one quadrant of the customer value matrix
(:mod:`coursekit.models.value_matrix`), drawn with the shares of :data:`CAMPAIGN_EFFECTS`.  Exactly half
of the customers (rounded down), chosen by a random permutation, get the campaign (complete
randomisation).  A customer of quadrant :math:`q` in arm :math:`a` is retained at the end of the
follow-up with probability :math:`p_{q,a}` -- the control rate of the quadrant plus, for the
treatment arm, the quadrant's true lift -- independently of everyone else.  The campaign works
best on quadrant II (low current value, high potential: the relationship can still be rebuilt)
and hardly at all on quadrant I.  Separate random streams spawned from
``numpy.random.SeedSequence(seed)`` draw the quadrants, the assignment and the outcomes.

:func:`write_campaign` writes the two files (declared as :class:`coursekit.tables.Table`
specs) byte for byte reproducibly; :func:`load_campaign` and :func:`load_campaign_truth` read
them back.  The A/B-test calculators that analyse it are in :mod:`coursekit.models.experiments`.

References
----------
.. [1] R. Kohavi, D. Tang and Y. Xu, *Trustworthy Online Controlled Experiments: A Practical
   Guide to A/B Testing*, Cambridge University Press, 2020.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursekit._validate import check_positive_int, check_seed
from coursekit.data.sampling import ids, streams
from coursekit.tables import Column, Table, write_tables

__all__ = [
    "CAMPAIGN_EFFECTS",
    "CAMPAIGN_SEED",
    "CAMPAIGN_N_CUSTOMERS",
    "CAMPAIGN_TABLE",
    "CAMPAIGN_TRUTH_TABLE",
    "CampaignData",
    "make_campaign",
    "write_campaign",
    "load_campaign",
    "load_campaign_truth",
]

#: True parameters of the campaign dataset, per quadrant of the customer value matrix: share of
#: customers, retention rate without the campaign (control) and true lift from the campaign.
CAMPAIGN_EFFECTS: pd.DataFrame = pd.DataFrame(
    {
        "quadrant": ["I", "II", "III", "IV"],
        "share": [0.40, 0.25, 0.20, 0.15],
        "p_control": [0.50, 0.60, 0.80, 0.85],
        "lift": [0.01, 0.08, 0.03, 0.05],
    }
)

CAMPAIGN_SEED = 20240615
CAMPAIGN_N_CUSTOMERS = 6000
_QUADRANTS = ("I", "II", "III", "IV")
_ARMS = ("control", "treatment")

#: ``campaign_customers.csv``: one row per customer of the experiment.
CAMPAIGN_TABLE = Table(
    "campaign_customers.csv",
    [
        Column("customer_id"),
        Column("quadrant", "category", categories=_QUADRANTS, ordered=True),
        Column("arm", "category", categories=_ARMS),
        Column("retained", "bool"),
    ],
)

#: ``campaign_truth.csv``: the true rates and lift per quadrant and overall (``"all"``).
CAMPAIGN_TRUTH_TABLE = Table(
    "campaign_truth.csv",
    [
        Column("quadrant"),
        Column("share", "float", decimals=4),
        Column("p_control", "float", decimals=4),
        Column("p_treated", "float", decimals=4),
        Column("true_lift", "float", decimals=4),
    ],
)


class CampaignData(NamedTuple):
    """The two frames of the campaign dataset.

    Attributes
    ----------
    customers : pandas.DataFrame
        One row per customer: ``customer_id``, ``quadrant``, ``arm``, ``retained``.
    truth : pandas.DataFrame
        True retention rates and lift per quadrant and overall.
    """

    customers: pd.DataFrame
    truth: pd.DataFrame


def _campaign_truth() -> pd.DataFrame:
    eff = CAMPAIGN_EFFECTS
    share = eff["share"].to_numpy()
    p_c = eff["p_control"].to_numpy()
    lift = eff["lift"].to_numpy()
    overall = [1.0, float(share @ p_c), float(share @ (p_c + lift)), float(share @ lift)]
    return pd.DataFrame(
        {
            "quadrant": pd.array(list(_QUADRANTS) + ["all"], dtype="str"),
            "share": np.append(share, overall[0]),
            "p_control": np.append(p_c, overall[1]),
            "p_treated": np.append(p_c + lift, overall[2]),
            "true_lift": np.append(lift, overall[3]),
        }
    )


def make_campaign(n_customers=CAMPAIGN_N_CUSTOMERS, seed=CAMPAIGN_SEED) -> CampaignData:
    """Simulate a randomised retention campaign with a known true lift per quadrant.

    The generative model is set out in the module docstring; its parameters are
    :data:`CAMPAIGN_EFFECTS`.  The same arguments give identical frames on every run.

    Parameters
    ----------
    n_customers : int, default 6000
        Customers in the experiment, a whole number >= 2.
    seed : int, default 20240615
        Seed of the random number generator, a whole number >= 0.

    Returns
    -------
    CampaignData
        ``customers``: ``customer_id`` (str, ``"K00001"`` ...), ``quadrant`` (ordered
        categorical I < II < III < IV), ``arm`` (categorical control / treatment), ``retained``
        (bool); ``truth``: one row per quadrant and a row ``"all"`` with ``share`` (population
        share), ``p_control``, ``p_treated`` and ``true_lift`` (the "all" row is the
        share-weighted average, i.e. the expected lift of the whole population).

    Raises
    ------
    ValueError
        If ``n_customers < 2`` or ``seed < 0``.
    TypeError
        If an argument is not a whole number.

    References
    ----------
    .. [1] R. Kohavi, D. Tang and Y. Xu, *Trustworthy Online Controlled Experiments*,
       Cambridge University Press, 2020.

    Examples
    --------
    >>> data = make_campaign(n_customers=1000, seed=1)
    >>> data.customers["arm"].value_counts().sort_index().tolist()
    [500, 500]
    >>> data.truth.loc[4, "quadrant"], round(float(data.truth.loc[4, "true_lift"]), 4)
    ('all', 0.0375)
    """
    n = check_positive_int("n_customers", n_customers)
    if n < 2:
        raise ValueError(f"n_customers must be an integer >= 2 (one per arm at least), got {n}")
    seed = check_seed(seed)
    rng_q, rng_arm, rng_out = streams(seed, 3)
    eff = CAMPAIGN_EFFECTS
    quadrant = rng_q.choice(len(_QUADRANTS), size=n, p=eff["share"].to_numpy())
    treated = (rng_arm.permutation(n) < n // 2).astype(np.int8)
    p = eff["p_control"].to_numpy()[quadrant] + treated * eff["lift"].to_numpy()[quadrant]
    retained = rng_out.random(n) < p
    customers = pd.DataFrame(
        {
            "customer_id": pd.array(ids("K", n, 5), dtype="str"),
            "quadrant": pd.Categorical.from_codes(quadrant, dtype=pd.CategoricalDtype(list(_QUADRANTS), ordered=True)),
            "arm": pd.Categorical.from_codes(treated, categories=list(_ARMS)),
            "retained": retained,
        }
    )
    return CampaignData(customers=customers, truth=_campaign_truth())


def write_campaign(directory, data: CampaignData | None = None) -> list[Path]:
    """Write the campaign dataset as ``campaign_customers.csv`` and ``campaign_truth.csv``.

    Every column is formatted explicitly by its :class:`~coursekit.tables.Table` spec
    (``True``/``False`` flags, rates with 4 decimals), so the bytes depend only on the data.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; created if it does not exist.
    data : CampaignData, optional
        Frames to write; by default ``make_campaign()`` with its default arguments.

    Returns
    -------
    list of pathlib.Path
        Paths of ``campaign_customers.csv`` and ``campaign_truth.csv``.

    Raises
    ------
    TypeError
        If ``directory`` is not a path or ``data`` is not a :class:`CampaignData`.
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
    ...     paths = write_campaign(tmp, make_campaign(n_customers=10, seed=3))
    ...     print([p.name for p in paths])
    ...     print(paths[0].read_text().splitlines()[0])
    ['campaign_customers.csv', 'campaign_truth.csv']
    customer_id,quadrant,arm,retained
    """
    return write_tables(directory, data, CampaignData, make_campaign, (CAMPAIGN_TABLE, CAMPAIGN_TRUTH_TABLE))


def load_campaign(directory=None) -> pd.DataFrame:
    """Load the customers of the campaign dataset.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``campaign_customers.csv``; :func:`coursekit.tables.data_dir` by
        default.

    Returns
    -------
    pandas.DataFrame
        One row per customer: ``customer_id`` (str), ``quadrant`` (ordered categorical
        I < II < III < IV), ``arm`` (categorical: control, treatment), ``retained`` (bool).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file's header or values are not those of the dataset.

    References
    ----------
    .. [1] R. Kohavi, D. Tang and Y. Xu, *Trustworthy Online Controlled Experiments*,
       Cambridge University Press, 2020.

    Examples
    --------
    >>> from coursekit.models.experiments import ab_test_table
    >>> campaign = load_campaign()
    >>> campaign.shape
    (6000, 4)
    >>> ab_test_table(campaign)[["lift", "ci_low", "ci_high", "z"]].round(4)
         lift  ci_low  ci_high       z
    all  0.05   0.026   0.0739  4.0812
    >>> ab_test_table(campaign, by="quadrant")[["lift", "ci_low", "ci_high", "p_value"]].round(4)
                lift  ci_low  ci_high  p_value
    quadrant
    I         0.0271 -0.0130   0.0671   0.1857
    II        0.0897  0.0407   0.1380   0.0003
    III       0.0379 -0.0056   0.0811   0.0873
    IV        0.0651  0.0241   0.1070   0.0018
    """
    return CAMPAIGN_TABLE.read(directory)


def load_campaign_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the campaign dataset.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``campaign_truth.csv``; :func:`coursekit.tables.data_dir` by default.

    Returns
    -------
    pandas.DataFrame
        One row per quadrant I--IV and a row ``"all"``: ``quadrant`` (str), ``share``,
        ``p_control``, ``p_treated``, ``true_lift`` (floats, rates).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file's header is not that of the dataset.

    References
    ----------
    .. [1] R. Kohavi, D. Tang and Y. Xu, *Trustworthy Online Controlled Experiments*,
       Cambridge University Press, 2020.

    Examples
    --------
    >>> load_campaign_truth().set_index("quadrant")["true_lift"].tolist()
    [0.01, 0.08, 0.03, 0.05, 0.0375]
    """
    return CAMPAIGN_TRUTH_TABLE.read(directory)
