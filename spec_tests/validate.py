"""Checking fixture files before any case runs: JSON, the family's schema, ids.

A fixture file is accepted when

    it parses as JSON (bare NaN / Infinity are not JSON: write the strings "NaN", "Infinity"),
    "schema" is "refnet-fixture/<family>", "schema_version" is 1, "family" is one of
    spec_tests.protocol.FAMILIES (read when the check runs),
    it is valid against <schemas>/<family>.schema.json (JSON Schema 2020-12, the keywords below),
    every case id starts with "<family>." and no id is used twice, in this file or another.

Every problem names the file, the case (its id, or cases[i] when it has none) and the field:

    fixtures/loss.json: case loss.mse.basic: input.predictions[1][0]: expected a number, got "x"

The schema check knows exactly the keywords the shipped schemas use (KEYWORDS); a schema with
any other keyword is itself an error, so that a schema can never silently check less than it
says. `pattern` is matched by a small matcher of its own (MicroPython's `re` lacks classes
like \\d and counted repeats): anchors ^ $, literals, escapes, ., \\d, [classes], and the
repeats * + ? {n} {n,} {n,m}.
"""

import json
import os

from spec_tests import protocol

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    Path = List[Any]  # keys (str) and indices (int) from the document's root
    Problem = Tuple[Path, str]

SCHEMA_VERSION = 1
PROBLEM_LIMIT = 20
KEYWORDS = ("type", "enum", "const", "required", "properties", "additionalProperties", "items", "prefixItems",
            "minItems", "maxItems", "minimum", "minLength", "uniqueItems", "pattern", "anyOf")
ANNOTATIONS = ("$schema", "$id", "title", "description", "$comment")
TYPE_NAMES = {"number": "a number", "integer": "an integer", "string": "a string", "array": "an array",
              "object": "an object", "boolean": "true or false", "null": "null"}


class FixtureError(ValueError):
    """Fixture files that cannot be run; `problems` lists every problem found, one line each."""

    def __init__(self, problems: "List[str]") -> None:
        super().__init__("\n".join(problem_lines(problems)))
        self.problems = problems


def problem_lines(problems: "List[str]", limit: int = PROBLEM_LIMIT) -> "List[str]":
    """The first `limit` problems, then "and N more problems" when there are more."""
    lines = problems[:limit]
    if len(problems) > limit:
        lines = lines + ["and " + str(len(problems) - limit) + " more problems"]
    return lines


# ---------------------------------------------------------------- values as messages show them

def is_number(value: "Any") -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_integer(value: "Any") -> bool:
    """JSON Schema's integer: a number with no fractional part (1 and 1.0, not true)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value - value == 0.0 and value == int(value)


def has_type(value: "Any", name: str) -> bool:
    if name == "number":
        return is_number(value)
    if name == "integer":
        return is_integer(value)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    if name == "boolean":
        return isinstance(value, bool)
    return name == "null" and value is None


def same(a: "Any", b: "Any") -> bool:
    """JSON equality: true is not 1, 1 is 1.0, arrays and objects compared item by item."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return bool(a == b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return sorted(a) == sorted(b) and all(same(a[key], b[key]) for key in a)
    return type(a) is type(b) and bool(a == b)


