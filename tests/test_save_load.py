"""nn.save / nn.load: a model as one JSON file, read back exactly, every bad file refused with where and why.

The golden file tests/model_file_v1.json was written by nn.save on CPython 3.11 from the
weights in GOLDEN_STATE below (chosen by hand: dyadic numbers, plus floats whose shortest text
is long, and a negative zero); its layout is the format documented in refnet/model_file.py.
"""

import math
import os
import sys

from _support import raises, skip
from _support import scratch_folder as shared_scratch_folder

from refnet import nn
from refnet.errors import InputError
from refnet.prng import PRNG, check_rng
from refnet.value import Value

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
GOLDEN = HERE + "/model_file_v1.json"
GOLDEN_STATE = {"layers.0.weight": [[0.5, -1.25], [0.1, 0.30000000000000004]], "layers.0.bias": [0.25, -0.0],
                "layers.1.weight": [[2.0, -1.3333333333333333]], "layers.1.bias": [2.5e-08]}


def scratch_folder():
    return shared_scratch_folder("save_load_")


def read(path):
    with open(path) as handle:
        return handle.read()


def write(path, text):
    with open(path, "w") as handle:
        handle.write(text)


def golden_model():
    model = nn.MLP(2, [2, 1], activation="relu", output_activation="linear", rng=PRNG(0))
    model.load_state_dict(GOLDEN_STATE)
    return model


def file_with(folder, replace_from, replace_to, name="edited.json"):
    """The golden file's text with one edit, written to `folder`; its path."""
    text = read(GOLDEN)
    assert replace_from in text, replace_from
    path = folder + "/" + name
    write(path, text.replace(replace_from, replace_to))
    return path


def outputs(model, points):
    return [[value.data for value in model(point)] for point in points]


def same_floats(a, b):
    """Equal bit for bit as far as Python can tell: equal values and equal zero signs, at any nesting."""
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same_floats(x, y) for x, y in zip(a, b))
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def test_a_trained_mlp_round_trips_bit_for_bit():
    from refnet import data, losses, optim, train
    rng = PRNG(7)
    points, labels = data.two_moons(40, noise=0.1, rng=rng)
    model = nn.MLP(2, [6, 5, 1], activation="tanh", output_activation="linear", rng=rng)
    train.fit(model, points, data.signed_labels(labels), losses.binary_hinge,
              optim.SGD(model.parameters(), lr=0.1), epochs=3, batch_size=8, rng=rng)
    path = scratch_folder() + "/trained.json"
    nn.save(model, path)
    loaded = nn.load(path)
    assert type(loaded) is nn.MLP and repr(loaded) == repr(model)
    assert same_floats([v for _, v in sorted(loaded.state_dict().items())],
                       [v for _, v in sorted(model.state_dict().items())])
    assert same_floats(outputs(loaded, points), outputs(model, points))
    into = nn.MLP(2, [6, 5, 1], activation="tanh", output_activation="linear", rng=PRNG(99))
    assert nn.load(path, into=into) is into
    assert same_floats(outputs(into, points), outputs(model, points))


def test_saving_the_golden_weights_writes_the_golden_file_byte_for_byte():
    path = scratch_folder() + "/golden.json"
    nn.save(golden_model(), path)
    written = read(path)
    if sys.implementation.name == "micropython" and written != read(GOLDEN):
        skip("MicroPython writes some floats with other digits than CPython (the same values)")
    assert written == read(GOLDEN)
    nn.save(golden_model(), path)  # same model, same bytes, also when replacing the file
    assert read(path) == written


def test_the_golden_file_written_by_cpython_loads_exactly_here():
    model = nn.load(GOLDEN)
    assert repr(model) == "MLP(2 → 2 → 1, activation='relu', output_activation='linear')"
    for name, expected in GOLDEN_STATE.items():
        assert same_floats(model.state_dict()[name], expected), name
    # y = W₂ relu(W₁x + b₁) + b₂ written out with plain floats, summed left to right as a neuron does
    for x in ([1.0, 2.0], [4.0, 1.0], [-3.0, 0.5]):
        h = [max(0.0, 0.5 * x[0] + -1.25 * x[1] + 0.25), max(0.0, 0.1 * x[0] + 0.30000000000000004 * x[1] + -0.0)]
        y = 2.0 * h[0] + -1.3333333333333333 * h[1] + 2.5e-08
        assert model(x)[0].data == y, (x, model(x)[0].data, y)


