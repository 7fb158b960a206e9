"""The progress bar of ``coursekit grade``."""

from __future__ import annotations

import sys
import threading
import time

from coursekit.course.grading.results import STATUSES

__all__ = ["Progress"]


class Progress:
    """A one-line progress bar on stderr (in place on a terminal, every 10 % otherwise)."""

    def __init__(self, total: int, enabled: bool, stream=None, width: int = 24):
        self.total, self.enabled, self.width = total, enabled, width
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self.ran = 0  # submissions whose notebook was run (the ETA is based on these)
        self.counts = {s: 0 for s in STATUSES}
        self.start = time.monotonic()
        self.last_decile = -1
        self.lock = threading.Lock()

    def line(self) -> str:
        frac = self.done / self.total if self.total else 1.0
        filled = int(round(frac * self.width))
        c = self.counts
        elapsed = time.monotonic() - self.start
        eta = ""
        if self.ran and self.done < self.total:
            eta = f" · {(elapsed / self.ran) * (self.total - self.done):.0f} s left"
        extra = "".join(f" · {c[s]} {s}" for s in ("invalid", "error") if c[s])
        return (f"grading [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} · "
                f"{c['graded']} graded · {c['failed']} failed · {c['timeout']} timed out{extra}{eta}")

    def update(self, status: str | None = None) -> None:
        if status is not None:
            with self.lock:
                self.done += 1
                self.counts[status] += 1
                self.ran += status != "invalid"
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r" + self.line().ljust(110) + ("\n" if self.done == self.total else ""))
        else:
            decile = int(10 * self.done / self.total) if self.total else 10
            if decile == self.last_decile:
                return
            self.last_decile = decile
            self.stream.write(self.line() + "\n")
        self.stream.flush()
