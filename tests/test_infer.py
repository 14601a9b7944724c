"""infer.load: a model file run on floats gives the model's own outputs bit for bit, and every file
nn.load refuses is refused too, naming the file and the field.

The models are built here with refnet's seeded generator (every activation, fused and per-op,
hidden layers of several sizes, a Layer and a Neuron with their own leaky slope) plus the golden
tests/model_file_v1.json; the inputs include zeros of both signs, large and tiny numbers.
"""

import json
import math
import os

from _support import raises

from refnet import infer, nn
from refnet.errors import InputError, ShapeError
from refnet.prng import PRNG

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
GOLDEN = HERE + "/model_file_v1.json"
SCRATCH = [0]
INPUTS = [[0.5, -0.25], [0.0, -0.0], [-0.0, -0.0], [3.0, 7.5], [-40.0, 12.0], [1e-300, -1e-300], [800.0, -900.0],
          [1e150, 1e150], [-2.5, 0.125], [1, -2]]


def scratch_file(name):
    """A path for a new file: under tempfile's folder where it exists, else /tmp (MicroPython)."""
    SCRATCH[0] += 1
    try:
        import tempfile
        folder = tempfile.mkdtemp(prefix="infer_")
    except ImportError:
        folder = "/tmp"
        try:
            os.mkdir(folder)
        except OSError:  # it exists already
            pass
    return folder + "/" + str(SCRATCH[0]) + "_" + name


def same_bits(a, b):
    """a and b are the same float: equal with the same sign of zero, or both nan."""
    if a != a or b != b:
        return a != a and b != b
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def floats(outputs):
    return [value.data for value in outputs] if isinstance(outputs, list) else outputs.data


def check_same(model, label):
    path = scratch_file(label + ".json")
    nn.save(model, path)
    predict = infer.load(path)
    model.eval()
    for x in INPUTS:
        expected = floats(model(x))
        got = predict(x)
        if isinstance(expected, list):
            assert isinstance(got, list) and len(got) == len(expected), (label, x, got, expected)
            pairs = list(zip(got, expected))
        else:
            pairs = [(got, expected)]
        for found, wanted in pairs:
            assert type(found) is float and same_bits(found, wanted), (label, x, got, expected)


def test_every_activation_fused_and_per_op_gives_the_models_floats_bit_for_bit():
    rng = PRNG(18)
    for activation in nn.ACTIVATIONS:
        for output_activation in nn.ACTIVATIONS:
            for fused in (True, False):
                model = nn.MLP(2, [5, 3, 2], activation=activation, output_activation=output_activation, rng=rng,
                               fused=fused)
                check_same(model, f"{activation}-{output_activation}-{fused}")


def test_models_of_other_shapes_and_a_dropout_model_in_evaluation_mode():
    rng = PRNG(3)
    check_same(nn.MLP(2, [1], activation="tanh", output_activation="sigmoid", rng=rng), "one-layer")
    check_same(nn.MLP(2, [16, 16, 1], rng=rng), "two-moons-shape")
    check_same(nn.MLP(2, [8, 8, 8, 3], activation="leaky_relu", output_activation="tanh", rng=rng), "deep")
    check_same(nn.MLP(2, [6, 2], activation="sigmoid", rng=rng, dropout=0.5), "dropout")


def test_a_layer_and_a_neuron_with_their_own_leaky_slope():
    rng = PRNG(5)
    for fused in (True, False):
        check_same(nn.Layer(2, 3, activation="leaky_relu", alpha=0.2, rng=rng, fused=fused), f"layer-{fused}")
        check_same(nn.Neuron(2, activation="leaky_relu", alpha=0.3, rng=rng, fused=fused), f"neuron-{fused}")
        check_same(nn.Neuron(2, activation="sigmoid", rng=rng, fused=fused), f"sigmoid-neuron-{fused}")
    assert type(infer.load(scratch_and_save(nn.Neuron(2, rng=rng)))([1.0, 2.0])) is float


def scratch_and_save(model):
    path = scratch_file("model.json")
    nn.save(model, path)
    return path


def test_the_golden_file_gives_nn_loads_outputs():
    predict = infer.load(GOLDEN)
    model = nn.load(GOLDEN)
    for x in INPUTS:
        got, expected = predict(x), floats(model(x))
        assert len(got) == 1 and same_bits(got[0], expected[0]), (x, got, expected)
    assert predict([1.0, 2.0]) == [-0.9333333083333334]
    assert repr(predict) == "infer.Model(MLP 2 → 2 → 1)"


def test_infers_activation_names_are_nns():
    assert infer.ACTIVATIONS == nn.ACTIVATIONS
    assert infer.MAX_SIZE == nn.MAX_SIZE


