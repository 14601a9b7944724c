"""Small data sets and the plumbing around them: one-hot targets, splits and mini-batches.

Every random draw comes from refnet's PRNG (refnet/prng.py), so the same seed gives the same
points on every runtime (to the last bit for uniforms; see prng.py for normals).

    xor()           the four XOR points, labels 0/1 (003_83fae8590fc0f361.txt's network is an XOR net)
    two_moons()     two interleaving half circles (micrograd's demo; 002_22dd3b33c61b9037.txt's
                    create_data(300) makes such a set for its tanh + softmax network)
    spiral()        K arms of a spiral, one class each (a classic for softmax classifiers)
    blobs()         normal clouds around given centres
    one_hot()       labels → rows with a single 1 (003: "training data output: one-hot vector")
    train_test_split()   002's split: 300 points, test_size = 0.2 → 240 train, 60 test
    batches()       mini-batches (000_f9a23462f49faea1.txt: "a random sample, e.g. 32 at a time")
"""

import math

from refnet._checks import as_bool, as_float, as_float_list, as_int, as_label, as_list, in_range, same_length, shown
from refnet.errors import InputError, ShapeError
from refnet.prng import PRNG, check_rng

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, List, Optional, Sequence, Tuple

    Points = List[List[float]]


def xor() -> "Tuple[Points, List[int]]":
    """Inputs (0,0), (0,1), (1,0), (1,1) with labels 0, 1, 1, 0."""
    return [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0]


def two_moons(n: int = 100, noise: float = 0.1, rng: "Optional[PRNG]" = None) -> "Tuple[Points, List[int]]":
    """n points on two half circles, label 0 on the upper, 1 on the lower, plus N(0, noise²) jitter.

    Upper: (cos θ, sin θ); lower: (1 − cos θ, 0.5 − sin θ); θ in equal steps over [0, π]
    (as scikit-learn's make_moons). The upper moon gets n − n//2 points and comes first;
    noise is drawn per point, x then y, in that order.
    """
    count = as_int(n, "two_moons(n)", minimum=2)
    spread = in_range(noise, "two_moons(noise)", 0.0, float("inf"), include_high=False)
    generator = check_rng(rng, "two_moons(rng)")
    lower = count // 2
    upper = count - lower
    points: "Points" = []
    labels: "List[int]" = []
    for label, size in ((0, upper), (1, lower)):
        for k in range(size):
            theta = math.pi * k / (size - 1) if size > 1 else 0.0
            if label == 0:
                x, y = math.cos(theta), math.sin(theta)
            else:
                x, y = 1.0 - math.cos(theta), 0.5 - math.sin(theta)
            points.append([x + spread * generator.normal(), y + spread * generator.normal()])
            labels.append(label)
    return points, labels


def spiral(n_per_class: int = 100, classes: int = 3, noise: float = 0.2,
           rng: "Optional[PRNG]" = None) -> "Tuple[Points, List[int]]":
    """Arm k: radius r from 0 to 1, angle 4k + 4r plus N(0, noise²); point (r sin t, r cos t)."""
    per_class = as_int(n_per_class, "spiral(n_per_class)", minimum=2)
    arms = as_int(classes, "spiral(classes)", minimum=1)
    spread = in_range(noise, "spiral(noise)", 0.0, float("inf"), include_high=False)
    generator = check_rng(rng, "spiral(rng)")
    points: "Points" = []
    labels: "List[int]" = []
    for arm in range(arms):
        for k in range(per_class):
            radius = k / (per_class - 1)
            angle = 4.0 * arm + 4.0 * radius + spread * generator.normal()
            points.append([radius * math.sin(angle), radius * math.cos(angle)])
            labels.append(arm)
    return points, labels


def blobs(n_per_center: int = 50, centers: "Sequence[Sequence[float]]" = ((-2.0, -2.0), (2.0, 2.0)),
          std: float = 1.0, rng: "Optional[PRNG]" = None) -> "Tuple[Points, List[int]]":
    """n_per_center points around each centre, each coordinate + N(0, std²); label = centre index."""
    per_center = as_int(n_per_center, "blobs(n_per_center)", minimum=1)
    spread = in_range(std, "blobs(std)", 0.0, float("inf"), include_high=False)
    generator = check_rng(rng, "blobs(rng)")
    as_list(centers, "blobs(centers)", InputError, "points")
    points: "Points" = []
    labels: "List[int]" = []
    for label, center in enumerate(centers):
        coordinates = as_float_list(center, f"blobs(centers)[{label}]")
        for _ in range(per_center):
            points.append([c + spread * generator.normal() for c in coordinates])
            labels.append(label)
    return points, labels


