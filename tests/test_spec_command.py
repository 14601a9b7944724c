"""Backends in any language over the line protocol (docs/backend-command.md), from both ends.

The suite's end, spec_tests/command_backend.py, is checked against fake backends: small Python
programs that answer through spec_tests.serve (so their results are right) and misbehave on
their 2nd request in one way each: crash, hang, garble, answer for another id, write extra
lines, exit at once, flood stderr. Each must fail that case clearly and the run must go on to
pass the next ones. The backend's end is checked twice: spec_tests.serve over refnet (and
NumPy) must give each case the status the adapter gives it directly, and the JavaScript
backend (spec_tests/backends/javascript/) must pass its four families.

Every test but the serve.Server ones starts processes: it is skipped where there are none
(Pyodide, MicroPython) and, for the JavaScript backend, where Node is missing.
"""

import json
import sys

import _support
from _support import need_module, raises, skip

from spec_tests import cases as case_files
from spec_tests import engine
from spec_tests.serve import Server

ROOT = case_files.default_directory() + "/.."
ALL_CASES = case_files.load_cases()
FOUR = ["graph.op.add", "graph.op.sub", "graph.op.mul", "graph.op.div"]
JAVASCRIPT_FAMILIES = ["graph", "activation", "loss", "dense"]

# A backend program: spec_tests.serve's Server over refnet, with one misbehaviour spliced in
# where {behaviour} stands (`request` is the request, `line` its line, `reply` the reply line).
# With arguments it is spec_tests.serve itself, runnable from any working directory.
FAKE = """import json, sys, time
sys.path.insert(0, {root!r})
from spec_tests.serve import Server, main
if sys.argv[1:]:
    sys.exit(main(sys.argv[1:]))
server = Server("refnet")
while True:
    line = sys.stdin.readline()
    if not line:
        break
    request = json.loads(line)
    reply = server.answer(line)
{behaviour}
    sys.stdout.write(reply + "\\n")
    sys.stdout.flush()
"""


def by_id(case_id):
    for item in ALL_CASES:
        if item["id"] == case_id:
            return item
    raise AssertionError("no case " + case_id)


def need_processes():
    """spec_tests.command_backend, or skip where processes cannot be started."""
    _support.need_processes()
    try:
        import threading  # noqa: F401 - only whether it imports
    except ImportError:
        skip("no threading module on " + sys.implementation.name)
    from spec_tests import command_backend

    return command_backend


def need_node():
    need_processes()
    import shutil

    node = shutil.which("node")
    if node is None:
        skip("node is not on PATH")
    return node


def quoted(*words):
    import shlex

    return " ".join(shlex.quote(word) for word in words)


def fake_program(behaviour, text=None):
    """The path of a fake backend program in a fresh temporary folder."""
    import os
    import tempfile

    path = os.path.join(tempfile.mkdtemp(), "fake_backend.py")
    with open(path, "w") as handle:
        handle.write(text if text is not None else FAKE.format(root=ROOT, behaviour=behaviour))
    return path


def serve_command(spec):
    """spec_tests.serve over `spec`, started from any working directory."""
    return quoted(sys.executable, fake_program(""), "--backend", spec)


def run_fake(behaviour, ids=FOUR, timeout=20.0, text=None):
    """(results, backend) of the cases `ids` run through a fake backend, closed afterwards."""
    command_backend = need_processes()
    backend = command_backend.CommandBackend(quoted(sys.executable, fake_program(behaviour, text)), timeout=timeout)
    try:
        return [engine.run_case(backend, by_id(case_id)) for case_id in ids], backend
    finally:
        backend.close()


def statuses(results):
    return [result.status for result in results]


def on_second(action):
    """A misbehaviour on the second case, graph.op.sub (in whichever process receives it)."""
    return "    if request['id'] == 'graph.op.sub':\n        " + action


# -- the suite's end: CommandBackend ---------------------------------------------------------------


def test_a_well_behaved_program_passes_and_runs_in_one_process():
    results, backend = run_fake("")
    assert statuses(results) == ["passed"] * 4, [r.message for r in results]
    assert backend.starts == 1 and backend.precision == "float64" and backend.device == ""
    assert backend.name == sys.executable.rsplit("/", 1)[-1]


