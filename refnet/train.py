"""fit(): the training loop, for batch, stochastic and mini-batch gradient descent.

001_251e29975c1497b8.txt names the three: batch gradient descent computes the gradient on all
the training data at once; stochastic gradient descent on one random example at a time;
mini-batch gradient descent on a slice of the data. The steps of each (001):

    pick random weights; repeat: forward pass → loss → gradient (backward) → update

Each epoch visits every example once, in an order shuffled by the PRNG (unless shuffle=False).
The history records the loss of every step, and per epoch the mean step loss and, given an
accuracy function, the accuracy of the predictions made during that epoch (handed to it as
numbers: each step's graph is freed as soon as the step is done). verbose=True shows the
progress (refnet.progress): epoch k/N, loss, accuracy, time left.
"""

import sys

from refnet import functional as F
from refnet._checks import as_bool, as_callable, as_float, as_int, as_list, in_range, same_length, shown
from refnet.collector import FREES_RECURSIVELY, paused
from refnet.errors import InputError
from refnet.nn import Module, numbers
from refnet.optim import Optimizer
from refnet.progress import Progress
from refnet.prng import PRNG, check_rng
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Optional, Sequence

    LossFunction = Callable[[List[Any], List[Any]], Value]
    AccuracyFunction = Callable[[List[Any], List[Any]], float]


class History:
    """What fit() measured: `step_loss` per update, `loss` and `accuracy` per epoch."""

    def __init__(self) -> None:
        self.step_loss: "List[float]" = []
        self.loss: "List[float]" = []
        self.accuracy: "List[float]" = []

    def __repr__(self) -> str:
        last = f", last loss {self.loss[-1]:.6g}" if self.loss else ""
        return f"History({len(self.loss)} epochs, {len(self.step_loss)} steps{last})"


def _prediction(output: "Any", target: "Any") -> "Any":
    """A model's output for an example; a one-element output row is unwrapped when the target is a number."""
    if isinstance(output, list) and len(output) == 1 and not isinstance(target, (list, tuple)):
        return output[0]
    return output


