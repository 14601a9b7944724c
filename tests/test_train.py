"""fit(): step counts, each step against a hand-computed gradient step, schedules, callbacks, dropout."""

from _support import all_close, close, raises
from refnet import InputError, ShapeError, Value
from refnet import data, losses, metrics, nn, optim, train
from refnet.prng import PRNG
from refnet.schedules import LinearDecay, StepDecay

# four examples of a linear regression problem, small exact numbers
X = [[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [-1.0, 0.5]]
T = [1.0, -1.0, 0.5, 2.0]
W0 = [0.1, -0.2]
B0 = 0.3


def linear_model(weights=W0, bias=B0):
    return nn.Layer(2, 1, activation="linear", weights=[list(weights)], biases=[bias])


def weights_of(model):
    return [w.data for w in model.weight[0]] + [model.bias[0].data]


def mse_gradient_step(w, b, examples, lr, l2=0.0):
    """One gradient-descent step on L = (1/n) Σ (w·x + b − t)² + λ(Σw² + b²), by hand.

    ∂L/∂wᵢ = (2/n) Σ (y − t) xᵢ + 2λwᵢ, ∂L/∂b = (2/n) Σ (y − t) + 2λb. Returns (w, b, L before the step).
    """
    n = len(examples)
    errors = [w[0] * x[0] + w[1] * x[1] + b - t for x, t in examples]
    loss = sum([e * e for e in errors], 0.0) / n + l2 * (w[0] ** 2 + w[1] ** 2 + b ** 2)
    grad_w = [2.0 / n * sum([e * x[i] for e, (x, _) in zip(errors, examples)], 0.0) + 2.0 * l2 * w[i]
              for i in range(2)]
    grad_b = 2.0 / n * sum(errors, 0.0) + 2.0 * l2 * b
    return [w[0] - lr * grad_w[0], w[1] - lr * grad_w[1]], b - lr * grad_b, loss


def blob_problem():
    points, labels = data.blobs(5, centers=[[-1.0, -1.0], [1.0, 1.0]], std=0.3, rng=PRNG(3))
    return points, data.signed_labels(labels)  # 10 examples, targets ±1


def test_step_counts_for_batch_stochastic_and_mini_batch():
    # 001: batch GD takes one step an epoch, stochastic one per example, mini-batch ⌈n/b⌉
    points, targets = blob_problem()
    n, epochs = 10, 3
    for batch_size in (None, 1, 3, 4, 5, 10, 11):
        per_epoch = 1 if batch_size is None else -(-n // batch_size)  # ⌈n/b⌉
        model = linear_model()
        optimizer = optim.SGD(model.parameters(), lr=0.01)
        history = train.fit(model, points, targets, losses.mse, optimizer, epochs=epochs, batch_size=batch_size,
                            rng=PRNG(0))
        assert len(history.step_loss) == epochs * per_epoch, batch_size
        assert optimizer.steps == epochs * per_epoch, batch_size
        assert len(history.loss) == epochs and history.accuracy == []


def test_batch_step_is_one_gradient_step_on_all_the_data():
    # batch_size None: the gradient of the mean loss over all four examples, computed by hand above
    model = linear_model()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    history = train.fit(model, X, T, losses.mse, optimizer, epochs=3, shuffle=False)
    w, b = list(W0), B0
    expected_losses = []
    for _ in range(3):
        w, b, loss = mse_gradient_step(w, b, list(zip(X, T)), 0.1)
        expected_losses.append(loss)
    assert all_close(weights_of(model), w + [b], rel=1e-12)
    assert all_close(history.step_loss, expected_losses, rel=1e-12)
    assert all_close(history.loss, expected_losses, rel=1e-12)  # one step an epoch: epoch loss = step loss


def test_stochastic_steps_visit_the_examples_in_order_without_shuffle():
    # batch_size 1, shuffle=False: one hand step per example, examples 0, 1, 2, 3, then again
    model = linear_model()
    optimizer = optim.SGD(model.parameters(), lr=0.05)
    history = train.fit(model, X, T, losses.mse, optimizer, epochs=2, batch_size=1, shuffle=False)
    w, b = list(W0), B0
    expected_losses = []
    for _ in range(2):
        for example in zip(X, T):
            w, b, loss = mse_gradient_step(w, b, [example], 0.05)
            expected_losses.append(loss)
    assert all_close(weights_of(model), w + [b], rel=1e-12)
    assert all_close(history.step_loss, expected_losses, rel=1e-12)


def test_mini_batches_follow_the_shuffled_order():
    # batch_size 3 on 4 examples: batches of 3 and 1 in an order shuffled by the rng each epoch;
    # the order is rng.shuffle(list(range(n))) per epoch (prng's Fisher–Yates), so a twin generator
    # gives the order for the hand steps
    model = linear_model()
    optimizer = optim.SGD(model.parameters(), lr=0.05)
    history = train.fit(model, X, T, losses.mse, optimizer, epochs=2, batch_size=3, rng=PRNG(6))
    twin = PRNG(6)
    w, b = list(W0), B0
    expected_losses = []
    for _ in range(2):
        order = twin.permutation(4)
        for start in (0, 3):
            examples = [(X[i], T[i]) for i in order[start:start + 3]]
            w, b, loss = mse_gradient_step(w, b, examples, 0.05)
            expected_losses.append(loss)
    assert all_close(weights_of(model), w + [b], rel=1e-12)
    assert all_close(history.step_loss, expected_losses, rel=1e-12)


def test_same_seed_same_training_other_seed_other_order():
    points, targets = blob_problem()
    runs = []
    for seed in (4, 4, 5):
        model = linear_model()
        history = train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.05), epochs=2,
                            batch_size=1, rng=PRNG(seed))
        runs.append((history.step_loss, weights_of(model)))
    assert runs[0] == runs[1]
    assert runs[0][0] != runs[2][0]


