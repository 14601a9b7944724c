"""The tour as one web page (refnet/tour_page.py): its structure without a browser, then the page
as headless Chromium renders it (tools/browser_check.py).

Expected numbers: 002_22dd3b33c61b9037.txt's example f = (x + y)·z at x = −2, y = 5, z = −4 has
q = 3, f = −12 and the gradients ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = q = 3 (the document's formulas,
quoted in refnet/sources.py). Under MicroPython (no subprocess) the browser test skips; the page
tests run everywhere, with a few pipeline epochs to stay quick.
"""

import os
import sys

from _support import need_processes, raises, skip
from _support import scratch_folder as shared_scratch_folder

from refnet import tour_page
from refnet import worked_examples as examples
from refnet.errors import InputError

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
TOOLS = HERE + "/../tools"
QUICK_EPOCHS = 3  # the pipeline's plots need a run, not a converged one, for the page's structure
EXPRESSION = "doc002-expression"
# The only absolute URLs the page may hold: the SVG namespace names (never fetched).
NAMESPACES = ('xmlns="http://www.w3.org/2000/svg"', 'xmlns:xlink="http://www.w3.org/1999/xlink"')
VOID_ELEMENTS = ("meta", "br", "hr", "img", "link", "input")


def scratch_folder():
    return shared_scratch_folder("tour_page_")


def read(path):
    with open(path, "rb") as page:
        return page.read().decode("utf-8")


QUICK_PAGE = []


def quick_page():
    """The tour written once with QUICK_EPOCHS; (path, text)."""
    if not QUICK_PAGE:
        path = tour_page.write_tour(scratch_folder(), epochs=QUICK_EPOCHS)
        QUICK_PAGE.append((path, read(path)))
    return QUICK_PAGE[0]


def tags(text):
    """Every markup tag of `text` as (name, kind, position), kind "open", "close" or "empty";
    comments, the doctype and <?…?> declarations are skipped."""
    found = []
    position = text.find("<")
    while position >= 0:
        if text.startswith("<!--", position):
            end = text.find("-->", position)
            assert end > 0, f"comment opened at {position} is never closed"
            position = text.find("<", end + 3)
            continue
        end = text.find(">", position)
        assert end > 0, f"tag opened at character {position} is never closed: {text[position:position + 60]!r}"
        body = text[position + 1:end]
        if body.startswith("!") or body.startswith("?"):
            position = text.find("<", end)
            continue
        if body.startswith("/"):
            found.append((body[1:].strip(), "close", position))
        else:
            name = body.split()[0].rstrip("/") if body.split() else ""
            found.append((name, "empty" if body.endswith("/") else "open", position))
        position = text.find("<", end)
    return found


def check_nesting(text):
    """Every element closed, in order (the page is well-formed XML); returns the element names in order."""
    stack = []
    names = []
    for name, kind, position in tags(text):
        if kind == "open":
            assert name not in VOID_ELEMENTS, f"void element <{name}> at {position} must be written <{name} .../>"
            stack.append((name, position))
            names.append(name)
        elif kind == "empty":
            names.append(name)
        else:
            assert stack, f"</{name}> at {position} closes nothing"
            opened, where = stack.pop()
            assert opened == name, f"</{name}> at {position} closes <{opened}> opened at {where}"
    assert not stack, f"never closed: {stack}"
    return names


def element_text(text, start_marker, end_marker):
    """The part of `text` from start_marker to the next end_marker after it (both included)."""
    start = text.find(start_marker)
    assert start >= 0, f"{start_marker!r} is not in the page"
    end = text.find(end_marker, start)
    assert end > start, f"{end_marker!r} does not follow {start_marker!r}"
    return text[start:end + len(end_marker)]


def svg_words(svg):
    """The words of the <text> elements of an SVG's source (U+2212 read as '-')."""
    words = []
    for part in svg_texts(svg):
        words += part.replace("\u2212", "-").split()
    return words


def svg_texts(svg):
    """The contents of the <text> elements of an SVG's source, markup removed, entities kept as written."""
    texts = []
    position = svg.find("<text")
    while position >= 0:
        start = svg.find(">", position) + 1
        end = svg.find("</text>", start)
        inner = svg[start:end]
        while "<" in inner:  # drop any <tspan> markup inside
            cut = inner.find("<")
            inner = inner[:cut] + inner[inner.find(">", cut) + 1:]
        texts.append(inner.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&"))
        position = svg.find("<text", end)
    return texts


def section_of(text, name):
    return element_text(text, f'<section id="example-{tour_page._element_id(name)}"', "</section>")


def test_escape_makes_markup_characters_text():
    assert tour_page._escape("""<a href="x">Tom & 'Jerry'</a>""") == \
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"


def test_number_has_six_significant_digits_and_no_negative_zero():
    assert tour_page._number(-0.0) == "0"
    assert tour_page._number(3.0) == "3"
    assert tour_page._number(-12.0) == "-12"
    assert tour_page._number(0.1966119332414819) == "0.196612"


def test_scoped_svg_prefixes_ids_and_their_references_and_drops_the_declaration():
    svg = ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><defs><marker id="arrow"/></defs>'
           '<path marker-end="url(#arrow)"/><use href="#arrow"/></svg>\n')
    assert tour_page._scoped_svg(svg, "example-a", 'data-example="a"') == (
        '<svg data-example="a" xmlns="http://www.w3.org/2000/svg"><defs><marker id="example-a-arrow"/></defs>'
        '<path marker-end="url(#example-a-arrow)"/><use href="#example-a-arrow"/></svg>')


