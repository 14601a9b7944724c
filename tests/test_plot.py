"""SVG plots drawn by refnet (refnet/plot.py): coordinates, ticks, gaps, colours, errors.

Every expected coordinate is computed by hand from plot.py's layout constants: the plot area
runs from x = LEFT = 72 to WIDTH − RIGHT = 616 and from y = TOP = 44 down to
HEIGHT − BOTTOM = 364, and a value v on an axis from a to b sits at 72 + (v − a)/(b − a)·544
(x) or 364 − (v − a)/(b − a)·320 (y). The tick steps are 1, 2 or 5 · 10ᵉ for about five ticks.
The same numbers are expected on every runtime: that is what makes the output deterministic
across them (the coordinates are written from integers, never by float formatting).
"""

import sys

from _support import raises, skip
from refnet import InputError
from refnet import plot

SVG = "{http://www.w3.org/2000/svg}"


def parsed(text):
    """The SVG's root element (xml.etree on CPython and PyPy); skip where there is no XML parser."""
    try:
        from xml.etree import ElementTree
    except ImportError:
        skip("no xml.etree on " + sys.implementation.name)
    return ElementTree.fromstring(text)


def test_digits_writes_tenths_from_an_integer():
    # floor(10x + ½) tenths: 12 → "12", −3.25 → floor(−32) = −32 → "-3.2", 0.04 → 0, 0.05 → 1 tenth
    assert [plot._digits(x) for x in (12.0, -3.25, 0.04, 0.05, -0.04, 343.96, 1e6)] == [
        "12", "-3.2", "0", "0.1", "0", "344", "1000000"]


def test_ticks_are_steps_of_1_2_or_5_times_a_power_of_ten():
    # (0, 1): a fifth is 0.2, a 2·10⁻¹ step; (1, 200): 39.8 → 50; (0.2775, 0.5297): 0.0504 → 0.1;
    # (−1.5, 2.5): 0.8 → 1, widened to whole steps −2 … 3; a single value 5: the range 4 … 6, 0.4 → 0.5
    start, end, marks = plot._ticks(0.0, 1.0)
    assert (start, end) == (0.0, 1.0) and [label for _, label in marks] == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    assert [label for _, label in plot._ticks(1.0, 200.0)[2]] == ["0", "50", "100", "150", "200"]
    assert [label for _, label in plot._ticks(0.2775, 0.5297)[2]] == ["0.2", "0.3", "0.4", "0.5", "0.6"]
    assert [label for _, label in plot._ticks(-1.5, 2.5)[2]] == ["-2", "-1", "0", "1", "2", "3"]
    assert [label for _, label in plot._ticks(5.0, 5.0)[2]] == ["4.0", "4.5", "5.0", "5.5", "6.0"]
    # (0.001, 0.004): 0.0006 → 0.001, labels written from integers (no 0.0030000000000000001)
    assert [label for _, label in plot._ticks(0.001, 0.004)[2]] == ["0.001", "0.002", "0.003", "0.004"]


def test_line_chart_places_the_points_by_hand():
    # xs 1, 2, 3 → axis 1.0 … 3.0 (step 0.5): x = 72, 344, 616; ys 0, 1, 0.5 → axis 0 … 1: y = 364, 44, 204
    text = plot.line_chart([0.0, 1.0, 0.5], title="loss", x_label="epoch", y_label="J")
    assert '<polyline points="72,364 344,44 616,204" ' in text
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="420" viewBox="0 0 640 420"')
    assert text.endswith("</svg>\n") and "<?xml" not in text  # standalone, and pastable inline into HTML
    assert text == plot.line_chart([0.0, 1.0, 0.5], title="loss", x_label="epoch", y_label="J")


def test_line_chart_parses_as_svg_with_title_axes_and_tick_labels():
    root = parsed(plot.line_chart([0.53, 0.47, 0.41, 0.36, 0.31], title="Loss <J> & more", x_label="epoch",
                                  y_label="J"))
    assert root.tag == SVG + "svg"
    texts = [element.text for element in root.iter(SVG + "text")]
    assert "Loss <J> & more" in texts and "epoch" in texts and "J" in texts
    # y ticks for 0.31 … 0.53: a fifth of 0.22 is 0.044 → a step of 0.05, from 0.30 to 0.55
    assert [t for t in texts if t.startswith("0.")] == ["0.30", "0.35", "0.40", "0.45", "0.50", "0.55"]
    assert root.find(SVG + "title").text == "Loss <J> & more"
    assert len(root.findall(SVG + "polyline")) == 1


def test_line_chart_draws_nan_and_inf_as_gaps():
    # 1 | nan | 2, 3 | inf | 4: two single points (dots) and one line of two points
    text = plot.line_chart([1.0, float("nan"), 2.0, 3.0, float("inf"), 4.0])
    assert text.count("<polyline") == 1 and text.count("<circle") == 2
    error = raises(InputError, plot.line_chart, [float("nan"), float("inf")])
    assert "line_chart(ys)" in str(error) and "none finite" in str(error)