def test_a_crash_fails_that_case_with_its_exit_status_and_stderr_then_a_fresh_process_runs():
    results, backend = run_fake(on_second('sys.stderr.write("fake: giving up on " + request["id"] + "\\n"); sys.exit(3)'))
    assert statuses(results) == ["passed", "failed", "passed", "passed"], [r.message for r in results]
    message = results[1].message
    assert "BrokenBackend" in message and "case graph.op.sub" in message, message
    assert "the program " + repr(backend.name) + " exited with status 3 before replying" in message, message
    assert "stderr: fake: giving up on graph.op.sub" in message, message
    assert backend.starts == 2


def test_a_hang_times_out_kills_the_program_and_the_next_case_gets_a_fresh_one():
    # 2 s: short, yet room for a fresh Python and refnet to start on a loaded machine (about 0.3 s here)
    results, backend = run_fake(on_second("time.sleep(600)"), timeout=2.0)
    assert statuses(results) == ["passed", "failed", "passed", "passed"], [r.message for r in results]
    assert "no reply within the timeout of 2 s; the program was killed" in results[1].message, results[1].message
    assert 2.0 <= results[1].seconds < 10.0, results[1].seconds
    assert backend.starts == 2


def test_malformed_replies_fail_that_case_and_restart_the_program():
    misbehaviours = [
        ('reply = "this is not JSON"', "malformed reply, not JSON", "'this is not JSON'"),
        ('reply = json.dumps({"id": "graph.elsewhere", "result": {}})', 'expected id "graph.op.sub", got "graph.elsewhere"',
         "replies come one a request, in order"),
        ('reply = json.dumps({"result": {}})', 'expected id "graph.op.sub", got no id', ""),
        ("reply = json.dumps([request['id']])", "expected a JSON object", ""),
        ('reply = json.dumps({"id": request["id"], "result": {}, "error": "x"})',
         'expected exactly one of "result", "unsupported", "error", got result, error', ""),
        ('reply = reply.replace("1.75", "NaN")', "bare NaN is not JSON", '"Infinity", "-Infinity" and "NaN"'),
        ('sys.stdout.write("debug: about to reply\\n")', "malformed reply, not JSON", "'debug: about to reply'"),
    ]
    for action, first, second in misbehaviours:
        results, backend = run_fake(on_second(action))
        assert statuses(results) == ["passed", "failed", "passed", "passed"], (action, [r.message for r in results])
        assert "case graph.op.sub: malformed" in results[1].message, results[1].message
        assert first in results[1].message and second in results[1].message, (action, results[1].message)
        assert backend.starts == 2, action


def test_an_extra_line_after_a_reply_fails_the_next_case_and_the_run_goes_on():
    results, backend = run_fake(on_second('reply = reply + "\\nextra output"'), ids=FOUR + ["graph.op.neg"])
    assert statuses(results) == ["passed", "passed", "failed", "passed", "passed"], [r.message for r in results]
    # read before the next request is sent, or read as its reply: either way that case fails, naming the line
    assert "case graph.op.mul: malformed" in results[2].message and "'extra output'" in results[2].message, \
        results[2].message
    assert backend.starts == 2


def test_a_program_that_exits_at_once_fails_every_case_without_hanging():
    results, backend = run_fake("", text="import sys\nsys.stderr.write('cannot start: no model\\n')\nsys.exit(0)\n")
    assert statuses(results) == ["failed"] * 4
    for result in results:
        assert "exited with status 0 before" in result.message, result.message
        assert "cannot start: no model" in result.message, result.message
    assert backend.starts == 4


def test_a_program_that_cannot_be_started_is_refused_before_any_case():
    command_backend = need_processes()
    error = raises(command_backend.CannotStart, command_backend.CommandBackend, "/nonexistent/refnet-backend --serve")
    assert "'/nonexistent/refnet-backend'" in str(error) and "no file" in str(error), str(error)
    assert command_backend.program_problem("refnet-no-such-program").endswith("found none named 'refnet-no-such-program'")
    assert command_backend.program_problem(sys.executable) == ""


