"""The fixture files: valid against their schemas, rebuilt exactly by the generator, and covering
every worked number of the documents."""

import json
import struct
import sys

from _support import need_module
from spec_tests import cases as case_files
from spec_tests.protocol import HYPERPARAMETER_DEFAULTS

ROOT = case_files.default_directory() + "/.."
WORKED_NUMBERS = [
    # 002_22dd3b33c61b9037.txt
    "graph.doc002.expression.printed", "graph.doc002.sigmoid_neuron.gates", "graph.doc002.sigmoid_neuron.printed",
    "graph.doc002.sigmoid_neuron.fused", "graph.doc002.sigmoid_shortcut.printed", "graph.doc002.second_neuron",
    "loss.multiclass_hinge.doc002", "network.doc002.tanh_softmax_l2", "training.doc002.one_step",
    # 003_83fae8590fc0f361.txt: exact and the book's rounded arithmetic
    "network.doc003.exact", "network.doc003.xor_forward", "training.doc003.one_step", "graph.doc003.book.output",
    "graph.doc003.book.deltaG", "graph.doc003.book.dwGD", "graph.doc003.book.dwGE", "graph.doc003.book.dwGF",
    "graph.doc003.book.new_wGE",
    # 001_251e29975c1497b8.txt and 004_90774dc949aeae9c.txt
    "activation.softmax.doc001", "network.doc004.three_layer_mse", "dense.doc004.matrix_form",
    # micrograd's README
    "graph.micrograd.readme", "graph.micrograd.readme.printed",
]


def load(path):
    with open(path) as handle:
        return json.load(handle)


def test_every_worked_number_is_a_case_with_its_document():
    cases = {c["id"]: c for c in case_files.load_cases()}
    for case_id in WORKED_NUMBERS:
        assert case_id in cases, case_id
        document = case_id.split(".")[1]
        if document.startswith("doc"):
            assert document[3:] + "_" in cases[case_id]["source"], case_id


def test_printed_numbers_are_the_documents():
    cases = {c["id"]: c for c in case_files.load_cases()}
    # the numbers as printed in 003 (.0434, .391, .074, .434, -5.126) and 002 (-0.53, -0.53, -0.20, 0.20)
    book = [("deltaG", 0.0434), ("dwGD", 0.391), ("dwGE", 0.074), ("dwGF", 0.434), ("new_wGE", -5.126)]
    for name, value in book:
        assert value in cases["graph.doc003.book." + name]["expected"]["values"]
    gates = cases["graph.doc002.sigmoid_neuron.printed"]["expected"]["gradients"]
    assert gates[3:7] == [0.2, -0.2, -0.53, -0.53]  # the *-1, exp, +1 and 1/x gates' inputs
    readme = cases["graph.micrograd.readme.printed"]["expected"]
    assert readme["values"][-1] == 24.7041 and readme["input_gradients"] == [138.8338, 645.5773]


def test_fixtures_validate_against_their_schemas():
    jsonschema = need_module("jsonschema")  # the plain runtimes have none; CPython 3.11 under pytest runs this
    directory = case_files.default_directory()
    for path in case_files.fixture_files(directory):
        document = load(path)
        schema = load(directory + "/schemas/" + document["family"] + ".schema.json")
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
        assert not errors, path + ": " + errors[0].message


def test_schemas_reject_a_broken_case():
    jsonschema = need_module("jsonschema")
    directory = case_files.default_directory()
    document = load(directory + "/loss.json")
    schema = load(directory + "/schemas/loss.schema.json")
    del document["cases"][0]["source"]
    document["cases"][1]["tolerance"]["float32"]["rtol"] = -1.0
    document["cases"][2]["expected"]["loss"] = "inf"
    assert len(list(jsonschema.Draft202012Validator(schema).iter_errors(document))) == 3


def test_generator_check_mode_finds_no_drift():
    need_module("decimal")  # MicroPython has no decimal: the generator runs on CPython
    sys.path.insert(0, ROOT + "/tools")
    try:
        import build_fixtures
    finally:
        sys.path.remove(ROOT + "/tools")
    assert build_fixtures.main(["--check"]) == 0


