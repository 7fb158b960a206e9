r"""Chapter 2 explorers: the matching threshold and the churn early warning.

Both explorers work on the course's customer database (:mod:`coursekit.crm`)
and score their answer against the truth kept in the answer files
(:mod:`coursekit.data.crm_sources`), which a real firm never has.

* :func:`matching_explorer` -- a slider for the score at which two records are
  taken to be the same person (:func:`coursekit.crm.matching.match`).  The candidate
  pairs and their scores are computed once; each move re-links the pairs at or
  above the threshold, takes the connected components as customers and
  reports the pairwise precision and recall
  (:func:`coursekit.crm.matching.match_quality`) and the number of customers after
  merging.  The picture shows precision, recall and the number of customers
  for every threshold of the slider, with the current one marked.
* :func:`early_warning_explorer` -- the churn early-warning list
  (:func:`coursekit.models.purchases.overdue`): a customer is flagged when the
  silence since the last purchase exceeds ``tolerance`` times the customer's
  own purchase cycle.  A second slider sets one fixed cut-off in days for
  everybody, the rule the own-cycle list replaces.  The picture plots every
  customer's cycle against the days since the last purchase, true churners
  in another colour, with both rules as lines; the summary counts how many
  customers each rule flags and how many true churners it catches.

Called without data, each explorer builds the course database once (a few
seconds) and reuses it; a notebook that already holds the data passes it in.

Examples
--------
>>> ex = matching_explorer()
>>> ex.results["customers"], round(ex.results["precision"], 4), round(ex.results["recall"], 4)
(2199, 0.9989, 0.9059)
>>> ex.set(threshold=10.0)                       # only very strong evidence links two records
>>> ex.results["customers"], round(ex.results["recall"], 3)
(4006, 0.13)
>>> ew = early_warning_explorer()
>>> ew.results["flagged"], ew.results["caught"], ew.results["churners"]
(511, 471, 471)
>>> ew.set(tolerance=3.0)
>>> ew.results["flagged"], ew.results["caught"]
(450, 447)
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FormatStrFormatter, MultipleLocator, NullFormatter, NullLocator
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from coursekit import crm, plotting
from coursekit._validate import check_date, check_number
from coursekit.crm.schema import REFERENCE_DATE
from coursekit.data.crm_answers import load_crm_identity, load_crm_people
from coursekit.language import tr
from coursekit.models import purchases as _purchases
from coursekit.widgets._core import Explorer
from coursekit.widgets._core import float_slider as _float_slider
from coursekit.widgets._core import int_slider as _int_slider

__all__ = ["matching_explorer", "early_warning_explorer", "BENCH"]

#: Range and step of the matching-threshold slider (score points).
THRESHOLD_RANGE = (-6.0, 22.0, 0.5)
_X_TICKS = (2, 5, 10, 20, 50, 100)
_Y_TICKS = (1, 3, 10, 30, 100, 300)
_CONTACT_COLUMNS = ["source", "source_row_id", "name_key", "phone", "email", "birth_date", "city"]


# --------------------------------------------------------------------------- course data
@functools.lru_cache(maxsize=1)
def _course_data():
    """Contacts, true person ids, per-customer cycles and churn flags of the course database."""
    con = crm.build_database()
    try:
        contacts = crm.query(
            con,
            "SELECT source, source_row_id, customer_id, name, phone, email, birth_date, city "
            "FROM contacts ORDER BY rowid",
        )
        orders = crm.query(con, "SELECT customer_id, order_date FROM orders")
    finally:
        con.close()
    contacts["birth_date"] = pd.to_datetime(contacts["birth_date"])
    contacts["name_key"] = crm.name_key(contacts["name"])
    truth = crm.true_person_ids(contacts)
    cycles = _purchases.purchase_cycles(orders, by="customer_id")
    people = load_crm_people().set_index("person_id")["churn_date"]
    persons = contacts[["source", "source_row_id", "customer_id"]].merge(
        load_crm_identity(), on=["source", "source_row_id"], how="left"
    )
    churned = persons["person_id"].map(people).notna().groupby(persons["customer_id"]).any()
    return contacts, truth, cycles, churned


# --------------------------------------------------------------------------- matching
def _check_contacts(contacts) -> pd.DataFrame:
    if not isinstance(contacts, pd.DataFrame):
        raise TypeError(f"contacts must be a pandas DataFrame of standardised records, got {type(contacts).__name__}")
    absent = [c for c in _CONTACT_COLUMNS if c not in contacts.columns]
    if absent:
        raise ValueError(f"contacts must have the columns {_CONTACT_COLUMNS}; missing {absent}")
    if len(contacts) < 2:
        raise ValueError(f"contacts must hold at least two records to match, got {len(contacts)}")
    return contacts.reset_index(drop=True)


def _labels(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components of the graph with the given edges, numbered by first appearance."""
    graph = sparse.coo_matrix((np.ones(left.size), (left, right)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=False)
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(np.argsort(first))] = np.arange(first.size)
    return rank[labels]


