"""The fixture files: valid against their schemas, rebuilt exactly by the generator, and covering
every worked number of the documents."""

import json
import sys

from spec_tests import cases as case_files

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
    try:
        import jsonschema
    except ImportError:
        return  # the plain runtimes have no jsonschema; CPython 3.11 under pytest runs this
    directory = case_files.default_directory()
    for path in case_files.fixture_files(directory):
        document = load(path)
        schema = load(directory + "/schemas/" + document["family"] + ".schema.json")
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
        assert not errors, path + ": " + errors[0].message


def test_schemas_reject_a_broken_case():
    try:
        import jsonschema
    except ImportError:
        return
    directory = case_files.default_directory()
    document = load(directory + "/loss.json")
    schema = load(directory + "/schemas/loss.schema.json")
    del document["cases"][0]["source"]
    document["cases"][1]["tolerance"]["float32"]["rtol"] = -1.0
    document["cases"][2]["expected"]["loss"] = "inf"
    assert len(list(jsonschema.Draft202012Validator(schema).iter_errors(document))) == 3


def test_generator_check_mode_finds_no_drift():
    try:
        import decimal  # noqa: F401 - MicroPython has no decimal: the generator runs on CPython
    except ImportError:
        return
    sys.path.insert(0, ROOT + "/tools")
    try:
        import build_fixtures
    finally:
        sys.path.remove(ROOT + "/tools")
    assert build_fixtures.main(["--check"]) == 0