def numbers_in(structure):
    if isinstance(structure, list):
        return [x for item in structure for x in numbers_in(item)]
    if isinstance(structure, dict):
        return [x for key in sorted(structure) for x in numbers_in(structure[key])]
    if isinstance(structure, float) or (isinstance(structure, int) and not isinstance(structure, bool)):
        return [float(structure)]
    return []


def exact_in_float32(x):
    return x != x or struct.unpack("<f", struct.pack("<f", x))[0] == x


def test_kink_cases_use_inputs_exact_in_float32():
    # a kink case must be checkable at both precisions: an input float32 rounds (1e-300 to 0)
    # would change the question, and the adapters would report the case unsupported
    for case in case_files.load_cases():
        if "kink" in case["flags"]:
            inexact = [x for x in numbers_in(case["input"]) if not exact_in_float32(x)]
            assert not inexact, case["id"] + ": inputs not exact in float32: " + repr(inexact)


def test_every_loss_is_checked_on_a_batch_of_several_rows_and_columns():
    # with n > 1 rows and more than one column the mean over rows, the mean over every element
    # and the sum are three different numbers: a reduction over the wrong axis cannot pass
    every_case = case_files.load_cases()
    names = set(c["input"]["name"] for c in every_case if c["family"] == "loss")
    for name in sorted(names):
        shapes = [(len(c["input"]["predictions"]), len(c["input"]["predictions"][0])) for c in every_case
                  if c["family"] == "loss" and c["input"]["name"] == name and "error" not in c["expected"]]
        assert any(rows > 1 and columns > 1 for rows, columns in shapes), name + ": only batches of shape " + repr(shapes)
    for family in ("dense", "network"):
        shapes = [(len(c["input"]["x"]), len(c["expected"]["y" if family == "dense" else "outputs"][0]))
                  for c in every_case if c["family"] == family]
        assert any(rows > 1 and columns > 1 for rows, columns in shapes), family


def test_every_hyperparameter_and_attr_is_moved_off_its_default_somewhere():
    every_case = case_files.load_cases()
    for optimizer, defaults in sorted(HYPERPARAMETER_DEFAULTS.items()):
        given = [c["input"]["hyperparameters"] for c in every_case
                 if c["family"] == "optimizer" and c["input"]["name"] == optimizer]
        for key, default in sorted(defaults.items()):
            assert given and all(key in h for h in given), optimizer + ": a case does not give " + key
            assert any(h[key] != default for h in given), optimizer + ": " + key + " is " + repr(default) + " in every case"
    alphas = {}
    for case in every_case:
        found = alphas.setdefault(case["family"], [])
        if case["family"] == "graph":
            found.extend(node["attrs"]["alpha"] for node in case["input"]["nodes"] if node["op"] == "leaky_relu")
        elif case["family"] in ("activation", "dense") and "alpha" in case["input"]["attrs"]:
            found.append(case["input"]["attrs"]["alpha"])
        elif case["family"] in ("network", "training"):
            found.extend(layer["alpha"] for layer in case["input"]["layers"] if "alpha" in layer)
    for family in ("graph", "activation", "dense", "network", "training"):
        assert any(alpha != 0.01 for alpha in alphas[family]), family + ": leaky_relu's alpha is never off 0.01"
    margins = [c["input"]["attrs"].get("margin", 1.0) for c in every_case
               if c["family"] == "loss" and c["input"]["name"] == "multiclass_hinge"]
    assert any(margin != 1.0 for margin in margins), "multiclass_hinge's margin is always 1"


def test_bit_exact_draws_compare_exactly_and_normals_say_why_they_do_not():
    # integers, random() and uniform() (and the initialisers built on them) are specified bit for
    # bit; only normals, which go through ln and cos, keep a tolerance of a few ulps
    for case in case_files.load_cases():
        if case["family"] not in ("prng", "init"):
            continue
        normal = case["input"].get("name") in ("xavier_randn", "he_normal") or any(
            draw["kind"] == "normal" for draw in case["input"].get("draws", []))
        tolerances = [case["tolerance"][p][key] for p in ("float64", "float32") for key in ("rtol", "atol")]
        if normal:
            assert 0.0 < max(tolerances) <= 1e-15, case["id"]
            assert "libm" in case.get("notes", "") and "bit-exact" not in case["flags"], case["id"]
        else:
            assert tolerances == [0.0] * 4 and "bit-exact" in case["flags"], case["id"]
