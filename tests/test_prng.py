"""The SplitMix64 generator: published vectors, and every draw rebuilt from next_u64 by prng.py's spec."""

import math

from _support import close, raises
from refnet import InputError
from refnet import prng
from refnet.prng import PRNG

TWO_TO_53 = 9007199254740992.0  # 2⁵³


class _Scripted(PRNG):
    """A PRNG whose next_u64 returns given numbers, for the edges of the derived draws (a helper, not a test)."""

    def next_u64(self):
        return self.outputs.pop(0)


def scripted(outputs):
    rng = _Scripted(0)
    rng.outputs = list(outputs)
    return rng


def draws(rng, count):
    return [rng.next_u64() for _ in range(count)]


def test_published_splitmix64_outputs_for_seed_0():
    # Vigna's splitmix64.c (Steele, Lea and Flood 2014) seeded with 0; the fourth value is the last
    # word of the xoshiro256 state that generator seeds, as published alongside the first three
    rng = PRNG(0)
    assert [rng.next_u64() for _ in range(4)] == [
        0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC]


def test_same_seed_same_sequence_different_seeds_differ():
    first, second = PRNG(42), PRNG(42)
    a = [first.next_u64() for _ in range(20)]
    assert a == [second.next_u64() for _ in range(20)]
    other = PRNG(43)
    assert a != [other.next_u64() for _ in range(20)]
    assert all(0 <= x < 2 ** 64 for x in a)


def test_seed_is_taken_mod_2_64():
    # prng.py: "State: one unsigned 64-bit integer s, set to seed mod 2⁶⁴"
    assert PRNG(2 ** 64 + 5).state == 5
    assert PRNG(3 * 2 ** 64 - 1).state == 2 ** 64 - 1
    assert PRNG(2 ** 64).next_u64() == 0xE220A8397B1DCDAF  # ≡ seed 0
    assert PRNG().next_u64() == 0xE220A8397B1DCDAF  # the default seed is 0


def test_fork_is_seeded_with_the_parents_next_output():
    # prng.py: fork() = PRNG(next_u64()); the parent advances by exactly one draw
    parent, twin = PRNG(8), PRNG(8)
    child = parent.fork()
    expected_child = PRNG(twin.next_u64())
    child_draws = [child.next_u64() for _ in range(5)]
    assert child_draws == [expected_child.next_u64() for _ in range(5)]
    # drawing from the child does not move the parent
    parent_draws = [parent.next_u64() for _ in range(5)]
    assert parent_draws == [twin.next_u64() for _ in range(5)]
    # the two streams are not the same numbers (a distinct state; a crude independence check)
    assert not set(child_draws) & set(parent_draws)
    # deterministic: the same parent seed forks the same child
    assert PRNG(8).fork().next_u64() == child_draws[0]


def test_random_is_the_top_53_bits_times_2_to_the_minus_53():
    rng, twin = PRNG(7), PRNG(7)
    for _ in range(500):
        value = rng.random()
        assert value == (twin.next_u64() >> 11) / TWO_TO_53
        assert 0.0 <= value < 1.0


def test_random_at_the_extremes_of_next_u64():
    # closed form: 0 → 0.0; 2⁶⁴ − 1 → (2⁵³ − 1)/2⁵³ = 1 − 2⁻⁵³, still below 1
    rng = scripted([0, 2 ** 64 - 1])
    assert rng.random() == 0.0
    largest = rng.random()
    assert largest == 1.0 - 1.0 / TWO_TO_53 and largest < 1.0


def test_uniform_is_low_plus_width_times_random():
    rng, twin = PRNG(3), PRNG(3)
    for low, high in ((-2.0, 3.0), (-0.01, 0.01), (5.0, 5.5)):
        for _ in range(100):
            value = rng.uniform(low, high)
            assert value == low + (high - low) * ((twin.next_u64() >> 11) / TWO_TO_53)
            assert low <= value < high


def test_below_is_multiply_shift():
    # below(n) = (next_u64 · n) >> 64, in [0, n)
    rng, twin = PRNG(5), PRNG(5)
    for n in (1, 2, 3, 7, 10, 1000, 2 ** 40, 2 ** 64):
        for _ in range(20):
            drawn = rng.below(n)
            assert drawn == (twin.next_u64() * n) >> 64
            assert 0 <= drawn < n
    assert all(PRNG(9).below(1) == 0 for _ in range(3))
    # edges in closed form: 0 → 0 and 2⁶⁴ − 1 → ⌊(2⁶⁴ − 1)·n / 2⁶⁴⌋ = n − 1
    edges = scripted([0, 2 ** 64 - 1])
    assert edges.below(6) == 0 and edges.below(6) == 5


def test_below_hits_every_value_of_a_small_range():
    # 600 draws of below(6): each value has probability 1/6, so missing one has probability
    # 6·(5/6)^600 < 1e-46; the seed is fixed, this is a sanity check of the range's coverage
    rng = PRNG(21)
    assert sorted(set(rng.below(6) for _ in range(600))) == [0, 1, 2, 3, 4, 5]