def fit(model: Module, inputs: "Sequence[Any]", targets: "Sequence[Any]", loss: "LossFunction",
        optimizer: Optimizer, epochs: int = 1, batch_size: "Optional[int]" = None, rng: "Optional[PRNG]" = None,
        shuffle: bool = True, schedule: "Optional[Callable[[int], float]]" = None,
        regularization: "Optional[Callable[[Module], Value]]" = None,
        accuracy: "Optional[AccuracyFunction]" = None,
        callback: "Optional[Callable[[int, History], None]]" = None, verbose: bool = False,
        progress_stream: "Any" = None) -> History:
    """Train `model` in place and return its History.

    batch_size None trains on the whole set per step (batch GD), 1 on one example (stochastic),
    k on k examples (mini-batch). The loss of a step is loss(predictions, targets), plus
    regularization(model) when given (e.g. lambda m: l2_regularization(m.parameters(), 1e-4)).
    accuracy(predictions, targets) gets the epoch's predictions as floats (or lists of floats).
    schedule(k) sets optimizer.lr before step k = 0, 1, …. fit() puts the model in training
    mode (model.train(), so dropout is active) and leaves it there: call model.eval() before
    predicting.

    verbose=True writes the progress to progress_stream (sys.stdout when None): on a terminal
    one line rewritten in place, "epoch 37/200  loss 0.512345  accuracy 85.0%  4 s left";
    elsewhere (a file, a pipe) a plain line every ⌈epochs/10⌉ epochs and at the last.
    verbose=False (the default) writes nothing. For a display of your own, callback(epoch,
    history) runs after every epoch (epoch counts from 0; history holds the losses so far):

        def show(epoch, history):
            if epoch % 10 == 9:
                print(f"epoch {epoch + 1}: loss {history.loss[-1]:.4f}")
        train.fit(model, inputs, targets, losses.mse, optimizer, epochs=100, callback=show)
    """
    if not isinstance(model, Module):
        raise InputError(f"fit(model): expected a refnet.nn Module, got {shown(model)}")
    if not isinstance(optimizer, Optimizer):
        raise InputError(f"fit(optimizer): expected a refnet.optim Optimizer, got {shown(optimizer)}")
    own = set(id(p) for p in model.parameters())
    if own and not any(id(p) in own for p in optimizer.params):
        raise InputError(f"fit(optimizer): expected an optimizer of the model's parameters, got one of "
                         f"{len(optimizer.params)} other Values (pass model.parameters() to it)")
    n = same_length(as_list(inputs, "fit(inputs)", None, "training examples"),
                    as_list(targets, "fit(targets)", None, "targets"), "fit", "inputs", "targets")
    if n == 0:
        raise InputError("fit(inputs): expected at least one training example, got none (an empty list)")
    as_callable(loss, "fit(loss)")
    as_bool(shuffle, "fit(shuffle)")
    for name, function in (("schedule", schedule), ("regularization", regularization), ("accuracy", accuracy),
                           ("callback", callback)):
        if function is not None:
            as_callable(function, f"fit({name})")
    size = n if batch_size is None else as_int(batch_size, "fit(batch_size)", minimum=1)
    epoch_count = as_int(epochs, "fit(epochs)", minimum=1)
    generator = check_rng(rng, "fit(rng)")
    progress = None
    if progress_stream is not None and not callable(getattr(progress_stream, "write", None)):
        raise InputError(f"fit(progress_stream): expected a text stream with a write() method (or None for "
                         f"sys.stdout), got {shown(progress_stream)}")
    if as_bool(verbose, "fit(verbose)"):
        progress = Progress(epoch_count, sys.stdout if progress_stream is None else progress_stream)
    history = History()
    model.train()
    for epoch in range(epoch_count):
        order = list(range(n))
        if shuffle:
            generator.shuffle(order)
        epoch_predictions: "List[Any]" = []
        epoch_targets: "List[Any]" = []
        epoch_losses: "List[float]" = []
        for start in range(0, n, size):
            chosen = order[start:start + size]
            batch_targets = [targets[i] for i in chosen]
            # The step's graph has no cycles: reference counting frees it, inside the block, so
            # the collector never scans it (refnet.collector). Only numbers outlive the step.
            with paused():
                outputs = model.batch([inputs[i] for i in chosen])
                predictions = [_prediction(output, target) for output, target in zip(outputs, batch_targets)]
                step_loss = loss(predictions, batch_targets)
                if not isinstance(step_loss, Value):
                    raise InputError(f"fit(loss): expected a loss function returning a Value, got {shown(step_loss)}")
                if regularization is not None:
                    penalty = regularization(model)
                    if not isinstance(penalty, Value):
                        raise InputError(f"fit(regularization): expected a function returning a Value, got "
                                         f"{shown(penalty)}")
                    step_loss = step_loss + penalty
                optimizer.zero_grad()
                step_loss.backward()
                if schedule is not None:
                    optimizer.lr = in_range(schedule(len(history.step_loss)), "fit(schedule) returned a learning rate",
                                            0.0, float("inf"), include_high=False)
                optimizer.step()
                history.step_loss.append(step_loss.data)
                epoch_losses.append(step_loss.data)
                epoch_predictions.extend(numbers(prediction) for prediction in predictions)
                epoch_targets.extend(batch_targets)
                if FREES_RECURSIVELY:  # cut the graph first where freeing it would recurse (collector)
                    step_loss.release()
                del outputs, predictions, step_loss
        history.loss.append(F.total(epoch_losses) / len(epoch_losses))
        if accuracy is not None:
            history.accuracy.append(accuracy(epoch_predictions, epoch_targets))
        if progress is not None:
            shown_accuracy = None
            if accuracy is not None:
                shown_accuracy = as_float(history.accuracy[-1], "fit(accuracy): the accuracy it returned, shown by "
                                                                "verbose=True")
            progress.update(epoch + 1, history.loss[-1], shown_accuracy)
        if callback is not None:
            callback(epoch, history)
    return history
