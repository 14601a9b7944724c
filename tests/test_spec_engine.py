"""The conformance engine: loading, comparing, statuses, expectations, and refnet passing every case."""

from _support import raises

from spec_tests import cases as case_files
from spec_tests import engine, expectations
from spec_tests.backends.refnet_backend import RefnetBackend
from spec_tests.compare import compare
from spec_tests.protocol import FAMILIES, Unsupported

ALL_CASES = case_files.load_cases()


def by_id(case_id):
    for item in ALL_CASES:
        if item["id"] == case_id:
            return item
    raise AssertionError("no case " + case_id)


def test_every_family_has_cases_with_unique_ids():
    ids = [item["id"] for item in ALL_CASES]
    assert len(ids) == len(set(ids))
    families = set(item["family"] for item in ALL_CASES)
    assert families == set(FAMILIES)
    for item in ALL_CASES:
        assert item["id"].startswith(item["family"] + ".")
        assert item["source"] and item["description"]


def test_refnet_backend_passes_every_case():
    backend = RefnetBackend()
    failed = [engine.describe_failure(r, "refnet", "") for r in (engine.run_case(backend, c) for c in ALL_CASES)
              if r.status != "passed"]
    assert not failed, "\n".join(failed)


def test_non_finite_values_are_decoded():
    expected = by_id("graph.extreme.exp.plus1000")["expected"]
    assert expected["values"][0] == float("inf") and expected["gradients"][0] == 1.0
    assert case_files.decode(["NaN"])[0] != case_files.decode(["NaN"])[0]


def test_compare_tolerance_rule_is_allclose():
    # |a − e| <= atol + rtol·|e|: 1 + 1e-6 against 1 passes at rtol 1e-6 and fails at 1e-7
    assert compare(1.0, 1.0 + 1e-6, 1e-6, 0.0) == []
    assert len(compare(1.0, 1.0 + 1e-6, 1e-7, 0.0)) == 1
    assert compare(0.0, 1e-9, 0.0, 1e-8) == []


def test_compare_non_finite_null_and_shapes():
    inf = float("inf")
    assert compare(inf, inf, 0.0, 0.0) == []
    assert len(compare(inf, -inf, 0.0, 0.0)) == 1
    assert len(compare(inf, 1e308, 1.0, 1.0)) == 1
    assert compare(float("nan"), float("nan"), 0.0, 0.0) == []
    assert compare([None, 2.0], [123.0, 2.0], 0.0, 0.0) == []
    mismatch = compare({"y": [[1.0, 2.0]]}, {"y": [[1.0]]}, 0.0, 0.0)[0]
    assert mismatch.path == "y[0]" and "expected 2 entries, got 1" in mismatch.reason
    assert compare({"a": 1.0}, {}, 0.0, 0.0)[0].reason == "missing"
    assert compare("0x00000000000000FF", "0x00000000000000FF", 0.0, 0.0) == []
    assert len(compare(3, 3.0, 0.0, 0.0)) == 1  # PRNG integers must come back as integers
    assert len(compare(1.0, True, 1.0, 1.0)) == 1  # a bool is not a number


def test_mismatch_reports_absolute_and_relative_error():
    mismatch = compare({"loss": 2.0}, {"loss": 2.5}, 0.0, 0.0)[0]
    assert mismatch.path == "loss" and mismatch.abs_error == 0.5 and mismatch.rel_error == 0.25
    assert "abs error 0.5" in mismatch.describe() and "rel error 0.25" in mismatch.describe()


class Partial:
    """A backend that knows one family, declines one case and gets another wrong."""

    name = "partial"
    precision = "float64"

    def supports(self, case_id):
        return case_id != "graph.op.exp"

    def graph(self, inputs, nodes):
        if nodes[-1]["op"] == "tanh":
            raise Unsupported("no tanh here")
        if nodes[-1]["op"] == "log" and inputs[0][1] <= 0:
            return {"values": [0.0], "gradients": [1.0], "input_gradients": [0.0]}
        return RefnetBackend().graph(inputs, nodes) if nodes[-1]["op"] != "add" else {
            "values": [0.0], "gradients": [1.0], "input_gradients": [1.0, 1.0]}


def test_statuses_unsupported_failed_and_error_cases():
    backend = Partial()
    assert engine.run_case(backend, by_id("loss.mse.basic")).status == "unsupported"  # no loss method
    assert engine.run_case(backend, by_id("graph.op.exp")).status == "unsupported"  # declined by supports()
    result = engine.run_case(backend, by_id("graph.op.tanh"))
    assert result.status == "unsupported" and result.message == "no tanh here"
    assert engine.run_case(backend, by_id("graph.op.mul")).status == "passed"
    wrong = engine.run_case(backend, by_id("graph.op.add"))
    assert wrong.status == "failed" and wrong.mismatches[0].path == "values[0]"
    silent = engine.run_case(backend, by_id("graph.error.log_negative"))
    assert silent.status == "failed" and "expected an error" in silent.message
    assert engine.run_case(RefnetBackend(), by_id("graph.error.log_negative")).status == "passed"


def test_failure_description_names_id_source_values_and_rerun_command():
    result = engine.run_case(Partial(), by_id("graph.op.add"))
    text = engine.describe_failure(result, "mypackage.backend:Partial", "float64")
    assert text.startswith("FAILED graph.op.add:")
    assert "source:" in text and "values[0]: expected 1.25, got 0.0" in text
    assert "python -m spec_tests --backend mypackage.backend:Partial --precision float64 --include graph.op.add" in text


