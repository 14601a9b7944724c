"""A catalogue of bad inputs: every public function of every refnet module, and both command
lines, given something wrong, must raise a RefnetError subclass (or, for a command line, exit 2
with exactly one line on stderr) whose message names where (the function and argument), says
what was expected, and shows what was given.

Each entry is (module, public name, expected class, words the message must contain, call).
The words are the place ("Adam(eps)") and the given value or its type; "expected" is checked
for every entry. test_every_public_function_has_an_entry fails when a public callable of a
refnet module has neither an entry nor a reason why it takes nothing that could be wrong.

`python tests/test_bad_inputs.py` prints the counts by module.
"""

import sys

from _support import need_processes

import refnet
from refnet import (backward_steps, data, dense, draw, functional, gradcheck, init, losses, metrics, nn, optim,
                    pipeline, plot, prng, progress, schedules, sources, tour_page, train, value, worked_examples,
                    collector, infer, model_file, saving)
from refnet import adaptive_optim, regularization, softmax
from refnet.compat import micrograd
from refnet.errors import DomainError, InputError, RefnetError, ShapeError
from refnet.value import Value

CATALOGUE = []  # (module, name, error class, needles, function, args, kwargs)
CLI = []  # (module, name, arguments, needles)
BIG = 10 ** 400  # an int beyond the float range
NAN = float("nan")
INF = float("inf")


def bad(module_key, public_name, error_class, message_needles, call, *args, **kwargs):
    CATALOGUE.append((module_key, public_name, error_class, message_needles, call, args, kwargs))


def not_numbers(module, name, where, function, before=(), after=()):
    """Entries for a number argument given a str, None, a bool, a list and an int beyond floats."""
    for given, shown in (("a", "str"), (None, "NoneType"), (True, "bool"), ([1.0], "list"), (BIG, "integer")):
        bad(module, name, InputError, [where, shown], function, *(tuple(before) + (given,) + tuple(after)))


def not_lists(module, name, where, function, before=(), after=(), empty=ShapeError):
    """Entries for a list-of-numbers argument given None, a str, an empty list and a list holding a str."""
    for given, error, shown in ((None, InputError, "NoneType"), ("abc", InputError, "str"), ([], empty, "empty"),
                                ([1.0, "a"], InputError, "str")):
        bad(module, name, error, [where, shown], function, *(tuple(before) + (given,) + tuple(after)))


def v(x=1.0):
    return Value(x)


# -- functional ---------------------------------------------------------------------------------

for _name in ("exp", "log", "sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu", "relu_derivative",
              "linear", "linear_derivative", "step", "step_derivative", "sign", "is_integer"):
    not_numbers("functional", _name, _name + "(x)", getattr(functional, _name))
for _name in ("leaky_relu", "leaky_relu_derivative"):
    not_numbers("functional", _name, _name + "(x)", getattr(functional, _name), after=(0.01,))
    for _given, _shown in (("a", "str"), (None, "NoneType"), ([0.1], "list")):
        bad("functional", _name, InputError, [_name + "(alpha)", _shown], getattr(functional, _name), 1.0, _given)
for _name in ("power", "power_derivative"):
    not_numbers("functional", _name, _name + "(base)", getattr(functional, _name), after=(2.0,))
    not_numbers("functional", _name, _name + "(exponent)", getattr(functional, _name), before=(2.0,))
bad("functional", "log", DomainError, ["log", "positive", "-1.0"], functional.log, -1.0)
bad("functional", "power", DomainError, ["power", "-2.0", "0.5"], functional.power, -2.0, 0.5)
not_numbers("functional", "reciprocal", "reciprocal(x)", functional.reciprocal)
bad("functional", "reciprocal", DomainError, ["reciprocal(x)", "0.0"], functional.reciprocal, 0.0)
for _name in ("softmax", "log_softmax", "logsumexp", "largest_index"):  # refnet/softmax.py, as functional's
    not_lists("softmax", _name, _name + "(values)", getattr(functional, _name))
not_lists("softmax", "softmax_jvp", "softmax_jvp(probabilities)", functional.softmax_jvp, after=([1.0],))
not_lists("softmax", "softmax_jvp", "softmax_jvp(vector)", functional.softmax_jvp, before=([1.0],))
bad("softmax", "softmax_jvp", ShapeError, ["softmax_jvp", "2", "1"], functional.softmax_jvp, [0.5, 0.5], [1.0])
bad("functional", "dot", InputError, ["dot(a)", "NoneType"], functional.dot, None, [1.0])
bad("functional", "dot", InputError, ["dot(b)", "str"], functional.dot, [1.0], ["a"])
bad("functional", "dot", ShapeError, ["dot", "2", "1"], functional.dot, [1.0, 2.0], [1.0])
bad("functional", "dots", InputError, ["dots(a)", "NoneType"], functional.dots, None, [[1.0]])
bad("functional", "dots", InputError, ["dots(rows)", "str"], functional.dots, [1.0], [["a"]])
bad("functional", "dots", InputError, ["dots(rows)", "NoneType"], functional.dots, [1.0], None)
bad("functional", "total", InputError, ["total(values)", "NoneType"], functional.total, None)
bad("functional", "total", InputError, ["total(values)", "str"], functional.total, [1.0, "a"])

# -- value --------------------------------------------------------------------------------------

not_numbers("value", "Value", "Value(data)", Value)
for _op, _function in (("+", lambda a, b: a + b), ("*", lambda a, b: a * b), ("-", lambda a, b: a - b),
                       ("/", lambda a, b: a / b), ("**", lambda a, b: a ** b)):
    bad("value", "Value", InputError, ["Value " + _op, "str"], _function, v(), "a")
    bad("value", "Value", InputError, ["Value " + _op, "NoneType"], _function, v(), None)
    bad("value", "Value", InputError, ["Value " + _op, "bool"], _function, v(), True)
bad("value", "Value", InputError, ["Value +", "str"], lambda b: "a" + b, v())
bad("value", "Value", InputError, ["Value *", "list"], lambda b: [1] * b, v())
bad("value", "Value", DomainError, ["division", "0"], lambda a, b: a / b, v(), 0.0)
bad("value", "log", DomainError, ["log", "-1.0"], Value.log, v(-1.0))
bad("value", "leaky_relu", InputError, ["leaky_relu(alpha)", "str"], Value.leaky_relu, v(), "a")
bad("value", "leaky_relu", InputError, ["leaky_relu(alpha)", "NoneType"], Value.leaky_relu, v(), None)
bad("value", "max", InputError, ["Value max", "str"], Value.max, v(), "a")
bad("value", "max", InputError, ["Value max", "NoneType"], Value.max, None, v())
bad("value", "backward", InputError, ["backward(gradient)", "str"], Value.backward, v(), "a")
bad("value", "backward", InputError, ["backward(gradient)", "NoneType"], Value.backward, v(), None)
bad("value", "backward", InputError, ["backward(gradient)", "integer"], Value.backward, v(), BIG)
bad("value", "fused", InputError, ["Value.fused(data)", "str"], Value.fused, "a", [v()], [1.0], "op")
bad("value", "fused", InputError, ["Value.fused(inputs)", "NoneType"], Value.fused, 1.0, None, [1.0], "op")
bad("value", "fused", InputError, ["Value.fused(inputs)", "str"], Value.fused, 1.0, ["a"], [1.0], "op")
bad("value", "fused", InputError, ["Value.fused(inputs)", "float"], Value.fused, 1.0, [2.0], [1.0], "op")
bad("value", "fused", InputError, ["Value.fused(local_grads)", "str"], Value.fused, 1.0, [v()], ["x"], "op")
bad("value", "fused", InputError, ["Value.fused(local_grads)", "NoneType"], Value.fused, 1.0, [v()], None, "op")
bad("value", "fused", InputError, ["Value.fused(local_grads)", "integer"], Value.fused, 1.0, [v()], [BIG], "op")
bad("value", "fused", InputError, ["Value.fused(op)", "int"], Value.fused, 1.0, [v()], [1.0], 5)
bad("value", "fused", InputError, ["Value.fused", "2", "1"], Value.fused, 1.0, [v(), v()], [1.0], "op")

# -- prng ---------------------------------------------------------------------------------------

_rng = prng.PRNG(1)
for _given, _shown in (("a", "str"), (1.5, "float"), (True, "bool"), (None, "NoneType"), (-1, "-1")):
    bad("prng", "PRNG", InputError, ["PRNG(seed)", _shown], prng.PRNG, _given)
    bad("prng", "seed", InputError, ["seed(value)", _shown], prng.seed, _given)
not_numbers("prng", "uniform", "PRNG.uniform(low)", _rng.uniform, after=(1.0,))
not_numbers("prng", "uniform", "PRNG.uniform(high)", _rng.uniform, before=(0.0,))
bad("prng", "uniform", InputError, ["PRNG.uniform(low)", "inf"], _rng.uniform, -INF, 1.0)
bad("prng", "uniform", InputError, ["PRNG.uniform", "2.0", "1.0"], _rng.uniform, 2.0, 1.0)
for _given, _shown in (("a", "str"), (0, "0"), (-3, "-3"), (True, "bool"), (2.0, "float")):
    bad("prng", "below", InputError, ["PRNG.below(n)", _shown], _rng.below, _given)
for _given, _shown in (("a", "str"), (-3, "-3"), (None, "NoneType"), (2.0, "float")):
    bad("prng", "permutation", InputError, ["PRNG.permutation(n)", _shown], _rng.permutation, _given)
not_numbers("prng", "normal", "PRNG.normal(mean)", _rng.normal, after=(1.0,))
not_numbers("prng", "normal", "PRNG.normal(std)", _rng.normal, before=(0.0,))
bad("prng", "normal", InputError, ["PRNG.normal(std)", "-1.0"], _rng.normal, 0.0, -1.0)
bad("prng", "shuffle", InputError, ["PRNG.shuffle", "str"], _rng.shuffle, "abc")
bad("prng", "shuffle", InputError, ["PRNG.shuffle", "NoneType"], _rng.shuffle, None)
bad("prng", "shuffle", InputError, ["PRNG.shuffle", "tuple"], _rng.shuffle, (1, 2))
bad("prng", "check_rng", InputError, ["where", "int"], prng.check_rng, 5, "where")
bad("prng", "check_rng", InputError, ["where", "str"], prng.check_rng, "seed", "where")

# -- init ---------------------------------------------------------------------------------------

for _name in ("uniform", "glorot_shallow", "glorot_deep", "xavier_randn", "he_normal"):
    _function = getattr(init, _name)
    bad("init", _name, InputError, [_name + "(fan_in)", "str"], _function, "a", 2)
    bad("init", _name, InputError, [_name + "(fan_in)", "0"], _function, 0, 2)
    bad("init", _name, InputError, [_name + "(fan_out)", "float"], _function, 2, 2.5)
    bad("init", _name, InputError, [_name + "(fan_out)", "bool"], _function, 2, True)
    bad("init", _name, InputError, [_name + "(rng)", "int"], _function, 2, 2, 5)
bad("init", "uniform", InputError, ["uniform(limit)", "str"], init.uniform, 2, 2, None, "a")
bad("init", "uniform", InputError, ["uniform(limit)", "-1.0"], init.uniform, 2, 2, None, -1.0)
bad("init", "get", InputError, ["init.get(name)", "'nope'"], init.get, "nope")
bad("init", "get", InputError, ["init.get(name)", "None"], init.get, None)

# -- nn -----------------------------------------------------------------------------------------

for _given, _shown in ((5, "5"), (1.0, "1.0"), (-0.1, "-0.1"), ("a", "str"), (None, "NoneType"), (True, "bool")):
    bad("nn", "Dropout", InputError, ["Dropout(p)", _shown], nn.Dropout, _given)
