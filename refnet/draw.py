"""Pictures of a computation graph: Graphviz DOT text, and an SVG drawn by refnet itself.

Each edge child → gate → result in the picture is one term of the chain rule (002_22dd3b33c61b9037.txt,
004_90774dc949aeae9c.txt), and the grads in the boxes are what those terms add up to:

    ∂L/∂child  +=  ∂result/∂child · ∂L/∂result

The picture is 002's computational graph, laid out left to right:

    ┌─────────┐
    │    x    │
    │ data -2 │──┐           ┌─────────┐
    │ grad -4 │  │           │    q    │
    └─────────┘  ├──( + )──> │ data 3  │──> ( * ) ──> f
    ┌─────────┐  │           │ grad -4 │
    │    y    │──┘           └─────────┘
    │ data 5  │
    │ grad -4 │
    └─────────┘

Each box is a Value: its name (when `names` gives one), then data, the number the forward pass
computed (green), above grad, ∂L/∂value as L.backward() left it (red). Each ellipse is a gate,
the op that computed the box to its right from the boxes whose edges come into it. Draw after
L.backward() to see the gradients (before it they are all 0). A node computed from no Values (a
fused ReLU neuron that is off is a constant 0) is drawn as a box alone.

    from refnet import Value, draw
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    q = x + y
    f = q * z
    f.backward()
    svg = draw.to_svg(f, names={"x": x, "y": y, "z": z, "q": q, "f": f})   # an <svg> document
    dot = draw.to_dot(f, names={"x": x, "q": q})     # for Graphviz: dot -Tpng graph.dot -o graph.png
    print(draw.summary(f))                           # node count, leaves, ops, depth

In Jupyter a Value shows as its graph (Value._repr_svg_ calls to_svg). From the command line,
`python -m refnet show NAME --svg DIR` (or `--dot DIR`) writes a worked example's graph.

Drawing is for small graphs: a graph of more than `max_nodes` Values (MAX_NODES by default)
raises GraphTooLarge rather than drawing a hairball; summary() describes a graph of any size.
The output depends only on the graph (its shape, numbers and ops) and `names`: the same graph
gives the same bytes on every runtime. Nodes are numbered in depth-first post-order from the
root, first child first; every coordinate is an integer; numbers are written by format_number
(four significant digits, like %.4g, computed exactly with integers). The graph is walked
with an explicit stack, so a deep graph needs no recursion.
"""

import math

from refnet._checks import as_float, as_int, as_text, shown
from refnet.errors import InputError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

MAX_NODES = 200

# Layout, in pixels: a 12px monospace font, whose characters are at most 8px wide.
FONT_SIZE = 12
CHAR_WIDTH = 8
LINE_HEIGHT = 16
BOX_PADDING = 8        # left and right of a box's text
BOX_MIN_WIDTH = 64
OP_HEIGHT = 26         # an op ellipse is 2·13 px high
OP_MIN_WIDTH = 36
COLUMN_GAP = 40        # between two columns (boxes, ops)
ROW_GAP = 14           # between two boxes of one column
MARGIN = 16
TITLE_HEIGHT = 28
ARROW_LENGTH = 8
ARROW_HALF_WIDTH = 4

DATA_COLOUR = "#1a7f37"
GRAD_COLOUR = "#c62828"
EDGE_COLOUR = "#777777"
BOX_STROKE = "#444444"
OP_FILL = "#f2f2f2"
TEXT_STYLE = {"name": ' font-weight="bold"', "data": f' fill="{DATA_COLOUR}"', "grad": f' fill="{GRAD_COLOUR}"'}

SWEEPS = ("parents", "children", "parents", "children")  # barycenter passes, the last one by children


class GraphTooLarge(InputError):
    """The graph has more Value nodes than the drawing's max_nodes: it would be a hairball."""


# -- numbers ---------------------------------------------------------------------------------

