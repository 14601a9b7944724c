"""Value: a scalar that remembers how it was computed, and backpropagates through it.

002_22dd3b33c61b9037.txt draws f(x, y, z) = (x + y)·z as a graph of gates, each knowing its
output and its local derivatives ∂out/∂in; 004_90774dc949aeae9c.txt gives the rule for the
whole graph, reverse mode:

    ∂L/∂child  +=  ∂self/∂child · ∂L/∂self        for every edge, in reverse topological order
"""

# The derivative along a path is the product of the local derivatives on its edges, and the
# derivative of the output with respect to a node is the sum over all paths from it (004).
# Reverse mode visits each edge once, outputs first, reusing what it has computed.
#
# A Value is one gate's output:
#
#     data           the number the forward pass computed
#     grad           ∂L/∂(this value), added to by L.backward()
#     children       the Values this one was computed from
#     local_grads    ∂self/∂child for each child
#
# Each op below states its formula, forward and local derivatives side by side, then returns its
# value. The graph holds no closures and no cycles; backward() walks it with an explicit stack,
# so a chain of a million nodes needs no recursion.
#
# A node holds its edges in two slots of its own, `_first` and `_second`; what they hold says what
# kind of node it is (the table "What a node's slots hold", below). A unary gate (tanh, exp, …)
# stores its one local derivative there, computed in the forward pass. A binary gate (+, ·, /, …)
# stores none: backward() reads its two off the gate's inputs and output (_binary_local_grads):
# the add gate passes the gradient on, the mul gate swaps its inputs (002), as micrograd's
# closures do. So a node is six slots and one object for Python's cyclic garbage collector to
# scan: 80 bytes on CPython, plus its value's float (24) where that is new. Change an input's
# `data` between the forward pass and backward() and a binary gate's local derivatives follow the
# new number, a unary gate's do not (PyTorch refuses such a change; refnet, like micrograd, does
# not watch for it).
#
# nan propagates: an op with a nan input has a nan value and nan local derivatives
# (docs/conventions.md has the table). Conventions where the derivative is undefined (the same
# as PyTorch's): ReLU′(0) = 0, leaky ReLU′(0) = α, |x|′(0) = 0, and a tie in max(a, b) sends half
# the gradient to each input. exp beyond the largest float gives +inf (its gradient too), on
# every runtime. log(x ≤ 0), x/0, 0 to a negative power and a negative base to a non-integer or
# Value power raise DomainError.

from refnet import functional as F
from refnet._checks import as_float, shown
from refnet.collector import paused
from refnet.errors import DomainError, InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Sequence, Tuple, Union

    Operand = Union["Value", int, float]


_new = object.__new__


# What a node's slots hold:
#   a leaf          _first None
#   a unary gate    _first its child,                 _second ∂self/∂child (a float)
#   a binary gate   _first and _second its children   (∂self/∂first, ∂self/∂second: _binary_local_grads)
#   a fused node    _first a tuple of its children,   _second a tuple of ∂self/∂child, one each
# (a fused node is one of Value.fused, nn's neurons, a node whose children were set by hand; its
# number of children may be anything). The kind is told by the class of `_second`.


def _binary_local_grads(op: str, a: float, b: float, out: float) -> "Tuple[float, float]":
    """∂out/∂a and ∂out/∂b of the binary gate `op`, from its inputs' values a, b and its output.

    The formulas are those stated beside each op below; backward() reads them off here, when it
    reaches the gate, instead of storing two floats in every node.
    """
    if op == "*":
        return b, a  # a · b: the mul gate swaps its inputs (002)
    if op == "+":
        return 1.0, 1.0  # a + b: the add gate passes the gradient on (002)
    if op == "-":
        return 1.0, -1.0
    if op == "/":
        return F.reciprocal(b), -out / b  # out = a/b: 1/b and −(a/b)/b
    if op == "max":
        if a > b:
            return 1.0, 0.0
        if a < b:
            return 0.0, 1.0
        if a == b:
            return 0.5, 0.5
        return out, out  # a or b is nan, and so is out
    if op == "**":
        return F.power_derivative(a, b), out * F.log(a)  # out = aᵇ: b·aᵇ⁻¹ and aᵇ·ln a
    raise InputError(f"Value: no binary gate named {op!r}; expected one of *, +, -, /, max, **")


