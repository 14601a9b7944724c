"""Deliberately broken backends: the proof that the suite can fail.

Each class is the NumPy adapter (spec_tests/backends/numpy_backend.py) with one realistic bug:
the mistakes people actually make when writing backpropagation by hand. Every one must be
rejected by the suite, and tests/test_spec_broken.py checks that it is and names the cases
that catch it. Try one:

    python -m spec_tests --backend spec_tests.broken:SigmoidSlopeOfNetInput

BROKEN lists them all, each with a one-line description of its bug.
"""

from typing import Any

import numpy as np

from spec_tests.backends.numpy_backend import NumpyBackend

class SigmoidSlopeOfNetInput(NumpyBackend):
    """σ′ computed from the net input, z(1 − z), instead of from the output, y(1 − y)."""

    def activation_slope(self, name: Any, z: Any, y: Any, alpha: Any) -> Any:
        if name == "sigmoid":
            return z * (self.scalar(1.0) - z)
        return NumpyBackend.activation_slope(self, name, z, y, alpha)


class TanhSlopeOfNetInput(NumpyBackend):
    """tanh′ as 1 − z² instead of 1 − tanh(z)²."""

    def activation_slope(self, name: Any, z: Any, y: Any, alpha: Any) -> Any:
        if name == "tanh":
            return self.scalar(1.0) - z * z
        return NumpyBackend.activation_slope(self, name, z, y, alpha)


class ReluSlopeOneAtZero(NumpyBackend):
    """ReLU′(0) = 1 (the test written z >= 0), where the convention is 0."""

    def activation_slope(self, name: Any, z: Any, y: Any, alpha: Any) -> Any:
        if name == "relu":
            return np.where(z >= 0, self.scalar(1.0), self.scalar(0.0))
        return NumpyBackend.activation_slope(self, name, z, y, alpha)


class NoFanInAccumulation(NumpyBackend):
    """A node used twice keeps only the last gradient: grads[name] = g instead of += g."""

    def accumulate(self, grads: Any, name: Any, g: Any) -> Any:
        grads[name] = g


class MaxTieToFirst(NumpyBackend):
    """The max gate sends the whole gradient to the first input at a tie (the convention splits it)."""

    def local_derivatives(self, op: Any, args: Any, value: Any, attrs: Any) -> Any:
        if op == "max" and args[0] == args[1]:
            return [self.scalar(1.0), self.scalar(0.0)]
        return NumpyBackend.local_derivatives(self, op, args, value, attrs)


class NaiveSoftmax(NumpyBackend):
    """softmax and log-softmax without subtracting the maximum: e^1000 overflows to nan."""

    def softmax(self, z: Any) -> Any:
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(z)
            return e / np.sum(e, axis=-1, keepdims=True)

    def log_softmax(self, z: Any) -> Any:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return np.log(self.softmax(z))


class MSEMeanOverBatchOnly(NumpyBackend):
    """MSE (and every loss averaged over elements) divided by the batch size n instead of the number
    of elements m: the mean taken over the wrong axis."""

    def element_count(self, p: Any) -> Any:
        return self.batch_size(p)


class CrossEntropySummedOverBatch(NumpyBackend):
    """Softmax cross-entropy summed over the batch instead of averaged."""

    def loss_softmax_cross_entropy(self, p: Any, t: Any, attrs: Any) -> Any:
        value, grad = NumpyBackend.loss_softmax_cross_entropy(self, p, t, attrs)
        n = self.batch_size(p)
        return value * n, grad * n


class HingeActiveAtMargin(NumpyBackend):
    """A hinge term exactly at its margin counted as active (max(0, x) with x >= 0 → slope 1)."""

    def loss_binary_hinge(self, p: Any, t: Any, attrs: Any) -> Any:
        m = self.element_count(p)
        margins = self.scalar(1.0) - t * p
        active = margins >= 0
        return np.sum(np.where(active, margins, 0)) / m, np.where(active, -t, 0) / m

    def loss_multiclass_hinge(self, p: Any, t: Any, attrs: Any) -> Any:
        n, rows = self.batch_size(p), np.arange(p.shape[0])
        terms = p - p[rows, t][:, None] + self.scalar(attrs.get("margin", 1.0))
        active = terms >= 0
        active[rows, t] = False
        grad = active.astype(self.dtype)
        grad[rows, t] = -np.sum(grad, axis=1)
        return np.sum(np.where(active, terms, 0)) / n, grad / n


