r"""Matching (record linkage, 客户识别): which records of Chapter 2's sources describe the same person.

Comparing every record with every other costs :math:`n(n-1)/2` comparisons.
:func:`candidate_pairs` compares only records that share a blocking key
(:data:`BLOCKING_KEYS`), which keeps the work near linear; :func:`score_pairs` adds the
evidence of each field in the spirit of Fellegi and Sunter (:data:`WEIGHTS`); :func:`match`
links the pairs that score at least :data:`THRESHOLD` and returns the connected components
of the links as the customers.  :func:`match_quality` measures a clustering against the
truth, which :func:`true_person_ids` reads from the answer file the course's generator
writes (a real firm has no such file).

References
----------
.. [1] I. P. Fellegi and A. B. Sunter, "A theory for record linkage", Journal of the
   American Statistical Association 64(328), 1183-1210, 1969.
.. [2] P. Christen, *Data Matching: Concepts and Techniques for Record Linkage, Entity
   Resolution, and Duplicate Detection*, Springer, 2012.

Examples
--------
>>> q = match_quality([0, 0, 1], ["a", "a", "b"])
>>> q.precision, q.recall
(1.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from coursekit._validate import check_frame, check_number, check_positive_int
from coursekit.crm.normalise import HAN_PATTERN, name_similarity
from coursekit.crm.schema import IDENTITY_TABLE, crm_dir

__all__ = [
    "MatchQuality",
    "BLOCKING_KEYS",
    "WEIGHTS",
    "THRESHOLD",
    "NAME_SIMILAR",
    "block_keys",
    "candidate_pairs",
    "score_pairs",
    "match",
    "true_person_ids",
    "match_quality",
]

_NS = "datetime64[ns]"

#: Blocking keys tried by :func:`candidate_pairs`.
BLOCKING_KEYS: tuple[str, ...] = ("phone", "email", "name_birth_year", "name_phone_head", "name_phone_tail")

#: Evidence weights of :func:`score_pairs` (log-odds style points).
WEIGHTS: dict[str, float] = {
    "name_exact": 3.0,
    "name_similar": 2.0,
    "name_different": -3.0,
    "phone_exact": 6.0,
    "phone_one_digit": 3.0,
    "phone_different": -1.0,
    "email_exact": 6.0,
    "email_different": -1.0,
    "birth_date_exact": 4.0,
    "birth_date_different": -4.0,
    "city_same": 0.5,
    "city_different": -1.0,
}
#: Score at or above which two records are taken to be the same person.
THRESHOLD = 5.0
#: q-gram Jaccard similarity at or above which two different names count as a typo.
NAME_SIMILAR = 0.55


@dataclass(frozen=True)
class MatchQuality:
    """Pairwise quality of a clustering of records against the truth.

    A pair of records is *predicted* when both are in one cluster and *true*
    when both belong to one person.

    Attributes
    ----------
    precision, recall, f1 : float
        :math:`TP / (TP + FP)`, :math:`TP / (TP + FN)` and their harmonic
        mean (NaN when a denominator is 0).
    true_positives, false_positives, false_negatives : int
        Numbers of record pairs.
    n_records, n_clusters, n_people : int
        Records compared, predicted clusters, true people.
    """

    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int
    n_records: int
    n_clusters: int
    n_people: int


def _check_contacts(contacts) -> pd.DataFrame:
    check_frame("contacts", contacts, ["name_key", "phone", "email", "birth_date", "city"])
    if not isinstance(contacts.index, pd.RangeIndex) or contacts.index.start != 0 or contacts.index.step != 1:
        raise ValueError("contacts must have a default RangeIndex 0..n-1 (use .reset_index(drop=True))")
    return contacts


def block_keys(contacts: pd.DataFrame, key: str) -> pd.Series:
    """Return the blocking key ``key`` (one of :data:`BLOCKING_KEYS`) of every record, missing where it is.

    Records with equal keys fall into one block and are compared (see :func:`candidate_pairs`).

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"name_key": ["fang wang"], "phone": ["13812345678"], "email": [None],
    ...                     "birth_date": pd.to_datetime(["1985-03-02"]), "city": [None]})
    >>> block_keys(toy, "name_birth_year").tolist(), block_keys(toy, "name_phone_tail").tolist()
    (['fang wang|1985'], ['fang wang|5678'])
    """
    name = contacts["name_key"].astype("str")
    phone = contacts["phone"].astype("str")
    if key == "phone":
        return phone
    if key == "email":
        return contacts["email"].astype("str")
    if key == "name_birth_year":
        year = pd.to_datetime(contacts["birth_date"]).dt.year
        return name + "|" + year.astype("Int64").astype("str").where(year.notna())
    if key == "name_phone_head":
        return name + "|" + phone.str.slice(0, 7)
    if key == "name_phone_tail":
        return name + "|" + phone.str.slice(-4)
    raise ValueError(f"keys must be among {list(BLOCKING_KEYS)}, got {key!r}")


def _pairs_in_blocks(codes: np.ndarray, max_block_size: int | None):
    """All pairs (i < j) of records sharing a code (codes < 0 are missing)."""
    valid = np.flatnonzero(codes >= 0)
    order = valid[np.argsort(codes[valid], kind="stable")]
    c = codes[order]
    if c.size < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64), 0
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    sizes = np.diff(np.r_[starts, c.size])
    skipped = 0
    if max_block_size is not None:
        too_big = sizes > max_block_size
        skipped = int(too_big.sum())
    else:
        too_big = np.zeros(sizes.size, dtype=bool)
    group = np.repeat(np.arange(starts.size), sizes)
    pos = np.arange(c.size) - starts[group]
    later = np.where(too_big[group], 0, sizes[group] - pos - 1)
    left = np.repeat(np.arange(c.size), later)
    offset = np.arange(left.size) - np.repeat(np.cumsum(later) - later, later) + 1
    i, j = order[left], order[left + offset]
    return np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64), skipped


def candidate_pairs(contacts: pd.DataFrame, keys=BLOCKING_KEYS, max_block_size: int | None = None) -> pd.DataFrame:
    r"""Candidate pairs of records by blocking: only records sharing a key are compared.

    Comparing every record with every other costs :math:`n(n-1)/2`
    comparisons -- 5 billion for 100,000 records.  Blocking compares only
    records that agree exactly on at least one key:

    * ``phone`` -- the normalised phone number;
    * ``email`` -- the normalised e-mail address;
    * ``name_birth_year`` -- name key and year of birth;
    * ``name_phone_head`` / ``name_phone_tail`` -- name key and the first
      seven / last four digits of the phone, which catch a phone number with
      one wrong digit (the wrong digit spoils at most one of the two).

    Parameters
    ----------
    contacts : pandas.DataFrame
        Standardised records (:func:`coursekit.crm.cleaning.clean` or
        :func:`coursekit.crm.cleaning.clean_contacts`) with a
        RangeIndex.
    keys : sequence of str, default :data:`BLOCKING_KEYS`
        Blocking keys to use.
    max_block_size : int, optional
        Skip blocks with more records than this (a guard against keys such
        as a shop's own phone number typed for many customers); no limit by
        default.

    Returns
    -------
    pandas.DataFrame
        One row per distinct pair: ``left`` < ``right`` (int64 positions in
        ``contacts``) and a boolean column ``by_<key>`` per key telling which
        keys the pair shares; sorted by ``left``, ``right``.

    References
    ----------
    .. [1] P. Christen, "A survey of indexing techniques for scalable record
       linkage and deduplication", IEEE Transactions on Knowledge and Data
       Engineering 24(9), 1537-1555, 2012.

    Examples
    --------
    >>> from coursekit.crm.cleaning import clean, extract
    >>> contacts = clean(extract()).contacts
    >>> pairs = candidate_pairs(contacts)
    >>> len(pairs), len(contacts) * (len(contacts) - 1) // 2
    (3542, 10226503)
    >>> int(pairs["by_phone"].sum()), int(pairs["by_email"].sum())
    (2975, 989)
    """
    contacts = _check_contacts(contacts)
    if isinstance(keys, str):
        keys = [keys]
    keys = list(keys)
    if not keys or any(k not in BLOCKING_KEYS for k in keys) or len(set(keys)) != len(keys):
        raise ValueError(f"keys must be distinct names among {list(BLOCKING_KEYS)}, got {keys!r}")
    if max_block_size is not None:
        max_block_size = check_positive_int("max_block_size", max_block_size)
        if max_block_size < 2:
            raise ValueError(f"max_block_size must be at least 2 (a pair), got {max_block_size}")
    n = len(contacts)
    found = []
    for key in keys:
        codes, _ = pd.factorize(block_keys(contacts, key))
        i, j, _ = _pairs_in_blocks(codes, max_block_size)
        found.append(np.unique(i * n + j))
    union = np.unique(np.concatenate(found)) if found else np.empty(0, np.int64)
    out = pd.DataFrame({"left": union // max(n, 1), "right": union % max(n, 1)})
    for key, codes in zip(keys, found, strict=True):
        out[f"by_{key}"] = np.isin(union, codes, assume_unique=True)
    return out


def _one_digit_apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Phones of equal length that differ in exactly one digit."""
    out = np.zeros(a.size, dtype=bool)
    la = np.array([len(x) for x in a]) if a.size else np.zeros(0, int)
    lb = np.array([len(x) for x in b]) if b.size else np.zeros(0, int)
    same = la == lb
    if same.any():
        width = int(la[same].max())
        aa = np.array(a[same], dtype=f"S{width}").view(np.uint8).reshape(-1, width)
        bb = np.array(b[same], dtype=f"S{width}").view(np.uint8).reshape(-1, width)
        out[same] = (aa != bb).sum(axis=1) == 1
    return out


def _anagrams(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Names made of the same letters (a transposition typo such as "Jnu" for "Jun")."""
    codes, uniques = pd.factorize(np.concatenate([a, b]))
    letters = np.array(["".join(sorted(u.replace(" ", ""))) for u in uniques], dtype=object)
    sa, sb = letters[codes[: a.size]], letters[codes[a.size :]]
    return sa == sb


def score_pairs(contacts: pd.DataFrame, pairs: pd.DataFrame, weights=None) -> pd.DataFrame:
    r"""Score candidate pairs by adding the evidence of each field.

    In the spirit of Fellegi and Sunter, each field contributes a weight --
    positive when the two records agree, negative when they disagree, zero
    when either value is missing or the values cannot be compared -- and the
    pair's score is the sum

    .. math:: S = w_{\text{name}} + w_{\text{phone}} + w_{\text{email}}
              + w_{\text{birth}} + w_{\text{city}}.

    Names are compared by their key: equal keys give ``name_exact``; a
    q-gram Jaccard similarity (:func:`name_similarity`) of at least
    :data:`NAME_SIMILAR`, or the same letters in another order (a
    transposition, one of the four single-error types that Damerau found
    behind most misspellings [2]_), gives ``name_similar`` (a typo);
    anything else gives ``name_different``.  A name in Chinese characters and one in Latin
    letters are not comparable (weight 0).  Phones that are equal give
    ``phone_exact``, phones that differ in exactly one digit
    ``phone_one_digit``.  The default weights are in :data:`WEIGHTS`.

    Parameters
    ----------
    contacts : pandas.DataFrame
        Standardised records with a RangeIndex.
    pairs : pandas.DataFrame
        Candidate pairs with integer columns ``left`` and ``right``
        (:func:`candidate_pairs`).
    weights : dict, optional
        Replacement values for some or all of :data:`WEIGHTS`.

    Returns
    -------
    pandas.DataFrame
        ``pairs`` with the added float columns ``name_similarity``, ``name``,
        ``phone``, ``email``, ``birth_date``, ``city`` (the weights
        contributed) and ``score``.

    References
    ----------
    .. [1] I. P. Fellegi and A. B. Sunter, "A theory for record linkage",
       Journal of the American Statistical Association 64(328), 1183-1210,
       1969.
    .. [2] F. J. Damerau, "A technique for computer detection and correction
       of spelling errors", Communications of the ACM 7(3), 171-176, 1964.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"name_key": ["fang wang", "fang wang", "fang wang"],
    ...                     "phone": ["13812345678", None, "13812345679"],
    ...                     "email": [None, "fw@163.com", None],
    ...                     "birth_date": pd.to_datetime(["1985-03-02", None, None]),
    ...                     "city": ["Hangzhou", "Hangzhou", "Hangzhou"]})
    >>> scored = score_pairs(toy, pd.DataFrame({"left": [0, 0], "right": [1, 2]}))
    >>> scored[["name", "phone", "city", "score"]].to_dict("records")
    [{'name': 3.0, 'phone': 0.0, 'city': 0.5, 'score': 3.5}, {'name': 3.0, 'phone': 3.0, 'city': 0.5, 'score': 6.5}]
    """
    contacts = _check_contacts(contacts)
    check_frame("pairs", pairs, ["left", "right"])
    w = dict(WEIGHTS)
    if weights is not None:
        if not isinstance(weights, dict):
            raise TypeError(f"weights must be a dict of weight names to numbers, got {type(weights).__name__}")
        unknown = sorted(set(weights) - set(WEIGHTS))
        if unknown:
            raise ValueError(f"weights keys must be among {list(WEIGHTS)}, got {unknown}")
        for k, v in weights.items():
            w[k] = check_number(f"weights[{k!r}]", v)
    left = pairs["left"].to_numpy()
    right = pairs["right"].to_numpy()
    n = len(contacts)
    if len(left) and (left.min() < 0 or right.min() < 0 or max(left.max(), right.max()) >= n):
        raise ValueError(f"pairs must hold positions in 0..{n - 1}")

    def side(column):
        values = contacts[column].astype("str").to_numpy(dtype=object)
        return values[left], values[right]

    out = pairs.copy()
    # names
    ka, kb = side("name_key")
    both = pd.notna(ka) & pd.notna(kb)
    han_a = pd.Series(ka).str.contains(HAN_PATTERN, regex=True).fillna(False).to_numpy(dtype=bool)
    han_b = pd.Series(kb).str.contains(HAN_PATTERN, regex=True).fillna(False).to_numpy(dtype=bool)
    comparable = both & (han_a == han_b)
    sim = np.full(len(out), np.nan)
    if comparable.any():
        sim[comparable] = name_similarity(
            pd.Series(ka[comparable], dtype="str"), pd.Series(kb[comparable], dtype="str")
        )
    equal = comparable & (ka == kb)
    swapped = np.zeros(len(out), dtype=bool)
    unequal = comparable & ~equal
    if unequal.any():
        swapped[unequal] = _anagrams(ka[unequal], kb[unequal])
    out["name_similarity"] = sim
    out["name"] = np.select(
        [equal, comparable & ((sim >= NAME_SIMILAR) | swapped), comparable],
        [w["name_exact"], w["name_similar"], w["name_different"]],
        0.0,
    )
    # phones
    pa, pb = side("phone")
    both = pd.notna(pa) & pd.notna(pb)
    same = both & (pa == pb)
    near = np.zeros(len(out), dtype=bool)
    diff = both & ~same
    if diff.any():
        near[diff] = _one_digit_apart(pa[diff].astype(str), pb[diff].astype(str))
    out["phone"] = np.select([same, near, both], [w["phone_exact"], w["phone_one_digit"], w["phone_different"]], 0.0)
    # e-mails
    ea, eb = side("email")
    both = pd.notna(ea) & pd.notna(eb)
    out["email"] = np.select([both & (ea == eb), both], [w["email_exact"], w["email_different"]], 0.0)
    # birth dates
    ba = contacts["birth_date"].to_numpy(dtype=_NS)[left]
    bb = contacts["birth_date"].to_numpy(dtype=_NS)[right]
    both = ~np.isnat(ba) & ~np.isnat(bb)
    out["birth_date"] = np.select([both & (ba == bb), both], [w["birth_date_exact"], w["birth_date_different"]], 0.0)
    # cities
    ca, cb = side("city")
    both = pd.notna(ca) & pd.notna(cb)
    out["city"] = np.select([both & (ca == cb), both], [w["city_same"], w["city_different"]], 0.0)
    out["score"] = out[["name", "phone", "email", "birth_date", "city"]].sum(axis=1)
    return out


def match(contacts: pd.DataFrame, threshold: float = THRESHOLD, keys=BLOCKING_KEYS, weights=None) -> pd.Series:
    r"""Cluster the records that describe the same person.

    Candidate pairs (:func:`candidate_pairs`) are scored
    (:func:`score_pairs`); a pair with score :math:`S \ge` ``threshold``
    links its two records, and the customers are the connected components
    of the graph of links (union-find, computed with
    :func:`scipy.sparse.csgraph.connected_components`).  Linking is
    transitive: if A matches B and B matches C, all three are one customer
    even when A and C share nothing.

    Parameters
    ----------
    contacts : pandas.DataFrame
        Standardised records with a RangeIndex.
    threshold : float, default :data:`THRESHOLD`
        Smallest score that links two records.
    keys : sequence of str, default :data:`BLOCKING_KEYS`
        Blocking keys.
    weights : dict, optional
        Replacement weights (see :func:`score_pairs`).

    Returns
    -------
    pandas.Series
        Cluster number (int64, 0, 1, ... in order of first appearance) of
        each record, index of ``contacts``, named ``"cluster"``.

    References
    ----------
    .. [1] R. E. Tarjan, "Efficiency of a good but not linear set union
       algorithm", Journal of the ACM 22(2), 215-225, 1975.
    .. [2] I. P. Fellegi and A. B. Sunter, "A theory for record linkage",
       Journal of the American Statistical Association 64(328), 1183-1210,
       1969.

    Examples
    --------
    >>> from coursekit.crm.cleaning import clean, extract
    >>> contacts = clean(extract()).contacts
    >>> clusters = match(contacts)
    >>> len(contacts), int(clusters.nunique())
    (4523, 2199)
    >>> quality = match_quality(clusters, true_person_ids(contacts))
    >>> round(quality.precision, 4), round(quality.recall, 4)
    (0.9989, 0.9059)
    """
    contacts = _check_contacts(contacts)
    threshold = check_number("threshold", threshold)
    n = len(contacts)
    if n == 0:
        return pd.Series(np.zeros(0, dtype=np.int64), index=contacts.index, name="cluster")
    scored = score_pairs(contacts, candidate_pairs(contacts, keys), weights)
    linked = scored[scored["score"] >= threshold]
    graph = sparse.coo_matrix(
        (np.ones(len(linked)), (linked["left"].to_numpy(), linked["right"].to_numpy())), shape=(n, n)
    ).tocsr()
    _, labels = connected_components(graph, directed=False)
    # renumber by first appearance
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(np.argsort(first))] = np.arange(first.size)
    return pd.Series(rank[labels], index=contacts.index, name="cluster")


def true_person_ids(contacts: pd.DataFrame, identity=None, directory=None) -> pd.Series:
    """The true person of each contact record, from the answer file.

    Parameters
    ----------
    contacts : pandas.DataFrame
        Records with ``source`` and ``source_row_id``.
    identity : pandas.DataFrame, optional
        ``source``, ``source_row_id``, ``person_id``; by default the answer file
        ``crm/answers/identity.csv`` (:data:`coursekit.crm.schema.IDENTITY_TABLE`, the same file
        :func:`coursekit.data.crm_answers.load_crm_identity` loads).
    directory : str or pathlib.Path, optional
        The datasets folder (or its ``crm`` folder), when ``identity`` is not given.

    Returns
    -------
    pandas.Series
        ``person_id`` (str) aligned with ``contacts``; missing for records
        the answer file does not know.

    References
    ----------
    .. [1] P. Christen, *Data Matching*, Springer, 2012, chapter 7
       (evaluation of matching quality).

    Examples
    --------
    >>> from coursekit.crm.cleaning import clean, extract
    >>> contacts = clean(extract()).contacts
    >>> true_person_ids(contacts).head(3).tolist()
    ['P1819', 'P1803', 'P0753']
    """
    check_frame("contacts", contacts, ["source", "source_row_id"])
    if identity is None:
        identity = IDENTITY_TABLE.read(crm_dir(directory))
    check_frame("identity", identity, ["source", "source_row_id", "person_id"])
    lookup = identity.drop_duplicates(["source", "source_row_id"]).set_index(["source", "source_row_id"])["person_id"]
    keys = pd.MultiIndex.from_arrays([contacts["source"].astype("str"), contacts["source_row_id"].astype("str")])
    return pd.Series(lookup.reindex(keys).to_numpy(), index=contacts.index, name="person_id", dtype="str")


def match_quality(predicted, truth) -> MatchQuality:
    r"""Pairwise precision, recall and F1 of a clustering against the true identities.

    With :math:`n_{kp}` the number of records in predicted cluster :math:`k`
    that belong to person :math:`p`, :math:`a_k = \sum_p n_{kp}` and
    :math:`b_p = \sum_k n_{kp}`:

    .. math::
        TP = \sum_{k,p} \binom{n_{kp}}{2},\quad
        \text{precision} = \frac{TP}{\sum_k \binom{a_k}{2}},\quad
        \text{recall} = \frac{TP}{\sum_p \binom{b_p}{2}},\quad
        F_1 = \frac{2PR}{P + R}.

    Parameters
    ----------
    predicted : pandas.Series or array-like
        Cluster label of each record (:func:`match`).
    truth : pandas.Series or array-like
        True person of each record, aligned with ``predicted`` (same length
        and order); no missing values.

    Returns
    -------
    MatchQuality

    References
    ----------
    .. [1] P. Christen and K. Goiser, "Quality and complexity measures for
       data linkage and deduplication", in *Quality Measures in Data
       Mining*, Springer, 127-151, 2007.

    Examples
    --------
    >>> q = match_quality([0, 0, 1, 1, 2], ["a", "a", "a", "b", "c"])
    >>> q.true_positives, q.false_positives, q.false_negatives
    (1, 1, 2)
    >>> round(q.precision, 3), round(q.recall, 3), round(q.f1, 3)
    (0.5, 0.333, 0.4)
    """
    p = (
        pd.Series(np.asarray(predicted, dtype=object))
        if not isinstance(predicted, pd.Series)
        else predicted.reset_index(drop=True)
    )
    t = pd.Series(np.asarray(truth, dtype=object)) if not isinstance(truth, pd.Series) else truth.reset_index(drop=True)
    if len(p) != len(t):
        raise ValueError(f"predicted and truth must have the same length, got {len(p)} and {len(t)}")
    if p.isna().any() or t.isna().any():
        raise ValueError(
            "predicted and truth must not hold missing values; drop records without a known identity first"
        )

    def pairs(counts):
        c = np.asarray(counts, dtype=np.int64)
        return int((c * (c - 1) // 2).sum())

    frame = pd.DataFrame({"p": p.to_numpy(), "t": t.to_numpy()})
    tp = pairs(frame.groupby(["p", "t"]).size())
    pred = pairs(frame.groupby("p").size())
    true = pairs(frame.groupby("t").size())
    precision = tp / pred if pred else float("nan")
    recall = tp / true if true else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if (precision + recall) > 0 else float("nan")
    return MatchQuality(
        precision=float(precision),
        recall=float(recall),
        f1=float(f1),
        true_positives=tp,
        false_positives=pred - tp,
        false_negatives=true - tp,
        n_records=len(frame),
        n_clusters=int(frame["p"].nunique()),
        n_people=int(frame["t"].nunique()),
    )
