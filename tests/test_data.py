"""Data generators, one-hot, splits and mini-batches."""

import math

from _support import raises

from refnet import RefnetError
from refnet import data
from refnet.prng import PRNG


def test_xor():
    points, labels = data.xor()
    assert points == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] and labels == [0, 1, 1, 0]


def test_two_moons_shape_labels_and_noise_free_geometry():
    points, labels = data.two_moons(10, noise=0.0, rng=PRNG(0))
    assert len(points) == 10 and labels == [0] * 5 + [1] * 5
    # closed form without noise: upper moon on the unit circle, lower on (1 − cos θ, 0.5 − sin θ)
    assert all(abs(x * x + y * y - 1.0) < 1e-12 for (x, y) in points[:5])
    assert all(abs((1.0 - x) ** 2 + (0.5 - y) ** 2 - 1.0) < 1e-12 for (x, y) in points[5:])


def test_generators_are_deterministic_by_seed():
    for make in (lambda r: data.two_moons(20, 0.1, r), lambda r: data.spiral(10, 3, 0.2, r), lambda r: data.blobs(5, rng=r)):
        assert make(PRNG(1)) == make(PRNG(1))
        assert make(PRNG(1))[0] != make(PRNG(2))[0]


def test_spiral_and_blobs_sizes_and_labels():
    points, labels = data.spiral(10, classes=3, rng=PRNG(0))
    assert len(points) == 30 and labels == [0] * 10 + [1] * 10 + [2] * 10
    points, labels = data.blobs(4, centers=[[0.0, 0.0], [5.0, 5.0], [-5.0, 5.0]], std=0.0, rng=PRNG(0))
    assert labels == [0] * 4 + [1] * 4 + [2] * 4 and points[4] == [5.0, 5.0]


def test_one_hot_and_signed_labels():
    assert data.one_hot([2, 0], 3) == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    assert data.signed_labels([0, 1, 1]) == [-1.0, 1.0, 1.0]
    raises(RefnetError, data.one_hot, [3], 3)
    raises(RefnetError, data.signed_labels, [2])


def test_train_test_split_300_points_80_20_as_in_002():
    # 002: create_data(300), 80/20 split → 240 training and 60 test points
    inputs = list(range(300))
    targets = [i * 10 for i in inputs]
    train_x, test_x, train_y, test_y = data.train_test_split(inputs, targets, 0.2, rng=PRNG(0))
    assert (len(train_x), len(test_x)) == (240, 60)
    assert sorted(train_x + test_x) == inputs and not set(train_x) & set(test_x)
    assert all(y == 10 * x for x, y in zip(train_x + test_x, train_y + test_y))
    assert data.train_test_split(inputs, targets, 0.2, rng=PRNG(0)) == (train_x, test_x, train_y, test_y)


def test_train_test_split_rounds_the_test_size_up():
    # ⌈10 · 0.25⌉ = 3, as scikit-learn
    _, test_x, _, _ = data.train_test_split(list(range(10)), list(range(10)), 0.25, shuffle=False)
    assert test_x == [0, 1, 2] and math.ceil(10 * 0.25) == 3
    raises(RefnetError, data.train_test_split, [1, 2], [1, 2], 0.9)
    raises(RefnetError, data.train_test_split, [1, 2], [1], 0.5)
    raises(RefnetError, data.train_test_split, [1, 2], [1, 2], 1.0)


def test_batches_cover_every_example_once():
    inputs = list(range(10))
    chunks = list(data.batches(inputs, inputs, 4))
    assert [len(x) for x, _ in chunks] == [4, 4, 2] and [x for c, _ in chunks for x in c] == inputs
    shuffled = list(data.batches(inputs, inputs, 3, rng=PRNG(2)))
    seen = [x for c, _ in shuffled for x in c]
    assert sorted(seen) == inputs and seen != inputs
    assert seen == [x for c, _ in data.batches(inputs, inputs, 3, rng=PRNG(2)) for x in c]
    raises(RefnetError, lambda: list(data.batches(inputs, inputs, 0)))