class WeightGradientTransposed(NumpyBackend):
    """dW returned as Xᵀ·dZ (in × out, 004's layout) while the weights are stored out × in."""

    def dense_backward(self, w: Any, x: Any, dz: Any) -> Any:
        dx, dw, db = NumpyBackend.dense_backward(self, w, x, dz)
        return dx, dw.T, db


class BiasGradientAveraged(NumpyBackend):
    """db averaged over the batch instead of summed (the wrong reduction)."""

    def dense_backward(self, w: Any, x: Any, dz: Any) -> Any:
        dx, dw, db = NumpyBackend.dense_backward(self, w, x, dz)
        return dx, dw, db / self.scalar(x.shape[0])


class L2GradientMissingTwo(NumpyBackend):
    """The L2 term c·ΣW² with gradient c·W instead of 2c·W (002's code, applied to 002's formula)."""

    def l2_penalty(self, weights: Any, c: Any) -> Any:
        value, grads = NumpyBackend.l2_penalty(self, weights, c)
        return value, [g / self.scalar(2.0) for g in grads]


class AdamBiasCorrectionOffByOne(NumpyBackend):
    """Adam's bias correction with t counted from 0: 1 − β^(t+1) instead of 1 − βᵗ."""

    def adam_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        return NumpyBackend.adam_update(self, state, w, g, t + 1, h)


class MomentumDampened(NumpyBackend):
    """Momentum as an average, v ← ρv + (1 − ρ)g, instead of v ← ρv + g."""

    def sgd_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        rho = self.scalar(h.get("momentum", 0.0))
        v = rho * state.get("velocity", np.zeros_like(w)) + (self.scalar(1.0) - rho) * g
        state["velocity"] = v
        return w - self.scalar(h["lr"]) * v


class RMSPropDecaySwapped(NumpyBackend):
    """RMSProp's average with α and 1 − α swapped: s ← (1 − α)s + αg²."""

    def rmsprop_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        alpha = self.scalar(h.get("alpha", 0.99))
        one = self.scalar(1.0)
        s = (one - alpha) * state.get("square_avg", np.zeros_like(w)) + alpha * g * g
        state["square_avg"] = s
        return w - self.scalar(h["lr"]) * g / (np.sqrt(s) + self.scalar(h.get("eps", 1e-8)))


class PRNGSignedShift(NumpyBackend):
    """SplitMix64 on signed 64-bit integers: >> is an arithmetic shift, so the mixing differs."""

    def prng_next_u64(self, state: Any) -> Any:
        with np.errstate(over="ignore"):
            state = state + np.uint64(0x9E3779B97F4A7C15)
            z = state.astype(np.int64)
            z = (z ^ (z >> np.int64(30))).astype(np.uint64) * np.uint64(0xBF58476D1CE4E5B9)
            z = z.astype(np.int64)
            z = (z ^ (z >> np.int64(27))).astype(np.uint64) * np.uint64(0x94D049BB133111EB)
            z = z.astype(np.int64)
            return state, (z ^ (z >> np.int64(31))).astype(np.uint64)


class BoxMullerSineBranch(NumpyBackend):
    """Box–Muller's sine branch, √(−2 ln u₁)·sin(2π u₂), where refnet specifies the cosine."""

    def prng_normal(self, u1_raw: Any, u2_raw: Any, mean: Any, std: Any) -> Any:
        u1 = 1.0 - self.prng_unit(u1_raw)
        u2 = self.prng_unit(u2_raw)
        return np.float64(mean) + np.float64(std) * np.sqrt(-2.0 * np.log(u1)) * np.sin(2.0 * np.pi * u2)



