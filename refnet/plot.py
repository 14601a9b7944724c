"""Two plots drawn by refnet itself as SVG text: a line chart (the loss curve) and a decision boundary.

002_22dd3b33c61b9037.txt ends its pipeline with plot_results(X_val, y_val, model): the test
points over the regions the trained network assigns to each class. These functions draw that
picture, and the loss per epoch, with no plotting library:

    line_chart(ys, title, x_label, y_label, xs)      axes, tick labels, title; the series as a line
    decision_boundary(predict, points, labels, …)    grid × grid cells coloured by predict([x, y]),
                                                     the points as outlined circles coloured by their
                                                     label, a legend

Each returns a standalone SVG document (<svg xmlns="http://www.w3.org/2000/svg" …>, no XML
declaration), so it can be written to a .svg file or pasted inline into HTML. The bytes are the
same on every runtime: every coordinate is an integer number of tenths of a pixel, rounded as
floor(10x + ½) and written by _digits() below (never by float formatting, whose last digit
differs between runtimes); tick labels are integers times 1, 2 or 5 · 10ᵉ, written from integers.

Values that are not finite (nan, ±inf) in a line chart are drawn as gaps: the line stops
before them and starts again after (a diverging run shows where it diverged); a series with no
finite value is refused. Points and labels must be finite numbers and class labels (ints ≥ 0).
Classes are coloured from a ten-colour palette, class k with colour k mod 10.
"""

import math

from refnet._checks import as_float, as_int, as_text, shown
from refnet.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Optional, Sequence, Tuple

    Ticks = List[Tuple[float, str]]

# (point colour, region colour) for class k mod 10
PALETTE = [("#1f77b4", "#c6dbef"), ("#ff7f0e", "#fdd0a2"), ("#2ca02c", "#c7e9c0"), ("#d62728", "#fcbba1"),
           ("#9467bd", "#dadaeb"), ("#8c564b", "#e6d2c8"), ("#e377c2", "#f7d4ec"), ("#7f7f7f", "#e0e0e0"),
           ("#bcbd22", "#eeeeb8"), ("#17becf", "#c3eff4")]
LINE_COLOUR = "#1f77b4"
AXIS_COLOUR = "#333333"
GRID_COLOUR = "#dddddd"
WIDTH = 640
HEIGHT = 420
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 44, 56  # room around the plot area for labels
LEGEND = 120                               # extra width on the right of a decision boundary
MAX_GRID = 400
SMALLEST_STEP = 1e-300  # tick steps outside [SMALLEST_STEP, LARGEST_STEP) are not powers of ten a float holds
LARGEST_STEP = 1e307


def _digits(x: float) -> str:
    """x to one decimal, the same text on every runtime: the integer floor(10x + ½), written
    with its decimal point; '.0' is left out (12.0 → '12', -3.25 → '-3.2', 0.04 → '0')."""
    return _written(int(math.floor(x * 10.0 + 0.5)))


def _written(tenths: int) -> str:
    """An integer number of tenths as _digits() writes it: 125 → '12.5', -30 → '-3', 0 → '0'."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}" if tenth == 0 else f"{sign}{whole}.{tenth}"


def _escape(text: str) -> str:
    """Text safe inside an SVG element or attribute."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _times_power_of_ten(n: float, exponent: int) -> float:
    """n · 10ᵉ with one correctly rounded operation (10^|e| is an exact integer), so every runtime agrees."""
    scale = float(10 ** abs(exponent))  # exact for |e| <= 22
    return n * scale if exponent >= 0 else n / scale