bad("nn", "Dropout", InputError, ["Dropout(rng)", "int"], nn.Dropout, 0.5, 5)
_dropout = nn.Dropout(0.5, prng.PRNG(1))
bad("nn", "Dropout", InputError, ["Dropout", "NoneType"], _dropout, None)
bad("nn", "Dropout", InputError, ["Dropout", "str"], _dropout, [v(), "a"])
bad("nn", "draw_mask", InputError, ["Dropout.draw_mask(size)", "-1"], _dropout.draw_mask, -1)
bad("nn", "draw_mask", InputError, ["Dropout.draw_mask(size)", "str"], _dropout.draw_mask, "a")
bad("nn", "apply_mask", InputError, ["Dropout.apply_mask(mask)", "2"], _dropout.apply_mask, [v()], [2])
bad("nn", "apply_mask", ShapeError, ["Dropout.apply_mask", "2", "1"], _dropout.apply_mask, [v()], [1, 1])
bad("nn", "apply_mask", InputError, ["Dropout.apply_mask(x)[0]", "str"], _dropout.apply_mask, ["a"], [1])
for _cls in (nn.Neuron, nn.Layer):
    _n = _cls.__name__
    _sizes = (2,) if _cls is nn.Neuron else (2, 1)
    bad("nn", _n, InputError, [_n + "(nin)", "str"], _cls, "a", *_sizes[1:])
    bad("nn", _n, InputError, [_n + "(nin)", "0"], _cls, 0, *_sizes[1:])
    bad("nn", _n, InputError, [_n + "(nin)", "bool"], _cls, True, *_sizes[1:])
    bad("nn", _n, InputError, [_n + "(activation)", "'nope'"], _cls, *_sizes, activation="nope")
    bad("nn", _n, InputError, [_n + "(init)", "'nope'"], _cls, *_sizes, init="nope")
    bad("nn", _n, InputError, [_n + "(rng)", "int"], _cls, *_sizes, rng=5)
    bad("nn", _n, InputError, [_n + "(fused)", "str"], _cls, *_sizes, fused="yes")
    bad("nn", _n, InputError, [_n + "(alpha)", "str"], _cls, *_sizes, activation="leaky_relu", alpha="a")
    bad("nn", _n, InputError, [_n + "(name)", "int"], _cls, *_sizes, name=5)
bad("nn", "Layer", InputError, ["Layer(nout)", "0"], nn.Layer, 2, 0)
bad("nn", "Layer", ShapeError, ["Layer(weights)", "1"], nn.Layer, 2, 1, weights=[[1.0]])
bad("nn", "Layer", InputError, ["Layer(weights)", "str"], nn.Layer, 2, 1, weights=[["a", 1.0]])
bad("nn", "Layer", InputError, ["Layer(weights)", "NoneType"], nn.Layer, 2, 1, weights=[None])
bad("nn", "Layer", ShapeError, ["Layer(biases)", "2"], nn.Layer, 2, 1, biases=[0.0, 0.0])
bad("nn", "Layer", InputError, ["Layer(biases)", "str"], nn.Layer, 2, 1, biases=["a"])
bad("nn", "Neuron", ShapeError, ["Neuron(weights)", "1"], nn.Neuron, 2, weights=[1.0])
bad("nn", "Neuron", InputError, ["Neuron(weights)", "str"], nn.Neuron, 2, weights=[1.0, "a"])
bad("nn", "Neuron", InputError, ["Neuron(bias)", "str"], nn.Neuron, 2, bias="a")
bad("nn", "Neuron", InputError, ["Neuron(bias)", "integer"], nn.Neuron, 2, bias=BIG)
_layer = nn.Layer(2, 1, rng=prng.PRNG(1))
_neuron = nn.Neuron(2, rng=prng.PRNG(1))
for _name, _module in (("Layer", _layer), ("Neuron", _neuron)):
    bad("nn", _name, InputError, [_name, "NoneType"], _module, None)
    bad("nn", _name, ShapeError, [_name, "3", "2"], _module, [1.0, 2.0, 3.0])
    bad("nn", _name, InputError, [_name, "str"], _module, [1.0, "a"])
    bad("nn", _name, InputError, [_name, "bool"], _module, [1.0, True])
    bad("nn", _name, InputError, [_name, "integer"], _module, [1.0, BIG])
    bad("nn", "batch", InputError, [_name + ".batch", "NoneType"], _module.batch, None)
    bad("nn", "batch", ShapeError, [_name, "1", "2"], _module.batch, [[1.0]])
bad("nn", "nodes", InputError, ["Neuron.nodes", "NoneType"], _neuron.nodes, None)
bad("nn", "nodes", InputError, ["Neuron.nodes", "list"], _neuron.nodes, ["a"])
bad("nn", "MLP", InputError, ["MLP(nin)", "str"], nn.MLP, "a", [1])
bad("nn", "MLP", InputError, ["MLP(nouts)", "empty"], nn.MLP, 2, [])
bad("nn", "MLP", InputError, ["MLP(nouts)", "str"], nn.MLP, 2, "ab")
bad("nn", "MLP", InputError, ["MLP(nouts)", "0"], nn.MLP, 2, [3, 0])
bad("nn", "MLP", InputError, ["MLP(nouts)", "NoneType"], nn.MLP, 2, None)
bad("nn", "MLP", InputError, ["MLP(dropout)", "1.5"], nn.MLP, 2, [1], dropout=1.5)
bad("nn", "MLP", InputError, ["MLP(dropout)", "1.5"], nn.MLP, 2, [3, 1], dropout=1.5)
bad("nn", "MLP", InputError, ["MLP(dropout)", "str"], nn.MLP, 2, [3, 1], dropout="a")
bad("nn", "MLP", InputError, ["MLP(activation)", "'nope'"], nn.MLP, 2, [3, 1], activation="nope")
bad("nn", "MLP", InputError, ["MLP(output_activation)", "'nope'"], nn.MLP, 2, [3, 1], output_activation="nope")
bad("nn", "MLP", InputError, ["MLP(init)", "'nope'"], nn.MLP, 2, [3, 1], init="nope")
bad("nn", "MLP", InputError, ["MLP(rng)", "str"], nn.MLP, 2, [3, 1], rng="a")
bad("nn", "MLP", InputError, ["MLP(fused)", "int"], nn.MLP, 2, [3, 1], fused=1)
bad("nn", "MLP", InputError, ["MLP(nin)", "integer", "2147483647"], nn.MLP, BIG, [1])
bad("nn", "MLP", InputError, ["MLP(nouts)", "integer", "2147483647"], nn.MLP, 2, [3, BIG])
bad("nn", "MLP", InputError, ["MLP(nouts)", "2147483648"], nn.MLP, 2, [2 ** 31])
bad("nn", "Layer", InputError, ["Layer(nin)", "integer", "2147483647"], nn.Layer, BIG, 1)
bad("nn", "Layer", InputError, ["Layer(nout)", "integer", "2147483647"], nn.Layer, 2, BIG)
bad("nn", "Neuron", InputError, ["Neuron(nin)", "integer", "2147483647"], nn.Neuron, BIG)
_mlp = nn.MLP(2, [3, 1], rng=prng.PRNG(1))
bad("nn", "MLP", ShapeError, ["layers.0", "3", "2"], _mlp, [1.0, 2.0, 3.0])
bad("nn", "MLP", InputError, ["layers.0", "str"], _mlp, [1.0, "a"])
bad("nn", "train", InputError, ["MLP.train(mode)", "str"], _mlp.train, "yes")
bad("nn", "train", InputError, ["MLP.train(mode)", "int"], _mlp.train, 1)
bad("nn", "load_state_dict", InputError, ["load_state_dict(state)", "NoneType"], _mlp.load_state_dict, None)
bad("nn", "load_state_dict", ShapeError, ["load_state_dict", "missing"], _mlp.load_state_dict, {})
bad("nn", "load_state_dict", ShapeError, ["load_state_dict", "str"], _mlp.load_state_dict,
    dict((key, "a") for key in _mlp.state_dict()))
bad("nn", "activate", InputError, ["activate(activation)", "'nope'"], nn.activate, v(), "nope")
bad("nn", "activate", InputError, ["activate(net_input)", "float"], nn.activate, 1.0, "relu")
bad("nn", "activate", InputError, ["activate(alpha)", "str"], nn.activate, v(), "leaky_relu", "a")
bad("nn", "activation_and_slope", InputError, ["activation_and_slope(net)", "str"], nn.activation_and_slope, "a",
    "relu")
bad("nn", "activation_and_slope", InputError, ["activation_and_slope(activation)", "'nope'"],
    nn.activation_and_slope, 1.0, "nope")
bad("nn", "activation_and_slope", InputError, ["activation_and_slope(alpha)", "NoneType"],
    nn.activation_and_slope, 1.0, "leaky_relu", None)
bad("nn", "check_activation", InputError, ["where", "5"], nn.check_activation, 5, "where")
bad("softmax", "softmax_nodes", InputError, ["softmax(logits)", "NoneType"], nn.softmax, None)
bad("softmax", "softmax_nodes", ShapeError, ["softmax(logits)", "empty"], nn.softmax, [])
bad("softmax", "softmax_nodes", InputError, ["softmax(logits)", "float"], nn.softmax, [1.0, v()])

# -- data ---------------------------------------------------------------------------------------

for _name, _function in (("two_moons", data.two_moons), ("spiral", data.spiral), ("blobs", data.blobs)):
    _first = {"two_moons": "n", "spiral": "n_per_class", "blobs": "n_per_center"}[_name]
    bad("data", _name, InputError, [_name + "(" + _first + ")", "str"], _function, "a")
    bad("data", _name, InputError, [_name + "(" + _first + ")", "-1"], _function, -1)
    bad("data", _name, InputError, [_name + "(" + _first + ")", "float"], _function, 2.5)
    bad("data", _name, InputError, [_name + "(rng)", "int"], _function, 4, rng=5)
for _name, _function in (("two_moons", data.two_moons), ("spiral", data.spiral)):
    bad("data", _name, InputError, [_name + "(noise)", "str"], _function, 4, noise="a")
    bad("data", _name, InputError, [_name + "(noise)", "-1.0"], _function, 4, noise=-1.0)
bad("data", "spiral", InputError, ["spiral(classes)", "0"], data.spiral, 4, 0)
bad("data", "blobs", InputError, ["blobs(std)", "-1.0"], data.blobs, 4, std=-1.0)
bad("data", "blobs", InputError, ["blobs(centers)", "empty"], data.blobs, 4, centers=[])
bad("data", "blobs", InputError, ["blobs(centers)", "str"], data.blobs, 4, centers=[["a", 1.0]])
bad("data", "blobs", InputError, ["blobs(centers)", "NoneType"], data.blobs, 4, centers=None)
for _given, _error, _shown in ((5, InputError, "int"), (None, InputError, "NoneType"), ([0, "a"], InputError, "str"),
                               ([0, 3], ShapeError, "3"), ([-1], InputError, "-1"), ([1.7], InputError, "float"),
                               ([True], InputError, "bool")):
    bad("data", "one_hot", _error, ["one_hot(labels)", _shown], data.one_hot, _given, 3)
bad("data", "one_hot", InputError, ["one_hot(classes)", "0"], data.one_hot, [0], 0)
bad("data", "one_hot", InputError, ["one_hot(classes)", "str"], data.one_hot, [0], "3")
bad("data", "signed_labels", InputError, ["signed_labels(labels)", "2"], data.signed_labels, [0, 2])
bad("data", "signed_labels", InputError, ["signed_labels(labels)", "NoneType"], data.signed_labels, None)
bad("data", "signed_labels", InputError, ["signed_labels(labels)", "int"], data.signed_labels, 5)
bad("data", "train_test_split", ShapeError, ["train_test_split", "2", "1"], data.train_test_split, [1, 2], [1])
bad("data", "train_test_split", InputError, ["train_test_split(inputs)", "NoneType"], data.train_test_split, None,
    [1])
bad("data", "train_test_split", InputError, ["train_test_split(test_fraction)", "1.5"], data.train_test_split,
    [1, 2], [1, 2], 1.5)
bad("data", "train_test_split", InputError, ["train_test_split(test_fraction)", "str"], data.train_test_split,
    [1, 2], [1, 2], "a")
bad("data", "train_test_split", InputError, ["train_test_split(rng)", "int"], data.train_test_split, [1, 2], [1, 2],
    0.5, 5)
bad("data", "train_test_split", InputError, ["train_test_split(shuffle)", "str"], data.train_test_split, [1, 2],
    [1, 2], 0.5, None, "no")
bad("data", "batches", InputError, ["batches(batch_size)", "0"], data.batches, [1, 2], [1, 2], 0)
bad("data", "batches", InputError, ["batches(batch_size)", "str"], data.batches, [1, 2], [1, 2], "a")
bad("data", "batches", ShapeError, ["batches", "2", "1"], data.batches, [1, 2], [1], 1)
bad("data", "batches", InputError, ["batches(inputs)", "NoneType"], data.batches, None, [1], 1)
bad("data", "batches", InputError, ["batches(rng)", "int"], data.batches, [1, 2], [1, 2], 1, 5)

# -- losses -------------------------------------------------------------------------------------

for _name in ("mse", "mae", "mape", "half_squared_error"):
    _function = getattr(losses, _name)
    bad("losses", _name, InputError, [_name + "(predictions)", "NoneType"], _function, None, [1.0])
    bad("losses", _name, ShapeError, [_name + "(predictions)", "empty"], _function, [], [])
    bad("losses", _name, ShapeError, [_name, "2", "1"], _function, [v(), v()], [1.0])
    bad("losses", _name, InputError, [_name + "(targets)", "str"], _function, [v()], ["a"])
    bad("losses", _name, InputError, [_name + "(predictions)", "str"], _function, ["a"], [1.0])
    bad("losses", _name, InputError, [_name + "(targets)", "integer"], _function, [v()], [BIG])
