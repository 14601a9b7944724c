"""Every op, activation and loss: backpropagated gradients agree with central differences.

Inputs are drawn from refnet's seeded PRNG and kept away from kinks (ReLU, leaky ReLU and |x|
at 0, max at a tie, hinges at their margin), where a difference quotient straddles two slopes
and no single derivative exists to compare with. The bar is relative error < 1e-6 (float64).
"""

from refnet import losses as L
from refnet.gradcheck import gradcheck
from refnet.nn import softmax
from refnet.prng import PRNG

TRIALS = 5


def away_from_zero(rng, low, high, gap=0.1):
    """A uniform draw from [low, high] at least `gap` away from 0."""
    while True:
        x = rng.uniform(low, high)
        if abs(x) >= gap:
            return x


def check(name, f, inputs):
    report = gradcheck(f, inputs, rtol=1e-6)
    assert report.ok, f"{name}: {report}"


UNARY = [
    ("exp", lambda v: v.exp(), -3.0, 3.0),
    ("log", lambda v: v.log(), 0.2, 5.0),
    ("tanh", lambda v: v.tanh(), -3.0, 3.0),
    ("sigmoid", lambda v: v.sigmoid(), -6.0, 6.0),
    ("relu", lambda v: v.relu(), -3.0, 3.0),
    ("leaky_relu", lambda v: v.leaky_relu(0.05), -3.0, 3.0),
    ("abs", lambda v: v.abs(), -3.0, 3.0),
    ("neg", lambda v: -v, -3.0, 3.0),
    ("pow 3", lambda v: v ** 3, -2.0, 2.0),
    ("pow -2", lambda v: v ** -2, 0.5, 3.0),
    ("pow 0.5", lambda v: v ** 0.5, 0.5, 3.0),
    ("number / v", lambda v: 2.0 / v, 0.5, 3.0),
    ("number - v", lambda v: 2.0 - v, -3.0, 3.0),
    ("number ** v", lambda v: 1.7 ** v, -2.0, 2.0),
]

BINARY = [
    ("+", lambda a, b: a + b),
    ("-", lambda a, b: a - b),
    ("*", lambda a, b: a * b),
    ("/", lambda a, b: a / b),
    ("max", lambda a, b: a.max(a, b)),
]


def test_unary_ops_match_central_differences():
    rng = PRNG(100)
    for name, op, low, high in UNARY:
        for _ in range(TRIALS):
            check(name, lambda xs, op=op: op(xs[0]), [away_from_zero(rng, low, high)])


def test_binary_ops_match_central_differences():
    rng = PRNG(101)
    for name, op in BINARY:
        for _ in range(TRIALS):
            a = away_from_zero(rng, -3.0, 3.0)
            b = away_from_zero(rng, -3.0, 3.0)
            if abs(a - b) < 0.1:  # keep max away from its tie
                b += 0.5
            check(name, lambda xs, op=op: op(xs[0], xs[1]), [a, b])


def test_power_with_value_exponent_matches_central_differences():
    rng = PRNG(102)
    for _ in range(TRIALS):
        check("a ** b", lambda xs: xs[0] ** xs[1], [rng.uniform(0.3, 3.0), rng.uniform(-2.0, 2.0)])


def test_composite_expression_with_fan_in_matches_central_differences():
    rng = PRNG(103)
    for _ in range(TRIALS):
        def f(xs):
            a, b, c = xs
            shared = a * b + c.tanh()  # used three times: gradients add where branches meet
            return shared * shared + shared.sigmoid() * a - (b / (c * c + 1.0)).exp()
        check("composite", f, [rng.uniform(-2.0, 2.0) for _ in range(3)])


def rows(flat, width):
    return [flat[k:k + width] for k in range(0, len(flat), width)]


def test_regression_losses_match_central_differences():
    rng = PRNG(104)
    for _ in range(TRIALS):
        targets = [away_from_zero(rng, -2.0, 2.0, gap=0.5) for _ in range(4)]
        # predictions kept 0.1 away from their targets, the kink of |y - t|
        predictions = [t + away_from_zero(rng, -1.0, 1.0) for t in targets]
        check("mse", lambda xs: L.mse(xs, targets), predictions)
        check("mae", lambda xs: L.mae(xs, targets), predictions)
        check("mape", lambda xs: L.mape(xs, targets), predictions)
        check("half_squared_error", lambda xs: L.half_squared_error(rows(xs, 2), rows(targets, 2)), predictions)


def test_probability_losses_match_central_differences():
    rng = PRNG(105)
    for _ in range(TRIALS):
        probabilities = [rng.uniform(0.05, 0.95) for _ in range(4)]
        targets = [rng.uniform(0.0, 1.0) for _ in range(4)]
        check("binary_cross_entropy", lambda xs: L.binary_cross_entropy(xs, targets), probabilities)
        one_hot = [[1.0, 0.0], [0.0, 1.0]]
        check("categorical_cross_entropy", lambda xs: L.categorical_cross_entropy(rows(xs, 2), one_hot),
              probabilities)
        check("sparse_categorical_cross_entropy",
              lambda xs: L.sparse_categorical_cross_entropy(rows(xs, 2), [0, 1]), probabilities)


def test_logit_losses_match_central_differences():
    rng = PRNG(106)
    for _ in range(TRIALS):
        logits = [rng.uniform(-3.0, 3.0) for _ in range(6)]
        labels = [rng.below(3), rng.below(3)]
        check("softmax_cross_entropy", lambda xs: L.softmax_cross_entropy(rows(xs, 3), labels), logits)
        check("softmax then categorical_cross_entropy",
              lambda xs: L.categorical_cross_entropy([softmax(r) for r in rows(xs, 3)],
                                                     [[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]), logits)


def test_hinge_losses_match_central_differences_away_from_the_margin():
    rng = PRNG(107)
    checked = 0
    while checked < TRIALS:
        scores = [rng.uniform(-2.0, 2.0) for _ in range(6)]
        labels = [rng.below(3), rng.below(3)]
        margins = [scores[3 * n + j] - scores[3 * n + labels[n]] + 1.0
                   for n in range(2) for j in range(3) if j != labels[n]]
        if min(abs(m) for m in margins) < 0.05:
            continue  # too close to a margin: draw again
        check("multiclass_hinge", lambda xs: L.multiclass_hinge(rows(xs, 3), labels), scores)
        checked += 1
        signs = [1.0, -1.0, 1.0]
        binary_scores = [y * (1.0 + away_from_zero(rng, -0.9, 0.9)) for y in signs]  # y·s ≠ 1
        check("binary_hinge", lambda xs: L.binary_hinge(xs, signs), binary_scores)


def test_l2_regularization_matches_central_differences():
    rng = PRNG(108)
    for _ in range(TRIALS):
        check("l2_regularization", lambda xs: L.l2_regularization(xs, 0.3), [rng.uniform(-2.0, 2.0) for _ in range(5)])
