"""The suite can fail: every deliberately broken backend in spec_tests/broken.py is rejected, in
float64 and float32, and by the cases written to catch its bug.

The broken backends are the NumPy adapter with one bug each, so this runs where NumPy is
installed (CI's CPython 3.11); elsewhere each test is skipped.
"""

from _support import need_module
from spec_tests import cases as case_files
from spec_tests import engine
from spec_tests.protocol import HYPERPARAMETER_DEFAULTS

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
    "StepZeroAtZero": ["activation.step.kink"],
    "DenseLeakyAlphaIgnored": ["dense.leaky_relu.alpha", "network.leaky_hinge_two_outputs",
                               "training.leaky_multiclass_hinge.rmsprop"],
    "BinaryHingeMeanOverRows": ["loss.binary_hinge.batch", "network.leaky_hinge_two_outputs"],
    "MulticlassHingeMarginIgnored": ["loss.multiclass_hinge.margin", "loss.multiclass_hinge.at_margin_half",
                                     "training.leaky_multiclass_hinge.rmsprop"],
    "AdagradIgnoresEps": ["optimizer.adagrad.eps_dominates"],
    "AdagradEpsInsideRoot": ["optimizer.adagrad.eps_dominates"],
    "RMSPropIgnoresHyperparameters": ["optimizer.rmsprop.alpha_half", "optimizer.rmsprop.eps_dominates",
                                      "training.leaky_multiclass_hinge.rmsprop"],
    "RMSPropEpsInsideRoot": ["optimizer.rmsprop.eps_dominates", "training.leaky_multiclass_hinge.rmsprop"],
    "AdamEpsInsideRoot": ["optimizer.adam.eps_dominates"],
    "AdamEpsBeforeBiasCorrection": ["optimizer.adam.eps_dominates"],
    "UniformLastBit": ["prng.uniform.seed7", "prng.uniform.seed13", "init.glorot_deep"],
    "DropoutNotRescaled": ["dropout.p_half", "dropout.p_0.3", "dropout.p_0.8.wide"],
    "DropoutScaledByOneOverP": ["dropout.p_0.3", "dropout.p_0.8.wide", "dropout.p0.identity"],
    "ScheduleStepOffByOne": ["schedule.step.halving", "schedule.step.pytorch_docs", "schedule.step.every_step"],
    "CentralDifferenceOverEps": ["numeric_gradient.square.central_exact", "numeric_gradient.exp.large_eps",
                                 "numeric_gradient.doc002.sigmoid_neuron", "numeric_gradient.kink.relu_at_zero"],
    "RelativeErrorOverAnalyticOnly": ["numeric_gradient.exp.large_eps", "numeric_gradient.kink.relu_at_zero",
                                      "numeric_gradient.kink.abs_at_zero"],
    "BinaryCrossEntropyClamped": ["loss.binary_cross_entropy.tiny_float32"],
    "CrossEntropyClamped": ["loss.categorical_cross_entropy.tiny_probability",
                            "loss.sparse_categorical_cross_entropy.tiny_probability"],
    "BelowThroughFloats": ["prng.below.large_n"],
    "SeedModTwoToThe63": ["prng.splitmix64.seed_high"],
    "GlorotShallowRootOfReciprocal": ["init.glorot_shallow.fan_in3"],
    "AdamEpsSquaredInsideRoot": ["optimizer.adam.eps_comparable"],
    "LeakyReluDefaultAlphaPointTwo": ["activation.leaky_relu.default_alpha"],
    "MulticlassHingeDefaultMarginZero": ["loss.multiclass_hinge.default_margin"],
    "PowZeroToNegativeIsInfinity": ["graph.error.pow_zero_negative"],
}


def failing_cases(backend, every_case):
    return [c["id"] for c in every_case if engine.run_case(backend, c).status == "failed"]


def test_there_are_at_least_twenty_eight_broken_backends_each_with_its_catchers():
    need_module("numpy")
    from spec_tests.broken import BROKEN

    assert len(BROKEN) >= 28
    assert sorted(cls.__name__ for cls in BROKEN) == sorted(CAUGHT_BY)
    for cls in BROKEN:
        assert cls.__doc__ and cls.__doc__.strip(), cls.__name__ + " has no description of its bug"


def test_every_broken_backend_is_rejected_by_the_cases_that_target_it():
    need_module("numpy")
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
    need_module("numpy")
    from spec_tests.backends.numpy_backend import NumpyBackend

    every_case = case_files.load_cases()
    assert failing_cases(NumpyBackend(), every_case) == []
    assert failing_cases(NumpyBackend("float32"), every_case) == []


def _failing_by_family(backend_class, every_case):
    """{precision: set of families with at least one failed case} for a backend class."""
    found = {}
    for precision in ("float64", "float32"):
        backend = backend_class(precision=precision)
        found[precision] = set(c["family"] for c in every_case if engine.run_case(backend, c).status == "failed")
    return found


def test_every_optimizer_hyperparameter_is_visible_at_both_precisions():
    # a NumPy adapter that ignores one hyperparameter (uses its default, spec_tests/protocol.py)
    # must fail some optimizer case in float64 and in float32: no hyperparameter sits at its
    # default, or at a size float32 rounds away, in every case
    need_module("numpy")
    from spec_tests.backends import numpy_backend
    every_case = [c for c in case_files.load_cases() if c["family"] == "optimizer"]
    for optimizer, defaults in sorted(HYPERPARAMETER_DEFAULTS.items()):
        for key, default in sorted(defaults.items()):
            class IgnoresOne(numpy_backend.NumpyBackend):
                def optimizer_update(self, name, state, w, g, t, h, optimizer=optimizer, key=key, default=default):
                    if name == optimizer:
                        h = dict(h)
                        h[key] = default
                    return numpy_backend.NumpyBackend.optimizer_update(self, name, state, w, g, t, h)

            found = _failing_by_family(IgnoresOne, every_case)
            for precision in ("float64", "float32"):
                assert "optimizer" in found[precision], (optimizer + " ignoring " + key + " passes every optimizer case in "
                                                         + precision)


def test_leaky_relu_alpha_and_the_hinge_margin_are_visible_in_every_family_at_both_precisions():
    # leaky ReLU's alpha fixed at its default 0.01 must fail a case of every family that has
    # leaky ReLU; the multiclass hinge's margin fixed at 1 a loss and a training case
    need_module("numpy")
    from spec_tests.backends import numpy_backend
    base = numpy_backend.NumpyBackend

    class IgnoresAlpha(base):
        def activation_forward(self, name, z, alpha):
            return base.activation_forward(self, name, z, 0.01)

        def activation_slope(self, name, z, y, alpha):
            return base.activation_slope(self, name, z, y, 0.01)

    class IgnoresMargin(base):
        def loss_forward_backward(self, name, p, t, attrs):
            return base.loss_forward_backward(self, name, p, t, {})

    every_case = case_files.load_cases()
    for backend_class, families in ((IgnoresAlpha, ["graph", "activation", "dense", "network", "training"]),
                                    (IgnoresMargin, ["loss", "training"])):
        found = _failing_by_family(backend_class, every_case)
        for precision in ("float64", "float32"):
            for family in families:
                assert family in found[precision], backend_class.__name__ + " passes every " + family + " case in " + precision