def test_a_neuron_a_layer_and_a_dropout_mlp_keep_every_setting():
    folder = scratch_folder()
    neuron = nn.Neuron(3, activation="leaky_relu", rng=PRNG(1), bias=0.5, fused=False, alpha=0.2)
    layer = nn.Layer(2, 3, activation="sigmoid", rng=PRNG(2), fused=False, alpha=0.3)
    mlp = nn.MLP(3, [4, 2], activation="leaky_relu", output_activation="tanh", rng=PRNG(3), dropout=0.25,
                 fused=False)
    for model, x in ((neuron, [-1.0, 2.0, 0.5]), (layer, [0.3, -0.7]), (mlp, [0.1, 0.2, -3.0])):
        path = folder + "/" + type(model).__name__ + ".json"
        nn.save(model, path)
        loaded = nn.load(path)
        assert nn.architecture(loaded) == nn.architecture(model), (nn.architecture(loaded), nn.architecture(model))
        model.eval()
        loaded.eval()
        expected = model(x)
        got = loaded(x)
        assert same_floats(got.data if isinstance(got, Value) else [v.data for v in got],
                           expected.data if isinstance(expected, Value) else [v.data for v in expected])
    assert nn.architecture(neuron) == {"class": "Neuron", "nin": 3, "activation": "leaky_relu", "alpha": 0.2,
                                       "fused": False}
    assert nn.architecture(mlp)["dropout"] == 0.25 and nn.architecture(mlp)["fused"] is False


def test_a_rebuilt_dropout_mlp_draws_from_the_given_generator_and_the_default_one_is_untouched():
    path = scratch_folder() + "/dropout.json"
    nn.save(nn.MLP(2, [8, 1], rng=PRNG(4), dropout=0.5), path)
    generator = PRNG(11)
    loaded = nn.load(path, rng=generator)
    assert all(dropout.rng is generator for dropout in loaded.dropouts)
    before = check_rng(None, "test").state
    nn.load(path)
    assert check_rng(None, "test").state == before  # rebuilding draws nothing from the default generator


def test_a_path_object_is_taken_by_its_text():
    class Where:
        def __init__(self, text):
            self.text = text

        def __fspath__(self):
            return self.text

    path = scratch_folder() + "/as_object.json"
    nn.save(golden_model(), Where(path))
    assert same_floats(nn.load(Where(path)).state_dict()["layers.1.weight"], GOLDEN_STATE["layers.1.weight"])


def test_loading_into_another_architecture_is_refused_naming_the_file_field_and_both_values():
    cases = [
        (nn.MLP(2, [3, 1], activation="relu", rng=PRNG(0)),
         "architecture.nouts: the model has [3, 1], the file has [2, 1]"),
        (nn.MLP(2, [2, 1], activation="tanh", rng=PRNG(0)),
         "architecture.activation: the model has 'tanh', the file has 'relu'"),
        (nn.MLP(2, [2, 1], output_activation="sigmoid", rng=PRNG(0)),
         "architecture.output_activation: the model has 'sigmoid', the file has 'linear'"),
        (nn.MLP(2, [2, 1], fused=False, rng=PRNG(0)), "architecture.fused: the model has False, the file has True"),
        (nn.MLP(2, [2, 1], dropout=0.5, rng=PRNG(0)), "architecture.dropout: the model has 0.5, the file has 0.0"),
        (nn.MLP(3, [2, 1], rng=PRNG(0)), "architecture.nin: the model has 3, the file has 2"),
        (nn.Layer(2, 2, rng=PRNG(0)), "architecture.class: the model has 'Layer', the file has 'MLP'"),
    ]
    for model, detail in cases:
        before = model.state_dict()
        message = str(raises(InputError, nn.load, GOLDEN, into=model))
        assert message.startswith(GOLDEN + ": the file is for another"), message
        assert detail in message, (detail, message)
        assert model.state_dict() == before  # nothing changed
    message = str(raises(InputError, nn.load, GOLDEN, into=nn.MLP(2, [5, 1], activation="tanh", rng=PRNG(0))))
    assert "architecture.nouts" in message and "architecture.activation" in message  # every difference at once


