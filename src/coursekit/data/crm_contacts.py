r"""The people behind Chapter 2's raw files, and their contact fields as each source writes them.

The building blocks of the customer-database generator (:mod:`coursekit.data.crm_sources`):

* :func:`make_people` draws the true people (steps 1 and 8 of the generative model set out in
  :mod:`coursekit.data.crm_sources`): names in pinyin, in Chinese characters (汉字) or Western,
  with Zipf-like surname and given-name frequencies; a unique mobile number, sometimes a
  landline (shared within a household) or an older mobile; one e-mail address; a birth date
  and a city.
* :func:`crm_fields`, :func:`web_fields`, :func:`warranty_fields` and :func:`ticket_contacts`
  write a person's fields the way each source does: names in mixed case or "Surname, Given"
  order, phones as ``13812345678``, ``+86 138-1234-5678`` or ``(0571) 8888 1234``, e-mails with
  stray capitals and spaces, dates as ``1985-03-02``, ``02/03/1985``, ``1985.3.2`` or
  ``1985年3月2日``, and handwriting typos on warranty cards.
* :func:`make_contacts` draws any number of such records, without deliberate defects, in one
  unified layout: the benchmark of how matching scales (:mod:`coursekit.crm.matching`).

The small vectorised helpers (:func:`as_text`, :func:`select`,
:func:`days_after`, :func:`iso_dates`, :func:`iso_datetimes`) are shared
with :mod:`coursekit.data.crm_sources`.

References
----------
.. [1] P. Christen, *Data Matching: Concepts and Techniques for Record Linkage, Entity
   Resolution, and Duplicate Detection*, Springer, 2012.
.. [2] F. J. Damerau, "A technique for computer detection and correction of spelling
   errors", Communications of the ACM 7(3), 171-176, 1964.

Examples
--------
>>> import numpy as np
>>> people = make_people(3, np.random.default_rng(1))
>>> people.columns.tolist()[:4]
['person_id', 'name', 'script', 'given']
>>> crm_fields(people, np.random.default_rng(2)).columns.tolist()
['name', 'phone', 'email', 'birth_date', 'city']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit._validate import check_positive_int, check_seed
from coursekit.crm.schema import CITY_NAMES_ZH, CONTACT_SOURCES
from coursekit.data import sampling

__all__ = [
    "SEED",
    "CITIES",
    "CITY_SHARES",
    "AREA_CODES",
    "make_people",
    "crm_fields",
    "web_fields",
    "warranty_fields",
    "ticket_contacts",
    "render_emails",
    "render_dates",
    "make_contacts",
    "as_text",
    "select",
    "days_after",
    "iso_dates",
    "iso_datetimes",
]

#: Seed of the course's CRM files (:func:`coursekit.data.crm_sources.make_crm`) and of :func:`make_contacts`.
SEED = 20240602

#: The cities of the firm's customers (:data:`coursekit.crm.schema.CITY_NAMES_ZH`), their
#: shares and their telephone area codes.
CITIES: tuple[str, ...] = (
    "Hangzhou",
    "Shanghai",
    "Beijing",
    "Guangzhou",
    "Shenzhen",
    "Nanjing",
    "Suzhou",
    "Ningbo",
    "Chengdu",
    "Wuhan",
)
CITY_SHARES = (0.24, 0.14, 0.10, 0.08, 0.08, 0.09, 0.08, 0.07, 0.06, 0.06)


AREA_CODES: dict[str, str] = {
    "Hangzhou": "0571",
    "Shanghai": "021",
    "Beijing": "010",
    "Guangzhou": "020",
    "Shenzhen": "0755",
    "Nanjing": "025",
    "Suzhou": "0512",
    "Ningbo": "0574",
    "Chengdu": "028",
    "Wuhan": "027",
}

# (pinyin, characters); listed from the most to the least frequent.
_SURNAMES = (
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"),
    ("Huang", "黄"), ("Zhao", "赵"), ("Wu", "吴"), ("Zhou", "周"), ("Xu", "徐"), ("Sun", "孙"),
    ("Ma", "马"), ("Zhu", "朱"), ("Hu", "胡"), ("Guo", "郭"), ("He", "何"), ("Gao", "高"),
    ("Lin", "林"), ("Luo", "罗"), ("Zheng", "郑"), ("Liang", "梁"), ("Xie", "谢"), ("Song", "宋"),
    ("Tang", "唐"), ("Han", "韩"), ("Feng", "冯"), ("Deng", "邓"), ("Cao", "曹"), ("Peng", "彭"),
)  # fmt: skip
_GIVEN = (
    ("Wei", "伟"), ("Fang", "芳"), ("Na", "娜"), ("Min", "敏"), ("Jing", "静"), ("Li", "丽"),
    ("Qiang", "强"), ("Lei", "磊"), ("Jun", "军"), ("Yang", "洋"), ("Yong", "勇"), ("Yan", "艳"),
    ("Jie", "杰"), ("Juan", "娟"), ("Tao", "涛"), ("Ming", "明"), ("Chao", "超"), ("Xiuying", "秀英"),
    ("Xia", "霞"), ("Ping", "平"), ("Gang", "刚"), ("Hui", "慧"), ("Jianhua", "建华"), ("Zhiqiang", "志强"),
    ("Xiaoling", "晓玲"), ("Haiyan", "海燕"), ("Yufei", "宇飞"), ("Zihan", "子涵"), ("Haoran", "浩然"),
    ("Yuxuan", "雨轩"), ("Shuang", "爽"), ("Dan", "丹"), ("Bo", "波"), ("Hong", "红"), ("Lan", "兰"),
    ("Kai", "凯"), ("Ting", "婷"), ("Peng", "鹏"), ("Xinyi", "欣怡"), ("Junjie", "俊杰"),
)  # fmt: skip
_WESTERN_GIVEN = (
    "Emma", "Olivia", "Sophie", "Anna", "Laura", "Maria", "Julia", "Clara",
    "James", "Daniel", "Thomas", "Lucas", "David", "Michael", "Peter", "Martin",
)  # fmt: skip
_WESTERN_SURNAMES = (
    "Smith", "Brown", "Taylor", "Clark", "Martin", "Garcia", "Rossi", "Novak",
    "Weber", "Dubois", "Jensen", "Kowalski", "Silva", "Murphy", "Walker", "Fischer",
)  # fmt: skip
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "156", "157", "158", "159", "176", "177", "180", "181", "182", "186", "187",
    "188", "189", "199",
)  # fmt: skip
_DOMAINS = ("163.com", "qq.com", "126.com", "sina.com", "gmail.com", "outlook.com", "foxmail.com")
_DOMAIN_SHARES = (0.28, 0.24, 0.12, 0.08, 0.12, 0.10, 0.06)


def as_text(values) -> pd.Series:
    """Return ``values`` as a pandas string Series with a RangeIndex."""
    return pd.Series(np.asarray(values, dtype=object), dtype="str").reset_index(drop=True)


def _zipf_pick(rng: np.random.Generator, k: int, n: int) -> np.ndarray:
    """Draw ``n`` codes 0..k-1 with weights proportional to 1 / (rank + 1)."""
    w = 1.0 / np.arange(1, k + 1)
    return rng.choice(k, size=n, p=w / w.sum())


def select(choice: np.ndarray, variants: list[pd.Series]) -> pd.Series:
    """Return a Series whose row ``i`` is ``variants[choice[i]][i]``.

    Examples
    --------
    >>> select(np.array([0, 1, 0]), [as_text(["a", "b", "c"]), as_text(["A", "B", "C"])]).tolist()
    ['a', 'B', 'c']
    """
    out = variants[0].copy()
    for code, variant in enumerate(variants[1:], start=1):
        mask = choice == code
        if mask.any():
            out[mask] = variant[mask]
    return out


def days_after(start: str, offsets) -> np.ndarray:
    """Return the dates ``start`` + floor(``offsets``) days as datetime64[D].

    Examples
    --------
    >>> days_after("2022-01-01", [0, 1.7, 31]).astype(str).tolist()
    ['2022-01-01', '2022-01-02', '2022-02-01']
    """
    return np.datetime64(start, "D") + np.floor(np.asarray(offsets, dtype=float)).astype(np.int64)


def iso_dates(dates: np.ndarray) -> pd.Series:
    """Return dates as ISO text (``YYYY-MM-DD``)."""
    return as_text(np.datetime_as_string(np.asarray(dates, dtype="datetime64[D]"), unit="D"))


def iso_datetimes(dates: np.ndarray, seconds: np.ndarray) -> pd.Series:
    """Return dates plus ``seconds`` after midnight as ISO text (``YYYY-MM-DD HH:MM:SS``)."""
    stamps = np.asarray(dates, dtype="datetime64[D]").astype("datetime64[s]") + seconds.astype(np.int64)
    return as_text(np.char.replace(np.datetime_as_string(stamps, unit="s").astype(str), "T", " "))


# ----------------------------------------------------------------------------------------------
# people
# ----------------------------------------------------------------------------------------------
def make_people(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Draw ``n`` true people: names, phones, e-mails, birth dates, cities.

    Returns a frame with ``person_id`` (``P0001`` ...), ``name`` (canonical), ``script``
    (``pinyin``, ``hanzi`` or ``western``), ``given``, ``surname`` (Latin letters),
    ``given_han``, ``surname_han`` (characters, empty for Western names), ``phone``
    (11-digit mobile), ``landline`` and ``old_phone`` (empty when none), ``email``,
    ``birth_date`` (datetime64), ``city`` and ``household_of`` (the person whose landline
    is shared, or empty).
    """
    script = sampling.pick(rng, [0.62, 0.28, 0.10], n)  # 0 pinyin, 1 hanzi, 2 western
    sur = _zipf_pick(rng, len(_SURNAMES), n)
    giv = _zipf_pick(rng, len(_GIVEN), n)
    wgiv = rng.integers(0, len(_WESTERN_GIVEN), n)
    wsur = rng.integers(0, len(_WESTERN_SURNAMES), n)
    western = script == 2
    sur_latin = np.where(western, np.array(_WESTERN_SURNAMES)[wsur], np.array([s[0] for s in _SURNAMES])[sur])
    giv_latin = np.where(western, np.array(_WESTERN_GIVEN)[wgiv], np.array([g[0] for g in _GIVEN])[giv])
    sur_han = np.where(western, "", np.array([s[1] for s in _SURNAMES])[sur])
    giv_han = np.where(western, "", np.array([g[1] for g in _GIVEN])[giv])

    city = np.array(CITIES)[sampling.pick(rng, CITY_SHARES, n)]

    # Unique mobile numbers (and older ones), unique 8-digit landline numbers.
    has_old = rng.random(n) < 0.05
    n_old = int(has_old.sum())
    suffix = rng.choice(10**8, size=n + n_old, replace=False)
    prefix = np.array(_MOBILE_PREFIXES)[rng.integers(0, len(_MOBILE_PREFIXES), n + n_old)]
    mobiles = np.char.add(prefix, np.char.zfill(suffix.astype(str), 8))
    mobile = mobiles[:n]
    old_phone = np.full(n, "", dtype=object)
    old_phone[has_old] = mobiles[n:]
    has_land = rng.random(n) < 0.25
    land_numbers = 20_000_000 + rng.choice(70_000_000, size=n, replace=False)
    area = np.array([AREA_CODES[c] for c in city])
    landline = np.where(has_land, np.char.add(area, land_numbers.astype(str)), "").astype(object)

    # Households: 5 % of people share the landline (and city) of someone else.
    owners = np.flatnonzero(has_land)
    household_of = np.full(n, -1)
    candidates = np.flatnonzero(~has_land)
    k = min(int(round(0.05 * n)), owners.size, candidates.size)
    if k:
        members = rng.choice(candidates, size=k, replace=False)
        heads = rng.choice(owners, size=k, replace=False)
        household_of[members] = heads
        landline[members] = landline[heads]
        city[members] = city[heads]
        same_surname = western[members] & western[heads]
        sur_latin[members[same_surname]] = sur_latin[heads[same_surname]]

    # E-mail: one per person, unique.
    yy = np.char.zfill((rng.integers(0, 100, n)).astype(str), 2)
    lg, ls = np.char.lower(giv_latin.astype(str)), np.char.lower(sur_latin.astype(str))
    pattern = sampling.pick(rng, [0.35, 0.3, 0.15, 0.2], n)
    local = select(
        pattern,
        [
            as_text(np.char.add(np.char.add(np.char.add(lg, "."), ls), yy)),
            as_text(np.char.add(np.char.add(ls, lg), yy)),
            as_text(np.char.add(np.char.add(lg, "_"), ls)),
            as_text(rng.integers(100_000, 3_000_000_000, n).astype(str)),
        ],
    )
    domain = np.array(_DOMAINS)[sampling.pick(rng, _DOMAIN_SHARES, n)]
    domain = np.where(pattern == 3, "qq.com", domain)
    email = local + "@" + as_text(domain)
    repeat = email.groupby(email).cumcount().to_numpy()
    email = select(
        (repeat > 0).astype(int), [email, local + as_text(np.char.add("x", repeat.astype(str))) + "@" + as_text(domain)]
    )
    if email.duplicated().any():  # pragma: no cover - guarded by construction
        raise RuntimeError("generated e-mail addresses are not unique")

    birth = days_after(
        "1946-01-01", rng.integers(0, (np.datetime64("2004-12-31") - np.datetime64("1946-01-01")).astype(int), n)
    )

    name = np.where(
        script == 1,
        np.char.add(sur_han.astype(str), giv_han.astype(str)),
        np.char.add(np.char.add(giv_latin.astype(str), " "), sur_latin.astype(str)),
    )
    person_id = sampling.ids("P", n, 4)
    return pd.DataFrame(
        {
            "person_id": person_id,
            "name": name,
            "script": np.array(["pinyin", "hanzi", "western"])[script],
            "given": giv_latin,
            "surname": sur_latin,
            "given_han": giv_han,
            "surname_han": sur_han,
            "phone": mobile,
            "landline": landline,
            "old_phone": old_phone,
            "email": email.to_numpy(dtype=object),
            "birth_date": birth,
            "city": city,
            "household_of": np.where(household_of >= 0, person_id[np.maximum(household_of, 0)], ""),
        }
    )


