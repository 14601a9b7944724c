"""Value: a scalar that remembers how it was computed, and backpropagates through it.

002_22dd3b33c61b9037.txt draws f(x, y, z) = (x + y)·z as a graph of gates: each gate knows
its output and its local derivatives ∂out/∂in. 004_90774dc949aeae9c.txt gives the rule for
the whole graph: the derivative along a path is the product of the local derivatives on its
edges, and the derivative of the output with respect to a node is the sum over all paths
from it. Reverse mode visits each edge once, outputs first, reusing what it has computed:

    ∂L/∂child  +=  ∂self/∂child · ∂L/∂self        for every edge, in reverse topological order

A Value is one gate's output:

    data           the number the forward pass computed
    grad           ∂L/∂(this value), added to by L.backward()
    _children      the Values this one was computed from
    _local_grads   ∂self/∂child for each child, computed beside the forward value

Each op below states its formula, then returns its value and local derivatives side by side.
The graph holds no closures and no cycles; backward() walks it with an explicit stack, so a
chain of a million nodes needs no recursion.

nan propagates: an op with a nan input has a nan value and nan local derivatives
(docs/conventions.md has the table). Conventions where the derivative is undefined (the same
as PyTorch's):
ReLU′(0) = 0, leaky ReLU′(0) = α, |x|′(0) = 0, and a tie in max(a, b) sends half the gradient
to each input. exp beyond the largest float gives +inf (its gradient too), on every runtime.
log(x ≤ 0), x/0, 0 to a negative power and a negative base to a non-integer or Value power
raise DomainError.
"""

from refnet import functional as F
from refnet._checks import as_float, shown
from refnet.collector import paused
from refnet.errors import DomainError, InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Sequence, Tuple, Union

    Operand = Union["Value", int, float]


_new = object.__new__

# Local derivatives that do not depend on the data, shared by every node that needs them
# (one tuple for all additions instead of one per addition).
ONE_ONE = (1.0, 1.0)
ONE_MINUS_ONE = (1.0, -1.0)
MINUS_ONE = (-1.0,)