def _pair_count(codes: np.ndarray) -> int:
    """Number of pairs of elements sharing a code: the sum of n(n-1)/2 over the distinct codes."""
    _, counts = np.unique(codes, return_counts=True)
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def _quality(labels: np.ndarray, person: np.ndarray, n_people: int):
    """(precision, recall, customers) of a clustering, by pair counting (as match_quality)."""
    tp = _pair_count(labels * n_people + person)
    predicted = _pair_count(labels)
    true = _pair_count(person)
    precision = tp / predicted if predicted else np.nan
    recall = tp / true if true else np.nan
    return precision, recall, int(labels.max()) + 1


def _grid() -> np.ndarray:
    lo, hi, step = THRESHOLD_RANGE
    return lo + step * np.arange(int(round((hi - lo) / step)) + 1)


def _matching_draw(data):
    n, left, right, score, person, n_people, truth = (
        data[k] for k in ("n", "left", "right", "score", "person", "n_people", "truth")
    )
    grid = data["grid"]

    def draw(ax, artists, threshold):
        keep = score >= threshold
        labels = _labels(n, left[keep], right[keep])
        quality = crm.match_quality(labels, truth)
        customers = int(labels.max()) + 1
        if not artists:
            (p_line,) = ax.plot(grid, data["precision"], color=plotting.PALETTE[0], label=tr("precision"),
                                drawstyle="steps-pre")
            (r_line,) = ax.plot(grid, data["recall"], color=plotting.PALETTE[1], label=tr("recall"),
                                drawstyle="steps-pre")
            artists["cut"] = ax.axvline(threshold, color="0.3", linestyle="--", linewidth=1.2,
                                        label=tr("threshold"))
            (artists["dots"],) = ax.plot([threshold, threshold], [0, 0], "o", color="0.2", markersize=5)
            ax.set_xlim(grid[0], grid[-1])
            ax.set_ylim(0, 1.05)
            ax.xaxis.set_major_locator(MultipleLocator(4))
            ax.yaxis.set_major_locator(MultipleLocator(0.25))
            plotting.percent_axis(ax)
            plotting.label(ax, tr("Matching threshold: pairwise precision and recall"),
                           tr("Threshold (score points)"), tr("Precision / recall"))
            ax.legend(handles=[p_line, r_line], loc="lower left", fontsize=9)
        artists["cut"].set_xdata([threshold, threshold])
        artists["dots"].set_data([threshold, threshold], [quality.precision, quality.recall])
        linked = int(keep.sum())
        results = {
            "threshold": float(threshold),
            "customers": customers,
            "people": n_people,
            "records": n,
            "candidate_pairs": int(score.size),
            "all_pairs": n * (n - 1) // 2,
            "linked_pairs": linked,
            "precision": quality.precision,
            "recall": quality.recall,
            "f1": quality.f1,
            "false_pairs": quality.false_positives,
            "missed_pairs": quality.false_negatives,
            "labels": labels,
        }
        precision = tr("n/a (no pair linked)") if np.isnan(quality.precision) else f"{quality.precision:.2%}"
        html = (
            tr("{records} records; blocking compares {candidates} candidate pairs instead of all {all}.").format(
                records=f"{n:,}", candidates=f"{score.size:,}", all=f"{results['all_pairs']:,}")
            + "<br>" + tr("At threshold <b>{threshold}</b>: {linked} pairs linked &rarr; <b>{customers} customers</b> "
                          "(answer file: {people} people).").format(
                threshold=f"{threshold:g}", linked=f"{linked:,}", customers=f"{customers:,}", people=f"{n_people:,}")
            + "<br>" + tr("Pairwise precision <b>{precision}</b> ({false} pairs of different people merged); "
                          "recall <b>{recall}</b> ({missed} pairs of the same person left apart).").format(
                precision=precision, false=f"{quality.false_positives:,}", recall=f"{quality.recall:.2%}",
                missed=f"{quality.false_negatives:,}")
        )
        return results, html

    return draw


