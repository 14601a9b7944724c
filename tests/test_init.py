"""Initialisers: out × in shapes, bounds from their formulas, and row-major draws from the PRNG."""

import math

from _support import all_close, close, raises
from refnet import InputError
from refnet import init, prng
from refnet.prng import PRNG

NAMES = ["glorot_deep", "glorot_shallow", "he_normal", "uniform", "xavier_randn"]


def flat(matrix):
    return [w for row in matrix for w in row]


def test_every_initialiser_returns_fan_out_rows_of_fan_in_weights():
    # init.py / 000_f9a23462f49faea1.txt: w_ji, row j = receiving unit, column i = sending unit
    assert sorted(init.INITIALISERS) == NAMES
    for name in NAMES:
        weights = init.get(name)(3, 5, PRNG(0))
        assert isinstance(weights, list) and len(weights) == 5, name
        assert all(isinstance(row, list) and len(row) == 3 for row in weights), name
        assert all(isinstance(w, float) for w in flat(weights)), name
        single = init.get(name)(1, 1, PRNG(0))
        assert len(single) == 1 and len(single[0]) == 1


def test_get_returns_the_named_function():
    assert init.get("uniform") is init.uniform
    assert init.get("glorot_shallow") is init.glorot_shallow
    assert init.get("glorot_deep") is init.glorot_deep
    assert init.get("xavier_randn") is init.xavier_randn
    assert init.get("he_normal") is init.he_normal


def test_unknown_name_raises_and_lists_the_known_ones():
    error = raises(InputError, init.get, "glorot")
    assert "'glorot'" in str(error)
    assert all(name in str(error) for name in NAMES)
    raises(InputError, init.get, "zeros")


def test_uniform_is_within_a_hundredth_and_drawn_row_by_row():
    # 003_83fae8590fc0f361.txt: "uniformly from interval [−0.01, 0.01]"; each w = uniform(−0.01, 0.01)
    weights = init.uniform(30, 20, PRNG(4))
    values = flat(weights)
    assert all(-0.01 <= w < 0.01 for w in values)
    # 600 draws reach near both ends: P(all 600 above −0.009) = 0.95^600 < 1e-13 (seeded sanity check)
    assert min(values) < -0.009 and max(values) > 0.009
    twin = PRNG(4)
    assert values == [twin.uniform(-0.01, 0.01) for _ in range(600)]


def test_uniform_with_another_limit():
    weights = init.uniform(4, 3, PRNG(2), limit=0.5)
    twin = PRNG(2)
    assert flat(weights) == [twin.uniform(-0.5, 0.5) for _ in range(12)]
    assert init.uniform(2, 2, PRNG(2), limit=0.0) == [[0.0, 0.0], [0.0, 0.0]]  # U[0, 0]


def test_draw_order_is_row_major():
    # w_00, w_01, w_02 (row 0), then w_10, …: the k-th draw lands at row k // fan_in, column k % fan_in
    weights = init.uniform(3, 2, PRNG(1))
    twin = PRNG(1)
    draws = [twin.uniform(-0.01, 0.01) for _ in range(6)]
    assert weights[0] == draws[0:3] and weights[1] == draws[3:6]
    assert weights[0][1] == draws[1] and weights[1][0] == draws[3]  # not column-major (that would swap them)
    assert weights[0][1] != weights[1][0]


def test_glorot_shallow_bound_is_one_over_root_fan_in():
    # 003: U[−1/√n, 1/√n], n = fan_in; n = 16 gives the bound ¼ exactly
    weights = init.glorot_shallow(16, 8, PRNG(1))
    values = flat(weights)
    assert all(-0.25 <= w < 0.25 for w in values)
    assert max([abs(w) for w in values]) > 0.8 * 0.25  # 128 draws reach near the bound (P(miss) = 0.8^128)
    twin = PRNG(1)
    assert values == [twin.uniform(-0.25, 0.25) for _ in range(128)]
    # the bound depends on fan_in only
    wide = init.glorot_shallow(100, 2, PRNG(3))
    twin = PRNG(3)
    assert flat(wide) == [twin.uniform(-0.1, 0.1) for _ in range(200)]  # 1/√100 = 0.1