bad("losses", "mape", DomainError, ["mape", "target", "0"], losses.mape, [v()], [0.0])
bad("losses", "binary_cross_entropy", DomainError, ["binary_cross_entropy", "target", "2.0"],
    losses.binary_cross_entropy, [v(0.5)], [2.0])
bad("losses", "binary_cross_entropy", DomainError, ["binary_cross_entropy", "target", "-1.0"],
    losses.binary_cross_entropy, [v(0.5)], [-1.0])
bad("losses", "binary_cross_entropy", DomainError, ["binary_cross_entropy", "probability", "1.5"],
    losses.binary_cross_entropy, [v(1.5)], [1.0])
bad("losses", "binary_cross_entropy", InputError, ["binary_cross_entropy(targets)", "str"],
    losses.binary_cross_entropy, [v(0.5)], ["a"])
bad("losses", "binary_cross_entropy", ShapeError, ["binary_cross_entropy", "2", "1"],
    losses.binary_cross_entropy, [v(0.5), v(0.5)], [1.0])
bad("losses", "categorical_cross_entropy", DomainError, ["categorical_cross_entropy", "target", "2.0"],
    losses.categorical_cross_entropy, [[v(0.5), v(0.5)]], [[2.0, 0.0]])
bad("losses", "categorical_cross_entropy", DomainError, ["categorical_cross_entropy", "target", "-1.0"],
    losses.categorical_cross_entropy, [[v(0.5), v(0.5)]], [[-1.0, 1.0]])
bad("losses", "categorical_cross_entropy", ShapeError, ["categorical_cross_entropy", "targets", "1"],
    losses.categorical_cross_entropy, [[v(0.5), v(0.5)]], [[1.0]])
bad("losses", "categorical_cross_entropy", InputError, ["categorical_cross_entropy(predictions)", "NoneType"],
    losses.categorical_cross_entropy, None, [[1.0]])
bad("losses", "categorical_cross_entropy", DomainError, ["categorical_cross_entropy", "probability", "-0.5"],
    losses.categorical_cross_entropy, [[v(-0.5), v(1.5)]], [[0.0, 1.0]])
for _name in ("sparse_categorical_cross_entropy", "softmax_cross_entropy", "multiclass_hinge"):
    _function = getattr(losses, _name)
    _row = [[v(0.5), v(0.5)]]
    bad("losses", _name, InputError, [_name + "(labels)", "1.7"], _function, _row, [1.7])
    bad("losses", _name, ShapeError, [_name + "(labels)", "2"], _function, _row, [2])
    bad("losses", _name, InputError, [_name + "(labels)", "-1"], _function, _row, [-1])
    bad("losses", _name, InputError, [_name + "(labels)", "bool"], _function, _row, [True])
    bad("losses", _name, InputError, [_name + "(labels)", "str"], _function, _row, ["a"])
    bad("losses", _name, ShapeError, [_name, "2", "1"], _function, _row, [0, 1])
    bad("losses", _name, InputError, [_name, "NoneType"], _function, None, [0])
    bad("losses", _name, ShapeError, [_name, "empty"], _function, [[]], [0])
bad("losses", "multiclass_hinge", InputError, ["multiclass_hinge(margin)", "str"], losses.multiclass_hinge,
    [[v(), v()]], [0], "a")
bad("losses", "multiclass_hinge", InputError, ["multiclass_hinge(margin)", "NoneType"], losses.multiclass_hinge,
    [[v(), v()]], [0], None)
bad("losses", "binary_hinge", InputError, ["binary_hinge", "0"], losses.binary_hinge, [v()], [0])
bad("losses", "binary_hinge", InputError, ["binary_hinge", "str"], losses.binary_hinge, [v()], ["a"])
bad("losses", "binary_hinge", ShapeError, ["binary_hinge", "2", "1"], losses.binary_hinge, [v(), v()], [1])
bad("regularization", "l2_regularization", InputError, ["l2_regularization(strength)", "-1.0"], losses.l2_regularization,
    [v()], -1.0)
bad("regularization", "l2_regularization", InputError, ["l2_regularization(strength)", "str"], losses.l2_regularization,
    [v()], "a")
bad("regularization", "l2_regularization", InputError, ["l2_regularization(strength)", "inf"], losses.l2_regularization,
    [v()], INF)
bad("regularization", "l2_regularization", InputError, ["l2_regularization(parameters)", "empty"], losses.l2_regularization,
    [], 0.1)
bad("regularization", "l2_regularization", InputError, ["l2_regularization(parameters)", "str"],
    losses.l2_regularization, ["a"], 0.1)
bad("regularization", "l2_regularization", InputError, ["l2_regularization(parameters)", "NoneType"],
    losses.l2_regularization, None, 0.1)
bad("losses", "mean", ShapeError, ["mean(terms)", "empty"], losses.mean, [])
bad("losses", "mean", InputError, ["mean(terms)", "NoneType"], losses.mean, None)
bad("losses", "mean", InputError, ["mean(terms)", "str"], losses.mean, ["a"])
bad("losses", "mean", InputError, ["mean(count)", "-1"], losses.mean, [v()], -1)
bad("losses", "mean", InputError, ["mean(count)", "str"], losses.mean, [v()], "a")

# -- metrics ------------------------------------------------------------------------------------

bad("metrics", "argmax", InputError, ["argmax(scores)", "empty"], metrics.argmax, [])
bad("metrics", "argmax", InputError, ["argmax(scores)", "NoneType"], metrics.argmax, None)
bad("metrics", "argmax", InputError, ["argmax(scores)", "str"], metrics.argmax, [1.0, "a"])
bad("metrics", "argmax_accuracy", ShapeError, ["argmax_accuracy(labels)", "2"], metrics.argmax_accuracy,
    [[1.0, 0.0]], [2])
bad("metrics", "argmax_accuracy", InputError, ["argmax_accuracy(labels)", "-1"], metrics.argmax_accuracy,
    [[1.0, 0.0]], [-1])
bad("metrics", "argmax_accuracy", InputError, ["argmax_accuracy(labels)", "1.7"], metrics.argmax_accuracy,
    [[1.0, 0.0]], [1.7])
bad("metrics", "argmax_accuracy", ShapeError, ["argmax_accuracy", "2", "1"], metrics.argmax_accuracy,
    [[1.0, 0.0]], [0, 1])
bad("metrics", "argmax_accuracy", InputError, ["argmax_accuracy(scores)", "NoneType"], metrics.argmax_accuracy,
    None, [0])
bad("metrics", "binary_accuracy", InputError, ["binary_accuracy(threshold)", "str"], metrics.binary_accuracy,
    [0.5], [1], "a")
bad("metrics", "binary_accuracy", InputError, ["binary_accuracy(targets)", "str"], metrics.binary_accuracy,
    [0.5], ["a"])
bad("metrics", "binary_accuracy", InputError, ["binary_accuracy(outputs)", "str"], metrics.binary_accuracy,
    ["a"], [1])
bad("metrics", "binary_accuracy", ShapeError, ["binary_accuracy", "2", "1"], metrics.binary_accuracy,
    [0.5, 0.5], [1])
bad("metrics", "binary_accuracy", InputError, ["binary_accuracy(outputs)", "empty"], metrics.binary_accuracy,
    [], [])

# -- optim --------------------------------------------------------------------------------------

for _cls in (optim.SGD, optim.Adagrad, optim.RMSProp, optim.Adam):
    _n = _cls.__name__
    _module = "optim" if _cls is optim.SGD else "adaptive_optim"  # the adaptive ones: refnet/adaptive_optim.py
    bad(_module, _n, InputError, [_n + "(params)", "empty"], _cls, [])
    bad(_module, _n, InputError, [_n + "(params)", "NoneType"], _cls, None)
    bad(_module, _n, InputError, [_n + "(params)", "float"], _cls, [1.0])
    bad(_module, _n, InputError, [_n + "(params)", "twice"], _cls, [v(), v()][:1] * 2)
    bad(_module, _n, InputError, [_n + "(lr)", "str"], _cls, [v()], "a")
    bad(_module, _n, InputError, [_n + "(lr)", "-0.1"], _cls, [v()], -0.1)
    bad(_module, _n, InputError, [_n + "(lr)", "nan"], _cls, [v()], NAN)
    bad(_module, _n, InputError, [_n + "(lr)", "integer"], _cls, [v()], BIG)
    if _cls is not optim.SGD:
        bad(_module, _n, InputError, [_n + "(eps)", "nan"], _cls, [v()], eps=NAN)
        bad(_module, _n, InputError, [_n + "(eps)", "-1"], _cls, [v()], eps=-1e-8)
        bad(_module, _n, InputError, [_n + "(eps)", "str"], _cls, [v()], eps="a")
    _optimizer = _cls([v()])
    _optimizer.lr = "a"
    bad(_module, "step", InputError, [_n + ".lr", "str"], _optimizer.step)
bad("optim", "SGD", InputError, ["SGD(momentum)", "1.5"], optim.SGD, [v()], momentum=1.5)
bad("optim", "SGD", InputError, ["SGD(momentum)", "str"], optim.SGD, [v()], momentum="a")
bad("adaptive_optim", "RMSProp", InputError, ["RMSProp(alpha)", "1.5"], optim.RMSProp, [v()], alpha=1.5)
bad("adaptive_optim", "RMSProp", InputError, ["RMSProp(alpha)", "str"], optim.RMSProp, [v()], alpha="a")
bad("adaptive_optim", "Adam", InputError, ["Adam(betas)", "str"], optim.Adam, [v()], betas="ab")
bad("adaptive_optim", "Adam", InputError, ["Adam(betas[0])", "1.0"], optim.Adam, [v()], betas=(1.0, 0.999))
bad("adaptive_optim", "Adam", InputError, ["Adam(betas[1])", "-0.1"], optim.Adam, [v()], betas=(0.9, -0.1))
bad("adaptive_optim", "Adam", InputError, ["Adam(betas)", "tuple"], optim.Adam, [v()], betas=(0.9, 0.9, 0.9))
bad("adaptive_optim", "Adam", InputError, ["Adam(betas)", "NoneType"], optim.Adam, [v()], betas=None)
bad("optim", "Optimizer", InputError, ["Optimizer(lr)", "str"], optim.Optimizer, [v()], "a")

# -- schedules ----------------------------------------------------------------------------------

not_numbers("schedules", "Constant", "Constant(lr)", schedules.Constant)
bad("schedules", "Constant", InputError, ["Constant(lr)", "-1.0"], schedules.Constant, -1.0)
not_numbers("schedules", "LinearDecay", "LinearDecay(start)", schedules.LinearDecay, after=(0.0, 10))
not_numbers("schedules", "LinearDecay", "LinearDecay(end)", schedules.LinearDecay, before=(1.0,), after=(10,))
bad("schedules", "LinearDecay", InputError, ["LinearDecay(steps)", "0"], schedules.LinearDecay, 1.0, 0.0, 0)
bad("schedules", "LinearDecay", InputError, ["LinearDecay(steps)", "float"], schedules.LinearDecay, 1.0, 0.0, 2.5)
not_numbers("schedules", "StepDecay", "StepDecay(lr)", schedules.StepDecay, after=(10,))
bad("schedules", "StepDecay", InputError, ["StepDecay(step_size)", "0"], schedules.StepDecay, 1.0, 0)
bad("schedules", "StepDecay", InputError, ["StepDecay(gamma)", "str"], schedules.StepDecay, 1.0, 2, "a")
bad("schedules", "StepDecay", InputError, ["StepDecay(gamma)", "-0.5"], schedules.StepDecay, 1.0, 2, -0.5)
for _schedule in (schedules.Constant(0.1), schedules.LinearDecay(1.0, 0.0, 10), schedules.StepDecay(1.0, 2)):
    _n = type(_schedule).__name__
    bad("schedules", _n, InputError, [_n + "(step)", "-1"], _schedule, -1)
    bad("schedules", _n, InputError, [_n + "(step)", "str"], _schedule, "a")
    bad("schedules", _n, InputError, [_n + "(step)", "float"], _schedule, 1.5)

# -- gradcheck ----------------------------------------------------------------------------------

_square = lambda xs: xs[0] * xs[0]  # noqa: E731
_square_floats = lambda xs: xs[0] * xs[0]  # noqa: E731
for _name, _function, _f in (("gradcheck", gradcheck.gradcheck, _square),
                             ("numeric_gradient", gradcheck.numeric_gradient, _square_floats)):
    bad("gradcheck", _name, InputError, [_name + "(eps)", "0.0"], _function, _f, [1.0], eps=0.0)
    bad("gradcheck", _name, InputError, [_name + "(eps)", "step of at least"], _function, _f, [1.0], eps=1e-320)
    bad("gradcheck", _name, InputError, [_name + "(eps)", "str"], _function, _f, [1.0], eps="a")
    bad("gradcheck", _name, InputError, [_name + "(method)", "'nope'"], _function, _f, [1.0], method="nope")
    bad("gradcheck", _name, InputError, [_name + "(inputs)" if _name == "gradcheck" else _name + "(xs)", "str"],
        _function, _f, ["a"])
    bad("gradcheck", _name, InputError, [_name + "(f)", "int"], _function, 5, [1.0])
