"""refnet: feedforward neural networks and backpropagation, written down once, plainly and exactly.

A pure-Python, zero-dependency reference implementation that runs on CPython 3.8–3.13,
PyPy, Pyodide and MicroPython; the comment below gives the order to read its modules in.
"""

# Read it in this order:
#
#     value.py        Value, the scalar autograd node (forward value and local derivatives)
#     functional.py   every activation and its derivative on floats; softmax.py: stable softmax
#     nn.py           Module, Neuron, Layer, MLP, Dropout
#     losses.py       MSE, MAE, MAPE, ½(t−y)²; classification_losses.py: cross-entropies, hinge losses;
#                     regularization.py: L2 regularisation
#     metrics.py      accuracy by threshold and by argmax
#     optim.py        SGD with momentum; adaptive_optim.py: Adagrad, RMSProp, Adam; schedules.py: learning rates
#     prng.py         the seeded generator every random number comes from; init.py: initialisers
#     data.py         XOR, two moons, spiral, blobs; one-hot, splits, mini-batches
#     train.py        fit(): batch, stochastic and mini-batch gradient descent
#     gradcheck.py    numeric derivatives and gradient checking
#     compat/micrograd.py   micrograd 0.1.0's API on refnet's Value
#     infer.py        inference on floats from a model file, for devices (docs/embedding.md);
#                     model_file.py, saving.py: the file behind nn.save and nn.load
#
# Seeing it (teaching):
#
#     backward_steps.py   explain(value): the backward pass edge by edge, with 002's gate rules
#     draw.py         a graph as Graphviz DOT or as an SVG drawn by refnet (Jupyter shows a Value so)
#     plot.py         SVG loss curve and decision boundary; progress.py: the line fit(verbose=True) prints
#     pipeline.py     002's pipeline end to end (python -m refnet pipeline)
#     worked_examples.py, sources.py, tour_page.py   the documents' examples, their sources, the web page
#
# The source documents are cited by file name (000_… to 004_…); `python -m refnet` prints
# their worked examples computed live.

TYPE_CHECKING = False
if TYPE_CHECKING:
    from refnet.errors import DomainError, InputError, RefnetError, ShapeError
    from refnet.value import Value
    from refnet.backward_steps import explain

__version__ = "0.1.0"
__all__ = ["Value", "explain", "RefnetError", "InputError", "DomainError", "ShapeError", "__version__"]

# Nothing is imported until it is asked for: `import refnet` alone loads this file, so a device
# that runs only `from refnet import infer` never holds Value, the graph code or explain in its
# heap (docs/embedding.md). A name of __all__ is loaded from its module on first use, then kept.
LAZY_NAMES = {"Value": "value", "explain": "backward_steps", "RefnetError": "errors", "InputError": "errors",
              "DomainError": "errors", "ShapeError": "errors"}
# refnet's modules, which `from refnet import <module>` loads: MicroPython asks __getattr__ for a
# submodule not yet loaded and takes its AttributeError as final, so __getattr__ imports them itself
# (tests/test_lazy_import.py checks that this list names every module of the package).
SUBMODULES = ("__main__", "_checks", "_files", "adaptive_optim", "backward_steps", "classification_losses",
              "collector", "compat", "data", "dense", "draw", "errors", "functional", "gradcheck", "infer", "init",
              "losses", "metrics", "model_file", "nn", "optim", "pipeline", "plot", "prng", "progress", "regularization",
              "saving", "schedules", "softmax", "sources", "tour_page", "train", "value", "worked_examples")


def __getattr__(name: str) -> object:
    """A name of __all__ or one of refnet's modules, loaded on first use (PEP 562)."""
    if name in LAZY_NAMES:
        found = getattr(__import__("refnet." + LAZY_NAMES[name]), LAZY_NAMES[name])
        value = getattr(found, name)
        globals()[name] = value
        return value
    if name in SUBMODULES:
        __import__("refnet." + name)
        return globals()[name]
    raise AttributeError(f"module 'refnet' has no attribute {name!r}")


def __dir__() -> "list[str]":
    return sorted(set(list(globals()) + __all__))