def test_line_chart_refuses_what_it_cannot_draw():
    cases = [(([],), {}, "line_chart(ys): expected at least one number, got an empty list"),
             (([1.0, True],), {}, "line_chart(ys)[1]"),
             (("0.5",), {}, "line_chart(ys): expected a list of numbers"),
             (([1.0, 2.0],), {"xs": [1.0]}, "line_chart(xs): expected 2 numbers"),
             (([1.0, 2.0],), {"xs": [1.0, float("nan")]}, "line_chart(xs)[1]"),
             (([1.0],), {"title": 3}, "line_chart(title)")]
    for args, kwargs, words in cases:
        error = raises(InputError, plot.line_chart, *args, **kwargs)
        assert words in str(error), (words, str(error))


def left_or_right(point):
    return 1 if point[0] > 0.0 else 0


def test_decision_boundary_colours_cells_by_prediction_and_points_by_label():
    # points x in [−1, 1], y in [0, 1]: margins 0.2 and 0.1 → x from −1.2 to 1.2 (a fifth: 0.48 → step
    # 0.5, axis −1.5 … 1.5), y from −0.1 to 1.1 (0.24 → step 0.5, axis −0.5 … 1.5). 4 × 4 cells of
    # width 0.75: centres −1.125, −0.375 (class 0), 0.375, 1.125 (class 1), so each row is two runs
    # that meet at x = 0: pixel 72 + 1.5/3·544 = 344
    text = plot.decision_boundary(left_or_right, [[-1.0, 0.0], [1.0, 0.0], [0.5, 1.0]], [0, 1, 0], grid=4)
    assert text.count('fill="#c6dbef"/>') == 4 and text.count('fill="#fdd0a2"/>') == 4
    assert text.count('<rect x="344" ') == 4  # every row's class-1 run starts at x = 0
    # the points: colour by label (class 0 blue, class 1 orange), with an outline
    # (−1, 0): x = 72 + 0.5/3·544 = 162.67, y = 364 − 0.5/2·320 = 284; (1, 0): x = 72 + 2.5/3·544 = 525.33;
    # (0.5, 1): x = 72 + 2/3·544 = 434.67, y = 364 − 1.5/2·320 = 124
    assert '<circle cx="162.7" cy="284" r="4" fill="#1f77b4" stroke="#222222"' in text  # label 0
    assert '<circle cx="525.3" cy="284" r="4" fill="#ff7f0e" stroke="#222222"' in text  # label 1
    assert '<circle cx="434.7" cy="124" r="4" fill="#1f77b4" stroke="#222222"' in text  # label 0, in region 1
    assert "class 0</text>" in text and "class 1</text>" in text
    assert text == plot.decision_boundary(left_or_right, [[-1.0, 0.0], [1.0, 0.0], [0.5, 1.0]], [0, 1, 0], grid=4)


def test_decision_boundary_parses_as_svg():
    root = parsed(plot.decision_boundary(left_or_right, [[-1.0, 0.0], [1.0, 0.5]], [0, 1], title="moons", grid=10))
    assert root.tag == SVG + "svg"
    circles = root.findall(".//" + SVG + "circle")
    assert len(circles) == 2 + 2  # two points, two legend marks
    assert "moons" in [element.text for element in root.iter(SVG + "text")]


def test_decision_boundary_refuses_what_it_cannot_draw():
    points = [[0.0, 0.0], [1.0, 1.0]]
    cases = [((left_or_right, points, [0]), {}, "decision_boundary(labels): expected 2 labels, one per point, got 1"),
             ((left_or_right, points, [0, -1]), {}, "decision_boundary(labels)[1]"),
             ((left_or_right, points, [0, True]), {}, "decision_boundary(labels)[1]"),
             ((left_or_right, points, "01"), {}, "decision_boundary(labels)"),
             ((left_or_right, [], []), {}, "decision_boundary(points): expected a non-empty list"),
             ((left_or_right, [[0.0, float("nan")]], [0]), {}, "decision_boundary(points)[0]: expected finite"),
             ((left_or_right, [[0.0]], [0]), {}, "decision_boundary(points)[0]: expected a point [x, y]"),
             ((lambda p: "one", points, [0, 1]), {}, "decision_boundary(predict): expected a class label"),
             ((lambda p: 0.5, points, [0, 1]), {}, "decision_boundary(predict)"),
             (("predict", points, [0, 1]), {}, "decision_boundary(predict): expected a function"),
             ((left_or_right, points, [0, 1]), {"grid": 1}, "decision_boundary(grid)"),
             ((left_or_right, points, [0, 1]), {"grid": 10000}, "decision_boundary(grid)")]
    for args, kwargs, words in cases:
        error = raises(InputError, plot.decision_boundary, *args, **kwargs)
        assert words in str(error), (words, str(error))
