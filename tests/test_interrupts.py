"""A traversal that an interrupt cannot leave broken (issue 16, item 1).

A KeyboardInterrupt (Ctrl-C) can land at any instruction of backward(), zero_grad() or
topological_order(). Whatever it interrupts, every later pass over the same graph, over a new
graph sharing its nodes, or over a new graph of new nodes must give the exact gradients. Each
search of the graph marks nodes with objects of its own (Value._reach), so a mark left by an
interrupted search means "not reached" to every later one, and no cleanup needs to run.

The interrupts come from a trace function (sys.settrace) that raises KeyboardInterrupt at the
k-th line event or function entry inside refnet, for every k; where a runtime has no
sys.settrace (MicroPython) those tests skip, and the tests that interrupt at each node by a
children tuple that raises run everywhere. Expected numbers come from the same graph built
from new leaves and backpropagated once without interruption; the reproducer's from the
closed form ∂(3w + 3x)/∂w = ∂/∂x = 3.
"""

import gc
import sys

from _support import raises, skip
from refnet import Value, collector


def leaves():
    return Value(2.0), Value(3.0), Value(-1.0)


def graph(a, b, c):
    """Fan-in and a shared subgraph: h feeds four nodes, a five; nodes of one, two and three children."""
    h = (a * b).relu()
    return Value.fused(0.0, [(h * c).tanh(), h + a, (a * c).exp()], [1.0, 2.0, 3.0], "sum3") * (h - b)


def uninterrupted():
    """(∂top/∂a, ∂top/∂b, ∂top/∂c) and every node's grad, in topological order, from one clean pass."""
    a, b, c = leaves()
    top = graph(a, b, c)
    top.backward()
    return [a.grad, b.grad, c.grad], [node.grad for node in top.topological_order()]


def in_refnet(frame):
    """A frame of refnet's code, but not a __del__: Python never raises out of __del__ (an
    exception there goes to sys.unraisablehook), so nothing could be interrupted there."""
    code = frame.f_code
    return "/refnet/" in code.co_filename.replace("\\", "/") and code.co_name != "__del__"


class Interrupter:
    """A trace function raising KeyboardInterrupt at the `at`-th event inside refnet (0: never),
    counting function entries ('call') and lines ('line')."""

    def __init__(self, at):
        self.at = at
        self.events = 0

    def tick(self):
        self.events += 1
        if self.events == self.at:
            raise KeyboardInterrupt

    def __call__(self, frame, event, arg):
        if not in_refnet(frame):
            return None
        self.tick()
        return self.line

    def line(self, frame, event, arg):
        if event == "line":
            self.tick()
        return self.line


def traced(operation, at):
    """Run operation() under an Interrupter; True when it was interrupted, and the event count."""
    tracer = Interrupter(at)
    sys.settrace(tracer)
    try:
        operation()
    except KeyboardInterrupt:
        return True, tracer.events
    finally:
        sys.settrace(None)
    return False, tracer.events


def need_settrace():
    if getattr(sys, "settrace", None) is None:
        skip("sys.settrace is not available on " + sys.implementation.name)


def check_every_later_pass_is_exact(a, b, c, top, where):
    """After an interrupt: the same graph, a new graph on the same leaves, and a new graph on
    new leaves that uses the old graph all backpropagate exactly."""
    if collector.PAUSES:  # an interrupted pause switches the collector back on (collector.paused.__del__)
        assert gc.isenabled(), where
    expected_leaves, expected_nodes = uninterrupted()
    top.zero_grad()
    top.backward()
    assert [node.grad for node in top.topological_order()] == expected_nodes, where
    again = graph(a, b, c)
    for leaf in (a, b, c):
        leaf.grad = 0.0
    again.backward()
    assert [a.grad, b.grad, c.grad] == expected_leaves, where
    x = Value(2.0)
    outer = top * x + x  # ∂/∂x = top + 1; ∂/∂leaf = 2·∂top/∂leaf, exact (a power of two)
    top.zero_grad()
    outer.backward()
    assert x.grad == top.data + 1.0, where
    assert [a.grad, b.grad, c.grad] == [2.0 * g for g in expected_leaves], where


def interrupt_everywhere(name, operation_of):
    """Interrupt operation_of(top) at each event in turn, on a fresh graph each time and on one
    graph reused throughout; after each, every later pass must be exact."""
    need_settrace()
    a, b, c = leaves()
    top = graph(a, b, c)
    done, events = traced(operation_of(top), 0)
    assert done is False and events > 10, (name, events)
    reused = leaves()
    reused_top = graph(*reused)
    for at in range(1, events + 1):
        a, b, c = leaves()
        top = graph(a, b, c)
        top.backward()
        interrupted, _ = traced(operation_of(top), at)
        assert interrupted, (name, at, events)
        check_every_later_pass_is_exact(a, b, c, top, (name, "event", at, "of", events))
        interrupted, _ = traced(operation_of(reused_top), at)
        assert interrupted, (name, at, events)
    check_every_later_pass_is_exact(reused[0], reused[1], reused[2], reused_top, (name, "reused graph"))
    return events