def matching_explorer(contacts=None, truth=None, threshold=crm.THRESHOLD) -> Explorer:
    """A slider for the matching threshold, scored against the true identities.

    Parameters
    ----------
    contacts : pandas.DataFrame, optional
        Standardised contact records with a RangeIndex and the columns
        ``source``, ``source_row_id``, ``name_key``, ``phone``, ``email``,
        ``birth_date`` (datetime64), ``city`` -- for example
        ``database.clean(database.extract()).contacts``, or the ``contacts``
        table of the course database with ``name_key`` added.  By default the
        course database is built and its contacts are used.
    truth : pandas.Series or array-like, optional
        The true person of each record, aligned with ``contacts``, no missing
        values; by default :func:`coursekit.crm.matching.true_person_ids`.
    threshold : float, default :data:`coursekit.crm.matching.THRESHOLD`
        Starting threshold, within :data:`THRESHOLD_RANGE`.

    Returns
    -------
    Explorer
        ``results`` holds ``customers``, ``precision``, ``recall``, ``f1``,
        ``false_pairs``, ``missed_pairs``, ``linked_pairs``,
        ``candidate_pairs``, ``all_pairs`` and the cluster ``labels``.

    References
    ----------
    .. [1] I. P. Fellegi and A. B. Sunter, "A theory for record linkage",
       Journal of the American Statistical Association 64(328), 1183-1210, 1969.
    .. [2] P. Christen, *Data Matching*, Springer, 2012, chapter 7 (evaluation of
       matching quality).
    """
    if contacts is None:
        contacts, default_truth, _, _ = _course_data()
        truth = default_truth if truth is None else truth
    contacts = _check_contacts(contacts)
    if truth is None:
        truth = crm.true_person_ids(contacts)
    truth = pd.Series(np.asarray(truth, dtype=object))
    if len(truth) != len(contacts):
        raise ValueError(f"truth must hold one person per record ({len(contacts)}), got {len(truth)}")
    if truth.isna().any():
        raise ValueError("truth must not hold missing values; drop the records without a known person first")
    lo, hi, step = THRESHOLD_RANGE
    threshold = check_number("threshold", threshold, low=lo, high=hi)
    scored = crm.score_pairs(contacts, crm.candidate_pairs(contacts))
    person, people = pd.factorize(truth)
    data = {
        "n": len(contacts),
        "left": scored["left"].to_numpy(),
        "right": scored["right"].to_numpy(),
        "score": scored["score"].to_numpy(),
        "person": person.astype(np.int64),
        "n_people": len(people),
        "truth": truth,
        "grid": _grid(),
    }
    # The clustering changes only where a threshold passes a score: evaluate each distinct link set once.
    order = np.argsort(-data["score"], kind="stable")
    ranked = data["score"][order]
    n_linked = np.searchsorted(-ranked, -data["grid"], side="right")
    cache = {}
    for k in np.unique(n_linked):
        links = order[:k]
        cache[k] = _quality(_labels(data["n"], data["left"][links], data["right"][links]), data["person"], data["n_people"])
    curves = np.array([cache[k] for k in n_linked], dtype=float)
    data["precision"], data["recall"], data["customers"] = curves[:, 0], curves[:, 1], curves[:, 2]
    controls = {"threshold": _float_slider(tr("Match threshold (points)"), threshold, lo, hi, step, ".1f")}
    return Explorer(controls, _matching_draw(data))


# --------------------------------------------------------------------------- early warning
def _check_cycles(cycles) -> pd.DataFrame:
    if not isinstance(cycles, pd.DataFrame):
        raise TypeError(f"cycles must be a pandas DataFrame (the output of purchase_cycles), got {type(cycles).__name__}")
    absent = [c for c in ("last_purchase", "cycle_days") if c not in cycles.columns]
    if absent:
        raise ValueError(f"cycles must have the columns ['last_purchase', 'cycle_days'] (purchase_cycles); missing {absent}")
    if isinstance(cycles.index, pd.MultiIndex):
        raise ValueError("cycles must have one row per customer (purchase_cycles(orders, by='customer_id'))")
    return cycles