def test_epoch_loss_is_the_mean_of_its_step_losses():
    # train.py: per epoch, the mean step loss; 10 examples in batches of 3 → 4 steps an epoch
    points, targets = blob_problem()
    model = linear_model()
    history = train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.05), epochs=3,
                        batch_size=3, rng=PRNG(0))
    for epoch in range(3):
        steps = history.step_loss[4 * epoch:4 * epoch + 4]
        assert close(history.loss[epoch], sum(steps, 0.0) / 4, rel=1e-15)
    assert repr(history).startswith("History(3 epochs, 12 steps, last loss ")


def test_training_on_xor_lowers_the_loss():
    # a 2 → 8 → 1 tanh network fits XOR: the last epoch's loss is below a fifth of the first's
    # and every point is classified right (outputs above 0.5 for label 1)
    points, labels = data.xor()
    targets = [float(y) for y in labels]
    model = nn.MLP(2, [8, 1], activation="tanh", output_activation="sigmoid", rng=PRNG(1))
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    history = train.fit(model, points, targets, losses.mse, optimizer, epochs=150, accuracy=metrics.binary_accuracy)
    assert history.loss[-1] < 0.2 * history.loss[0]
    assert history.accuracy[-1] == 1.0
    assert [model(p)[0].data > 0.5 for p in points] == [False, True, True, False]


def test_mini_batch_training_on_blobs_lowers_the_hinge_loss():
    points, labels = data.blobs(20, centers=[[-1.0, -1.0], [1.0, 1.0]], std=0.4, rng=PRNG(2))
    targets = data.signed_labels(labels)
    model = nn.MLP(2, [4, 1], activation="tanh", rng=PRNG(1))
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    history = train.fit(model, points, targets, losses.binary_hinge, optimizer, epochs=15, batch_size=8, rng=PRNG(0),
                        accuracy=lambda s, t: metrics.binary_accuracy(s, t, threshold=0.0))
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert len(history.accuracy) == 15 and history.accuracy[-1] == 1.0