# ----------------------------------------------------------------------------------------------
# rendering of fields
# ----------------------------------------------------------------------------------------------
def _typo(words: pd.Series, rng: np.random.Generator) -> pd.Series:
    """One handwriting slip per word: swap two letters, drop one or double one."""
    n = len(words)
    op = rng.integers(0, 3, n)
    u = rng.random(n)
    out = []
    for w, o, r in zip(words.tolist(), op, u, strict=True):  # a few hundred short words
        if len(w) < 3:
            out.append(w + w[-1])
            continue
        i = 1 + int(r * (len(w) - 2))  # never the first letter
        if o == 0:
            out.append(w[:i] + w[i + 1] + w[i] + w[i + 2 :])
        elif o == 1:
            out.append(w[:i] + w[i + 1 :])
        else:
            out.append(w[: i + 1] + w[i] + w[i + 1 :])
    return as_text(out)


def _render_names(
    pp: pd.DataFrame,
    rng: np.random.Generator,
    styles,
    *,
    pinyin_rate: float,
    typo_rate: float = 0.0,
) -> pd.Series:
    """Names as a source writes them.

    ``styles`` are the probabilities of: "Given Surname", "given surname",
    "GIVEN SURNAME", "Surname, Given", "SURNAME, Given", "  Given   Surname ",
    "Surname Given" (the last only for Chinese names).
    """
    n = len(pp)
    given = as_text(pp["given"])
    surname = as_text(pp["surname"])
    typo = rng.random(n) < typo_rate
    if typo.any():
        given[typo] = _typo(given[typo], rng).to_numpy()
    style = sampling.pick(rng, styles, n)
    chinese = (pp["script"] != "western").to_numpy()
    style = np.where((style == 6) & ~chinese, 0, style)
    latin = select(
        style,
        [
            given + " " + surname,
            (given + " " + surname).str.lower(),
            (given + " " + surname).str.upper(),
            surname + ", " + given,
            surname.str.upper() + ", " + given,
            "  " + given + "   " + surname + " ",
            surname + " " + given,
        ],
    )
    han_style = sampling.pick(rng, [0.8, 0.1, 0.1], n)
    han_full = as_text(pp["surname_han"]) + as_text(pp["given_han"])
    han = select(
        han_style, [han_full, " " + han_full + " ", as_text(pp["surname_han"]) + " " + as_text(pp["given_han"])]
    )
    written_han = (pp["script"] == "hanzi").to_numpy() & (rng.random(n) >= pinyin_rate)
    return select(written_han.astype(int), [latin, han])