class StepZeroAtZero(NumpyBackend):
    """step(0) = 0 (the test written z > 0), where the convention is step(0) = 1."""

    def activation_forward(self, name: Any, z: Any, alpha: Any) -> Any:
        if name == "step":
            return np.where(z > 0, self.scalar(1.0), self.scalar(0.0))
        return NumpyBackend.activation_forward(self, name, z, alpha)


class DenseLeakyAlphaIgnored(NumpyBackend):
    """Dense and network layers built without the given alpha: leaky ReLU keeps its default slope 0.01."""

    def dense(self, activation: Any, weight: Any, bias: Any, x: Any, upstream: Any, attrs: Any) -> Any:
        return NumpyBackend.dense(self, activation, weight, bias, x, upstream, {})

    def layers_from(self, specification: Any) -> Any:
        layers = NumpyBackend.layers_from(self, specification)
        for layer in layers:
            layer["alpha"] = 0.01
        return layers


class BinaryHingeMeanOverRows(NumpyBackend):
    """The binary hinge averaged over the rows (n) instead of over every element (m)."""

    def loss_binary_hinge(self, p: Any, t: Any, attrs: Any) -> Any:
        value, grad = NumpyBackend.loss_binary_hinge(self, p, t, attrs)
        scale = self.element_count(p) / self.batch_size(p)
        return value * scale, grad * scale


class MulticlassHingeMarginIgnored(NumpyBackend):
    """The multiclass hinge with the margin fixed at 1, whatever margin it is given."""

    def loss_multiclass_hinge(self, p: Any, t: Any, attrs: Any) -> Any:
        return NumpyBackend.loss_multiclass_hinge(self, p, t, {})


class AdagradIgnoresEps(NumpyBackend):
    """Adagrad with its default eps 1e-10, whatever eps it is given."""

    def adagrad_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        return NumpyBackend.adagrad_update(self, state, w, g, t, {"lr": h["lr"]})


class AdagradEpsInsideRoot(NumpyBackend):
    """Adagrad with eps inside the square root, g/√(G + ε), where the rule is g/(√G + ε)."""

    def adagrad_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        total = state.get("sum", np.zeros_like(w)) + g * g
        state["sum"] = total
        return w - self.scalar(h["lr"]) * g / np.sqrt(total + self.scalar(h["eps"]))


class RMSPropIgnoresHyperparameters(NumpyBackend):
    """RMSProp with its defaults alpha 0.99 and eps 1e-8, whatever alpha and eps it is given."""

    def rmsprop_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        return NumpyBackend.rmsprop_update(self, state, w, g, t, {"lr": h["lr"]})


class RMSPropEpsInsideRoot(NumpyBackend):
    """RMSProp with eps inside the square root, g/√(s + ε), where the rule is g/(√s + ε)."""

    def rmsprop_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        alpha = self.scalar(h["alpha"])
        s = alpha * state.get("square_avg", np.zeros_like(w)) + (self.scalar(1.0) - alpha) * g * g
        state["square_avg"] = s
        return w - self.scalar(h["lr"]) * g / np.sqrt(s + self.scalar(h["eps"]))


class AdamEpsInsideRoot(NumpyBackend):
    """Adam with eps inside the square root, m̂/√(v̂ + ε), where the rule is m̂/(√v̂ + ε)."""

    def adam_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        one = self.scalar(1.0)
        beta1, beta2 = self.scalar(h["beta1"]), self.scalar(h["beta2"])
        m, v = self.adam_moments(state, w, g, h)
        m_hat, v_hat = m / (one - beta1 ** t), v / (one - beta2 ** t)
        return w - self.scalar(h["lr"]) * m_hat / np.sqrt(v_hat + self.scalar(h["eps"]))


