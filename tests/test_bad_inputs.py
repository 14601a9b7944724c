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
from refnet import (data, dense, functional, gradcheck, init, losses, metrics, nn, optim, prng,
                    schedules, train, value, worked_examples, collector)
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
for _name in ("softmax", "log_softmax", "logsumexp", "largest_index"):
    not_lists("functional", _name, _name + "(values)", getattr(functional, _name))
not_lists("functional", "softmax_jvp", "softmax_jvp(probabilities)", functional.softmax_jvp, after=([1.0],))
not_lists("functional", "softmax_jvp", "softmax_jvp(vector)", functional.softmax_jvp, before=([1.0],))
bad("functional", "softmax_jvp", ShapeError, ["softmax_jvp", "2", "1"], functional.softmax_jvp, [0.5, 0.5], [1.0])
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
bad("nn", "softmax", InputError, ["softmax(logits)", "NoneType"], nn.softmax, None)
bad("nn", "softmax", ShapeError, ["softmax(logits)", "empty"], nn.softmax, [])
bad("nn", "softmax", InputError, ["softmax(logits)", "float"], nn.softmax, [1.0, v()])

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
bad("losses", "l2_regularization", InputError, ["l2_regularization(strength)", "-1.0"], losses.l2_regularization,
    [v()], -1.0)
bad("losses", "l2_regularization", InputError, ["l2_regularization(strength)", "str"], losses.l2_regularization,
    [v()], "a")
bad("losses", "l2_regularization", InputError, ["l2_regularization(strength)", "inf"], losses.l2_regularization,
    [v()], INF)
bad("losses", "l2_regularization", InputError, ["l2_regularization(parameters)", "empty"], losses.l2_regularization,
    [], 0.1)
bad("losses", "l2_regularization", InputError, ["l2_regularization(parameters)", "str"],
    losses.l2_regularization, ["a"], 0.1)