def test_accuracy_gets_the_epochs_predictions_and_targets():
    # train.py: accuracy(predictions made during the epoch, their targets), once per epoch
    calls = []

    def record(predictions, targets):
        calls.append((predictions, targets))
        return 0.25 * len(calls)

    model = linear_model()
    history = train.fit(model, X, T, losses.mse, optim.SGD(model.parameters(), lr=0.0), epochs=2, batch_size=3,
                        rng=PRNG(6), accuracy=record)
    assert history.accuracy == [0.25, 0.5]
    twin = PRNG(6)
    for predictions, targets in calls:
        order = twin.permutation(4)
        assert targets == [T[i] for i in order]
        # a one-output row is unwrapped when the target is a number (train._prediction), and handed
        # over as its float: no graph outlives its step
        assert all(type(p) is float for p in predictions)
        # lr = 0: the weights stay at W0, B0, so each prediction is W0·x + B0
        assert all_close(predictions, [W0[0] * X[i][0] + W0[1] * X[i][1] + B0 for i in order],
                         rel=1e-15)


def test_list_targets_keep_the_output_rows():
    # targets given as rows keep the model's list output: predictions are lists, as the targets
    seen = []
    model = linear_model()
    train.fit(model, X, [[t] for t in T], losses.mse, optim.SGD(model.parameters(), lr=0.0), shuffle=False,
              accuracy=lambda p, t: seen.append((p, t)) or 0.0)
    predictions, targets = seen[0]
    assert targets == [[t] for t in T]
    assert all(isinstance(p, list) and len(p) == 1 for p in predictions)


def test_callback_runs_after_every_epoch_with_the_history():
    # callback(epoch, history) after each epoch; history is the object fit returns
    points, targets = blob_problem()
    seen = []
    model = linear_model()
    history = train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.01), epochs=3,
                        batch_size=5, rng=PRNG(0),
                        callback=lambda epoch, h: seen.append((epoch, h, len(h.loss), len(h.step_loss))))
    assert [(epoch, size, steps) for epoch, _, size, steps in seen] == [(0, 1, 2), (1, 2, 4), (2, 3, 6)]
    assert all(h is history for _, h, _, _ in seen)


def test_schedule_sets_the_rate_before_each_step():
    # fit sets optimizer.lr = schedule(k) before step k = 0, 1, …; hand steps with those rates
    schedule = LinearDecay(0.2, 0.05, 3)  # 0.2, 0.15, 0.1, 0.05, 0.05
    model = linear_model()
    optimizer = optim.SGD(model.parameters(), lr=1.0)
    history = train.fit(model, X, T, losses.mse, optimizer, epochs=5, shuffle=False, schedule=schedule)
    w, b = list(W0), B0
    expected_losses = []
    for k, lr in enumerate([0.2, 0.15, 0.1, 0.05, 0.05]):
        assert close(schedule(k), lr, rel=1e-12)
        w, b, loss = mse_gradient_step(w, b, list(zip(X, T)), lr)
        expected_losses.append(loss)
    assert all_close(weights_of(model), w + [b], rel=1e-12)
    assert all_close(history.step_loss, expected_losses, rel=1e-12)
    assert close(optimizer.lr, 0.05, rel=1e-12)  # the rate of the last step stays set


def test_schedule_counts_steps_not_epochs():
    # 10 examples in batches of 5: steps 0 … 5 over 3 epochs; after epoch e the last step was 2e + 1,
    # so optimizer.lr = 0.1·0.5^(2e + 1) (StepDecay with step_size 1)
    points, targets = blob_problem()
    rates = []
    model = linear_model()
    optimizer = optim.SGD(model.parameters(), lr=1.0)
    train.fit(model, points, targets, losses.mse, optimizer, epochs=3, batch_size=5, rng=PRNG(0),
              schedule=StepDecay(0.1, step_size=1, gamma=0.5), callback=lambda epoch, h: rates.append(optimizer.lr))
    assert all_close(rates, [0.1 * 0.5 ** 1, 0.1 * 0.5 ** 3, 0.1 * 0.5 ** 5], rel=1e-15)