def _ticks(low: float, high: float, wanted: int = 5, where: str = "axis") -> "Tuple[float, float, Ticks]":
    """(axis start, axis end, [(value, label)…]): about `wanted` ticks at multiples of a step of
    1, 2 or 5 · 10ᵉ, the axis widened to whole steps around [low, high]. InputError (naming
    `where`) for a range no axis of floats can hold: wider than the float range, or narrower
    than SMALLEST_STEP·wanted without being a single value."""
    shown_range = f"{low!r} to {high!r}"
    if not high > low:  # one value: a unit range around it (a range of its size, far from 0)
        half = 1.0 if abs(low) < 1e15 else 0.5 * abs(low)
        low, high = low - half, high + half
    raw = (high - low) / wanted
    if not (SMALLEST_STEP <= raw < LARGEST_STEP):
        raise InputError(f"{where}: the values span {shown_range}; expected a range an axis can show, "
                         f"at most {LARGEST_STEP * wanted:g} wide and at least {SMALLEST_STEP * wanted:g}")
    exponent = int(math.floor(math.log10(raw)))
    while _times_power_of_ten(1.0, exponent) > raw:   # correct log10's last bit, where it matters
        exponent -= 1
    while _times_power_of_ten(1.0, exponent + 1) <= raw:
        exponent += 1
    normalised = raw / _times_power_of_ten(1.0, exponent)
    mantissa = 1 if normalised <= 1.0 else 2 if normalised <= 2.0 else 5 if normalised <= 5.0 else 10
    if mantissa == 10:
        mantissa, exponent = 1, exponent + 1
    step = _times_power_of_ten(float(mantissa), exponent)
    first = int(math.floor(low / step))
    last = int(math.ceil(high / step))
    marks = []
    for index in range(first, last + 1):
        n = index * mantissa
        if exponent >= 0:
            label = str(n * 10 ** exponent)
        else:
            places = -exponent
            text = f"{abs(n):0{places + 1}d}"
            label = ("-" if n < 0 else "") + text[:-places] + "." + text[-places:]
        marks.append((_times_power_of_ten(float(n), exponent), label))
    if not math.isfinite(marks[-1][0] - marks[0][0]):
        raise InputError(f"{where}: the values span {shown_range}; expected a range an axis can show, "
                         f"whose ends rounded out to whole steps of {step!r} stay within the float range")
    return marks[0][0], marks[-1][0], marks


class _Frame:
    """The plot area: data coordinates (x from left to right, y from bottom to top) to pixels."""

    def __init__(self, x_range: "Tuple[float, float]", y_range: "Tuple[float, float]", width: int,
                 height: int) -> None:
        self.x_low, self.x_high = x_range
        self.y_low, self.y_high = y_range
        self.right = width - RIGHT
        self.bottom = height - BOTTOM

    def x(self, value: float) -> float:
        return LEFT + (value - self.x_low) / (self.x_high - self.x_low) * (self.right - LEFT)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.y_low) / (self.y_high - self.y_low) * (self.bottom - TOP)


def _axes(frame: _Frame, x_ticks: "Ticks", y_ticks: "Ticks", title: str, x_label: str, y_label: str,
          width: int, height: int, grid_lines: bool) -> "List[str]":
    """The title, grid lines, axes, ticks and their labels, and the axis labels."""
    parts = [f'<text x="{_digits(width / 2)}" y="24" text-anchor="middle" font-size="15">{_escape(title)}</text>']
    for value, label in x_ticks:
        x = _digits(frame.x(value))
        if grid_lines:
            parts.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{frame.bottom}" stroke="{GRID_COLOUR}"/>')
        parts.append(f'<line x1="{x}" y1="{frame.bottom}" x2="{x}" y2="{frame.bottom + 5}" stroke="{AXIS_COLOUR}"/>')
        parts.append(f'<text x="{x}" y="{frame.bottom + 19}" text-anchor="middle">{label}</text>')
    for value, label in y_ticks:
        y = _digits(frame.y(value))
        if grid_lines:
            parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{frame.right}" y2="{y}" stroke="{GRID_COLOUR}"/>')
        parts.append(f'<line x1="{LEFT - 5}" y1="{y}" x2="{LEFT}" y2="{y}" stroke="{AXIS_COLOUR}"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y}" text-anchor="end" dominant-baseline="middle">{label}</text>')
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{frame.right - LEFT}" height="{frame.bottom - TOP}" '
                 f'fill="none" stroke="{AXIS_COLOUR}"/>')
    middle_x = _digits((LEFT + frame.right) / 2)
    middle_y = _digits((TOP + frame.bottom) / 2)
    parts.append(f'<text x="{middle_x}" y="{height - 14}" text-anchor="middle">{_escape(x_label)}</text>')
    parts.append(f'<text x="18" y="{middle_y}" text-anchor="middle" transform="rotate(-90 18 {middle_y})">'
                 f'{_escape(y_label)}</text>')
    return parts


def _document(width: int, height: int, title: str, body: "List[str]") -> str:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">')
    return "\n".join([head, f"<title>{_escape(title)}</title>",
                      f'<rect width="{width}" height="{height}" fill="white"/>'] + body + ["</svg>"]) + "\n"