def _render_mobile(digits: pd.Series, style: np.ndarray) -> pd.Series:
    a, b, c = digits.str.slice(0, 3), digits.str.slice(3, 7), digits.str.slice(7)
    return select(
        style,
        [
            digits,
            "+86 " + a + "-" + b + "-" + c,
            a + " " + b + " " + c,
            "+86" + digits,
            "0086 " + a + " " + b + " " + c,
            a + "-" + b + "-" + c,
        ],
    )


def _render_landline(digits: pd.Series, style: np.ndarray) -> pd.Series:
    n = digits.str.len()
    area = select((n == 11).astype(int), [digits.str.slice(0, 4), digits.str.slice(0, 3)])
    number = select((n == 11).astype(int), [digits.str.slice(4), digits.str.slice(3)])
    n1, n2 = number.str.slice(0, 4), number.str.slice(4)
    return select(
        style,
        [
            "(" + area + ") " + n1 + " " + n2,
            area + "-" + number,
            "+86 " + area.str.slice(1) + " " + n1 + " " + n2,
            digits,
        ],
    )


def _render_phones(digits: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Mobile (11 digits, leading 1) or landline (leading 0) numbers in mixed formats."""
    n = len(digits)
    mobile_style = sampling.pick(rng, [0.40, 0.15, 0.15, 0.10, 0.05, 0.15], n)
    land_style = sampling.pick(rng, [0.35, 0.35, 0.10, 0.20], n)
    is_land = digits.str.startswith("0").to_numpy()
    out = select(is_land.astype(int), [_render_mobile(digits, mobile_style), _render_landline(digits, land_style)])
    out[(digits == "").to_numpy()] = ""
    return out


def _wrong_digit(digits: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Replace one digit (not among the first three) by another digit."""
    n = len(digits)
    pos = 3 + (rng.random(n) * (digits.str.len().to_numpy() - 3)).astype(int)
    shift = rng.integers(1, 10, n)
    chars = [list(d) for d in digits.tolist()]
    for ch, p, s in zip(chars, pos, shift, strict=True):
        ch[p] = str((int(ch[p]) + s) % 10)
    return as_text(["".join(ch) for ch in chars])


def render_emails(email: pd.Series, rng: np.random.Generator, probs=(0.6, 0.15, 0.1, 0.15)) -> pd.Series:
    """Return e-mails as typed: as is, capitalised, upper case or with stray spaces (with ``probs``)."""
    style = sampling.pick(rng, probs, len(email))
    return select(
        style,
        [email, email.str.slice(0, 1).str.upper() + email.str.slice(1), email.str.upper(), " " + email + "  "],
    )


def render_dates(dates: np.ndarray, rng: np.random.Generator, probs) -> pd.Series:
    """Return dates as hand-written: 1985-03-02, 02/03/1985 (day first), 1985.3.2 or 1985年3月2日 (with ``probs``)."""
    iso = iso_dates(dates)
    y, m, d = iso.str.slice(0, 4), iso.str.slice(5, 7), iso.str.slice(8, 10)
    m1, d1 = m.str.lstrip("0"), d.str.lstrip("0")
    style = sampling.pick(rng, probs, len(iso))
    return select(style, [iso, d + "/" + m + "/" + y, y + "." + m1 + "." + d1, y + "年" + m1 + "月" + d1 + "日"])


def _render_cities(city: pd.Series, rng: np.random.Generator, probs=(0.6, 0.1, 0.1, 0.15, 0.05)) -> pd.Series:
    style = sampling.pick(rng, probs, len(city))
    return select(style, [city, city.str.lower(), city.str.upper(), city.map(CITY_NAMES_ZH), " " + city + " "])


def _blank(values: pd.Series, keep_probability: float, rng: np.random.Generator) -> pd.Series:
    out = values.copy()
    out[rng.random(len(values)) >= keep_probability] = ""
    return out


def _choose_phone(pp: pd.DataFrame, rng: np.random.Generator, *, landline: float, old: float) -> pd.Series:
    """The number a record holds: mobile, or the landline / older mobile with some probability."""
    n = len(pp)
    land = as_text(pp["landline"])
    oldp = as_text(pp["old_phone"])
    use_land = (land != "").to_numpy() & (rng.random(n) < landline)
    use_old = (oldp != "").to_numpy() & (rng.random(n) < old) & ~use_land
    return select(use_land.astype(int) + 2 * use_old.astype(int), [as_text(pp["phone"]), land, oldp])


# ----------------------------------------------------------------------------------------------
# contact records of each source (shared by make_crm and make_contacts)
# ----------------------------------------------------------------------------------------------
def crm_fields(pp: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return the people ``pp`` (from :func:`make_people`) as the sales CRM writes them.

    Columns ``name``, ``phone`` (95 % filled; the landline in 15 %, an older mobile in 50 %
    of those who have one), ``email`` (80 %), ``birth_date`` (80 %), ``city`` (90 %).
    """
    phone = _blank(_render_phones(_choose_phone(pp, rng, landline=0.15, old=0.5), rng), 0.95, rng)
    return pd.DataFrame(
        {
            "name": _render_names(pp, rng, [0.30, 0.10, 0.10, 0.20, 0.10, 0.10, 0.10], pinyin_rate=0.1),
            "phone": phone,
            "email": _blank(render_emails(as_text(pp["email"]), rng), 0.8, rng),
            "birth_date": _blank(render_dates(pp["birth_date"].to_numpy(), rng, [0.45, 0.25, 0.2, 0.1]), 0.8, rng),
            "city": _blank(_render_cities(as_text(pp["city"]), rng), 0.9, rng),
        }
    )


def web_fields(pp: pd.DataFrame, second: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Return the people ``pp`` as web-shop accounts: ``name``, ``email``, ``phone`` (the mobile).

    A person's ``second`` account (a boolean per row) is registered under another e-mail.
    """
    email = as_text(pp["email"])
    if second.any():  # a second account needs another address
        local = email.str.split("@").str[0]
        other = np.array(_DOMAINS)[rng.integers(0, len(_DOMAINS), len(pp))]
        alt = local + "." + as_text(pp.index.to_numpy().astype(str)) + "@" + as_text(other)
        email = select(second.astype(int), [email, alt])
    phone = _render_phones(_choose_phone(pp, rng, landline=0.0, old=0.0), rng)  # verified by SMS
    return pd.DataFrame(
        {
            "name": _render_names(pp, rng, [0.45, 0.35, 0.05, 0.0, 0.0, 0.05, 0.10], pinyin_rate=0.4),
            "email": render_emails(email, rng, (0.7, 0.15, 0.05, 0.10)),
            "phone": phone,
        }
    )


def warranty_fields(pp: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return the people ``pp`` as transcribed from hand-written warranty cards: ``name``, ``phone``, ``city``.

    Mostly upper-case names, a handwriting typo in 20 % of the names in Latin letters and a
    phone number one digit off in 3 %.
    """
    digits = _choose_phone(pp, rng, landline=0.1, old=0.3)
    slip = rng.random(len(pp)) < 0.03
    if slip.any():
        digits[slip] = _wrong_digit(digits[slip], rng).to_numpy()
    return pd.DataFrame(
        {
            "name": _render_names(pp, rng, [0.05, 0.0, 0.75, 0.0, 0.15, 0.05, 0.0], pinyin_rate=0.2, typo_rate=0.2),
            "phone": _blank(_render_phones(digits, rng), 0.95, rng),
            "city": _render_cities(as_text(pp["city"]), rng, (0.5, 0.05, 0.25, 0.15, 0.05)),
        }
    )


def ticket_contacts(pp: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return the contact a caller gives the service department: the phone (70 %) or the e-mail (30 %).

    Columns ``contact`` (as written in the ticket) and ``phone`` and ``email`` (one of them
    empty).
    """
    by_email = rng.random(len(pp)) < 0.3
    phone = _render_phones(_choose_phone(pp, rng, landline=0.1, old=0.0), rng)
    email = render_emails(as_text(pp["email"]), rng)
    return pd.DataFrame(
        {
            "contact": select(by_email.astype(int), [phone, email]),
            "phone": select(by_email.astype(int), [phone, as_text(np.full(len(pp), ""))]),
            "email": select(by_email.astype(int), [as_text(np.full(len(pp), "")), email]),
        }
    )


def make_contacts(n: int = 100_000, seed: int = SEED) -> pd.DataFrame:
    """Generate ``n`` messy contact records of about ``n / 2.5`` people.

    The records are drawn from the same people and renderers as the course's
    files (same name pool, phone and e-mail formats, typos), without
    deliberate defects, in one unified layout.  They serve to measure how
    matching scales (:func:`coursekit.crm.cleaning.clean_contacts` then
    :func:`coursekit.crm.matching.match`).  Each person has 1 + Poisson(1.5)
    records; each record comes from a CRM file (35 %), a web account (20 %),
    a warranty card (20 %) or a service ticket (25 %).

    Parameters
    ----------
    n : int, default 100000
        Number of records (a whole number >= 1).
    seed : int, default 20240602
        Seed of the random number generator (a whole number >= 0).

    Returns
    -------
    pandas.DataFrame
        ``n`` rows with text columns ``source``, ``source_row_id``,
        ``person_id`` (the truth), ``name``, ``phone``, ``email``,
        ``birth_date``, ``city`` (empty string where a source has no such
        field or left it empty).

    References
    ----------
    .. [1] P. Christen, "A survey of indexing techniques for scalable record
       linkage and deduplication", IEEE Transactions on Knowledge and Data
       Engineering 24(9), 1537-1555, 2012.

    Examples
    --------
    >>> sample = make_contacts(1000, seed=3)
    >>> sample.shape
    (1000, 8)
    >>> sample["source"].value_counts().index.tolist()[:1]
    ['crm_export']
    """
    n = check_positive_int("n", n)
    seed = check_seed(seed)
    rng_people, rng_rec = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    n_people = max(1, int(np.ceil(n / 2.5)))
    people = make_people(n_people, rng_people)
    per_person = 1 + rng_rec.poisson(1.5, n_people)
    person = np.repeat(np.arange(n_people), per_person)
    if person.size < n:
        person = np.concatenate([person, rng_rec.integers(0, n_people, n - person.size)])
    person = rng_rec.permutation(person)[:n]
    source = sampling.pick(rng_rec, [0.35, 0.2, 0.2, 0.25], n)
    empty = as_text(np.full(n, ""))
    out = pd.DataFrame(
        {
            "source": np.array(CONTACT_SOURCES)[source],
            "source_row_id": "",
            "person_id": people["person_id"].to_numpy()[person],
            "name": empty,
            "phone": empty,
            "email": empty,
            "birth_date": empty,
            "city": empty,
        }
    )
    for code, src in enumerate(CONTACT_SOURCES):
        rows = np.flatnonzero(source == code)
        if rows.size == 0:
            continue
        pp = people.iloc[person[rows]].reset_index(drop=True)
        if src == "crm_export":
            fields = crm_fields(pp, rng_rec)
        elif src == "web_registrations":
            fields = web_fields(pp, np.zeros(rows.size, dtype=bool), rng_rec)
        elif src == "warranty_cards":
            fields = warranty_fields(pp, rng_rec)
        else:
            fields = ticket_contacts(pp, rng_rec)[["phone", "email"]]
        for column in fields.columns:
            out.iloc[rows, out.columns.get_loc(column)] = fields[column].to_numpy()
        prefix = {"crm_export": "C", "web_registrations": "W", "warranty_cards": "WC", "service_tickets": "T"}[src]
        out.iloc[rows, out.columns.get_loc("source_row_id")] = sampling.ids(prefix, rows.size, 6)
    return out.astype(str)