class AdamEpsBeforeBiasCorrection(NumpyBackend):
    """Adam in the paper's "efficient" order, η√(1 − β₂ᵗ)/(1 − β₁ᵗ)·m/(√v + ε): ε lands before the bias correction."""

    def adam_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        one = self.scalar(1.0)
        beta1, beta2 = self.scalar(h["beta1"]), self.scalar(h["beta2"])
        m, v = self.adam_moments(state, w, g, h)
        step_size = self.scalar(h["lr"]) * np.sqrt(one - beta2 ** t) / (one - beta1 ** t)
        return w - step_size * m / (np.sqrt(v) + self.scalar(h["eps"]))


class UniformLastBit(NumpyBackend):
    """uniform(a, b) as a(1 − u) + b·u: the same number in exact arithmetic, a different last bit in some draws."""

    def prng_uniform(self, r: Any, low: Any, high: Any) -> Any:
        return np.float64(low) * (1.0 - r) + np.float64(high) * r

class DropoutNotRescaled(NumpyBackend):
    """Dropout that zeroes the dropped units but leaves the survivors unscaled (no 1/(1 − p))."""

    def dropout_scale(self, p: Any) -> Any:
        return self.scalar(1.0)


class DropoutScaledByOneOverP(NumpyBackend):
    """Dropout's survivors scaled by 1/p (the drop probability) instead of 1/(1 − p) (the keep probability)."""

    def dropout_scale(self, p: Any) -> Any:
        with np.errstate(divide="ignore"):
            return self.scalar(1.0) / self.scalar(p)


class ScheduleStepOffByOne(NumpyBackend):
    """The step schedule decays one step early: ⌊(k + 1)/step_size⌋, the steps counted from 1."""

    def step_decays(self, k: Any, step_size: Any) -> Any:
        return (k + 1) // step_size


class CentralDifferenceOverEps(NumpyBackend):
    """The central difference divided by ε instead of 2ε."""

    def central_difference(self, f: Any, point: Any, i: Any, eps: Any) -> Any:
        return (f(self.moved(point, i, eps)) - f(self.moved(point, i, -eps))) / eps


class RelativeErrorOverAnalyticOnly(NumpyBackend):
    """The relative error divided by |analytic| alone instead of max(|analytic|, |numeric|) (0/0 at 0)."""

    def relative_errors(self, analytic: Any, numeric: Any) -> Any:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.abs(analytic - numeric) / np.abs(analytic)


class BinaryCrossEntropyClamped(NumpyBackend):
    """Binary cross-entropy with p clipped to [1e-7, 1 − 1e-7] (Keras's epsilon): a huge loss capped at 16.1."""

    def loss_binary_cross_entropy(self, p: Any, t: Any, attrs: Any) -> Any:
        clip = self.scalar(1e-7)
        return NumpyBackend.loss_binary_cross_entropy(self, np.clip(p, clip, self.scalar(1.0) - clip), t, attrs)


class CrossEntropyClamped(NumpyBackend):
    """Categorical and sparse categorical cross-entropy with p clipped to at least 1e-7 before the log."""

    def loss_categorical_cross_entropy(self, p: Any, t: Any, attrs: Any) -> Any:
        return NumpyBackend.loss_categorical_cross_entropy(self, np.maximum(p, self.scalar(1e-7)), t, attrs)

    def loss_sparse_categorical_cross_entropy(self, p: Any, t: Any, attrs: Any) -> Any:
        return NumpyBackend.loss_sparse_categorical_cross_entropy(self, np.maximum(p, self.scalar(1e-7)), t, attrs)


class BelowThroughFloats(NumpyBackend):
    """below(n) as ⌊random()·n⌋ in floats instead of the 128-bit product (u·n) >> 64: wrong for large n."""

    def prng_below(self, u: Any, n: int) -> int:
        return int(float(self.prng_unit(u)) * n)


class SeedModTwoToThe63(NumpyBackend):
    """The seed reduced modulo 2⁶³ (a signed 64-bit integer with its sign bit masked) instead of 2⁶⁴."""

    def prng_outputs(self, seed: Any, count: Any) -> Any:
        return NumpyBackend.prng_outputs(self, int(seed) % (1 << 63), count)


