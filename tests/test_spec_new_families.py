"""The schedule, dropout and numeric_gradient families: their cases test what they claim
(boundaries, scales that differ, differences that tell one-sided, central and analytic apart),
and every adapter passes them at each precision it runs in."""

from _support import close, need_module

from spec_tests import cases as case_files
from spec_tests import engine

NEW_FAMILIES = ("schedule", "dropout", "numeric_gradient")


def new_cases(family=None):
    return [c for c in case_files.load_cases() if c["family"] in NEW_FAMILIES and (family is None or c["family"] == family)]


def outcomes(backend, cases):
    return {c["id"]: engine.run_case(backend, c).status for c in cases}


def test_each_new_family_has_cases_and_every_case_a_source():
    for family in NEW_FAMILIES:
        cases = new_cases(family)
        assert len(cases) >= 6, family
        for c in cases:
            assert c["source"], c["id"]


def test_step_schedules_are_checked_at_their_boundaries_and_past_them():
    # the first decay is at k = step_size: a case must look at step_size - 1, step_size and 2·step_size
    halving = [c for c in new_cases("schedule") if c["id"] == "schedule.step.halving"][0]
    size = halving["input"]["hyperparameters"]["step_size"]
    assert {0, size - 1, size, 2 * size}.issubset(set(halving["input"]["steps"]))
    for c in new_cases("schedule"):
        h, steps = c["input"]["hyperparameters"], c["input"]["steps"]
        if c["input"]["name"] == "linear":
            assert 0 in steps and h["steps"] in steps and max(steps) > h["steps"], c["id"]  # k = 0, K, past K
            assert close(c["expected"]["lr"][steps.index(h["steps"])], h["end"], rel=1e-15), c["id"]
        if c["input"]["name"] == "step":
            assert max(steps) >= 2 * h["step_size"], c["id"]


def test_dropout_cases_are_x_times_mask_over_keep_with_scales_1_over_p_cannot_fake():
    # closed form y = x·m/(1 − p), dx = upstream·m/(1 − p), recomputed in float64 from each case's input
    scales_tried = set()
    for c in new_cases("dropout"):
        given, expected = c["input"], c["expected"]
        if "error" in expected:
            assert given["p"] == 1.0, c["id"]
            continue
        keep = 1.0 - given["p"]
        scales_tried.add(given["p"])
        for name, source in (("y", "x"), ("dx", "upstream")):
            for row, values, mask in zip(expected[name], given[source], given["mask"]):
                for e, v, m in zip(row, values, mask):
                    assert close(e, v * m / keep, rel=1e-15), c["id"]
    assert 0.0 in scales_tried and any(p not in (0.0, 0.5) for p in scales_tried)  # 1/(1 − p) ≠ 1/p somewhere


def test_numeric_gradient_cases_tell_the_three_estimates_apart_at_both_precisions():
    # a case can fail: somewhere the one-sided and the central difference, and the central difference
    # and the analytic gradient, differ by more than the case's tolerance, in float64 and in float32
    for precision in ("float64", "float32"):
        one_sided_vs_central = central_vs_analytic = False
        for c in new_cases("numeric_gradient"):
            tol = c["tolerance"][precision]
            e = c["expected"]
            for o, m, a in zip(e["one_sided"], e["central"], e["analytic"]):
                one_sided_vs_central |= abs(o - m) > 2 * (tol["atol"] + tol["rtol"] * abs(m))
                central_vs_analytic |= abs(m - a) > 2 * (tol["atol"] + tol["rtol"] * abs(a))
        assert one_sided_vs_central and central_vs_analytic, precision


def test_numeric_gradient_kinks_follow_the_closed_forms():
    # relu at 0 with eps e: relu(e)/e = 1, (relu(e) - relu(-e))/(2e) = 1/2, relu'(0) = 0, relative error 1;
    # |x| at 0: 1, 0, 0, and relative_error(0, 0) = 0
    cases = {c["id"]: c["expected"] for c in new_cases("numeric_gradient")}
    assert cases["numeric_gradient.kink.relu_at_zero"] == {"one_sided": [1.0], "central": [0.5], "analytic": [0.0],
                                                          "relative_error": [1.0]}
    assert cases["numeric_gradient.kink.abs_at_zero"] == {"one_sided": [1.0], "central": [0.0], "analytic": [0.0],
                                                         "relative_error": [0.0]}
    square = cases["numeric_gradient.square.central_exact"]  # (x+e)^2: one-sided 2x + e, central 2x at x = 3, e = 1/8
    assert square == {"one_sided": [6.125], "central": [6.0], "analytic": [6.0], "relative_error": [0.0]}


def test_the_refnet_adapter_passes_every_new_case():
    from spec_tests.backends.refnet_backend import RefnetBackend

    results = outcomes(RefnetBackend(), new_cases())
    assert set(results.values()) == {"passed"}, results


def test_the_dense_adapter_passes_schedules_and_dropout_and_declines_graphs():
    from spec_tests.backends.refnet_dense_backend import RefnetDenseBackend

    for case_id, status in outcomes(RefnetDenseBackend(), new_cases()).items():
        wanted = "unsupported" if case_id.startswith("numeric_gradient.") else "passed"
        assert status == wanted, case_id + ": " + status


def test_the_numpy_adapter_passes_every_new_case_at_both_precisions():
    need_module("numpy")
    from spec_tests.backends.numpy_backend import NumpyBackend

    for precision in ("float64", "float32"):
        results = outcomes(NumpyBackend(precision), new_cases())
        assert set(results.values()) == {"passed"}, (precision, results)


def test_the_torch_adapter_passes_every_new_case_at_both_precisions():
    need_module("torch")
    from spec_tests.backends.torch_backend import TorchBackend

    for precision in ("float64", "float32"):
        results = outcomes(TorchBackend(precision), new_cases())
        assert set(results.values()) == {"passed"}, (precision, results)
