"""fit(): step counts for batch, stochastic and mini-batch descent; schedules, callbacks, dropout."""

from _support import close, raises

from refnet import RefnetError
from refnet import data, losses, metrics, nn, optim, train
from refnet.prng import PRNG
from refnet.schedules import StepDecay
from refnet.value import Value


def small_problem():
    points, labels = data.blobs(5, centers=[[-1.0, -1.0], [1.0, 1.0]], std=0.3, rng=PRNG(3))
    return points, data.signed_labels(labels)


def model_and_optimizer(lr=0.05):
    model = nn.MLP(2, [4, 1], activation="tanh", rng=PRNG(1))
    return model, optim.SGD(model.parameters(), lr=lr)


def test_step_counts_for_batch_stochastic_and_mini_batch():
    points, targets = small_problem()  # 10 examples
    for batch_size, steps_per_epoch in ((None, 1), (1, 10), (4, 3)):  # ⌈10 / b⌉ steps an epoch
        model, optimizer = model_and_optimizer()
        history = train.fit(model, points, targets, losses.binary_hinge, optimizer, epochs=3, batch_size=batch_size,
                            rng=PRNG(0))
        assert len(history.step_loss) == 3 * steps_per_epoch and len(history.loss) == 3


def test_training_lowers_the_loss_and_records_accuracy():
    points, targets = small_problem()
    model, optimizer = model_and_optimizer(lr=0.1)
    history = train.fit(model, points, targets, losses.binary_hinge, optimizer, epochs=20, batch_size=None,
                        accuracy=lambda s, t: metrics.binary_accuracy(s, t, threshold=0.0))
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert len(history.accuracy) == 20 and history.accuracy[-1] == 1.0


def test_epoch_loss_is_the_mean_of_its_steps():
    points, targets = small_problem()
    model, optimizer = model_and_optimizer()
    history = train.fit(model, points, targets, losses.binary_hinge, optimizer, epochs=2, batch_size=5, rng=PRNG(0))
    assert close(history.loss[0], (history.step_loss[0] + history.step_loss[1]) / 2)


def test_schedule_sets_lr_before_each_step_and_callback_runs_per_epoch():
    points, targets = small_problem()
    model, optimizer = model_and_optimizer()
    seen = []
    train.fit(model, points, targets, losses.binary_hinge, optimizer, epochs=3, batch_size=5, rng=PRNG(0),
              schedule=StepDecay(0.1, step_size=2, gamma=0.5), callback=lambda epoch, h: seen.append((epoch, len(h.step_loss))))
    assert seen == [(0, 2), (1, 4), (2, 6)]
    assert close(optimizer.lr, 0.1 * 0.5 ** 2)  # the last step is k = 5: 0.1·0.5^(5 // 2)


def test_regularization_adds_to_the_loss():
    points, targets = small_problem()
    model, optimizer = model_and_optimizer(lr=0.0)  # lr 0 keeps the weights, so the losses compare
    plain = train.fit(model, points, targets, losses.binary_hinge, optimizer, batch_size=None)
    penalty = losses.l2_regularization(model.parameters(), 0.5).data
    regular = train.fit(model, points, targets, losses.binary_hinge, optimizer, batch_size=None,
                        regularization=lambda m: losses.l2_regularization(m.parameters(), 0.5))
    assert close(regular.step_loss[0], plain.step_loss[0] + penalty)


def test_bad_arguments_raise():
    points, targets = small_problem()
    model, optimizer = model_and_optimizer()
    raises(RefnetError, train.fit, model, points, targets[:3], losses.binary_hinge, optimizer)
    raises(RefnetError, train.fit, model, points, targets, losses.binary_hinge, optimizer, epochs=0)
    raises(RefnetError, train.fit, model, points, targets, losses.binary_hinge, optimizer, batch_size=0)
    raises(RefnetError, train.fit, model, [], [], losses.binary_hinge, optimizer)
    raises(RefnetError, train.fit, model, points, targets, losses.binary_hinge, "sgd")


def test_dropout_is_inverted_and_off_in_eval_mode():
    # 003: drop units with probability p while training; scale the kept ones by 1/(1 − p)
    layer = nn.Dropout(0.5, rng=PRNG(2))
    x = [Value(1.0) for _ in range(200)]
    out = [v.data for v in layer(x)]
    # kept units are 1/(1 − 0.5) = 2; the count of drops is Binomial(200, ½): σ ≈ 7, so 60…140 is > 5σ wide
    assert set(out) <= {0.0, 2.0} and 60 < out.count(0.0) < 140
    assert out == [v.data for v in nn.Dropout(0.5, rng=PRNG(2))(x)]  # the same rng draws the same mask
    layer.eval()
    assert [v.data for v in layer(x)] == [1.0] * 200
    raises(RefnetError, nn.Dropout, 1.0)
