"""Running a teacher notebook, with extra probe cells, in a kernel of its own (shared by the slow course tests)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from jupyter_client.manager import KernelManager
from nbclient import NotebookClient


def execute(nb, folder: Path, timeout: int = 300) -> None:
    """Run every cell of ``nb`` in place, from ``folder``; errors are kept in the outputs, not raised.

    The kernel talks over IPC sockets, not TCP ports: it starts while nbval's kernels start on other
    workers, and two kernels picking the same free TCP port at once is a known start-up race ("Kernel died
    before replying").
    """
    with tempfile.TemporaryDirectory() as sockets:
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
        NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(folder)}},
                       allow_errors=True).execute()


def printed_lines(cell, mark: str) -> list[str]:
    """The lines a code cell printed that start with ``mark``, without the mark."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
    return [line[len(mark):] for line in text.splitlines() if line.startswith(mark)]