bad("gradcheck", "gradcheck", InputError, ["gradcheck(rtol)", "str"], gradcheck.gradcheck, _square, [1.0], rtol="x")
bad("gradcheck", "gradcheck", InputError, ["gradcheck(rtol)", "-1"], gradcheck.gradcheck, _square, [1.0], rtol=-1e-6)
bad("gradcheck", "gradcheck", InputError, ["gradcheck(atol)", "-1"], gradcheck.gradcheck, _square, [1.0], atol=-1e-9)
bad("gradcheck", "gradcheck", InputError, ["gradcheck(f)", "float"], gradcheck.gradcheck, lambda xs: 1.0, [1.0])
bad("gradcheck", "gradcheck", InputError, ["gradcheck(inputs)", "empty"], gradcheck.gradcheck, _square, [])
bad("gradcheck", "assert_gradients_match", InputError, ["gradcheck(rtol)", "str"], gradcheck.assert_gradients_match,
    _square, [1.0], rtol="x")
bad("gradcheck", "assert_gradients_match", InputError, ["assert_gradients_match", "bogus"],
    gradcheck.assert_gradients_match, _square, [1.0], bogus=1)
bad("gradcheck", "numeric_derivative", InputError, ["numeric_derivative(x)", "str"], gradcheck.numeric_derivative,
    lambda x: x, "a")
bad("gradcheck", "numeric_derivative", InputError, ["numeric_derivative(eps)", "-1"], gradcheck.numeric_derivative,
    lambda x: x, 1.0, -1e-5)
bad("gradcheck", "numeric_derivative", InputError, ["numeric_derivative(f)", "NoneType"],
    gradcheck.numeric_derivative, None, 1.0)
bad("gradcheck", "numeric_derivative", InputError, ["numeric_derivative(f)", "str"], gradcheck.numeric_derivative,
    lambda x: "a", 1.0)
bad("gradcheck", "numeric_derivative", InputError, ["numeric_derivative(method)", "'nope'"],
    gradcheck.numeric_derivative, lambda x: x, 1.0, 1e-5, "nope")
not_numbers("gradcheck", "relative_error", "relative_error(a)", gradcheck.relative_error, after=(1.0,))
not_numbers("gradcheck", "relative_error", "relative_error(b)", gradcheck.relative_error, before=(1.0,))
bad("gradcheck", "InputCheck", InputError, ["InputCheck(index)", "str"], gradcheck.InputCheck, "a", 1.0, 1.0, 1.0,
    1e-6, 1e-9)
bad("gradcheck", "InputCheck", InputError, ["InputCheck(rtol)", "str"], gradcheck.InputCheck, 0, 1.0, 1.0, 1.0,
    "a", 1e-9)
bad("gradcheck", "GradcheckReport", InputError, ["GradcheckReport(checks)", "str"], gradcheck.GradcheckReport, 1.0,
    ["a"])
bad("gradcheck", "GradcheckReport", InputError, ["GradcheckReport(output)", "str"], gradcheck.GradcheckReport, "a",
    [])

# -- train --------------------------------------------------------------------------------------


def _fit(**changes):
    model = nn.MLP(2, [2, 1], rng=prng.PRNG(3))
    arguments = {"model": model, "inputs": [[0.0, 1.0], [1.0, 0.0]], "targets": [1.0, 0.0], "loss": losses.mse,
                 "optimizer": optim.SGD(model.parameters(), lr=0.1)}
    arguments.update(changes)
    return train.fit(**arguments)


bad("train", "fit", InputError, ["fit(loss)", "float"], _fit, loss=lambda outputs, targets: 1.0)
bad("train", "fit", InputError, ["fit(loss)", "str"], _fit, loss="mse")
bad("train", "fit", InputError, ["fit(model)", "str"], _fit, model="a")
bad("train", "fit", InputError, ["fit(optimizer)", "NoneType"], _fit, optimizer=None)
bad("train", "fit", InputError, ["fit(epochs)", "-1"], _fit, epochs=-1)
bad("train", "fit", InputError, ["fit(epochs)", "float"], _fit, epochs=1.5)
bad("train", "fit", InputError, ["fit(batch_size)", "0"], _fit, batch_size=0)
bad("train", "fit", InputError, ["fit(batch_size)", "str"], _fit, batch_size="a")
bad("train", "fit", ShapeError, ["fit", "2", "1"], _fit, targets=[1.0])
bad("train", "fit", InputError, ["fit(inputs)", "empty"], _fit, inputs=[], targets=[])
bad("train", "fit", InputError, ["fit(inputs)", "NoneType"], _fit, inputs=None)
bad("train", "fit", InputError, ["fit(rng)", "int"], _fit, rng=5)
bad("train", "fit", InputError, ["fit(shuffle)", "str"], _fit, shuffle="no")
bad("train", "fit", InputError, ["fit(schedule)", "str"], _fit, schedule="constant")
bad("train", "fit", InputError, ["fit(schedule)", "str"], _fit, schedule=lambda step: "a")
bad("train", "fit", InputError, ["fit(regularization)", "float"], _fit, regularization=lambda model: 1.0)
bad("train", "fit", InputError, ["fit(accuracy)", "str"], _fit, accuracy="yes")
bad("train", "fit", InputError, ["fit(callback)", "int"], _fit, callback=5)
bad("train", "fit", InputError, ["fit(optimizer)", "other"], _fit,
    optimizer=optim.SGD(nn.MLP(2, [1], rng=prng.PRNG(1)).parameters()))

# -- dense --------------------------------------------------------------------------------------

_W = [[0.5, -0.5]]
for _given, _error, _shown in (([["a", 1.0]], InputError, "str"), ([], ShapeError, "empty"), (None, InputError,
                               "NoneType"), ([[1.0, 2.0], [1.0]], ShapeError, "1"), ([[True, 1.0]], InputError,
                               "bool"), ([[BIG, 1.0]], InputError, "integer"), ("ab", InputError, "str")):
    bad("dense", "DenseLayer", _error, ["DenseLayer(weight)", _shown], dense.DenseLayer, _given, [0.0])
bad("dense", "DenseLayer", InputError, ["DenseLayer(bias)", "str"], dense.DenseLayer, _W, ["a"])
bad("dense", "DenseLayer", InputError, ["DenseLayer(bias)", "NoneType"], dense.DenseLayer, _W, None)
bad("dense", "DenseLayer", ShapeError, ["DenseLayer(bias)", "2", "1"], dense.DenseLayer, _W, [0.0, 0.0])
bad("dense", "DenseLayer", InputError, ["DenseLayer(activation)", "'nope'"], dense.DenseLayer, _W, [0.0], "nope")
bad("dense", "DenseLayer", InputError, ["DenseLayer(alpha)", "str"], dense.DenseLayer, _W, [0.0], "leaky_relu", "a")
_dense_layer = dense.DenseLayer(_W, [0.0], "tanh")
for _given, _error, _shown in ((None, InputError, "NoneType"), ([], ShapeError, "empty"), ([[1.0]], ShapeError, "1"),
                               ([["a", 1.0]], InputError, "str"), ([[True, 1.0]], InputError, "bool"),
                               ([1.0, 2.0], InputError, "float")):
    bad("dense", "forward", _error, ["DenseLayer.forward(x)", _shown], _dense_layer.forward, _given)
_cache = _dense_layer.forward([[1.0, 2.0]])[1]
bad("dense", "backward", ShapeError, ["DenseLayer.backward(dy)", "2"], _dense_layer.backward, _cache,
    [[1.0], [1.0]])
bad("dense", "backward", InputError, ["DenseLayer.backward(dy)", "str"], _dense_layer.backward, _cache, [["a"]])
bad("dense", "backward", InputError, ["DenseLayer.backward(cache)", "NoneType"], _dense_layer.backward, None, [[1.0]])
bad("dense", "Network", InputError, ["Network(layers)", "empty"], dense.Network, [])
bad("dense", "Network", InputError, ["Network(layers)", "str"], dense.Network, ["a"])
bad("dense", "Network", ShapeError, ["Network(layers)", "2", "1"], dense.Network,
    [_dense_layer, dense.DenseLayer(_W, [0.0])])
_network = dense.Network([dense.DenseLayer([[0.5, -0.5], [0.1, 0.2]], [0.0, 0.0], "tanh"),
                          dense.DenseLayer([[1.0, 1.0]], [0.0], "sigmoid")])
bad("dense", "forward", InputError, ["forward(x)", "str"], _network.forward, [["a", 1.0]])
bad("dense", "forward", ShapeError, ["forward(x)", "empty"], _network.forward, [])
_x = [[0.0, 1.0], [1.0, 0.0]]
bad("dense", "loss_and_gradients", InputError, ["loss_and_gradients(loss)", "'nope'"], _network.loss_and_gradients, _x,
    [[1.0], [0.0]], "nope")
bad("dense", "loss_and_gradients", InputError, ["l2", "-1.0"], _network.loss_and_gradients, _x, [[1.0], [0.0]],
    "mse", -1.0)
bad("dense", "loss_and_gradients", InputError, ["l2", "str"], _network.loss_and_gradients, _x, [[1.0], [0.0]],
    "mse", "a")
bad("dense", "loss_and_gradients", InputError, ["targets", "str"], _network.loss_and_gradients, _x,
    [["a"], [0.0]], "mse")
bad("dense", "loss_and_gradients", ShapeError, ["targets", "1", "2"], _network.loss_and_gradients, _x, [[1.0]], "mse")
bad("dense", "loss_and_gradients", InputError, ["targets", "NoneType"], _network.loss_and_gradients, _x, None, "mse")
bad("dense", "loss_and_gradients", InputError, ["margin", "str"], _network.loss_and_gradients, _x, [0, 0],
    "multiclass_hinge", 0.0, "a")
_y = [[0.5, 0.5]]
for _loss in ("sparse_categorical_cross_entropy", "softmax_cross_entropy", "multiclass_hinge"):
    bad("dense", "loss_and_gradient", InputError, ["dense." + _loss + "(labels)", "1.7"], dense.loss_and_gradient,
        _loss, _y, [1.7])
    bad("dense", "loss_and_gradient", ShapeError, ["dense." + _loss + "(labels)", "2"], dense.loss_and_gradient,
        _loss, _y, [2])
    bad("dense", "loss_and_gradient", InputError, ["dense." + _loss + "(labels)", "str"], dense.loss_and_gradient,
        _loss, _y, ["a"])
    bad("dense", "loss_and_gradient", InputError, ["dense." + _loss + "(labels)", "bool"], dense.loss_and_gradient,
        _loss, _y, [True])
bad("dense", "loss_and_gradient", DomainError, ["dense.sparse_categorical_cross_entropy", "2.0"],
    dense.loss_and_gradient, "sparse_categorical_cross_entropy", [[2.0, -1.0]], [0])
bad("dense", "loss_and_gradient", DomainError, ["dense.binary_cross_entropy", "2.0"], dense.loss_and_gradient,
    "binary_cross_entropy", [[2.0]], [[1.0]])
bad("dense", "loss_and_gradient", DomainError, ["dense.binary_cross_entropy(targets)", "2.0"],
    dense.loss_and_gradient, "binary_cross_entropy", [[0.5]], [[2.0]])
bad("dense", "loss_and_gradient", DomainError, ["dense.categorical_cross_entropy(targets)", "-1.0"],
    dense.loss_and_gradient, "categorical_cross_entropy", [[0.5, 0.5]], [[-1.0, 2.0]])
bad("dense", "loss_and_gradient", InputError, ["dense.binary_hinge(targets)", "0.0"], dense.loss_and_gradient,
    "binary_hinge", [[0.5]], [[0.0]])
bad("dense", "loss_and_gradient", InputError, ["dense.loss_and_gradient(name)", "'nope'"], dense.loss_and_gradient,
    "nope", [[0.5]], [[1.0]])
bad("dense", "loss_and_gradient", InputError, ["dense.mse(y)", "str"], dense.loss_and_gradient, "mse", [["a"]],
    [[1.0]])
bad("dense", "loss_and_gradient", ShapeError, ["dense.mse(y)", "empty"], dense.loss_and_gradient, "mse", [], [])
bad("dense", "loss_and_gradient", InputError, ["dense.multiclass_hinge(margin)", "str"], dense.loss_and_gradient,
    "multiclass_hinge", _y, [0], "a")