def test_an_interrupt_at_any_line_of_backward_leaves_every_later_pass_exact():
    interrupt_everywhere("backward", lambda top: top.backward)


def test_an_interrupt_at_any_line_of_zero_grad_leaves_every_later_pass_exact():
    interrupt_everywhere("zero_grad", lambda top: top.zero_grad)


def test_an_interrupt_at_any_line_of_topological_order_leaves_every_later_pass_exact():
    interrupt_everywhere("topological_order", lambda top: top.topological_order)


def reproduce(operation_name, interrupt):
    """Build f on a weight w, interrupt f.<operation> part way, then differentiate 3w + 3x."""
    w = Value(2.0)
    f = (w * 4.0 + 1.0).tanh() * w
    f.backward()
    interrupt(f, getattr(f, operation_name))
    x = Value(5.0)
    g = w * 3.0 + x * 3.0
    w.grad = 0.0
    g.backward()
    assert (w.grad, x.grad) == (3.0, 3.0), (operation_name, w.grad, x.grad)


def test_reproducer_an_interrupted_zero_grad_or_sort_leaves_a_new_graph_exact():
    need_settrace()
    for name in ("zero_grad", "topological_order", "backward"):
        w = Value(2.0)
        _, events = traced(getattr((w * 4.0 + 1.0).tanh() * w, name), 0)
        for at in range(1, events + 1):
            reproduce(name, lambda f, operation: traced(operation, at))


class Interrupting(tuple):
    """Children whose length or iteration raises KeyboardInterrupt, as a Ctrl-C landing there would."""

    def __len__(self):
        raise KeyboardInterrupt

    def __iter__(self):
        raise KeyboardInterrupt


def test_an_interrupt_at_each_computed_node_leaves_every_later_pass_exact():
    # the interruption comes as the search opens the node (len() is what it asks first), or,
    # where the search iterates, while the walk takes the node's edges; runs on every runtime
    a, b, c = leaves()
    top = graph(a, b, c)
    computed = [node for node in top.topological_order() if node.children]
    assert len(computed) == 10
    for node in computed:
        for operation in (top.backward, top.topological_order, top.zero_grad):
            saved = node._children
            node._children = Interrupting(saved)
            try:
                raises(KeyboardInterrupt, operation)
            finally:
                node._children = saved
            check_every_later_pass_is_exact(a, b, c, top, (node.op, operation))


def test_reproducer_without_settrace_an_interrupted_sort_leaves_a_new_graph_exact():
    def interrupt_inside(f, operation):
        node = f.children[0]
        saved = node._children
        node._children = Interrupting(saved)
        try:
            raises(KeyboardInterrupt, operation)
        finally:
            node._children = saved

    for name in ("zero_grad", "topological_order", "backward"):
        reproduce(name, interrupt_inside)


def test_setting_a_nodes_children_again_after_an_interrupt_at_any_line_restores_its_gradients():
    # the setter a hand-built node uses (micrograd's Value(data, _children, _op)) writes two
    # slots: interrupted between them the node must not pass silently wrong gradients, and
    # setting the same children again must give the exact ones (each node kind: *, /, tanh, fused)
    need_settrace()
    for pick in (0, 1, 2, 3):
        a, b, c = leaves()
        top = graph(a, b, c)
        kinds = [node for node in top.topological_order() if node.children]
        node = [n for n in kinds if n.op in ("*", "/", "tanh", "sum3")][pick]
        saved = node.children
        done, events = traced(lambda: setattr(node, "_children", saved), 0)
        assert done is False and events > 0, (node.op, events)
        for at in range(1, events + 1):
            a, b, c = leaves()
            top = graph(a, b, c)
            node = [n for n in top.topological_order() if n.children and n.op in ("*", "/", "tanh", "sum3")][pick]
            saved = node.children
            interrupted, _ = traced(lambda: setattr(node, "_children", saved), at)
            assert interrupted, (node.op, at)
            node._children = saved
            check_every_later_pass_is_exact(a, b, c, top, (node.op, "children set again after event", at))


def test_renaming_a_gate_by_hand_at_any_line_keeps_its_gradients():
    # micrograd's _op is a label: refnet.compat's Value lets it be changed, even interrupted
    need_settrace()
    from refnet.compat.micrograd import Value as MicrogradValue

    def build():
        a, b = MicrogradValue(2.0), MicrogradValue(3.0)
        c = a * b
        return a, b, c, c.tanh()

    a, b, _, top = build()
    top.backward()
    expected = (a.grad, b.grad, "mul", "mul")  # the same graph, not renamed
    c = build()[2]
    _, events = traced(lambda: setattr(c, "_op", "mul"), 0)
    assert events > 5, events
    for at in range(1, events + 1):
        a, b, c, top = build()
        assert traced(lambda: setattr(c, "_op", "mul"), at)[0], at
        c._op = "mul"
        top.backward()
        assert (a.grad, b.grad, c._op, c.op) == expected, at
