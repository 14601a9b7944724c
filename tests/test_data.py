"""Data sets, one-hot and signed labels, train/test splits and mini-batches."""

import math

from _support import close, raises
from refnet import InputError, ShapeError
from refnet import data
from refnet.prng import PRNG


def test_xor_is_the_truth_table():
    # label = a XOR b for the four corners of the unit square (003's XOR network)
    points, labels = data.xor()
    assert points == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    assert labels == [int(a) ^ int(b) for a, b in points] == [0, 1, 1, 0]
    points[0][0] = 9.0
    assert data.xor()[0][0] == [0.0, 0.0]  # a fresh list each call


def test_two_moons_sizes_and_labels():
    # the upper moon (label 0) gets n − n//2 points and comes first
    points, labels = data.two_moons(100, rng=PRNG(0))
    assert len(points) == 100 and all(len(p) == 2 for p in points)
    assert labels == [0] * 50 + [1] * 50
    points, labels = data.two_moons(7, rng=PRNG(0))
    assert labels == [0, 0, 0, 0, 1, 1, 1]
    points, labels = data.two_moons(2, noise=0.0, rng=PRNG(0))
    # one point each: θ = 0, so (cos 0, sin 0) = (1, 0) and (1 − cos 0, 0.5 − sin 0) = (0, 0.5)
    assert points == [[1.0, 0.0], [0.0, 0.5]] and labels == [0, 1]


def test_two_moons_without_noise_lie_on_the_two_half_circles():
    # θ in equal steps over [0, π]: upper (cos θ, sin θ), lower (1 − cos θ, 0.5 − sin θ);
    # n = 7: upper θ = 0, π/3, 2π/3, π; lower θ = 0, π/2, π
    points, _ = data.two_moons(7, noise=0.0, rng=PRNG(0))
    half = math.sqrt(3.0) / 2.0
    expected = [[1.0, 0.0], [0.5, half], [-0.5, half], [-1.0, 0.0], [0.0, 0.5], [1.0, -0.5], [2.0, 0.5]]
    for point, want in zip(points, expected):
        assert close(point[0], want[0], abs_tol=1e-15) and close(point[1], want[1], abs_tol=1e-15), (point, want)
    many, _ = data.two_moons(40, noise=0.0, rng=PRNG(0))
    assert all(close(x * x + y * y, 1.0, abs_tol=1e-12) for x, y in many[:20])
    assert all(close((1.0 - x) ** 2 + (0.5 - y) ** 2, 1.0, abs_tol=1e-12) for x, y in many[20:])


def test_two_moons_noise_is_drawn_per_point_x_then_y():
    # docstring: N(0, noise²) jitter, drawn per point, x then y; recomputed from a twin's normals
    points, _ = data.two_moons(6, noise=0.1, rng=PRNG(3))
    twin = PRNG(3)
    theta = math.pi * 1 / 2  # the second upper point of 3
    assert points[0] == [1.0 + 0.1 * twin.normal(), 0.0 + 0.1 * twin.normal()]
    assert points[1] == [math.cos(theta) + 0.1 * twin.normal(), math.sin(theta) + 0.1 * twin.normal()]


def test_spiral_sizes_labels_and_radii():
    # arm k, point k: radius r = k/(n − 1), so |point| = r whatever the angle noise
    points, labels = data.spiral(10, classes=3, rng=PRNG(0))
    assert len(points) == 30 and labels == [0] * 10 + [1] * 10 + [2] * 10
    for index, (x, y) in enumerate(points):
        assert close(math.sqrt(x * x + y * y), (index % 10) / 9.0, rel=1e-12, abs_tol=1e-15)
    default_points, default_labels = data.spiral(rng=PRNG(0))
    assert len(default_points) == 300 and sorted(set(default_labels)) == [0, 1, 2]


def test_spiral_without_noise_follows_its_formula():
    # angle 4k + 4r, point (r sin t, r cos t); arm 1, last point: r = 1, t = 8
    points, _ = data.spiral(5, classes=2, noise=0.0, rng=PRNG(0))
    assert close(points[9][0], math.sin(8.0), rel=1e-15) and close(points[9][1], math.cos(8.0), rel=1e-15)
    assert points[0] == [0.0, 0.0]  # r = 0
    # arm 0, r = ½: t = 2
    assert close(points[2][0], 0.5 * math.sin(2.0), rel=1e-15) and close(points[2][1], 0.5 * math.cos(2.0), rel=1e-15)


