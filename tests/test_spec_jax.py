"""The JAX adapter (spec_tests/backends/jax_backend.py): every case at both precisions, and the
conventions it patches, each checked twice: JAX's or optax's own behaviour (why the patch is
there) and the adapter's (what the protocol says). Expected numbers are closed forms."""

from _support import close, need_module, raises

from spec_tests import cases as case_files
from spec_tests import engine


def jax_modules():
    """jax, jax.numpy and optax, or a skip where they are not installed."""
    need_module("jax")
    need_module("optax")
    from spec_tests.backends import jax_backend  # turns on jax_enable_x64 before any array is made
    import jax.numpy as jnp
    import optax
    return jax_backend, jnp, optax


def run_every_case(backend):
    """(failure descriptions, {id: reason} of the unsupported cases, number passed)."""
    failures, unsupported, passed = [], {}, 0
    for c in case_files.load_cases():
        result = engine.run_case(backend, c)
        if result.status == "passed":
            passed += 1
        elif result.status == "unsupported":
            unsupported[result.id] = result.message
        else:
            failures.append(engine.describe_failure(result, "jax", backend.precision))
    return failures, unsupported, passed


def test_the_jax_adapter_passes_every_case_in_float64():
    jax_backend, _, _ = jax_modules()
    failures, unsupported, passed = run_every_case(jax_backend.JaxBackend("float64"))
    assert failures == [], "\n".join(failures)
    assert unsupported == {}, unsupported
    assert passed == len(case_files.load_cases())


def test_the_jax_adapter_passes_every_case_in_float32_declining_only_unrepresentable_inputs():
    jax_backend, _, _ = jax_modules()
    failures, unsupported, passed = run_every_case(jax_backend.JaxBackend("float32"))
    assert failures == [], "\n".join(failures)
    assert all(reason.startswith("input not representable in float32") for reason in unsupported.values()), unsupported
    assert len(unsupported) <= 10, unsupported  # the 1e-300 and 1e200 inputs, not whole families
    assert passed + len(unsupported) == len(case_files.load_cases())


def test_abs_slope_at_zero_is_patched_from_one_to_zero():
    jax_backend, jnp, _ = jax_modules()
    import jax

    assert float(jax.grad(jnp.abs)(0.0)) == 1.0  # JAX's own: select(x >= 0, t, -t)
    assert float(jax.grad(jax_backend.abs_with_zero_slope)(0.0)) == 0.0  # the protocol's |x|'(0) = 0
    assert float(jax.grad(jax_backend.abs_with_zero_slope)(-2.0)) == -1.0  # unchanged away from the kink
    result = jax_backend.JaxBackend().loss("mae", [[1.0, 2.0]], [[1.0, 3.0]], {})
    assert result["dpredictions"] == [[0.0, -0.5]]  # sign(y - t)/m, m = 2, and 0 where y = t


def test_leaky_relu_slope_at_zero_is_patched_to_alpha_and_relu_needs_no_patch():
    jax_backend, _, _ = jax_modules()
    import jax

    assert float(jax.grad(lambda x: jax.nn.leaky_relu(x, 0.2))(0.0)) == 1.0  # where(x >= 0, ...) in JAX
    assert float(jax.grad(lambda x: jax_backend.leaky_relu(x, 0.2))(0.0)) == 0.2
    assert float(jax.grad(jax.nn.relu)(0.0)) == 0.0  # relu's custom_jvp already gives the protocol's 0
    result = jax_backend.JaxBackend().activation("leaky_relu", [0.0, 2.0, -3.0], [1.0, 1.0, 1.0], {"alpha": 0.2})
    assert result["dx"] == [0.2, 1.0, 0.2]
    assert close(result["y"][2], -0.6)


def test_max_at_a_tie_splits_the_gradient_but_hinges_at_the_margin_get_none():
    jax_backend, jnp, optax = jax_modules()
    import jax

    left, right = jax.grad(jnp.maximum, argnums=(0, 1))(0.5, 0.5)
    assert (float(left), float(right)) == (0.5, 0.5)  # the protocol's tie convention, no patch
    # optax's hinge is maximum(0, 1 - t s): at the margin s = t = 1 the tie sends -1/2 to s.
    assert float(jax.grad(lambda s: optax.losses.hinge_loss(s, 1.0))(1.0)) == -0.5
    result = jax_backend.JaxBackend().loss("binary_hinge", [[1.0], [-1.0]], [[1.0], [-1.0]], {})
    assert result == {"loss": 0.0, "dpredictions": [[0.0], [0.0]]}  # exactly at the margin: gradient 0


def test_cross_entropy_zero_times_log_zero_has_no_nan_gradient():
    jax_backend, _, _ = jax_modules()
    import jax
    from jax.scipy.special import xlogy

    assert float(xlogy(0.0, 0.0)) == 0.0
    assert jax.numpy.isnan(jax.grad(xlogy, argnums=1)(0.0, 0.0))  # why the adapter feeds xlogy a 1 there
    result = jax_backend.JaxBackend().loss("binary_cross_entropy", [[1.0, 0.0]], [[1.0, 0.0]], {})
    assert result["loss"] == 0.0
    assert result["dpredictions"] == [[-0.5, 0.5]]  # -t/p/m and (1 - t)/(1 - p)/m with m = 2


