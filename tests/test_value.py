"""Value: forward values, local derivatives, accumulation, conventions and numerical safety."""

import math

import gc

from _support import close, raises, skip
from refnet import DomainError, InputError, Value


def test_expression_002_gives_f_minus_12_and_gradients_minus4_minus4_3():
    # 002_22dd3b33c61b9037.txt: f = (x + y)z at x = -2, y = 5, z = -4; q = 3, f = -12,
    # ∂f/∂x = ∂f/∂y = z = -4, ∂f/∂z = q = 3 (exact in floats).
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    f = (x + y) * z
    f.backward()
    assert (f.data, x.grad, y.grad, z.grad) == (-12.0, -4.0, -4.0, 3.0)


def test_data_and_grad_are_floats():
    v = Value(3)
    assert type(v.data) is float and v.data == 3.0
    assert type(v.grad) is float and v.grad == 0.0


def test_each_binary_op_has_its_closed_form_local_derivatives():
    # closed forms: (a+b)' = (1, 1), (a-b)' = (1, -1), (ab)' = (b, a), (a/b)' = (1/b, -a/b²)
    a, b = 3.0, -2.0
    cases = [
        ("+", lambda p, q: p + q, a + b, (1.0, 1.0)),
        ("-", lambda p, q: p - q, a - b, (1.0, -1.0)),
        ("*", lambda p, q: p * q, a * b, (b, a)),
        ("/", lambda p, q: p / q, a / b, (1.0 / b, -a / (b * b))),
    ]
    for name, op, value, grads in cases:
        p, q = Value(a), Value(b)
        out = op(p, q)
        out.backward()
        assert out.data == value, name
        assert close(p.grad, grads[0]) and close(q.grad, grads[1]), (name, p.grad, q.grad)
        assert out.op == name and out.children == (p, q)


def test_reflected_operators_put_the_number_on_the_left():
    x = Value(4.0)
    assert (2 + x).data == 6.0 and (2 - x).data == -2.0 and (2 * x).data == 8.0 and (2 / x).data == 0.5
    assert (2 ** x).data == 16.0
    y = Value(4.0)
    out = 10.0 - y  # ∂/∂y = -1
    out.backward()
    assert y.grad == -1.0


def test_power_with_number_exponent_has_derivative_n_a_to_n_minus_1():
    # closed form: d(a³)/da = 3a², d(a^-1)/da = -a^-2, d(a^0.5)/da = 0.5 a^-0.5
    for a, n in ((2.0, 3), (2.0, -1), (4.0, 0.5), (-3.0, 2)):
        x = Value(a)
        out = x ** n
        out.backward()
        assert close(out.data, a ** n), (a, n)
        assert close(x.grad, n * a ** (n - 1)), (a, n, x.grad)


def test_power_with_value_exponent_differentiates_both_sides():
    # closed form: ∂(aᵇ)/∂a = b aᵇ⁻¹, ∂(aᵇ)/∂b = aᵇ ln a
    a, b = Value(2.0), Value(3.0)
    out = a ** b
    out.backward()
    assert out.data == 8.0
    assert close(a.grad, 12.0) and close(b.grad, 8.0 * math.log(2.0))
    c = Value(1.5)
    out = 2.0 ** c  # __rpow__: ∂(2^c)/∂c = 2^c ln 2
    out.backward()
    assert close(c.grad, 2.0 ** 1.5 * math.log(2.0))


def test_unary_functions_have_their_closed_form_derivatives():
    x = 0.7
    s = 1.0 / (1.0 + math.exp(-x))
    cases = [
        ("exp", lambda v: v.exp(), math.exp(x), math.exp(x)),
        ("log", lambda v: v.log(), math.log(x), 1.0 / x),
        ("tanh", lambda v: v.tanh(), math.tanh(x), 1.0 - math.tanh(x) ** 2),
        ("sigmoid", lambda v: v.sigmoid(), s, s * (1.0 - s)),
        ("relu", lambda v: v.relu(), x, 1.0),
        ("leaky_relu", lambda v: v.leaky_relu(0.1), x, 1.0),
        ("abs", lambda v: v.abs(), x, 1.0),
        ("neg", lambda v: -v, -x, -1.0),
    ]
    for name, op, value, derivative in cases:
        v = Value(x)
        out = op(v)
        out.backward()
        assert close(out.data, value), name
        assert close(v.grad, derivative), (name, v.grad, derivative)


