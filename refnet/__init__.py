"""refnet: feedforward neural networks and backpropagation, written down once, plainly and exactly.

A pure-Python, zero-dependency reference implementation that runs on CPython 3.8–3.13,
PyPy, Pyodide and MicroPython. Read it in this order:

    value.py        Value, the scalar autograd node (forward value and local derivatives)
    functional.py   every activation and its derivative on floats; stable softmax
    nn.py           Module, Neuron, Layer, MLP, Dropout
    losses.py       MSE, MAE, MAPE, cross-entropies, hinge losses, L2 regularisation
    metrics.py      accuracy by threshold and by argmax
    optim.py        SGD with momentum, Adagrad, RMSProp, Adam; schedules.py: learning rates
    prng.py         the seeded generator every random number comes from; init.py: initialisers
    data.py         XOR, two moons, spiral, blobs; one-hot, splits, mini-batches
    train.py        fit(): batch, stochastic and mini-batch gradient descent
    gradcheck.py    numeric derivatives and gradient checking
    compat/micrograd.py   micrograd 0.1.0's API on refnet's Value

Seeing it (teaching):

    backward_steps.py   explain(value): the backward pass edge by edge, with 002's gate rules
    draw.py         a graph as Graphviz DOT or as an SVG drawn by refnet (Jupyter shows a Value so)
    plot.py         SVG loss curve and decision boundary; progress.py: the line fit(verbose=True) prints
    pipeline.py     002's pipeline end to end (python -m refnet pipeline)
    worked_examples.py, sources.py, tour_page.py   the documents' examples, their sources, the web page

The source documents are cited by file name (000_… to 004_…); `python -m refnet` prints
their worked examples computed live.
"""

from refnet.errors import DomainError, InputError, RefnetError, ShapeError
from refnet.value import Value
from refnet.backward_steps import explain

__version__ = "0.1.0"
__all__ = ["Value", "explain", "RefnetError", "InputError", "DomainError", "ShapeError", "__version__"]