def test_regularization_adds_to_the_loss_and_to_the_gradient():
    # step loss = loss + regularization(model); with λ(Σw² + b²) = 0.5·(0.01 + 0.04 + 0.09) = 0.07
    model = linear_model()
    plain = train.fit(model, X, T, losses.mse, optim.SGD(model.parameters(), lr=0.0), shuffle=False)
    regular = train.fit(model, X, T, losses.mse, optim.SGD(model.parameters(), lr=0.0), shuffle=False,
                        regularization=lambda m: losses.l2_regularization(m.parameters(), 0.5))
    assert close(regular.step_loss[0] - plain.step_loss[0], 0.07, rel=1e-12)
    # and its gradient 2λw joins the step: the hand step with the penalty included
    model = linear_model()
    history = train.fit(model, X, T, losses.mse, optim.SGD(model.parameters(), lr=0.1), epochs=2, shuffle=False,
                        regularization=lambda m: losses.l2_regularization(m.parameters(), 0.5))
    w, b = list(W0), B0
    for _ in range(2):
        w, b, loss = mse_gradient_step(w, b, list(zip(X, T)), 0.1, l2=0.5)
    assert all_close(weights_of(model), w + [b], rel=1e-12)
    assert close(history.step_loss[-1], loss, rel=1e-12)


def test_bad_arguments_raise_and_change_nothing():
    points, targets = blob_problem()
    model = linear_model()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    before = weights_of(model)
    cases = [
        (InputError, ("not a model", points, targets, losses.mse, optimizer), {}, "fit(model)"),
        (InputError, (model, points, targets, losses.mse, "sgd"), {}, "fit(optimizer)"),
        (ShapeError, (model, points, targets[:3], losses.mse, optimizer), {}, "inputs"),
        (InputError, (model, [], [], losses.mse, optimizer), {}, "none"),
        (InputError, (model, points, targets, losses.mse, optimizer), {"epochs": 0}, "fit(epochs)"),
        (InputError, (model, points, targets, losses.mse, optimizer), {"epochs": 1.5}, "fit(epochs)"),
        (InputError, (model, points, targets, losses.mse, optimizer), {"batch_size": 0}, "fit(batch_size)"),
        (InputError, (model, points, targets, losses.mse, optimizer), {"rng": 42}, "fit(rng)"),
    ]
    for kind, args, kwargs, words in cases:
        error = raises(kind, train.fit, *args, **kwargs)
        assert words in str(error), (words, str(error))
    assert weights_of(model) == before and optimizer.steps == 0


def test_dropout_is_inverted_deterministic_by_rng_and_off_in_eval_mode():
    # 003: drop units with probability p while training; survivors × 1/(1 − p) (PyTorch's inverted dropout)
    x = [Value(1.5) for _ in range(200)]
    out = [v.data for v in nn.Dropout(0.5, rng=PRNG(2))(x)]
    assert set(out) == {0.0, 3.0}
    # the number dropped is Binomial(200, ½): σ ≈ 7.1, so 60 … 140 is over 5 σ each side
    assert 60 < out.count(0.0) < 140
    assert out == [v.data for v in nn.Dropout(0.5, rng=PRNG(2))(x)]  # the same rng draws the same mask
    assert out != [v.data for v in nn.Dropout(0.5, rng=PRNG(3))(x)]
    layer = nn.Dropout(0.5, rng=PRNG(2))
    layer.eval()
    assert [v.data for v in layer(x)] == [1.5] * 200
    assert [v.data for v in nn.Dropout(0.0, rng=PRNG(2))(x)] == [1.5] * 200  # p = 0 keeps everything
    for bad in (1.0, -0.1, 1.5):
        error = raises(InputError, nn.Dropout, bad)
        assert "Dropout(p)" in str(error)


