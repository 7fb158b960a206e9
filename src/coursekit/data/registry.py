"""Every dataset of the course, and the command that regenerates them: ``python -m coursekit.data``.

:data:`DATASETS` maps each dataset's name to its writer, a function ``writer(directory)`` that
writes the dataset's files into ``directory`` and returns their paths.  The writers of the
data layer are listed as functions; the case datasets are written by the case modules
(``coursekit.cases.<case>``), which sit above the data layer, and the CRM files by
:mod:`coursekit.data.crm_sources`: those are listed as ``"module:function"`` strings that
:func:`writer` imports only when the dataset is written, so that the data layer never imports
the layers above it.

``make data`` runs ``python -m coursekit.data datasets``, which calls :func:`main`: it writes
every dataset into ``datasets/`` (or only those named with ``--only``), byte for byte
reproducibly, and prints the files written.

Adding a dataset
----------------
Write a module with its generator (``make_*``), its files as
:class:`coursekit.tables.Table` specs, a writer ``write_*(directory, data=None)`` and its
loaders, add the writer to :data:`DATASETS` (as ``"coursekit.cases.<case>:write_<case>"`` if it
lives above the data layer), write a data card ``datasets/cards/<name>.md`` and run ``make
data``; ``tests/data/test_registry.py`` then checks that the committed files regenerate byte
for byte.

References
----------
.. [1] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12), 86-92, 2021.
"""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from coursekit.data import bank_accounts, campaign, complaints, retention_offer, subscriptions, survey, transactions
from coursekit.tables import output_folder

__all__ = ["DATASETS", "writer", "write_datasets", "write_command", "main"]

Writer = Callable[[Path], list[Path]]

#: Every dataset of the course, in the order ``make data`` writes them: name -> writer, either a
#: function or the ``"module:function"`` path of one in a layer above ``coursekit.data``.
DATASETS: dict[str, Writer | str] = {
    "transactions": transactions.write_transactions,
    "survey": survey.write_survey,
    "complaints": complaints.write_complaints,
    "subscriptions": subscriptions.write_subscriptions,
    "fader_hardie_2007": subscriptions.write_fader_hardie,
    "bank_accounts": bank_accounts.write_bank_accounts,
    "campaign": campaign.write_campaign,
    "retention_offer": retention_offer.write_retention_offer,
    "crm": "coursekit.data.crm_sources:write_crm",
    "key_accounts": "coursekit.cases.key_accounts:write_key_accounts",
    "hotline_survey": "coursekit.cases.hotline:write_hotline_survey",
    "freshbox": "coursekit.cases.freshbox:write_freshbox",
    "miao": "coursekit.cases.miao:write_miao",
    "dicks": "coursekit.cases.dicks:write_dicks",
}


def writer(name: str) -> Writer:
    """Return the writer of the dataset ``name``, importing its module if it is given by path.

    Parameters
    ----------
    name : str
        A key of :data:`DATASETS`.

    Returns
    -------
    callable
        ``writer(directory)``, returning the paths of the files written.

    Raises
    ------
    ValueError
        If ``name`` is not a registered dataset.
    ImportError
        If the module that writes the dataset cannot be imported.

    Examples
    --------
    >>> writer("transactions").__name__, writer("miao").__name__
    ('write_transactions', 'write_miao')
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {', '.join(map(repr, DATASETS))}; got {name!r}")
    target = DATASETS[name]
    if callable(target):
        return target
    module, _, function = target.partition(":")
    try:
        return getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError) as err:
        raise ImportError(f"the writer of the dataset {name!r}, {target}, cannot be imported: {err}") from err


def write_datasets(directory, names=None) -> list[Path]:
    """Write every registered dataset (or the ones named) into ``directory``.

    The files are reproducible byte for byte: writing twice, on any day, gives identical files.
    This is what ``make data`` runs.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; it is created if it does not exist.
    names : str or iterable of str, optional
        Names of datasets from :data:`DATASETS` to write; all of them by default.

    Returns
    -------
    list of pathlib.Path
        Paths of the files written, in registry order.

    Raises
    ------
    TypeError
        If ``directory`` is not a path.
    ValueError
        If ``directory`` is an existing file, or ``names`` is empty or names an unknown dataset.

    References
    ----------
    .. [1] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12), 86-92,
       2021.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     print([p.name for p in write_datasets(tmp, "transactions")])
    ['transactions_customers.csv', 'transactions_orders.csv', 'transactions_truth.csv']
    """
    folder = output_folder(directory)
    if names is None:
        selected = list(DATASETS)
    else:
        selected = [names] if isinstance(names, str) else list(names)
        unknown = [n for n in selected if n not in DATASETS]
        if not selected or unknown:
            raise ValueError(f"names must list datasets among {', '.join(map(repr, DATASETS))}; got {names!r}")
    return [path for name in selected for path in writer(name)(folder)]


def write_command(argv, *, prog: str, description: str, writers: Iterable[Writer]) -> int:
    """A command line ``prog [DIRECTORY]`` that calls each of ``writers`` and reports the files.

    Parses an optional ``DIRECTORY`` (``datasets`` by default), calls each writer with it,
    prints every file written with its size and the time taken, and returns 0.

    Examples
    --------
    >>> import tempfile, contextlib, io
    >>> out = io.StringIO()
    >>> with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(out):
    ...     status = write_command([tmp], prog="demo", description="demo", writers=[writer("campaign")])
    >>> status, out.getvalue().count("wrote ")
    (0, 2)
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("directory", nargs="?", default="datasets", help="folder to write into (default: datasets)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    paths = [path for write in writers for path in write(args.directory)]
    _report(paths, time.perf_counter() - began)
    return 0


def _report(paths, elapsed: float) -> None:
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    print(f"done in {elapsed:.2f} s")


def main(argv=None) -> int:
    """Command line ``python -m coursekit.data [DIRECTORY] [--only NAME ...]`` (``make data``).

    Writes every registered dataset, or only those named with ``--only`` (repeatable), into
    ``DIRECTORY`` (``datasets`` by default) and prints the files written and the time taken.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        The exit status, 0.

    Examples
    --------
    >>> import tempfile, contextlib, io
    >>> with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
    ...     status = main([tmp, "--only", "fader_hardie_2007"])
    >>> status
    0
    """
    parser = argparse.ArgumentParser(
        prog="python -m coursekit.data",
        description="Regenerate the coursekit datasets (byte-for-byte reproducible).",
    )
    parser.add_argument("directory", nargs="?", default="datasets", help="folder to write into (default: datasets)")
    parser.add_argument("--only", action="append", choices=list(DATASETS), help="write only this dataset (repeatable)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    paths = write_datasets(args.directory, args.only)
    _report(paths, time.perf_counter() - began)
    return 0
