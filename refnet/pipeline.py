"""002_22dd3b33c61b9037.txt's pipeline end to end: data, 80/20 split, a 2-layer tanh + softmax
network with L2, full-batch gradient descent, accuracy, the loss curve and the decision boundary.

The document's code (main, train_model, feedforward, backprop, parameter_update):

    X, y = create_data(300)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2)
    model = train_model(X_train, y_train, 2, 200)        # nn_hdim = 2 hidden units, 200 epochs
    z1 = X·W1 + b1    a1 = tanh(z1)    z2 = a1·W2 + b2    probs = softmax(z2)
    delta3 = probs − onehot(y)
    dW2 = a1ᵀ·delta3 + λ·W2       db2 = Σₙ delta3
    delta2 = delta3·W2ᵀ ∗ (1 − a1²)
    dW1 = Xᵀ·delta2 + λ·W1        db1 = Σₙ delta2
    W ← W − (learning_rate / len(X))·dW        (parameter_update(model, deltas, learning_rate/len(X)))

What this minimises. delta3 = probs − onehot is the gradient of the sum Σᵢ Lᵢ, with
Lᵢ = −ln softmax(z2ᵢ)_yᵢ; dW += λW is the gradient of (λ/2)·ΣW² (the ½ is the document's,
implicit: the derivative of (λ/2)w² is λw), over the weights only (the biases are not
penalised). The step divides that summed gradient by N = len(X), so each epoch is one step of
gradient descent with rate `learning_rate` on

    J = (1/N)·(Σᵢ Lᵢ + (λ/2)·ΣW²) = mean(Lᵢ) + (λ/(2N))·ΣW²

the loss this module reports per epoch (measured by the forward pass before that epoch's step).
refnet builds it from its own pieces on two independent paths from the same initial weights:

    scalar  nn.MLP(2, [hidden, 2], tanh, linear output) on Values; losses.softmax_cross_entropy
            (the mean) + losses.l2_regularization(weights, λ/(2N)); optim.SGD(lr=learning_rate),
            through train.fit (batch_size None: the whole training set per step, in order)
    dense   dense.Network of two DenseLayers; loss "softmax_cross_entropy" with l2 = λ/(2N) on
            the weights; dense.Optimizer("sgd", learning_rate)

Choices the document leaves open, made here (they are refnet's, not the document's):

- create_data(300) is not defined: data.two_moons(300, noise=0.2), drawn from PRNG(seed).
- train_test_split(X, y, test_size=0.2) is unseeded there: data.train_test_split with
  test_fraction 0.2, shuffled by the same PRNG after the data: 240 training, 60 test points.
- learning_rate and reg_lambda are not defined: LEARNING_RATE = 1.0 (with the /len(X)
  convention, the rate of a step on the mean loss; 200 full-batch steps at this rate bring the
  loss to a plateau, see tests/test_pipeline.py) and REG_LAMBDA = 0.01.
- np.random.seed(0) seeds NumPy's Mersenne Twister; refnet's PRNG(seed) is SplitMix64
  (refnet/prng.py), so the weights, and every number after them, differ from a NumPy run of
  the document's code. The weights are drawn as the document draws them, N(0, 1)/√n_in
  (init.xavier_randn), from a fresh PRNG(seed) (as np.random.seed(0) just before them), W1
  then W2, each row by row of refnet's out × in matrices; biases start at 0.
- Accuracy is the share of points whose largest score is their label (the document's
  np.argmax(probs, axis=1) == y), measured with the trained weights after the last step. (The
  document prints the training accuracy of its last forward pass, one step before the end.)
"""

import sys

from refnet import _files as files
from refnet import data, dense, losses, metrics, nn, optim, plot, train
from refnet._checks import as_callable, as_float, as_float_list, as_int, as_list, in_range, one_of, shown
from refnet.errors import InputError
from refnet.progress import Progress, _is_terminal, clock
from refnet.prng import PRNG
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Optional, Tuple

    Points = List[List[float]]