def _early_warning_draw(data):
    known, churned, as_of = data["known"], data["churned"], data["as_of"]
    cycle = known["cycle_days"].to_numpy(dtype=float)
    silent = data["silent"]
    n_churners = int(churned.sum())
    x_line = np.array([data["x_lo"], data["x_hi"]])

    def draw(ax, artists, tolerance, cutoff_days):
        listed = _purchases.overdue(known, as_of, tolerance)
        on_list = known.index.isin(listed.index)
        fixed = silent > cutoff_days
        rules = {}
        own_wait = tolerance * cycle
        fixed_wait = np.full(cycle.size, float(cutoff_days))
        for name, flag, wait in (("own", on_list, own_wait), ("fixed", fixed, fixed_wait)):
            caught = int((flag & churned).sum())
            rules[name] = {
                # days from a caught churner's last purchase until the rule raises the alarm
                "alarm_after_days": float(np.median(wait[flag & churned])) if caught else np.nan,
                "flagged": int(flag.sum()),
                "caught": caught,
                "false_alarms": int((flag & ~churned).sum()),
                "recall": caught / n_churners if n_churners else np.nan,
                "precision": caught / int(flag.sum()) if flag.any() else np.nan,
            }
        if not artists:
            ax.scatter(cycle[~churned], silent[~churned], s=7, alpha=0.45, color=plotting.PALETTE[0],
                       linewidths=0, label=tr("still buying"))
            ax.scatter(cycle[churned], silent[churned], s=7, alpha=0.6, color=plotting.PALETTE[1],
                       linewidths=0, label=tr("churned"))
            (artists["own"],) = ax.plot(x_line, tolerance * x_line, color="0.15", linestyle="--", linewidth=1.5,
                                        label=tr("own-cycle rule"))
            artists["fixed"] = ax.axhline(cutoff_days, color=plotting.PALETTE[2], linestyle="-.", linewidth=1.5,
                                          label=tr("fixed cut-off"))
            ax.set_xscale("log")
            ax.set_yscale("log")
            # Few fixed ticks and no minor labels: a log axis otherwise labels every minor tick.
            for axis, ticks in ((ax.xaxis, _X_TICKS), (ax.yaxis, _Y_TICKS)):
                axis.set_major_locator(FixedLocator(ticks))
                axis.set_major_formatter(FormatStrFormatter("%g"))
                axis.set_minor_locator(NullLocator())
                axis.set_minor_formatter(NullFormatter())
            ax.set_xlim(*x_line)
            ax.set_ylim(data["y_lo"], data["y_hi"])
            plotting.label(ax, tr("Churn early warning: silence against own purchase cycle"),
                           tr("Own purchase cycle (median gap, days)"),
                           tr("Days since last purchase at {date}").format(date=f"{as_of.date()}"))
            ax.legend(loc="lower right", fontsize=8, markerscale=2)
        artists["own"].set_ydata(tolerance * x_line)
        artists["fixed"].set_ydata([cutoff_days, cutoff_days])
        own, fix = rules["own"], rules["fixed"]
        results = {
            "tolerance": float(tolerance),
            "cutoff_days": int(cutoff_days),
            "judged": int(len(known)),
            "not_judged": data["not_judged"],
            "churners": n_churners,
            "flagged": own["flagged"],
            "caught": own["caught"],
            "false_alarms": own["false_alarms"],
            "recall": own["recall"],
            "precision": own["precision"],
            "fixed_flagged": fix["flagged"],
            "fixed_caught": fix["caught"],
            "fixed_false_alarms": fix["false_alarms"],
            "fixed_recall": fix["recall"],
            "fixed_precision": fix["precision"],
            "alarm_after_days": own["alarm_after_days"],
            "fixed_alarm_after_days": fix["alarm_after_days"],
            "listed": listed,
        }

        def line(label, r):
            text = tr("<b>{rule}</b>: {flagged} flagged, catches <b>{caught}</b> of {churners} churners ({recall}); "
                      "{false_alarms} false alarms").format(
                rule=label, flagged=f"{r['flagged']:,}", caught=f"{r['caught']:,}", churners=f"{n_churners:,}",
                recall=f"{r['recall']:.0%}", false_alarms=f"{r['false_alarms']:,}")
            if r["caught"]:
                text += tr("; alarm {days} days after the last purchase (median)").format(
                    days=f"{r['alarm_after_days']:.0f}")
            return text

        html = (
            tr("{customers} customers with a purchase cycle on {date} ({not_judged} with too few purchases "
               "to judge).").format(customers=f"{len(known):,}", date=f"{as_of.date()}",
                                    not_judged=f"{data['not_judged']:,}")
            + "<br>" + line(tr("Silent &gt; {tolerance} &times; own cycle").format(tolerance=f"{tolerance:g}"), own)
            + "<br>" + line(tr("Silent &gt; {days} days").format(days=f"{cutoff_days:g}"), fix)
        )
        return results, html

    return draw


