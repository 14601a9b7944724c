"""Weight initialisers: each returns a weight matrix w_ji drawn from refnet's seeded PRNG.

The matrix has `fan_out` rows (j, the receiving units) and `fan_in` columns (i, the sending
units), as in 000_f9a23462f49faea1.txt's notation; weights are drawn row by row, w_00, w_01,
…, so that a port with the same PRNG (refnet/prng.py) reproduces them exactly.

The initialisers, with their formulas and sources, are listed above INITIALISERS.
"""

import math

from refnet._checks import as_int, in_range
from refnet.errors import InputError
from refnet.prng import PRNG, check_rng

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, List, Optional

    Matrix = List[List[float]]
    Initialiser = Callable[[int, int, Optional[PRNG]], Matrix]


def _sizes(fan_in: int, fan_out: int, where: str) -> None:
    as_int(fan_in, f"{where}(fan_in)", minimum=1)
    as_int(fan_out, f"{where}(fan_out)", minimum=1)


def _uniform_matrix(fan_in: int, fan_out: int, limit: float, rng: PRNG) -> "Matrix":
    return [[rng.uniform(-limit, limit) for _ in range(fan_in)] for _ in range(fan_out)]


def _normal_matrix(fan_in: int, fan_out: int, std: float, rng: PRNG) -> "Matrix":
    return [[rng.normal(0.0, 1.0) * std for _ in range(fan_in)] for _ in range(fan_out)]


def uniform(fan_in: int, fan_out: int, rng: "Optional[PRNG]" = None, limit: float = 0.01) -> "Matrix":
    """w ~ U[−limit, limit], limit 0.01 by default (003: "uniformly from interval [−0.01, 0.01]")."""
    _sizes(fan_in, fan_out, "init.uniform")
    bound = in_range(limit, "init.uniform(limit)", 0.0, float("inf"), include_high=False)
    return _uniform_matrix(fan_in, fan_out, bound, check_rng(rng, "init.uniform(rng)"))


def glorot_shallow(fan_in: int, fan_out: int, rng: "Optional[PRNG]" = None) -> "Matrix":
    """w ~ U[−1/√n, 1/√n] with n the size of the previous layer (003, shallow networks)."""
    _sizes(fan_in, fan_out, "init.glorot_shallow")
    return _uniform_matrix(fan_in, fan_out, 1.0 / math.sqrt(fan_in), check_rng(rng, "init.glorot_shallow(rng)"))


def glorot_deep(fan_in: int, fan_out: int, rng: "Optional[PRNG]" = None) -> "Matrix":
    """w ~ U[−√6/√(n_j + n_j+1), √6/√(n_j + n_j+1)], sizes of the previous and next layer (003, deep nets)."""
    _sizes(fan_in, fan_out, "init.glorot_deep")
    limit = math.sqrt(6.0) / math.sqrt(fan_in + fan_out)
    return _uniform_matrix(fan_in, fan_out, limit, check_rng(rng, "init.glorot_deep(rng)"))


def xavier_randn(fan_in: int, fan_out: int, rng: "Optional[PRNG]" = None) -> "Matrix":
    """w = N(0, 1)/√n with n = fan_in: 002's np.random.randn(n_in, n_out) / np.sqrt(n_in), as out × in."""
    _sizes(fan_in, fan_out, "init.xavier_randn")
    return _normal_matrix(fan_in, fan_out, 1.0 / math.sqrt(fan_in), check_rng(rng, "init.xavier_randn(rng)"))


def he_normal(fan_in: int, fan_out: int, rng: "Optional[PRNG]" = None) -> "Matrix":
    """w = N(0, 1)·√(2/n) with n = fan_in (He et al. 2015: keeps the variance through ReLU layers)."""
    _sizes(fan_in, fan_out, "init.he_normal")
    return _normal_matrix(fan_in, fan_out, math.sqrt(2.0 / fan_in), check_rng(rng, "init.he_normal(rng)"))


#     uniform          U[−0.01, 0.01]                        003_83fae8590fc0f361.txt
#     glorot_shallow   U[−1/√n, 1/√n], n = fan_in            003 (Glorot and Bengio, shallow nets)
#     glorot_deep      U[−√6/√(n_j + n_j+1), +√6/√(…)]       003 (Glorot and Bengio, deep nets)
#     xavier_randn     N(0, 1)/√n, n = fan_in                002_22dd3b33c61b9037.txt's code
#     he_normal        N(0, 1)·√(2/n), n = fan_in            He et al. 2015, for ReLU layers
#
# Biases start at zero (002's code: b1 = np.zeros(...)).
INITIALISERS: "Dict[str, Initialiser]" = {
    "uniform": uniform,
    "glorot_shallow": glorot_shallow,
    "glorot_deep": glorot_deep,
    "xavier_randn": xavier_randn,
    "he_normal": he_normal,
}


def get(name: str, where: str = "init.get(name)") -> "Initialiser":
    """The initialiser called `name`; an unknown name raises InputError listing the known ones
    (`where` names the argument it came from, "Layer(init)" say)."""
    if not isinstance(name, str) or name not in INITIALISERS:
        known = ", ".join(sorted(INITIALISERS))
        raise InputError(f"{where}: unknown initialiser {name!r}; expected one of {known}")
    return INITIALISERS[name]
