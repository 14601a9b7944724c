"""GPUs in the PyTorch and JAX adapters (docs/gpus.md).

Where a CUDA device is present, the whole suite runs on it at both precisions and must pass,
with TF32 off. Everywhere, an absent device must give a ValueError that names it and lists the
devices that are there, and a backend on the CPU must say so in device_name and notes."""

from _support import need_module, raises, skip

from spec_tests import cases as case_files
from spec_tests import engine

NO_GPU = "no CUDA device on this machine"


def failures_on(backend):
    """The failure descriptions of every case run against `backend` (unsupported cases are not failures)."""
    results = [engine.run_case(backend, c) for c in case_files.load_cases()]
    return [engine.describe_failure(r, backend.name, backend.precision) for r in results
            if r.status not in ("passed", "unsupported")]


def jax_gpus():
    """JAX's GPU devices (an empty list when JAX has no GPU platform here)."""
    need_module("jax")
    need_module("optax")
    import jax
    try:
        return jax.devices("gpu")
    except RuntimeError:
        return []


# -- on a GPU ---------------------------------------------------------------------------------

def test_torch_on_cuda_passes_every_case_at_both_precisions_with_tf32_off():
    torch = need_module("torch")
    if not torch.cuda.is_available():
        skip(NO_GPU)
    from spec_tests.backends.torch_backend import TorchBackend

    for precision in ("float64", "float32"):
        backend = TorchBackend(precision, device="cuda:0")
        assert backend.device_name == torch.cuda.get_device_name(0)
        assert any("TF32 disabled" in note for note in backend.notes), backend.notes
        assert torch.backends.cuda.matmul.allow_tf32 is False and torch.backends.cudnn.allow_tf32 is False
        failures = failures_on(backend)
        assert failures == [], "\n".join(failures)


def test_jax_on_gpu_passes_every_case_at_both_precisions_with_highest_matmul_precision():
    gpus = jax_gpus()
    if not gpus:
        skip(NO_GPU)
    import jax
    from spec_tests.backends.jax_backend import JaxBackend

    for precision in ("float64", "float32"):
        backend = JaxBackend(precision, device="gpu:0")
        assert backend.device_name == gpus[0].device_kind
        assert any("TF32 disabled" in note for note in backend.notes), backend.notes
        assert jax.config.jax_default_matmul_precision == "highest"
        failures = failures_on(backend)
        assert failures == [], "\n".join(failures)


def test_cuda_spelling_names_the_same_device_in_jax():
    gpus = jax_gpus()
    if not gpus:
        skip(NO_GPU)
    from spec_tests.backends.jax_backend import JaxBackend

    assert JaxBackend(device="cuda:0").jax_device == JaxBackend(device="gpu").jax_device == gpus[0]


# -- everywhere: absent devices and the CPU's description ---------------------------------------

def test_torch_absent_cuda_device_is_a_value_error_naming_it_and_what_is_available():
    torch = need_module("torch")
    from spec_tests.backends.torch_backend import TorchBackend

    missing = "cuda:" + str(torch.cuda.device_count() if torch.cuda.is_available() else 0)  # one past the last
    error = raises(ValueError, TorchBackend, "float64", missing)
    assert repr(missing) in str(error) and "not available" in str(error), str(error)
    assert "available: cpu" in str(error), str(error)


def test_torch_absent_device_through_the_runner_is_a_one_line_backend_error():
    torch = need_module("torch")
    missing = "cuda:" + str(torch.cuda.device_count() if torch.cuda.is_available() else 0)
    error = raises(ValueError, engine.load_backend, "torch", "float32", missing)
    assert "--backend torch" in str(error) and repr(missing) in str(error) and "\n" not in str(error), str(error)


def test_torch_on_the_cpu_says_cpu_with_no_notes():
    need_module("torch")
    from spec_tests.backends.torch_backend import TorchBackend

    backend = TorchBackend("float32")
    assert (backend.device, backend.device_name, backend.notes) == ("cpu", "cpu", [])


def test_jax_absent_gpu_is_a_value_error_naming_it_and_what_is_available():
    missing = "gpu:" + str(len(jax_gpus()))  # one past the last GPU, gpu:0 where there is none
    from spec_tests.backends.jax_backend import JaxBackend

    error = raises(ValueError, JaxBackend, "float64", missing)
    assert repr(missing) in str(error) and "not available" in str(error), str(error)
    assert "cpu:0 (cpu)" in str(error), str(error)


def test_jax_unknown_device_spelling_lists_the_accepted_ones():
    jax_gpus()
    from spec_tests.backends.jax_backend import JaxBackend

    error = raises(ValueError, JaxBackend, "float32", "tpu:0")
    assert "'tpu:0'" in str(error) and "'gpu:N'" in str(error) and "'cuda:N'" in str(error), str(error)


def test_jax_on_the_cpu_says_cpu_and_notes_float64():
    jax_gpus()
    from spec_tests.backends.jax_backend import JaxBackend

    backend = JaxBackend("float64")
    assert (backend.device, backend.device_name) == ("cpu", "cpu")
    assert len(backend.notes) == 1 and "jax_enable_x64" in backend.notes[0], backend.notes
    assert not any("TF32" in note for note in backend.notes)