POINTS = 300
NOISE = 0.2
TEST_FRACTION = 0.2
EPOCHS = 200
HIDDEN = 2
LEARNING_RATE = 1.0
REG_LAMBDA = 0.01
CLASSES = 2
PATHS = ("scalar", "dense")
SETTINGS = ("epochs", "hidden", "seed", "learning_rate", "reg_lambda")  # what a PipelineResult's report shows
AGREEMENT = 1e-9  # the largest relative difference of two paths' losses that still counts as agreeing


def make_data(seed: int = 0, count: int = POINTS) -> "Tuple[Points, Points, List[int], List[int]]":
    """(train points, test points, train labels, test labels): two moons of `count` points, split 80/20."""
    rng = PRNG(as_int(seed, "pipeline.make_data(seed)"))
    points, labels = data.two_moons(as_int(count, "pipeline.make_data(count)", minimum=5), noise=NOISE, rng=rng)
    train_points, test_points, train_labels, test_labels = data.train_test_split(points, labels, TEST_FRACTION, rng)
    return train_points, test_points, train_labels, test_labels


def initial_model(hidden: int = HIDDEN, seed: int = 0) -> nn.MLP:
    """The document's network, 2 → hidden (tanh) → 2 (scores), W = N(0, 1)/√n_in from PRNG(seed), b = 0."""
    units = as_int(hidden, "pipeline.initial_model(hidden)", minimum=1)
    generator = PRNG(as_int(seed, "pipeline.initial_model(seed)"))
    return nn.MLP(2, [units, CLASSES], activation="tanh", output_activation="linear", init="xavier_randn",
                  rng=generator)


def _penalty(model: nn.MLP, reg_lambda: float, count: int) -> Value:
    """(λ/(2N))·ΣW² over the weights, not the biases: the document's (λ/2)ΣW², divided by N = count."""
    weights = [w for layer in model.layers for row in layer.weight for w in row]
    return losses.l2_regularization(weights, reg_lambda / (2.0 * count))


def _objective(model: nn.MLP, points: "Points", labels: "List[int]", reg_lambda: float) -> Value:
    """J = mean(Lᵢ) + (λ/(2N))·ΣW² on the scalar path, as a Value (see the module docstring)."""
    return losses.softmax_cross_entropy(model.batch(points), labels) + _penalty(model, reg_lambda, len(points))


def _dense_network(model: nn.MLP) -> dense.Network:
    """The dense path's copy of a scalar model: the same weights and biases, as lists of floats."""
    state = model.state_dict()
    return dense.Network([dense.DenseLayer(state["layers.0.weight"], state["layers.0.bias"], "tanh"),
                          dense.DenseLayer(state["layers.1.weight"], state["layers.1.bias"], "linear")])


def _train_scalar(model: nn.MLP, points: "Points", labels: "List[int]", epochs: int, learning_rate: float,
                 reg_lambda: float, progress: "Optional[Progress]" = None) -> "List[float]":
    """Train `model` in place by full-batch gradient descent on J; J per epoch, before its step."""
    def report(epoch: int, history: train.History) -> None:
        if progress is not None:
            progress.update(epoch + 1, history.loss[-1], history.accuracy[-1])
    optimizer = optim.SGD(model.parameters(), lr=learning_rate)
    history = train.fit(model, points, labels, losses.softmax_cross_entropy, optimizer, epochs=epochs,
                        shuffle=False, accuracy=metrics.argmax_accuracy, callback=report,
                        regularization=lambda m: _penalty(model, reg_lambda, len(points)))
    return history.loss


def _train_dense(network: dense.Network, points: "Points", labels: "List[int]", epochs: int, learning_rate: float,
                reg_lambda: float, progress: "Optional[Progress]" = None) -> "List[float]":
    """Train `network` in place by full-batch gradient descent on J; J per epoch, before its step."""
    optimizer = dense.Optimizer("sgd", learning_rate)
    parameters = network.parameters()
    history = []
    for epoch in range(epochs):
        scores, loss, gradients = network.loss_and_gradients(points, labels, "softmax_cross_entropy",
                                                             l2=reg_lambda / (2.0 * len(points)))
        optimizer.step(parameters, dense.flat_gradients(gradients))
        history.append(loss)
        if progress is not None:
            progress.update(epoch + 1, loss, metrics.argmax_accuracy(scores, labels))
    return history


