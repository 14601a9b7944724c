"""Neuron, Layer, MLP, Dropout and softmax: shapes, the w_ji convention, state, modes and errors."""

import json
import math

from _support import all_close, close, raises
from refnet import InputError, ShapeError, Value
from refnet import functional as F
from refnet import init
from refnet.gradcheck import gradcheck
from refnet.nn import MLP, Dropout, Layer, Neuron, softmax
from refnet.prng import PRNG


def test_neuron_computes_f_of_w_dot_x_plus_b():
    # 001_251e29975c1497b8.txt: a neuron is f(wx + b); closed form with w = (0.5, -1), b = 0.25
    neuron = Neuron(2, activation="sigmoid", weights=[0.5, -1.0], bias=0.25)
    out = neuron([2.0, 3.0])
    assert close(out.data, F.sigmoid(0.5 * 2.0 - 3.0 + 0.25), rel=1e-15)
    assert len(neuron.parameters()) == 3


def test_layer_weight_rows_are_receiving_units_w_ji():
    # 000_f9a23462f49faea1.txt: row j = receiving unit, column i = sending unit; y = Wx + b
    weights = [[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]]
    layer = Layer(3, 2, activation="linear", weights=weights, biases=[0.5, -0.5])
    out = layer([1.0, 1.0, 2.0])
    assert [v.data for v in out] == [1.0 + 2.0 + 6.0 + 0.5, -1.0 + 0.5 + 0.0 - 0.5]
    assert [[w.data for w in row] for row in layer.weight] == weights
    assert [b.data for b in layer.bias] == [0.5, -0.5]


