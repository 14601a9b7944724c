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

The source documents are cited by file name (000_… to 004_…); `python -m refnet` prints
their worked examples computed live.
"""

from refnet.errors import DomainError, InputError, RefnetError, ShapeError
from refnet.value import Value

__version__ = "0.1.0"
__all__ = ["Value", "RefnetError", "InputError", "DomainError", "ShapeError", "__version__"]
