"""The embedded budget's benchmark (benchmarks/embedded.py): its model file, its float path, its uses.

The figures themselves are the benchmark's output, never asserted here; these tests check that
what it measures is what it says: the shipped model is the one --write-model trains, infer and nn
give the same output, and every use runs to its end (XOR classified).
"""

import os
import sys

from _support import need_processes, skip

if sys.implementation.name == "micropython":
    skip("benchmarks/embedded.py drives MicroPython from the host (benchmarks/embedded_run.mjs)")

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHMARKS = os.path.join(os.path.dirname(HERE), "benchmarks")
if not os.path.exists(os.path.join(BENCHMARKS, "embedded.py")):
    skip("no benchmarks/ folder beside the tests")
sys.path.insert(0, BENCHMARKS)

import embedded  # noqa: E402

from refnet import infer, nn  # noqa: E402

MODEL = os.path.join(BENCHMARKS, embedded.MODEL_FILE)


def test_shipped_model_is_the_one_write_model_trains():
    import tempfile

    path = os.path.join(tempfile.mkdtemp(), "model.json")
    embedded.write_model(path)
    assert nn.load(path).state_dict() == nn.load(MODEL).state_dict(), "benchmarks/embedded_model.json is stale"


def test_float_inference_gives_refnets_output_exactly():
    expected = nn.load(MODEL)(embedded.INPUT)[0].data
    assert infer.load(MODEL)(embedded.INPUT) == [expected]


def test_every_use_runs_here_and_xor_is_classified():
    stages = {}
    for stage in embedded.LOCAL_STAGES:
        stages[stage] = embedded.measure_here(stage, BENCHMARKS)
        assert stages[stage]["heap"], stage
    training = stages["XOR training"]
    assert training["classified"] and 0 < training["steps"] < embedded.XOR_MAX_STEPS, training
    lines = embedded.report({"runtime": "test", "stages": stages})
    assert any("steps to classify all four" in line for line in lines), lines


def test_micropython_run_agrees_with_cpython():
    subprocess = need_processes()
    import json
    import shutil

    package = os.path.join(os.path.dirname(HERE), "tools", "micropython", "node_modules", "@micropython")
    if shutil.which("node") is None or not os.path.isdir(package):
        skip("node or the MicroPython npm package (tools/micropython) is not installed")
    done = subprocess.run(["node", os.path.join(BENCHMARKS, "embedded_run.mjs"), "--json", "inference",
                           "graph inference"], stdout=subprocess.PIPE, check=True, universal_newlines=True)
    stages = json.loads(done.stdout.strip().splitlines()[-1])["stages"]
    expected = nn.load(MODEL)(embedded.INPUT)[0].data
    assert abs(stages["inference"]["output"] - expected) <= 1e-12 * abs(expected), stages["inference"]
    assert stages["graph inference"]["output"] == stages["inference"]["output"]
    labels = [label for label, _ in stages["inference"]["heap"]]
    assert labels == ["model loaded", "inference"], labels
    assert all(size > 0 for _, size in stages["inference"]["heap"]), stages["inference"]["heap"]