def test_scoped_svg_refuses_text_that_is_not_svg():
    error = raises(InputError, tour_page._scoped_svg, "<html></html>", "x", "")
    assert "expected an SVG document" in str(error) and "<html>" in str(error), error


def test_page_is_well_formed_with_a_section_per_example_and_unique_ids():
    path, text = quick_page()
    assert path.endswith("/index.html"), path
    assert text.startswith("<!DOCTYPE html>\n<html"), text[:40]
    names = check_nesting(text)
    assert names.count("section") == len(examples.NAMES) + 1, names.count("section")  # + the pipeline
    for name in examples.NAMES:
        section = section_of(text, name)
        assert f"[{name}]" in section and tour_page._escape(examples.title(name)) in section, name
        assert "Source: <cite>" in section, name
        assert ("<svg " in section) == (name in examples.DRAWABLE), name
    ids = []
    position = text.find(' id="')
    while position >= 0:
        end = text.find('"', position + 5)
        ids.append(text[position + 5:end])
        position = text.find(' id="', end)
    repeated = [known for known in ids if ids.count(known) > 1]
    assert not repeated, f"ids used more than once: {sorted(set(repeated))}"
    for name in examples.DRAWABLE:
        assert "example-" + tour_page._element_id(name) in ids, name


def test_page_parses_as_xml_where_a_parser_exists():
    try:
        import xml.etree.ElementTree as ElementTree
    except ImportError:
        skip("no xml.etree on " + sys.implementation.name + " (check_nesting covers the page there)")
    path, _ = quick_page()
    root = ElementTree.parse(path).getroot()
    assert root.tag == "html", root.tag
    svg = "{http://www.w3.org/2000/svg}svg"
    drawn = [element.get("data-example") for element in root.iter(svg) if element.get("data-example")]
    assert sorted(drawn) == sorted(examples.DRAWABLE), drawn
    plots = sorted(element.get("data-plot") for element in root.iter(svg) if element.get("data-plot"))
    assert plots == ["boundary", "loss"], plots


def test_expression_graph_shows_the_documents_values_and_gradients():
    _, text = quick_page()
    section = section_of(text, EXPRESSION)
    svg = element_text(section, "<svg ", "</svg>")
    assert f'data-example="{EXPRESSION}"' in svg
    words = svg_words(svg)
    for value in ("-2", "5", "-4", "3", "-12"):  # x, y, z, q, f of 002
        assert value in words, (value, words)
    # -4 is z's value and the gradient of x, y and q (002: ∂f/∂x = ∂f/∂y = ∂f/∂q = z = -4)
    assert words.count("-4") >= 4, words
    for name in ("x", "y", "z", "q", "f"):
        assert name in words, (name, words)


def test_expression_step_table_is_the_documents_backward_pass():
    _, text = quick_page()
    table = element_text(section_of(text, EXPRESSION), '<table class="steps">', "</table>")
    rows = []
    for row in table.split("<tr>")[2:]:  # after the header row
        cells = [cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]
        rows.append(cells)
    # (child, total ∂f/∂child) in backward()'s order: f = q·z first (mul swaps), then q = x + y (add distributes)
    assert [(cells[7], cells[8]) for cells in rows] == [("q", "-4"), ("z", "3"), ("x", "-4"), ("y", "-4")], rows
    assert [cells[9] for cells in rows] == ["mul gate swaps"] * 2 + ["add gate distributes"] * 2, rows


def test_page_fetches_nothing_and_runs_no_script():
    _, text = quick_page()
    lowered = text.lower()
    for scheme in ("http://", "https://"):
        position = lowered.find(scheme)
        while position >= 0:
            before = text[max(0, position - 30):position + 40]
            assert any(before.find(namespace) >= 0 for namespace in NAMESPACES), \
                f"absolute URL outside an SVG namespace declaration: ...{before}..."
            position = lowered.find(scheme, position + 1)
    for forbidden in ("<script", "<link", "<img", "<iframe", "@import", " src=", "@font-face"):
        assert forbidden not in lowered, forbidden
    position = lowered.find("url(")
    while position >= 0:
        assert lowered[position + 4] == "#", \
            f"url() that is not a reference inside the page: {text[position:position + 40]}"
        position = lowered.find("url(", position + 1)


def test_page_bytes_are_the_same_on_every_write():
    _, text = quick_page()
    again = tour_page.write_tour(scratch_folder(), epochs=QUICK_EPOCHS)
    assert read(again) == text


