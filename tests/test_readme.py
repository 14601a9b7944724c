"""The README's Python examples run and print what the README says they print."""

import os

from _support import skip

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
README = HERE + "/../README.md"


def python_blocks(text):
    """The bodies of the ```python fenced blocks, in order."""
    blocks = []
    parts = text.split("```python\n")
    for part in parts[1:]:
        blocks.append(part.split("```")[0])
    return blocks


def readme_text():
    try:
        with open(README) as handle:
            return handle.read()
    except OSError:  # the MicroPython runner copies the package folders only, not the README
        skip("README.md is not beside the tests here (" + README + ")")


def test_readme_examples_run():
    text = readme_text()
    blocks = python_blocks(text)
    assert len(blocks) == 3
    namespace = {}
    exec(blocks[0], namespace)
    assert (namespace["f"].data, namespace["x"].grad, namespace["z"].grad) == (-12.0, -4.0, 3.0)
    assert "# -12.0 -4.0 -4.0 3.0" in blocks[0]
    namespace = {}
    exec(blocks[1], namespace)
    history = namespace["history"]
    assert len(history.loss) == 10 and history.loss[-1] < history.loss[0]
    exec(blocks[2], {})