def format_number(number: "Any") -> str:
    """`number` with four significant digits, as %.4g writes it: -12, 3, 0.7311, 1.235e+05.

    0 and -0.0 are both "0"; nan, inf and -inf are "nan", "inf" and "-inf". The digits come
    from the float's exact value with integer arithmetic (rounded half to even, like CPython's
    correctly rounded %g), so every runtime writes the same text.
    """
    number = as_float(number, "refnet.draw.format_number(number)")
    if number != number:
        return "nan"
    if number == math.inf:
        return "inf"
    if number == -math.inf:
        return "-inf"
    if number == 0.0:
        return "0"
    sign = "-" if number < 0.0 else ""
    digits, exponent = _four_digits(abs(number))
    text = str(digits)  # four digits d.ddd × 10^exponent
    if -4 <= exponent < 4:
        if exponent >= 3:
            return sign + text
        if exponent >= 0:
            return sign + _without_trailing_zeros(text[:exponent + 1] + "." + text[exponent + 1:])
        return sign + _without_trailing_zeros("0." + "0" * (-exponent - 1) + text)
    exponent_text = str(abs(exponent))
    if len(exponent_text) < 2:
        exponent_text = "0" + exponent_text
    return sign + _without_trailing_zeros(text[0] + "." + text[1:]) + "e" + ("-" if exponent < 0 else "+") + exponent_text


def _without_trailing_zeros(text: str) -> str:
    """'0.7300' → '0.73', '3.000' → '3' (text holds a decimal point)."""
    while text.endswith("0"):
        text = text[:-1]
    return text[:-1] if text.endswith(".") else text


def _four_digits(magnitude: float) -> "Tuple[int, int]":
    """(d, e) with 1000 <= d <= 9999 and d·10^(e−3) the positive finite `magnitude` rounded to four
    significant digits, half to even; exact: the float is the fraction numerator/denominator."""
    mantissa, binary_exponent = math.frexp(magnitude)  # magnitude = mantissa·2^binary_exponent
    integer = int(mantissa * 9007199254740992.0)  # mantissa·2^53, an integer, exactly
    shift = binary_exponent - 53
    numerator = integer << shift if shift >= 0 else integer
    denominator = 1 if shift >= 0 else 1 << -shift
    exponent = len(str(numerator)) - len(str(denominator))  # 10^(exponent−1) <= magnitude < 10^(exponent+1)
    if _scaled(numerator, denominator, -exponent) < 1:
        exponent -= 1
    top, bottom = _fraction_times_power(numerator, denominator, 3 - exponent)
    digits, remainder = divmod(top, bottom)
    if 2 * remainder > bottom or (2 * remainder == bottom and digits % 2 == 1):
        digits += 1
    if digits == 10000:
        return 1000, exponent + 1
    return digits, exponent


def _fraction_times_power(numerator: int, denominator: int, power: int) -> "Tuple[int, int]":
    """numerator/denominator · 10^power as a fraction of two integers."""
    if power >= 0:
        return numerator * 10 ** power, denominator
    return numerator, denominator * 10 ** -power


def _scaled(numerator: int, denominator: int, power: int) -> int:
    """⌊numerator/denominator · 10^power⌋."""
    top, bottom = _fraction_times_power(numerator, denominator, power)
    return top // bottom


# -- the graph ---------------------------------------------------------------------------------

