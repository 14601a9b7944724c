"""The exception hierarchy: one base, single inheritance, messages that say what, where and what was expected."""

from _support import raises
from refnet import DomainError, InputError, RefnetError, ShapeError, Value
from refnet import errors
from refnet.nn import MLP
from refnet.optim import SGD
from refnet.prng import PRNG


def test_every_refnet_error_derives_from_one_base_through_a_single_parent():
    for cls in (InputError, DomainError, ShapeError):
        assert issubclass(cls, RefnetError) and cls.__bases__ == (RefnetError,)
    assert RefnetError.__bases__ == (Exception,)
    assert errors.RefnetError is RefnetError


def test_one_except_clause_catches_them_all():
    failures = [lambda: Value(0.0).log(), lambda: Value("x"), lambda: MLP(2, [1], rng=PRNG(0))([1.0])]
    for failure in failures:
        raises(RefnetError, failure)


def test_messages_say_what_was_wrong_what_was_expected_and_where():
    error = raises(InputError, SGD, [Value(1.0)], lr=-0.1)
    message = str(error)
    assert "SGD(lr)" in message and "-0.1" in message and "expected" in message
    error = raises(InputError, SGD, [Value(1.0)], lr=0.1, momentum=1.0)
    assert "SGD(momentum)" in str(error) and "[0.0, 1.0)" in str(error)
    error = raises(ShapeError, MLP(3, [2, 1], rng=PRNG(0)), [1.0])
    assert "layers.0" in str(error) and "expected an input of 3 values, got 1" in str(error)
