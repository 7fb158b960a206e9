"""``make bench``: measure the performance budgets and print a table.

Measured here, never asserted in tests:

* every solution notebook, both editions, Run All in a fresh kernel (kernel start included) — budget 10 s;
* the Chinese edition's pipeline: checking every catalogue (notebooks, documents, the package's messages)
  ≤ 30 s, and translating every notebook in memory from source + catalogue ≤ 30 s;
* every widget callback (recompute + redraw), median of repeated slider moves — budget 100 ms;
* the leaky bucket with 10 million customers over 120 months (one stochastic run) — "well under 1 s";
* building the customer database ≤ 2 s; matching 100,000 contact records ≤ 10 s; an sBG fit ≤ 20 ms;
  the retention-budget allocator (10 segments × 3 instruments) ≤ 1 s;
* the repeat-buying models on the CDNOW sample: BG/NBD fit ≤ 50 ms, Pareto/NBD ≤ 200 ms, gamma-gamma
  ≤ 20 ms, P(alive) for a million customers ≤ 1 s, and the same fits with ``lifetimes`` 0.11.3
  installed into a scratch folder (times and ratio; skipped if it cannot be installed);
* grading 100 Chapter 1 submissions with ``coursekit grade`` and with plain sequential
  ``nbgrader autograde`` in the same run (times and ratio);
* ``make site`` (both editions, from the executed notebooks, nothing re-run) — budget 5 minutes — and
  ``make slides``, each into a scratch folder;
* ``make test`` on a fresh clone of the repository, install included — budget 10 minutes.

The table is printed and written to a Markdown file (default ``build/bench.md``).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from coursekit import crm, widgets
from coursekit.cases import bank, dicks, freshbox, hotline, key_accounts, miao, small_rolls
from coursekit.cases import cdnow as cdnow_case
from coursekit.course import notebooks, site, slides, translation
from coursekit.course.grading import measure_grading
from coursekit.data.cdnow import cdnow_summary
from coursekit.data.crm_contacts import make_contacts
from coursekit.data.subscriptions import fader_hardie_survivors
from coursekit.models import allocation, bgnbd, gamma_gamma, pareto_nbd, survival
from coursekit.models.bucket import HOLES, Bucket, simulate

__all__ = ["measure_notebooks", "measure_translation", "measure_publishing", "measure_widgets", "measure_bucket", "measure_fresh_clone", "main"]


def _row(what, budget, seconds, limit):
    status = "ok" if seconds <= limit else "OVER BUDGET"
    shown = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return (what, budget, shown, status)


def measure_notebooks():
    rows = []
    for path in notebooks.solution_notebooks(editions=True):
        _, seconds = notebooks.execute(path, inplace=False)
        rows.append(_row(f"Run All: {path.parent.name}/{path.name}", "≤ 10 s", seconds, 10))
    return rows


def measure_translation():
    root = notebooks.repo_root()
    sources = notebooks.solution_notebooks()
    start = time.perf_counter()
    problems = [p for path in sources for p in translation.catalogue_problems(path, root)]
    problems += [p for path in translation.document_paths(root) for p in translation.document_problems(path, root)]
    problems += translation.package_catalogue_problems(root)
    checked = time.perf_counter() - start
    start = time.perf_counter()
    for path in sources:
        translation.translated_notebook(path, root, check=False)
    built = time.perf_counter() - start
    return [_row(f"Translation check: {len(sources)} notebook catalogues, the documents' and the package's "
                 f"({len(problems)} problems)", "≤ 30 s", checked, 30),
            _row(f"Translation build: {len(sources)} Chinese notebooks from source + catalogue (in memory)",
                 "≤ 30 s", built, 30)]


def _median_callback(explorer, moves):
    times = []
    for values in moves:
        start = time.perf_counter()
        explorer.set(**values)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_widgets():
    rows = []
    for module in (*widgets.CHAPTER_MODULES, freshbox, miao, dicks, small_rolls, bank, key_accounts, hotline, cdnow_case):
        for name, (factory, moves) in module.BENCH.items():
            seconds = _median_callback(factory(), moves)
            rows.append(_row(f"Widget callback: {name} (median)", "≤ 100 ms", seconds, 0.1))
    return rows


def measure_bucket(repeats: int = 5):
    b = Bucket(leak_rates={h: 0.004 for h in HOLES}, inflow=200_000, initial=10_000_000)
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        simulate(b, 120, seed=seed)
        times.append(time.perf_counter() - start)
    return [_row("Bucket simulation: 10 million customers × 120 months (median)", "< 1 s",
                 statistics.median(times), 1.0)]


def _median_time(func, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_models():
    """The calculators with a budget of their own (issues 3 and 4)."""
    rows = [_row("Customer database: build from the raw files (median of 3)", "≤ 2 s",
                 _median_time(lambda: crm.build_database().close(), 3), 2.0)]
    contacts, _ = crm.clean_contacts(make_contacts(100_000))
    rows.append(_row("Duplicate matching: 100,000 contact records (blocking)", "≤ 10 s",
                     _median_time(lambda: crm.match(contacts), 1), 10.0))
    survivors = fader_hardie_survivors("regular", 7)
    rows.append(_row("sBG fit: Fader-Hardie regular cohort, years 0-7 (median of 50)", "≤ 20 ms",
                     _median_time(lambda: survival.fit_sbg(survivors), 50), 0.02))
    base = allocation.EXAMPLE_SEGMENTS
    segments = pd.DataFrame({
        "segment": [f"S{i}" for i in range(10)],
        "customers": [int(base["customers"].iloc[i % 4]) + 100 * i for i in range(10)],
        "margin": [float(base["margin"].iloc[i % 4]) * (1 + 0.05 * i) for i in range(10)],
        "retention": [float(base["retention"].iloc[i % 4]) for i in range(10)],
    })
    rows.append(_row("Budget allocator: 10 segments × 3 instruments (median of 5)", "≤ 1 s",
                     _median_time(lambda: allocation.allocate_budget(segments, allocation.BERRY_INSTRUMENTS,
                                                                     500_000), 5), 1.0))
    return rows


_LIFETIMES_SCRIPT = """
import json, statistics, sys, time
from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value
d = load_cdnow_summary_data_with_monetary_value()
r = d[d["frequency"] > 0]
def med(f, n):
    out = []
    for _ in range(n):
        t = time.perf_counter(); f(); out.append(time.perf_counter() - t)
    return statistics.median(out)
