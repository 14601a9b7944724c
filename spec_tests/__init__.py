"""refnet's conformance suite: language-neutral fixtures and the engine that checks a backend.

    python -m spec_tests --backend refnet            # the reference itself
    python -m spec_tests --backend numpy --precision float32
    pytest --backend torch                           # the same cases as pytest items

A backend is any object following spec_tests/protocol.py (plain data in, plain data out).
docs/running-the-suite.md gives the options, exit statuses and the pytest plugin;
docs/writing-a-backend.md walks through writing a backend; docs/fixture-format.md specifies
the fixture files for loaders in other languages. The fixtures are installed with the
package (spec_tests/fixtures/), so the suite runs from any folder.
"""

from spec_tests.protocol import FAMILIES, PRECISIONS, Backend, Unsupported

SUITE_VERSION = "2.0.0"

__all__ = ["SUITE_VERSION", "FAMILIES", "PRECISIONS", "Backend", "Unsupported"]