class Value:
    """A scalar node of a computation graph: `data`, `grad`, and how it was computed."""

    __slots__ = ("data", "grad", "_op_name", "_upstream", "_first", "_second")

    def __init__(self, data: "Union[int, float]") -> None:
        self.data = as_float(data, "Value(data)")
        self.grad = 0.0
        self._op_name = ""
        self._upstream: "Any" = None  # a search's mark (_reach), then ∂L/∂(this value) in backward()
        self._first: "Any" = None  # the edges: see "What a node's slots hold", above
        self._second: "Any" = None

    def _gate(self, data: float, first: "Any", second: "Any", op: str) -> "Value":
        """A new node of this Value's class, the gate `op` of value `data`; `first` and `second` as
        the table above says: a unary gate's child and ∂data/∂child, or a binary gate's children.

        `data` is already a float (it comes from float arithmetic), so the node is made without
        __init__'s checks: object.__new__ and its slots, the fastest way Python has.
        """
        out = _new(type(self))
        out.data = data
        out.grad = 0.0
        out._op_name = op
        out._upstream = None
        out._first = first
        out._second = second
        return out

    def _result(self, data: float, children: "Tuple[Value, ...]", local_grads: "Tuple[float, ...]",
                op: str) -> "Value":
        """A new node of this Value's class, holding `data` and ∂data/∂child for each child."""
        out = _new(type(self))
        out.data = data
        out.grad = 0.0
        out._op_name = op
        out._upstream = None
        count = len(children)
        if count > 2:  # a fused node (a neuron, say), the common case here: written out
            out._second = local_grads
            out._first = children
        elif count == 0:  # a constant (a ReLU neuron that is off, say): a leaf
            out._first = None
            out._second = None
        else:
            out._link(children, local_grads)
        return out

    def _link(self, children: "Tuple[Value, ...]", local_grads: "Tuple[float, ...]") -> None:
        """Make `children` this node's children, with ∂self/∂child in `local_grads` (the table above).

        One child with a float derivative makes a unary node, none a leaf, any other number a fused
        node (a child without a derivative passes nothing back, as a node built by hand in micrograd).
        `_first` is written last, so an interrupted call leaves a leaf or the whole node.
        """
        self._first = None
        if not children:
            self._second = None
        elif len(children) == 1 and len(local_grads) == 1 and type(local_grads[0]) is float:
            self._second = local_grads[0]
            self._first = children[0]
        else:
            self._second = tuple(local_grads)
            self._first = tuple(children)

    def _operand(self, other: "Operand", op: str) -> "Value":
        """`other` as a Value: numbers become constant leaves; anything else raises InputError."""
        if isinstance(other, Value):
            return other
        if isinstance(other, bool) or not isinstance(other, (int, float)):
            raise InputError(f"Value {op} {type(other).__name__}: expected an int, float or Value operand, "
                             f"got {other!r}")
        return type(self)(other)

    @classmethod
    def fused(cls, data: float, inputs: "Sequence[Value]", local_grads: "Sequence[float]", op: str) -> "Value":
        """A node whose value and local derivatives ∂data/∂inputᵢ were computed together elsewhere.

        Fused ops (softmax cross-entropy on logits, say) use it to stay stable and small.
        """
        if not isinstance(op, str):
            raise InputError(f"Value.fused(op): expected the op's name as a str, got {shown(op)}")
        for name, given in (("inputs", inputs), ("local_grads", local_grads)):
            if not isinstance(given, (list, tuple)):
                raise InputError(f"Value.fused(inputs) for {op!r}: expected a list, got {shown(given)}"
                                 .replace("(inputs)", "(" + name + ")"))
        if len(inputs) != len(local_grads):
            raise InputError(f"Value.fused({op!r}): {len(inputs)} inputs but {len(local_grads)} local "
                             "gradients; expected one local gradient per input")
        for index, child in enumerate(inputs):
            if not isinstance(child, Value):
                raise InputError(f"Value.fused(inputs)[{index}] for {op!r}: expected a Value, got {shown(child)}")
        out = cls(as_float(data, f"Value.fused(data) for {op!r}"))
        out._link(tuple(inputs), tuple([as_float(g, f"Value.fused(local_grads)[{k}] for {op!r}")
                                        for k, g in enumerate(local_grads)]))
        out._op_name = op
        return out

    @property
    def op(self) -> str:
        """The name of the op that produced this value ('' for a leaf)."""
        return self._op_name

    @property
    def children(self) -> "Tuple[Value, ...]":
        """The Values this one was computed from, in argument order."""
        first = self._first
        if first is None:
            return ()
        kind = type(self._second)
        if kind is float:
            return (first,)
        if kind is tuple:
            return tuple(first)
        return (first, self._second)

    @property
    def local_grads(self) -> "Tuple[float, ...]":
        """∂self/∂child for each child, in the same order as `children`."""
        first = self._first
        if first is None:
            return ()
        second = self._second
        kind = type(second)
        if kind is float:
            return (second,)
        if kind is tuple:
            return tuple(second)
        return _binary_local_grads(self._op_name, first.data, second.data, self.data)

    @property
    def _children(self) -> "Tuple[Value, ...]":
        """The children, as `children`; settable, for a node built by hand (micrograd's
        Value(data, _children, _op)): it keeps the local derivatives it has (such a node has
        none, and passes no gradient back, as in micrograd)."""
        return self.children

    @_children.setter
    def _children(self, children: "Tuple[Value, ...]") -> None:
        # the derivatives go first: interrupted between the two stores, the node has a tuple of
        # derivatives beside a Value (backward() raises TypeError there), and setting the
        # children again finds the derivatives where it left them
        second = self._second
        self._second = second if type(second) is tuple else self.local_grads
        self._first = children

    # -- arithmetic ------------------------------------------------------------

    def __add__(self, other: "Operand") -> "Value":
        if not isinstance(other, Value):
            other = self._operand(other, "+")
        # a + b;     ∂/∂a = 1,  ∂/∂b = 1       (002: the add gate distributes the gradient)
        return self._gate(self.data + other.data, self, other, "+")

    def __sub__(self, other: "Operand") -> "Value":
        if not isinstance(other, Value):
            other = self._operand(other, "-")
        # a − b;     ∂/∂a = 1,  ∂/∂b = −1
        return self._gate(self.data - other.data, self, other, "-")

    def __mul__(self, other: "Operand") -> "Value":
        if not isinstance(other, Value):
            other = self._operand(other, "*")
        # a · b;     ∂/∂a = b,  ∂/∂b = a       (002: the mul gate swaps its inputs)
        return self._gate(self.data * other.data, self, other, "*")

    def __truediv__(self, other: "Operand") -> "Value":
        if not isinstance(other, Value):
            other = self._operand(other, "/")
        if other.data == 0.0:
            raise DomainError(f"Value division: {self.data} / 0 is undefined; expected a non-zero divisor")
        # a / b;     ∂/∂a = 1/b,  ∂/∂b = −a/b² = −(a/b)/b   (±inf where 1/b exceeds the floats;
        # −(a/b)/b rather than −(a/b)·(1/b), which would be 0·∞ = nan for a = 0 and a subnormal b)
        return self._gate(self.data / other.data, self, other, "/")

    def __pow__(self, exponent: "Operand") -> "Value":
        if isinstance(exponent, Value):
            return self._pow_value(exponent)
        n = as_float(exponent, "Value ** exponent")
        if self.data == 0.0 and n < 0.0:
            raise DomainError(f"Value power: 0 ** {n} is a division by zero; expected a non-zero base "
                              "for a negative exponent")
        # aⁿ;        ∂/∂a = n·aⁿ⁻¹
        return self._gate(F.power(self.data, n), self, F.power_derivative(self.data, n), f"**{n:g}")

    def _pow_value(self, exponent: "Value") -> "Value":
        if not self.data > 0.0 and self.data == self.data:  # a nan base gives nan (nan propagates)
            raise DomainError(f"Value power: base {self.data} with a Value exponent; expected a positive base, "
                              "since ∂(aᵇ)/∂b = aᵇ·ln a needs ln a")
        b = exponent.data
        out = F.power(self.data, b)
        # aᵇ;        ∂/∂a = b·aᵇ⁻¹,  ∂/∂b = aᵇ·ln a
        return self._gate(out, self, exponent, "**")

    def __neg__(self) -> "Value":
        # −a;        ∂/∂a = −1
        return self._gate(-self.data, self, -1.0, "neg")

    def __radd__(self, other: "Operand") -> "Value":
        return self._operand(other, "+") + self

    def __rsub__(self, other: "Operand") -> "Value":
        return self._operand(other, "-") - self

    def __rmul__(self, other: "Operand") -> "Value":
        return self._operand(other, "*") * self

    def __rtruediv__(self, other: "Operand") -> "Value":
        return self._operand(other, "/") / self

    def __rpow__(self, base: "Operand") -> "Value":
        return self._operand(base, "**") ** self

    # -- functions -------------------------------------------------------------

    def exp(self) -> "Value":
        out = F.exp(self.data)
        # eᵃ;        ∂/∂a = eᵃ                 (+inf beyond the largest float, gradient too)
        return self._gate(out, self, out, "exp")

    def log(self) -> "Value":
        # ln a;      ∂/∂a = 1/a                (a ≤ 0 raises DomainError; +inf for a < 2⁻¹⁰²⁴)
        return self._gate(F.log(self.data), self, F.reciprocal(self.data), "log")

    def tanh(self) -> "Value":
        # tanh a;    ∂/∂a = 1 − tanh²a = 4e^{−2|a|}/(1 + e^{−2|a|})²  (not 0 where tanh a rounds to ±1)
        return self._gate(F.tanh(self.data), self, F.tanh_derivative(self.data), "tanh")

    def sigmoid(self) -> "Value":
        # σ(a);      ∂/∂a = σ(a)(1 − σ(a)) = e^{−|a|}/(1 + e^{−|a|})²   (002, 003; not 0 where σ rounds to 1)
        return self._gate(F.sigmoid(self.data), self, F.sigmoid_derivative(self.data), "sigmoid")

    def relu(self) -> "Value":
        # max(0, a); ∂/∂a = 1 if a > 0 else 0  (ReLU′(0) = 0)
        return self._gate(F.relu(self.data), self, F.relu_derivative(self.data), "relu")

    def leaky_relu(self, alpha: float = 0.01) -> "Value":
        slope = as_float(alpha, "Value.leaky_relu(alpha)")
        # a if a > 0 else α·a;  ∂/∂a = 1 if a > 0 else α  (leaky ReLU′(0) = α)
        return self._gate(F.leaky_relu(self.data, slope), self, F.leaky_relu_derivative(self.data, slope),
                          "leaky_relu")

    def abs(self) -> "Value":
        # |a|;       ∂/∂a = sign(a)            (|x|′(0) = 0; nan for nan)
        return self._gate(abs(self.data), self, F.sign(self.data), "abs")

    def __abs__(self) -> "Value":
        return self.abs()

    @staticmethod
    def max(a: "Operand", b: "Operand") -> "Value":
        """max(a, b): the max gate routes the whole gradient to the larger input (002).

        At a tie (a == b) each input receives half, as in PyTorch's torch.maximum. If either
        input is nan, so is the result, whichever side it is on, and so are both local
        derivatives (max is not defined there; PyTorch gives 1 to each).
        """
        first = a if isinstance(a, Value) else (b if isinstance(b, Value) else Value(0.0))
        a = first._operand(a, "max")
        b = first._operand(b, "max")
        if a.data != a.data or b.data != b.data:  # a or b is nan
            out = a.data if a.data != a.data else b.data
        else:
            out = a.data if a.data >= b.data else b.data
        # max(a, b); ∂/∂a = 1 if a > b, ∂/∂b = 1 if b > a, ½ each at a tie (nan if a or b is nan)
        return first._gate(out, a, b, "max")

    # -- the backward pass -----------------------------------------------------

    def topological_order(self) -> "List[Value]":
        """Every node this Value depends on, itself last, each after all of its children.

        The leaves (inputs, weights, constants: nodes with no children) come first, in no
        particular order; the computed nodes follow in the order backward() visits them, reversed.
        """
        computed, leaves = self._reach(_Marks())
        return leaves + computed

    def _reach(self, marks: "_Marks") -> "Tuple[List[Value], List[Value]]":
        """The nodes this Value depends on, in two lists: those computed from other nodes, each
        after its children and this Value last; and the leaves.

        Depth-first search with an explicit stack, no recursion whatever the depth. Each node
        carries its mark in its `_upstream` slot, like the colours of a textbook DFS, instead of
        a set of visited nodes to look up. The marks are two objects made for this search alone
        (`marks`), so a node marked by any other search, finished or interrupted, counts as not
        reached, and nothing needs cleaning up:

            marks.opened   open: its children are being visited, on the stack above it
            marks.done     done: recorded
            anything else  not reached yet

        The node on top of the stack is looked at, not popped. Reached for the first time, it is
        opened and its children that are not reached yet go on top of it, last to first, so the
        first child is visited first: the order of the textbook's recursive DFS. When it is on
        top again, everything it depends on is done: it is recorded, then popped. A node pushed
        by more than one parent before it was reached comes to the top again already done, and
        is popped without more ado. A leaf is recorded when it is first met, and never pushed.
        (A child is never open when its parent is opened: that would be a cycle.)
        """
        opened = marks.opened
        done = marks.done
        computed: "List[Value]" = []
        leaves: "List[Value]" = []
        if self._first is None:
            leaves.append(self)
            self._upstream = done
            return computed, leaves
        stack = [self]
        while stack:
            node = stack[-1]
            mark = node._upstream
            if mark is opened:  # open, and its children are done: the node follows them
                computed.append(node)
                node._upstream = done
                stack.pop()
            elif mark is done:  # done already: a copy pushed by another parent
                stack.pop()
            else:  # first reached: open it, and put its children on top of it
                node._upstream = opened
                second = node._second
                kind = type(second)
                if kind is float:  # a unary gate: one child
                    child = node._first
                    if child._upstream is not done:
                        if child._first is not None:
                            stack.append(child)
                        else:
                            leaves.append(child)
                            child._upstream = done
                elif kind is not tuple:  # a binary gate, written out: the most common node
                    if second._upstream is not done:
                        if second._first is not None:
                            stack.append(second)
                        else:
                            leaves.append(second)
                            second._upstream = done
                    first = node._first
                    if first._upstream is not done:
                        if first._first is not None:
                            stack.append(first)
                        else:
                            leaves.append(first)
                            first._upstream = done
                else:
                    for child in reversed(node._first):
                        if child._upstream is not done:
                            if child._first is not None:
                                stack.append(child)
                            else:
                                leaves.append(child)
                                child._upstream = done
        return computed, leaves

    def backward(self, gradient: float = 1.0) -> None:
        """Add ∂self/∂v (times `gradient`) to v.grad for every v this Value depends on, self included.

        Gradients accumulate: where a node is used twice (b = a + a) both paths add up, and
        calling backward() again adds the same derivatives a second time, so every grad
        doubles (as PyTorch does with retain_graph=True). Clear them first with zero_grad()
        on this Value (the whole graph) or on a Module (its parameters).

        Each node's ∂self/∂node is gathered in `_upstream`: after the search, every node it reached
        starts at 0.0 there (self at `gradient`). The computed nodes are visited outputs first, so
        that a node's `_upstream` is complete when it is visited: it is added to the node's grad
        and passed on to the children, ∂self/∂child += ∂node/∂child · ∂self/∂node, and the node
        lets it go (None): nothing writes to a node after its visit, and the float is freed at
        once rather than kept with the graph. Last, each leaf adds its `_upstream` to its grad.
        A node's `_upstream` is left as the walk left it: the next search makes marks of its own
        (_reach), so an interrupted pass (Ctrl-C) leaves nothing that a later pass could mistake
        for its own. The cyclic garbage collector is paused meanwhile (refnet.collector).
        """
        seed = as_float(gradient, "Value.backward(gradient)")
        with paused():
            computed, leaves = self._reach(_Marks())
            for node in computed:
                node._upstream = 0.0
            for node in leaves:
                node._upstream = 0.0
            self._upstream = seed
            for node in reversed(computed):
                upstream = node._upstream
                node._upstream = None
                node.grad += upstream
                first = node._first
                second = node._second
                kind = type(second)
                if kind is float:  # a unary gate (tanh, relu, exp, …): its local derivative is `second`
                    first._upstream += second * upstream
                elif kind is not tuple:  # a binary gate (+, ·, /, max), written out: the most common node
                    op = node._op_name
                    if op == "*":  # the mul gate swaps its inputs
                        to_first, to_second = second.data, first.data
                    elif op == "+":  # the add gate passes the gradient on
                        to_first, to_second = 1.0, 1.0
                    else:
                        to_first, to_second = _binary_local_grads(op, first.data, second.data, node.data)
                    first._upstream += to_first * upstream
                    second._upstream += to_second * upstream
                else:  # a fused node: its children and their local derivatives in two tuples
                    for child, local_grad in zip(first, second):
                        child._upstream += local_grad * upstream
            for leaf in leaves:
                leaf.grad += leaf._upstream

    def zero_grad(self) -> None:
        """Set grad to 0 on this Value and on every Value it depends on."""
        for node in self.topological_order():
            node.grad = 0.0

    def release(self) -> None:
        """Cut every computed node this Value depends on from its children, this Value included.

        Afterwards every node keeps its data and grad, and the leaves (weights, inputs) are
        untouched, but no node holds another: dropping the graph frees one node at a time.
        Without it, dropping the last reference to a deep graph frees it recursively, node by
        node down the chain, and a runtime whose deallocation has a small stack (Pyodide 314,
        CPython 3.14 in WebAssembly: about 3,000 linked objects) stops with "Maximum call stack
        size exceeded". Call it when done with the graph and every graph that shares its nodes:
        a released node has no children, so backward() through it reaches nothing below it.
        refnet.train.fit() releases each step's graph on such runtimes (collector.FREES_RECURSIVELY).

        The walk is iterative; each node's children are put on the stack before it lets them go,
        and its first write (`_first = None`) makes it a leaf, so an interrupted release leaves a
        graph that is consistent (each node whole, or a leaf) and can be released again.
        """
        stack = [self]
        while stack:
            node = stack.pop()
            first = node._first
            if first is not None:
                second = node._second
                kind = type(second)
                if kind is tuple:
                    stack.extend(first)
                else:
                    stack.append(first)
                    if kind is not float:
                        stack.append(second)
                node._first = None
                node._second = None

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"

    def _repr_svg_(self) -> "Union[str, None]":
        """Jupyter shows a Value as its graph (refnet.draw); None (the plain repr) for a graph too large to draw."""
        from refnet import draw

        try:
            return draw.to_svg(self)
        except draw.GraphTooLarge:
            return None


class _Marks:
    """The two marks of one search of the graph (Value._reach): objects no other search holds."""

    __slots__ = ("opened", "done")

    def __init__(self) -> None:
        self.opened = object()
        self.done = object()