for _name, _args in (("sgd", {}), ("adagrad", {}), ("rmsprop", {}), ("adam", {})):
    bad("dense", "Optimizer", InputError, ["dense.Optimizer(lr)", "str"], dense.Optimizer, _name, "a")
    bad("dense", "Optimizer", InputError, ["dense.Optimizer(lr)", "integer"], dense.Optimizer, _name, BIG)
    bad("dense", "Optimizer", InputError, ["dense.Optimizer(eps)", "-1"], dense.Optimizer, _name, 0.1, eps=-1e-8)
bad("dense", "Optimizer", InputError, ["dense.Optimizer(name)", "'nope'"], dense.Optimizer, "nope", 0.1)
bad("dense", "Optimizer", InputError, ["dense.Optimizer(alpha)", "1.5"], dense.Optimizer, "rmsprop", 0.1, alpha=1.5)
bad("dense", "Optimizer", InputError, ["dense.Optimizer(betas)", "str"], dense.Optimizer, "adam", 0.1, betas="ab")
bad("dense", "Optimizer", InputError, ["dense.Optimizer(betas[0])", "1.0"], dense.Optimizer, "adam", 0.1,
    betas=(1.0, 0.5))
bad("dense", "Optimizer", InputError, ["dense.Optimizer(momentum)", "str"], dense.Optimizer, "sgd", 0.1,
    momentum="a")
_dense_optimizer = dense.Optimizer("sgd", 0.1)
bad("dense", "step", ShapeError, ["dense.Optimizer.step", "1", "2"], _dense_optimizer.step, [[1.0]], [[1.0], [1.0]])
bad("dense", "step", ShapeError, ["dense.Optimizer.step", "2", "1"], _dense_optimizer.step, [[1.0, 2.0]], [[1.0]])
bad("dense", "step", InputError, ["dense.Optimizer.step(grads)", "str"], _dense_optimizer.step, [[1.0]], [["a"]])
bad("dense", "step", InputError, ["dense.Optimizer.step(params)", "NoneType"], _dense_optimizer.step, None, [[1.0]])


def _dense_train(**changes):
    network = dense.Network([dense.DenseLayer([[0.5, -0.5]], [0.0], "sigmoid")])
    arguments = {"network": network, "x": [[0.0, 1.0]], "targets": [[1.0]], "loss": "mse",
                 "optimizer": dense.Optimizer("sgd", 0.1), "steps": 2}
    arguments.update(changes)
    return dense.train(**arguments)


bad("dense", "train", InputError, ["dense.train(steps)", "-1"], _dense_train, steps=-1)
bad("dense", "train", InputError, ["dense.train(steps)", "float"], _dense_train, steps=2.5)
bad("dense", "train", InputError, ["dense.train(network)", "str"], _dense_train, network="a")
bad("dense", "train", InputError, ["dense.train(optimizer)", "str"], _dense_train, optimizer="sgd")
bad("dense", "train", InputError, ["dense.train(l2)", "-1.0"], _dense_train, l2=-1.0)
bad("dense", "train", InputError, ["dense.train(x)", "str"], _dense_train, x=[["a", 1.0]])
bad("dense", "train", InputError, ["loss", "'nope'"], _dense_train, loss="nope")
bad("dense", "activate", InputError, ["dense.activate(activation)", "'nope'"], dense.activate, [[1.0]], "nope")
bad("dense", "activate", InputError, ["dense.activate(z)", "str"], dense.activate, [["a"]], "tanh")
bad("dense", "activate", InputError, ["dense.activate(alpha)", "str"], dense.activate, [[1.0]], "leaky_relu", "a")
bad("dense", "dropout_forward", InputError, ["dropout_forward(p)", "1.5"], dense.dropout_forward, [[1.0]], [[1]], 1.5)
bad("dense", "dropout_forward", InputError, ["dropout_forward(p)", "str"], dense.dropout_forward, [[1.0]], [[1]], "a")
bad("dense", "dropout_forward", InputError, ["dropout_forward(mask)", "2"], dense.dropout_forward, [[1.0]], [[2]],
    0.5)
bad("dense", "dropout_forward", ShapeError, ["dropout_forward", "2", "1"], dense.dropout_forward, [[1.0]],
    [[1], [1]], 0.5)
bad("dense", "dropout_forward", InputError, ["dropout_forward(x)", "str"], dense.dropout_forward, [["a"]], [[1]], 0.5)
bad("dense", "dropout_backward", ShapeError, ["dropout_backward", "2", "1"], dense.dropout_backward, [[2.0]],
    [[1.0], [1.0]])
bad("dense", "dropout_backward", InputError, ["dropout_backward(dy)", "str"], dense.dropout_backward, [[2.0]],
    [["a"]])
bad("dense", "flat_gradients", InputError, ["flat_gradients", "NoneType"], dense.flat_gradients, None)
bad("dense", "flat_gradients", InputError, ["flat_gradients", "int"], dense.flat_gradients, [5])
bad("dense", "transpose", InputError, ["transpose(a)", "NoneType"], dense.transpose, None)
bad("dense", "transpose", ShapeError, ["transpose(a)", "1", "2"], dense.transpose, [[1.0, 2.0], [1.0]])
bad("dense", "times_transposed", ShapeError, ["times_transposed", "2", "1"], dense.times_transposed, [[1.0, 2.0]],
    [[1.0]])
bad("dense", "times_transposed", InputError, ["times_transposed(a)", "str"], dense.times_transposed, [["a"]],
    [[1.0]])
bad("dense", "weight_gradient_where_nonzero", ShapeError, ["weight_gradient_where_nonzero", "2", "1"],
    dense.weight_gradient_where_nonzero, [[1.0, 1.0]], [[1.0]])
bad("dense", "weight_gradient_where_nonzero", InputError, ["weight_gradient_where_nonzero(x)", "str"],
    dense.weight_gradient_where_nonzero, [[1.0]], [["a"]])

# -- compat.micrograd ---------------------------------------------------------------------------

not_numbers("micrograd", "Value", "Value(data)", micrograd.Value)
bad("micrograd", "Value", InputError, ["Value +", "str"], lambda a: a + "x", micrograd.Value(1.0))
bad("micrograd", "Value", InputError, ["Value(_children)", "str"], micrograd.Value, 1.0, ("a",))
bad("micrograd", "Value", InputError, ["Value(_op)", "int"], micrograd.Value, 1.0, (), 5)
for _cls, _args in ((micrograd.Neuron, ()), (micrograd.Layer, (1,))):
    _n = _cls.__name__
    bad("micrograd", _n, InputError, [_n + "(nin)", "str"], _cls, "a", *_args)
    bad("micrograd", _n, InputError, [_n + "(nin)", "0"], _cls, 0, *_args)
    bad("micrograd", _n, InputError, [_n + "(nonlin)", "str"], _cls, 2, *(_args + ("yes",)))
    bad("micrograd", _n, ShapeError, [_n, "3", "2"], _cls(2, *_args), [1.0, 2.0, 3.0])
    bad("micrograd", _n, InputError, ["Neuron(2)", "str"], _cls(2, *_args), [1.0, "a"])
bad("micrograd", "Layer", InputError, ["Layer(nout)", "0"], micrograd.Layer, 2, 0)
bad("micrograd", "MLP", InputError, ["MLP(nin)", "str"], micrograd.MLP, "a", [1])
bad("micrograd", "MLP", InputError, ["MLP(nouts)", "empty"], micrograd.MLP, 2, [])
bad("micrograd", "MLP", InputError, ["MLP(nouts)", "0"], micrograd.MLP, 2, [3, 0])
bad("micrograd", "MLP", ShapeError, ["Layer", "3", "2"], micrograd.MLP(2, [1]), [1.0, 2.0, 3.0])

# -- scratch files for the entries about paths --------------------------------------------------

SCRATCH = []


def scratch(kind):
    """scratch/catalogue-folder (a folder) or scratch/catalogue-file (a file), made on first use:
    tempfile's folder where it exists, else one in the working folder (MicroPython)."""
    import os
    if not SCRATCH:
        try:
            import tempfile
            SCRATCH.append(tempfile.mkdtemp(prefix="bad_inputs_"))
        except ImportError:
            SCRATCH.append("scratch_bad_inputs")
        for folder in (SCRATCH[0], SCRATCH[0] + "/catalogue-folder"):
            try:
                os.mkdir(folder)
            except OSError:  # made by mkdtemp, or left by an earlier run
                pass
        with open(SCRATCH[0] + "/catalogue-file", "w") as out:
            out.write("a file, not a folder")
    return SCRATCH[0] + "/catalogue-" + kind


class Sink:
    """A text stream that keeps nothing and is not a terminal."""

    def write(self, text):
        return len(text)


# -- draw ---------------------------------------------------------------------------------------

bad("draw", "to_svg", InputError, ["to_svg(root)", "float"], draw.to_svg, 1.0)
bad("draw", "to_svg", InputError, ["to_svg(names)", "list"], draw.to_svg, v(), [v()])
bad("draw", "to_svg", InputError, ["to_svg(names)['x']", "root does not depend on"], draw.to_svg, v(), {"x": v(2.0)})
bad("draw", "to_svg", InputError, ["to_svg(max_nodes)", "0"], draw.to_svg, v(), None, 0)
bad("draw", "to_svg", InputError, ["to_svg(max_nodes)", "float"], draw.to_svg, v(), None, 2.5)
bad("draw", "to_svg", InputError, ["to_svg(title)", "NoneType"], draw.to_svg, v(), None, 10, None)
bad("draw", "to_svg", draw.GraphTooLarge, ["to_svg(root)", "3 Value nodes", "max_nodes=2", "summary(root)"],
    draw.to_svg, v() + 1.0, None, 2)
bad("draw", "to_dot", InputError, ["to_dot(root)", "list"], draw.to_dot, [v()])
bad("draw", "to_dot", InputError, ["to_dot(names)", "int 1"], draw.to_dot, v(), {1: v()})
bad("draw", "to_dot", InputError, ["to_dot(names)['x']", "float"], draw.to_dot, v(), {"x": 1.0})
bad("draw", "to_dot", InputError, ["to_dot(title)", "int"], draw.to_dot, v(), None, 10, 5)
bad("draw", "to_dot", draw.GraphTooLarge, ["to_dot(root)", "max_nodes=1"], draw.to_dot, v() * 2.0, None, 1)
bad("draw", "summary", InputError, ["summary(root)", "NoneType"], draw.summary, None)
bad("draw", "summary", InputError, ["summary(root)", "float"], draw.summary, 1.0)
bad("draw", "format_number", InputError, ["format_number(number)", "str"], draw.format_number, "1")
bad("draw", "format_number", InputError, ["format_number(number)", "NoneType"], draw.format_number, None)
bad("draw", "format_number", InputError, ["format_number(number)", "integer"], draw.format_number, BIG)

# -- backward_steps -----------------------------------------------------------------------------

_f = v(2.0) * v(3.0)
bad("backward_steps", "explain", InputError, ["explain(root)", "float 1.0"], backward_steps.explain, 1.0)
bad("backward_steps", "explain", InputError, ["explain(names)['w']", "not computed from"], backward_steps.explain,
    _f, {"w": v()})
bad("backward_steps", "explain", InputError, ["explain(names)", "list"], backward_steps.explain, _f, [_f])
bad("backward_steps", "explain", InputError, ["explain(names)", "str ''"], backward_steps.explain, _f, {"": _f})
bad("backward_steps", "explain", InputError, ["explain(names)['f']", "float"], backward_steps.explain, _f,
    {"f": 1.0})
bad("backward_steps", "explain", InputError, ["explain(names)", "'f'", "'g'", "same Value"], backward_steps.explain,
    _f, {"f": _f, "g": _f})
bad("backward_steps", "explain", InputError, ["explain(gradient)", "bool"], backward_steps.explain, _f,
    gradient=True)
bad("backward_steps", "explain", InputError, ["explain(gradient)", "str"], backward_steps.explain, _f, gradient="1")
bad("backward_steps", "explain", InputError, ["explain(max_steps)", "float"], backward_steps.explain, _f,
    max_steps=2.5)
bad("backward_steps", "explain", InputError, ["explain(root)", "2 edges", "max_steps=1"], backward_steps.explain, _f,
    max_steps=1)
bad("backward_steps", "formula", InputError, ["formula(op)", "int"], backward_steps.formula, 3, 0)
bad("backward_steps", "formula", InputError, ["formula(position)", "-1"], backward_steps.formula, "+", -1)
bad("backward_steps", "formula", InputError, ["formula(position)", "str"], backward_steps.formula, "+", "a")
bad("backward_steps", "fused_formula", InputError, ["fused_formula(op)", "NoneType"], backward_steps.fused_formula,
    None)
