r"""Privacy: pseudonymise identifiers with a keyed hash (HMAC) before data leave the firm.

Dick's Supermarkets shares the results of its customer analyses with manufacturers with the
customers' names removed.  :func:`pseudonymise` replaces identifying columns by pseudonyms
that stay stable under one secret key -- so the partner can still count, join and follow
customers over time -- but that nobody without the key can compute or reverse.

References
----------
.. [1] H. Krawczyk, M. Bellare and R. Canetti, "HMAC: Keyed-Hashing for Message
   Authentication", RFC 2104, 1997.
.. [2] Regulation (EU) 2016/679 (General Data Protection Regulation), Article 4(5) and
   recital 26, 2016.

Examples
--------
>>> import pandas as pd
>>> shared = pseudonymise(pd.DataFrame({"phone": ["13812345678"]}), "phone", key="course-secret-2024", length=8)
>>> len(shared.loc[0, "phone"])
8
"""

from __future__ import annotations

import hmac

import numpy as np
import pandas as pd

from coursekit._validate import check_frame, check_positive_int

__all__ = ["MIN_KEY_LENGTH", "pseudonymise"]

#: Shortest secret key accepted by :func:`pseudonymise` (characters, or bytes for a bytes key).
MIN_KEY_LENGTH = 8


def pseudonymise(frame: pd.DataFrame, columns, key, *, length: int = 16) -> pd.DataFrame:
    r"""Replace identifying columns by keyed pseudonyms (HMAC-SHA256) before data leave the firm.

    Each value :math:`v` (as UTF-8 text) becomes the first ``length`` hexadecimal digits of

    .. math:: \mathrm{HMAC}(K, v) = H\big((K' \oplus \mathrm{opad}) \,\|\,
              H((K' \oplus \mathrm{ipad}) \,\|\, v)\big),

    with :math:`H` = SHA-256, :math:`K'` the secret key padded to the hash's block size and
    ``ipad``, ``opad`` the constant bytes ``0x36`` and ``0x5c`` repeated [1]_.  In Python:
    ``hmac.new(key, value, "sha256").hexdigest()[:length]``.

    * The same value gets the same pseudonym under one key, in every column and every
      table, so a partner can still count, join and follow customers over time.
    * A different key gives unrelated pseudonyms: give each partner its own key and their
      data cannot be linked to each other.
    * Without the key nobody can compute the pseudonym of a guess, so the pseudonyms cannot
      be reversed.

    Why not simply hash the value with a secret "salt", :math:`\mathrm{SHA256}(s \,\|\, v)`?
    Identifiers come from small sets -- there are about :math:`10^{9}` mobile numbers with a
    valid prefix, and customer ids are numbered -- so an unkeyed hash is reversed by a
    *dictionary attack*: hash every candidate and look the pseudonyms up.  A secret prefix
    stops that only while the construction itself is sound, and :math:`H(s \,\|\, v)` is not a
    sound keyed hash: SHA-256 is a Merkle-Damgård hash, so from :math:`H(s \,\|\, v)` and the
    length of :math:`s \,\|\, v` anybody can compute :math:`H(s \,\|\, v \,\|\, p \,\|\, w)`
    -- :math:`p` being the padding SHA-256 appended -- for a suffix :math:`w` of their choice
    without knowing :math:`s` (a *length-extension attack*).  HMAC hashes the key twice
    around the message precisely so that it behaves as a pseudo-random function of the
    message under a secret key [1]_; it is the standard primitive for keyed pseudonyms.
    Keep the key secret and long (for real use, 32 random bytes such as
    ``secrets.token_bytes(32)``), and remember that pseudonymised data are still personal
    data in law (GDPR recital 26 [2]_): remove the columns nobody outside needs.  Missing
    values stay missing.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data to share.
    columns : str or sequence of str
        Columns to replace.
    key : str or bytes
        The secret key, kept inside the firm: at least :data:`MIN_KEY_LENGTH` characters
        (a str is encoded as UTF-8) or bytes.
    length : int, default 16
        Hex digits kept (4 to 64); 16 digits = 64 bits.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with the columns replaced (str).

    References
    ----------
    .. [1] H. Krawczyk, M. Bellare and R. Canetti, "HMAC: Keyed-Hashing for Message
       Authentication", RFC 2104, 1997.
    .. [2] Regulation (EU) 2016/679 (General Data Protection Regulation), Article 4(5) and
       recital 26, 2016.
    .. [3] National Institute of Standards and Technology, "Secure Hash Standard (SHS)",
       FIPS PUB 180-4, 2015.

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({"customer_id": ["CU00001", "CU00002", "CU00001"], "amount": [12.5, 8.0, 3.0]})
    >>> pseudonymise(sales, "customer_id", key="course-secret-2024")
            customer_id  amount
    0  b2ea6cc97c7f2046    12.5
    1  ba1cb37ede019594     8.0
    2  b2ea6cc97c7f2046     3.0
    >>> import hmac
    >>> hmac.new(b"course-secret-2024", b"CU00001", "sha256").hexdigest()[:16]
    'b2ea6cc97c7f2046'
    """
    if isinstance(columns, str):
        columns = [columns]
    columns = list(columns)
    check_frame("frame", frame, columns)
    if not columns:
        raise ValueError("columns must name at least one column to pseudonymise, got none")
    if isinstance(key, str):
        secret = key.encode("utf-8")
        size = len(key)
    elif isinstance(key, (bytes, bytearray)):
        secret = bytes(key)
        size = len(secret)
    else:
        raise TypeError(f"key must be a secret str or bytes, got {type(key).__name__}")
    if size < MIN_KEY_LENGTH:
        raise ValueError(
            f"key must be a secret of at least {MIN_KEY_LENGTH} characters, got {size}; "
            "a short or empty key lets anyone re-identify customers by computing the pseudonyms of guesses"
        )
    length = check_positive_int("length", length)
    if not 4 <= length <= 64:
        raise ValueError(f"length must be between 4 and 64 hex digits, got {length}")
    out = frame.copy()
    for column in columns:
        values = out[column]
        present = values.notna()
        text = values[present].astype(str)
        uniques = pd.unique(text)
        digests = [hmac.new(secret, u.encode("utf-8"), "sha256").hexdigest()[:length] for u in uniques]
        mapping = pd.Series(digests, index=uniques)
        hashed = pd.Series(np.nan, index=out.index, dtype="str")
        hashed[present] = mapping.reindex(text.to_numpy()).to_numpy()
        out[column] = hashed
    return out
