"""Checking fixture files before a run (spec_tests/validate.py): every problem named by file, case and field.

In-process, so these run on every runtime; the CLI's handling of the same problems is in
tests/test_spec_cli.py. Broken fixtures are the shipped ones with one thing changed.
"""

import json
import os
import sys

from _support import need_module, raises

from spec_tests import cases as case_files
from spec_tests import validate
from spec_tests.protocol import FAMILIES

DIRECTORY = case_files.default_directory()
SCHEMAS = DIRECTORY + "/schemas"


def shipped(family):
    with open(DIRECTORY + "/" + family + ".json") as handle:
        return json.loads(handle.read())


def problems_of(document, where="fixtures/loss.json"):
    return validate.check_document(document, where, SCHEMAS)


def only_problem(document, where="fixtures/loss.json"):
    found = problems_of(document, where)
    assert len(found) == 1, found
    return found[0]


def scratch_directory(name):
    """A new empty folder: under the system's temporary folder, or the working directory where
    there is no tempfile module (MicroPython's in-memory file system)."""
    try:
        import tempfile

        return tempfile.mkdtemp()
    except ImportError:
        path = "scratch_" + name
        try:
            os.mkdir(path)
        except OSError:
            for entry in os.listdir(path):
                os.remove(path + "/" + entry)
        return path


def write(path, document):
    with open(path, "w") as handle:
        handle.write(document if isinstance(document, str) else json.dumps(document))


def test_shipped_fixtures_have_no_problem():
    for path in case_files.fixture_files(DIRECTORY):
        with open(path) as handle:
            document = json.loads(handle.read())
        assert validate.check_document(document, path, SCHEMAS) == [], path
    assert len(case_files.load_cases()) > 0


def test_each_missing_field_of_a_case_is_named_with_its_case():
    for field in ("input", "expected", "tolerance", "source"):
        document = shipped("loss")
        del document["cases"][0][field]
        case_id = document["cases"][0]["id"]
        assert only_problem(document) == "fixtures/loss.json: case " + case_id + ": " + field + ": missing (a required field)"


def test_a_case_without_id_is_named_by_its_index():
    document = shipped("loss")
    del document["cases"][2]["id"]
    assert only_problem(document) == "fixtures/loss.json: cases[2]: id: missing (a required field)"


def test_wrong_type_deep_in_a_field_names_the_path():
    document = shipped("loss")
    document["cases"][0]["input"]["predictions"][1][0] = "x"
    problem = only_problem(document)
    case_id = document["cases"][0]["id"]
    assert problem.startswith("fixtures/loss.json: case " + case_id + ": input.predictions[1][0]: expected a number")
    assert problem.endswith(', got "x"'), problem
    document = shipped("loss")
    document["cases"][0]["tolerance"]["float32"]["rtol"] = -1.0
    assert only_problem(document).endswith("tolerance.float32.rtol: expected a number >= 0, got -1.0")


def test_unknown_op_and_unknown_family_are_errors_of_the_fixture():
    document = shipped("graph")
    document["cases"][0]["input"]["nodes"][0]["op"] = "cube"
    problem = only_problem(document, "fixtures/graph.json")
    assert "case " + document["cases"][0]["id"] + ": input.nodes[0].op: expected one of " in problem
    assert '"add"' in problem and problem.endswith('got "cube"')
    document = shipped("loss")
    document["family"] = "losses"
    problem = only_problem(document)
    assert problem.startswith("fixtures/loss.json: family: expected one of " + ", ".join(FAMILIES))
    assert problem.endswith('got "losses"')


def test_schema_version_and_schema_name_are_checked_first():
    document = shipped("loss")
    document["schema_version"] = 2
    assert only_problem(document) == "fixtures/loss.json: schema_version: expected 1 (the version this suite reads), got 2"
    document = shipped("loss")
    document["schema"] = "refnet-fixture/graph"
    assert 'schema: expected "refnet-fixture/loss" for family "loss"' in only_problem(document)
    assert "expected a JSON object" in only_problem([1, 2])


def test_an_id_must_start_with_its_family():
    document = shipped("loss")
    document["cases"][0]["id"] = "graph.sneaked.in"
    problem = only_problem(document)
    assert problem.startswith("fixtures/loss.json: case graph.sneaked.in: id: expected a string matching ^loss")