def test_write_tour_creates_missing_folders():
    folder = scratch_folder() + "/new/deeper"
    path = tour_page.write_tour(folder, epochs=1)
    assert path == folder + "/index.html", path
    assert read(path).startswith("<!DOCTYPE html>")


def test_write_tour_refuses_bad_arguments_and_a_folder_it_cannot_write():
    blocker = scratch_folder() + "/a_file"
    with open(blocker, "w") as out:
        out.write("not a folder")
    error = raises(InputError, tour_page.write_tour, blocker, epochs=1)
    assert "write_tour(directory)" in str(error) and repr(blocker) in str(error), error
    assert "it is a file, not a folder" in str(error) and "expected a folder" in str(error), error
    error = raises(InputError, tour_page.write_tour, blocker + "/deeper", epochs=1)
    assert repr(blocker) in str(error) and "it is a file, not a folder" in str(error), error
    error = raises(InputError, tour_page.write_tour, "")
    assert "write_tour(directory)" in str(error) and "expected a non-empty folder path" in str(error), error
    error = raises(InputError, tour_page.write_tour, None)
    assert "write_tour(directory)" in str(error) and "None" in str(error), error
    error = raises(InputError, tour_page.write_tour, scratch_folder(), epochs=0)
    assert "write_tour(epochs)" in str(error) and "expected an integer >= 1" in str(error), error
    error = raises(InputError, tour_page.page, epochs=2.5)
    assert "tour_page.page(epochs)" in str(error) and "float" in str(error), error


def browser_check_module():
    """tools/browser_check.py, imported from the tools folder."""
    if TOOLS not in sys.path:
        sys.path.insert(0, TOOLS)
    import browser_check
    return browser_check


def test_tour_renders_in_headless_chromium_with_every_graph():
    need_processes()
    if sys.implementation.name not in ("cpython", "pypy"):
        skip("tools/browser_check.py needs CPython or PyPy, not " + sys.implementation.name)
    browser_check = browser_check_module()
    if browser_check.find_chromium() is None:
        skip("no Chromium found ($CHROMIUM, " + ", ".join(browser_check.CHROMIUM_NAMES) + " on PATH); "
             "install it with apt-get install -y chromium")
    path = tour_page.write_tour(scratch_folder())  # the page as `python -m refnet tour --html` writes it
    text = read(path)
    shots = os.environ.get("REFNET_SCREENSHOT_DIR") or scratch_folder()
    if not os.path.isdir(shots):
        os.makedirs(shots)
    screenshot = os.path.join(shots, "refnet-tour.png")
    selectors = [f'section#example-{tour_page._element_id(name)} svg[data-example="{name}"]'
                 for name in examples.DRAWABLE]
    selectors += ['section#pipeline svg[data-plot="loss"]', 'section#pipeline svg[data-plot="boundary"]']
    expression = selectors[examples.DRAWABLE.index(EXPRESSION)]
    expected_texts = [(expression, value) for value in ("-2", "5", "-4", "-12", "3")]  # 002's numbers
    report = browser_check.check_page(path, screenshot, selectors)
    print(f"tour screenshot: {os.path.abspath(screenshot)}")
    assert browser_check.problems(report, selectors, expected_texts) == [], report
    assert report["title"] == tour_page.TITLE, report["title"]
    for name, selector in zip(examples.DRAWABLE, selectors):
        rendered = report["elements"][selector]
        assert rendered["count"] == 1, (name, rendered["count"])
        written = svg_texts(element_text(section_of(text, name), "<svg ", "</svg>"))
        assert rendered["parts"] == written, (name, rendered["parts"], written)  # every node's text, in the DOM
    with open(screenshot, "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n", screenshot
    assert os.path.getsize(screenshot) > 50000, os.path.getsize(screenshot)  # a page of graphs, not a blank


def test_gate_formulas_read_as_the_documents_write_them():
    _, text = quick_page()
    formulas = element_text(section_of(text, EXPRESSION), '<ul class="formulas">', "</ul>")
    # 002: q = x + y, f = qz at x = -2, y = 5, z = -4, so q = 3 and f = -12; ∂f/∂q = z = -4, ∂f/∂z = q = 3
    assert "<code>q = x + y = 3</code>" in formulas, formulas
    assert "<code>f = q \u00b7 z = -12</code>" in formulas, formulas
    assert "\u2202f/\u2202q = -4 " in formulas and "\u2202f/\u2202z = 3 " in formulas, formulas


def test_a_power_gate_shows_its_exponent():
    from refnet.backward_steps import explain
    from refnet.value import Value
    b = Value(2.0)
    g = b ** 3
    g.backward()
    listed = tour_page._formulas_list(g, explain(g, {"b": b, "g": g}))
    # 2³ = 8 and ∂(b³)/∂b = 3b² = 12
    assert "<code>g = b^3 = 8</code>" in listed and "\u2202g/\u2202b = 12 " in listed, listed
