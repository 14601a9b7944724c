"""nn.save, nn.load and nn.architecture: a model to its file (refnet/model_file.py) and back; and
Module.load_state_dict, which sets a model's parameters from its plain-data state.

nn.py calls this module on the first save, load or load_state_dict only, so that training code never
holds it.
"""

import json
import math
import os

from refnet._checks import as_float, as_int, shown
from refnet.errors import InputError, RefnetError, ShapeError
from refnet.model_file import (ARCHITECTURE_FIELDS, MODEL_FIELDS, MODEL_FORMAT, MODEL_FORMAT_VERSION, as_path,
                               check_fields, check_finite, read)
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    from refnet.nn import Module, Structure
    from refnet.prng import PRNG

REBUILD_SLACK = 1000  # parameters a model file may claim beyond twice its numbers before it is refused unbuilt


def architecture(model: "Any", where: str = "nn.architecture(model)") -> "Dict[str, Any]":
    """What rebuilds `model`: its class and the constructor arguments that change what it computes."""
    from refnet.nn import MLP, Layer, Neuron

    kind = type(model)
    if kind is MLP:
        return {"class": "MLP", "nin": model.layers[0].nin, "nouts": [layer.nout for layer in model.layers],
                "activation": model.activation, "output_activation": model.output_activation,
                "dropout": model.dropouts[0].p if model.dropouts else 0.0, "fused": model.layers[0].fused}
    if kind is Layer:
        return {"class": "Layer", "nin": model.nin, "nout": model.nout, "activation": model.activation,
                "alpha": model.alpha, "fused": model.fused}
    if kind is Neuron:
        return {"class": "Neuron", "nin": model.nin, "activation": model.activation, "alpha": model.alpha,
                "fused": model.fused}
    raise InputError(f"{where}: expected an MLP, a Layer or a Neuron (the classes a model file can rebuild), "
                     f"got {shown(model)}; for another module, save its state_dict() yourself")


def save(model: "Module", path: str) -> None:
    """Write `model` to the file `path` as JSON (refnet/model_file.py), replacing the file if it exists.

    The text goes to `path` + ".partial" first and is renamed to `path` once complete, so an
    error never leaves a half-written model file (nor the partial one) behind.
    """
    path = as_path(path, "nn.save(path)")
    document = {"format": MODEL_FORMAT, "version": MODEL_FORMAT_VERSION,
                "architecture": architecture(model, "nn.save(model)"), "state": model.state_dict()}
    lines = ["{"]
    for index, field in enumerate(MODEL_FIELDS):
        separator = "," if index < len(MODEL_FIELDS) - 1 else ""
        lines.append(f"  {json.dumps(field)}: {_json_text(document[field], field, '  ')}{separator}")
    lines.append("}")
    _write_whole(path, "\n".join(lines) + "\n")


def load(path: str, into: "Optional[Module]" = None, rng: "Optional[PRNG]" = None) -> "Module":
    """nn.load(path, into, rng), which says what it does: read and check the file (model_file),
    then rebuild the model from its architecture or check `into` against it, and load the state."""
    from refnet.prng import check_rng

    path = as_path(path, "nn.load(path)")
    wanted = None if into is None else architecture(into, "nn.load(into)")
    check_rng(rng, "nn.load(rng)")
    document = read(path)
    saved = document["architecture"]
    check_fields(saved, ARCHITECTURE_FIELDS[saved["class"]], f"{path}: architecture")
    if wanted is not None:
        _check_same_architecture(wanted, saved, path)
    if into is None:
        _check_size(saved, document["state"], path)
    model = into if into is not None else _rebuild(saved, path, rng)
    state = document["state"]
    expected = [name for name, _ in model.named_values()]
    check_fields(state, expected, f"{path}: state")
    for name in expected:
        check_finite(state[name], f"{path}: state[{name!r}]")
    try:
        model.load_state_dict(state)
    except RefnetError as error:
        raise InputError(f"{path}: state does not fit the architecture the file gives: {error}") from None
    return model


