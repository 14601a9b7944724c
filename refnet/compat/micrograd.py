"""micrograd 0.1.0's API on refnet's Value: change the import, keep the code.

    from micrograd.engine import Value          →  from refnet.compat.micrograd import Value
    from micrograd.nn import Neuron, Layer, MLP →  from refnet.compat.micrograd import Neuron, Layer, MLP

What is kept from micrograd 0.1.0 (Karpathy, 2020), so that its numbers come out the same:

* the graph: a − b is a + (−b), −a is a·(−1), a/b is a·b⁻¹ and c/a is c·a⁻¹, so gradients
  travel the same gates in the same order; `x ** k` takes only int or float exponents;
  `_prev` (the set of children), `_op` (a label, which may be changed) and `Value(data, _children, _op)` are there;
* Neuron(nin, nonlin=True): weights from random.uniform(−1, 1) (Python's `random`, so
  random.seed(1337) gives micrograd's weights on CPython), bias 0, act = b + w₀x₀ + w₁x₁ + …,
  ReLU unless nonlin=False;
* Layer(nin, nout) returns a single Value when nout == 1, else a list;
* MLP(nin, nouts) uses ReLU everywhere but in its last layer, which is linear;
* Module.zero_grad() and parameters(); the reprs ("ReLUNeuron(2)", "Layer of [...]", "MLP of [...]").

What is refnet's: everything else of Value (exp, tanh, sigmoid, log, … are available too),
data and grad are floats, and backward() is refnet's: calling it twice adds the gradients
twice (micrograd would re-propagate the accumulated gradients of inner nodes).
"""

import random

from refnet._checks import as_bool, as_float, as_int, as_text, shown
from refnet.errors import InputError, ShapeError
from refnet.value import Value as _RefnetValue, _binary_local_grads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Sequence, Set, Tuple, Union

    Operand = Union[_RefnetValue, int, float]


class Value(_RefnetValue):
    """refnet's Value with micrograd 0.1.0's constructor, graph shapes and repr."""

    __slots__ = ()

    def __init__(self, data: "Union[int, float]", _children: "Tuple[_RefnetValue, ...]" = (), _op: str = "") -> None:
        super().__init__(data)
        if _children != () or _op != "":  # a node built by hand (a constant is a plain leaf)
            if not isinstance(_children, (list, tuple, set)):
                raise InputError(f"micrograd Value(_children): expected a tuple of Values, got {shown(_children)}")
            for child in _children:
                if not isinstance(child, _RefnetValue):
                    raise InputError(f"micrograd Value(_children): expected a tuple of Values, got an item "
                                     f"{shown(child)}")
            if _children:
                self._children = tuple(_children)
            self._rename(as_text(_op, "micrograd Value(_op)"))

    @property
    def _prev(self) -> "Set[_RefnetValue]":
        """micrograd's name for the set of children."""
        return set(self.children)

    @property
    def _op(self) -> str:
        """micrograd's name for the op that made this node ('' for a leaf): a label, which may be
        changed by hand without changing the gradients."""
        return self.op

    @_op.setter
    def _op(self, name: str) -> None:
        self._rename(as_text(name, "micrograd Value._op"))

    def _rename(self, op: str) -> None:
        """Name this node's op `op` (micrograd's `_op` is a label): a binary gate, whose local
        derivatives backward() finds by its op's name, first keeps the ones it has in a fused
        node's tuples."""
        first = self._first
        second = self._second
        kind = type(second)
        if first is not None and kind is not float and kind is not tuple:  # a binary gate
            # the children go first: interrupted after that store, the node holds a tuple beside a
            # Value (backward() raises AttributeError there), and renaming again ends the work
            children = first if type(first) is tuple else (first, second)
            local_grads = _binary_local_grads(self._op_name, children[0].data, children[1].data, self.data)
            self._first = children
            self._second = local_grads
        self._op_name = op

    def __pow__(self, other: "Operand") -> "_RefnetValue":
        if isinstance(other, bool) or not isinstance(other, (int, float)):
            raise InputError(f"micrograd Value ** {type(other).__name__}: only supporting int/float powers for now")
        return super().__pow__(other)

    def __neg__(self) -> "_RefnetValue":
        return self * -1

    def __sub__(self, other: "Operand") -> "_RefnetValue":
        return self + (-self._operand(other, "-"))

    def __rsub__(self, other: "Operand") -> "_RefnetValue":
        return other + (-self)

    def __truediv__(self, other: "Operand") -> "_RefnetValue":
        return self * self._operand(other, "/") ** -1

    def __rtruediv__(self, other: "Operand") -> "_RefnetValue":
        return other * self ** -1

    def __radd__(self, other: "Operand") -> "_RefnetValue":
        return self + other

    def __rmul__(self, other: "Operand") -> "_RefnetValue":
        return self * other


