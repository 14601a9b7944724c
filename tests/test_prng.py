"""The SplitMix64 generator: published vectors, and every draw rebuilt from next_u64 by its spec."""

import math

from _support import close, raises

from refnet import RefnetError
from refnet.prng import PRNG


def test_published_splitmix64_outputs_for_seed_0():
    # Vigna's splitmix64.c (Steele, Lea and Flood 2014), seed 0
    rng = PRNG(0)
    assert [rng.next_u64() for _ in range(3)] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]


def test_same_seed_same_sequence_and_seed_taken_mod_2_64():
    assert [PRNG(42).next_u64() for _ in range(2)] == [PRNG(42).next_u64() for _ in range(2)]
    assert PRNG(2 ** 64 + 5).next_u64() == PRNG(5).next_u64()
    assert PRNG(1).next_u64() != PRNG(2).next_u64()


def test_random_is_top_53_bits_over_2_53():
    rng, twin = PRNG(7), PRNG(7)
    for _ in range(100):
        value = rng.random()
        assert value == (twin.next_u64() >> 11) / 9007199254740992.0
        assert 0.0 <= value < 1.0


def test_uniform_below_and_normal_follow_the_spec():
    rng, twin = PRNG(3), PRNG(3)
    assert rng.uniform(-2.0, 3.0) == -2.0 + 5.0 * ((twin.next_u64() >> 11) / 2.0 ** 53)
    for n in (1, 2, 10, 1000, 2 ** 40):
        drawn = rng.below(n)
        assert drawn == (twin.next_u64() * n) >> 64 and 0 <= drawn < n
    u1 = 1.0 - (twin.next_u64() >> 11) / 2.0 ** 53
    u2 = (twin.next_u64() >> 11) / 2.0 ** 53
    expected = 1.0 + 2.0 * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
    assert close(rng.normal(1.0, 2.0), expected, rel=1e-15)


def test_normals_look_standard():
    # a sanity bound, not a statistical test: for 2000 draws the sample mean has σ ≈ 0.022 and the
    # sample variance σ ≈ 0.032, so 0.1 and 0.15 are more than 4.5 σ away
    rng = PRNG(11)
    draws = [rng.normal() for _ in range(2000)]
    mean = sum(draws) / len(draws)
    variance = sum((d - mean) ** 2 for d in draws) / len(draws)
    assert abs(mean) < 0.1 and abs(variance - 1.0) < 0.15


def test_shuffle_is_fisher_yates_from_the_end():
    items = list(range(6))
    PRNG(5).shuffle(items)
    twin = PRNG(5)
    expected = list(range(6))
    for i in range(5, 0, -1):
        j = twin.below(i + 1)
        expected[i], expected[j] = expected[j], expected[i]
    assert items == expected and sorted(items) == list(range(6))
    assert PRNG(9).permutation(10) == PRNG(9).permutation(10) and sorted(PRNG(9).permutation(10)) == list(range(10))


def test_fork_is_seeded_with_the_next_output():
    rng, twin = PRNG(8), PRNG(8)
    child = rng.fork()
    assert child.next_u64() == PRNG(twin.next_u64()).next_u64()
    assert rng.next_u64() == twin.next_u64()


def test_bad_arguments_raise():
    raises(RefnetError, PRNG, 1.5)
    raises(RefnetError, PRNG, True)
    raises(RefnetError, PRNG(0).below, 0)
    raises(RefnetError, PRNG(0).shuffle, (1, 2))