def test_blobs_sizes_labels_and_exact_construction():
    points, labels = data.blobs(rng=PRNG(0))  # defaults: 50 around (−2, −2), 50 around (2, 2)
    assert len(points) == 100 and labels == [0] * 50 + [1] * 50
    # each coordinate is centre + std·normal(), drawn point by point, coordinate by coordinate
    centers = [[0.0, 1.0, 2.0], [-5.0, 5.0, 0.5]]
    points, labels = data.blobs(3, centers=centers, std=0.5, rng=PRNG(7))
    twin = PRNG(7)
    expected = [[c + 0.5 * twin.normal() for c in center] for center in centers for _ in range(3)]
    assert points == expected and labels == [0, 0, 0, 1, 1, 1]
    # std = 0: every point is its centre
    points, _ = data.blobs(4, centers=[[0.0, 0.0], [5.0, 5.0], [-5.0, 5.0]], std=0.0, rng=PRNG(0))
    assert points == [[0.0, 0.0]] * 4 + [[5.0, 5.0]] * 4 + [[-5.0, 5.0]] * 4


def test_blobs_centres_of_mass():
    # sanity check: the mean of 50 N(c, 1) coordinates has σ = 1/√50 ≈ 0.14; the bound 0.8 is over 5 σ
    points, labels = data.blobs(50, rng=PRNG(5))
    for label, center in ((0, -2.0), (1, 2.0)):
        chosen = [p for p, y in zip(points, labels) if y == label]
        for axis in (0, 1):
            assert abs(sum([p[axis] for p in chosen], 0.0) / 50 - center) < 0.8


def test_generators_are_deterministic_by_seed_and_seeds_differ():
    makers = [
        lambda r: data.two_moons(20, 0.1, r),
        lambda r: data.spiral(10, 3, 0.2, r),
        lambda r: data.blobs(5, rng=r),
    ]
    for make in makers:
        assert make(PRNG(1)) == make(PRNG(1))
        assert make(PRNG(1))[0] != make(PRNG(2))[0]
        assert make(PRNG(1))[1] == make(PRNG(2))[1]  # the labels do not depend on the draws


def test_generator_bad_arguments_raise():
    cases = [
        (data.two_moons, (1,), {}, "two_moons(n)"),
        (data.two_moons, (10,), {"noise": -0.1}, "two_moons(noise)"),
        (data.two_moons, (10,), {"rng": 3}, "two_moons(rng)"),
        (data.spiral, (1,), {}, "spiral(n_per_class)"),
        (data.spiral, (10, 0), {}, "spiral(classes)"),
        (data.spiral, (10, 3, float("nan")), {}, "spiral(noise)"),
        (data.blobs, (0,), {}, "blobs(n_per_center)"),
        (data.blobs, (5,), {"centers": []}, "blobs(centers)"),
        (data.blobs, (5,), {"centers": [[0.0, "x"]]}, "blobs(centers)[0]"),
        (data.blobs, (5,), {"std": -1.0}, "blobs(std)"),
    ]
    for function, args, kwargs, name in cases:
        error = raises(InputError, function, *args, **kwargs)
        assert name in str(error), (name, str(error))


def test_one_hot():
    # 003: a single 1 at the label's position
    assert data.one_hot([2, 0, 1], 3) == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert data.one_hot([0], 1) == [[1.0]]
    assert data.one_hot([], 4) == []
    error = raises(ShapeError, data.one_hot, [0, 3], 3)
    assert "3" in str(error) and "position 1" in str(error)
    raises(InputError, data.one_hot, [-1], 3)
    raises(InputError, data.one_hot, [1.0], 3)
    raises(InputError, data.one_hot, [True], 3)
    raises(InputError, data.one_hot, [0], 0)


def test_signed_labels():
    # 0/1 → −1/+1: 2y − 1
    assert data.signed_labels([0, 1, 1, 0]) == [-1.0, 1.0, 1.0, -1.0]
    assert data.signed_labels([]) == []
    for bad in ([2], [-1], [True], [0, "1"]):
        error = raises(InputError, data.signed_labels, bad)
        assert "signed_labels" in str(error)


def test_train_test_split_300_points_80_20_as_in_002():
    # 002_22dd3b33c61b9037.txt: create_data(300), test_size = 0.2 → 240 training and 60 test points
    inputs = list(range(300))
    targets = [10 * i for i in inputs]
    train_x, test_x, train_y, test_y = data.train_test_split(inputs, targets, 0.2, rng=PRNG(0))
    assert (len(train_x), len(test_x), len(train_y), len(test_y)) == (240, 60, 240, 60)
    assert sorted(train_x + test_x) == inputs  # the union is the original set
    assert not set(train_x) & set(test_x)  # no overlap
    assert all(y == 10 * x for x, y in zip(train_x + test_x, train_y + test_y))  # pairs stay together
    assert train_x != sorted(train_x)  # shuffled: 240 of 300 shuffled indices in increasing order is vanishingly rare
    # deterministic by seed; another seed gives another split
    assert data.train_test_split(inputs, targets, 0.2, rng=PRNG(0)) == (train_x, test_x, train_y, test_y)
    assert data.train_test_split(inputs, targets, 0.2, rng=PRNG(1))[1] != test_x
    # 0.2 is the default
    assert len(data.train_test_split(inputs, targets, rng=PRNG(0))[1]) == 60