class Module:
    """micrograd's Module: zero_grad() and parameters()."""

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> "List[_RefnetValue]":
        return []


class Neuron(Module):
    """act = b + Σᵢ wᵢxᵢ, then ReLU if nonlin; weights from random.uniform(−1, 1)."""

    def __init__(self, nin: int, nonlin: bool = True) -> None:
        count = as_int(nin, "micrograd Neuron(nin)", minimum=1)
        self.nonlin = as_bool(nonlin, "micrograd Neuron(nonlin)")
        self.w: "List[_RefnetValue]" = [Value(random.uniform(-1, 1)) for _ in range(count)]
        self.b: "_RefnetValue" = Value(0)

    def __call__(self, x: "Sequence[Any]") -> "_RefnetValue":
        if not isinstance(x, (list, tuple)) or len(x) != len(self.w):
            given = f"{len(x)} inputs" if isinstance(x, (list, tuple)) else shown(x)
            raise ShapeError(f"micrograd Neuron({len(self.w)}): expected a list of {len(self.w)} inputs, got {given}")
        for index, x_i in enumerate(x):
            if not isinstance(x_i, _RefnetValue):
                as_float(x_i, f"micrograd Neuron({len(self.w)}) input [{index}]")
        act = self.b
        for w_i, x_i in zip(self.w, x):
            act = act + w_i * x_i
        return act.relu() if self.nonlin else act

    def parameters(self) -> "List[_RefnetValue]":
        return list(self.w) + [self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """nout neurons; calling it returns one Value when nout == 1, else a list."""

    def __init__(self, nin: int, nout: int, nonlin: bool = True) -> None:
        as_int(nin, "micrograd Layer(nin)", minimum=1)
        as_bool(nonlin, "micrograd Layer(nonlin)")
        self.neurons = [Neuron(nin, nonlin=nonlin) for _ in range(as_int(nout, "micrograd Layer(nout)", minimum=1))]

    def __call__(self, x: "Sequence[Any]") -> "Any":
        nin = len(self.neurons[0].w)
        if not isinstance(x, (list, tuple)) or len(x) != nin:
            given = f"{len(x)} inputs" if isinstance(x, (list, tuple)) else shown(x)
            raise ShapeError(f"micrograd Layer({nin}, {len(self.neurons)}): expected a list of {nin} inputs, "
                             f"got {given}")
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> "List[_RefnetValue]":
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers of sizes nouts; ReLU in all but the last, which is linear."""

    def __init__(self, nin: int, nouts: "List[int]") -> None:
        if not isinstance(nouts, (list, tuple)) or len(nouts) == 0:
            given = "an empty one" if isinstance(nouts, (list, tuple)) else shown(nouts)
            raise InputError(f"micrograd MLP(nouts): expected a non-empty list of layer sizes, got {given}")
        sizes = [as_int(nin, "micrograd MLP(nin)", minimum=1)] + [as_int(n, "micrograd MLP(nouts)", minimum=1)
                                                                   for n in nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))]

    def __call__(self, x: "Any") -> "Any":
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> "List[_RefnetValue]":
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
