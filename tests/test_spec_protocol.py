"""spec_tests/protocol.py's docstring is the whole specification: every name a fixture uses is in it.

A backend author reads the protocol text, not refnet's code. So every key a fixture's input
or expected result has, every op, activation, loss, optimizer, hyperparameter, attr, draw kind
and initialiser name, and the PRNG's constants must appear there. A MicroPython build
compiled without docstrings (as frozen or mpy-cross modules often are) has no text to check,
and these tests are skipped there.
"""

from _support import skip
from spec_tests import cases as case_files
from spec_tests import protocol

# Keys whose string values name something the protocol must define (a graph node's "name" is
# the fixture's own label for the node, not a term of the protocol).
NAMING_KEYS = ("op", "activation", "kind", "name")


def protocol_text():
    text = protocol.__doc__
    if not text:
        skip("this runtime drops docstrings (a MicroPython build without them): spec_tests.protocol.__doc__ is empty")
    return text


def words(text):
    """The identifiers of a text: runs of letters, digits and underscores."""
    found = set()
    current = []
    for character in text + " ":
        if character.isalpha() or character.isdigit() or character == "_":
            current.append(character)
        elif current:
            found.add("".join(current))
            current = []
    return found


def names_used(structure, where, found, inside_graph_node=False):
    """Every dict key, and every value of a naming key, in a case's input or expected result,
    each with the first place it was seen (for the failure message)."""
    if isinstance(structure, list):
        for item in structure:
            names_used(item, where, found)
    elif isinstance(structure, dict):
        graph_node = "op" in structure and "args" in structure
        for key in sorted(structure):
            value = structure[key]
            found.setdefault(key, where + ": key " + repr(key))
            if key in NAMING_KEYS and isinstance(value, str) and not (graph_node and key == "name"):
                found.setdefault(value, where + ": " + key + " " + repr(value))
            names_used(value, where, found)


def every_name_in_the_fixtures():
    found = {}
    for case in case_files.load_cases():
        found.setdefault(case["family"], case["id"] + ": its family")
        names_used(case["input"], case["id"] + " (input)", found)
        if isinstance(case["expected"], dict):
            names_used(case["expected"], case["id"] + " (expected)", found)
    return found


def test_every_name_a_fixture_uses_is_in_the_protocol_text():
    text = words(protocol_text())
    missing = [where for name, where in sorted(every_name_in_the_fixtures().items()) if name not in text]
    assert not missing, "spec_tests/protocol.py's docstring does not mention: " + "; ".join(missing)


def test_the_check_sees_what_the_fixtures_use():
    # the names the test above looks for include a key of each kind (so the check can fail)
    found = every_name_in_the_fixtures()
    for name in ("outputs", "input_gradients", "dpredictions", "dweight", "leaky_relu", "max", "binary_hinge",
                 "margin", "alpha", "beta2", "eps", "adagrad", "below", "normal", "glorot_deep", "he_normal",
                 "fan_in", "hyperparameters"):
        assert name in found, name
    assert "w0x0" not in found  # a graph node's own label is not a protocol name
    assert "w0x0" not in words("a mul node w0x1"), "words() splits on identifiers"


def test_every_family_and_hyperparameter_default_is_in_the_protocol_text():
    text = protocol_text()
    for family in protocol.FAMILIES:
        assert family + "(" in text, family + " has no method signature in the protocol text"
    for optimizer, defaults in protocol.HYPERPARAMETER_DEFAULTS.items():
        for key, default in defaults.items():
            written = "0" if default == 0.0 else repr(default).replace("e-0", "e-")  # 1e-08 is written 1e-8
            assert key + " " + written in text, optimizer + ": default " + key + " " + written + " not in the text"


def test_the_prng_is_specified_bit_for_bit_in_the_protocol_text():
    # refnet/prng.py's constants, shifts and derivations, as the protocol states them
    from refnet import prng

    text = protocol_text()
    for constant in (prng.GOLDEN_GAMMA, prng.MIX_1, prng.MIX_2):
        assert "0x%016X" % constant in text, hex(constant)
    for part in ("z >> 30", "z >> 27", "z >> 31", "next_u64 >> 11", "2⁻⁵³", "(next_u64·n) >> 64", "1 − random()",
                 "cos((2·π)·u₂)", "seed mod 2⁶⁴"):
        assert part in text, part
    for name in ("uniform", "glorot_shallow", "glorot_deep", "xavier_randn", "he_normal"):
        assert name in text, name