def test_a_long_reason_or_message_is_cut_and_a_non_string_one_is_malformed():
    long_text = "x" * 50000
    results, _ = run_fake(
        on_second('reply = json.dumps({"id": request["id"], "unsupported": "' + long_text + '"})') + "\n"
        + "    if request['id'] == 'graph.op.mul':\n        reply = json.dumps({'id': request['id'], 'error': 'e' * 50000})")
    assert statuses(results) == ["passed", "unsupported", "failed", "passed"], [r.message[:100] for r in results]
    assert results[1].message == "x" * 2000 + "… (cut; 50000 characters in all)", results[1].message[-60:]
    assert len(results[2].message) < 2100 and results[2].message.endswith("(cut; 50000 characters in all)")
    results, _ = run_fake(
        on_second('reply = json.dumps({"id": request["id"], "unsupported": 3})') + "\n"
        + "    if request['id'] == 'graph.op.mul':\n        reply = json.dumps({'id': request['id'], 'error': None})")
    assert statuses(results) == ["passed", "failed", "failed", "passed"], [r.message for r in results]
    assert 'expected "unsupported" to be a string' in results[1].message, results[1].message
    assert 'expected "error" to be a string' in results[2].message, results[2].message


def test_a_flood_of_stderr_does_not_block_the_program():
    # 1 MB a request, far past a pipe's 64 KiB: undrained, the program would block forever
    results, backend = run_fake('    sys.stderr.write("x" * 1000000); sys.stderr.flush()', timeout=20.0)
    assert statuses(results) == ["passed"] * 4, [r.message for r in results]
    assert backend.starts == 1 and len(backend.last_stderr) == need_processes().STDERR_KEPT


def test_unsupported_and_error_replies_keep_the_program_running():
    results, backend = run_fake(
        on_second('reply = json.dumps({"id": request["id"], "unsupported": "not today"})') + "\n"
        + "    if request['id'] == 'graph.op.mul':\n        reply = json.dumps({'id': request['id'], 'error': 'fake: no can do'})",
        ids=FOUR + ["graph.error.log_zero"])
    assert statuses(results) == ["passed", "unsupported", "failed", "passed", "passed"], [r.message for r in results]
    assert results[1].message == "not today"
    assert results[2].message == "raised BackendError: fake: no can do", results[2].message
    assert results[4].message == "raised BackendError as expected"   # serve's own error reply: log 0
    assert backend.starts == 1


def test_a_crash_fails_even_a_case_that_expects_an_error():
    results, _ = run_fake("    sys.exit(5)", ids=["graph.error.log_zero", "graph.error.div_zero"])
    assert statuses(results) == ["failed", "failed"], [r.message for r in results]
    assert "exited with status 5" in results[0].message


def test_requests_carry_the_case_id_family_precision_and_input_with_non_finite_numbers_as_strings():
    echo = ("    if request['id'] == 'graph.synthetic.infinite_input':\n"
            "        reply = json.dumps({'id': request['id'], 'error': line.strip()})")
    synthetic = dict(by_id("graph.op.exp"), id="graph.synthetic.infinite_input")
    synthetic["input"] = {"inputs": [["a", float("-inf")]], "nodes": [{"name": "out", "op": "exp", "args": ["a"]}]}
    ALL_CASES.append(synthetic)
    try:
        results, _ = run_fake(echo, ids=["graph.op.add", "graph.synthetic.infinite_input"])
    finally:
        ALL_CASES.remove(synthetic)
    request = json.loads(results[1].message[len("raised BackendError: "):])
    assert request == {"id": "graph.synthetic.infinite_input", "family": "graph", "precision": "float64",
                       "input": {"inputs": [["a", "-Infinity"]], "nodes": [{"name": "out", "op": "exp", "args": ["a"]}]}}


def test_non_finite_numbers_in_a_reply_are_decoded():
    results, _ = run_fake("", ids=["graph.extreme.exp.plus1000"])   # expects +inf, sent back as "Infinity"
    assert statuses(results) == ["passed"], results[0].message


# -- the backend's end: spec_tests.serve -----------------------------------------------------------


def test_serve_server_answers_results_unsupported_and_errors_in_one_line_each():
    server = Server("refnet")
    reply = json.loads(server.answer(json.dumps({"id": "x", "family": "graph", "precision": "float64", "input": {
        "inputs": [["a", 1000.0]], "nodes": [{"name": "out", "op": "exp", "args": ["a"]}]}})))
    assert reply == {"id": "x", "result": {"values": ["Infinity"], "gradients": [1.0], "input_gradients": ["Infinity"]}}
    reply = json.loads(server.answer(json.dumps({"id": "y", "family": "graph", "input": {
        "inputs": [["a", 0.0]], "nodes": [{"name": "out", "op": "log", "args": ["a"]}]}})))
    assert reply["id"] == "y" and reply["error"].startswith("DomainError: ") and len(reply) == 2, reply
    reply = server.reply({"id": "z", "family": "no_such_family", "precision": "float64", "input": {}})
    assert reply == {"id": "z", "unsupported": "the backend has no 'no_such_family' method"}
    reply = server.reply({"id": "w", "family": "graph", "precision": "float32", "input": {}})
    assert reply["unsupported"].startswith("refnet cannot run in float32: "), reply
    assert json.loads(server.answer("{not json"))["id"] is None
    assert server.reply({"id": "v", "family": "graph"}) == {"id": "v", "error": "request: the field 'input' is missing"}


