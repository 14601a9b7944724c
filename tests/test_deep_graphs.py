"""Deep graphs are built, backpropagated and freed on every runtime (issue 16, item 6).

Dropping the last reference to a chain frees it recursively on runtimes that count
references: CPython bounds that recursion itself, but Pyodide 314 (CPython 3.14 in
WebAssembly) stops with "Maximum call stack size exceeded" at about 3,000 linked objects.
Value.release() cuts the graph iteratively first, so the drop frees one node at a time.
DEEP_CHAIN is 1,000,000 nodes on CPython (Pyodide included) and PyPy, 100,000 on MicroPython.
"""

from _support import DEEP_CHAIN
from refnet import Value, collector


def test_a_deep_chain_is_built_backpropagated_released_and_dropped():
    # DEEP_CHAIN nodes, four a link: y = ((x·2 + 1)·0.5 + 1)·2 + 1 …; ∂y/∂x = (2·0.5)^(links/2) = 1
    # exactly (powers of two), and each constant 1's gradient is the product of the factors
    # above it: 1 for the last, 2 or 1 alternately below it
    x = Value(1.0)
    y = x
    links = DEEP_CHAIN // 4
    last_constant = None
    for k in range(links):
        last_constant = Value(1.0)
        y = y * (2.0 if k % 2 == 0 else 0.5) + last_constant
    y.backward()
    assert x.grad == 1.0 and y.grad == 1.0 and last_constant.grad == 1.0
    data = y.data
    y.release()
    assert y.children == () and y.local_grads == ()
    del y  # the whole chain goes here; without release() Pyodide 314 would stop
    assert x.grad == 1.0 and x.data == 1.0 and data > 1.0


def test_a_deep_chain_of_single_child_nodes_is_freed_after_release():
    # y = tanh(tanh(… x)), DEEP_CHAIN levels of one child each; ∂y/∂x = Π (1 − tanh²) ≤ 1
    x = Value(0.5)
    y = x
    for _ in range(DEEP_CHAIN):
        y = y.tanh()
    y.backward()
    assert 0.0 < x.grad < 1.0
    y.release()
    del y
    assert x.data == 0.5


def test_release_cuts_computed_nodes_and_keeps_leaves_data_and_grads():
    a, b = Value(2.0), Value(3.0)
    h = a * b
    top = (h + a).tanh() * h
    top.backward()
    grads = (a.grad, b.grad, h.grad, top.grad)
    computed = [node for node in top.topological_order() if node.children]
    assert len(computed) == 4
    top.release()
    assert all(node.children == () and node.local_grads == () for node in computed)
    assert (a.grad, b.grad, h.grad, top.grad) == grads and (a.data, b.data, h.data) == (2.0, 3.0, 6.0)
    top.release()  # a second release finds nothing more to cut
    a.grad = 0.0
    (a * 5.0).backward()  # the leaves still work in new graphs
    assert a.grad == 5.0


def test_fit_releasing_each_step_graph_trains_exactly_as_without():
    # where freeing recurses (collector.FREES_RECURSIVELY), fit() releases each step's graph
    # after the step: the weights and losses must be the same, bit for bit, as without it
    from refnet import data, losses, nn, optim, train
    from refnet.prng import PRNG

    points, labels = data.xor()
    targets = [float(t) for t in labels]

    def trained(release):
        saved = train.FREES_RECURSIVELY
        train.FREES_RECURSIVELY = release
        try:
            model = nn.MLP(2, [4, 1], activation="tanh", rng=PRNG(3), fused=False)
            history = train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.5),
                                epochs=5, batch_size=2, rng=PRNG(4))
        finally:
            train.FREES_RECURSIVELY = saved
        return [p.data for p in model.parameters()], history.step_loss

    assert trained(True) == trained(False)
    assert collector.FREES_RECURSIVELY is train.FREES_RECURSIVELY
