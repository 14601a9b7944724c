"""Every ```python block of README.md runs and prints exactly the ```text block that follows it.

Each block runs alone, in a fresh namespace, as a reader pasting it would run it; what it prints
with print() is captured and compared with the output block, text for text. The folder a block
may change into (the save/load example does) is restored after it. The expected outputs were
checked by hand against their sources: (x+y)z's numbers are 002_22dd3b33c61b9037.txt's, the
rest are what the documented behaviour prints (the training example's numbers come from the
seeded generator and are the same on every runtime).
"""

import os

from _support import need_processes, skip

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
README = HERE + "/../README.md"
FENCE = "```"


def fenced_blocks(text):
    """(language, body, line number of the opening fence) of every ``` block, in order."""
    blocks = []
    language = None
    body = []
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        if language is None:
            if line.startswith(FENCE):
                language = line[len(FENCE):].strip()
                body = []
                start = number
        elif line.startswith(FENCE):
            blocks.append((language, "\n".join(body) + "\n" if body else "", start))
            language = None
        else:
            body.append(line)
    assert language is None, "README.md:" + str(start) + ": a ``` block is never closed"
    return blocks


def examples(text):
    """(python source, expected output, line number) for each ```python block and the ```text after it."""
    blocks = fenced_blocks(text)
    pairs = []
    for index, (language, body, line) in enumerate(blocks):
        if language != "python":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        assert following is not None and following[0] == "text", (
            "README.md:" + str(line) + ": expected a ```text block with this example's output right after it, got "
            + ("the end of the file" if following is None else "a ```" + following[0] + " block"))
        pairs.append((body, following[1], line))
    return pairs


def readme_text():
    try:
        with open(README, encoding="utf-8") as handle:
            return handle.read()
    except OSError:  # the MicroPython runner copies the package folders only, not the README
        skip("README.md is not beside the tests here (" + README + ")")


def run_capturing(source, name):
    """Run `source` in a fresh namespace; return what it printed with print()."""
    printed = []

    def capture(*values, sep=" ", end="\n"):
        printed.append(sep.join(str(value) for value in values) + end)

    folder = os.getcwd()
    try:
        exec(compile(source, name, "exec"), {"__name__": "__readme__", "print": capture})
    finally:
        os.chdir(folder)
    return "".join(printed)


def test_fenced_blocks_and_their_pairing_are_read_as_written():
    text = "intro\n```python\nprint(1)\n```\n\n```text\n1\n```\n```sh\nls\n```\n"
    assert fenced_blocks(text) == [("python", "print(1)\n", 2), ("text", "1\n", 6), ("sh", "ls\n", 9)]
    assert examples(text) == [("print(1)\n", "1\n", 2)]
    try:
        examples("```python\nprint(1)\n```\n```sh\nls\n```\n")
    except AssertionError as error:
        assert "README.md:1: expected a ```text block" in str(error) and "got a ```sh block" in str(error)
    else:
        raise AssertionError("a python block without its output block was not refused")


def test_every_readme_example_prints_its_expected_output():
    pairs = examples(readme_text())
    assert len(pairs) >= 5, len(pairs)  # the first look, training, micrograd, save/load, explain
    for source, expected, line in pairs:
        printed = run_capturing(source, "README.md:" + str(line))
        assert printed == expected, ("README.md:" + str(line) + ": the example printed\n" + printed
                                     + "expected (the ```text block after it)\n" + expected)


def test_the_newcomer_commands_are_still_the_first_ones():
    text = readme_text()
    assert "python3 -m refnet " in text and "bash .ci/run " in text
    assert text.index("python3 -m refnet ") < text.index("```python")
    assert "pip install -e ." in text


def refnet_commands(text):
    """(command arguments, files its comment names, line) for every `python3 -m refnet …` line of a ```sh block."""
    commands = []
    for language, body, start in fenced_blocks(text):
        if language != "sh":
            continue
        for offset, line in enumerate(body.split("\n"), 1):
            command, _, comment = line.partition("#")
            words = command.split()
            if words[:3] != ["python3", "-m", "refnet"]:
                continue
            files = [word.strip(",.;:()") for word in comment.split()
                     if "/" in word and word.strip(",.;:()").endswith((".svg", ".html"))]
            commands.append((words[3:], files, start + offset))
    return commands


def test_every_readme_refnet_command_runs_and_writes_the_files_it_names():
    subprocess = need_processes()
    import sys
    import tempfile
    commands = refnet_commands(readme_text())
    assert len(commands) >= 5, commands  # the tour, pipeline and --help, show --svg, tour --html
    root = os.path.dirname(os.path.abspath(README))
    environment = dict(os.environ)
    environment["PYTHONPATH"] = root
    named = 0
    for arguments, files, line in commands:
        folder = tempfile.mkdtemp()
        process = subprocess.run([sys.executable, "-m", "refnet"] + arguments, cwd=folder, env=environment,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=600)
        where = "README.md:" + str(line) + " python3 -m refnet " + " ".join(arguments)
        assert process.returncode == 0, where + " exited " + str(process.returncode) + ": " + process.stderr
        assert process.stdout.strip(), where + " printed nothing"
        for name in files:
            named += 1
            assert os.path.isfile(os.path.join(folder, name)), where + " did not write " + name
    assert named >= 4, named  # loss.svg, boundary.svg, the example's graph, the page