def test_a_file_that_is_not_a_model_file_is_refused_saying_what_is_wrong_in_it():
    folder = scratch_folder()
    cases = [
        (file_with(folder, '"format": "refnet-model"', '"format": "keras"', "format.json"),
         "format is 'keras'; expected 'refnet-model'"),
        (file_with(folder, '"version": 1,', '"version": 2,', "version.json"),
         "version is 2; this refnet reads model files of version 1 only"),
        (file_with(folder, '"version": 1,', '"version": true,', "version_true.json"), "version is True"),
        (file_with(folder, '"version": 1,', '"version": 1, "notes": "x",', "extra.json"),
         "unexpected ['notes']"),
        (file_with(folder, '"class": "MLP"', '"class": "CNN"', "class.json"),
         "architecture.class is 'CNN'; expected one of MLP, Layer, Neuron"),
        (file_with(folder, '"activation": "relu"', '"activation": "swish"', "activation.json"),
         "architecture: MLP(activation): unknown activation 'swish'"),
        (file_with(folder, '"dropout": 0.0,\n', '', "no_dropout.json"), "architecture: expected the fields"),
        (file_with(folder, '"layers.1.bias": [2.5e-08],\n', '', "missing.json"),
         "state: expected the fields layers.0.weight, layers.0.bias, layers.1.weight, layers.1.bias; "
         "missing ['layers.1.bias'], unexpected []"),
        (file_with(folder, '"layers.1.bias": [2.5e-08],', '"layers.1.bias": [2.5e-08], "layers.2.bias": [1.0],',
                   "unexpected.json"), "unexpected ['layers.2.bias']"),
        (file_with(folder, '[0.5, -1.25],', '[0.5, 1e999],', "inf.json"),
         "state['layers.0.weight'][0][1] is inf; expected a finite number"),
        (file_with(folder, '[0.5, -1.25],', '[0.5],', "short_row.json"),
         "state does not fit the architecture the file gives"),
    ]
    for path, detail in cases:
        message = str(raises(InputError, nn.load, path))
        assert message.startswith(path + ": "), message
        assert detail in message, (detail, message)
    write(folder + "/list.json", "[1, 2]")
    assert "expected a JSON object" in str(raises(InputError, nn.load, folder + "/list.json"))
    message = str(raises(InputError, nn.load, folder + "/absent.json"))
    assert message == "nn.load(path): no file '" + folder + "/absent.json'; expected a model file written by nn.save"


def test_a_cut_off_file_is_not_valid_json_located_by_line_and_column_where_the_json_module_tells():
    text = read(GOLDEN)
    path = scratch_folder() + "/cut.json"
    write(path, text[:text.index('"state"')])  # ends with the indent of line 13, after the architecture
    message = str(raises(InputError, nn.load, path))
    if sys.implementation.name == "micropython":  # its json says no more (and skips missing commas and colons)
        assert message == path + ": not valid JSON (syntax error in JSON); expected a model file written by nn.save"
    else:
        assert message.startswith(path + ": not valid JSON (line 13, column 3: "), message


def test_unsupported_models_and_arguments_are_refused():
    message = str(raises(InputError, nn.save, nn.Dropout(0.5), "never.json"))
    assert message.startswith("nn.save(model): expected an MLP, a Layer or a Neuron"), message
    assert "got Dropout" in message
    message = str(raises(InputError, nn.load, GOLDEN, into="model"))
    assert message.startswith("nn.load(into): expected an MLP, a Layer or a Neuron"), message
    assert "nn.save(path): expected a file name" in str(raises(InputError, nn.save, golden_model(), 3))
    assert "nn.load(rng)" in str(raises(InputError, nn.load, GOLDEN, rng=5))


def test_a_model_with_a_non_finite_weight_is_not_saved_and_an_older_file_stays_as_it_was():
    folder = scratch_folder()
    path = folder + "/model.json"
    nn.save(golden_model(), path)
    before = read(path)
    model = golden_model()
    model.layers[0].neurons[1].w[0].data = math.nan
    message = str(raises(InputError, nn.save, model, path))
    assert message.startswith("nn.save: state['layers.0.weight'][1][0] is nan; JSON has no nan or infinity"), message
    assert read(path) == before
    assert sorted(os.listdir(folder)) == ["model.json"]  # no partial file either


def test_a_failed_write_leaves_no_file_behind():
    folder = scratch_folder()
    os.mkdir(folder + "/taken")  # renaming a file onto a folder fails after the text is written
    message = str(raises(InputError, nn.save, golden_model(), folder + "/taken"))
    assert message.startswith("nn.save(path): could not write the model file '" + folder + "/taken' ("), message
    assert sorted(os.listdir(folder)) == ["taken"] and os.listdir(folder + "/taken") == []
    message = str(raises(InputError, nn.save, golden_model(), folder + "/absent/model.json"))
    assert "expected a writable file name in an existing folder" in message
    assert sorted(os.listdir(folder)) == ["taken"]
