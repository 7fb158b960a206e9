"""The slide metadata rule shared by the chapter and case structure tests.

The deck (jupyterlab-slideshow, ``nbconvert --to slides`` and RISE alike) reads
``metadata.slideshow.slide_type``.  A cell without it continues the current slide;
the explicit continuation value ``"-"`` is not used, because jupyterlab-slideshow
hides such cells (an explorer marked ``"-"`` vanished from its slide).
"""

from __future__ import annotations

SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes"}


def check_slide_metadata(nb) -> None:
    assert nb.cells[0].metadata.get("slideshow", {}).get("slide_type") == "slide", "the first cell opens a slide"
    for i, cell in enumerate(nb.cells):
        if "slideshow" not in cell.metadata:
            continue  # continues the current slide
        kind = cell.metadata["slideshow"].get("slide_type")
        assert kind in SLIDE_TYPES, (
            f"cell {i}: slide_type {kind!r}; use one of {sorted(SLIDE_TYPES)}, or no slideshow metadata to continue "
            "the current slide ('-' makes jupyterlab-slideshow hide the cell)")