def _settings(settings: "Any", where: str) -> "List[Tuple[str, Any]]":
    """`settings` as (name, number) pairs, each of SETTINGS among them; otherwise InputError."""
    pairs = []
    for index, pair in enumerate(as_list(settings, where, InputError, "(name, value) pairs")):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or not isinstance(pair[0], str):
            raise InputError(f"{where}[{index}]: expected a (name, value) pair, got {shown(pair)}")
        pairs.append((pair[0], pair[1]))
        as_float(pair[1], f"{where}[{index}] ({pair[0]})")
    missing = [name for name in SETTINGS if not any(known == name for known, _ in pairs)]
    if missing:
        raise InputError(f"{where}: expected the settings {', '.join(SETTINGS)}; missing {', '.join(missing)}")
    return pairs


class PipelineResult:
    """One run of the pipeline on one path: accuracies, the loss per epoch, the plots, a report."""

    def __init__(self, path: str, settings: "List[Tuple[str, Any]]", loss: "List[float]", train_accuracy: float,
                 test_accuracy: float, seconds: float, predict: "Callable[[List[float]], int]",
                 test_points: "Points", test_labels: "List[int]", sizes: "Tuple[int, int]") -> None:
        self.path = one_of(path, "PipelineResult(path)", PATHS, "path")
        self.settings = _settings(settings, "PipelineResult(settings)")
        self.loss = as_float_list(loss, "PipelineResult(loss)")
        self.train_accuracy = in_range(train_accuracy, "PipelineResult(train_accuracy)", 0.0, 1.0)
        self.test_accuracy = in_range(test_accuracy, "PipelineResult(test_accuracy)", 0.0, 1.0)
        self.seconds = in_range(seconds, "PipelineResult(seconds)", 0.0, float("inf"), include_high=False)
        self.predict = as_callable(predict, "PipelineResult(predict)")
        self.test_points = as_list(test_points, "PipelineResult(test_points)", InputError, "[x, y] points")
        self.test_labels = as_list(test_labels, "PipelineResult(test_labels)", InputError, "class labels")
        if not isinstance(sizes, (list, tuple)) or len(sizes) != 2:
            raise InputError(f"PipelineResult(sizes): expected a pair (training points, test points), got "
                             f"{shown(sizes)}")
        self.train_size = as_int(sizes[0], "PipelineResult(sizes)[0]", minimum=1)
        self.test_size = as_int(sizes[1], "PipelineResult(sizes)[1]", minimum=1)
        self._loss_svg = ""
        self._boundary_svg = ""

    def setting(self, name: str) -> "Any":
        for known, value in self.settings:
            if known == name:
                return value
        raise InputError(f"PipelineResult.setting(name): unknown setting {name!r}; expected one of "
                         f"{', '.join(known for known, _ in self.settings)}")

    @property
    def loss_svg(self) -> str:
        """The loss per epoch as an SVG line chart (drawn on first use)."""
        if not self._loss_svg:
            self._loss_svg = plot.line_chart(self.loss, title=f"Loss J per epoch ({self.path} path)", x_label="epoch",
                                             y_label="J = mean cross-entropy + (λ/2N)ΣW²")
        return self._loss_svg

    @property
    def boundary_svg(self) -> str:
        """The test points over the classes the trained network predicts, as SVG (drawn on first use)."""
        if not self._boundary_svg:
            self._boundary_svg = plot.decision_boundary(
                self.predict, self.test_points, self.test_labels,
                title=f"Decision boundary and the {self.test_size} test points ({self.path} path)")
        return self._boundary_svg

    def report(self) -> str:
        """What was run and what came out, one fact a line."""
        reg_lambda = self.setting("reg_lambda")
        n = self.train_size
        return "\n".join([
            f"002_22dd3b33c61b9037.txt's pipeline, {self.path} path",
            f"  data          two_moons({self.train_size + self.test_size}, noise={NOISE}) from "
            f"PRNG({self.setting('seed')}) (the document's create_data(300); SplitMix64, not NumPy's generator)",
            f"  split         {self.train_size} training, {self.test_size} test points (test_size 0.2)",
            f"  network       2 → {self.setting('hidden')} tanh → 2 scores → softmax cross-entropy; "
            "W = N(0,1)/√n_in, b = 0",
            f"  L2            λ = {reg_lambda:g} on the weights: dW += λW is the gradient of (λ/2)ΣW²",
            f"  descent       {self.setting('epochs')} full-batch steps W ← W − (learning_rate/N)·dW, "
            f"learning_rate = {self.setting('learning_rate'):g}, N = {n}",
            f"                = gradient descent at rate {self.setting('learning_rate'):g} on "
            "J = (1/N)(Σ Lᵢ + (λ/2)ΣW²)",
            f"  final loss    J = {self.loss[-1]:.6f} (epoch {len(self.loss)}, before its step)",
            f"  accuracy      train {100.0 * self.train_accuracy:.1f}%, test {100.0 * self.test_accuracy:.1f}%",
            f"  time          {self.seconds:.2f} s"])

    def __repr__(self) -> str:
        return (f"PipelineResult({self.path}, {len(self.loss)} epochs, train accuracy {self.train_accuracy:.3f}, "
                f"test accuracy {self.test_accuracy:.3f})")


