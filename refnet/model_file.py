"""The model file: one JSON file holding what rebuilds a model and its numbers, and reading it back.

    {"format": "refnet-model", "version": 1, "architecture": {"class": "MLP", …}, "state": model.state_dict()}

"architecture" holds the class and every constructor argument that changes what the model
computes (not `init`, `rng` or `name`): enough to rebuild it before loading the state. Floats
are written with repr(), the shortest text that reads back as the same float, so the file
round-trips exactly (checked on CPython, PyPy and MicroPython 1.27; MicroPython sometimes
writes other digits for the same float, so its bytes may differ from CPython's, not its
values). JSON has no nan or infinity: a model with a non-finite parameter is refused, both
when saving and when loading. The file does not hold the training mode, an optimiser's
state or the position of dropout's generator.

This module reads and checks a file, for both readers: nn.load (refnet/saving.py, which also
writes it) and infer.load (floats, no Value). Neither is loaded until it is called.
"""

import errno
import json
import math

from refnet._checks import shown
from refnet.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Sequence

MODEL_FORMAT = "refnet-model"
MODEL_FORMAT_VERSION = 1
MODEL_FIELDS = ("format", "version", "architecture", "state")  # the file's keys, in the order written
ARCHITECTURE_FIELDS = {"Neuron": ("class", "nin", "activation", "alpha", "fused"),
                       "Layer": ("class", "nin", "nout", "activation", "alpha", "fused"),
                       "MLP": ("class", "nin", "nouts", "activation", "output_activation", "dropout", "fused")}
SAVABLE = ("MLP", "Layer", "Neuron")
NO_SUCH_FILE = (errno.ENOENT, 44)  # 44: Emscripten's ENOENT, which MicroPython's WebAssembly port raises


def as_path(path: "Any", where: str) -> str:
    """A file name as a str (a pathlib.Path gives its text); anything else raises InputError."""
    if hasattr(path, "__fspath__") and not isinstance(path, type):
        path = path.__fspath__()
    if not isinstance(path, str) or not path:
        raise InputError(f"{where}: expected a file name (a non-empty str or a pathlib.Path), got {shown(path)}")
    return path


def read(path: str, where: str = "nn.load(path)") -> "Dict[str, Any]":
    """The JSON object in the file `path`, with its format, version, architecture and state checked;
    `where` names the caller in the errors about the file itself (no file, unreadable).
    (MicroPython's json reads some invalid JSON, missing commas and colons, without complaint.)"""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        if error.args and error.args[0] in NO_SUCH_FILE:
            raise InputError(f"{where}: no file {path!r}; expected a model file written by nn.save") from None
        raise InputError(f"{where}: could not read {path!r} ({error}); expected a readable model file "
                         "written by nn.save") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        line = getattr(error, "lineno", None)  # CPython's JSONDecodeError; MicroPython's json gives no position
        problem = str(error) if line is None else f"line {line}, column {getattr(error, 'colno', '?')}: " + \
            str(getattr(error, "msg", error))
        raise InputError(f"{path}: not valid JSON ({problem}); expected a model file written by nn.save") from None
    if not isinstance(document, dict):
        raise InputError(f"{path}: expected a JSON object with the fields {', '.join(MODEL_FIELDS)}, "
                         f"got {type(document).__name__}")
    if document.get("format") != MODEL_FORMAT:
        raise InputError(f"{path}: format is {document.get('format')!r}; expected {MODEL_FORMAT!r} "
                         "(a model file written by nn.save)")
    version = document.get("version")
    if isinstance(version, bool) or version != MODEL_FORMAT_VERSION:
        raise InputError(f"{path}: version is {version!r}; this refnet reads model files of version "
                         f"{MODEL_FORMAT_VERSION} only (expected {MODEL_FORMAT_VERSION})")
    check_fields(document, MODEL_FIELDS, path)
    saved = document["architecture"]
    if not isinstance(saved, dict):
        raise InputError(f"{path}: architecture is {shown(saved)}; expected an object with a 'class' field")
    if saved.get("class") not in SAVABLE:
        raise InputError(f"{path}: architecture.class is {saved.get('class')!r}; expected one of "
                         f"{', '.join(SAVABLE)}")
    if not isinstance(document["state"], dict):
        raise InputError(f"{path}: state is {shown(document['state'])}; expected an object of parameter lists")
    return document


def check_fields(found: "Dict[str, Any]", expected: "Sequence[str]", where: str) -> None:
    """InputError naming the missing and the unexpected keys of `found`, if any."""
    missing = [name for name in expected if name not in found]
    unexpected = sorted(str(name) for name in found if name not in expected)
    if missing or unexpected:
        raise InputError(f"{where}: expected the fields {', '.join(expected)}; missing {missing}, "
                         f"unexpected {unexpected}")


def check_finite(value: "Any", where: str) -> None:
    """InputError if a number inside `value` (a number or nested lists) is nan or infinite."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            check_finite(item, f"{where}[{index}]")
    elif isinstance(value, float) and (value != value or value in (math.inf, -math.inf)):
        raise InputError(f"{where} is {value}; expected a finite number (a model file holds no nan or infinity)")
