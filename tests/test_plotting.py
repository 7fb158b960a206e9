import pytest

from coursekit import plotting


def test_label_requires_title_and_axis_labels():
    fig, ax = plotting.figure()
    plotting.label(ax, "Title", "x (unit)", "y (unit)")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Title", "x (unit)", "y (unit)")
    for args in (("", "x", "y"), ("t", " ", "y"), ("t", "x", None)):
        with pytest.raises(ValueError, match="non-empty"):
            plotting.label(ax, *args)


def test_axis_formatters():
    fig, ax = plotting.figure()
    plotting.money_axis(ax)
    assert ax.yaxis.get_major_formatter()(360000, 0) == "$360,000"
    plotting.percent_axis(ax, "x")
    assert ax.xaxis.get_major_formatter()(0.25, 0).startswith("25")
    with pytest.raises(ValueError, match="axis"):
        plotting.money_axis(ax, "z")
    with pytest.raises(ValueError, match="ncols"):
        plotting.figure(ncols=0)