def _largest(scores: "List[float]") -> int:
    return 0 if scores[0] >= scores[1] else 1


def run(path: str = "scalar", epochs: int = EPOCHS, hidden: int = HIDDEN, seed: int = 0,
        learning_rate: float = LEARNING_RATE, reg_lambda: float = REG_LAMBDA, verbose: "Optional[bool]" = None,
        stream: "Any" = None, points: int = POINTS) -> PipelineResult:
    """Run the pipeline on the "scalar" or the "dense" path and return its PipelineResult.

    verbose: None shows the progress line only where `stream` (sys.stdout by default) is a
    terminal; True shows it anywhere (plain lines on a non-terminal); False never.
    `points` is create_data's count (300, the document's); tests pass fewer to run quickly.
    """
    one_of(path, "pipeline.run(path)", PATHS, "path")
    epoch_count = as_int(epochs, "pipeline.run(epochs)", minimum=1)
    as_int(hidden, "pipeline.run(hidden)", minimum=1)
    as_int(seed, "pipeline.run(seed)")
    rate = in_range(learning_rate, "pipeline.run(learning_rate)", 0.0, float("inf"), include_high=False)
    strength = in_range(reg_lambda, "pipeline.run(reg_lambda)", 0.0, float("inf"), include_high=False)
    if verbose is not None and verbose is not True and verbose is not False:
        raise InputError(f"pipeline.run(verbose): expected True, False or None, got {shown(verbose)}")
    if stream is not None and not callable(getattr(stream, "write", None)):
        raise InputError(f"pipeline.run(stream): expected a text stream with a write() method (or None for "
                         f"sys.stdout), got {shown(stream)}")
    out = sys.stdout if stream is None else stream
    show = verbose if verbose is not None else _is_terminal(out)
    progress = Progress(epoch_count, out) if show else None
    count = as_int(points, "pipeline.run(points)", minimum=5)
    train_points, test_points, train_labels, test_labels = make_data(seed, count)
    model = initial_model(hidden, seed)
    seconds = clock()
    started = seconds()
    if path == "scalar":
        loss = _train_scalar(model, train_points, train_labels, epoch_count, rate, strength, progress)
        model.eval()

        def predict(point: "List[float]") -> int:
            return _largest([score.data for score in model(point)])
        train_scores = [[s.data for s in row] for row in model.batch(train_points)]
        test_scores = [[s.data for s in row] for row in model.batch(test_points)]
    else:
        network = _dense_network(model)
        loss = _train_dense(network, train_points, train_labels, epoch_count, rate, strength, progress)

        def predict(point: "List[float]") -> int:
            return _largest(network.forward([point])[0])
        train_scores = network.forward(train_points)
        test_scores = network.forward(test_points)
    elapsed = seconds() - started
    settings = [("epochs", epoch_count), ("hidden", hidden), ("seed", seed), ("learning_rate", rate),
                ("reg_lambda", strength)]
    return PipelineResult(path, settings, loss, metrics.argmax_accuracy(train_scores, train_labels),
                          metrics.argmax_accuracy(test_scores, test_labels), elapsed, predict, test_points,
                          test_labels, (len(train_points), len(test_points)))