def _numbers(values: "Any", where: str) -> "List[float]":
    if not isinstance(values, (list, tuple)):
        raise InputError(f"{where}: expected a list of numbers, got {shown(values)}")
    if len(values) == 0:
        raise InputError(f"{where}: expected at least one number, got an empty list (nothing to draw)")
    return [as_float(value, f"{where}[{index}]") for index, value in enumerate(values)]


def line_chart(ys: "Sequence[float]", title: str = "", x_label: str = "", y_label: str = "",
               xs: "Optional[Sequence[float]]" = None) -> str:
    """An SVG line chart of ys against xs (by default 1, 2, …, len(ys): epoch numbers).

    nan and ±inf in ys are gaps in the line; xs must be finite. A finite value with a gap on
    both sides is drawn as a dot.
    """
    title = as_text(title, "line_chart(title)")
    x_label = as_text(x_label, "line_chart(x_label)")
    y_label = as_text(y_label, "line_chart(y_label)")
    values = _numbers(ys, "line_chart(ys)")
    finite = [y for y in values if math.isfinite(y)]
    if not finite:
        raise InputError(f"line_chart(ys): expected at least one finite number, got {len(values)} values, none "
                         "finite (nan or inf)")
    if xs is None:
        positions = [float(k + 1) for k in range(len(values))]
    else:
        positions = _numbers(xs, "line_chart(xs)")
        if len(positions) != len(values):
            raise InputError(f"line_chart(xs): expected {len(values)} numbers, one per value of ys, got "
                             f"{len(positions)}")
        for index, x in enumerate(positions):
            if not math.isfinite(x):
                raise InputError(f"line_chart(xs)[{index}]: expected a finite number, got {x}")
    x_start, x_end, x_ticks = _ticks(min(positions), max(positions), where="line_chart(xs)")
    y_start, y_end, y_ticks = _ticks(min(finite), max(finite), where="line_chart(ys)")
    frame = _Frame((x_start, x_end), (y_start, y_end), WIDTH, HEIGHT)
    body = _axes(frame, x_ticks, y_ticks, title, x_label, y_label, WIDTH, HEIGHT, True)
    segments: "List[List[str]]" = [[]]
    for x, y in zip(positions, values):
        if math.isfinite(y):
            segments[-1].append(f"{_digits(frame.x(x))},{_digits(frame.y(y))}")
        elif segments[-1]:
            segments.append([])
    for segment in segments:
        if len(segment) == 1:
            centre_x, centre_y = segment[0].split(",")
            body.append(f'<circle cx="{centre_x}" cy="{centre_y}" r="2.5" fill="{LINE_COLOUR}"/>')
        elif segment:
            body.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE_COLOUR}" '
                        'stroke-width="2" stroke-linejoin="round"/>')
    return _document(WIDTH, HEIGHT, title or "line chart", body)


def _points(points: "Any", where: str) -> "List[Tuple[float, float]]":
    if not isinstance(points, (list, tuple)) or len(points) == 0:
        given = "an empty list" if isinstance(points, (list, tuple)) else shown(points)
        raise InputError(f"{where}: expected a non-empty list of [x, y] points, got {given}")
    pairs = []
    for index, point in enumerate(points):
        if not isinstance(point, (list, tuple)) or len(point) != 2:
            raise InputError(f"{where}[{index}]: expected a point [x, y], got {shown(point)}")
        x = as_float(point[0], f"{where}[{index}][0]")
        y = as_float(point[1], f"{where}[{index}][1]")
        if not (math.isfinite(x) and math.isfinite(y)):
            raise InputError(f"{where}[{index}]: expected finite coordinates, got [{x}, {y}]")
        pairs.append((x, y))
    return pairs


def _class(label: "Any", where: str) -> int:
    if isinstance(label, bool) or not isinstance(label, int) or label < 0:
        raise InputError(f"{where}: expected a class label (an int >= 0), got {shown(label)}")
    return label