class GlorotShallowRootOfReciprocal(NumpyBackend):
    """glorot_shallow's limit as √(1/n) instead of 1/√n: the same number but for the last bit."""

    def init_limit(self, name: Any, fan_in: Any, fan_out: Any) -> Any:
        if name == "glorot_shallow":
            return float(np.sqrt(1.0 / fan_in))
        return NumpyBackend.init_limit(self, name, fan_in, fan_out)


class AdamEpsSquaredInsideRoot(NumpyBackend):
    """Adam's step m̂/√(v̂ + ε²) (a "safe" square root) instead of m̂/(√v̂ + ε)."""

    def adam_update(self, state: Any, w: Any, g: Any, t: Any, h: Any) -> Any:
        one = self.scalar(1.0)
        beta1, beta2, eps = self.scalar(h["beta1"]), self.scalar(h["beta2"]), self.scalar(h["eps"])
        m, v = self.adam_moments(state, w, g, h)
        m_hat, v_hat = m / (one - beta1 ** t), v / (one - beta2 ** t)
        return w - self.scalar(h["lr"]) * m_hat / np.sqrt(v_hat + eps * eps)


class LeakyReluDefaultAlphaPointTwo(NumpyBackend):
    """Leaky ReLU's α defaulting to 0.2 (TensorFlow's) where a case gives none, instead of the protocol's 0.01."""

    def activation(self, name: Any, x: Any, upstream: Any, attrs: Any) -> Any:
        return NumpyBackend.activation(self, name, x, upstream, dict({"alpha": 0.2}, **attrs))


class MulticlassHingeDefaultMarginZero(NumpyBackend):
    """The multiclass hinge's margin defaulting to 0 where a case gives none, instead of 1."""

    def loss_multiclass_hinge(self, p: Any, t: Any, attrs: Any) -> Any:
        return NumpyBackend.loss_multiclass_hinge(self, p, t, dict({"margin": 0.0}, **attrs))


class PowZeroToNegativeIsInfinity(NumpyBackend):
    """0 to a negative power returns +inf (IEEE 754's pow) where the protocol asks for a domain error."""

    def op_value(self, op: Any, args: Any, attrs: Any) -> Any:
        if op == "pow" and float(args[0]) == 0.0 and float(args[1]) < 0.0:
            return self.scalar(np.inf)
        return NumpyBackend.op_value(self, op, args, attrs)


BROKEN = [SigmoidSlopeOfNetInput, TanhSlopeOfNetInput, ReluSlopeOneAtZero, NoFanInAccumulation, MaxTieToFirst,
          NaiveSoftmax, MSEMeanOverBatchOnly, CrossEntropySummedOverBatch, HingeActiveAtMargin,
          WeightGradientTransposed, BiasGradientAveraged, L2GradientMissingTwo, AdamBiasCorrectionOffByOne,
          MomentumDampened, RMSPropDecaySwapped, PRNGSignedShift, BoxMullerSineBranch,
          StepZeroAtZero, DenseLeakyAlphaIgnored, BinaryHingeMeanOverRows, MulticlassHingeMarginIgnored,
          AdagradIgnoresEps, AdagradEpsInsideRoot, RMSPropIgnoresHyperparameters, RMSPropEpsInsideRoot, AdamEpsInsideRoot,
          AdamEpsBeforeBiasCorrection, UniformLastBit,
          DropoutNotRescaled, DropoutScaledByOneOverP, ScheduleStepOffByOne, CentralDifferenceOverEps,
          RelativeErrorOverAnalyticOnly,
          BinaryCrossEntropyClamped, CrossEntropyClamped, BelowThroughFloats, SeedModTwoToThe63,
          GlorotShallowRootOfReciprocal, AdamEpsSquaredInsideRoot, LeakyReluDefaultAlphaPointTwo,
          MulticlassHingeDefaultMarginZero, PowZeroToNegativeIsInfinity]

for _broken in BROKEN:
    _broken.name = "broken:" + _broken.__name__