def compare(first: PipelineResult, second: PipelineResult) -> float:
    """The largest relative difference |a − b| / max(|a|, |b|) between the two runs' losses per epoch
    (nan when a loss is nan: no agreement can be claimed)."""
    for name, result in (("first", first), ("second", second)):
        if not isinstance(result, PipelineResult):
            raise InputError(f"pipeline.compare({name}): expected a PipelineResult, got {shown(result)}")
    if len(first.loss) != len(second.loss):
        raise InputError(f"pipeline.compare: the runs have {len(first.loss)} and {len(second.loss)} epochs; "
                         "expected runs of the same length")
    largest = 0.0
    for a, b in zip(first.loss, second.loss):
        scale = max(abs(a), abs(b))
        difference = abs(a - b) / scale if scale > 0.0 else 0.0
        if difference != difference:  # a nan loss on one path: no agreement to measure
            return difference
        largest = max(largest, difference)
    return largest


USAGE = """usage: python -m refnet pipeline [--path scalar|dense|both] [--out DIR] [--epochs N] [--hidden N]
                                 [--seed N] [--quiet] [--help]

Runs 002_22dd3b33c61b9037.txt's pipeline: two moons of 300 points, an 80/20 split, a
2 → N tanh → 2 softmax network with L2 (λ = 0.01, the document's (λ/2)ΣW²), full-batch
gradient descent with the document's learning_rate/len(X) step. Prints what was run, the final
loss and the train and test accuracy, and writes loss.svg (the loss per epoch) and boundary.svg
(the test points over the predicted classes) into DIR.

    --path P      scalar (Values), dense (matrices) or both (default: both, and compares them)
    --out DIR     where to write loss.svg and boundary.svg (default: refnet-pipeline)
    --epochs N    gradient-descent steps (default: 200, the document's)
    --hidden N    hidden tanh units (default: 2, the document's nn_hdim)
    --seed N      seed of the data, the split and the initial weights (default: 0)
    --quiet       no progress line (it shows only on a terminal anyway)
    --help, -h    print this and stop

With both paths, the plots are the scalar path's. Exit status: 0; 1 when the two paths
disagree (a relative loss difference above 1e-9, or different accuracies); 2 for a usage error."""


class UsageError(Exception):
    """A pipeline command line that cannot be followed: one line saying what was wrong and what was expected."""


def _options(arguments: "List[str]") -> "Tuple[List[Tuple[str, str]], bool, bool]":
    """([(option, value)…], quiet, help) from the command line; UsageError for anything else."""
    valued = ("--path", "--out", "--epochs", "--hidden", "--seed")
    found: "List[Tuple[str, str]]" = []
    quiet = False
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        name, equals, value = argument.partition("=")
        if argument in ("--help", "-h"):
            return found, quiet, True
        if argument == "--quiet":
            quiet = True
        elif name in valued:
            if not equals:
                index += 1
                if index == len(arguments):
                    raise UsageError(f"{name}: expected a value after it, got none")
                value = arguments[index]
            if any(known == name for known, _ in found):
                raise UsageError(f"{name} given twice; expected it once")
            found.append((name, value))
        elif argument.startswith("-"):
            raise UsageError(f"unknown option {argument!r}; expected --path, --out, --epochs, --hidden, --seed, "
                             "--quiet or --help")
        else:
            raise UsageError(f"unexpected argument {argument!r}; expected options only (python -m refnet pipeline "
                             "--help)")
        index += 1
    return found, quiet, False


