"""`import refnet` loads refnet/__init__.py alone; each name of __all__ and each module loads on first use.

docs/embedding.md: a device that runs only `from refnet import infer` must not hold Value, the
graph code or explain in its heap, and every way of importing refnet's names keeps working on
every runtime (MicroPython asks the package's __getattr__ even for its submodules).
"""

import os
import sys

from _support import need_processes, skip

import refnet

ALL = ["Value", "explain", "RefnetError", "InputError", "DomainError", "ShapeError", "__version__"]


def package_folder():
    return os.path.dirname(refnet.__file__)


def test_all_is_unchanged_and_every_name_in_it_is_the_defining_modules():
    from refnet import DomainError, InputError, RefnetError, ShapeError, Value, explain
    from refnet import backward_steps, errors, value

    assert refnet.__all__ == ALL, refnet.__all__
    assert Value is value.Value and refnet.Value is value.Value
    assert explain is backward_steps.explain
    assert (RefnetError, InputError, DomainError, ShapeError) == (errors.RefnetError, errors.InputError,
                                                                  errors.DomainError, errors.ShapeError)
    assert refnet.__version__ == "0.1.0"


def test_every_module_of_the_package_is_listed_and_loads_by_from_import():
    found = []
    for name in os.listdir(package_folder()):
        if name.endswith(".py") and name != "__init__.py":
            found.append(name[:-3])
        elif "." not in name and name != "__pycache__" and "__init__.py" in os.listdir(package_folder() + "/" + name):
            found.append(name)
    assert sorted(found) == sorted(refnet.SUBMODULES), (sorted(found), refnet.SUBMODULES)
    for name in ("functional", "infer", "model_file", "nn", "losses", "optim", "compat"):
        module = getattr(__import__("refnet." + name), name)
        assert getattr(refnet, name) is module, name
    from refnet import init, saving  # noqa: F401
    from refnet.compat import micrograd  # noqa: F401

    assert refnet.compat.micrograd is micrograd and refnet.saving is saving and refnet.init is init


def test_an_unknown_name_is_no_attribute_and_no_import():
    assert not hasattr(refnet, "nope")
    assert not hasattr(refnet, "__wrapped__")
    try:
        from refnet import nope  # noqa: F401
    except (ImportError, AttributeError) as error:  # ImportError on CPython and PyPy, AttributeError on MicroPython
        assert "nope" in str(error), str(error)
    else:
        raise AssertionError("from refnet import nope imported something")


def test_dir_lists_the_public_names():
    if sys.implementation.name == "micropython":
        skip("MicroPython's dir() probes every interned name through __getattr__ (loading every module)")
    names = dir(refnet)
    assert all(name in names for name in ALL), names
    assert "nope" not in names and names == sorted(names)


def test_import_refnet_alone_loads_no_other_module_and_infer_needs_no_value():
    subprocess = need_processes()
    root = os.path.dirname(package_folder())
    script = ("import sys, refnet; first = sorted(m for m in sys.modules if m.startswith('refnet'));"
              "from refnet import infer; print(first, sorted(m for m in sys.modules if m.startswith('refnet')))")
    done = subprocess.run([sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE, check=True,
                          universal_newlines=True)
    assert done.stdout.strip() == ("['refnet'] ['refnet', 'refnet._checks', 'refnet.errors', 'refnet.infer', "
                                   "'refnet.model_file']"), done.stdout


def test_names_moved_out_of_the_training_modules_still_load_where_they_were():
    from refnet import adaptive_optim, functional, losses, nn, optim, regularization, softmax
    from refnet.functional import largest_index, log1p, log_softmax, logsumexp, softmax_jvp
    from refnet.functional import softmax as softmax_of_floats
    from refnet.losses import l2_regularization
    from refnet.nn import softmax as softmax_of_values
    from refnet.optim import Adagrad, Adam, RMSProp

    assert (Adagrad, RMSProp, Adam) == (adaptive_optim.Adagrad, adaptive_optim.RMSProp, adaptive_optim.Adam)
    assert (optim.Adagrad, optim.RMSProp, optim.Adam) == (Adagrad, RMSProp, Adam)
    assert issubclass(Adam, optim.Optimizer)
    moved = (softmax_of_floats, log_softmax, logsumexp, largest_index, softmax_jvp, log1p)
    assert moved == (softmax.softmax, softmax.log_softmax, softmax.logsumexp, softmax.largest_index,
                     softmax.softmax_jvp, softmax.log1p)
    assert (functional.softmax, functional.log_softmax, functional.log1p) == (moved[0], moved[1], moved[5])
    assert softmax_of_values is softmax.softmax_nodes and nn.softmax is softmax.softmax_nodes
    assert l2_regularization is regularization.l2_regularization
    assert losses.l2_regularization is regularization.l2_regularization
    for module, name in ((optim, "Nadam"), (functional, "softplus"), (losses, "huber"), (nn, "Conv2d")):
        assert not hasattr(module, name), name


def test_a_training_step_loads_none_of_the_modules_it_does_not_call():
    subprocess = need_processes()
    root = os.path.dirname(package_folder())
    script = ("import sys\n"
              "from refnet import losses, nn, optim\n"
              "from refnet.prng import PRNG\n"
              "model = nn.MLP(2, [4, 1], activation='tanh', rng=PRNG(0))\n"
              "optimizer = optim.SGD(model.parameters(), lr=0.5)\n"
              "loss = losses.mse([row[0] for row in model.batch([[0.0, 1.0], [1.0, 0.0]])], [1.0, 1.0])\n"
              "optimizer.zero_grad(); loss.backward(); optimizer.step()\n"
              "print(sorted(m for m in sys.modules if m.startswith('refnet')))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE, check=True,
                          universal_newlines=True)
    assert done.stdout.strip() == ("['refnet', 'refnet._checks', 'refnet.collector', 'refnet.errors', "
                                   "'refnet.functional', 'refnet.init', 'refnet.losses', 'refnet.nn', "
                                   "'refnet.optim', 'refnet.prng', 'refnet.value']"), done.stdout