_step = ("f", "*", 1.0, "x", 3.0, "∂(a·b)/∂a = b", 3.0, 3.0, "mul gate swaps")
for _index, _field in enumerate(("parent", "op", "upstream", "child", "local", "formula", "contribution", "total",
                                 "rule")):
    _given = _step[:_index] + ((None,) if _index in (0, 1, 3, 5, 8) else ("a",)) + _step[_index + 1:]
    bad("backward_steps", "Step", InputError, ["Step(" + _field + ")", "NoneType" if _index in (0, 1, 3, 5, 8)
                                               else "str"], backward_steps.Step, *_given)
_one_step = [backward_steps.Step(*_step)]
bad("backward_steps", "BackwardSteps", InputError, ["BackwardSteps(root)", "int"], backward_steps.BackwardSteps, 5,
    1.0, _one_step, [])
bad("backward_steps", "BackwardSteps", InputError, ["BackwardSteps(seed)", "str"], backward_steps.BackwardSteps, "f",
    "1", _one_step, [])
bad("backward_steps", "BackwardSteps", InputError, ["BackwardSteps(steps)", "NoneType"], backward_steps.BackwardSteps,
    "f", 1.0, None, [])
bad("backward_steps", "BackwardSteps", InputError, ["BackwardSteps(steps)[0]", "tuple"], backward_steps.BackwardSteps,
    "f", 1.0, [_step], [])
bad("backward_steps", "BackwardSteps", InputError, ["BackwardSteps(finals)[0]", "str"], backward_steps.BackwardSteps,
    "f", 1.0, _one_step, ["x"])
bad("backward_steps", "BackwardSteps", InputError, ["BackwardSteps(finals)[0][1]", "str"],
    backward_steps.BackwardSteps, "f", 1.0, _one_step, [("x", "3")])

# -- plot ---------------------------------------------------------------------------------------

bad("plot", "line_chart", InputError, ["line_chart(ys)", "NoneType"], plot.line_chart, None)
bad("plot", "line_chart", InputError, ["line_chart(ys)", "empty"], plot.line_chart, [])
bad("plot", "line_chart", InputError, ["line_chart(ys)[1]", "str"], plot.line_chart, [1.0, "a"])
bad("plot", "line_chart", InputError, ["line_chart(ys)[0]", "integer"], plot.line_chart, [BIG])
bad("plot", "line_chart", InputError, ["line_chart(ys)", "none finite"], plot.line_chart, [NAN, INF])
bad("plot", "line_chart", InputError, ["line_chart(ys)", "1e+308"], plot.line_chart, [-1e308, 1e308])
bad("plot", "line_chart", InputError, ["line_chart(ys)", "span 0.0 to", "at least"], plot.line_chart, [0.0, 1e-320])
bad("plot", "line_chart", InputError, ["line_chart(title)", "int"], plot.line_chart, [1.0], 5)
bad("plot", "line_chart", InputError, ["line_chart(x_label)", "NoneType"], plot.line_chart, [1.0], "", None)
bad("plot", "line_chart", InputError, ["line_chart(y_label)", "list"], plot.line_chart, [1.0], "", "", ["y"])
bad("plot", "line_chart", InputError, ["line_chart(xs)", "2"], plot.line_chart, [1.0], xs=[1.0, 2.0])
bad("plot", "line_chart", InputError, ["line_chart(xs)[0]", "inf"], plot.line_chart, [1.0], xs=[INF])
bad("plot", "line_chart", InputError, ["line_chart(xs)", "str"], plot.line_chart, [1.0], xs="a")
_points = [[0.0, 0.0], [1.0, 1.0]]
_predict = lambda point: 0  # noqa: E731
bad("plot", "decision_boundary", InputError, ["decision_boundary(predict)", "int"], plot.decision_boundary, 5,
    _points, [0, 1])
bad("plot", "decision_boundary", InputError, ["decision_boundary(predict)", "str"], plot.decision_boundary,
    lambda point: "a", _points, [0, 1])
bad("plot", "decision_boundary", InputError, ["decision_boundary(predict)", "-1"], plot.decision_boundary,
    lambda point: -1, _points, [0, 1])
bad("plot", "decision_boundary", InputError, ["decision_boundary(points)", "NoneType"], plot.decision_boundary,
    _predict, None, [0])
bad("plot", "decision_boundary", InputError, ["decision_boundary(points)", "empty"], plot.decision_boundary,
    _predict, [], [])
bad("plot", "decision_boundary", InputError, ["decision_boundary(points)[0]", "list"], plot.decision_boundary,
    _predict, [[1.0]], [0])
bad("plot", "decision_boundary", InputError, ["decision_boundary(points)[0][0]", "str"], plot.decision_boundary,
    _predict, [["a", 1.0]], [0])
bad("plot", "decision_boundary", InputError, ["decision_boundary(points)[0]", "nan"], plot.decision_boundary,
    _predict, [[NAN, 1.0]], [0])
bad("plot", "decision_boundary", InputError, ["decision_boundary(points)", "inf"], plot.decision_boundary,
    _predict, [[-1e308, 0.0], [1e308, 0.0]], [0, 1])
bad("plot", "decision_boundary", InputError, ["decision_boundary(labels)", "NoneType"], plot.decision_boundary,
    _predict, _points, None)
bad("plot", "decision_boundary", InputError, ["decision_boundary(labels)", "1 labels"], plot.decision_boundary,
    _predict, _points, [0])
bad("plot", "decision_boundary", InputError, ["decision_boundary(labels)[1]", "-1"], plot.decision_boundary,
    _predict, _points, [0, -1])
bad("plot", "decision_boundary", InputError, ["decision_boundary(labels)[0]", "bool"], plot.decision_boundary,
    _predict, _points, [True, 0])
bad("plot", "decision_boundary", InputError, ["decision_boundary(labels)[0]", "float"], plot.decision_boundary,
    _predict, _points, [0.0, 1])
bad("plot", "decision_boundary", InputError, ["decision_boundary(grid)", "1"], plot.decision_boundary, _predict,
    _points, [0, 1], grid=1)
bad("plot", "decision_boundary", InputError, ["decision_boundary(grid)", "401"], plot.decision_boundary, _predict,
    _points, [0, 1], grid=401)
bad("plot", "decision_boundary", InputError, ["decision_boundary(grid)", "str"], plot.decision_boundary, _predict,
    _points, [0, 1], grid="a")
bad("plot", "decision_boundary", InputError, ["decision_boundary(title)", "NoneType"], plot.decision_boundary,
    _predict, _points, [0, 1], title=None)
bad("plot", "decision_boundary", InputError, ["decision_boundary(x_label)", "int"], plot.decision_boundary,
    _predict, _points, [0, 1], x_label=1)
bad("plot", "decision_boundary", InputError, ["decision_boundary(y_label)", "NoneType"], plot.decision_boundary,
    _predict, _points, [0, 1], y_label=None)

# -- progress -----------------------------------------------------------------------------------

bad("progress", "Progress", InputError, ["Progress(total)", "0"], progress.Progress, 0, Sink())
bad("progress", "Progress", InputError, ["Progress(total)", "str"], progress.Progress, "3", Sink())
bad("progress", "Progress", InputError, ["Progress(stream)", "str"], progress.Progress, 3, "not a stream")
bad("progress", "Progress", InputError, ["Progress(stream)", "NoneType"], progress.Progress, 3, None)
bad("progress", "Progress", InputError, ["Progress(clock_seconds)", "int"], progress.Progress, 3, Sink(), 5)
bad("progress", "Progress", InputError, ["Progress(clock_seconds)", "str"], progress.Progress, 3, Sink(),
    lambda: "now")
bad("progress", "Progress", InputError, ["Progress(clock_seconds)", "nan"], progress.Progress, 3, Sink(),
    lambda: NAN)
_progress = progress.Progress(3, Sink(), lambda: 0.0)
bad("progress", "update", InputError, ["Progress.update(epoch)", "0"], _progress.update, 0, 1.0)
bad("progress", "update", InputError, ["Progress.update(epoch)", "float"], _progress.update, 1.5, 1.0)
bad("progress", "update", InputError, ["Progress.update(loss)", "str"], _progress.update, 1, "a")
bad("progress", "update", InputError, ["Progress.update(loss)", "NoneType"], _progress.update, 1, None)
bad("progress", "update", InputError, ["Progress.update(accuracy)", "str"], _progress.update, 1, 1.0, "a")
bad("progress", "update", InputError, ["Progress.update(accuracy)", "list"], _progress.update, 1, 1.0, [0.5])

# -- pipeline -----------------------------------------------------------------------------------

bad("pipeline", "make_data", InputError, ["pipeline.make_data(seed)", "str"], pipeline.make_data, "a")
bad("pipeline", "make_data", InputError, ["pipeline.make_data(seed)", "-1"], pipeline.make_data, -1)
bad("pipeline", "make_data", InputError, ["pipeline.make_data(count)", "4"], pipeline.make_data, 0, 4)
bad("pipeline", "make_data", InputError, ["pipeline.make_data(count)", "float"], pipeline.make_data, 0, 300.0)
bad("pipeline", "initial_model", InputError, ["pipeline.initial_model(hidden)", "0"], pipeline.initial_model, 0)
bad("pipeline", "initial_model", InputError, ["pipeline.initial_model(hidden)", "float"], pipeline.initial_model,
    2.5)
bad("pipeline", "initial_model", InputError, ["pipeline.initial_model(seed)", "str"], pipeline.initial_model, 2, "a")
for _changes, _needles in (({"path": "gpu"}, ["pipeline.run(path)", "'gpu'"]),
                           ({"path": None}, ["pipeline.run(path)", "None"]),
                           ({"epochs": 0}, ["pipeline.run(epochs)", "0"]),
                           ({"epochs": "10"}, ["pipeline.run(epochs)", "str"]),
                           ({"hidden": 1.5}, ["pipeline.run(hidden)", "float"]),
                           ({"seed": -1}, ["pipeline.run(seed)", "-1"]),
                           ({"learning_rate": -1.0}, ["pipeline.run(learning_rate)", "-1.0"]),
                           ({"learning_rate": INF}, ["pipeline.run(learning_rate)", "inf"]),
                           ({"reg_lambda": NAN}, ["pipeline.run(reg_lambda)", "nan"]),
                           ({"reg_lambda": "a"}, ["pipeline.run(reg_lambda)", "str"]),
                           ({"verbose": "yes"}, ["pipeline.run(verbose)", "str"]),
                           ({"verbose": 1}, ["pipeline.run(verbose)", "int"]),
                           ({"stream": 5, "verbose": False}, ["pipeline.run(stream)", "int"]),
                           ({"points": 4}, ["pipeline.run(points)", "4"]),
                           ({"points": "a"}, ["pipeline.run(points)", "str"])):
    bad("pipeline", "run", InputError, _needles, pipeline.run, **_changes)
_settings = [("epochs", 1), ("hidden", 2), ("seed", 0), ("learning_rate", 1.0), ("reg_lambda", 0.01)]
_result_arguments = ("dense", _settings, [0.5], 1.0, 1.0, 0.0, _predict, [[0.0, 0.0]], [0], (4, 1))
for _index, _given, _needles in ((0, "gpu", ["PipelineResult(path)", "'gpu'"]),
                                 (1, None, ["PipelineResult(settings)", "NoneType"]),
                                 (1, _settings[1:], ["PipelineResult(settings)", "missing epochs"]),
                                 (1, [("epochs", "one")] + _settings[1:], ["PipelineResult(settings)[0]", "str"]),
                                 (1, [5], ["PipelineResult(settings)[0]", "int"]),
                                 (2, [], ["PipelineResult(loss)", "empty"]),
                                 (2, ["a"], ["PipelineResult(loss)[0]", "str"]),
                                 (3, 1.5, ["PipelineResult(train_accuracy)", "1.5"]),
                                 (4, "a", ["PipelineResult(test_accuracy)", "str"]),
                                 (5, -1.0, ["PipelineResult(seconds)", "-1.0"]),
                                 (6, 5, ["PipelineResult(predict)", "int"]),
                                 (7, None, ["PipelineResult(test_points)", "NoneType"]),
                                 (8, "ab", ["PipelineResult(test_labels)", "str"]),
                                 (9, 5, ["PipelineResult(sizes)", "int"]),
                                 (9, (0, 1), ["PipelineResult(sizes)[0]", "0"])):
    bad("pipeline", "PipelineResult", InputError, _needles, pipeline.PipelineResult,
        *(_result_arguments[:_index] + (_given,) + _result_arguments[_index + 1:]))
_result = pipeline.PipelineResult(*_result_arguments)
bad("pipeline", "setting", InputError, ["PipelineResult.setting(name)", "'nosuch'"], _result.setting, "nosuch")
bad("pipeline", "setting", InputError, ["PipelineResult.setting(name)", "5"], _result.setting, 5)
bad("pipeline", "compare", InputError, ["pipeline.compare(first)", "NoneType"], pipeline.compare, None, _result)
bad("pipeline", "compare", InputError, ["pipeline.compare(second)", "str"], pipeline.compare, _result, "a")
bad("pipeline", "compare", InputError, ["pipeline.compare", "1 and 2 epochs"], pipeline.compare, _result,
    pipeline.PipelineResult(*(_result_arguments[:2] + ([0.5, 0.25],) + _result_arguments[3:])))
