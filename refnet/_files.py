"""Folders and files the way every runtime can make them: os.makedirs(exist_ok=) and os.path.isdir
are missing on MicroPython, so a folder is made one level at a time with os.mkdir and recognised
by its stat mode. Used by the commands and pages that write files (python -m refnet show --svg,
pipeline --out, tour --html); each error names what could not be made or written, and why.
Also the one step both commands take when the reader of their output has gone (a closed pipe).
"""

import os
import sys

from refnet.errors import InputError

FOLDER_BITS = 0o170000  # S_IFMT: the file-type bits of st_mode
FOLDER = 0o040000  # S_IFDIR


def is_directory(path: str) -> bool:
    """True for an existing folder."""
    try:
        return (os.stat(path)[0] & FOLDER_BITS) == FOLDER
    except OSError:
        return False


def exists(path: str) -> bool:
    """True for an existing file or folder."""
    try:
        os.stat(path)
        return True
    except OSError:
        return False


def reason(error: OSError) -> str:
    """The OS's words for `error` (MicroPython's OSError has only its errno)."""
    strerror = getattr(error, "strerror", None)
    return str(strerror) if strerror else "OSError " + " ".join(str(part) for part in error.args)


def make_directories(directory: str, where: str) -> None:
    """Create `directory` and its missing parents; an existing folder is fine.

    InputError naming `where`, the level of the path that cannot be made, and why.
    """
    parts = directory.replace("\\", "/").split("/")
    path = ""
    for index, part in enumerate(parts):
        path = part if index == 0 else path + "/" + part
        if not part or part == "." or is_directory(path):
            continue
        try:
            os.mkdir(path)
        except OSError as error:
            if is_directory(path):
                continue  # made meanwhile by another process
            why = "it is a file, not a folder" if exists(path) else reason(error)
            raise InputError(f"{where} {directory!r}: cannot create the folder {path!r} ({why}); expected a folder "
                             "that can be created and written") from None


def write_text(path: str, text: str, where: str) -> None:
    """Write `text` to `path` as UTF-8, whatever the locale says; InputError naming `where` and why."""
    try:
        with open(path, "wb") as handle:
            handle.write(text.encode("utf-8"))
    except OSError as error:
        raise InputError(f"{where}: cannot write {path!r} ({reason(error)}); expected a folder that can be "
                         "written") from None


def silence_stdout() -> None:
    """Point stdout at the null device after the reader closed the pipe (python -m refnet | head -1),
    so the interpreter's own flush at exit cannot fail again and print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass
