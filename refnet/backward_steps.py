"""The backward pass step by step: every edge of the graph, in the order backward() visits it.

One rule makes the whole backward pass (004_90774dc949aeae9c.txt's chain rule, visited outputs
first, as Value.backward does it):

    ∂L/∂child  +=  ∂L/∂parent · ∂parent/∂child
    (total)        (upstream)   (local)            contribution = upstream × local

Each step is one edge parent → child: the parent's upstream gradient ∂L/∂parent (complete by
then, since every node is visited after all the nodes computed from it), the local derivative
∂parent/∂child (the parent's `local_grads`), the formula it came from, the contribution, and
the child's running total after it. ∂L/∂L = 1 (or `gradient=`) is the seed.

002_22dd3b33c61b9037.txt names what the gates do with the gradient, and each step says it
where it applies:

    "add gate distributes"   a + b passes the upstream gradient on unchanged to both inputs
    "mul gate swaps"         a · b sends upstream · b to a and upstream · a to b
    "max gate routes"        max(a, b) sends all of it to the larger input (half each at a tie)
    "branches add up"        a child used more than once sums its contributions
                             ("Zurückfließende Gradienten in einem Netz werden addiert")

Example, 002's f = (x + y)·z at x = −2, y = 5, z = −4:

    >>> x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    >>> q = x + y
    >>> f = q * z
    >>> print(explain(f, names={"x": x, "y": y, "z": z, "q": q, "f": f}).table())
    backward pass of f: ∂f/∂f = 1, then for each edge ∂f/∂child += ∂f/∂parent · ∂parent/∂child
    parent  op  upstream  local  formula        contribution  child  total  rule
    ------  --  --------  -----  -------------  ------------  -----  -----  --------------------
    f       *          1     -4  ∂(a·b)/∂a = b            -4  q         -4  mul gate swaps
    f       *          1      3  ∂(a·b)/∂b = a             3  z          3  mul gate swaps
    q       +         -4      1  ∂(a+b)/∂a = 1            -4  x         -4  add gate distributes
    q       +         -4      1  ∂(a+b)/∂b = 1            -4  y         -4  add gate distributes

The running totals are computed here, with the same float operations in the same order as
backward(), so they equal bit for bit what backward() leaves in .grad (starting from 0); nan
propagates the same way. explain() changes no .grad. Nodes not named in `names` are called
"v" and their position in root.topological_order() ("v0", "v1", …). Numbers are printed with
6 significant digits ({:.6g}), the same text on every runtime.

A graph of more than `max_steps` edges (MAX_STEPS, 2000, by default) raises InputError: a
table that long is no longer read step by step. Pass a larger max_steps to list it anyway.
"""

from refnet._checks import as_float, as_int, as_list, as_text, shown
from refnet.errors import InputError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Iterator, List, Optional, Tuple

MAX_STEPS = 2000

# ∂parent/∂child for each op, one formula per child position (a, b); a fused op with any number
# of inputs has one formula for all of them. Constant powers ("**2", "**-1") are written out
# by _power_formula(); an op not listed here gets fused_formula()'s text.
FORMULAS = {
    "+": ("∂(a+b)/∂a = 1", "∂(a+b)/∂b = 1"),
    "-": ("∂(a−b)/∂a = 1", "∂(a−b)/∂b = −1"),
    "*": ("∂(a·b)/∂a = b", "∂(a·b)/∂b = a"),
    "/": ("∂(a/b)/∂a = 1/b", "∂(a/b)/∂b = −a/b²"),
    "**": ("∂(aᵇ)/∂a = b·aᵇ⁻¹", "∂(aᵇ)/∂b = aᵇ·ln a"),
    "neg": ("∂(−x)/∂x = −1",),
    "exp": ("∂eˣ/∂x = eˣ",),
    "log": ("∂ln x/∂x = 1/x",),
    "tanh": ("∂tanh x/∂x = 1 − tanh²x",),
    "sigmoid": ("∂σ(x)/∂x = σ(x)(1−σ(x))",),
    "relu": ("∂relu(x)/∂x = 1 if x > 0 else 0 (relu′(0) = 0)",),
    "leaky_relu": ("∂lrelu(x)/∂x = 1 if x > 0 else α (lrelu′(0) = α)",),
    "abs": ("∂|x|/∂x = sign(x) (|x|′(0) = 0)",),
    "max": ("∂max(a,b)/∂a = 1 if a > b, 0 if a < b, ½ at a tie",
            "∂max(a,b)/∂b = 1 if b > a, 0 if b < a, ½ at a tie"),
    "neuron": ("y = f(w·x+b): ∂y/∂wᵢ = f′·xᵢ, ∂y/∂b = f′, ∂y/∂xᵢ = f′·wᵢ",),
    "softmax": ("∂pᵢ/∂zⱼ = pᵢ([i=j] − pⱼ)",),
    "softmax_cross_entropy": ("∂(−Σtⱼ log pⱼ)/∂sⱼ = pⱼ − tⱼ",),
    "mean": ("∂(Σtᵢ/n)/∂tᵢ = 1/n",),
    "half_squared": ("∂½(t−y)²/∂y = −(t−y)",),
    "hinge": ("∂max(0, 1−y·s)/∂s = −y if 1−y·s > 0 else 0",),
    "l2": ("∂(λΣw²)/∂wₖ = 2λ·wₖ",),
}

# 002's words for what a gate does with the gradient, and for a child reached twice or more.
GATE_RULES = {"+": "add gate distributes", "*": "mul gate swaps", "max": "max gate routes"}
BRANCHES_ADD_UP = "branches add up"

COLUMNS = ("parent", "op", "upstream", "local", "formula", "contribution", "child", "total", "rule")
NUMBER_COLUMNS = ("upstream", "local", "contribution", "total")


def _number_text(number: float) -> str:
    """A number as the table prints it: 6 significant digits ("-4", "0.196612", "nan", "1e-07")."""
    return f"{number:.6g}"


def _power_formula(op: str) -> str:
    """The formula of a constant power "**n": ∂(aⁿ)/∂a = n·aⁿ⁻¹, with n written out; "" if op is not one."""
    exponent_text = op[2:]
    try:
        exponent = float(exponent_text)
    except ValueError:
        return ""
    return f"∂(a^{exponent_text})/∂a = {exponent_text}·a^{exponent - 1.0:g}"


def fused_formula(op: str) -> str:
    """The text for an op without a formula of its own (a Value.fused node named elsewhere)."""
    return f"given by the fused op {as_text(op, 'fused_formula(op)')!r}"


def formula(op: str, position: int) -> str:
    """The formula of ∂parent/∂child for a parent made by `op`, for its child at `position` (0 = a)."""
    op = as_text(op, "formula(op)")
    position = as_int(position, "formula(position)")
    formulas = FORMULAS.get(op)
    if formulas is not None:
        return formulas[position] if position < len(formulas) else formulas[-1]
    if op.startswith("**") and len(op) > 2:
        text = _power_formula(op)
        if text:
            return text
    return fused_formula(op)


class Step:
    """One edge of the backward pass: ∂L/∂child += upstream · local, with the names and the formula."""

    __slots__ = ("parent", "op", "upstream", "child", "local", "formula", "contribution", "total", "rule")

    def __init__(self, parent: str, op: str, upstream: float, child: str, local: float, formula: str,
                 contribution: float, total: float, rule: str) -> None:
        self.parent = as_text(parent, "Step(parent)")
        self.op = as_text(op, "Step(op)")
        self.upstream = as_float(upstream, "Step(upstream)")
        self.child = as_text(child, "Step(child)")
        self.local = as_float(local, "Step(local)")
        self.formula = as_text(formula, "Step(formula)")
        self.contribution = as_float(contribution, "Step(contribution)")
        self.total = as_float(total, "Step(total)")
        self.rule = as_text(rule, "Step(rule)")

    def cells(self) -> "Tuple[str, ...]":
        """The step's row of the table, one text per column of COLUMNS."""
        return (self.parent, self.op, _number_text(self.upstream), _number_text(self.local), self.formula,
                _number_text(self.contribution), self.child, _number_text(self.total), self.rule)

    def __repr__(self) -> str:
        return (f"Step({self.parent} --{self.op}--> {self.child}: upstream {_number_text(self.upstream)} "
                f"× local {_number_text(self.local)} ({self.formula}) = {_number_text(self.contribution)}, "
                f"total {_number_text(self.total)}" + (f"; {self.rule})" if self.rule else ")"))


class BackwardSteps:
    """The steps of one backward pass, in order: len(), [index] and iteration give Step objects."""

    def __init__(self, root: str, seed: float, steps: "List[Step]", finals: "List[Tuple[str, float]]") -> None:
        self.root = as_text(root, "BackwardSteps(root)")
        self.seed = as_float(seed, "BackwardSteps(seed)")
        self._steps: "List[Step]" = []
        for index, step in enumerate(as_list(steps, "BackwardSteps(steps)", None, "Step objects")):
            if not isinstance(step, Step):
                raise InputError(f"BackwardSteps(steps)[{index}]: expected a Step, got {shown(step)}")
            self._steps.append(step)
        self._finals: "List[Tuple[str, float]]" = []
        for index, final in enumerate(as_list(finals, "BackwardSteps(finals)", None, "(name, gradient) pairs")):
            if not isinstance(final, (list, tuple)) or len(final) != 2:
                raise InputError(f"BackwardSteps(finals)[{index}]: expected a (name, gradient) pair, got "
                                 f"{shown(final)}")
            self._finals.append((as_text(final[0], f"BackwardSteps(finals)[{index}][0]"),
                                 as_float(final[1], f"BackwardSteps(finals)[{index}][1]")))

    def __len__(self) -> int:
        return len(self._steps)

    def __getitem__(self, index: int) -> Step:
        return self._steps[index]

    def __iter__(self) -> "Iterator[Step]":
        return iter(self._steps)

    def gradients(self) -> "Dict[str, float]":
        """∂root/∂node (times the seed) by name, for every named node and every leaf:
        what backward() adds to each .grad."""
        return {name: total for name, total in self._finals}

    def table(self) -> str:
        """The steps as a fixed-width table: a line saying the rule, a header, one line per edge."""
        rows = [COLUMNS, tuple(["" for _ in COLUMNS])] + [step.cells() for step in self._steps]
        widths = [0] * len(COLUMNS)
        for row in rows:
            for column, cell in enumerate(row):
                widths[column] = max(widths[column], len(cell))
        rows[1] = tuple(["-" * width for width in widths])
        root = self.root
        lines = [f"backward pass of {root}: ∂{root}/∂{root} = {_number_text(self.seed)}, then for each edge "
                 f"∂{root}/∂child += ∂{root}/∂parent · ∂parent/∂child"]
        for row in rows:
            cells = []
            for column, cell in enumerate(row):
                padding = " " * (widths[column] - len(cell))  # by hand: MicroPython pads by bytes
                right_aligned = COLUMNS[column] in NUMBER_COLUMNS and row is not rows[0]
                cells.append(padding + cell if right_aligned else cell + padding)
            lines.append("  ".join(cells).rstrip())
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"BackwardSteps(root {self.root!r}, {len(self._steps)} steps; .table() prints them)"