def test_adagrad_starts_at_zero_with_eps_outside_the_root_unlike_optax_adagrad():
    jax_backend, jnp, optax = jax_modules()
    # w = 1, g = 0.5, lr = 0.1, eps = 1e-10: G = 0.25, w1 = 1 - 0.1·0.5/(0.5 + 1e-10)
    expected = 1.0 - 0.1 * 0.5 / (0.5 + 1e-10)
    result = jax_backend.JaxBackend().optimizer("adagrad", {"lr": 0.1, "eps": 1e-10}, [1.0], [[0.5]])
    assert close(result["params"][0][0], expected, rel=1e-15)
    opt = optax.adagrad(0.1, eps=1e-10)  # optax's defaults: G starts at 0.1
    w = jnp.asarray([1.0])
    updates, _ = opt.update(jnp.asarray([0.5]), opt.init(w), w)
    assert close(float(optax.apply_updates(w, updates)[0]), 1.0 - 0.1 * 0.5 / (0.35 + 1e-10) ** 0.5, rel=1e-12)


def test_rmsprop_takes_alpha_as_decay_and_eps_outside_the_root():
    jax_backend, _, _ = jax_modules()
    # g = 1e-6, alpha = 0.99: s = 0.01·1e-12 = 1e-14, sqrt(s) = 1e-7; w1 = -0.01·1e-6/(1e-7 + 1e-8).
    # eps inside the root would give -0.01·1e-6/sqrt(1e-14 + 1e-8), about -1e-4 instead of -0.0909.
    result = jax_backend.JaxBackend().optimizer("rmsprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}, [0.0], [[1e-6]])
    assert close(result["params"][0][0], -0.01 * 1e-6 / (1e-7 + 1e-8), rel=1e-9)


def test_domain_errors_raise_where_jax_numpy_returns_inf_or_nan():
    jax_backend, jnp, _ = jax_modules()
    backend = jax_backend.JaxBackend()
    assert float(jnp.log(0.0)) == float("-inf")
    log_zero = raises(ValueError, backend.graph, [["a", 0.0]], [{"name": "out", "op": "log", "args": ["a"]}])
    assert "graph node 'out' (log)" in str(log_zero) and "expected a positive number" in str(log_zero)
    raises(ZeroDivisionError, backend.graph, [["a", 1.0], ["b", 0.0]], [{"name": "q", "op": "div", "args": ["a", "b"]}])
    raises(ValueError, backend.graph, [["a", -8.0]], [{"name": "r", "op": "pow", "args": ["a", 1.0 / 3.0]}])
    # a node exponent on base 0: JAX's d(a^b)/db is 0 there (ln 0 replaced), the protocol has no value
    raises(ValueError, backend.graph, [["a", 0.0], ["b", 2.0]], [{"name": "p", "op": "pow", "args": ["a", "b"]}])
    zero_target = raises(ZeroDivisionError, backend.loss, "mape", [[1.0, 2.0]], [[0.0, 2.0]], {})
    assert "loss mape" in str(zero_target)
    exp_overflow = backend.graph([["a", 1000.0]], [{"name": "e", "op": "exp", "args": ["a"]}])
    assert exp_overflow["values"] == [float("inf")]  # IEEE 754 overflow is returned, not raised


def test_every_node_gradient_comes_from_one_reverse_pass_with_fan_in():
    jax_backend, _, _ = jax_modules()
    # d = (a·b + e^a)·a (fixture graph.fanin.diamond's graph, here at a = 0.375, b = -1.25):
    # ∂d/∂c = a, ∂d/∂p = ∂d/∂q = a, ∂d/∂a = b·a + e^a·a + c (three uses), ∂d/∂b = a².
    import math

    a, b = 0.375, -1.25
    c = a * b + math.exp(a)
    nodes = [{"name": "p", "op": "mul", "args": ["a", "b"]}, {"name": "q", "op": "exp", "args": ["a"]},
             {"name": "c", "op": "add", "args": ["p", "q"]}, {"name": "d", "op": "mul", "args": ["c", "a"]}]
    result = jax_backend.JaxBackend().graph([["a", a], ["b", b]], nodes)
    assert [close(g, e) for g, e in zip(result["gradients"], [a, a, a, 1.0])] == [True] * 4
    assert close(result["input_gradients"][0], b * a + math.exp(a) * a + c)
    assert close(result["input_gradients"][1], a * a)


def test_linear_schedule_hits_its_start_in_float32():
    jax_backend, jnp, optax = jax_modules()
    start, end = 0.001, 0.1
    in_float32 = optax.schedules.linear_schedule(jnp.float32(start), jnp.float32(end), 4)(0)
    assert abs(float(in_float32) - start) > 1e-6 * start  # (start - end)(1 - 0) + end misses start in float32
    rates = jax_backend.JaxBackend("float32").schedule("linear", {"start": start, "end": end, "steps": 4}, [0, 2, 4, 9])
    expected = [start, start + (end - start) * 0.5, end, end]  # start + (end - start)·min(k, K)/K
    assert [close(r, e, rel=1e-6) for r, e in zip(rates["lr"], expected)] == [True] * 4


def test_prng_on_uint64_matches_the_published_splitmix64_outputs():
    jax_backend, _, _ = jax_modules()
    # SplitMix64 from seed 0: the reference outputs of Vigna's splitmix64.c (fixture prng.splitmix64.seed0.published)
    values = jax_backend.JaxBackend("float32").prng(0, [{"kind": "u64"}, {"kind": "u64"}])["values"]
    assert values == ["0xE220A8397B1DCDAF", "0x6E789E6AA1B965F4"]