class Value:
    """A scalar node of a computation graph: `data`, `grad`, and how it was computed."""

    __slots__ = ("data", "grad", "_children", "_local_grads", "_op", "_upstream")

    def __init__(self, data: "Union[int, float]") -> None:
        self.data = as_float(data, "Value(data)")
        self.grad = 0.0
        self._children: "Tuple[Value, ...]" = ()
        self._local_grads: "Tuple[float, ...]" = ()
        self._op = ""
        self._upstream: "Any" = None  # a search's mark (_reach), then ∂L/∂(this value) in backward()

    def _result(self, data: float, children: "Tuple[Value, ...]", local_grads: "Tuple[float, ...]",
                op: str) -> "Value":
        """A new node of this Value's class, holding `data` and ∂data/∂child for each child.

        `data` is already a float (it comes from float arithmetic), so the node is made without
        __init__'s checks: object.__new__ and the six slots, the fastest way Python has.
        """
        out = _new(type(self))
        out.data = data
        out.grad = 0.0
        out._children = children
        out._local_grads = local_grads
        out._op = op
        out._upstream = None
        return out

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
        out._children = tuple(inputs)
        out._local_grads = tuple([as_float(g, f"Value.fused(local_grads)[{k}] for {op!r}")
                                  for k, g in enumerate(local_grads)])
        out._op = op
        return out

    @property
    def op(self) -> str:
        """The name of the op that produced this value ('' for a leaf)."""
        return self._op

    @property
    def children(self) -> "Tuple[Value, ...]":
        """The Values this one was computed from, in argument order."""
        return self._children

    @property
    def local_grads(self) -> "Tuple[float, ...]":
        """∂self/∂child for each child, in the same order as `children`."""
        return self._local_grads

    # -- arithmetic ------------------------------------------------------------

    def __add__(self, other: "Operand") -> "Value":
        if not isinstance(other, Value):
            other = self._operand(other, "+")
        # a + b;     ∂/∂a = 1,  ∂/∂b = 1       (002: the add gate distributes the gradient)
        return self._result(self.data + other.data, (self, other), ONE_ONE, "+")

    def __sub__(self, other: "Operand") -> "Value":
        if not isinstance(other, Value):
            other = self._operand(other, "-")
        # a − b;     ∂/∂a = 1,  ∂/∂b = −1
        return self._result(self.data - other.data, (self, other), ONE_MINUS_ONE, "-")

    def __mul__(self, other: "Operand") -> "Value":
        if not isinstance(other, Value):
            other = self._operand(other, "*")
        # a · b;     ∂/∂a = b,  ∂/∂b = a       (002: the mul gate swaps its inputs)
        return self._result(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __truediv__(self, other: "Operand") -> "Value":
        if not isinstance(other, Value):
            other = self._operand(other, "/")
        if other.data == 0.0:
            raise DomainError(f"Value division: {self.data} / 0 is undefined; expected a non-zero divisor")
        # a / b;     ∂/∂a = 1/b,  ∂/∂b = −a/b² = −(a/b)/b   (±inf where 1/b exceeds the floats;
        # −(a/b)/b rather than −(a/b)·(1/b), which would be 0·∞ = nan for a = 0 and a subnormal b)
        quotient = self.data / other.data
        return self._result(quotient, (self, other), (F.reciprocal(other.data), -quotient / other.data), "/")

    def __pow__(self, exponent: "Operand") -> "Value":
        if isinstance(exponent, Value):
            return self._pow_value(exponent)
        n = as_float(exponent, "Value ** exponent")
        if self.data == 0.0 and n < 0.0:
            raise DomainError(f"Value power: 0 ** {n} is a division by zero; expected a non-zero base "
                              "for a negative exponent")
        # aⁿ;        ∂/∂a = n·aⁿ⁻¹
        return self._result(F.power(self.data, n), (self,), (F.power_derivative(self.data, n),), f"**{n:g}")

    def _pow_value(self, exponent: "Value") -> "Value":
        if not self.data > 0.0 and self.data == self.data:  # a nan base gives nan (nan propagates)
            raise DomainError(f"Value power: base {self.data} with a Value exponent; expected a positive base, "
                              "since ∂(aᵇ)/∂b = aᵇ·ln a needs ln a")
        b = exponent.data
        out = F.power(self.data, b)
        # aᵇ;        ∂/∂a = b·aᵇ⁻¹,  ∂/∂b = aᵇ·ln a
        return self._result(out, (self, exponent), (F.power_derivative(self.data, b), out * F.log(self.data)),
                            "**")

    def __neg__(self) -> "Value":
        # −a;        ∂/∂a = −1
        return self._result(-self.data, (self,), MINUS_ONE, "neg")

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
        return self._result(out, (self,), (out,), "exp")

    def log(self) -> "Value":
        # ln a;      ∂/∂a = 1/a                (a ≤ 0 raises DomainError; +inf for a < 2⁻¹⁰²⁴)
        return self._result(F.log(self.data), (self,), (F.reciprocal(self.data),), "log")

    def tanh(self) -> "Value":
        # tanh a;    ∂/∂a = 1 − tanh²a = 4e^{−2|a|}/(1 + e^{−2|a|})²  (not 0 where tanh a rounds to ±1)
        return self._result(F.tanh(self.data), (self,), (F.tanh_derivative(self.data),), "tanh")

    def sigmoid(self) -> "Value":
        # σ(a);      ∂/∂a = σ(a)(1 − σ(a)) = e^{−|a|}/(1 + e^{−|a|})²   (002, 003; not 0 where σ rounds to 1)
        return self._result(F.sigmoid(self.data), (self,), (F.sigmoid_derivative(self.data),), "sigmoid")

    def relu(self) -> "Value":
        # max(0, a); ∂/∂a = 1 if a > 0 else 0  (ReLU′(0) = 0)
        return self._result(F.relu(self.data), (self,), (F.relu_derivative(self.data),), "relu")

    def leaky_relu(self, alpha: float = 0.01) -> "Value":
        slope = as_float(alpha, "Value.leaky_relu(alpha)")
        # a if a > 0 else α·a;  ∂/∂a = 1 if a > 0 else α  (leaky ReLU′(0) = α)
        return self._result(F.leaky_relu(self.data, slope), (self,), (F.leaky_relu_derivative(self.data, slope),),
                            "leaky_relu")

    def abs(self) -> "Value":
        # |a|;       ∂/∂a = sign(a)            (|x|′(0) = 0; nan for nan)
        return self._result(abs(self.data), (self,), (F.sign(self.data),), "abs")

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
        if a.data > b.data:
            routes = (1.0, 0.0)
        elif a.data < b.data:
            routes = (0.0, 1.0)
        elif a.data == b.data:
            routes = (0.5, 0.5)
        else:  # a or b is nan
            nan = a.data if a.data != a.data else b.data
            return first._result(nan, (a, b), (nan, nan), "max")
        # max(a, b); ∂/∂a = 1 if a > b, ∂/∂b = 1 if b > a, ½ each at a tie
        return first._result(a.data if a.data >= b.data else b.data, (a, b), routes, "max")

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
        if not self._children:
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
                children = node._children
                if len(children) == 2:  # a binary gate, written out: the most common node
                    first, second = children
                    if second._upstream is not done:
                        if second._children:
                            stack.append(second)
                        else:
                            leaves.append(second)
                            second._upstream = done
                    if first._upstream is not done:
                        if first._children:
                            stack.append(first)
                        else:
                            leaves.append(first)
                            first._upstream = done
                else:
                    for child in reversed(children):
                        if child._upstream is not done:
                            if child._children:
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

        Each node's ∂self/∂node is gathered in `_upstream`, set to 0.0 for every node the search
        reached before the walk starts. The computed nodes are visited outputs first, so that a
        node's `_upstream` is complete when it is visited: it is added to the node's grad and
        passed on to the children, ∂self/∂child += ∂node/∂child · ∂self/∂node. Last, each leaf
        adds its `_upstream` to its grad. Nothing is cleared after: the next search makes marks
        of its own (_reach), so an interrupted pass (Ctrl-C) leaves nothing that a later pass
        could mistake for its own. The cyclic garbage collector is paused meanwhile
        (refnet.collector).
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
                node.grad += upstream
                local_grads = node._local_grads
                edges = len(local_grads)  # 0 for a node built by hand without derivatives (compat)
                if edges == 2:  # a binary gate (+, ·, /, max), written out: the most common node
                    first, second = node._children
                    first_local, second_local = local_grads
                    first._upstream += first_local * upstream
                    second._upstream += second_local * upstream
                elif edges == 1:  # a unary gate (tanh, relu, exp, …), written out
                    (child,) = node._children
                    (local_grad,) = local_grads
                    child._upstream += local_grad * upstream
                else:  # three edges or more (a fused node), or none
                    for child, local_grad in zip(node._children, local_grads):
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
        local derivatives first, so an interrupted release leaves a graph that is consistent
        (a node with children but no local derivatives passes no gradient) and can be released again.
        """
        stack = [self]
        while stack:
            node = stack.pop()
            children = node._children
            if children:
                stack.extend(children)
                node._local_grads = ()
                node._children = ()

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