json.dump({"bgnbd": med(lambda: BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"]), 5),
           "pareto_nbd": med(lambda: ParetoNBDFitter().fit(d["frequency"], d["recency"], d["T"]), 3),
           "gamma_gamma": med(lambda: GammaGammaFitter().fit(r["frequency"], r["monetary_value"]), 5)}, sys.stdout)
"""


def _lifetimes_times() -> dict | None:
    """Time the same fits with ``lifetimes`` 0.11.3, installed into a scratch folder (None if it cannot be)."""
    with tempfile.TemporaryDirectory() as tmp:
        install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", tmp,
                                  "lifetimes==0.11.3", "autograd", "dill"], capture_output=True, text=True)
        if install.returncode != 0:
            return None
        env = dict(os.environ, PYTHONPATH=tmp)
        run = subprocess.run([sys.executable, "-c", _LIFETIMES_SCRIPT], capture_output=True, text=True, env=env)
        if run.returncode != 0:
            return None
        return json.loads(run.stdout)


def measure_repeat_buying(compare: bool = True):
    """Issue 14: the repeat-buying fits on CDNOW (2,357 customers) and P(alive) for a million customers."""
    s = cdnow_summary()
    x, t_x, big_t = s["frequency"].to_numpy(), s["recency"].to_numpy(), s["T"].to_numpy()
    rep = s[s["frequency"] > 0]
    ours = {
        "bgnbd": _median_time(lambda: bgnbd.fit_bgnbd(x, t_x, big_t), 20),
        "pareto_nbd": _median_time(lambda: pareto_nbd.fit_pareto_nbd(x, t_x, big_t), 5),
        "gamma_gamma": _median_time(lambda: gamma_gamma.fit_gamma_gamma(rep["frequency"], rep["monetary_value"]), 20),
    }
    rows = [_row("BG/NBD fit: CDNOW, 2,357 customers (median of 20)", "≤ 50 ms", ours["bgnbd"], 0.05),
            _row("Pareto/NBD fit: CDNOW, 2,357 customers (median of 5)", "≤ 200 ms", ours["pareto_nbd"], 0.2),
            _row("gamma-gamma fit: CDNOW, 946 repeat buyers (median of 20)", "≤ 20 ms", ours["gamma_gamma"], 0.02)]
    rng = np.random.default_rng(14)
    n = 1_000_000
    big = rng.uniform(30.0, 39.0, n)
    freq = rng.poisson(1.0, n).astype(float)
    rec = np.where(freq > 0, big * rng.uniform(0.01, 1.0, n), 0.0)
    fit_b = bgnbd.BGNBDFit(0.243, 4.414, 0.793, 2.426)
    fit_p = pareto_nbd.ParetoNBDFit(0.553, 10.578, 0.606, 11.669)
    rows.append(_row("BG/NBD P(alive): 1 million customers (median of 5)", "≤ 1 s",
                     _median_time(lambda: bgnbd.bgnbd_p_alive(fit_b, freq, rec, big), 5), 1.0))
    rows.append(_row("Pareto/NBD P(alive): 1 million customers (median of 3)", "≤ 1 s",
                     _median_time(lambda: pareto_nbd.pareto_nbd_p_alive(fit_p, freq, rec, big), 3), 1.0))
    theirs = _lifetimes_times() if compare else None
    if theirs is None:
        rows.append(("Same fits with lifetimes 0.11.3", "—", "not measured (could not install it)", "ok"))
    else:
        for key, label in (("bgnbd", "BG/NBD"), ("pareto_nbd", "Pareto/NBD"), ("gamma_gamma", "gamma-gamma")):
            rows.append((f"{label} fit: lifetimes 0.11.3 on the same data / coursekit", "—",
                         f"{theirs[key] * 1000:.0f} ms / {ours[key] * 1000:.0f} ms = {theirs[key] / ours[key]:.1f}×", "ok"))
    return rows


def measure_grading_throughput(n: int = 100, jobs: int = 2):
    """Issues 6 and 10: sandboxed, two-phase `coursekit grade` vs sequential `nbgrader autograde`."""
    m = measure_grading(n=n, jobs=jobs)
    what = f"Grading {m['n']} Chapter 1 submissions"
    return [
        (f"{what}: coursekit grade, sandboxed, two phases (--jobs {m['jobs']})", "—",
         f"{m['coursekit_seconds']:.1f} s", "ok"),
        (f"{what}: nbgrader autograde (sequential)", "—", f"{m['nbgrader_seconds']:.1f} s", "ok"),
        (f"{what}: speed-up, scores agree: {m['scores_agree']}", "≥ 4×", f"{m['ratio']:.2f}×",
         "ok" if m["ratio"] >= 4 and m["scores_agree"] else "CHECK"),
    ]


def measure_publishing():
    """``make site`` and ``make slides``, each built into a scratch folder."""
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        built = site.build_site(Path(scratch) / "site")
        seconds = time.perf_counter() - start
        pages = ", ".join(f"{edition} {n}" for edition, n in built["pages"].items())
        rows.append(_row(f"make site: both editions ({pages} pages; Jupyter Book "
                         f"{built['seconds']['build']:.0f} s, font {built['seconds']['font']:.0f} s)",
                         "≤ 5 min", seconds, 300))
        start = time.perf_counter()
        *decks, _index = slides.build_slides(Path(scratch) / "slides")
        seconds = time.perf_counter() - start
        rows.append(_row(f"make slides: {len(decks)} decks and their index, both editions", "≤ 5 min", seconds, 300))
    return rows


def measure_fresh_clone():
    root = notebooks.repo_root()
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "coursekit"
        subprocess.run(["git", "clone", "--quiet", str(root), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
        start = time.perf_counter()
        result = subprocess.run(["make", "test"], cwd=clone, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    what = "`make test` on a fresh clone (install included)"
    if result.returncode != 0:
        return [(what, "≤ 10 min", f"{seconds:.0f} s", "FAILED")]
    return [_row(what, "≤ 10 min", seconds, 600)]


def main(output: str = "build/bench.md", fresh_clone: bool = True, grading: bool = True) -> str:
    rows = (measure_notebooks() + measure_translation() + measure_publishing() + measure_widgets() + measure_bucket()
            + measure_models() + measure_repeat_buying())
    if grading:
        rows += measure_grading_throughput()
    if fresh_clone:
        rows += measure_fresh_clone()
    header = ("measurement", "budget", "measured", "status")
    lines = [
        f"# coursekit benchmark ({platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()})",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8")
    print(f"written to {out}")
    return table
