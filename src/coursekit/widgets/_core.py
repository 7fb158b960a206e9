"""The machinery shared by every explorer: sliders, an in-place redrawn figure, a summary."""

from __future__ import annotations

import base64
import io
import unicodedata

import ipywidgets as W
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from coursekit import plotting
from coursekit.language import tr

__all__ = ["Explorer", "float_slider", "int_slider"]

#: Width of one character of a slider label in JupyterLab's UI font (13 px sans-serif), generously:
#: the browser tests check that no label is cut short at 1366 x 768.
_CHAR_PX = 7.6
#: The slider's track and its value readout, beside the label.
_TRACK_PX, _READOUT_PX = 190, 90


def float_slider(description, value, lo, hi, step, fmt=".2f"):
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         readout_format=fmt, continuous_update=False)


def int_slider(description, value, lo, hi, step=1):
    return W.IntSlider(value=value, min=lo, max=hi, step=step, description=description, continuous_update=False)


def _width(text: str) -> int:
    """A label's width in Latin characters: a Chinese character (or a full-width sign) takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _fit_labels(controls) -> int:
    """Give every control the same label width, wide enough for the longest label; return the column width."""
    label = max(120, min(300, round(max(_width(c.description) for c in controls) * _CHAR_PX) + 12))
    width = label + _TRACK_PX + _READOUT_PX
    for control in controls:
        control.style.description_width = f"{label}px"
        control.layout.width = f"{width}px"
    return width


class Explorer:
    """Sliders + an in-place redrawn figure + a summary line.

    Parameters
    ----------
    controls : dict of str -> ipywidgets value widget
        The inputs; their current values are passed by name to ``draw``.
    draw : callable
        ``draw(ax, artists, **values) -> (results: dict, summary_html: str)``.
        On the first call ``artists`` is an empty dict: create the plot elements
        and keep them in it; on later calls update their data (much faster than
        clearing and redrawing the axes).  Returns the numbers it computed and
        an HTML summary.
    """

    def __init__(self, controls: dict, draw, *, figsize=(7.5, 4.0)):
        if not controls or not callable(draw):
            raise ValueError("an Explorer needs at least one control and a callable draw function")
        self.controls = dict(controls)
        self._draw = draw
        self._artists: dict = {}
        plotting.use_course_style()
        # A fixed layout: tight_layout would draw every frame twice (once to measure it).
        self.figure = Figure(figsize=figsize, dpi=80)
        self.figure.set_layout_engine("none")
        self.figure.subplots_adjust(left=0.15, right=0.97, bottom=0.13, top=0.9)
        self._canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        # The picture shrinks with a narrow window instead of being cut off.
        self.image = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self.results: dict = {}
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        column = _fit_labels(self.controls.values())
        self.summary = W.HTML(layout=W.Layout(width=f"{column}px"))
        # The controls keep their width; on a narrow window the picture wraps below them.
        self.widget = W.HBox(
            [W.VBox(list(self.controls.values()) + [self.summary], layout=W.Layout(flex="0 0 auto")), self.image],
            layout=W.Layout(flex_flow="row wrap", align_items="flex-start"))
        self.refresh()

    def values(self) -> dict:
        """Current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values) -> None:
        """Set several controls at once (as a user would) and redraw once."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; allowed: {sorted(self.controls)}")
        with self.widget.hold_sync():
            for control in self.controls.values():
                control.unobserve(self._on_change, names="value")
            try:
                for name, value in values.items():
                    self.controls[name].value = value
            finally:
                for control in self.controls.values():
                    control.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, _change) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute, update the plot's data and re-render it in place."""
        self.results, html = self._draw(self.ax, self._artists, **self.values())
        self.ax.relim()
        self.ax.autoscale_view()
        buffer = io.BytesIO()
        # Straight to the Agg canvas (savefig adds ~20 ms of bookkeeping); light PNG compression.
        self._canvas.print_png(buffer, pil_kwargs={"compress_level": 1})
        self.image.value = buffer.getvalue()
        # ipywidgets gives HTML the line height of a slider row; a summary reads better set like text.
        self.summary.value = f'<div style="line-height: 1.45">{html}</div>'

    def static_png(self) -> bytes:
        """The current picture as a compact PNG (the live image is encoded for speed, not size)."""
        buffer = io.BytesIO()
        self._canvas.print_png(buffer)
        return buffer.getvalue()

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, plus the picture as it is now for everything that cannot run widgets.

        JupyterLab shows the widget; an HTML export, GitHub or a notebook reopened without its
        kernel falls back on the ``image/png`` (the first picture) instead of the widget's text.
        """
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["image/png"] = base64.b64encode(self.static_png()).decode("ascii")
        data["text/plain"] = tr("An explorer: run the notebook in JupyterLab to move its sliders.")
        return bundle