def test_negative_side_of_relu_leaky_relu_and_abs():
    for op, value, derivative in ((lambda v: v.relu(), 0.0, 0.0), (lambda v: v.leaky_relu(0.2), -0.4, 0.2),
                                  (lambda v: v.abs(), 2.0, -1.0), (lambda v: abs(v), 2.0, -1.0)):
        v = Value(-2.0)
        out = op(v)
        out.backward()
        assert close(out.data, value) and v.grad == derivative


def test_kink_conventions_relu_0_leaky_alpha_abs_0():
    # written down in refnet/functional.py: ReLU'(0) = 0, leaky ReLU'(0) = alpha, |x|'(0) = 0
    for op, expected in ((lambda v: v.relu(), 0.0), (lambda v: v.leaky_relu(0.3), 0.3), (lambda v: v.abs(), 0.0)):
        v = Value(0.0)
        op(v).backward()
        assert v.grad == expected


def test_max_gate_routes_gradient_to_the_larger_input():
    # 002_22dd3b33c61b9037.txt: "MAX-Gate: Gradient Router"
    a, b = Value(3.0), Value(1.0)
    out = Value.max(a, b) * 5.0
    out.backward()
    assert out.data == 15.0 and a.grad == 5.0 and b.grad == 0.0
    a, b = Value(-1.0), Value(2.0)
    Value.max(a, b).backward()
    assert (a.grad, b.grad) == (0.0, 1.0)


def test_max_gate_splits_a_tie_evenly():
    # convention (refnet/value.py, as torch.maximum): at a == b each input gets half
    a, b = Value(2.0), Value(2.0)
    out = Value.max(a, b)
    out.backward()
    assert out.data == 2.0 and (a.grad, b.grad) == (0.5, 0.5)
    c = Value(4.0)
    out = Value.max(c, 4)  # a number operand becomes a constant leaf
    out.backward()
    assert c.grad == 0.5


def test_gradients_accumulate_at_fan_in():
    # 002: "gradients add where branches meet"; b = a + a → ∂b/∂a = 2
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0
    x = Value(2.0)
    y = x * x + x  # ∂y/∂x = 2x + 1 = 5 (two paths through the product, one direct)
    y.backward()
    assert x.grad == 5.0


def test_a_node_passes_its_gradient_to_its_children_in_argument_order():
    # where one node is both children (a − a, a / a), the two contributions are added first
    # child first; in floats the order shows. Independent computation: the walk's additions
    # written out. y = (a − a) + a·0.1 visits the product, then the difference (outputs first):
    # a receives 0.1·1, then 1·1, then −1·1.
    a = Value(0.5)
    ((a - a) + a * 0.1).backward()
    in_order = ((0.0 + 0.1) + 1.0) + -1.0
    assert in_order != ((0.0 + 0.1) + -1.0) + 1.0  # the other order gives another float
    assert a.grad == in_order
    b = Value(0.5)
    ((b / b) + b * 0.1).backward()  # ∂/∂b₁ = 1/b = 2, ∂/∂b₂ = −b/b² = −2
    assert b.grad == ((0.0 + 0.1) + 2.0) + -2.0


def test_backward_twice_adds_the_derivatives_twice():
    # documented in Value.backward: each call adds ∂self/∂v once more (intermediate nodes too)
    x = Value(3.0)
    h = x * x
    y = h * 2.0
    y.backward()
    assert (x.grad, h.grad, y.grad) == (12.0, 2.0, 1.0)
    y.backward()
    assert (x.grad, h.grad, y.grad) == (24.0, 4.0, 2.0)


def test_zero_grad_on_a_value_clears_the_whole_graph():
    x, w = Value(1.5), Value(-2.0)
    y = (x * w).tanh() + x
    y.backward()
    assert x.grad != 0.0 and w.grad != 0.0
    y.zero_grad()
    assert all(node.grad == 0.0 for node in y.topological_order())
    y.backward()
    first = x.grad
    y.zero_grad()
    y.backward()
    assert x.grad == first


def test_backward_with_an_upstream_gradient_scales_every_derivative():
    x = Value(2.0)
    y = x * 3.0
    y.backward(0.5)
    assert x.grad == 1.5


def test_topological_order_puts_children_before_parents():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = d.topological_order()
    position = [order.index(node) for node in (a, b, c, d)]
    assert position[0] < position[2] and position[1] < position[2] and position[2] < position[3]
    assert len(order) == 4 and order[-1] is d