def test_normal_is_box_muller_cosine_branch_from_two_draws():
    # prng.py: u₁ = 1 − random() first, u₂ = random() second, μ + σ·√(−2 ln u₁)·cos(2π u₂)
    rng, twin = PRNG(13), PRNG(13)
    for mean, std in ((0.0, 1.0), (1.0, 2.0), (-3.0, 0.5)):
        for _ in range(50):
            u1 = 1.0 - twin.random()
            u2 = twin.random()
            expected = mean + std * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
            assert close(rng.normal(mean, std), expected, rel=1e-15, abs_tol=1e-300)
    # each normal consumes exactly two next_u64 outputs: the streams are still in step
    assert rng.next_u64() == twin.next_u64()


def test_normal_never_takes_the_log_of_zero():
    # u₁ = 1 − random() ∈ (0, 1]: next_u64 = 0 gives u₁ = 1, ln 1 = 0, so the draw is exactly μ;
    # next_u64 = 2⁶⁴ − 1 gives u₁ = 2⁻⁵³, √(−2 ln 2⁻⁵³) = √(106 ln 2) ≈ 8.57, finite
    rng = scripted([0, 2 ** 62, 2 ** 64 - 1, 0])
    assert rng.normal(0.25, 3.0) == 0.25
    extreme = rng.normal()
    assert close(extreme, math.sqrt(106.0 * math.log(2.0)), rel=1e-12)


def test_normals_look_standard():
    # a sanity check, not a statistical test: for 4000 draws the sample mean has σ = 1/√4000 ≈ 0.016
    # and the sample variance σ ≈ √(2/4000) ≈ 0.022, so the bounds 0.1 and 0.15 are over 6 σ away
    rng = PRNG(11)
    draws = [rng.normal() for _ in range(4000)]
    mean = sum(draws, 0.0) / len(draws)
    variance = sum([(d - mean) ** 2 for d in draws], 0.0) / len(draws)
    assert abs(mean) < 0.1 and abs(variance - 1.0) < 0.15
    # and uniforms: mean ½ with σ = √(1/12/4000) ≈ 0.0046, bound 0.03 (over 6 σ)
    uniforms = [rng.random() for _ in range(4000)]
    assert abs(sum(uniforms, 0.0) / 4000 - 0.5) < 0.03


def test_shuffle_is_fisher_yates_from_the_end():
    # for i = n−1 down to 1: j = below(i + 1), swap i and j; recomputed with a twin's below()
    for n in (2, 6, 31):
        items = ["item%d" % k for k in range(n)]
        original = list(items)
        PRNG(5).shuffle(items)
        twin = PRNG(5)
        expected = list(original)
        for i in range(n - 1, 0, -1):
            j = twin.below(i + 1)
            expected[i], expected[j] = expected[j], expected[i]
        assert items == expected
        assert sorted(items) == sorted(original)


def test_shuffle_of_zero_or_one_items_draws_nothing():
    # the loop "for i = n−1 down to 1" is empty for n <= 1: the state does not move
    rng = PRNG(4)
    before = rng.state
    empty, single = [], ["a"]
    rng.shuffle(empty)
    rng.shuffle(single)
    assert empty == [] and single == ["a"] and rng.state == before
    assert rng.permutation(0) == [] and rng.permutation(1) == [0] and rng.state == before


def test_permutation_is_a_shuffled_range_and_deterministic():
    # permutation(n) = shuffle(list(range(n)))
    order = PRNG(9).permutation(20)
    twin_order = list(range(20))
    PRNG(9).shuffle(twin_order)
    assert order == twin_order
    assert sorted(order) == list(range(20))
    assert order != list(range(20))  # 1/20! chance of the identity
    assert PRNG(10).permutation(20) != order


def test_default_generator_and_seed():
    # seed(v) resets the default generator so that it draws as PRNG(v); check_rng(None) returns it
    default = prng.default_rng()
    saved = default.state
    try:
        prng.seed(77)
        assert prng.check_rng(None, "here") is default
        assert draws(default, 3) == draws(PRNG(77), 3)
        prng.seed(2 ** 64 + 77)
        assert default.state == 77
        raises(InputError, prng.seed, 1.0)
    finally:
        default.state = saved


def test_check_rng_passes_a_prng_through_and_rejects_anything_else():
    rng = PRNG(1)
    assert prng.check_rng(rng, "f(rng)") is rng
    error = raises(InputError, prng.check_rng, 42, "f(rng)")
    assert "f(rng)" in str(error) and "int" in str(error)


def test_bad_arguments_raise():
    # negative seeds are rejected (PRNG checks seed with as_int's minimum 0), as NumPy's generators do
    for bad in (1.5, True, "1", None, -1):
        error = raises(InputError, PRNG, bad)
        assert "PRNG(seed)" in str(error)
    rng = PRNG(0)
    for bad in (0, -3, 2.0, True):
        error = raises(InputError, rng.below, bad)
        assert "PRNG.below(n)" in str(error)
    raises(InputError, rng.shuffle, (1, 2))
    raises(InputError, rng.shuffle, "ab")
    raises(InputError, rng.permutation, -1)
    raises(InputError, rng.permutation, 3.0)
    assert rng.state == 0  # none of the rejected calls drew a number