bad("losses", "l2_regularization", InputError, ["l2_regularization(parameters)", "NoneType"],
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
    bad("optim", _n, InputError, [_n + "(params)", "empty"], _cls, [])
    bad("optim", _n, InputError, [_n + "(params)", "NoneType"], _cls, None)
    bad("optim", _n, InputError, [_n + "(params)", "float"], _cls, [1.0])
    bad("optim", _n, InputError, [_n + "(params)", "twice"], _cls, [v(), v()][:1] * 2)
    bad("optim", _n, InputError, [_n + "(lr)", "str"], _cls, [v()], "a")
    bad("optim", _n, InputError, [_n + "(lr)", "-0.1"], _cls, [v()], -0.1)
    bad("optim", _n, InputError, [_n + "(lr)", "nan"], _cls, [v()], NAN)
    bad("optim", _n, InputError, [_n + "(lr)", "integer"], _cls, [v()], BIG)
    if _cls is not optim.SGD:
        bad("optim", _n, InputError, [_n + "(eps)", "nan"], _cls, [v()], eps=NAN)
        bad("optim", _n, InputError, [_n + "(eps)", "-1"], _cls, [v()], eps=-1e-8)
        bad("optim", _n, InputError, [_n + "(eps)", "str"], _cls, [v()], eps="a")
    _optimizer = _cls([v()])
    _optimizer.lr = "a"
    bad("optim", "step", InputError, [_n + ".lr", "str"], _optimizer.step)
bad("optim", "SGD", InputError, ["SGD(momentum)", "1.5"], optim.SGD, [v()], momentum=1.5)
bad("optim", "SGD", InputError, ["SGD(momentum)", "str"], optim.SGD, [v()], momentum="a")
bad("optim", "RMSProp", InputError, ["RMSProp(alpha)", "1.5"], optim.RMSProp, [v()], alpha=1.5)
bad("optim", "RMSProp", InputError, ["RMSProp(alpha)", "str"], optim.RMSProp, [v()], alpha="a")
bad("optim", "Adam", InputError, ["Adam(betas)", "str"], optim.Adam, [v()], betas="ab")
bad("optim", "Adam", InputError, ["Adam(betas[0])", "1.0"], optim.Adam, [v()], betas=(1.0, 0.999))
bad("optim", "Adam", InputError, ["Adam(betas[1])", "-0.1"], optim.Adam, [v()], betas=(0.9, -0.1))
bad("optim", "Adam", InputError, ["Adam(betas)", "tuple"], optim.Adam, [v()], betas=(0.9, 0.9, 0.9))
bad("optim", "Adam", InputError, ["Adam(betas)", "NoneType"], optim.Adam, [v()], betas=None)
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

# -- the command lines --------------------------------------------------------------------------

for _arguments, _needles in ((["--bogus"], ["--bogus", "expected"]), (["show"], ["show", "expected"]),
                             (["show", "nosuch"], ["nosuch", "expected"]), (["list", "extra"], ["extra", "expected"]),
                             (["-x"], ["-x", "expected"]), (["show", "softmax", "b"], ["'b'", "expected"]),
                             (["bogus-command"], ["bogus-command", "expected"])):
    CLI.append(("refnet", "__main__", _arguments, _needles))
for _arguments, _needles in ((["--bogus"], ["--bogus"]), ([], ["--backend"]), (["--backend", "nosuch_module_x"],
                             ["nosuch_module_x"]), (["--backend", "refnet", "--timeout", "x"], ["--timeout"]),
                             (["--backend", "refnet", "--precision", "float16"], ["float16"]),
                             (["--backend", "refnet", "--fixtures", "/nonexistent/folder"], ["/nonexistent/folder"]),
                             (["--backend"], ["--backend"]), (["--backend", "refnet", "--backend", "numpy"],
                             ["--backend"]), (["--backend", "refnet", "--expectations", "/nonexistent/file"],
                             ["/nonexistent/file"])):
    CLI.append(("spec_tests", "__main__", _arguments, _needles))

# -- what takes nothing that could be wrong --------------------------------------------------------

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
    "functional.log1p": "math.log1p, written out where it is missing", "train.History": "no argument",
    "schedules.Schedule": "abstract: no argument", "schedules.Schedule.__call__": "abstract",
    "micrograd.Module": "no argument", "micrograd.Module.zero_grad": "no argument",
    "micrograd.Module.parameters": "no argument", "micrograd.Neuron.parameters": "no argument",
    "micrograd.Layer.parameters": "no argument", "micrograd.MLP.parameters": "no argument",
}
for _name in dir(worked_examples):
    if not _name.startswith("_") and callable(getattr(worked_examples, _name)):
        NOTHING_TO_CHECK["worked_examples." + _name] = "no argument: a document's worked example"
for _name in ("RefnetError", "InputError", "DomainError", "ShapeError"):
    NOTHING_TO_CHECK["errors." + _name] = "an exception class: takes a message"

MODULES = {"_checks": refnet._checks, "value": value, "functional": functional, "prng": prng, "nn": nn, "data": data,
           "losses": losses, "optim": optim, "dense": dense, "train": train, "gradcheck": gradcheck,
           "schedules": schedules,
           "metrics": metrics, "init": init, "worked_examples": worked_examples, "collector": collector,
           "errors": refnet.errors, "micrograd": micrograd}


# Where each module's names come from, dependencies first: on MicroPython a function has no
# __module__, and the first of these modules that holds an object is the one defining it.
DEFINITION_ORDER = ("_checks", "errors", "collector", "functional", "value", "prng", "init", "nn", "losses", "metrics",
                    "optim", "schedules", "data", "train", "gradcheck", "dense", "worked_examples", "micrograd")


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
                   "schedules", "metrics", "init", "micrograd", "python -m refnet", "python -m spec_tests"):
        assert counts.get(module, 0) > 0, module


if __name__ == "__main__":
    for key, count in sorted(counts_by_module().items()):
        print(key + ": " + str(count))
    print("total: " + str(len(CATALOGUE) + len(CLI)))
    for line in failures():
        print(line)