def _count(name: str, text: str, minimum: int) -> int:
    try:
        number = int(text)
    except ValueError:
        number = minimum - 1
    if number < minimum or not text.strip().lstrip("+").isdigit():
        raise UsageError(f"{name}: expected a whole number >= {minimum}, got {text!r}")
    return number


class ReaderGone(Exception):
    """The reader of stdout has gone (a closed pipe: python -m refnet pipeline | head -3)."""


def _write(text: str) -> None:
    """Print `text` on stdout; ReaderGone where the reader has gone, after silencing the exit's flush."""
    try:
        sys.stdout.write(text + "\n")
        flush = getattr(sys.stdout, "flush", None)
        if flush is not None:
            flush()
    except OSError:  # BrokenPipeError (EPIPE)
        files.silence_stdout()
        raise ReaderGone() from None


def command(arguments: "List[str]") -> int:
    """python -m refnet pipeline ARGUMENTS: run, print the reports, write the plots; the exit status."""
    if not isinstance(arguments, (list, tuple)) or not all(isinstance(argument, str) for argument in arguments):
        raise InputError(f"pipeline.command(arguments): expected a list of str (the command line after "
                         f"'pipeline'), got {shown(arguments)}")
    try:
        options, quiet, wants_help = _options(list(arguments))
        if wants_help:
            _write(USAGE)
            return 0
        settings = {"--path": "both", "--out": "refnet-pipeline", "--epochs": str(EPOCHS), "--hidden": str(HIDDEN),
                    "--seed": "0"}
        for name, value in options:
            settings[name] = value
        if settings["--path"] not in ("scalar", "dense", "both"):
            raise UsageError(f"--path: expected scalar, dense or both, got {settings['--path']!r}")
        epochs = _count("--epochs", settings["--epochs"], 1)
        hidden = _count("--hidden", settings["--hidden"], 1)
        seed = _count("--seed", settings["--seed"], 0)
        if not settings["--out"]:
            raise UsageError("--out: expected a directory, got ''")
        directory = settings["--out"].rstrip("/") or "/"
        try:
            files.make_directories(directory, "--out")
        except InputError as error:
            raise UsageError(str(error)) from None
    except UsageError as error:
        sys.stderr.write(f"refnet pipeline: {error}\n")
        return 2
    paths = PATHS if settings["--path"] == "both" else (settings["--path"],)
    status = 0
    try:
        results = []
        for path in paths:
            result = run(path, epochs, hidden, seed, verbose=False if quiet else None)
            results.append(result)
            _write(result.report() + "\n")
        if len(results) == 2:
            difference = compare(results[0], results[1])
            same = (results[0].train_accuracy == results[1].train_accuracy
                    and results[0].test_accuracy == results[1].test_accuracy)
            if difference <= AGREEMENT and same:
                _write(f"scalar and dense paths agree: largest loss difference {difference:.1e} (relative, "
                       f"at most {AGREEMENT:g} allowed), the same train and test accuracy\n")
            else:
                status = 1
                _write(f"scalar and dense paths DISAGREE: largest loss difference {difference:.1e} (relative, "
                       f"at most {AGREEMENT:g} allowed); accuracies {'the same' if same else 'differ'}\n")
        written = []
        for name, text in (("loss.svg", results[0].loss_svg), ("boundary.svg", results[0].boundary_svg)):
            target = directory + ("" if directory.endswith("/") else "/") + name
            files.write_text(target, text, "--out")  # UTF-8, whatever the locale says
            written.append(target)
        _write(f"wrote {written[0]} and {written[1]} ({results[0].path} path)")
    except ReaderGone:
        return status  # the reader closed the pipe: stop quietly
    except InputError as error:  # a plot that cannot be written (no permission, a full disk)
        sys.stderr.write(f"refnet pipeline: {error}\n")
        return 1
    return status