def test_truncated_json_names_the_file_and_where_the_parser_stopped():
    error = raises(validate.FixtureError, validate.parse_json, '{"schema": "refnet-fixture/loss",\n "cases": [', "f.json")
    assert len(error.problems) == 1 and error.problems[0].startswith("f.json: ")
    assert "expected a JSON document, got invalid JSON" in error.problems[0]
    if sys.implementation.name in ("cpython", "pypy"):
        assert error.problems[0].startswith("f.json: line 2, column "), error.problems[0]
    bare = raises(validate.FixtureError, validate.parse_json, '{"x": NaN}', "g.json")
    assert bare.problems[0].startswith("g.json: ")


def test_a_graph_arg_must_name_an_input_or_an_earlier_node():
    for family in ("graph", "numeric_gradient"):
        document = shipped(family)
        case = document["cases"][0]
        node = case["input"]["nodes"][0]
        node["args"] = [case["input"]["inputs"][0][0], "nosuch"]
        problem = only_problem(document, "fixtures/" + family + ".json")
        assert problem.startswith("fixtures/" + family + ".json: case " + case["id"] + ": input.nodes[0].args[1]: "
                                  "expected the name of an input or of an earlier node"), problem
        assert problem.endswith('got "nosuch"'), problem
        later = shipped(family)   # a later node's name is not yet defined where it is used
        nodes = later["cases"][0]["input"]["nodes"]
        if len(nodes) >= 2:
            nodes[0]["args"] = [nodes[1]["name"]] + nodes[0]["args"][1:]
            assert "input.nodes[0].args[0]" in only_problem(later, "fixtures/" + family + ".json")


def test_a_file_that_is_not_utf8_is_a_fixture_error_naming_it():
    folder = scratch_directory("not_utf8")
    path = folder + "/loss.json"
    write(path, shipped("loss"))
    with open(path, "ab") as handle:
        handle.write(b"\xff")
    error = raises(validate.FixtureError, validate.check_files, [path], SCHEMAS)
    assert len(error.problems) == 1 and error.problems[0].startswith(validate.display(path) + ": expected UTF-8 text"), \
        error.problems


def test_absurdly_deep_nesting_is_a_fixture_error_naming_the_file():
    folder = scratch_directory("too_deep")
    path = folder + "/loss.json"
    write(path, "[" * 100000 + "]" * 100000)
    error = raises(validate.FixtureError, validate.check_files, [path], SCHEMAS)
    assert len(error.problems) == 1 and error.problems[0].startswith(validate.display(path) + ": "), error.problems
    assert "nested too deeply" in error.problems[0], error.problems  # checked before any parser recurses


def test_nesting_depth_counts_brackets_outside_strings_only():
    assert validate.nesting_depth('{"a": [1, {"b": [[]]}]}', 100) == 5
    assert validate.nesting_depth('{"a": "[[[{{{\\"[[[", "b": 1}', 100) == 1
    assert validate.nesting_depth("[" * 500, 100) == 101  # stops counting past the limit


def test_duplicate_ids_across_two_files():
    folder = scratch_directory("duplicates")
    first = shipped("loss")
    second = shipped("loss")
    second["cases"] = second["cases"][3:4]
    write(folder + "/a.json", first)
    write(folder + "/b.json", second)
    error = raises(validate.FixtureError, case_files.load_cases, folder)
    case_id = second["cases"][0]["id"]
    assert error.problems == [validate.display(folder + "/b.json") + ": case " + case_id + ": id: expected an id used once, "
                              "got one already used in " + validate.display(folder + "/a.json")]


def test_every_problem_is_listed_up_to_twenty():
    document = shipped("loss")
    for case in document["cases"][:25]:
        del case["source"]
    found = problems_of(document)
    assert len(found) == min(25, len(document["cases"]))
    lines = validate.problem_lines(found)
    assert len(lines) == 21 and lines[-1] == "and " + str(len(found) - 20) + " more problems"


def test_an_unknown_keyword_is_an_error_of_the_schema():
    schema = {"type": "object", "properties": {"x": {"type": "number", "maximum": 3}}, "title": "t"}
    found = validate.schema_problems(schema, "s.schema.json")
    assert len(found) == 1 and found[0].startswith("s.schema.json: properties.x: unknown keyword \"maximum\""), found
    assert validate.schema_problems({"pattern": "^(a|b)$"}, "s")[0].startswith("s: pattern ")
    for family in FAMILIES:
        with open(SCHEMAS + "/" + family + ".schema.json") as handle:
            assert validate.schema_problems(json.loads(handle.read()), family) == [], family


