"""The seeded random-number generator every random draw in refnet comes from.

Python's `random` gives different sequences for the same seed on MicroPython, so refnet
carries its own: SplitMix64 and its draws, specified in the comment below the imports precisely
enough to reproduce in any language.
"""

import math

from refnet._checks import as_finite, as_int, in_range, shown
from refnet.errors import InputError

# State: one unsigned 64-bit integer s, set to `seed mod 2⁶⁴` (seed: an integer ≥ 0).
# All arithmetic is mod 2⁶⁴.
#
# next_u64 (SplitMix64, Steele, Lea and Flood 2014):
#     s ← s + 0x9E3779B97F4A7C15
#     z ← s
#     z ← (z XOR (z >> 30)) · 0xBF58476D1CE4E5B9
#     z ← (z XOR (z >> 27)) · 0x94D049BB133111EB
#     return z XOR (z >> 31)
#     (seed 0 gives 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, …)
#
# random()        = (next_u64 >> 11) · 2⁻⁵³, a float in [0, 1) with 53 random bits (exact)
# uniform(a, b)   = a + (b − a) · random()
# below(n)        = (next_u64 · n) >> 64, an integer in [0, n) (multiply-shift; bias < n / 2⁶⁴)
# normal(μ, σ)    = μ + σ · √(−2 ln u₁) · cos(2π u₂), with u₁ = 1 − random() ∈ (0, 1] drawn
#                   first and u₂ = random() second (Box–Muller, cosine branch only: each normal
#                   draw consumes exactly two next_u64 outputs)
# shuffle(items)  = Fisher–Yates from the end: for i = n−1 down to 1, j = below(i + 1), swap i, j
#
# Integers and uniforms are bit-exact on every runtime. Normals go through log, sqrt and cos;
# sqrt is exact by IEEE 754, and log and cos agree with CPython's to the last bit wherever the
# platform's libm rounds correctly (within one unit in the last place elsewhere).

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List

MASK_64 = 0xFFFFFFFFFFFFFFFF
GOLDEN_GAMMA = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB
TWO_TO_MINUS_53 = 1.0 / 9007199254740992.0  # 2⁻⁵³

INFINITY = float("inf")


class PRNG:
    """SplitMix64 with uniform, integer, normal and shuffle draws, as specified above."""

    __slots__ = ("state",)

    def __init__(self, seed: int = 0) -> None:
        self.state = as_int(seed, "PRNG(seed)") & MASK_64

    def next_u64(self) -> int:
        """The next 64-bit output of SplitMix64."""
        self.state = (self.state + GOLDEN_GAMMA) & MASK_64
        z = self.state
        z = ((z ^ (z >> 30)) * MIX_1) & MASK_64
        z = ((z ^ (z >> 27)) * MIX_2) & MASK_64
        return z ^ (z >> 31)

    def random(self) -> float:
        """A float in [0, 1): the top 53 bits of next_u64, times 2⁻⁵³."""
        return (self.next_u64() >> 11) * TWO_TO_MINUS_53

    def uniform(self, low: float, high: float) -> float:
        """A float in [low, high): low + (high − low)·random()."""
        if type(low) is not float or type(high) is not float or not -INFINITY < low <= high < INFINITY:
            low = as_finite(low, "PRNG.uniform(low)")
            high = as_finite(high, "PRNG.uniform(high)")
            if not low <= high:
                raise InputError(f"PRNG.uniform: expected low <= high, got low {low} and high {high}")
        return low + (high - low) * self.random()

    def below(self, n: int) -> int:
        """An integer in [0, n): (next_u64 · n) >> 64."""
        as_int(n, "PRNG.below(n)", minimum=1)
        return (self.next_u64() * n) >> 64

    def normal(self, mean: float = 0.0, std: float = 1.0) -> float:
        """mean + std·z with z standard normal by Box–Muller (cosine branch, two draws)."""
        if type(mean) is not float or type(std) is not float or not (
                -INFINITY < mean < INFINITY and 0.0 <= std < INFINITY):
            mean = as_finite(mean, "PRNG.normal(mean)")
            std = in_range(std, "PRNG.normal(std)", 0.0, INFINITY, include_high=False)
        u1 = 1.0 - self.random()
        u2 = self.random()
        return mean + std * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def shuffle(self, items: "List[Any]") -> None:
        """Shuffle a list in place (Fisher–Yates from the end, j = below(i + 1))."""
        if not isinstance(items, list):
            raise InputError(f"PRNG.shuffle(items): expected a list, got {shown(items)}")
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]

    def permutation(self, n: int) -> "List[int]":
        """The integers 0 … n−1 in shuffled order."""
        order = list(range(as_int(n, "PRNG.permutation(n)")))
        self.shuffle(order)
        return order

    def fork(self) -> "PRNG":
        """A new generator seeded with this one's next output (an independent stream)."""
        return PRNG(self.next_u64())


_default = PRNG(0)


def default_rng() -> PRNG:
    """The generator used when no `rng` is passed (seeded with 0 at import; see seed())."""
    return _default


def seed(value: int) -> None:
    """Reset the default generator to `value`: the same seed gives the same weights everywhere."""
    _default.state = as_int(value, "refnet.prng.seed(value)") & MASK_64


def check_rng(rng: "Any", where: str) -> PRNG:
    """`rng` itself if it is a PRNG, the default generator if it is None; otherwise InputError."""
    if rng is None:
        return _default
    if not isinstance(rng, PRNG):
        raise InputError(f"{where}: expected a refnet.prng.PRNG or None, got {shown(rng)}")
    return rng