def test_select_by_id_prefix_and_glob():
    ids = [c["id"] for c in case_files.select(ALL_CASES, ["graph.doc003.book"], [])]
    assert ids and all(i.startswith("graph.doc003.book.") for i in ids)
    assert [c["id"] for c in case_files.select(ALL_CASES, ["graph.doc003.book.deltaG"], [])] == ["graph.doc003.book.deltaG"]
    globbed = [c["id"] for c in case_files.select(ALL_CASES, ["*.extreme*"], ["graph.*"])]
    assert globbed and not any(i.startswith("graph.") for i in globbed) and all(".extreme" in i for i in globbed)
    assert not case_files.matches("graph.op", "graph.opx")


def test_expectations_turn_failures_into_known_failures_and_warn_on_unmatched():
    entries = expectations.parse("# comment\n\ngraph.op.add   this backend cannot add\nloss.nothing*  renamed long ago\n")
    assert entries == [("graph.op.add", "this backend cannot add"), ("loss.nothing*", "renamed long ago")]
    results = [engine.run_case(Partial(), by_id(i)) for i in ("graph.op.add", "graph.op.mul")]
    expectations.apply(results, entries + [("graph.op.mul", "listed but fine")])
    assert [r.status for r in results] == ["xfail", "xpass"] and results[0].reason == "this backend cannot add"
    assert expectations.unmatched(entries, [c["id"] for c in ALL_CASES]) == ["loss.nothing*"]
    error = raises(ValueError, expectations.parse, "graph.op.add\n", "known.txt")
    assert "known.txt, line 1" in str(error)


def test_load_backend_checks_precision():
    backend = engine.load_backend("refnet")
    assert backend.name == "refnet" and backend.precision == "float64"
    raises(ValueError, engine.load_backend, "refnet", "float32")
    raises(ValueError, engine.load_backend, "refnet", "float16")


def test_summary_counts_by_family():
    results = [engine.run_case(Partial(), by_id(i)) for i in ("graph.op.add", "graph.op.mul", "loss.mse.basic")]
    counts = engine.summary(results)
    assert counts["total"]["passed"] == 1 and counts["total"]["failed"] == 1 and counts["total"]["unsupported"] == 1
    assert counts["by_family"]["loss"]["unsupported"] == 1 and counts["by_family"]["graph"]["failed"] == 1


def test_refnet_dense_backend_passes_every_case_it_supports():
    from spec_tests.backends.refnet_dense_backend import RefnetDenseBackend

    backend = RefnetDenseBackend()
    results = [engine.run_case(backend, c) for c in ALL_CASES]
    failed = [engine.describe_failure(r, "refnet-dense", "") for r in results if r.status == "failed"]
    assert not failed, "\n".join(failed)
    unsupported = set(r.case["family"] for r in results if r.status == "unsupported")
    # only scalar expression graphs (graph, and numeric_gradient's), which the dense path has none of
    assert "graph" in unsupported and unsupported <= {"graph", "numeric_gradient"}, unsupported


class ProcessCrashed(Exception):
    """Like a backend process that crashed or hung: its class says the case fails whatever it expects."""

    always_fails = True


class Crashing:
    name = "crashing"
    precision = "float64"

    def graph(self, inputs, nodes):
        raise ProcessCrashed("the backend process exited with status 139")


def test_an_always_failing_exception_fails_even_an_error_case():
    error_case = by_id("graph.error.log_negative")
    result = engine.run_case(Crashing(), error_case)
    assert result.status == "failed" and "ProcessCrashed: the backend process exited with status 139" in result.message
    assert engine.run_case(Crashing(), by_id("graph.op.add")).status == "failed"
    assert engine.run_case(RefnetBackend(), error_case).status == "passed"  # an ordinary exception still passes it


def test_report_and_header_carry_device_name_and_notes_when_the_backend_has_them():
    backend = RefnetBackend()
    plain = engine.report([], backend, "refnet", "1.0.0", 0.0, [])["backend"]
    assert "device_name" not in plain and "notes" not in plain
    backend.device_name = "Example GPU"
    backend.notes = ["TF32 disabled"]
    described = engine.report([], backend, "refnet", "1.0.0", 0.0, [])["backend"]
    assert described["device_name"] == "Example GPU" and described["notes"] == ["TF32 disabled"]
    backend.device = "cuda:1"
    assert engine.describe_backend(backend, "refnet") == "refnet, float64, device cuda:1, Example GPU, TF32 disabled"


def test_backend_errors_name_the_backend_and_what_went_wrong():
    error = raises(engine.BackendError, engine.load_backend, "spec_tests.backends.refnet_backend:Missing")
    assert "--backend spec_tests.backends.refnet_backend:Missing" in str(error) and "'Missing'" in str(error)
    error = raises(engine.BackendError, engine.load_backend, "no_such_module_here")
    assert "importing no_such_module_here failed with" in str(error) and "\n" not in str(error)
    assert "jax" in engine.SHORT_NAMES and engine.SHORT_NAMES["jax"] == "spec_tests.backends.jax_backend"
    assert engine.rerun_command("--backend-command 'node b.mjs'", "", "loss.mse.basic") == \
        "python -m spec_tests --backend-command 'node b.mjs' --include loss.mse.basic"
    assert engine.shell_quote("node b.mjs") == "'node b.mjs'" and engine.shell_quote("it's") == "'it'\\''s'"