bad("pipeline", "command", InputError, ["pipeline.command(arguments)", "int"], pipeline.command, 5)
bad("pipeline", "command", InputError, ["pipeline.command(arguments)", "str"], pipeline.command, "--epochs 3")
bad("pipeline", "command", InputError, ["pipeline.command(arguments)", "list"], pipeline.command, ["--epochs", 3])

# -- worked_examples, sources and tour_page -----------------------------------------------------

bad("worked_examples", "graphs", InputError, ["worked_examples.graphs(name)", "'nosuch'"], worked_examples.graphs,
    "nosuch")
bad("worked_examples", "graphs", InputError, ["worked_examples.graphs(name)", "'softmax'", "doc002-expression"],
    worked_examples.graphs, "softmax")
bad("worked_examples", "graphs", InputError, ["worked_examples.graphs(name)", "NoneType"], worked_examples.graphs,
    None)
bad("worked_examples", "canonical", InputError, ["worked_examples.canonical(name)", "int"], worked_examples.canonical,
    3)
bad("worked_examples", "canonical", InputError, ["worked_examples.canonical(name)", "'Expression'"],
    worked_examples.canonical, "Expression")
bad("worked_examples", "title", InputError, ["worked_examples.title(name)", "'nosuch'"], worked_examples.title,
    "nosuch")
bad("worked_examples", "formulas", InputError, ["worked_examples.formulas(name)", "'nosuch'"],
    worked_examples.formulas, "nosuch")
bad("worked_examples", "formulas", InputError, ["worked_examples.formulas(name)", "list"], worked_examples.formulas,
    ["softmax"])
bad("sources", "source", InputError, ["sources.source(name)", "'nosuch'"], sources.source, "nosuch")
bad("sources", "source", InputError, ["sources.source(name)", "NoneType"], sources.source, None)
_source_arguments = ("doc.txt", "English", "slide 1", ["a line"], "what it says")
for _index, _field, _given, _shown in ((0, "document", 5, "int"), (1, "language", None, "NoneType"),
                                       (2, "section", b"s", "bytes"), (3, "excerpt", None, "NoneType"),
                                       (3, "excerpt", "a line", "str"), (3, "excerpt", [], "empty"),
                                       (4, "gloss", ["g"], "list")):
    bad("sources", "Source", InputError, ["Source(" + _field + ")", _shown], sources.Source,
        *(_source_arguments[:_index] + (_given,) + _source_arguments[_index + 1:]))
bad("sources", "Source", InputError, ["Source(excerpt)[1]", "int"], sources.Source, "doc.txt", "English", "slide 1",
    ["a line", 2], "g")
_source = sources.Source(*_source_arguments)
bad("sources", "lines", InputError, ["Source.lines(width)", "str"], _source.lines, "96")
bad("sources", "lines", InputError, ["Source.lines(width)", "2"], _source.lines, 2)
bad("sources", "wrapped", InputError, ["sources.wrapped(text)", "NoneType"], sources.wrapped, None, 10)
bad("sources", "wrapped", InputError, ["sources.wrapped(width)", "0"], sources.wrapped, "a b", 0)
bad("sources", "wrapped", InputError, ["sources.wrapped(width)", "float"], sources.wrapped, "a b", 1.5)
bad("tour_page", "write_tour", InputError, ["write_tour(directory)", "str ''"], tour_page.write_tour, "")
bad("tour_page", "write_tour", InputError, ["write_tour(directory)", "NoneType"], tour_page.write_tour, None)
bad("tour_page", "write_tour", InputError, ["write_tour(directory)", "int"], tour_page.write_tour, 5)
bad("tour_page", "write_tour", InputError, ["write_tour(epochs)", "0"], tour_page.write_tour, "never-made-folder",
    epochs=0)
bad("tour_page", "write_tour", InputError, ["write_tour(directory)", "catalogue-file", "it is a file"],
    lambda: tour_page.write_tour(scratch("file") + "/page", epochs=1))
bad("tour_page", "page", InputError, ["tour_page.page(epochs)", "float"], tour_page.page, epochs=2.5)
bad("tour_page", "page", InputError, ["tour_page.page(epochs)", "0"], tour_page.page, 0)

# -- nn.save and nn.load, train.fit(verbose=) ---------------------------------------------------

_saved_neuron = nn.Neuron(1, weights=[1.0])
bad("nn", "architecture", InputError, ["nn.architecture(model)", "str"], nn.architecture, "model")
bad("nn", "architecture", InputError, ["nn.architecture(model)", "Dropout"], nn.architecture, nn.Dropout(0.5))
bad("nn", "save", InputError, ["nn.save(model)", "Dropout"], nn.save, nn.Dropout(0.5), "never-written.json")
bad("nn", "save", InputError, ["nn.save(model)", "NoneType"], nn.save, None, "never-written.json")
bad("nn", "save", InputError, ["nn.save(path)", "int"], nn.save, _saved_neuron, 3)
bad("nn", "save", InputError, ["nn.save(path)", "str ''"], nn.save, _saved_neuron, "")
bad("nn", "save", InputError, ["nn.save(path)", "bytes"], nn.save, _saved_neuron, b"model.json")
bad("nn", "save", InputError, ["nn.save(path)", "catalogue-folder"], lambda: nn.save(_saved_neuron,
                                                                                      scratch("folder")))
bad("nn", "save", InputError, ["nn.save(path)", "catalogue-file/model.json"],
    lambda: nn.save(_saved_neuron, scratch("file") + "/model.json"))
_diverged = nn.Neuron(1, weights=[NAN])
bad("nn", "save", InputError, ["nn.save", "nan", "finite"], nn.save, _diverged, "never-written.json")
bad("nn", "load", InputError, ["nn.load(path)", "NoneType"], nn.load, None)
bad("nn", "load", InputError, ["nn.load(path)", "list"], nn.load, ["model.json"])
bad("nn", "load", InputError, ["nn.load(path)", "no-such-model.json"], nn.load, "no-such-model.json")
bad("nn", "load", InputError, ["nn.load(into)", "str"], nn.load, "no-such-model.json", into="model")
bad("nn", "load", InputError, ["nn.load(rng)", "int"], nn.load, "no-such-model.json", rng=5)
bad("nn", "load", InputError, ["nn.load(path)", "catalogue-folder"], lambda: nn.load(scratch("folder")))
bad("nn", "load", InputError, ["catalogue-file", "not valid JSON"], lambda: nn.load(scratch("file")))


def _load_into_another_architecture():
    path = scratch("folder") + "/neuron.json"
    nn.save(_saved_neuron, path)
    return nn.load(path, into=nn.Neuron(2, weights=[1.0, 1.0]))


bad("nn", "load", InputError, ["neuron.json", "architecture.nin", "the model has 2, the file has 1"],
    _load_into_another_architecture)

# the modules behind nn.save and nn.load, and inference on floats from the same files
bad("saving", "architecture", InputError, ["nn.architecture(model)", "str"], saving.architecture, "model")
bad("saving", "save", InputError, ["nn.save(path)", "int"], saving.save, _saved_neuron, 3)
bad("saving", "load", InputError, ["nn.load(path)", "no-such-model.json"], saving.load, "no-such-model.json")
bad("model_file", "as_path", InputError, ["infer.load(path)", "NoneType"], model_file.as_path, None, "infer.load(path)")
bad("model_file", "read", InputError, ["nn.load(path)", "no-such-model.json"], model_file.read, "no-such-model.json")
bad("model_file", "read", InputError, ["catalogue-file", "not valid JSON"], lambda: model_file.read(scratch("file")))
bad("model_file", "check_fields", InputError, ["state", "missing ['a']", "unexpected ['b']"], model_file.check_fields,
    {"b": 1}, ["a"], "state")
bad("model_file", "check_finite", InputError, ["state[0]", "nan", "finite"], model_file.check_finite, [NAN], "state")
bad("infer", "load", InputError, ["infer.load(path)", "NoneType"], infer.load, None)
bad("infer", "load", InputError, ["infer.load(path)", "list"], infer.load, ["model.json"])
bad("infer", "load", InputError, ["infer.load(path)", "no-such-model.json"], infer.load, "no-such-model.json")
bad("infer", "load", InputError, ["catalogue-file", "not valid JSON"], lambda: infer.load(scratch("file")))


def _load_a_file_of_nin_0():
    path = scratch("folder") + "/nin0.json"
    nn.save(_saved_neuron, path)
    with open(path) as handle:
        text = handle.read().replace('"nin": 1', '"nin": 0')
    with open(path, "w") as handle:
        handle.write(text)
    return infer.load(path)


bad("infer", "load", InputError, ["nin0.json", "architecture.nin", "int 0"], _load_a_file_of_nin_0)
_predict = infer.Model("MLP", 2, [("linear", [[1.0, 1.0]], [0.0])], 0.01, True)
bad("infer", "__call__", InputError, ["infer MLP", "NoneType"], _predict, None)
bad("infer", "__call__", ShapeError, ["infer MLP", "3", "2"], _predict, [1.0, 2.0, 3.0])
bad("infer", "__call__", InputError, ["infer MLP(x)[1]", "str"], _predict, [1.0, "a"])
bad("infer", "__call__", InputError, ["infer MLP(x)[0]", "bool"], _predict, [True, 1.0])
bad("infer", "__call__", InputError, ["infer MLP(x)[1]", "integer"], _predict, [1.0, BIG])
bad("train", "fit", InputError, ["fit(verbose)", "str"], _fit, verbose="yes")
bad("train", "fit", InputError, ["fit(verbose)", "int"], _fit, verbose=1)
bad("train", "fit", InputError, ["fit(progress_stream)", "int"], _fit, progress_stream=5)
bad("train", "fit", InputError, ["fit(progress_stream)", "str"], _fit, verbose=True, progress_stream="log.txt")
bad("train", "fit", InputError, ["fit(accuracy)", "str"], _fit, verbose=True, progress_stream=Sink(),
    accuracy=lambda predictions, targets: "all")


# -- the command lines --------------------------------------------------------------------------

for _arguments, _needles in ((["--bogus"], ["--bogus", "expected"]), (["show"], ["show", "expected"]),
                             (["show", "nosuch"], ["nosuch", "expected"]), (["list", "extra"], ["extra", "expected"]),
                             (["-x"], ["-x", "expected"]), (["show", "softmax", "b"], ["'b'", "expected"]),
                             (["bogus-command"], ["bogus-command", "expected"]),
                             (["show", "expression", "--svg"], ["--svg", "expected"]),
                             (["show", "expression", "--dot"], ["--dot", "expected"]),
                             (["show", "expression", "--svg", "README.md/graphs"], ["README.md", "expected"]),
                             (["show", "expression", "--svg", "a", "--svg", "b"], ["--svg", "twice", "expected"]),
                             (["show", "expression", "--png", "a"], ["--png", "expected"]),
                             (["show", "softmax", "--svg", "a"], ["--svg", "doc001-softmax", "expected"]),
                             (["--svg"], ["--svg", "expected"]),
                             (["tour"], ["tour", "expected"]), (["tour", "--html"], ["--html", "expected"]),
                             (["tour", "--html", "a", "b"], ["--html a b", "expected"]),
                             (["tour", "--svg", "a"], ["--svg", "expected"]),
                             (["tour", "--html", "README.md/page"], ["README.md", "expected"]),
                             (["pipeline", "--epochs", "x"], ["--epochs", "'x'", "expected"]),
                             (["pipeline", "--epochs", "0"], ["--epochs", "'0'", "expected"]),
                             (["pipeline", "--hidden", "1.5"], ["--hidden", "'1.5'", "expected"]),
                             (["pipeline", "--seed", "-1"], ["--seed", "'-1'", "expected"]),
                             (["pipeline", "--seed"], ["--seed", "expected"]),
                             (["pipeline", "--path", "nosuch"], ["--path", "'nosuch'", "expected"]),
                             (["pipeline", "--path", "dense", "--path", "scalar"], ["--path", "twice", "expected"]),
                             (["pipeline", "--bogus"], ["--bogus", "expected"]),
                             (["pipeline", "extra"], ["'extra'", "expected"]),
                             (["pipeline", "--out="], ["--out", "expected"]),
                             (["pipeline", "--out", "README.md/plots"], ["README.md", "expected"])):
    CLI.append(("refnet", "__main__", _arguments, _needles))