def early_warning_explorer(cycles=None, churned=None, as_of=REFERENCE_DATE, tolerance=1.5, cutoff_days=60) -> Explorer:
    """Sliders for the early-warning tolerance and a fixed cut-off, scored against true churners.

    Parameters
    ----------
    cycles : pandas.DataFrame, optional
        One row per customer, the output of
        ``purchases.purchase_cycles(orders, by="customer_id")`` on the orders up
        to ``as_of``.  By default the orders of the course database.
    churned : pandas.Series of bool, optional
        Whether each customer truly churned (from the answer file), indexed by
        customer; must cover every customer of ``cycles`` that has a cycle.
        By default from :func:`coursekit.data.crm_sources.load_crm_people`.
    as_of : str or Timestamp, default "2024-01-01"
        Day of the assessment.
    tolerance : float, default 1.5
        Silence, in own cycles, beyond which a customer is listed (0.5 to 8).
    cutoff_days : int, default 60
        The fixed rule's silence in days (5 to 400).

    Returns
    -------
    Explorer
        ``results`` holds, for the own-cycle rule, ``flagged``, ``caught``,
        ``false_alarms``, ``recall``, ``precision`` and the ``listed``
        customers, the same with the prefix ``fixed_`` for the fixed rule,
        ``churners``, ``judged`` and ``not_judged``.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management Science
       33(1), 1-24, 1987.
    """
    if cycles is None:
        _, _, default_cycles, default_churned = _course_data()
        cycles = default_cycles
        churned = default_churned if churned is None else churned
    cycles = _check_cycles(cycles)
    if churned is None:
        raise ValueError("churned must be given with cycles: a boolean Series of true churners by customer")
    if not isinstance(churned, pd.Series):
        raise TypeError(f"churned must be a pandas Series of booleans indexed by customer, got {type(churned).__name__}")
    tolerance = check_number("tolerance", tolerance, low=0.5, high=8.0)
    cutoff_days = check_number("cutoff_days", cutoff_days, low=5.0, high=400.0)
    if cutoff_days != int(cutoff_days):
        raise ValueError(f"cutoff_days must be a whole number of days, got {cutoff_days:g}")
    day = check_date("as_of", as_of)
    known = cycles[cycles["cycle_days"].notna()]
    if len(known) == 0:
        raise ValueError("cycles must hold at least one customer with a cycle (cycle_days not missing)")
    missing = known.index.difference(churned.index)
    if len(missing):
        raise ValueError(f"churned must cover every customer with a cycle; missing {list(missing[:3])} ...")
    flags = churned.reindex(known.index).astype(bool).to_numpy()
    silent = ((day - known["last_purchase"].dt.normalize()) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    if (silent < 0).any():
        raise ValueError(f"as_of must be on or after every last purchase, got {day.date()}")
    cycle = known["cycle_days"].to_numpy(dtype=float)
    data = {
        "known": known,
        "churned": flags,
        "as_of": day,
        "silent": silent,
        "not_judged": int(len(cycles) - len(known)),
        "x_lo": 0.8 * float(cycle.min()),
        "x_hi": 1.25 * float(cycle.max()),
        "y_lo": 0.8 * max(float(silent.min()), 1.0),
        "y_hi": 1.25 * max(float(silent.max()), 400.0),
    }
    controls = {
        "tolerance": _float_slider(tr("Tolerance (own cycles)"), float(tolerance), 0.5, 8.0, 0.1, ".1f"),
        "cutoff_days": _int_slider(tr("Fixed cut-off (days)"), int(cutoff_days), 5, 400, 5),
    }
    return Explorer(controls, _early_warning_draw(data))


#: Slider moves that ``make bench`` replays to time each explorer's redraw.
BENCH = {
    "matching-threshold explorer": (
        matching_explorer, [{"threshold": -5.0 + 1.5 * i} for i in range(15)],
    ),
    "early-warning explorer": (
        early_warning_explorer,
        [{"tolerance": 0.6 + 0.45 * i, "cutoff_days": 20 + 25 * i} for i in range(15)],
    ),
}