def show(value: "Any") -> str:
    """A value as JSON, cut at 60 characters."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def format_path(path: "Path") -> str:
    """["input", "predictions", 1, 0] -> input.predictions[1][0]"""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += "[" + str(part) + "]"
        else:
            text += ("." if text else "") + str(part)
    return text


def plural(count: int, word: str) -> str:
    return str(count) + " " + word + ("" if count == 1 else "s")


# ---------------------------------------------------------------- pattern: a small regex matcher

def compile_pattern(pattern: str) -> "Tuple[List[Tuple[Any, int, int]], bool, bool]":
    """(tokens, anchored at the start, anchored at the end); each token (atom, least, most),
    most = -1 for no limit; an atom is (negated, [(low, high) character ranges]), None for '.'.
    Raises ValueError for syntax outside the subset (groups, alternation, backreferences...)."""
    tokens = []  # type: List[Tuple[Any, int, int]]
    start = pattern.startswith("^")
    end = pattern.endswith("$") and not pattern.endswith("\\$")
    body = pattern[1 if start else 0:len(pattern) - 1 if end else len(pattern)]
    i = 0
    while i < len(body):
        char = body[i]
        if char in "()|^$":
            raise ValueError("pattern " + show(pattern) + ": " + repr(char) + " is outside the supported subset "
                             "(literals, escapes, ., \\d, [classes], * + ? {n,m}, ^ at the start, $ at the end)")
        if char in "*+?{":
            raise ValueError("pattern " + show(pattern) + ": a repeat " + repr(char) + " with nothing before it")
        atom = None  # type: Any
        if char == "\\":
            atom, i = escape_atom(pattern, body, i)
        elif char == "[":
            atom, i = class_atom(pattern, body, i)
        elif char == ".":
            i += 1
        else:
            atom, i = (False, [(char, char)]), i + 1
        least, most, i = repeat_after(pattern, body, i)
        tokens.append((atom, least, most))
    return tokens, start, end


def escape_atom(pattern: str, body: str, i: int) -> "Tuple[Any, int]":
    if i + 1 >= len(body):
        raise ValueError("pattern " + show(pattern) + ": ends with a lone backslash")
    char = body[i + 1]
    if char == "d":
        return (False, [("0", "9")]), i + 2
    if char.isalpha() or char.isdigit():
        raise ValueError("pattern " + show(pattern) + ": escape \\" + char + " is outside the supported subset (\\d)")
    return (False, [(char, char)]), i + 2


def class_atom(pattern: str, body: str, i: int) -> "Tuple[Any, int]":
    i += 1
    negated = i < len(body) and body[i] == "^"
    if negated:
        i += 1
    singles = []  # type: List[str]
    while i < len(body) and (body[i] != "]" or not singles):
        if body[i] == "\\":
            if i + 1 >= len(body):
                raise ValueError("pattern " + show(pattern) + ": ends with a lone backslash")
            if body[i + 1] == "d":
                singles.append("0-9")
            elif body[i + 1].isalpha() or body[i + 1].isdigit():
                raise ValueError("pattern " + show(pattern) + ": escape \\" + body[i + 1] + " in a class is outside "
                                 "the supported subset (\\d)")
            else:
                singles.append(body[i + 1])
            i += 2
        else:
            singles.append(body[i])
            i += 1
    if i >= len(body):
        raise ValueError("pattern " + show(pattern) + ": a '[' class is never closed")
    ranges = []  # type: List[Tuple[str, str]]
    j = 0
    while j < len(singles):
        item = singles[j]
        if len(item) == 3:
            ranges.append((item[0], item[2]))
        elif j + 2 < len(singles) and singles[j + 1] == "-" and len(singles[j + 2]) == 1:
            ranges.append((item, singles[j + 2]))
            j += 2
        else:
            ranges.append((item, item))
        j += 1
    return (negated, ranges), i + 1


def repeat_after(pattern: str, body: str, i: int) -> "Tuple[int, int, int]":
    if i >= len(body) or body[i] not in "*+?{":
        return 1, 1, i
    if body[i] != "{":
        least, most = {"*": (0, -1), "+": (1, -1), "?": (0, 1)}[body[i]]
        return least, most, i + 1
    close = body.find("}", i)
    inside = body[i + 1:close] if close > 0 else ""
    low, comma, high = inside.partition(",")
    if not low.isdigit() or (high and not high.isdigit()):
        raise ValueError("pattern " + show(pattern) + ": expected a repeat {n}, {n,} or {n,m}, got "
                         + show(body[i:close + 1] if close > 0 else body[i:]))
    least = int(low)
    most = int(high) if high else (-1 if comma else least)
    return least, most, close + 1


def atom_matches(atom: "Any", char: str) -> bool:
    if atom is None:
        return char != "\n"
    negated, ranges = atom
    inside = any(low <= char <= high for low, high in ranges)
    return inside != bool(negated)


def match_tokens(tokens: "List[Tuple[Any, int, int]]", index: int, text: str, position: int, end: bool) -> bool:
    """Backtracking: take as many as the token allows, then give back one at a time."""
    if index == len(tokens):
        return position == len(text) or not end
    atom, least, most = tokens[index]
    count = 0
    while (most < 0 or count < most) and position + count < len(text) and atom_matches(atom, text[position + count]):
        count += 1
    while count >= least:
        if match_tokens(tokens, index + 1, text, position + count, end):
            return True
        count -= 1
    return False


def pattern_matches(pattern: str, text: str) -> bool:
    """True when `pattern` (the subset above) matches somewhere in `text` (JSON Schema's search rule)."""
    tokens, start, end = compile_pattern(pattern)
    starts = [0] if start else range(len(text) + 1)
    return any(match_tokens(tokens, 0, text, position, end) for position in starts)


# ---------------------------------------------------------------- the schemas themselves

def schema_problems(schema: "Any", where: str, path: "Optional[Path]" = None) -> "List[str]":
    """Problems of a schema: an unknown keyword, a keyword's value of the wrong kind, a bad pattern."""
    path = path or []
    here = where + ": " + (format_path(path) + ": " if path else "")
    if isinstance(schema, bool):
        return []
    if not isinstance(schema, dict):
        return [here + "expected a schema (an object or true/false), got " + show(schema)]
    problems = []  # type: List[str]
    for keyword in sorted(schema):
        value = schema[keyword]
        inner = path + [keyword]
        if keyword in ANNOTATIONS:
            continue
        if keyword not in KEYWORDS:
            problems.append(here + "unknown keyword " + show(keyword) + "; this validator knows " + ", ".join(KEYWORDS)
                            + " (a keyword it ignored would check less than the schema says)")
        elif keyword in ("properties",):
            if not isinstance(value, dict):
                problems.append(here + "properties: expected an object of schemas, got " + show(value))
            else:
                for name in sorted(value):
                    problems += schema_problems(value[name], where, inner + [name])
        elif keyword in ("items", "additionalProperties"):
            problems += schema_problems(value, where, inner)
        elif keyword in ("prefixItems", "anyOf"):
            if not isinstance(value, list) or not value:
                problems.append(here + keyword + ": expected a non-empty array of schemas, got " + show(value))
            else:
                for index, item in enumerate(value):
                    problems += schema_problems(item, where, inner + [index])
        elif keyword == "type":
            names = value if isinstance(value, list) else [value]
            if not names or not all(isinstance(name, str) and name in TYPE_NAMES for name in names):
                problems.append(here + "type: expected one of " + ", ".join(sorted(TYPE_NAMES)) + ", got " + show(value))
        elif keyword in ("enum", "required") and not isinstance(value, list):
            problems.append(here + keyword + ": expected an array, got " + show(value))
        elif keyword in ("minItems", "maxItems", "minLength") and not (is_integer(value) and value >= 0):
            problems.append(here + keyword + ": expected a non-negative integer, got " + show(value))
        elif keyword == "minimum" and not is_number(value):
            problems.append(here + "minimum: expected a number, got " + show(value))
        elif keyword == "uniqueItems" and not isinstance(value, bool):
            problems.append(here + "uniqueItems: expected true or false, got " + show(value))
        elif keyword == "pattern":
            if not isinstance(value, str):
                problems.append(here + "pattern: expected a string, got " + show(value))
            else:
                try:
                    compile_pattern(value)
                except ValueError as error:
                    problems.append(here + str(error))
    return problems


def describe_schema(schema: "Any") -> str:
    """What a schema accepts, in a few words, for "expected ..." in a message."""
    if not isinstance(schema, dict):
        return "anything" if schema is not False else "nothing"
    if "const" in schema:
        return show(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(show(item) for item in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(describe_schema(branch) for branch in schema["anyOf"])
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return " or ".join(str(TYPE_NAMES.get(name, name)) for name in names)
    return "a value this schema accepts"


# ---------------------------------------------------------------- a value against a schema

def check(value: "Any", schema: "Any", path: "Path") -> "List[Problem]":
    """Every way `value` fails `schema`, each as (path of the field, what was wrong)."""
    if schema is True:
        return []
    if schema is False:
        return [(path, "unexpected: nothing is allowed here, got " + show(value))]
    problems = []  # type: List[Problem]
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(has_type(value, name) for name in names):
            return [(path, "expected " + describe_schema({"type": schema["type"]}) + ", got " + show(value))]
    if "const" in schema and not same(value, schema["const"]):
        problems.append((path, "expected " + show(schema["const"]) + ", got " + show(value)))
    if "enum" in schema and not any(same(value, item) for item in schema["enum"]):
        problems.append((path, "expected " + describe_schema({"enum": schema["enum"]}) + ", got " + show(value)))
    if "anyOf" in schema:
        problems += check_any_of(value, schema["anyOf"], path)
    if isinstance(value, dict):
        problems += check_object(value, schema, path)
    if isinstance(value, list):
        problems += check_array(value, schema, path)
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            problems.append((path, "expected a string of at least " + plural(schema["minLength"], "character")
                             + ", got " + show(value)))
        if "pattern" in schema and not pattern_matches(schema["pattern"], value):
            problems.append((path, "expected a string matching " + schema["pattern"] + ", got " + show(value)))
    if is_number(value) and "minimum" in schema and value < schema["minimum"]:
        problems.append((path, "expected a number >= " + show(schema["minimum"]) + ", got " + show(value)))
    return problems


def shallow_fit(value: "Any", schema: "Any") -> bool:
    """Whether the branch is about this kind of value at all (its type, const or enum accept it)."""
    if not isinstance(schema, dict):
        return schema is True
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return any(has_type(value, name) for name in names)
    if "const" in schema:
        return same(value, schema["const"])
    if "enum" in schema:
        return any(same(value, item) for item in schema["enum"])
    if "anyOf" in schema:
        return any(shallow_fit(value, branch) for branch in schema["anyOf"])
    return True


def check_any_of(value: "Any", branches: "List[Any]", path: "Path") -> "List[Problem]":
    """No problem when one branch accepts the value. Otherwise the problems of the branch that is
    about this kind of value (fewest problems first), or one line saying what was expected."""
    results = []
    for branch in branches:
        found = check(value, branch, path)
        if not found:
            return []
        if shallow_fit(value, branch):
            results.append((len(found), found))
    if not results:
        return [(path, "expected " + " or ".join(describe_schema(b) for b in branches) + ", got " + show(value))]
    best = results[0]
    for result in results[1:]:
        if result[0] < best[0]:
            best = result
    return best[1]


def check_object(value: "Dict[str, Any]", schema: "Dict[str, Any]", path: "Path") -> "List[Problem]":
    problems = []  # type: List[Problem]
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            problems.append((path + [name], "missing (a required field)"))
    extra = schema.get("additionalProperties", True)
    for name in sorted(value):
        if name in properties:
            problems += check(value[name], properties[name], path + [name])
        elif extra is False:
            problems.append((path + [name], "unexpected field; expected only " + ", ".join(sorted(properties))))
        elif isinstance(extra, dict):
            problems += check(value[name], extra, path + [name])
    return problems


def check_array(value: "List[Any]", schema: "Dict[str, Any]", path: "Path") -> "List[Problem]":
    problems = []  # type: List[Problem]
    if "minItems" in schema and len(value) < schema["minItems"]:
        problems.append((path, "expected at least " + plural(schema["minItems"], "item") + ", got "
                         + str(len(value))))
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        problems.append((path, "expected at most " + plural(schema["maxItems"], "item") + ", got " + str(len(value))))
    prefix = schema.get("prefixItems", [])
    for index, item in enumerate(value):
        if index < len(prefix):
            problems += check(item, prefix[index], path + [index])
        elif "items" in schema:
            if schema["items"] is False:
                problems.append((path + [index], "unexpected item; expected at most " + plural(len(prefix), "item")
                                 + ", got " + show(item)))
            else:
                problems += check(item, schema["items"], path + [index])
    if schema.get("uniqueItems"):
        for index, item in enumerate(value):
            if any(same(item, earlier) for earlier in value[:index]):
                problems.append((path + [index], "expected unique items, got " + show(item) + " more than once"))
    return problems


# ---------------------------------------------------------------- fixture files

MAX_NESTING = 100  # far deeper than any fixture (6 levels); some parsers recurse without a limit


def nesting_depth(text: str, limit: int) -> int:
    """The deepest nesting of [ and { outside strings, counted up to `limit` + 1.

    Checked before parsing: Pyodide's parser recurses until the WebAssembly stack overflows
    and kills the runtime, instead of raising RecursionError as CPython's does.
    """
    depth = deepest = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character == "[" or character == "{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif character == "]" or character == "}":
            depth -= 1
    return deepest


def parse_json(text: str, where: str) -> "Any":
    """The JSON document, or a FixtureError naming the file and, where the parser says, the line."""
    if nesting_depth(text, MAX_NESTING) > MAX_NESTING:
        raise FixtureError([where + ": expected a JSON document nested at most " + str(MAX_NESTING)
                            + " levels deep, got one nested too deeply to parse safely"])
    try:
        try:
            return json.loads(text, parse_constant=bare_constant)
        except TypeError:  # MicroPython's json.loads takes no keyword arguments
            return json.loads(text)
    except RuntimeError:  # RecursionError (a RuntimeError; MicroPython raises RuntimeError itself)
        raise FixtureError([where + ": expected a JSON document nested at most a few hundred levels deep, got one "
                            "nested too deeply to parse"])
    except ValueError as error:
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        message = getattr(error, "msg", None) or str(error) or "cannot parse it"
        place = ": line " + str(line) + ", column " + str(column) if line is not None else ""
        raise FixtureError([where + place + ": expected a JSON document, got invalid JSON: " + str(message)])


def bare_constant(name: str) -> "Any":
    raise ValueError("a bare " + name + " is not JSON; write the string \"" + name + "\"")


def read_text(path: str, where: str) -> str:
    """The file's text, decoded as UTF-8 whatever the locale; FixtureError when it cannot be read or decoded."""
    try:
        with open(path, "rb") as handle:
            data = bytes(handle.read())
    except OSError as error:
        raise FixtureError([where + ": cannot read it: " + str(error)])
    try:
        return data.decode("utf-8")
    except ValueError as error:  # UnicodeDecodeError
        raise FixtureError([where + ": expected UTF-8 text, got bytes that are not UTF-8 (" + str(error) + ")"])


def case_location(document: "Any", path: "Path") -> str:
    """"case <id>: field.path", "cases[3]: field" when the case has no id, or "field.path"."""
    if len(path) >= 2 and path[0] == "cases" and isinstance(path[1], int):
        case = document["cases"][path[1]]
        label = "cases[" + str(path[1]) + "]"
        if isinstance(case, dict) and isinstance(case.get("id"), str) and case["id"]:
            label = "case " + case["id"]
        rest = format_path(path[2:])
        return label + (": " + rest if rest else "")
    return format_path(path)


def header_problems(document: "Any", where: str) -> "List[str]":
    """The fields that say which schema applies: checked first, since nothing else means much without them."""
    if not isinstance(document, dict):
        return [where + ": expected a JSON object with \"schema\", \"schema_version\", \"family\" and \"cases\", got "
                + show(document)]
    schema = document.get("schema")
    if not isinstance(schema, str) or not schema.startswith("refnet-fixture/"):
        return [where + ": schema: expected \"refnet-fixture/<family>\" (a refnet fixture file), got "
                + ("nothing" if "schema" not in document else show(schema))]
    version = document.get("schema_version")
    if not is_integer(version) or version != SCHEMA_VERSION:
        return [where + ": schema_version: expected " + str(SCHEMA_VERSION) + " (the version this suite reads), got "
                + ("nothing" if "schema_version" not in document else show(version))]
    family = document.get("family")
    if family not in protocol.FAMILIES:
        return [where + ": family: expected one of " + ", ".join(protocol.FAMILIES) + ", got "
                + ("nothing" if "family" not in document else show(family))]
    if schema != "refnet-fixture/" + family:
        return [where + ": schema: expected " + show("refnet-fixture/" + family) + " for family " + show(family)
                + ", got " + show(schema)]
    return []


class SchemaCache:
    """Each family's schema, read and checked once."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.schemas = {}  # type: Dict[str, Tuple[Any, List[str]]]

    def get(self, family: str) -> "Tuple[Any, List[str]]":
        """(schema, problems of the schema itself)."""
        if family not in self.schemas:
            path = self.directory + "/" + family + ".schema.json"
            try:
                schema = parse_json(read_text(path, display(path)), display(path))
                self.schemas[family] = (schema, schema_problems(schema, display(path)))
            except FixtureError as error:
                self.schemas[family] = (None, [problem + " (the schema of family " + show(family) + ")"
                                               for problem in error.problems])
        return self.schemas[family]


def document_problems(document: "Any", where: str, schemas: SchemaCache) -> "List[str]":
    """Every problem of one parsed fixture file (ids across files are checked by `check_files`)."""
    problems = header_problems(document, where)
    if problems:
        return problems
    family = document["family"]
    schema, broken = schemas.get(family)
    if broken:
        return broken
    found = check(document, schema, [])
    for path, message in found:
        location = case_location(document, path)
        problems.append(where + ": " + (location + ": " if location else "") + message)
    cases = document.get("cases")
    if isinstance(cases, list):
        flagged = [format_path(path) for path, _ in found]
        for index, case in enumerate(cases):
            if not isinstance(case, dict) or not isinstance(case.get("id"), str):
                continue
            if not case["id"].startswith(family + ".") and format_path(["cases", index, "id"]) not in flagged:
                problems.append(where + ": case " + case["id"] + ": id: expected an id starting with "
                                + show(family + ".") + " (its family), got " + show(case["id"]))
            if family in GRAPH_FAMILIES:
                problems += [where + ": case " + case["id"] + ": " + problem for problem in graph_problems(case)]
    return problems


GRAPH_FAMILIES = ("graph", "numeric_gradient")


def graph_problems(case: "Dict[str, Any]") -> "List[str]":
    """Each string arg of a node must name an input or an earlier node (a graph is given in topological order)."""
    problems = []  # type: List[str]
    given = case.get("input")
    if not isinstance(given, dict) or not isinstance(given.get("nodes"), list):
        return problems
    known = []  # type: List[str]
    inputs = given.get("inputs")
    for pair in inputs if isinstance(inputs, list) else []:
        if isinstance(pair, list) and pair and isinstance(pair[0], str):
            known.append(pair[0])
    for i, node in enumerate(given["nodes"]):
        if not isinstance(node, dict):
            continue
        args = node.get("args")
        for j, arg in enumerate(args if isinstance(args, list) else []):
            if isinstance(arg, str) and arg not in known:
                problems.append("input.nodes[" + str(i) + "].args[" + str(j) + "]: expected the name of an input or "
                                "of an earlier node (" + (", ".join(known) or "none") + "), got " + show(arg))
        if isinstance(node.get("name"), str):
            known.append(node["name"])
    return problems


def display(path: str) -> str:
    """A path as messages show it: relative to the working directory when it is inside it."""
    try:
        here = os.getcwd().rstrip("/") + "/"
    except (AttributeError, OSError):
        return path
    return path[len(here):] if path.startswith(here) and len(path) > len(here) else path


def check_files(paths: "List[str]", schema_directory: str) -> "List[Tuple[str, Any]]":
    """[(path, document)] for fixture files that pass every check; otherwise FixtureError with all problems."""
    schemas = SchemaCache(schema_directory)
    problems = []  # type: List[str]
    documents = []
    first_use = {}  # type: Dict[str, str]
    for path in paths:
        where = display(path)
        try:
            document = parse_json(read_text(path, where), where)
        except FixtureError as error:
            problems += error.problems
            continue
        try:
            found = document_problems(document, where, schemas)
        except RuntimeError:  # RecursionError: nested deeper than the checker recurses
            found = [where + ": expected a fixture document nested at most a few hundred levels deep, got one "
                     "nested too deeply to check"]
        problems += found
        if not found:
            documents.append((path, document))
            for case in document["cases"]:
                if case["id"] in first_use:
                    problems.append(where + ": case " + case["id"] + ": id: expected an id used once, got one already "
                                    "used in " + first_use[case["id"]])
                else:
                    first_use[case["id"]] = where
    if problems:
        raise FixtureError(problems)
    return documents


def check_document(document: "Any", where: str, schema_directory: str) -> "List[str]":
    """The problems of one parsed fixture file on its own (the pytest plugin checks ids across files itself)."""
    return document_problems(document, where, SchemaCache(schema_directory))