def test_train_test_split_without_shuffle_keeps_the_order():
    inputs = list(range(20))
    train_x, test_x, train_y, test_y = data.train_test_split(inputs, inputs, 0.25, shuffle=False)
    assert (len(train_x), len(test_x)) == (15, 5)
    # scikit-learn's train_test_split(shuffle=False): the first examples train, the last test
    assert train_x == list(range(15)) and test_x == list(range(15, 20))
    assert train_y == train_x and test_y == test_x


def test_train_test_split_rounds_the_test_size_up():
    # ⌈n · fraction⌉ test examples (scikit-learn's rule): ⌈10·0.25⌉ = ⌈2.5⌉ = 3, ⌈7·0.5⌉ = 4, ⌈9·0.1⌉ = 1
    for n, fraction, test_size in ((10, 0.25, 3), (7, 0.5, 4), (9, 0.1, 1), (4, 0.5, 2)):
        train_x, test_x, _, _ = data.train_test_split(list(range(n)), list(range(n)), fraction, rng=PRNG(2))
        assert (len(train_x), len(test_x)) == (n - test_size, test_size), (n, fraction)


def test_train_test_split_bad_arguments_raise():
    error = raises(ShapeError, data.train_test_split, [1, 2], [1, 2], 0.9)  # ⌈1.8⌉ = 2 leaves no training set
    assert "0.9" in str(error)
    raises(ShapeError, data.train_test_split, [1], [1], 0.5)
    error = raises(ShapeError, data.train_test_split, [1, 2, 3], [1, 2], 0.5)
    assert "3" in str(error) and "2" in str(error)
    for bad in (0.0, 1.0, -0.2, 1.5, float("nan")):
        error = raises(InputError, data.train_test_split, [1, 2, 3], [1, 2, 3], bad)
        assert "test_fraction" in str(error)
    raises(InputError, data.train_test_split, [1, 2, 3], [1, 2, 3], 0.5, rng=7)


def test_batches_cover_every_example_once_and_the_last_is_smaller():
    inputs = list(range(10))
    targets = [-i for i in inputs]
    chunks = list(data.batches(inputs, targets, 4))
    # ⌈10/4⌉ = 3 batches of 4, 4 and 10 − 8 = 2; without an rng in the given order
    assert [len(x) for x, _ in chunks] == [4, 4, 2]
    assert [x for xs, _ in chunks for x in xs] == inputs
    assert all(ys == [-x for x in xs] for xs, ys in chunks)
    assert [len(x) for x, _ in data.batches(inputs, targets, 1)] == [1] * 10
    assert [len(x) for x, _ in data.batches(inputs, targets, 10)] == [10]
    assert [len(x) for x, _ in data.batches(inputs, targets, 25)] == [10]
    assert list(data.batches([], [], 3)) == []


def test_shuffled_batches_are_deterministic_by_seed_and_fresh_per_call():
    inputs = list(range(10))
    targets = [-i for i in inputs]
    shuffled = list(data.batches(inputs, targets, 3, rng=PRNG(2)))
    seen = [x for xs, _ in shuffled for x in xs]
    assert [len(x) for x, _ in shuffled] == [3, 3, 3, 1]
    assert sorted(seen) == inputs and seen != inputs
    assert all(ys == [-x for x in xs] for xs, ys in shuffled)
    # the order is the rng's shuffle of 0 … n−1 (prng.PRNG.shuffle), i.e. a twin's permutation(n)
    assert seen == PRNG(2).permutation(10)
    assert seen == [x for xs, _ in data.batches(inputs, targets, 3, rng=PRNG(2)) for x in xs]
    # the same rng object gives a fresh order on the next call (the next epoch)
    rng = PRNG(2)
    first = [x for xs, _ in data.batches(inputs, targets, 3, rng=rng) for x in xs]
    second = [x for xs, _ in data.batches(inputs, targets, 3, rng=rng) for x in xs]
    assert first == seen and second != first and sorted(second) == inputs


def test_batches_bad_arguments_raise_at_the_call():
    # checked when batches() is called, before any batch is taken
    inputs = list(range(4))
    error = raises(InputError, data.batches, inputs, inputs, 0)
    assert "batch_size" in str(error)
    raises(InputError, data.batches, inputs, inputs, 2.0)
    raises(ShapeError, data.batches, inputs, inputs[:3], 2)
    raises(InputError, data.batches, inputs, inputs, 2, "seed")
