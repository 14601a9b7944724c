"""docs/writing-a-backend.md's code is self-contained and does what the page says: its Python
blocks, pasted in order into one `mybackend.py` in an empty folder, make a backend that the
suite runs from there (all unsupported, then the activation family passing in both precisions).

It starts processes and needs PyTorch, so it skips where there are none.
"""

import os
import sys

from _support import need_module, need_processes, skip

from spec_tests import cases as case_files

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
PAGE = HERE + "/../docs/writing-a-backend.md"
ROOT = case_files.default_directory() + "/.."


def page_text():
    try:
        with open(PAGE) as handle:
            return handle.read()
    except OSError:
        skip("docs/ is not beside the tests here (" + PAGE + ")")
        raise


def python_blocks(text):
    """The bodies of the ```python fenced blocks, in order."""
    return [part.split("```")[0] for part in text.split("```python\n")[1:]]


def suite_in(folder, arguments):
    """(exit status, closing line) of `python -m spec_tests arguments…` run in `folder`."""
    subprocess = need_processes()
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.path.abspath(ROOT)
    process = subprocess.run([sys.executable, "-m", "spec_tests"] + arguments, cwd=folder, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, universal_newlines=True, env=environment)
    lines = process.stdout.strip().split("\n")
    return process.returncode, lines[-1] + process.stderr


def test_the_pages_backend_runs_from_an_empty_folder_as_the_page_says():
    text = page_text()
    need_module("torch")
    blocks = python_blocks(text)
    assert len(blocks) == 2 and blocks[0].startswith("# mybackend.py") and blocks[1].startswith("# mybackend.py")
    tempfile = need_module("tempfile")
    folder = tempfile.mkdtemp()
    with open(os.path.join(folder, "mybackend.py"), "w") as handle:
        handle.write("\n\n".join(blocks))
    every = len(case_files.load_cases())
    activations = len([c for c in case_files.load_cases() if c["family"] == "activation"])

    status, line = suite_in(folder, ["--backend", "mybackend:MyBackend", "--quiet"])
    assert (status, line) == (0, "0 passed, 0 failed, " + str(every) + " unsupported"), line
    assert "`0 passed, 0 failed, " + str(every) + " unsupported`" in text

    status, line = suite_in(folder, ["--backend", "mybackend:MyTorchBackend", "--include", "activation", "--quiet"])
    assert (status, line) == (0, str(activations) + " passed, 0 failed, 0 unsupported"), line
    assert "`" + line + "`" in text

    status, line = suite_in(folder, ["--backend", "mybackend:MyTorchBackend", "--include", "activation", "--quiet",
                                     "--precision", "float32"])
    assert status == 0 and " 0 failed, " in line and not line.endswith(" 0 unsupported"), line
