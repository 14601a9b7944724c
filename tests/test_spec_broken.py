"""The suite can fail: every deliberately broken backend in spec_tests/broken.py is rejected, in
float64 and float32, and by the cases written to catch its bug.

The broken backends are the NumPy adapter with one bug each, so this runs where NumPy is
installed (CI's CPython 3.11); elsewhere it returns early.
"""

from spec_tests import cases as case_files
from spec_tests import engine

# For each broken backend, cases that must catch it (others may too).
CAUGHT_BY = {
    "SigmoidSlopeOfNetInput": ["activation.sigmoid.basic", "dense.sigmoid", "network.doc003.exact"],
    "TanhSlopeOfNetInput": ["activation.tanh.basic", "graph.op.tanh", "network.doc002.tanh_softmax_l2"],
    "ReluSlopeOneAtZero": ["graph.kink.relu_at_zero", "dense.relu.kink", "network.relu_hinge"],
    "NoFanInAccumulation": ["graph.fanin.add_self", "graph.fanin.diamond", "graph.micrograd.readme"],
    "MaxTieToFirst": ["graph.kink.max_tie"],
    "NaiveSoftmax": ["activation.softmax.extreme", "loss.softmax_cross_entropy.extreme"],
    "MSEMeanOverBatchOnly": ["loss.mse.basic", "network.mse_two_outputs"],
    "CrossEntropySummedOverBatch": ["loss.softmax_cross_entropy.basic", "training.doc002.one_step"],
    "HingeActiveAtMargin": ["loss.multiclass_hinge.at_margin", "loss.binary_hinge.at_margin"],
    "WeightGradientTransposed": ["dense.doc004.matrix_form", "network.doc003.exact"],
    "BiasGradientAveraged": ["dense.linear", "network.doc002.tanh_softmax_l2"],
    "L2GradientMissingTwo": ["network.doc002.tanh_softmax_l2", "training.xor.adam"],
    "AdamBiasCorrectionOffByOne": ["optimizer.adam.large_lr_many_steps", "training.xor.adam"],
    "MomentumDampened": ["optimizer.sgd.momentum", "training.xor.sgd_momentum"],
    "RMSPropDecaySwapped": ["optimizer.rmsprop.basic", "training.blobs.rmsprop"],
    "PRNGSignedShift": ["prng.splitmix64.seed0.published", "init.glorot_shallow"],
    "BoxMullerSineBranch": ["prng.normal.seed11", "init.xavier_randn"],
}


def numpy_available():
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def failing_cases(backend, every_case):
    return [c["id"] for c in every_case if engine.run_case(backend, c).status == "failed"]


def test_there_are_at_least_twelve_broken_backends_each_with_its_catchers():
    if not numpy_available():
        return
    from spec_tests.broken import BROKEN

    assert len(BROKEN) >= 12
    assert sorted(cls.__name__ for cls in BROKEN) == sorted(CAUGHT_BY)
    for cls in BROKEN:
        assert cls.__doc__ and cls.__doc__.strip(), cls.__name__ + " has no description of its bug"


def test_every_broken_backend_is_rejected_by_the_cases_that_target_it():
    if not numpy_available():
        return
    from spec_tests.broken import BROKEN

    every_case = case_files.load_cases()
    ids = set(c["id"] for c in every_case)
    for cls in BROKEN:
        for precision in ("float64", "float32"):
            caught = failing_cases(cls(precision=precision), every_case)
            assert caught, cls.__name__ + " passes the whole suite in " + precision
            for case_id in CAUGHT_BY[cls.__name__]:
                assert case_id in ids, case_id
                assert case_id in caught, cls.__name__ + " (" + precision + ") is not caught by " + case_id


def test_the_unbroken_numpy_backend_passes():
    if not numpy_available():
        return
    from spec_tests.backends.numpy_backend import NumpyBackend

    every_case = case_files.load_cases()
    assert failing_cases(NumpyBackend(), every_case) == []
    assert failing_cases(NumpyBackend("float32"), every_case) == []