for _arguments, _needles in ((["--bogus"], ["--bogus"]), ([], ["--backend"]), (["--backend", "nosuch_module_x"],
                             ["nosuch_module_x"]), (["--backend", "refnet", "--timeout", "x"], ["--timeout"]),
                             (["--backend", "refnet", "--precision", "float16"], ["float16"]),
                             (["--backend", "refnet", "--fixtures", "/nonexistent/folder"], ["/nonexistent/folder"]),
                             (["--backend"], ["--backend"]), (["--backend", "refnet", "--backend", "numpy"],
                             ["--backend"]), (["--backend", "refnet", "--expectations", "/nonexistent/file"],
                             ["/nonexistent/file"])):
    CLI.append(("spec_tests", "__main__", _arguments, _needles))

# -- what takes nothing that could be wrong -----------------------------------------------------

NOTHING_TO_CHECK = {
    "value.Value.exp": "no argument", "value.Value.tanh": "no argument", "value.Value.sigmoid": "no argument",
    "value.Value.relu": "no argument", "value.Value.abs": "no argument",
    "value.Value.topological_order": "no argument", "value.Value.zero_grad": "no argument",
    "value.Value.release": "no argument",
    "prng.PRNG.next_u64": "no argument", "prng.PRNG.random": "no argument", "prng.PRNG.fork": "no argument",
    "prng.default_rng": "no argument", "data.xor": "no argument", "collector.paused": "no argument",
    "nn.Module": "no argument", "nn.numbers": "takes anything: it converts the Values it finds",
    "nn.Module.submodules": "no argument", "nn.Module.parameters": "no argument",
    "nn.Module.zero_grad": "no argument", "nn.Module.eval": "no argument", "nn.Module.named_values": "no argument",
    "nn.Module.state_dict": "no argument", "nn.Module.__call__": "abstract: raises NotImplementedError",
    "nn.Module.batch": "calls __call__ per example, checked there",
    "nn.Layer.submodules": "no argument", "nn.Layer.named_values": "no argument",
    "nn.MLP.submodules": "no argument", "nn.MLP.named_values": "no argument",
    "nn.Neuron.parameters": "no argument", "nn.Neuron.named_values": "no argument",
    "optim.Optimizer.step": "abstract: raises NotImplementedError", "optim.Optimizer.zero_grad": "no argument",
    "dense.Network.parameters": "no argument", "dense.compress": "itertools.compress, written out where it is missing",
    "functional.multiply": "operator.mul (a·b as a function, for map()), written out where it is missing",
    "softmax.log1p": "math.log1p, written out where it is missing", "train.History": "no argument",
    "schedules.Schedule": "abstract: no argument", "schedules.Schedule.__call__": "abstract",
    "micrograd.Module": "no argument", "micrograd.Module.zero_grad": "no argument",
    "micrograd.Module.parameters": "no argument", "micrograd.Neuron.parameters": "no argument",
    "micrograd.Layer.parameters": "no argument", "micrograd.MLP.parameters": "no argument",
}
for _name in dir(worked_examples):
    if (not _name.startswith("_") and callable(getattr(worked_examples, _name))
            and _name not in ("canonical", "title", "formulas", "graphs")):
        NOTHING_TO_CHECK["worked_examples." + _name] = "no argument: a document's worked example"
NOTHING_TO_CHECK.update({
    "draw.GraphTooLarge": "an exception class: takes a message",
    "backward_steps.Step.cells": "no argument", "backward_steps.BackwardSteps.table": "no argument",
    "backward_steps.BackwardSteps.gradients": "no argument",
    "progress.clock": "no argument",
    "pipeline.PipelineResult.report": "no argument",
    "pipeline.UsageError": "an exception class: takes a message",
    "pipeline.ReaderGone": "an exception class: takes no argument",
    "infer.Model": "built by infer.load from a file it has checked; its calls are checked (__call__)",
})
for _name in ("RefnetError", "InputError", "DomainError", "ShapeError"):
    NOTHING_TO_CHECK["errors." + _name] = "an exception class: takes a message"

MODULES = {"_checks": refnet._checks, "value": value, "functional": functional, "prng": prng, "nn": nn, "data": data,
           "losses": losses, "optim": optim, "dense": dense, "train": train, "gradcheck": gradcheck,
           "schedules": schedules,
           "metrics": metrics, "init": init, "worked_examples": worked_examples, "collector": collector,
           "errors": refnet.errors, "micrograd": micrograd, "draw": draw, "backward_steps": backward_steps,
           "plot": plot, "progress": progress, "pipeline": pipeline, "sources": sources, "tour_page": tour_page,
           "model_file": model_file, "saving": saving, "infer": infer, "adaptive_optim": adaptive_optim,
           "softmax": softmax, "regularization": regularization}


# Where each module's names come from, dependencies first: on MicroPython a function has no
# __module__, and the first of these modules that holds an object is the one defining it. A module
# whose names another loads on first use (softmax, regularization, adaptive_optim) comes before it.
DEFINITION_ORDER = ("_checks", "errors", "model_file", "infer", "saving", "collector", "softmax", "functional", "value", "draw",
                    "backward_steps", "prng", "init", "nn", "regularization", "losses", "metrics", "adaptive_optim",
                    "optim", "schedules", "data", "progress", "train", "gradcheck", "dense",
                    "plot", "pipeline", "worked_examples", "sources", "tour_page", "micrograd")


def defined_in(thing, short):
    """True when `thing`, found in the module `short`, is defined there (not imported)."""
    module_name = getattr(thing, "__module__", None)
    if module_name is not None:
        return module_name == MODULES[short].__name__
    for candidate in DEFINITION_ORDER:
        module = MODULES[candidate]
        if any(getattr(module, name) is thing for name in dir(module)):
            return candidate == short
    return False


def public_callables():
    """'module.name' and 'module.Class.method' for every public callable each module defines
    (the methods a class defines itself, and __call__ where it defines it)."""
    names = []
    for short, module in MODULES.items():
        if short == "_checks":
            continue  # the checks themselves: private
        for name in dir(module):
            thing = getattr(module, name)
            if name.startswith("_") or not callable(thing) or not defined_in(thing, short):
                continue
            names.append(short + "." + name)
            if isinstance(thing, type) and not issubclass(thing, BaseException):
                for method in sorted(getattr(thing, "__dict__", {})):
                    if method.startswith("_") and method != "__call__":
                        continue
                    own = getattr(thing, method)
                    if callable(own) and not isinstance(own, type):
                        names.append(short + "." + name + "." + method)
    return sorted(names)


def covered():
    """The names the catalogue has entries for: 'module.name' (a function or a class) and the
    method names entries call (matched against 'module.Class.method' by module and method)."""
    return set(module + "." + name for module, name, _, _, _, _, _ in CATALOGUE)


def is_covered(full_name, names):
    parts = full_name.split(".")
    if full_name in NOTHING_TO_CHECK or full_name in names:
        return True
    if len(parts) == 3:
        module, cls, method = parts
        if module + "." + method in names:
            return True
        if method == "__call__" and module + "." + cls in names:
            return True
        for base_name in ("Module",):
            if module + "." + base_name + "." + method in NOTHING_TO_CHECK:
                return True
    return False


def describe(error):
    return type(error).__name__ + ": " + str(error)


def check_entry(entry):
    """None when the entry raises its class with every needle and 'expected' in the message;
    otherwise what went wrong."""
    module, name, expected, needles, function, args, kwargs = entry
    try:
        result = function(*args, **kwargs)
        if type(result).__name__ == "generator":
            for _ in result:
                pass
    except RefnetError as error:
        message = str(error)
        if not isinstance(error, expected):
            return "raised " + describe(error) + "; expected " + expected.__name__
        missing = [needle for needle in needles + ["expected"] if needle not in message]
        if missing:
            return "message lacks " + repr(missing) + ": " + message
        return None
    except Exception as error:  # noqa: BLE001 - a bare exception is what the catalogue looks for
        return "bare " + describe(error)
    return "accepted silently (returned " + repr(result)[:60] + ")"


def counts_by_module():
    counts = {}
    for entry in CATALOGUE:
        counts[entry[0]] = counts.get(entry[0], 0) + 1
    for entry in CLI:
        key = "python -m " + entry[0]
        counts[key] = counts.get(key, 0) + 1
    return counts


def failures():
    found = []
    for entry in CATALOGUE:
        problem = check_entry(entry)
        if problem is not None:
            found.append(entry[0] + "." + entry[1] + " " + repr(entry[5])[:60] + " " + repr(entry[6])[:40] + ": "
                         + problem)
    return found


def test_the_catalogue_has_at_least_300_entries():
    assert len(CATALOGUE) + len(CLI) >= 300, len(CATALOGUE) + len(CLI)


def test_every_public_function_has_an_entry():
    names = covered()
    missing = [name for name in public_callables() if not is_covered(name, names)]
    assert not missing, "public callables without a bad-input entry: " + ", ".join(missing)


def test_every_bad_input_gets_a_clear_refnet_error():
    found = failures()
    assert not found, str(len(found)) + " of " + str(len(CATALOGUE)) + " bad inputs:\n" + "\n".join(found)


def processes():
    return need_processes()


def run_module(module, arguments, stdin=None):
    import os
    subprocess = processes()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    environment = dict(os.environ)
    environment["PYTHONPATH"] = root
    process = subprocess.run([sys.executable, "-m", module] + arguments, cwd=root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, universal_newlines=True, env=environment, timeout=120)
    return process.returncode, process.stdout, process.stderr


def test_every_bad_command_line_exits_2_with_one_line():
    processes()
    found = []
    for module, _, arguments, needles in CLI:
        status, _, stderr = run_module(module, arguments)
        lines = stderr.splitlines()
        if status != 2 or len(lines) != 1 or any(needle not in stderr for needle in needles):
            found.append("python -m " + module + " " + " ".join(arguments) + ": exit " + str(status) + ", stderr "
                         + repr(stderr[:300]))
    assert not found, "\n".join(found)


def test_python_m_refnet_help_list_show_and_a_closed_pipe():
    """--help prints the usage and exits 0 (not the examples); list names every example; show
    NAME prints that one only; the default prints them all; a reader that closes the pipe at
    once leaves no traceback."""
    subprocess = processes()
    from refnet import __main__ as command
    status, out, err = run_module("refnet", ["--help"])
    assert status == 0 and out.startswith("usage: python -m refnet") and err == "", (status, out, err)
    assert "source:" not in out
    status, out, err = run_module("refnet", ["list"])
    assert status == 0 and out.split() == command.NAMES and err == ""
    status, out, err = run_module("refnet", ["show", "softmax"])
    assert status == 0 and "softmax([2.0, 1.0, 0.1])" in out and "micrograd" not in out and err == ""
    status, out, err = run_module("refnet", [])
    assert status == 0 and all(title in out for title in ("(x + y)·z", "softmax(", "micrograd's README")), out
    import os
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    environment = dict(os.environ)
    environment["PYTHONPATH"] = root
    process = subprocess.Popen([sys.executable, "-m", "refnet"], cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment)
    process.stdout.close()  # the reader goes away before a byte is written
    err = process.stderr.read().decode("utf-8")
    process.stderr.close()
    assert process.wait(timeout=120) == 0 and err == "", err


def test_eps_0_is_a_valid_end_and_never_divides_by_zero():
    """ε = 0 is the closed end of the documented range (PyTorch accepts it too). √v + ε is 0 only
    while every gradient so far was 0, when the numerator is 0 as well: the parameter does not
    move. With a gradient g ≠ 0, Adam's first step is η·g/|g| (m̂ = g, v̂ = g², closed form)."""
    for cls in (optim.Adagrad, optim.RMSProp, optim.Adam):
        parameter = v(2.0)
        optimizer = cls([parameter], lr=0.5, eps=0.0)
        optimizer.step()  # grad 0
        assert parameter.data == 2.0, cls.__name__
    parameter = v(2.0)
    parameter.grad = -3.0
    optim.Adam([parameter], lr=0.5, eps=0.0).step()
    assert parameter.data == 2.5
    for name in ("adagrad", "rmsprop", "adam"):
        params = [[2.0]]
        dense.Optimizer(name, 0.5, eps=0.0).step(params, [[0.0]])
        assert params == [[2.0]], name


def test_counts_by_module_add_up():
    counts = counts_by_module()
    assert sum(counts.values()) == len(CATALOGUE) + len(CLI)
    for module in ("functional", "value", "prng", "nn", "data", "losses", "optim", "dense", "train", "gradcheck",
                   "schedules", "metrics", "init", "micrograd", "draw", "backward_steps", "plot", "progress",
                   "pipeline", "worked_examples", "sources", "tour_page", "python -m refnet", "python -m spec_tests"):
        assert counts.get(module, 0) > 0, module


if __name__ == "__main__":
    for key, count in sorted(counts_by_module().items()):
        print(key + ": " + str(count))
    print("total: " + str(len(CATALOGUE) + len(CLI)))
    for line in failures():
        print(line)