def _json_text(value: "Any", where: str, indent: str) -> str:
    """`value` as JSON text: a list of numbers on one line, other lists one item a line, an
    object's keys sorted one a line (MicroPython's dicts have no order), floats by repr()."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value or value in (math.inf, -math.inf):
            raise InputError(f"nn.save: {where} is {value}; JSON has no nan or infinity, and a model file holds "
                             "finite numbers only (did the training diverge?); expected finite parameters")
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    inner = indent + "  "
    if isinstance(value, list):
        items = [_json_text(item, f"{where}[{index}]", inner) for index, item in enumerate(value)]
        if not any(isinstance(item, (list, dict)) for item in value):
            return "[" + ", ".join(items) + "]"
        return "[\n" + ",\n".join(inner + item for item in items) + "\n" + indent + "]"
    if isinstance(value, dict):
        keys = sorted(value)
        entries = [inner + json.dumps(key) + ": " + _json_text(value[key], f"{where}[{key!r}]", inner) for key in keys]
        return "{\n" + ",\n".join(entries) + "\n" + indent + "}"
    raise InputError(f"nn.save: {where} is {shown(value)}; expected numbers, text, lists and dicts only")


def _write_whole(path: str, text: str) -> None:
    """Write `text` to `path` + ".partial", then rename it to `path`; on any error remove the
    partial file and leave `path` as it was."""
    partial = path + ".partial"
    replace = getattr(os, "replace", os.rename)  # os.replace overwrites on Windows too; MicroPython has rename
    try:
        with open(partial, "w") as handle:
            handle.write(text)
        replace(partial, path)
    except BaseException as error:
        try:
            os.remove(partial)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise InputError(f"nn.save(path): could not write the model file {path!r} ({error}); "
                             "expected a writable file name in an existing folder") from None
        raise


def _same_setting(model_has: "Any", file_has: "Any") -> bool:
    """Equal settings, True and 1 told apart (MicroPython does so anyway), 2 and 2.0 not."""
    if isinstance(model_has, list) and isinstance(file_has, list):
        return len(model_has) == len(file_has) and all(_same_setting(a, b) for a, b in zip(model_has, file_has))
    if isinstance(model_has, bool) or isinstance(file_has, bool) or isinstance(model_has, list) \
            or isinstance(file_has, list):
        return model_has is file_has
    return bool(model_has == file_has)


def _check_same_architecture(wanted: "Dict[str, Any]", saved: "Dict[str, Any]", path: str) -> None:
    """InputError listing every field where the file's architecture differs from the model's."""
    if saved["class"] != wanted["class"]:
        raise InputError(f"{path}: the file is for another kind of model; architecture.class: the model has "
                         f"{wanted['class']!r}, the file has {saved['class']!r}; expected a file saved from a "
                         f"{wanted['class']}")
    differences = [f"architecture.{field}: the model has {wanted[field]!r}, the file has {saved[field]!r}"
                   for field in ARCHITECTURE_FIELDS[wanted["class"]] if not _same_setting(wanted[field], saved[field])]
    if differences:
        raise InputError(f"{path}: the file is for another architecture than the model; " + "; ".join(differences)
                         + "; expected a file saved from a model of the same architecture")


def _check_size(saved: "Dict[str, Any]", state: "Dict[str, Any]", path: str) -> None:
    """InputError when the architecture has far more parameters than the state holds numbers
    (more than twice as many, plus REBUILD_SLACK): checked before rebuilding, so that a file
    claiming a huge model builds nothing. A smaller mismatch is found after rebuilding, by the
    checks that name the missing entry. (Sizes that are not whole numbers are left to the
    constructors' own checks.)"""
    def whole(value: "Any") -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    sizes = [saved["nin"]] + (saved["nouts"] if saved["class"] == "MLP" and isinstance(saved["nouts"], list)
                              else [saved.get("nout", 1)])
    if not all(whole(size) for size in sizes):
        return
    wanted = sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:]))
    held = 0
    pending = list(state.values())
    while pending and 2 * held + REBUILD_SLACK < wanted:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        else:
            held += 1
    if wanted > 2 * held + REBUILD_SLACK:
        raise InputError(f"{path}: architecture: a model of sizes {sizes} has {wanted} parameters, but the state "
                         f"holds {held} numbers; expected a state with every parameter of the architecture")


def _rebuild(saved: "Dict[str, Any]", path: str, rng: "Optional[PRNG]") -> "Module":
    """A new model of the saved architecture (its parameters to be loaded next)."""
    from refnet.nn import MLP, Layer, Neuron
    from refnet.prng import PRNG, check_rng

    try:
        if saved["class"] == "Neuron":
            nin = as_int(saved["nin"], "Neuron(nin)", minimum=1)
            return Neuron(nin, saved["activation"], weights=[0.0] * nin, fused=saved["fused"], alpha=saved["alpha"])
        if saved["class"] == "Layer":
            nin = as_int(saved["nin"], "Layer(nin)", minimum=1)
            nout = as_int(saved["nout"], "Layer(nout)", minimum=1)
            return Layer(nin, nout, saved["activation"], weights=[[0.0] * nin for _ in range(nout)],
                         fused=saved["fused"], alpha=saved["alpha"])
        model = MLP(saved["nin"], saved["nouts"], saved["activation"], saved["output_activation"], rng=PRNG(0),
                    dropout=saved["dropout"], fused=saved["fused"])
    except RefnetError as error:
        raise InputError(f"{path}: architecture: {error}") from None
    for dropout in model.dropouts:
        dropout.rng = check_rng(rng, "nn.load(rng)")
    return model


def _load_state_dict(model: "Module", state: "Dict[str, Any]") -> None:
    """model.load_state_dict(state): every entry checked against model.named_values() first,
    then the parameters set; nothing changes unless all of it fits."""
    where = f"{type(model).__name__}.load_state_dict"
    if not isinstance(state, dict):
        raise InputError(f"{where}(state): expected a dict, got {shown(state)}")
    entries = model.named_values()
    expected = [name for name, _ in entries]
    missing = [name for name in expected if name not in state]
    unexpected = sorted(str(name) for name in state if name not in expected)
    if missing or unexpected:
        raise ShapeError(f"{where}: keys do not match; missing {missing}, unexpected {unexpected}")
    pairs: "List[Tuple[Value, float]]" = []
    for name, structure in entries:
        _pair_up(structure, state[name], f"{where}[{name!r}]", pairs)
    for parameter, number in pairs:
        parameter.data = number


def _pair_up(target: "Structure", given: "Any", where: str, pairs: "List[Tuple[Value, float]]") -> None:
    """Check that `given` has the shape of `target`, collecting (Value, new float) pairs."""
    if isinstance(target, Value):
        pairs.append((target, as_float(given, where)))
        return
    if not isinstance(given, (list, tuple)):
        raise ShapeError(f"{where}: expected a list of {len(target)} items, got {type(given).__name__}")
    if len(given) != len(target):
        raise ShapeError(f"{where}: expected {len(target)} items, got {len(given)}")
    for index in range(len(target)):
        part: "Structure" = target[index]
        _pair_up(part, given[index], f"{where}[{index}]", pairs)