class _Graph:
    """The Values `root` depends on, numbered in depth-first post-order (first child first),
    with each one's children and parents as positions in that list, and its display name."""

    def __init__(self, root: "Any", names: "Any", max_nodes: "Any", where: str) -> None:
        if not isinstance(root, Value):
            raise InputError(f"{where}(root): expected a Value, got {shown(root)}")
        limit = as_int(max_nodes, f"{where}(max_nodes)", minimum=1)
        self.nodes = _post_order(root)
        self.position: "Dict[int, int]" = {}
        for index, node in enumerate(self.nodes):
            self.position[id(node)] = index
        count = len(self.nodes)
        if count > limit:
            raise GraphTooLarge(f"{where}(root): the graph has {count} Value nodes, more than max_nodes={limit}; "
                                f"expected at most {limit} to draw a readable picture. Pass a larger max_nodes= "
                                "to draw it anyway, or print refnet.draw.summary(root) for its size, ops and depth")
        self.children = [[self.position[id(child)] for child in node.children] for node in self.nodes]
        self.parents: "List[List[int]]" = [[] for _ in self.nodes]
        for index, children in enumerate(self.children):
            for child in children:
                self.parents[child].append(index)
        self.names = self._names(names, where)

    def _names(self, names: "Any", where: str) -> "List[str]":
        """Each node's display name: the keys of `names` that map to it, sorted, joined by ', '."""
        found: "List[List[str]]" = [[] for _ in self.nodes]
        if names is None:
            return ["" for _ in self.nodes]
        if not isinstance(names, dict):
            raise InputError(f"{where}(names): expected a dict mapping a display name (str) to a Value of the "
                             f"graph, such as {{'x': x}}, got {shown(names)}")
        for key in names:
            if not isinstance(key, str):
                raise InputError(f"{where}(names): expected str keys (display names), got the key {shown(key)}")
        for name in sorted(names):
            value = names[name]
            if not isinstance(value, Value):
                raise InputError(f"{where}(names)[{name!r}]: expected a Value of the graph, got {shown(value)}")
            position = self.position.get(id(value))
            if position is None:
                raise InputError(f"{where}(names)[{name!r}]: expected a Value of the graph of root, got {value!r}, "
                                 "which root does not depend on")
            found[position].append(name)
        return [", ".join(parts) for parts in found]

    def layers(self) -> "List[int]":
        """Each node's layer: a computed node one more than its deepest child (the longest path
        from a leaf); a leaf one less than its earliest parent, so that it stands beside its use."""
        layer = [0 for _ in self.nodes]
        for index, children in enumerate(self.children):  # children come before their parents
            if children:
                layer[index] = 1 + max([layer[child] for child in children])
        for index, children in enumerate(self.children):
            if not children and self.parents[index]:
                layer[index] = min([layer[parent] for parent in self.parents[index]]) - 1
        return layer


def _post_order(root: Value) -> "List[Value]":
    """Every Value `root` depends on, each after its children, first child first, root last."""
    opened = 1
    state: "Dict[int, int]" = {}
    order: "List[Value]" = []
    stack = [root]
    while stack:
        node = stack[-1]
        key = id(node)
        mark = state.get(key)
        if mark is None:
            state[key] = opened
            for child in reversed(node.children):
                if id(child) not in state:
                    stack.append(child)
        elif mark == opened:
            state[key] = 2
            order.append(node)
            stack.pop()
        else:
            stack.pop()
    return order


# -- DOT ---------------------------------------------------------------------------------------