def test_layers_always_return_lists():
    layer = Layer(2, 1, rng=PRNG(0))
    out = layer([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 1
    mlp = MLP(2, [3, 1], rng=PRNG(0))
    assert isinstance(mlp([1.0, 2.0]), list) and len(mlp([1.0, 2.0])) == 1


def test_mlp_chains_layers_with_hidden_and_output_activations():
    # 001: h1 = f1(W1 x + b1), y = f2(W2 h1 + b2); recomputed here by hand from the weights
    mlp = MLP(2, [3, 2], activation="tanh", output_activation="sigmoid", rng=PRNG(4))
    x = [0.3, -0.8]
    hidden = [math.tanh(sum([w.data * xi for w, xi in zip(row, x)], 0.0) + b.data)
              for row, b in zip(mlp.layers[0].weight, mlp.layers[0].bias)]
    expected = [F.sigmoid(sum([w.data * h for w, h in zip(row, hidden)], 0.0) + b.data)
                for row, b in zip(mlp.layers[1].weight, mlp.layers[1].bias)]
    assert all_close([v.data for v in mlp(x)], expected, rel=1e-14)
    assert len(mlp.parameters()) == (2 * 3 + 3) + (3 * 2 + 2)
    assert repr(mlp) == "MLP(2 → 3 → 2, activation='tanh', output_activation='sigmoid')"


def test_same_seed_same_weights_and_default_init_is_glorot_shallow():
    first = MLP(3, [4, 2], rng=PRNG(7)).state_dict()
    second = MLP(3, [4, 2], rng=PRNG(7)).state_dict()
    assert first == second
    # the first layer's weights are exactly init.glorot_shallow's draws from the same stream
    assert first["layers.0.weight"] == init.glorot_shallow(3, 4, PRNG(7))
    assert first["layers.0.bias"] == [0.0, 0.0, 0.0, 0.0]


def test_shape_mismatch_names_the_layer_and_both_sizes():
    mlp = MLP(2, [16, 1], rng=PRNG(0))
    error = raises(ShapeError, mlp, [1.0, 2.0, 3.0])
    assert "layers.0" in str(error) and "2" in str(error) and "3" in str(error)
    layer = Layer(4, 2, rng=PRNG(0), name="encoder")
    error = raises(ShapeError, layer, [1.0])
    assert "encoder" in str(error) and "4" in str(error) and "got 1" in str(error)
    raises(InputError, layer, 1.0)
    raises(ShapeError, Layer, 2, 2, weights=[[1.0, 2.0]])
    raises(ShapeError, Layer, 2, 2, biases=[0.0])
    raises(ShapeError, Neuron, 3, weights=[1.0, 2.0])


def test_bad_constructor_arguments_raise():
    error = raises(InputError, Neuron, 2, activation="softsign")
    assert "softsign" in str(error) and "relu" in str(error)
    raises(InputError, Layer, 0, 2)
    raises(InputError, Layer, 2, 2, init="zeros")
    raises(InputError, MLP, 2, [])
    raises(InputError, MLP, 2, [3], rng=42)
    raises(InputError, Dropout, 1.0)


def test_state_dict_is_plain_json_and_round_trips():
    mlp = MLP(2, [3, 1], rng=PRNG(1))
    state = mlp.state_dict()
    assert sorted(state) == ["layers.0.bias", "layers.0.weight", "layers.1.bias", "layers.1.weight"]
    text = json.dumps(state)
    other = MLP(2, [3, 1], rng=PRNG(2))
    assert other.state_dict() != state
    other.load_state_dict(json.loads(text))
    assert other.state_dict() == state
    assert other([0.5, -0.5])[0].data == mlp([0.5, -0.5])[0].data


def test_load_state_dict_rejects_mismatches_and_changes_nothing():
    mlp = MLP(2, [3, 1], rng=PRNG(1))
    before = mlp.state_dict()
    bad = mlp.state_dict()
    bad["layers.1.weight"] = [[1.0, 2.0]]  # 1 × 2 instead of 1 × 3
    error = raises(ShapeError, mlp.load_state_dict, bad)
    assert "layers.1.weight" in str(error) and "expected 3" in str(error)
    missing = mlp.state_dict()
    del missing["layers.0.bias"]
    missing["extra"] = [1.0]
    error = raises(ShapeError, mlp.load_state_dict, missing)
    assert "layers.0.bias" in str(error) and "extra" in str(error)
    wrong_type = mlp.state_dict()
    wrong_type["layers.0.weight"][2][1] = "x"
    raises(InputError, mlp.load_state_dict, wrong_type)
    raises(InputError, mlp.load_state_dict, [1, 2])
    assert mlp.state_dict() == before


def test_neuron_and_layer_state_dicts():
    neuron = Neuron(2, weights=[1.0, 2.0], bias=3.0)
    assert neuron.state_dict() == {"weight": [1.0, 2.0], "bias": 3.0}
    neuron.load_state_dict({"weight": [4.0, 5.0], "bias": 6.0})
    assert [w.data for w in neuron.w] == [4.0, 5.0] and neuron.b.data == 6.0
    layer = Layer(2, 1, weights=[[1.0, 2.0]], biases=[0.5])
    assert layer.state_dict() == {"weight": [[1.0, 2.0]], "bias": [0.5]}


def test_zero_grad_clears_every_parameter():
    mlp = MLP(2, [3, 1], rng=PRNG(3))
    mlp([1.0, -1.0])[0].backward()
    assert any(p.grad != 0.0 for p in mlp.parameters())
    mlp.zero_grad()
    assert all(p.grad == 0.0 for p in mlp.parameters())


def test_mlp_parameter_gradients_match_central_differences():
    # every weight and bias of a 2 → 3 → 1 tanh net against numeric differences (004)
    mlp = MLP(2, [3, 1], activation="tanh", output_activation="linear", rng=PRNG(5))
    parameters = mlp.parameters()
    x = [0.4, -0.9]

    def loss_of(leaves):
        # the same network written out by hand, parameters in MLP.parameters() order:
        # layer 0 neuron by neuron (w_j0, w_j1, b_j), then layer 1 (w_0, w_1, w_2, b)
        w1 = [leaves[0:2], leaves[3:5], leaves[6:8]]
        b1 = [leaves[2], leaves[5], leaves[8]]
        hidden = [(row[0] * x[0] + row[1] * x[1] + b).tanh() for row, b in zip(w1, b1)]
        out = leaves[9] * hidden[0] + leaves[10] * hidden[1] + leaves[11] * hidden[2] + leaves[12]
        return (out - 0.25) ** 2

    report = gradcheck(loss_of, [p.data for p in parameters])
    assert report.ok, report
    out = (mlp(x)[0] - 0.25) ** 2
    out.backward()
    # the Module's own graph gives the same gradients as the hand-built graph above
    assert all_close([p.grad for p in parameters], [check.analytic for check in report.checks], rel=1e-12)


def test_dropout_scales_survivors_in_training_and_passes_through_in_eval():
    # inverted dropout: kept values × 1/(1 - p), dropped values 0; eval: identity
    dropout = Dropout(0.25, rng=PRNG(9))
    values = [Value(2.0) for _ in range(400)]
    out = dropout(values)
    kept = [v.data for v in out if v.data != 0.0]
    assert all(close(k, 2.0 / 0.75) for k in kept)
    assert 250 < len(kept) < 350  # 400 × 0.75 = 300 expected, seeded draw
    dropout.eval()
    assert [v.data for v in dropout(values)] == [2.0] * 400
    dropout.train()
    assert dropout.training


def test_dropout_gradient_follows_the_mask():
    dropout = Dropout(0.5, rng=PRNG(11))
    values = [Value(1.0) for _ in range(20)]
    out = dropout(values)
    total = out[0]
    for v in out[1:]:
        total = total + v
    total.backward()
    for v, o in zip(values, out):
        assert v.grad == (0.0 if o.data == 0.0 else 2.0)


def test_mlp_dropout_follows_train_and_eval_modes():
    mlp = MLP(3, [50, 1], dropout=0.5, rng=PRNG(12))
    x = [0.2, 0.4, -0.1]
    mlp.eval()
    assert not mlp.training and all(not d.training for d in mlp.dropouts)
    first, second = mlp(x)[0].data, mlp(x)[0].data
    assert first == second
    mlp.train()
    assert mlp.dropouts[0].training
    draws = [mlp(x)[0].data for _ in range(5)]
    assert len(set(draws)) > 1  # fresh masks each call


def test_value_softmax_outputs_and_gradient_match_the_float_formulas():
    logits = [Value(0.5), Value(-1.0), Value(2.0)]
    probabilities = softmax(logits)
    expected = F.softmax([0.5, -1.0, 2.0])
    assert all_close([p.data for p in probabilities], expected, rel=1e-15)
    upstream = [0.3, -1.2, 0.7]
    total = probabilities[0] * upstream[0] + probabilities[1] * upstream[1] + probabilities[2] * upstream[2]
    total.backward()
    assert all_close([z.grad for z in logits], F.softmax_jvp(expected, upstream), rel=1e-12)
    assert softmax([Value(1000.0), Value(0.0)])[1].data == 0.0


def test_fused_and_per_op_neurons_agree():
    # the fused node is the chain rule through the per-op graph done by hand: the same values
    # exactly (the same float operations in the same order); the same gradient floats where
    # f′(net) is 1 or 0 (linear, ReLU), the same up to rounding where it multiplies
    for activation in ("linear", "sigmoid", "tanh", "relu", "leaky_relu"):
        results = []
        for fused in (True, False):
            model = MLP(3, [4, 2], activation=activation, output_activation="linear", rng=PRNG(5), fused=fused)
            x = [Value(0.3), Value(-1.2), 0.7]
            out = model(x)
            (out[0] * 2.0 + out[1]).backward()
            results.append(([o.data for o in out], [p.grad for p in model.parameters()], [x[0].grad, x[1].grad]))
        (values_f, grads_f, inputs_f), (values_p, grads_p, inputs_p) = results
        assert values_f == values_p, activation
        if activation in ("linear", "relu"):
            assert grads_f == grads_p and inputs_f == inputs_p, activation
        assert all_close(grads_f, grads_p, rel=1e-12, abs_tol=1e-15), activation
        assert all_close(inputs_f, inputs_p, rel=1e-12, abs_tol=1e-15), activation


def test_fused_local_derivatives_are_multiplied_only_where_the_slope_is_not_one():
    x = [Value(2.0), Value(-3.0)]
    on = Neuron(2, "relu", weights=[0.5, 0.25], bias=1.0)(x)  # net = 1.25: f′ = 1
    assert on.local_grads == (2.0, -3.0, 1.0, 0.5, 0.25)
    leaky = Neuron(2, "leaky_relu", weights=[-0.5, 0.25], bias=0.0)(x)  # net = −1.75: f′ = 0.01
    assert leaky.local_grads == tuple(0.01 * d for d in (2.0, -3.0, 1.0, -0.5, 0.25))


def test_an_off_fused_relu_has_no_edges_and_stops_even_an_infinite_gradient():
    x = [Value(1.0), Value(2.0)]
    neuron = Neuron(2, "relu", weights=[0.5, -0.5], bias=-0.25)  # net = −0.75
    y = neuron(x)
    assert (y.data, y.children, y.local_grads) == (0.0, (), ())
    (y * 2.0).exp().backward()  # an ordinary upstream: every gradient 0, as the per-op graph has
    assert [v.grad for v in x + neuron.parameters()] == [0.0] * 5
    (y * 2.0).backward(float("inf"))  # an infinite upstream: still 0 (PyTorch's ReLU: 0 too)
    assert [v.grad for v in x + neuron.parameters()] == [0.0] * 5
    at_zero = Neuron(1, "relu", weights=[1.0])([Value(0.0)])  # ReLU′(0) = 0: off
    assert at_zero.children == ()


def test_an_infinite_input_to_an_off_relu_gives_nan_gradients_like_the_per_op_graph():
    for fused in (True, False):
        x = Value(float("inf"))
        neuron = Neuron(1, "relu", weights=[-1.0], bias=0.0, fused=fused)
        y = neuron([x])
        assert y.data == 0.0
        y.backward()
        assert neuron.w[0].grad != neuron.w[0].grad, fused  # ∂y/∂w = 0·x = 0·inf = nan


def test_a_fused_relu_gives_what_the_per_op_graph_gives_at_zero_nan_and_infinities():
    # closed forms through the per-op graph (independent code path): ReLU(net) = +0.0 for any
    # net <= 0, -0.0 included; a nan net is no off ReLU: its node keeps its edges, so the nan
    # of 0·nan reaches the weight as it does through the gates
    for x0, w0, bias in ((1.0, -0.5, 0.5), (1.0, 0.0, -0.0), (-2.0, 1.0, 0.0), (float("nan"), 1.0, 0.0),
                         (float("inf"), -1.0, 0.0), (float("-inf"), -1.0, 0.0)):
        results = []
        for fused in (True, False):
            x = Value(x0)
            neuron = Neuron(1, "relu", weights=[w0], bias=bias, fused=fused)
            y = neuron([x])
            y.backward()
            results.append((y.data, math.copysign(1.0, y.data), neuron.w[0].grad, neuron.b.grad, x.grad))
        fused_result, per_op_result = results
        assert repr(fused_result) == repr(per_op_result), (x0, w0, bias, fused_result, per_op_result)
        assert fused_result[1] == 1.0  # never -0.0


def test_fused_neuron_is_one_node_and_per_op_keeps_every_gate():
    x = [Value(1.0), Value(2.0)]
    neuron = Neuron(2, "sigmoid", weights=[0.5, -0.25], bias=0.1)
    fused = neuron(x)
    net = 0.5 * 1.0 + -0.25 * 2.0 + 0.1
    s = 1.0 / (1.0 + math.exp(-net))  # closed form σ(net), σ′ = σ(1 − σ)
    assert fused.op == "neuron" and fused.children == (neuron.w[0], neuron.w[1], neuron.b, x[0], x[1])
    assert abs(fused.data - s) < 1e-15
    slope = fused.data * (1.0 - fused.data)
    # ∂y/∂w = σ′·x, ∂y/∂b = σ′, ∂y/∂x = σ′·w
    assert fused.local_grads == (slope * 1.0, slope * 2.0, slope * 1.0, slope * 0.5, slope * -0.25)
    # constant inputs are numbers, not graph nodes: no edge leads to them
    relu = Neuron(2, "relu", weights=[0.5, -0.25], bias=0.1)
    partly_constant = relu([Value(1.0), 2.0])
    assert len(partly_constant.children) == 4 and partly_constant.local_grads == (1.0, 2.0, 1.0, 0.5)
    assert relu([Value(-1.0), 2.0]).children == ()  # ReLU off: no gradient flows, no edges
    gates = Neuron(2, "sigmoid", weights=[0.5, -0.25], bias=0.1, fused=False)(x)
    ops = sorted(node.op for node in gates.topological_order() if node.op)
    assert ops == ["*", "*", "+", "+", "sigmoid"]


def test_leaky_relu_layers_take_their_alpha_fused_and_per_op():
    # 001_251e29975c1497b8.txt: leaky ReLU is x for x > 0, else αx; closed form with α = 0.2:
    # net = (−1)(1) + 0 = −1 gives y = −0.2 and ∂y/∂w = α·x = (0.2, 0.4), ∂y/∂b = α
    from refnet.nn import activation_and_slope

    for fused in (True, False):
        layer = Layer(2, 1, activation="leaky_relu", weights=[[-1.0, 0.0]], biases=[0.0], fused=fused, alpha=0.2)
        out = layer([1.0, 2.0])[0]
        out.backward()
        assert out.data == -0.2, fused
        assert [w.grad for w in layer.weight[0]] == [0.2, 0.4] and layer.bias[0].grad == 0.2, fused
    assert Neuron(1, "leaky_relu", weights=[1.0]).alpha == 0.01  # the default
    assert activation_and_slope(-2.0, "leaky_relu", 0.3) == (-0.6, 0.3)
    assert activation_and_slope(0.0, "leaky_relu", 0.3) == (0.0, 0.3)  # leaky ReLU′(0) = α
    error = raises(InputError, Layer, 2, 1, activation="leaky_relu", alpha="steep")
    assert "Layer(alpha)" in str(error)


def test_activation_and_slope_is_functionals_pair_for_every_activation():
    # the fused neuron's (f, f′) are refnet.functional's formulas, including the kinks and
    # the non-finite inputs
    from refnet.nn import ACTIVATIONS, activation_and_slope

    pairs = {"linear": (F.linear, lambda x: 1.0), "sigmoid": (F.sigmoid, F.sigmoid_derivative),
             "tanh": (F.tanh, F.tanh_derivative), "relu": (F.relu, F.relu_derivative),
             "leaky_relu": (F.leaky_relu, F.leaky_relu_derivative)}
    inf = float("inf")
    for activation in ACTIVATIONS:
        f, slope = pairs[activation]
        for x in (-3.5, -1e-300, -0.0, 0.0, 1e-300, 0.25, 40.0, 1000.0, -1000.0, inf, -inf):
            assert activation_and_slope(x, activation) == (f(x), slope(x)), (activation, x)
        value, derivative = activation_and_slope(float("nan"), activation)
        assert value != value or activation == "relu", activation  # nan in, nan out (ReLU: 0)


def test_batch_builds_the_same_nodes_as_one_example_at_a_time():
    # MLP.batch / Layer.batch read each weight once per batch; values and gradients are the
    # same floats as calling the model on each example
    for fused in (True, False):
        for activation in ("relu", "tanh"):
            results = []
            for batched in (False, True):
                model = MLP(3, [4, 2], activation=activation, rng=PRNG(9), fused=fused)
                xs = [[Value(0.3), -1.2, Value(0.7)], [1.0, 2.0, -0.5], [Value(-0.1), Value(0.4), Value(2.5)]]
                outputs = model.batch(xs) if batched else [model(x) for x in xs]
                total = outputs[0][0] * 2.0 + outputs[1][1] + outputs[2][0] * outputs[2][1]
                total.backward()
                grads = [p.grad for p in model.parameters()] + [v.grad for x in xs for v in x if isinstance(v, Value)]
                results.append(([[o.data for o in out] for out in outputs], grads))
            assert results[0] == results[1], (fused, activation)


def test_batch_with_dropout_draws_as_one_example_at_a_time():
    xs = [[0.5, -0.5], [1.0, 0.25], [-2.0, 1.5]]
    outputs = []
    for batched in (False, True):
        model = MLP(2, [8, 1], rng=PRNG(3), dropout=0.5)
        out = model.batch(xs) if batched else [model(x) for x in xs]
        outputs.append([[o.data for o in row] for row in out])
    assert outputs[0] == outputs[1]


def test_batch_rejects_what_is_not_a_batch():
    layer = Layer(2, 3)
    raises(InputError, layer.batch, 5)
    raises(ShapeError, layer.batch, [[1.0, 2.0], [1.0]])
    raises(ShapeError, layer.batch, [[1.0, 2.0], 3.0])
    raises(InputError, MLP(2, [1]).batch, "xy")
    raises(InputError, Dropout(0.5).batch, 7)
    assert layer.batch([]) == []


def test_dropout_apply_mask_scales_kept_values_and_their_gradients_by_one_over_keep():
    # inverted dropout with a given mask (closed form): y = x·m/(1 − p), ∂y/∂x = m/(1 − p), in any mode
    dropout = Dropout(0.25)
    dropout.eval()
    values = [Value(2.0), Value(-1.0), Value(4.0)]
    out = dropout.apply_mask(values, [1, 0, 1])
    assert all_close([v.data for v in out], [2.0 / 0.75, 0.0, 4.0 / 0.75], rel=1e-15)
    (out[0] + out[1] + out[2]).backward()
    assert all_close([v.grad for v in values], [1.0 / 0.75, 0.0, 1.0 / 0.75], rel=1e-15)


def test_dropout_call_applies_the_mask_it_draws():
    # the same seed draws the same mask: calling the layer equals drawing the mask and applying it
    values = [Value(float(k) - 10.0) for k in range(40)]
    drawn = Dropout(0.3, rng=PRNG(5)).draw_mask(40)
    called = Dropout(0.3, rng=PRNG(5))(values)
    applied = Dropout(0.3).apply_mask(values, drawn)
    assert [v.data for v in called] == [v.data for v in applied]
    assert set(drawn) == {0, 1} and 20 <= sum(drawn) <= 36  # 40 × 0.7 = 28 kept expected, seeded draw


def test_dropout_apply_mask_rejects_a_mask_of_another_length_or_other_entries():
    dropout = Dropout(0.5, name="dropouts.0")
    error = raises(ShapeError, dropout.apply_mask, [Value(1.0), Value(2.0)], [1])
    assert "dropouts.0.apply_mask" in str(error) and "1 mask entries for 2 values" in str(error)
    error = raises(InputError, dropout.apply_mask, [Value(1.0), Value(2.0)], [1, 0.5])
    assert "mask[1] is 0.5" in str(error) and "expected 0 (dropped) or 1 (kept)" in str(error)
