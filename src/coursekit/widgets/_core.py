"""The machinery shared by every explorer: sliders, an in-place redrawn figure, a summary."""

from __future__ import annotations

import io

import ipywidgets as W
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from coursekit import plotting

__all__ = ["Explorer", "float_slider", "int_slider"]

_SLIDER_STYLE = {"description_width": "170px"}
_LAYOUT = W.Layout(width="460px")


def float_slider(description, value, lo, hi, step, fmt=".2f"):
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         readout_format=fmt, continuous_update=False, style=_SLIDER_STYLE, layout=_LAYOUT)


def int_slider(description, value, lo, hi, step=1):
    return W.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                       continuous_update=False, style=_SLIDER_STYLE, layout=_LAYOUT)


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
        self.image = W.Image(format="png")
        self.summary = W.HTML()
        self.results: dict = {}
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = W.HBox([W.VBox(list(self.controls.values()) + [self.summary]), self.image])
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
        self.summary.value = html

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