def to_dot(root: "Any", names: "Optional[Dict[str, Value]]" = None, max_nodes: int = MAX_NODES,
           title: str = "") -> str:
    """Graphviz DOT text of the graph `root` depends on, in micrograd's look.

    A record node { name | data d | grad g } per Value (v0, v1, … in depth-first post-order),
    an ellipse per op (v3op feeds v3), edges child → op → result, left to right.
    """
    graph = _Graph(root, names, max_nodes, "refnet.draw.to_dot")
    title = as_text(title, "refnet.draw.to_dot(title)")
    lines = ["digraph refnet {", "  rankdir=LR;"]
    if title:
        lines.append(f'  label="{_dot_text(title)}";')
        lines.append("  labelloc=t;")
    lines.append(f'  node [fontname="monospace", fontsize={FONT_SIZE}];')
    for index, node in enumerate(graph.nodes):
        fields = [f"data {format_number(node.data)}", f"grad {format_number(node.grad)}"]
        if graph.names[index]:
            fields.insert(0, _record_text(graph.names[index]))
        lines.append(f'  v{index} [shape=record, label="{{ {" | ".join(fields)} }}"];')
        if graph.children[index]:
            lines.append(f'  v{index}op [shape=ellipse, label="{_dot_text(node.op)}"];')
            for child in graph.children[index]:
                lines.append(f"  v{child} -> v{index}op;")
            lines.append(f"  v{index}op -> v{index};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _printable(text: str) -> str:
    """`text` with control characters written as \\xNN (XML and DOT labels cannot hold them)."""
    if all([" " <= character for character in text]):
        return text
    parts = []
    for character in text:
        parts.append(character if " " <= character else "\\x" + "0123456789abcdef"[ord(character) // 16]
                     + "0123456789abcdef"[ord(character) % 16])
    return "".join(parts)


def _dot_text(text: str) -> str:
    """`text` inside a DOT double-quoted string."""
    return _printable(text).replace("\\", "\\\\").replace('"', '\\"')


def _record_text(text: str) -> str:
    """`text` inside one field of a DOT record label, where { } | < > separate fields."""
    escaped = _dot_text(text)
    for character in "{}|<>":
        escaped = escaped.replace(character, "\\" + character)
    return escaped


# -- SVG ---------------------------------------------------------------------------------------

def to_svg(root: "Any", names: "Optional[Dict[str, Value]]" = None, max_nodes: int = MAX_NODES,
           title: str = "") -> str:
    """An SVG document of the graph `root` depends on, laid out left to right by refnet itself.

    Columns hold the Values of one layer (a computed Value one column of boxes after its
    deepest child, with its op ellipse just left of it); within a column the order comes from
    barycenter passes (each Value placed at the mean height of its parents, then of its
    children), which straightens chains and reduces crossings. Standalone, and fit to paste
    into HTML: no scripts, no external fonts, no element ids.
    """
    graph = _Graph(root, names, max_nodes, "refnet.draw.to_svg")
    title = as_text(title, "refnet.draw.to_svg(title)")
    lines = [_box_lines(graph, index) for index in range(len(graph.nodes))]
    widths = [max(BOX_MIN_WIDTH, 2 * BOX_PADDING + CHAR_WIDTH * max([len(line) for _, line in box]))
              for box in lines]
    heights = [LINE_HEIGHT * len(box) + 8 for box in lines]
    op_widths = [max(OP_MIN_WIDTH, CHAR_WIDTH * len(_printable(node.op)) + 20) if graph.children[index] else 0
                 for index, node in enumerate(graph.nodes)]
    layer = graph.layers()
    centre_y = _heights_in_layers(graph, layer, heights)

    # columns: layer L's boxes in column 2L, their ops in column 2L − 1
    columns = 2 * max(layer) + 1
    column_width = [0 for _ in range(columns)]
    for index in range(len(graph.nodes)):
        column_width[2 * layer[index]] = max(column_width[2 * layer[index]], widths[index])
        if graph.children[index]:
            column_width[2 * layer[index] - 1] = max(column_width[2 * layer[index] - 1], op_widths[index])
    column_left = [MARGIN]
    for width in column_width[:-1]:
        column_left.append(column_left[-1] + width + COLUMN_GAP)
    right = column_left[-1] + column_width[-1] + MARGIN

    top = min([centre_y[index] - heights[index] // 2 for index in range(len(graph.nodes))])
    shift = MARGIN + (TITLE_HEIGHT if title else 0) - top
    centre_y = [y + shift for y in centre_y]
    bottom = max([centre_y[index] + heights[index] // 2 for index in range(len(graph.nodes))]) + MARGIN
    width = max(right, 2 * MARGIN + 9 * len(_printable(title)))

    def centre_x(column: int) -> int:
        return column_left[column] + column_width[column] // 2

    label = title if title else f"computation graph of {len(graph.nodes)} values"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{bottom}" '
           f'viewBox="0 0 {width} {bottom}" font-family="monospace" font-size="{FONT_SIZE}" '
           f'role="img" class="refnet-graph">',
           f"<title>{_xml(label)}</title>",
           f'<rect x="0" y="0" width="{width}" height="{bottom}" fill="#ffffff"/>']
    if title:
        out.append(f'<text x="{MARGIN}" y="{MARGIN + 14}" font-size="14" font-weight="bold">{_xml(title)}</text>')
    out.append(f'<g class="edges" fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.2">')
    arrows = []
    for index in range(len(graph.nodes)):
        if not graph.children[index]:
            continue
        op_x = centre_x(2 * layer[index] - 1)
        y = centre_y[index]
        op_left = op_x - op_widths[index] // 2
        for child in graph.children[index]:
            x1 = centre_x(2 * layer[child]) + widths[child] // 2
            y1 = centre_y[child]
            middle = (x1 + op_left) // 2
            out.append(f'<path d="M{x1},{y1} C{middle},{y1} {middle},{y} {op_left},{y}"/>')
            arrows.append(_arrow(op_left, y))
        box_left = centre_x(2 * layer[index]) - widths[index] // 2
        out.append(f'<path d="M{op_x + op_widths[index] // 2},{y} L{box_left},{y}"/>')
        arrows.append(_arrow(box_left, y))
    out.append("</g>")
    out.append(f'<g class="arrows" fill="{EDGE_COLOUR}">')
    out.extend(arrows)
    out.append("</g>")
    out.append('<g class="ops" text-anchor="middle">')
    for index, node in enumerate(graph.nodes):
        if graph.children[index]:
            op_x = centre_x(2 * layer[index] - 1)
            y = centre_y[index]
            out.append(f'<ellipse cx="{op_x}" cy="{y}" rx="{op_widths[index] // 2}" ry="{OP_HEIGHT // 2}" '
                       f'fill="{OP_FILL}" stroke="{BOX_STROKE}"/><text x="{op_x}" y="{y + 4}">{_xml(node.op)}</text>')
    out.append("</g>")
    out.append('<g class="values" text-anchor="middle">')
    for index in range(len(graph.nodes)):
        x = centre_x(2 * layer[index])
        box_top = centre_y[index] - heights[index] // 2
        parts = [f'<g class="value"><rect x="{x - widths[index] // 2}" y="{box_top}" width="{widths[index]}" '
                 f'height="{heights[index]}" rx="4" fill="#ffffff" stroke="{BOX_STROKE}"/>']
        for row, (kind, text) in enumerate(lines[index]):
            parts.append(f'<text x="{x}" y="{box_top + 16 + LINE_HEIGHT * row}" class="{kind}"{TEXT_STYLE[kind]}>'
                         f'{_xml(text)}</text>')
        parts.append("</g>")
        out.append("".join(parts))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _box_lines(graph: _Graph, index: int) -> "List[Tuple[str, str]]":
    """A box's lines as (kind, text): its name if it has one, then its data and its grad."""
    node = graph.nodes[index]
    lines = [("data", f"data {format_number(node.data)}"), ("grad", f"grad {format_number(node.grad)}")]
    if graph.names[index]:
        lines.insert(0, ("name", _printable(graph.names[index])))
    return lines


def _arrow(tip_x: int, tip_y: int) -> str:
    """An arrowhead pointing right, its tip at (tip_x, tip_y)."""
    back = tip_x - ARROW_LENGTH
    return (f'<polygon points="{back},{tip_y - ARROW_HALF_WIDTH} {tip_x},{tip_y} '
            f'{back},{tip_y + ARROW_HALF_WIDTH}"/>')


def _xml(text: str) -> str:
    """`text` as XML character data or an attribute value."""
    return (_printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _heights_in_layers(graph: _Graph, layer: "List[int]", heights: "List[int]") -> "List[int]":
    """Each node's centre height: the layers stacked in post-order, then barycenter passes.

    A pass visits the layers right to left (placing each node at the mean height of its
    parents) or left to right (of its children); within a layer the nodes are sorted by that
    wanted height and spread so that no two boxes overlap, as near as possible to where they
    want to be (_spread). Everything is an integer, so every runtime gets the same picture.
    """
    members: "List[List[int]]" = [[] for _ in range(max(layer) + 1)]
    for index in range(len(graph.nodes)):
        members[layer[index]].append(index)
    centre_y = [0 for _ in graph.nodes]
    for column in members:
        y = 0
        for index in column:
            centre_y[index] = y + heights[index] // 2
            y += heights[index] + ROW_GAP
    for sweep in SWEEPS:
        neighbours = graph.parents if sweep == "parents" else graph.children
        order = range(len(members) - 1, -1, -1) if sweep == "parents" else range(len(members))
        for number in order:
            wanted = []
            for index in members[number]:
                around = neighbours[index]
                want = sum([centre_y[other] for other in around]) // len(around) if around else centre_y[index]
                wanted.append((want, centre_y[index], index))
            wanted.sort()
            members[number] = [index for _, _, index in wanted]
            gaps = [heights[a] // 2 + ROW_GAP + heights[b] // 2
                    for a, b in zip(members[number][:-1], members[number][1:])]
            for index, y in zip(members[number], _spread([want for want, _, _ in wanted], gaps)):
                centre_y[index] = y
    return centre_y


def _spread(wanted: "List[int]", gaps: "List[int]") -> "List[int]":
    """Positions p₀ <= p₁ <= … with p_{i+1} − p_i >= gaps[i], each as near to wanted[i] as can be.

    Least squares under those constraints: with offsets o_i = gaps[0] + … + gaps[i−1], the
    p_i − o_i must not decrease, and pooling adjacent violators (merging neighbouring groups
    while an earlier group's mean exceeds a later one's) gives the nearest such sequence.
    """
    offsets = [0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    groups: "List[List[int]]" = []  # [sum of wanted − offset, count]
    for want, offset in zip(wanted, offsets):
        total, count = want - offset, 1
        while groups and groups[-1][0] // groups[-1][1] > total // count:
            previous_total, previous_count = groups.pop()
            total += previous_total
            count += previous_count
        groups.append([total, count])
    positions: "List[int]" = []
    for total, count in groups:
        for _ in range(count):
            positions.append(total // count + offsets[len(positions)])
    return positions


# -- summary -----------------------------------------------------------------------------------

def summary(root: "Any") -> str:
    """A few lines about the graph `root` depends on, of any size: nodes, leaves, ops, depth."""
    if not isinstance(root, Value):
        raise InputError(f"refnet.draw.summary(root): expected a Value, got {shown(root)}")
    nodes = _post_order(root)
    depth: "Dict[int, int]" = {}
    counts: "Dict[str, int]" = {}
    leaves = 0
    edges = 0
    for node in nodes:
        children = node.children
        edges += len(children)
        if children:
            depth[id(node)] = 1 + max([depth[id(child)] for child in children])
            counts[node.op] = counts.get(node.op, 0) + 1
        else:
            depth[id(node)] = 0
            leaves += 1
    ops = sorted([(-count, op) for op, count in counts.items()])
    op_text = ", ".join([f"{_printable(op)} {-negative}" for negative, op in ops]) if ops else "none (a leaf)"
    return "\n".join([
        f"{len(nodes)} Value nodes: {leaves} leaves (inputs, parameters, constants), {len(nodes) - leaves} computed "
        f"by ops, {edges} edges",
        f"ops: {op_text}",
        f"depth: {depth[id(root)]} ops on the longest path from a leaf to the root",
        f"root: data {format_number(root.data)}, grad {format_number(root.grad)}",
    ]) + "\n"