def test_computed_nodes_come_in_the_order_of_a_recursive_depth_first_search():
    # The order of the computed nodes fixes the order in which gradients add up at a node used
    # more than once, so it is part of every result's last bits. Independent computation: the
    # textbook recursive DFS (children first to last, a node after all of its children), on
    # random graphs with shared nodes, leaves, and nodes of one, two and four children.
    from refnet.prng import PRNG

    def recursive_postorder(root):  # type: ignore[no-untyped-def]
        order, seen = [], set()

        def visit(node):  # type: ignore[no-untyped-def]
            seen.add(id(node))
            for child in node.children:
                if id(child) not in seen:
                    visit(child)
            if node.children:
                order.append(node)

        visit(root)
        return order

    rng = PRNG(7)
    for _ in range(200):
        nodes = [Value(rng.uniform(-1.0, 1.0)) for _ in range(4)]
        for _ in range(1 + rng.below(40)):
            kind = rng.below(3)
            if kind == 0:
                nodes.append(nodes[rng.below(len(nodes))].tanh())
            elif kind == 1:
                nodes.append(nodes[rng.below(len(nodes))] * nodes[rng.below(len(nodes))])
            else:
                picked = [nodes[rng.below(len(nodes))] for _ in range(4)]
                nodes.append(Value.fused(0.0, picked, [1.0, 2.0, 3.0, 4.0], "sum4"))
        root = nodes[-1]
        order = root.topological_order()
        computed = [node for node in order if node.children]
        assert [id(n) for n in computed] == [id(n) for n in recursive_postorder(root)]
        leaves = [node for node in order if not node.children]
        assert order == leaves + computed and len(set(map(id, order))) == len(order)


def test_no_overflow_escapes_sigmoid_tanh_exp():
    # closed forms: σ(1000) = 1, σ(-1000) = e^-1000 ≈ 0 (underflows), tanh(1000) = 1
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).tanh().data == 1.0
    assert Value(-1000.0).tanh().data == -1.0


def test_exp_past_the_largest_float_is_inf_with_inf_gradient():
    # documented in refnet/value.py: exp beyond the largest float gives +inf, gradient too
    x = Value(1000.0)
    out = x.exp()
    out.backward()
    assert out.data == float("inf") and x.grad == float("inf")
    assert Value(-1000.0).exp().data == 0.0


def test_power_overflow_gives_inf_not_an_exception():
    assert (Value(10.0) ** 400).data == float("inf")
    assert (Value(-10.0) ** 401).data == float("-inf")


def test_domain_errors_are_clear():
    error = raises(DomainError, lambda: Value(0.0).log())
    assert "log" in str(error) and "positive" in str(error)
    raises(DomainError, lambda: Value(-1.0).log())
    error = raises(DomainError, lambda: Value(-8.0) ** (1.0 / 3.0))
    assert "negative base" in str(error) and "non-integer" in str(error)
    error = raises(DomainError, lambda: Value(-2.0) ** Value(2.0))
    assert "Value exponent" in str(error)
    raises(DomainError, lambda: Value(0.0) ** Value(2.0))
    error = raises(DomainError, lambda: Value(0.0) ** -1)
    assert "0 **" in str(error)
    error = raises(DomainError, lambda: Value(1.0) / 0.0)
    assert "non-zero divisor" in str(error)
    raises(DomainError, lambda: 1.0 / Value(0.0))


def test_zero_base_with_fractional_exponent_has_infinite_slope():
    # d(√a)/da = 0.5 a^-0.5 → +inf at a = 0 (IEEE pole), while √0 = 0 is finite
    x = Value(0.0)
    out = x ** 0.5
    out.backward()
    assert out.data == 0.0 and x.grad == float("inf")


def test_bad_operands_raise_input_error_naming_the_op():
    error = raises(InputError, lambda: Value(1.0) + "a")
    assert "+" in str(error) and "str" in str(error)
    raises(InputError, lambda: Value(1.0) * [1.0])
    raises(InputError, lambda: Value(True))
    raises(InputError, lambda: Value("1.0"))
    raises(InputError, lambda: Value(1.0) ** "2")
    raises(InputError, lambda: Value(10 ** 400))


def test_fused_node_checks_one_local_gradient_per_input():
    a, b = Value(1.0), Value(2.0)
    out = Value.fused(3.0, [a, b], [1.0, 1.0], "sum")
    out.backward()
    assert (a.grad, b.grad, out.op) == (1.0, 1.0, "sum")
    raises(InputError, Value.fused, 3.0, [a, b], [1.0], "sum")


def test_repr_shows_data_and_grad():
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"