def test_training_with_dropout_is_deterministic_by_seed():
    # MLP(dropout=…) draws its masks from the model's rng: same seeds, same training
    points, targets = blob_problem()
    runs = []
    for _ in range(2):
        model = nn.MLP(2, [6, 1], activation="tanh", rng=PRNG(1), dropout=0.5)
        history = train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.05), epochs=2,
                            batch_size=5, rng=PRNG(0))
        runs.append((history.step_loss, model.state_dict()))
    assert runs[0] == runs[1]
    model = nn.MLP(2, [6, 1], activation="tanh", rng=PRNG(1), dropout=0.0)
    history = train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.05), epochs=2,
                        batch_size=5, rng=PRNG(0))
    assert history.step_loss != runs[0][0]  # the masks changed the steps


class FakeStream:
    """A text stream that keeps what is written; a terminal or not, as asked."""

    def __init__(self, terminal):
        self.terminal = terminal
        self.text = ""

    def write(self, text):
        self.text += text

    def isatty(self):
        return self.terminal


def test_verbose_fit_writes_about_ten_plain_lines_to_a_non_terminal():
    # 20 epochs: a line every ⌈20/10⌉ = 2 epochs, 2, 4, …, 20; each shows that epoch's mean loss
    # (history.loss, 6 decimals) and accuracy; the last says how long the run took
    points, targets = blob_problem()
    stream = FakeStream(False)
    model = linear_model()
    history = train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.05), epochs=20,
                        batch_size=5, rng=PRNG(0), verbose=True, progress_stream=stream,
                        accuracy=lambda scores, t: metrics.binary_accuracy(scores, t, threshold=0.0))
    lines = stream.text.split("\n")
    assert lines[-1] == "" and len(lines) == 11 and "\r" not in stream.text
    for line, epoch in zip(lines, range(2, 21, 2)):
        assert line.startswith(f"epoch {epoch:>2}/20  loss {history.loss[epoch - 1]:.6f}  accuracy "), line
        assert f"{100.0 * history.accuracy[epoch - 1]:.1f}%" in line
    assert " left" in lines[0] and "done in " in lines[9]


def test_verbose_fit_on_a_terminal_rewrites_one_line_and_ends_it():
    points, targets = blob_problem()
    stream = FakeStream(True)
    model = linear_model()
    train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.05), epochs=5, rng=PRNG(0),
              verbose=True, progress_stream=stream)
    assert stream.text.startswith("\repoch 1/5  loss ") and stream.text.endswith("\n")
    assert stream.text.count("\n") == 1 and "epoch 5/5" in stream.text and "accuracy" not in stream.text


def test_fit_is_silent_unless_verbose_and_the_callback_still_runs():
    points, targets = blob_problem()
    stream = FakeStream(True)
    epochs_seen = []
    model = linear_model()
    train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.05), epochs=3, rng=PRNG(0),
              progress_stream=stream, callback=lambda epoch, history: epochs_seen.append(epoch))
    assert stream.text == "" and epochs_seen == [0, 1, 2]


def test_verbose_fit_writes_to_stdout_by_default():
    import sys
    from _support import skip
    points, targets = blob_problem()
    stream = FakeStream(False)
    saved = sys.stdout
    try:
        sys.stdout = stream
    except (AttributeError, TypeError):
        skip("sys.stdout cannot be replaced on " + sys.implementation.name)
    try:
        model = linear_model()
        train.fit(model, points, targets, losses.mse, optim.SGD(model.parameters(), lr=0.05), epochs=2,
                  rng=PRNG(0), verbose=True)
    finally:
        sys.stdout = saved
    assert stream.text.startswith("epoch 1/2  loss ") and stream.text.count("\n") == 2


def test_verbose_must_be_a_bool_and_the_stream_writable():
    points, targets = blob_problem()
    model = linear_model()
    optimizer = optim.SGD(model.parameters(), lr=0.05)
    for bad in (1, "yes", None):
        error = raises(InputError, train.fit, model, points, targets, losses.mse, optimizer, verbose=bad)
        assert "fit(verbose): expected True or False" in str(error), str(error)
    error = raises(InputError, train.fit, model, points, targets, losses.mse, optimizer, verbose=True,
                   progress_stream=42)
    assert "fit(progress_stream)" in str(error) and "write()" in str(error)
    assert optimizer.steps == 0
