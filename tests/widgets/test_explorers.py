"""Every explorer of the course, in the state a notebook shows it: what its controls do and what it exports."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from coursekit import widgets
from coursekit.cases import bank, dicks, freshbox, hotline, key_accounts, miao, small_rolls

MODULES = (*widgets.CHAPTER_MODULES, freshbox, miao, dicks, small_rolls, bank, key_accounts, hotline)
EXPLORERS = {name: factory for module in MODULES for name, (factory, _) in module.BENCH.items()}


@pytest.fixture(scope="module", params=sorted(EXPLORERS))
def explorer(request):
    return request.param, EXPLORERS[request.param]()


def _steps(control, n=9):
    """n values spread over the control's range, on its step grid."""
    values = np.linspace(control.min, control.max, n)
    return sorted({type(control.value)(min(max(round(v / control.step) * control.step, control.min), control.max))
                   for v in values})


def test_every_control_changes_the_picture(explorer):
    """Issue 11: a slider that changes nothing visible goes; each one moves the picture itself."""
    name, ex = explorer
    start, picture = ex.values(), ex.image.value
    for key, control in ex.controls.items():
        moved = []
        for value in _steps(control):
            ex.set(**{key: value})
            moved.append(ex.image.value != picture)
            ex.set(**start)
        assert any(moved), f"{name}: moving {control.description!r} over its range never changes the picture"


def test_labels_get_the_room_they_need(explorer):
    name, ex = explorer
    widths = {c.style.description_width for c in ex.controls.values()}
    assert len(widths) == 1, f"{name}: the labels of one explorer line up"
    room = int(widths.pop().removesuffix("px"))
    longest = max(len(c.description) for c in ex.controls.values())
    assert room >= 7 * longest, f"{name}: {room} px for a label of {longest} characters"


def test_the_display_carries_a_static_picture(explorer):
    """What HTML exports, GitHub and a notebook reopened without widgets show instead of ``HBox(children=…``."""
    name, ex = explorer
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG"), name
    assert "HBox" not in bundle["text/plain"] and "JupyterLab" in bundle["text/plain"]