def test_pattern_matcher_agrees_with_regular_expressions():
    # the patterns of the shipped schemas, and a few of the subset's other forms
    patterns = ["^loss\\.[A-Za-z0-9_.+-]+$", "^0x[0-9A-F]{16}$", "^\\d+\\.\\d+\\.\\d+$", "a+b", "^a{2,3}$", "^[^x]?y*$"]
    texts = ["loss.mse.basic", "loss.", "lossxmse", "loss.a b", "0x00000000000000FF", "0x0000000000000FF",
             "0x00000000000000fF", "1.0.0", "1.0.x", "10.20.30", "xxaab", "ab", "b", "aa", "aaa", "aaaa", "", "y", "zyy", "xy"]
    expected = {  # what Python's re.search says (computed once on CPython 3.11, checked below where re can)
        "^loss\\.[A-Za-z0-9_.+-]+$": ["loss.mse.basic"],
        "^0x[0-9A-F]{16}$": ["0x00000000000000FF"],
        "^\\d+\\.\\d+\\.\\d+$": ["1.0.0", "10.20.30"],
        "a+b": ["xxaab", "ab"],
        "^a{2,3}$": ["aa", "aaa"],
        "^[^x]?y*$": ["b", "", "y", "zyy"],
    }
    for pattern in patterns:
        matched = [text for text in texts if validate.pattern_matches(pattern, text)]
        assert matched == expected[pattern], (pattern, matched)
    if sys.implementation.name == "cpython":
        import re

        for pattern in patterns:
            assert [t for t in texts if re.search(pattern, t)] == expected[pattern], pattern


def broken_variants(document):
    """(label, document) pairs, each the first cases of `document` with one thing broken."""
    variants = []
    for index in range(min(2, len(document["cases"]))):
        case = document["cases"][index]
        for field in sorted(case):
            if field == "notes":
                continue
            without = json.loads(json.dumps(case))
            del without[field]
            variants.append(("case %d without %s" % (index, field), without))
        for field in ("input", "expected", "tolerance"):
            for path in leaf_paths(case[field], [field]):
                for wrong in ("x", None, {"k": 1}, -1.5):
                    changed = json.loads(json.dumps(case))
                    target = changed
                    for part in path[:-1]:
                        target = target[part]
                    target[path[-1]] = wrong
                    variants.append(("case %d %s = %s" % (index, validate.format_path(path), json.dumps(wrong)), changed))
    header = {key: value for key, value in document.items() if key != "cases"}
    return [(label, dict(header, cases=[case])) for label, case in variants]


def leaf_paths(value, path):
    if isinstance(value, dict):
        found = []
        for key in sorted(value):
            found += leaf_paths(value[key], path + [key])
        return found
    if isinstance(value, list) and value:
        found = []
        for index in sorted(set([0, len(value) - 1])):
            found += leaf_paths(value[index], path + [index])
        return found
    return [path]


def test_agrees_with_jsonschema_on_shipped_and_broken_fixtures():
    jsonschema = need_module("jsonschema")
    checked = 0
    for path in case_files.fixture_files(DIRECTORY):
        with open(path) as handle:
            document = json.loads(handle.read())
        with open(SCHEMAS + "/" + document["family"] + ".schema.json") as handle:
            schema = json.loads(handle.read())
        reference = jsonschema.Draft202012Validator(schema)
        assert not list(reference.iter_errors(document)) and problems_of(document, path) == [], path
        for label, broken in broken_variants(document):
            ours = validate.check(broken, schema, [])
            theirs = list(reference.iter_errors(broken))
            assert bool(ours) == bool(theirs), (path, label, [p for p in ours], [e.message for e in theirs])
            # where jsonschema found a problem, ours is there or deeper (inside an anyOf, in a branch)
            places = [list(error.absolute_path) for error in theirs]
            assert not theirs or any(found[:len(place)] == place for place in places for found, _ in ours), \
                (path, label, places, ours)
            checked += 1
    assert checked > 500, checked


def test_cases_load_from_a_folder_without_schemas_using_the_default_ones():
    folder = scratch_directory("no_schemas")
    write(folder + "/loss.json", shipped("loss"))
    assert case_files.schema_directory(folder) == SCHEMAS
    assert len(case_files.load_cases(folder)) == len(shipped("loss")["cases"])


def test_default_directory_is_normalized():
    assert case_files.normalize("/a/spec_tests/../fixtures") == "/a/fixtures"
    assert case_files.normalize("spec_tests/../fixtures") == "fixtures"
    assert case_files.normalize("./x//y/") == "x/y"
    assert ".." not in DIRECTORY.split("/") and case_files.is_directory(DIRECTORY)
    assert case_files.is_directory(SCHEMAS) and not case_files.is_directory(DIRECTORY + "/loss.json")