def decision_boundary(predict: "Callable[[List[float]], int]", points: "Sequence[Sequence[float]]",
                      labels: "Sequence[int]", title: str = "", grid: int = 60, x_label: str = "x₁",
                      y_label: str = "x₂") -> str:
    """An SVG of the classes predict([x, y]) gives on a grid × grid raster covering the points
    (their range plus a tenth on each side, widened to whole tick steps), with the points on
    top, each a circle in its label's colour with a dark outline, and a legend of the classes."""
    if not callable(predict):
        raise InputError(f"decision_boundary(predict): expected a function of a point [x, y] returning a class, "
                         f"got {shown(predict)}")
    pairs = _points(points, "decision_boundary(points)")
    if not isinstance(labels, (list, tuple)) or len(labels) != len(pairs):
        given = f"{len(labels)} labels" if isinstance(labels, (list, tuple)) else shown(labels)
        raise InputError(f"decision_boundary(labels): expected {len(pairs)} labels, one per point, got {given}")
    classes = [_class(label, f"decision_boundary(labels)[{index}]") for index, label in enumerate(labels)]
    cells = as_int(grid, "decision_boundary(grid)", minimum=2)
    if cells > MAX_GRID:
        raise InputError(f"decision_boundary(grid): expected at most {MAX_GRID} cells a side, got {cells}")
    title = as_text(title, "decision_boundary(title)")
    x_label = as_text(x_label, "decision_boundary(x_label)")
    y_label = as_text(y_label, "decision_boundary(y_label)")
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    x_margin = 0.1 * (max(xs) - min(xs)) or 0.5
    y_margin = 0.1 * (max(ys) - min(ys)) or 0.5
    x_start, x_end, x_ticks = _ticks(min(xs) - x_margin, max(xs) + x_margin, where="decision_boundary(points)")
    y_start, y_end, y_ticks = _ticks(min(ys) - y_margin, max(ys) + y_margin, where="decision_boundary(points)")
    width = WIDTH + LEGEND
    frame = _Frame((x_start, x_end), (y_start, y_end), WIDTH, HEIGHT)
    cell_width = (x_end - x_start) / cells
    cell_height = (y_end - y_start) / cells
    # cell edges in whole tenths of a pixel, so that neighbouring cells meet without a seam
    x_edges = [int(math.floor(frame.x(x_start + k * cell_width) * 10.0 + 0.5)) for k in range(cells + 1)]
    y_edges = [int(math.floor(frame.y(y_end - k * cell_height) * 10.0 + 0.5)) for k in range(cells + 1)]
    body = ['<g shape-rendering="crispEdges">']
    seen = set(classes)
    for row in range(cells):  # from the top (largest y) down
        y = y_end - (row + 0.5) * cell_height
        predicted = []
        for column in range(cells):
            point = [x_start + (column + 0.5) * cell_width, y]
            label = predict(point)
            if isinstance(label, bool) or not isinstance(label, int) or label < 0:
                raise InputError(f"decision_boundary(predict): expected a class label (an int >= 0) for the point "
                                 f"[{point[0]!r}, {point[1]!r}], got {shown(label)}")
            predicted.append(label)
            seen.add(label)
        start = 0
        for column in range(1, cells + 1):  # one rectangle per run of equal classes
            if column == cells or predicted[column] != predicted[start]:
                left, right = x_edges[start], x_edges[column]
                top, bottom = y_edges[row], y_edges[row + 1]
                body.append(f'<rect x="{_written(left)}" y="{_written(top)}" width="{_written(right - left)}" '
                            f'height="{_written(bottom - top)}" fill="{PALETTE[predicted[start] % 10][1]}"/>')
                start = column
    body.append("</g>")
    body += _axes(frame, x_ticks, y_ticks, title, x_label, y_label, width, HEIGHT, False)
    for (x, y), label in zip(pairs, classes):
        body.append(f'<circle cx="{_digits(frame.x(x))}" cy="{_digits(frame.y(y))}" r="4" '
                    f'fill="{PALETTE[label % 10][0]}" stroke="#222222" stroke-width="1"/>')
    legend_x = WIDTH + 4
    for index, label in enumerate(sorted(seen)):
        top = TOP + 8 + 24 * index
        point_colour, region_colour = PALETTE[label % 10]
        body.append(f'<rect x="{legend_x}" y="{top}" width="18" height="18" fill="{region_colour}" '
                    f'stroke="{AXIS_COLOUR}" stroke-width="0.5"/>')
        body.append(f'<circle cx="{legend_x + 9}" cy="{top + 9}" r="4" fill="{point_colour}" stroke="#222222" '
                    'stroke-width="1"/>')
        body.append(f'<text x="{legend_x + 26}" y="{top + 9}" dominant-baseline="middle">class {label}</text>')
    return _document(width, HEIGHT, title or "decision boundary", body)
