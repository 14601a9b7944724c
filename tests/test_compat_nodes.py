"""refnet.compat.micrograd's leaves and computed nodes: micrograd's API on both, on every runtime.

The nodes the ops make, and the nodes built by hand, are micrograd Values: every op on them is
micrograd's (a − b is a + (−b), so its op is "+"), and the constants they make are plain leaves.
"""

from _support import raises
from refnet import InputError
from refnet import Value as RefnetValue
from refnet.compat.micrograd import Value


def test_computed_nodes_are_micrograd_values_with_micrograds_ops():
    a, b, c = Value(2.0), Value(3.0), Value(-1.0)
    product = a * b
    assert isinstance(product, Value) and isinstance(product, RefnetValue)
    difference = product - c  # micrograd: product + (c * -1)
    assert difference.op == "+" and difference.children[0] is product
    assert difference.children[1].op == "*" and difference.children[1].children[0] is c
    quotient = product / c  # micrograd: product * c ** -1
    assert quotient.op == "*" and quotient.children[1].op == "**-1"
    difference.backward()
    assert (a.grad, b.grad, c.grad) == (3.0, 2.0, -1.0)


def test_constants_made_from_computed_nodes_are_micrograd_leaves():
    a = Value(2.0)
    chained = ((a * 1.5) + 0.5) * 2.0
    constants = [chained.children[1], chained.children[0].children[1], chained.children[0].children[0].children[1]]
    for constant in constants:
        assert type(constant) is Value and constant.children == () and constant.op == "", constant
    assert [constant.data for constant in constants] == [2.0, 0.5, 1.5]


def test_a_node_built_by_hand_is_a_computed_node_with_its_op_and_children():
    a, b = Value(1.0), Value(2.0)
    by_hand = Value(3.0, (a, b), "custom")
    assert isinstance(by_hand, Value)
    assert (by_hand.data, by_hand.op, by_hand.children, by_hand._prev) == (3.0, "custom", (a, b), {a, b})
    op_only = Value(4.0, (), "named")
    assert (op_only.op, op_only.children, op_only.local_grads) == ("named", (), ())
    assert (by_hand + a).op == "+" and type(by_hand + 1.0).__name__ == type(by_hand).__name__
    raises(InputError, Value, 1.0, ("a",))
    raises(InputError, Value, "one")