def golden_document():
    with open(GOLDEN) as handle:
        return json.load(handle)


def bad_documents():
    """(label, JSON text) of model files each wrong in one way: every field missing, of the wrong
    type or out of range, and every state entry missing, extra, misshapen or not finite."""
    cases = [("not json", "{"), ("a list", "[1, 2]"), ("empty", "")]
    replacements = {
        "format": ["other", None], "version": [2, True, "1"], "architecture": [None, [], {"class": "Dense"}],
        "state": [None, []],
    }
    arch = {"class": ["Neuron", "Layer", 5], "nin": [0, -1, True, 2.0, "2", 10 ** 400, 3, None],
            "nouts": [[], [2, 0], [2, True], "21", None, [2, 1, 1], [3, 1], [2, 10 ** 20]],
            "activation": ["nope", None, 1], "output_activation": ["softmax", None],
            "dropout": [1.0, -0.1, "0", True, None], "fused": ["yes", 1, None]}
    state = {"layers.0.weight": [None, [[0.5, -1.25]], [[0.5, -1.25], [0.1]], [[0.5, "a"], [0.1, 0.3]],
                                 [[0.5, True], [0.1, 0.3]], [[0.5, 10 ** 400], [0.1, 0.3]], [0.5, 0.1]],
             "layers.0.bias": [None, [0.25], [0.25, "x"], 0.25, [0.25, None]],
             "layers.1.weight": [[[2.0, -1.3]], [[2.0]], [[2.0, -1.3], [1.0, 1.0]], [["a", 1.0]]],
             "layers.1.bias": [[], [1.0, 2.0], [None]]}
    for field, values in replacements.items():
        for value in values:
            document = golden_document()
            document[field] = value
            cases.append((f"{field}={value!r}", json.dumps(document)))
        document = golden_document()
        del document[field]
        cases.append((f"no {field}", json.dumps(document)))
    for part, table in (("architecture", arch), ("state", state)):
        for field, values in table.items():
            for value in values:
                document = golden_document()
                document[part][field] = value
                cases.append((f"{part}.{field}={value!r}", json.dumps(document)))
            document = golden_document()
            del document[part][field]
            cases.append((f"no {part}.{field}", json.dumps(document)))
        document = golden_document()
        document[part]["extra"] = 1
        cases.append((f"extra {part} field", json.dumps(document)))
    text = json.dumps(golden_document())
    for word in ("0.5", "0.25"):
        for non_finite in ("NaN", "Infinity", "-Infinity", "1e999"):
            cases.append((f"{word} as {non_finite}", text.replace(word, non_finite, 1)))
    return cases


def test_infer_refuses_exactly_the_files_nn_load_refuses_naming_the_file():
    checked = refused = 0
    for label, text in bad_documents():
        path = scratch_file("bad.json")
        with open(path, "w") as handle:
            handle.write(text)
        try:
            nn.load(path)
            nn_refuses = False
        except InputError as error:
            nn_refuses = True
            assert path in str(error), (label, str(error))
        try:
            infer.load(path)
            infer_refuses = False
        except InputError as error:
            infer_refuses = True
            message = str(error)
            assert path in message and "expected" in message, (label, message)
        assert nn_refuses == infer_refuses, (label, "nn.load refuses" if nn_refuses else "infer.load refuses")
        checked += 1
        refused += infer_refuses
    assert refused >= 60 and checked - refused <= 6, (checked, refused)


def test_bad_paths_and_missing_files():
    error = raises(InputError, infer.load, None)
    assert "infer.load(path)" in str(error) and "NoneType" in str(error), str(error)
    error = raises(InputError, infer.load, "")
    assert "infer.load(path)" in str(error), str(error)
    error = raises(InputError, infer.load, "no-such-model.json")
    assert "infer.load(path): no file 'no-such-model.json'" in str(error), str(error)


def test_bad_inputs_to_a_loaded_model_say_what_was_expected():
    predict = infer.load(GOLDEN)
    error = raises(InputError, predict, None)
    assert "infer MLP" in str(error) and "NoneType" in str(error), str(error)
    error = raises(ShapeError, predict, [1.0, 2.0, 3.0])
    assert "expected an input of 2 values, got 3" in str(error), str(error)
    for given, shown in (("a", "str"), (True, "bool"), (10 ** 400, "integer"), (None, "NoneType")):
        error = raises(InputError, predict, [1.0, given])
        assert "infer MLP(x)[1]" in str(error) and shown in str(error), str(error)
    assert predict((1, 2)) == predict([1.0, 2.0])