def test_glorot_deep_bound_is_root_6_over_root_of_both_fans():
    # 003: U[−√6/√(n_j + n_j+1), +√6/√(n_j + n_j+1)]; 10 + 14 = 24 gives √6/√24 = ½ exactly
    weights = init.glorot_deep(10, 14, PRNG(5))
    twin = PRNG(5)
    assert flat(weights) == [twin.uniform(-0.5, 0.5) for _ in range(140)]
    assert all(-0.5 <= w < 0.5 for w in flat(weights))
    # symmetric in the two fans: 14 in, 10 out has the same bound, so the same draws
    assert flat(init.glorot_deep(14, 10, PRNG(5))) == flat(weights)
    # a general case against the formula written out: fan_in 3, fan_out 4 → √(6/7) (computed as one root
    # here, so the bound may differ in the last bit: compared to a few units of 1e-16 absolute)
    limit = math.sqrt(6.0 / 7.0)
    twin = PRNG(6)
    assert all_close(flat(init.glorot_deep(3, 4, PRNG(6))), [twin.uniform(-limit, limit) for _ in range(12)],
                     rel=1e-14, abs_tol=1e-15)


def test_xavier_randn_is_standard_normal_over_root_fan_in():
    # 002_22dd3b33c61b9037.txt: np.random.randn(n_in, n_out) / np.sqrt(n_in); fan_in 4 → scale ½,
    # the normals drawn row by row from a twin generator
    weights = init.xavier_randn(4, 3, PRNG(6))
    twin = PRNG(6)
    expected = [twin.normal(0.0, 1.0) / 2.0 for _ in range(12)]
    assert all_close(flat(weights), expected, rel=1e-15, abs_tol=1e-300)
    assert all_close(weights[0], expected[0:4], rel=1e-15, abs_tol=1e-300)


def test_he_normal_is_standard_normal_times_root_two_over_fan_in():
    # He et al. 2015: N(0, 1)·√(2/n); fan_in 8 → √(2/8) = ½
    weights = init.he_normal(8, 2, PRNG(6))
    twin = PRNG(6)
    assert all_close(flat(weights), [twin.normal() * 0.5 for _ in range(16)], rel=1e-15, abs_tol=1e-300)
    # fan_in 2 → scale 1: the weights are the normals themselves
    twin = PRNG(8)
    assert all_close(flat(init.he_normal(2, 3, PRNG(8))), [twin.normal() for _ in range(6)], rel=1e-15,
                     abs_tol=1e-300)


def test_normal_initialisers_have_the_stated_spread():
    # sanity check on 4000 weights each: sample std of N(0, s²) has relative σ ≈ 1/√(2·4000) ≈ 0.011,
    # so a 7 % band is over 6 σ; sample mean σ = s/√4000 ≈ 0.016 s, band 0.1 s is over 6 σ
    for make, scale in ((lambda: init.he_normal(50, 80, PRNG(31)), math.sqrt(2.0 / 50.0)),
                        (lambda: init.xavier_randn(100, 40, PRNG(32)), 0.1)):
        values = flat(make())
        assert len(values) == 4000
        mean = sum(values, 0.0) / 4000
        std = math.sqrt(sum([(w - mean) ** 2 for w in values], 0.0) / 4000)
        assert abs(mean) < 0.1 * scale
        assert abs(std / scale - 1.0) < 0.07


def test_same_seed_same_weights_different_seed_different_weights():
    for name in NAMES:
        make = init.get(name)
        assert make(5, 3, PRNG(123)) == make(5, 3, PRNG(123)), name
        assert make(5, 3, PRNG(123)) != make(5, 3, PRNG(124)), name


def test_no_rng_draws_from_the_default_generator():
    # prng.check_rng(None) is the default generator: after seed(3) it draws as PRNG(3)
    default = prng.default_rng()
    saved = default.state
    try:
        prng.seed(3)
        drawn = init.glorot_shallow(2, 2)
        assert drawn == init.glorot_shallow(2, 2, PRNG(3))
        assert default.state != PRNG(3).state  # the default generator moved on
    finally:
        default.state = saved


def test_bad_arguments_raise_and_name_the_argument():
    cases = [
        (init.uniform, (0, 2), {}, "init.uniform(fan_in)"),
        (init.uniform, (2, 0), {}, "init.uniform(fan_out)"),
        (init.uniform, (2, 2), {"limit": -0.1}, "init.uniform(limit)"),
        (init.uniform, (2, 2), {"rng": "seed"}, "init.uniform(rng)"),
        (init.glorot_shallow, (2.0, 2), {}, "init.glorot_shallow(fan_in)"),
        (init.glorot_deep, (2, True), {}, "init.glorot_deep(fan_out)"),
        (init.xavier_randn, (-1, 2), {}, "init.xavier_randn(fan_in)"),
        (init.he_normal, (2, 2.5), {}, "init.he_normal(fan_out)"),
        (init.he_normal, (2, 2), {"rng": 42}, "init.he_normal(rng)"),
    ]
    for function, args, kwargs, name in cases:
        error = raises(InputError, function, *args, **kwargs)
        assert name in str(error), (name, str(error))