def one_hot(labels: "Sequence[int]", classes: int) -> "List[List[float]]":
    """Each integer label y as a row of `classes` numbers: 1.0 at position y, 0.0 elsewhere."""
    width = as_int(classes, "one_hot(classes)", minimum=1)
    rows = []
    for n, label in enumerate(as_list(labels, "one_hot(labels)", None, "integer labels")):
        as_label(label, f"one_hot(labels) at position {n}", width)
        rows.append([1.0 if j == label else 0.0 for j in range(width)])
    return rows


def signed_labels(labels: "Sequence[int]") -> "List[float]":
    """Labels 0/1 as −1.0/+1.0, the form hinge losses expect."""
    signed = []
    for n, label in enumerate(as_list(labels, "signed_labels(labels)", None, "labels 0 and 1")):
        if label not in (0, 1) or isinstance(label, bool):
            raise InputError(f"signed_labels(labels)[{n}]: expected 0 or 1, got {shown(label)}")
        signed.append(2.0 * label - 1.0)
    return signed


def train_test_split(inputs: "Sequence[Any]", targets: "Sequence[Any]", test_fraction: float = 0.2,
                     rng: "Optional[PRNG]" = None, shuffle: bool = True) -> "Tuple[List[Any], List[Any], List[Any], List[Any]]":
    """(train inputs, test inputs, train targets, test targets), as scikit-learn orders them.

    The test set has ⌈n · test_fraction⌉ examples (002: 300 points, 0.2 → 60; the ceiling is
    taken of the float product, so 100 · 0.07 = 7.000000000000001 gives 8, as in scikit-learn).
    Shuffled, the test set is the first ⌈n · test_fraction⌉ of a PRNG permutation (scikit-learn's
    ShuffleSplit order); with shuffle=False it is the last examples, in order (scikit-learn's
    train_test_split(shuffle=False)).
    """
    n = same_length(as_list(inputs, "train_test_split(inputs)", InputError, "examples"),
                    as_list(targets, "train_test_split(targets)", InputError, "targets"), "train_test_split", "inputs",
                    "targets")
    as_bool(shuffle, "train_test_split(shuffle)")
    fraction = in_range(test_fraction, "train_test_split(test_fraction)", 0.0, 1.0, include_low=False,
                        include_high=False)
    test_size = int(math.ceil(n * fraction))
    if test_size >= n:
        raise ShapeError(f"train_test_split: {n} examples leave none for training with test_fraction {fraction}")
    order = list(range(n))
    if shuffle:
        check_rng(rng, "train_test_split(rng)").shuffle(order)
        train, test = order[test_size:], order[:test_size]
    else:
        train, test = order[:n - test_size], order[n - test_size:]
    return ([inputs[i] for i in train], [inputs[i] for i in test],
            [targets[i] for i in train], [targets[i] for i in test])


def batches(inputs: "Sequence[Any]", targets: "Sequence[Any]", batch_size: int,
            rng: "Optional[PRNG]" = None) -> "Iterator[Tuple[List[Any], List[Any]]]":
    """Consecutive (inputs, targets) batches of batch_size examples, the last one possibly smaller.

    With an rng the examples are shuffled first (a fresh order for each call). The arguments are
    checked when batches() is called, not when the first batch is taken.
    """
    n = same_length(as_list(inputs, "batches(inputs)", None, "examples"),
                    as_list(targets, "batches(targets)", None, "targets"), "batches", "inputs", "targets")
    size = as_int(batch_size, "batches(batch_size)", minimum=1)
    order = list(range(n))
    if rng is not None:
        check_rng(rng, "batches(rng)").shuffle(order)
    return _batches(inputs, targets, order, size)


def _batches(inputs: "Sequence[Any]", targets: "Sequence[Any]", order: "List[int]",
             size: int) -> "Iterator[Tuple[List[Any], List[Any]]]":
    for start in range(0, len(order), size):
        chosen = order[start:start + size]
        yield [inputs[i] for i in chosen], [targets[i] for i in chosen]