def test_serve_loads_one_adapter_per_requested_precision():
    need_module("numpy")
    server = Server("numpy")
    request = {"id": "a", "family": "activation", "input": {"name": "linear", "x": [0.1], "upstream": [1.0], "attrs": {}}}
    request["precision"] = "float32"
    assert server.reply(request)["result"]["y"] == [0.10000000149011612]   # 0.1 rounded to float32's 24 bits
    request["precision"] = "float64"
    assert server.reply(request)["result"]["y"] == [0.1]
    assert sorted(server.loaded) == ["float32", "float64"]


def same_statuses_through_serve(spec, precision):
    """Each case's status through `serve --backend spec` against the adapter run directly."""
    command_backend = need_processes()
    direct = engine.load_backend(spec, precision)
    served = command_backend.CommandBackend(serve_command(spec), precision=precision)
    try:
        differences = []
        for item in ALL_CASES:
            expected, actual = engine.run_case(direct, item), engine.run_case(served, item)
            if expected.status != actual.status:
                differences.append(item["id"] + ": " + expected.status + " directly, " + actual.status + " served ("
                                   + actual.message + ")")
    finally:
        served.close()
    assert not differences, "\n".join(differences)
    assert served.starts == 1


def test_serve_over_refnet_gives_every_case_the_status_refnet_gives_it():
    same_statuses_through_serve("refnet", "float64")


def test_serve_over_numpy_gives_every_case_the_status_numpy_gives_it_in_both_precisions():
    need_module("numpy")
    same_statuses_through_serve("numpy", "float64")
    same_statuses_through_serve("numpy", "float32")


def test_cli_backend_command_closing_line_equals_the_direct_run():
    need_processes()
    import subprocess

    def closing_line(arguments):
        process = subprocess.run([sys.executable, "-m", "spec_tests", "--quiet"] + arguments, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        return process.stdout.strip().split("\n")[-1]

    direct = closing_line(["--backend", "refnet"])
    assert direct.endswith(" passed, 0 failed, 0 unsupported"), direct
    assert closing_line(["--backend-command", serve_command("refnet")]) == direct


# -- a backend in another language: JavaScript -----------------------------------------------------


def run_javascript(precision):
    command_backend = need_processes()
    node = need_node()
    backend = command_backend.CommandBackend(quoted(node, ROOT + "/spec_tests/backends/javascript/backend.mjs"),
                                             precision=precision)
    try:
        return [engine.run_case(backend, item) for item in ALL_CASES], backend
    finally:
        backend.close()


def test_javascript_backend_passes_graph_activation_loss_and_dense_in_float64():
    results, backend = run_javascript("float64")
    ours = [r for r in results if r.case["family"] in JAVASCRIPT_FAMILIES]
    failed = [engine.describe_failure(r, "javascript", "float64") for r in ours if r.status != "passed"]
    assert ours and not failed, "\n".join(failed)
    for result in results:
        if result.case["family"] not in JAVASCRIPT_FAMILIES:
            assert result.status == "unsupported", result.id
            assert result.message.startswith("the JavaScript backend implements graph, activation, loss, dense;")
    assert backend.name == "node" and backend.starts == 1


def test_javascript_backend_in_float32_fails_nothing_and_declines_only_unrepresentable_inputs():
    results, backend = run_javascript("float32")
    ours = [r for r in results if r.case["family"] in JAVASCRIPT_FAMILIES]
    failed = [engine.describe_failure(r, "javascript", "float32") for r in ours if r.status == "failed"]
    assert not failed, "\n".join(failed)
    declined = [r for r in ours if r.status == "unsupported"]
    assert all(r.message.startswith("input not representable in float32") for r in declined), \
        [r.message for r in declined]
    assert len(declined) < len(ours) // 10, len(declined)
