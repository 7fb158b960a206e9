r"""One CSV writer and one CSV reader for every dataset of the course, driven by a column spec.

Every dataset file of the course is a plain UTF-8 CSV with ``\n`` line ends whose bytes depend
only on the data: each column is formatted explicitly (fixed decimals, ``True``/``False``
flags, ISO dates, an empty field for a missing value).  A dataset module declares its files
once, as :class:`Table` specs made of :class:`Column` s, and uses the same spec to write the
file (:meth:`Table.write`) and to read it back into a typed frame (:meth:`Table.read`).  The
reader checks the header and every value against the spec and says which file and column are
wrong, so a hand-edited or stale file fails with a message rather than a wrong frame.

Column kinds
------------
=============  ===========================================  ==========================================
kind           written as                                   read as
=============  ===========================================  ==========================================
``str``        the text itself                              strings (pandas' ``str``)
``int``        a whole number                               ``int64`` (``float64`` if ``optional``)
``float``      ``%.{decimals}f``                            ``float64``
``bool``       ``True`` / ``False``                         ``bool``
``date``       ``YYYY-MM-DD``                               ``datetime64[ns]``
``category``   the category's text                          a categorical with the spec's categories
=============  ===========================================  ==========================================

``optional=True`` lets a column hold missing values, written as an empty field.

Set the environment variable ``COURSEKIT_DATA`` to read the files from another folder than the
repository's ``datasets/``.

References
----------
.. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV) Files",
   RFC 4180, 2005.

Examples
--------
>>> import tempfile
>>> spec = Table("demo.csv", [Column("id", "str"), Column("amount", "float", decimals=2),
...                           Column("active", "bool"), Column("tier", "category", categories=("a", "b"))])
>>> frame = pd.DataFrame({"id": ["x1", "x2"], "amount": [1.5, 20.0], "active": [True, False],
...                       "tier": ["b", "a"]})
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = spec.write(frame, tmp)
...     print(path.read_text(), end="")
...     back = spec.read(tmp)
id,amount,active,tier
x1,1.50,True,b
x2,20.00,False,a
>>> back.dtypes.astype(str).tolist()
['str', 'float64', 'bool', 'category']
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from coursekit._validate import check_choice

__all__ = ["ENV_VAR", "REGENERATE", "Column", "Table", "data_dir", "dataset_folder", "output_folder", "write_tables"]

ENV_VAR = "COURSEKIT_DATA"
REGENERATE = "regenerate the files with `make data` (python -m coursekit.data) in the repository"
KINDS = ("str", "int", "float", "bool", "date", "category")
_DATETIME = "datetime64[ns]"


def data_dir() -> Path:
    """Return the folder that holds the course's CSV datasets.

    The folder is the value of the environment variable ``COURSEKIT_DATA`` if
    it is set and not empty, and otherwise the ``datasets/`` folder of the
    repository that contains this (editable-installed) package.

    Returns
    -------
    pathlib.Path
        An existing folder.

    Raises
    ------
    FileNotFoundError
        If the folder does not exist; the message says how to regenerate it.

    Examples
    --------
    >>> data_dir().name
    'datasets'
    >>> (data_dir() / "transactions_orders.csv").is_file()
    True
    """
    configured = os.environ.get(ENV_VAR, "")
    if configured:
        path = Path(configured).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(
                f"{ENV_VAR} points to {configured!r}, which is not an existing folder; "
                f"unset it to use the repository's datasets/ folder, or {REGENERATE}"
            )
        return path
    path = Path(__file__).resolve().parents[2] / "datasets"
    if not path.is_dir():
        raise FileNotFoundError(f"the datasets folder {str(path)!r} does not exist; {REGENERATE}")
    return path


def dataset_folder(directory=None, subfolder: str = "") -> Path:
    """Return the existing folder a loader reads from: ``directory`` (default :func:`data_dir`) / ``subfolder``.

    Raises
    ------
    TypeError
        If ``directory`` is not None, a non-empty str or a pathlib.Path.
    FileNotFoundError
        If the folder does not exist.
    """
    if directory is None:
        base = data_dir()
    elif isinstance(directory, (str, Path)) and str(directory) != "":
        base = Path(directory)
    else:
        raise TypeError(
            f"directory must be None or a non-empty str or pathlib.Path, got {type(directory).__name__} {directory!r}"
        )
    folder = base / subfolder if subfolder else base
    if not folder.is_dir():
        raise FileNotFoundError(f"the dataset folder {str(folder)!r} does not exist; {REGENERATE}")
    return folder


def output_folder(directory, subfolder: str = "", *, name: str = "directory") -> Path:
    """Return the folder a writer writes into (``directory`` / ``subfolder``), creating it.

    Raises
    ------
    TypeError
        If ``directory`` is not a non-empty str or pathlib.Path.
    ValueError
        If it names an existing file.
    """
    if not isinstance(directory, (str, Path)) or str(directory) == "":
        raise TypeError(f"{name} must be a non-empty str or pathlib.Path, got {type(directory).__name__} {directory!r}")
    path = Path(directory)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{name} must be a folder, got the existing file {str(path)!r}")
    path = path / subfolder if subfolder else path
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Column:
    """One column of a dataset file: its name, kind and what its values may be.

    Parameters
    ----------
    name : str
        Header of the column.
    kind : {"str", "int", "float", "bool", "date", "category"}
        How values are written and parsed (see the module docstring).
    decimals : int, optional
        Fixed number of decimals of a ``float`` column (required for it).
    categories : tuple of str, optional
        The allowed values of a ``category`` column, in order.
    ordered : bool, default False
        Whether a ``category`` column is an ordered categorical.
    optional : bool, default False
        Whether an empty field (a missing value) is allowed.
    low, high : float, optional
        Bounds (inclusive) that the values of an ``int`` or ``float`` column must respect.
    fmt : str, optional
        printf-style format of a ``float`` column whose numbers have no fixed decimals (e.g.
        ``"%g"``: ``0.1``, ``4``); give either ``decimals`` or ``fmt``.  For a ``date`` column,
        the strftime format of a time stamp other than ``"%Y-%m-%d"`` (e.g. ``"%Y-%m-%d %H:%M"``).
    blank : bool, default False
        For a ``str`` column: an empty field is the empty string ``""`` (a value, such as "no
        brand"), read back as ``""`` rather than as a missing value.
    """

    name: str
    kind: str = "str"
    decimals: int | None = None
    categories: tuple = ()
    ordered: bool = False
    optional: bool = False
    low: float | None = None
    high: float | None = None
    fmt: str | None = None
    blank: bool = False

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"name must be a non-empty str, got {self.name!r}")
        check_choice("kind", self.kind, KINDS)
        if self.kind == "float" and not isinstance(self.decimals, int) and not isinstance(self.fmt, str):
            raise ValueError(
                f"column {self.name!r}: a float column needs decimals (an int) or fmt, got {self.decimals!r}"
            )
        if self.blank and self.kind != "str":
            raise ValueError(f"column {self.name!r}: blank=True is for a str column, not a {self.kind} one")
        if self.kind == "category" and not self.categories:
            raise ValueError(f"column {self.name!r}: a category column needs its categories")
        object.__setattr__(self, "categories", tuple(self.categories))

    # writing -------------------------------------------------------------------------------
    def format(self, values) -> np.ndarray:
        """Return the column's values as the text written to the file."""
        if self.kind == "date":
            series = pd.Series(pd.to_datetime(pd.Series(values)).to_numpy())
            missing = series.isna().to_numpy()
            text = series.dt.strftime(self.fmt or "%Y-%m-%d").to_numpy(dtype=object)
        elif self.kind == "float":
            numbers = np.asarray(values, dtype=float)
            missing = np.isnan(numbers)
            fmt = self.fmt if self.fmt is not None else f"%.{self.decimals}f"
            text = np.char.mod(fmt, np.where(missing, 0.0, numbers)).astype(object)
        elif self.kind == "int":
            numbers = pd.Series(values)
            missing = numbers.isna().to_numpy()
            text = np.where(missing, "", numbers.fillna(0).to_numpy().astype(np.int64).astype(str)).astype(object)
        elif self.kind == "bool":
            flags = pd.Series(values)
            missing = flags.isna().to_numpy()
            text = np.where(flags.fillna(False).to_numpy(dtype=bool), "True", "False").astype(object)
        else:
            series = pd.Series(values)
            missing = series.isna().to_numpy()
            text = series.astype(str).to_numpy(dtype=object)
        if missing.any():
            if not self.optional:
                raise ValueError(f"column {self.name!r} must not hold missing values ({int(missing.sum())} found)")
            text = np.where(missing, "", text).astype(object)
        return text

    # reading -------------------------------------------------------------------------------
    def parse(self, text: pd.Series, filename: str):
        """Return the typed values of the text column ``text`` read from ``filename``."""
        where = f"column {self.name!r} of {filename}"
        empty = (text == "").to_numpy()
        if empty.any() and not self.optional and not self.blank:
            raise ValueError(f"{where} must not hold empty fields; {int(empty.sum())} found")
        if self.kind == "str":
            return text.astype("str").where(~empty, None) if empty.any() and not self.blank else text.astype("str")
        if self.kind == "category":
            unknown = sorted(set(text[~empty].unique()) - set(self.categories))
            if unknown:
                raise ValueError(f"{where} must hold only {', '.join(map(repr, self.categories))}; got {unknown!r}")
            return text.where(~empty, None).astype(pd.CategoricalDtype(list(self.categories), ordered=self.ordered))
        if self.kind == "bool":
            bad = sorted(set(text[~empty].unique()) - {"True", "False"})
            if bad:
                raise ValueError(f"{where} must hold True or False; got {bad!r}")
            if empty.any():
                return text.map({"True": True, "False": False, "": None})
            return (text == "True").to_numpy(dtype=bool)
        if self.kind == "date":
            try:
                return pd.to_datetime(text.replace("", None), format=self.fmt or "%Y-%m-%d").astype(_DATETIME)
            except (TypeError, ValueError) as err:
                shape = f"times as {self.fmt}" if self.fmt else "ISO dates (YYYY-MM-DD)"
                raise ValueError(f"{where} must hold {shape}: {err}") from None
        numbers = pd.to_numeric(text.replace("", None), errors="coerce")
        bad = numbers.isna().to_numpy() & ~empty
        if bad.any():
            raise ValueError(f"{where} must hold numbers; got {text[bad].iloc[0]!r}")
        values = numbers.to_numpy(dtype=float)
        if self.kind == "int":
            whole = np.isnan(values) | (values == np.round(values))
            if not whole.all():
                raise ValueError(f"{where} must hold whole numbers; got {values[~whole][0]:g}")
        inside = np.ones(values.shape, dtype=bool)
        if self.low is not None:
            inside &= np.isnan(values) | (values >= self.low)
        if self.high is not None:
            inside &= np.isnan(values) | (values <= self.high)
        if not inside.all():
            raise ValueError(f"{where} must lie in [{self.low}, {self.high}]; got {values[~inside][0]:g}")
        if self.kind == "int" and not empty.any():
            return values.astype(np.int64)
        return values


@functools.lru_cache(maxsize=32)
def _read_text(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    """Read a CSV as text columns; cached on the file's path, time and size."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")


@dataclass(frozen=True)
class Table:
    """A dataset file: its name (possibly in a sub-folder such as ``"miao/cards.csv"``) and columns."""

    filename: str
    columns: tuple = field(default_factory=tuple)

    def __post_init__(self):
        columns = tuple(self.columns)
        if not columns or not all(isinstance(c, Column) for c in columns):
            raise TypeError(f"columns of {self.filename!r} must be a non-empty sequence of Column")
        object.__setattr__(self, "columns", columns)

    @property
    def names(self) -> list[str]:
        """The header of the file."""
        return [c.name for c in self.columns]

    def write(self, frame: pd.DataFrame, directory) -> Path:
        """Write ``frame`` (which holds at least the spec's columns) as this file in ``directory``."""
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
        missing = [c for c in self.names if c not in frame.columns]
        if missing:
            raise ValueError(f"frame for {self.filename} must have the columns {self.names}; missing {missing}")
        path = output_folder(directory) / self.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        text = pd.DataFrame({c.name: c.format(frame[c.name]) for c in self.columns})
        text.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        return path

    def read_text(self, directory=None) -> pd.DataFrame:
        """Return a fresh copy of the file's text columns, after checking its header."""
        folder = dataset_folder(directory)
        path = folder / self.filename
        if not path.is_file():
            raise FileNotFoundError(f"the dataset file {str(path)!r} does not exist; {REGENERATE}")
        stat = path.stat()
        raw = _read_text(str(path), stat.st_mtime_ns, stat.st_size).copy()
        if raw.columns.tolist() != self.names:
            raise ValueError(f"{self.filename} must have the columns {self.names}, got {raw.columns.tolist()}; {REGENERATE}")
        return raw

    def read(self, directory=None) -> pd.DataFrame:
        """Read the file back into a typed frame (see the module docstring for the kinds)."""
        raw = self.read_text(directory)
        return pd.DataFrame({c.name: c.parse(raw[c.name], self.filename) for c in self.columns})


def write_tables(directory, data, data_type: type, make, tables) -> list[Path]:
    """Write a dataset's frames, each as the file of its :class:`Table`, into ``directory``.

    The writer of every dataset: ``data`` is the generator's result (a named tuple whose first
    fields are the frames to write, in the order of ``tables``; later fields, such as a summary
    of the calibration, are not written), or None for the course's dataset, ``make()``.

    Raises
    ------
    TypeError
        If ``directory`` is not a path or ``data`` is neither None nor a ``data_type``.
    ValueError
        If ``directory`` names an existing file.
    """
    folder = output_folder(directory)
    if data is None:
        data = make()
    elif not isinstance(data, data_type):
        raise TypeError(f"data must be a {data_type.__name__} or None, got {type(data).__name__}")
    if len(data) < len(tables):
        raise ValueError(f"data has {len(data)} frames, fewer than the {len(tables)} files to write")
    return [table.write(frame, folder) for table, frame in zip(tables, data)]