def explain(root: Value, names: "Optional[Dict[str, Value]]" = None, gradient: float = 1.0,
            max_steps: int = MAX_STEPS) -> BackwardSteps:
    """The backward pass of `root` as data, edge by edge in the order root.backward() visits them.

    `names` maps a display name to a Value of root's graph ({"x": x, "f": f}); `gradient` is the
    seed ∂L/∂root, as in backward(). No .grad changes. More than `max_steps` edges raise InputError.
    """
    if not isinstance(root, Value):
        raise InputError(f"explain(root): expected a Value, got {shown(root)}")
    seed = as_float(gradient, "explain(gradient)")
    limit = as_int(max_steps, "explain(max_steps)")
    order = root.topological_order()  # children before parents, root last
    position_of: "Dict[int, int]" = {}
    for position, node in enumerate(order):
        position_of[id(node)] = position
    edges = 0
    for node in order:
        edges += min(len(node.children), len(node.local_grads))
    if edges > limit:
        raise InputError(f"explain(root): the graph has {edges} edges, more than max_steps={limit}; expected a "
                         f"smaller graph, or pass max_steps={edges} to list every edge")
    labels = _display_names(order, position_of, names)
    totals = [0.0] * len(order)
    totals[-1] = seed
    received = [0] * len(order)
    steps = []
    for parent_position in range(len(order) - 1, -1, -1):
        parent = order[parent_position]
        upstream = totals[parent_position]
        op = parent.op
        gate_rule = GATE_RULES.get(op, "")
        child_index = 0
        for child, local_grad in zip(parent.children, parent.local_grads):
            position = position_of[id(child)]
            contribution = local_grad * upstream
            totals[position] += contribution
            received[position] += 1
            rule = gate_rule
            if received[position] > 1:
                rule = rule + "; " + BRANCHES_ADD_UP if rule else BRANCHES_ADD_UP
            steps.append(Step(labels[parent_position], op, upstream, labels[position], local_grad,
                              formula(op, child_index), contribution, totals[position], rule))
            child_index += 1
    named = [False] * len(order)
    if names:
        for value in names.values():
            named[position_of[id(value)]] = True
    finals = [(labels[k], 0.0 + totals[k]) for k in range(len(order)) if named[k] or not order[k].children]
    return BackwardSteps(labels[-1], seed, steps, finals)


def _display_names(order: "List[Value]", position_of: "Dict[int, int]",
                  names: "Optional[Dict[str, Value]]") -> "List[str]":
    """The name of each node of `order`: its name in `names`, else "v" and its position ("v3").

    Raises InputError for names that are not a dict of non-empty str → Value of the graph, or two
    names for one Value. An automatic name already given to another node gets primes ("v3′").
    """
    labels = [""] * len(order)
    if names is None:
        names = {}
    if not isinstance(names, dict):
        raise InputError(f"explain(names): expected a dict of display name → Value, or None, got {shown(names)}")
    for name, value in names.items():
        if not isinstance(name, str) or not name:
            raise InputError(f"explain(names): expected each name to be a non-empty str, got {shown(name)}")
        if not isinstance(value, Value):
            raise InputError(f"explain(names)[{name!r}]: expected a Value of root's graph, got {shown(value)}")
        position = position_of.get(id(value))
        if position is None:
            raise InputError(f"explain(names)[{name!r}]: expected a Value of root's graph, got {value!r}, "
                             "which root was not computed from")
        if labels[position]:
            first, second = sorted([labels[position], name])
            raise InputError(f"explain(names): {first!r} and {second!r} name the same Value; expected one name "
                             "per Value")
        labels[position] = name
    for position in range(len(order)):
        if not labels[position]:
            label = f"v{position}"
            while label in names:
                label += "′"
            labels[position] = label
    return labels