def test_children_and_local_grads_are_tuples_in_argument_order_for_every_arity():
    a, b, c = Value(2.0), Value(3.0), Value(5.0)
    leaf, unary, binary = a, a.tanh(), a * b
    three = Value.fused(1.0, [a, b, c], [0.5, 0.25, 2.0], "three")
    one = Value.fused(1.0, [c], [4.0], "one")
    none = Value.fused(1.0, [], [], "none")
    assert (leaf.children, leaf.local_grads) == ((), ())
    assert unary.children == (a,) and close(unary.local_grads[0], 1.0 - math.tanh(2.0) ** 2)
    assert (binary.children, binary.local_grads) == ((a, b), (3.0, 2.0))
    assert (three.children, three.local_grads) == ((a, b, c), (0.5, 0.25, 2.0))
    assert (one.children, one.local_grads) == ((c,), (4.0,))
    assert (none.children, none.local_grads) == ((), ())
    for node in (leaf, unary, binary, three, one, none):
        assert type(node.children) is tuple and type(node.local_grads) is tuple, node.op
        assert len(node.children) == len(node.local_grads), node.op
    three.backward()
    assert (a.grad, b.grad, c.grad) == (0.5, 0.25, 2.0)


def test_a_gate_of_one_or_two_children_holds_no_container_for_the_collector_to_scan():
    # the cyclic collector scans every container of the graph on each full collection: a node of
    # the per-op graph holds its children (and a unary gate its local derivative) in slots of its own, no tuple
    referents = getattr(gc, "get_referents", None)
    if referents is None:
        skip("gc.get_referents is not available on " + __import__("sys").implementation.name)
    a, b = Value(2.0), Value(3.0)
    for node in (a * b, a + b, a - b, a / b, Value.max(a, b), a.relu(), a ** 2, -a):
        held = [type(x).__name__ for x in referents(node) if not isinstance(x, (Value, float, str, type, type(None)))]
        assert held == [], (node.op, held)


def test_a_released_node_of_each_arity_is_a_leaf_that_keeps_its_data_and_grad():
    a, b, c = Value(2.0), Value(3.0), Value(5.0)
    top = Value.fused(0.0, [a * b, a.exp(), c], [1.0, 1.0, 1.0], "sum3") + a
    top.backward()
    nodes = top.topological_order()
    kept = [(node.data, node.grad) for node in nodes]
    top.release()
    assert [(node.data, node.grad) for node in nodes] == kept
    assert all(node.children == () and node.local_grads == () for node in nodes)
    assert top.topological_order() == [top]



def test_a_binary_gate_reads_its_local_derivatives_off_its_inputs_and_a_unary_gate_keeps_its_own():
    # documented in refnet/value.py: a binary gate stores no derivatives and backward() reads them
    # off the inputs' data then (as micrograd's closures do); a unary gate's is fixed in the forward pass
    a, b = Value(2.0), Value(3.0)
    product, squashed = a * b, a.tanh()
    assert product.local_grads == (3.0, 2.0)
    b.data = 7.0
    assert product.local_grads == (7.0, 2.0)
    product.backward()
    assert (a.grad, b.grad) == (7.0, 2.0)
    a.data = 0.0
    assert close(squashed.local_grads[0], 1.0 - math.tanh(2.0) ** 2)  # tanh′(2), not tanh′(0) = 1
    assert squashed.local_grads[0] != 1.0


def test_each_binary_gate_gives_the_same_derivatives_to_local_grads_and_to_backward():
    # local_grads and the walk share one formula per gate: a child's gradient is Σ upstream · local_grads[k]
    # over its edges (the last cases: a tie in max, and a gate whose two inputs are one Value)
    a, b = Value(1.5), Value(-0.5)
    for make in (lambda: a + b, lambda: a - b, lambda: a * b, lambda: a / b, lambda: a ** b,
                 lambda: Value.max(a, b), lambda: Value.max(b, a), lambda: Value.max(a, 1.5), lambda: a * a):
        a.grad = b.grad = 0.0
        node = make()
        local = node.local_grads
        assert len(local) == 2 and all(type(g) is float for g in local), node.op
        node.backward(3.0)
        for child in (a, b):
            expected = sum(3.0 * g for c, g in zip(node.children, local) if c is child)
            assert child.grad == expected, (node.op, child.grad, expected)


def test_a_binary_gate_whose_op_name_was_overwritten_raises_instead_of_guessing():
    # backward() finds a binary gate's local derivatives by its op's name; micrograd's `_op` label
    # goes through Value._rename (test_compat_micrograd), the slot itself only by hand
    a, b = Value(2.0), Value(3.0)
    node = a * b
    node._op_name = "times"
    for error in (raises(InputError, node.backward), raises(InputError, lambda: node.local_grads)):
        assert "no binary gate named 'times'" in str(error), error
