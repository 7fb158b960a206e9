"""Every explorer of the course, in the state a notebook shows it: what its controls do and what it exports."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from coursekit import language, widgets
from coursekit.cases import bank, cdnow, dicks, freshbox, hotline, key_accounts, miao, small_rolls

MODULES = (*widgets.CHAPTER_MODULES, freshbox, miao, dicks, small_rolls, bank, key_accounts, hotline, cdnow)
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


#: Lower-case words that stay as they are in Chinese text: parts of a model's or a symbol's name.
_KEPT = {"alive", "gamma"}
_WORD = re.compile(r"(?<![\\\w$])[a-z]{4,}(?!\w)")


def visible_text(ex) -> list[str]:
    """Every text a student reads in an explorer: its slider labels, its summary, and its figure's titles,
    axis labels, tick labels, legends and annotations."""
    texts = [c.description for c in ex.controls.values()]
    texts.append(re.sub(r"<[^>]+>|&\w+;", " ", ex.summary.value))
    for ax in ex.figure.axes:
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts)]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()] + [legend.get_title().get_text()]
    texts += [t.get_text() for t in ex.figure.texts]
    return [t for t in texts if t and t.strip()]


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_explorer_speaks_chinese_in_the_chinese_edition(name):
    """Issue 15: with ``language.set_language("简体中文")`` an explorer's labels, summary and figure are
    Chinese — no English word is left, beyond model names and symbols."""
    language.set_language("简体中文")
    try:
        ex = EXPLORERS[name]()
        texts = visible_text(ex)
    finally:
        language.set_language("English")
    english = sorted({w for t in texts for w in _WORD.findall(re.sub(r"\$[^$]*\$", "", t)) if w not in _KEPT})
    assert not english, f"{name}: English words left in the Chinese explorer: {english}"
    assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts), name


def test_english_is_unchanged_after_chinese():
    """Switching back to English gives the English labels again (the language is read at build time)."""
    name = sorted(EXPLORERS)[0]
    language.set_language("简体中文")
    language.set_language("English")
    texts = visible_text(EXPLORERS[name]())
    assert not any(re.search(r"[\u4e00-\u9fff]", t) for t in texts), texts
