"""Initialisers: shapes (out × in), bounds from their formulas, and row-major draws from the PRNG."""

import math

from _support import close, raises

from refnet import RefnetError
from refnet import init
from refnet.prng import PRNG


def test_shape_is_fan_out_rows_by_fan_in_columns():
    for name in init.INITIALISERS:
        weights = init.get(name)(3, 2, PRNG(0))
        assert len(weights) == 2 and all(len(row) == 3 for row in weights)


def test_uniform_bounds_and_row_major_draws():
    # 003: U[−0.01, 0.01]; w_00, w_01, … drawn in order: −0.01 + 0.02·u
    weights = init.uniform(3, 2, PRNG(4))
    twin = PRNG(4)
    for row in weights:
        for w in row:
            assert w == twin.uniform(-0.01, 0.01) and -0.01 <= w < 0.01


def test_glorot_bounds():
    # 003: ±1/√n for shallow nets, ±√6/√(n_in + n_out) for deep nets
    shallow = init.glorot_shallow(16, 8, PRNG(1))
    limit = 1.0 / math.sqrt(16)
    assert all(-limit <= w < limit for row in shallow for w in row)
    assert max(abs(w) for row in shallow for w in row) > 0.8 * limit  # 128 draws reach near the bound
    deep = init.glorot_deep(16, 8, PRNG(1))
    limit = math.sqrt(6.0) / math.sqrt(24)
    twin = PRNG(1)
    assert close(deep[0][0], -limit + 2 * limit * twin.random(), rel=1e-15)
    assert all(-limit <= w < limit for row in deep for w in row)


def test_normal_initialisers_scale_standard_normals():
    # 002: randn/√n; He: randn·√(2/n); the draws are the PRNG's normals in row order
    xavier = init.xavier_randn(4, 2, PRNG(6))
    twin = PRNG(6)
    assert close(xavier[0][0], twin.normal() / 2.0, rel=1e-15) and close(xavier[0][1], twin.normal() / 2.0, rel=1e-15)
    he = init.he_normal(8, 1, PRNG(6))
    twin = PRNG(6)
    assert close(he[0][0], twin.normal() * 0.5, rel=1e-15)


def test_same_seed_same_weights():
    assert init.glorot_shallow(5, 3, PRNG(123)) == init.glorot_shallow(5, 3, PRNG(123))
    assert init.glorot_shallow(5, 3, PRNG(123)) != init.glorot_shallow(5, 3, PRNG(124))


def test_unknown_name_and_bad_sizes_raise():
    error = raises(RefnetError, init.get, "glorot")
    assert "glorot_shallow" in str(error)
    raises(RefnetError, init.uniform, 0, 2)
    raises(RefnetError, init.he_normal, 2, 2.5)
    raises(RefnetError, init.uniform, 2, 2, None, -0.1)
    raises(RefnetError, init.uniform, 2, 2, "seed")
