"""Open a local page in headless Chromium and report what a reader would meet: console errors,
uncaught exceptions, requests that leave the machine, chosen DOM elements, and a screenshot.

    python tools/browser_check.py PAGE [--screenshot PATH] [--expect SELECTOR ...]
                                       [--expect-text SELECTOR TEXT ...] [--chromium PATH]
                                       [--timeout SECONDS] [--width PIXELS]

Prints one line per finding and exits 0 when the page loaded with no console error, no uncaught
exception, no request other than file:, data:, blob: or about:, and every expected element (and
text) is present in the rendered DOM; 1 otherwise; 2 for a usage error or when no Chromium is found.
An --expect-text TEXT is looked for among the whitespace-separated tokens of the element's text
(U+2212 minus read as "-"), so "-2" does not match "-12".

How: Chromium is started with a fresh profile directory and --remote-debugging-pipe, which speaks
the DevTools protocol as NUL-terminated JSON messages over file descriptors 3 (commands in) and 4
(events and replies out); nothing but the standard library, no websocket, no port. Every wait has
a deadline, and the browser's whole process group is killed at the end whatever happened.

Standard library only; CPython or PyPy on a POSIX system (it starts a process).
"""

import argparse
import base64
import json
import os
import pathlib
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                  "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                  "--remote-debugging-pipe")
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
MAX_SCREENSHOT_HEIGHT = 16000  # Chromium's capture limit is near 16384 device pixels
SETTLE_SECONDS = 0.3  # after the load event, time for late console messages to arrive
# What the page tells about each selector: how many elements match, whether the first one has a
# layout box (it is rendered), its text and the texts of its <text>, <td> and <th> descendants.
FACTS_SCRIPT = """
(function (selectors) {
  var facts = {title: document.title, url: location.href, elements: {}};
  selectors.forEach(function (selector) {
    var found = document.querySelectorAll(selector);
    var first = found.length ? found[0] : null;
    var box = first ? first.getBoundingClientRect() : null;
    facts.elements[selector] = {
      count: found.length,
      width: box ? box.width : 0,
      height: box ? box.height : 0,
      text: first ? first.textContent : "",
      parts: first ? Array.prototype.map.call(first.querySelectorAll("text, tspan, td, th"),
                                              function (node) { return node.textContent; }) : []
    };
  });
  return facts;
})(%s)
"""


class BrowserError(Exception):
    """Chromium could not be started, did not answer in time, or answered with an error."""


def find_chromium(explicit: Optional[str] = None) -> Optional[str]:
    """The Chromium to run: `explicit`, else $CHROMIUM, else the first of CHROMIUM_NAMES on PATH; None if none."""
    for candidate in (explicit, os.environ.get("CHROMIUM")):
        if candidate:
            return shutil.which(candidate) or (candidate if os.path.isfile(candidate) else None)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def tokens(text: str) -> List[str]:
    """The whitespace-separated words of `text`, with U+2212 (−) read as '-' and edge punctuation removed."""
    words = []
    for word in text.replace("\u2212", "-").split():
        stripped = word.strip(",;:()[]{}|=")
        if stripped:
            words.append(stripped)
    return words


class DevToolsPipe:
    """The DevTools protocol over Chromium's --remote-debugging-pipe: NUL-terminated JSON messages."""

    def __init__(self, to_browser: int, from_browser: int, deadline: float) -> None:
        self.to_browser = to_browser
        self.from_browser = from_browser
        self.deadline = deadline
        self.buffer = b""
        self.next_id = 0
        self.events: List[Dict[str, Any]] = []

    def send(self, method: str, params: Optional[Dict[str, Any]] = None, session: Optional[str] = None) -> int:
        self.next_id += 1
        message: Dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            written = os.write(self.to_browser, data)
            data = data[written:]
        return self.next_id

    def receive(self) -> Dict[str, Any]:
        """The next message; BrowserError when the deadline passes or the browser closes the pipe."""
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer before the deadline (--timeout)")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise BrowserError("Chromium closed its DevTools pipe (it exited or crashed; see its stderr)")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message: Dict[str, Any] = json.loads(raw.decode("utf-8"))
        return message

    def call(self, method: str, params: Optional[Dict[str, Any]] = None,
             session: Optional[str] = None) -> Dict[str, Any]:
        """Send a command and wait for its reply, keeping the events that arrive meanwhile."""
        wanted = self.send(method, params, session)
        while True:
            message = self.receive()
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"DevTools {method} failed: {message['error']}")
                result: Dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method: str, since: int = 0) -> Dict[str, Any]:
        """Wait for the event `method`, or find it among those received since events[since]."""
        for event in self.events[since:]:
            if event.get("method") == method:
                return event
        while True:
            message = self.receive()
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message

    def drain(self, seconds: float) -> None:
        """Collect the events that arrive within `seconds` (late console messages)."""
        end = min(time.monotonic() + seconds, self.deadline)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            if b"\0" not in self.buffer:
                ready, _, _ = select.select([self.from_browser], [], [], left)
                if not ready:
                    return
            message = self.receive()
            if "method" in message:
                self.events.append(message)


def above_four(descriptor: int) -> int:
    """The same open file on a descriptor numbered 10 or more (the original is closed)."""
    import fcntl
    moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD, 10)
    os.close(descriptor)
    return moved


def start_chromium(binary: str, profile: str, log_path: str) -> Tuple["subprocess.Popen[bytes]", int, int]:
    """Start headless Chromium in its own process group; (process, fd to write commands, fd to read replies)."""
    commands_read, commands_write = os.pipe()
    replies_read, replies_write = os.pipe()
    # Move the child's ends above 4, so that wiring them to 3 and 4 cannot close one of them.
    commands_read, replies_write = above_four(commands_read), above_four(replies_write)

    def wire_descriptors() -> None:  # in the child, before exec: Chromium's fds 3 and 4 are the pipe ends
        os.dup2(commands_read, 3)
        os.dup2(replies_write, 4)

    arguments = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"]
    with open(log_path, "wb") as log:
        # close_fds=False keeps the dup2'ed 3 and 4; Python opens every other file non-inheritable (PEP 446).
        process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=False,
                                   preexec_fn=wire_descriptors, start_new_session=True)
    os.close(commands_read)
    os.close(replies_write)
    return process, commands_write, replies_read


def stop_chromium(process: "subprocess.Popen[bytes]") -> None:
    """Kill Chromium's process group (its renderer and helper processes too) and reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:  # already gone
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def describe_console(params: Dict[str, Any]) -> str:
    parts = []
    for argument in params.get("args", []):
        if "value" in argument:
            parts.append(str(argument["value"]))
        else:
            parts.append(str(argument.get("description", argument.get("type", "?"))))
    return " ".join(parts)


def classify(events: Sequence[Dict[str, Any]]) -> Tuple[List[str], List[str], List[str]]:
    """(errors, other console messages, requests that leave the machine) from the page's events."""
    errors: List[str] = []
    messages: List[str] = []
    remote: List[str] = []
    urls: Dict[str, str] = {}
    for event in events:
        method, params = event.get("method", ""), event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            line = f"console.{params.get('type', '?')}: {describe_console(params)}"
            (errors if params.get("type") in ("error", "assert") else messages).append(line)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exception = details.get("exception", {})
            errors.append(f"uncaught exception: {exception.get('description', details.get('text', '?'))} "
                          f"(line {details.get('lineNumber', '?')})")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            line = (f"log.{entry.get('level', '?')} ({entry.get('source', '?')}): {entry.get('text', '')} "
                    f"{entry.get('url', '')}")
            (errors if entry.get("level") == "error" else messages).append(line.rstrip())
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            urls[params.get("requestId", "")] = url
            if not url.startswith(LOCAL_SCHEMES):
                remote.append(url)
        elif method == "Network.loadingFailed":
            url = urls.get(params.get("requestId", ""), "?")
            errors.append(f"a resource failed to load: {url}: {params.get('errorText', '?')}")
    return errors, messages, remote


def wait_until_loaded(devtools: DevToolsPipe, session: str) -> None:
    """Wait until the file: page (not the about:blank before it) has finished loading."""
    while True:
        state = devtools.call("Runtime.evaluate", {"expression": "location.protocol + ' ' + document.readyState",
                                                   "returnByValue": True}, session)
        if state.get("result", {}).get("value") == "file: complete":
            return
        devtools.drain(0.05)


def check_page(page: str, screenshot: Optional[str] = None, selectors: Sequence[str] = (),
               chromium: Optional[str] = None, timeout: float = 60.0, width: int = 1280) -> Dict[str, Any]:
    """Load `page` in headless Chromium; a dict of what was found.

    Keys: "chromium" (the binary), "url", "title", "errors" (console errors, uncaught exceptions,
    failed loads), "messages" (other console and log lines), "remote_requests" (URLs that are not
    local), "elements" (selector → {"count", "width", "height", "text", "parts"}), "screenshot"
    (the PNG's path, or None), "size" ([width, height] of the page in CSS pixels).
    Raises BrowserError when no Chromium is found, it fails to start, or it does not answer in time.
    """
    binary = find_chromium(chromium)
    if binary is None:
        raise BrowserError(f"no Chromium found: looked for $CHROMIUM and {', '.join(CHROMIUM_NAMES)} on PATH")
    if not os.path.isfile(page):
        raise BrowserError(f"page {page!r} does not exist; expected the path of an HTML file")
    url = pathlib.Path(os.path.abspath(page)).as_uri()
    profile = tempfile.mkdtemp(prefix="browser_check_profile_")
    log_path = os.path.join(profile, "chromium.log")
    process, to_browser, from_browser = start_chromium(binary, profile, log_path)
    try:
        devtools = DevToolsPipe(to_browser, from_browser, time.monotonic() + timeout)
        target = devtools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = devtools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            devtools.call(f"{domain}.enable", {}, session)
        devtools.call("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
        before_navigation = len(devtools.events)
        navigation = devtools.call("Page.navigate", {"url": url}, session)
        if navigation.get("errorText"):
            raise BrowserError(f"Chromium could not open {url}: {navigation['errorText']}")
        devtools.wait_for("Page.loadEventFired", before_navigation)
        wait_until_loaded(devtools, session)
        devtools.drain(SETTLE_SECONDS)
        evaluated = devtools.call("Runtime.evaluate", {"expression": FACTS_SCRIPT % json.dumps(list(selectors)),
                                                       "returnByValue": True}, session)
        if "exceptionDetails" in evaluated:
            raise BrowserError(f"the DOM inspection script failed: {evaluated['exceptionDetails']}")
        facts: Dict[str, Any] = evaluated["result"]["value"]
        metrics = devtools.call("Page.getLayoutMetrics", {}, session)
        content = metrics.get("cssContentSize", metrics.get("contentSize", {}))
        page_width = int(content.get("width", width))
        page_height = int(content.get("height", 900))
        written = None
        if screenshot:
            # The whole page in one PNG; a page taller than Chromium can capture is scaled down to fit.
            scale = min(1.0, MAX_SCREENSHOT_HEIGHT / max(page_height, 1))
            devtools.call("Emulation.setDeviceMetricsOverride",
                          {"width": width, "height": min(page_height, MAX_SCREENSHOT_HEIGHT), "deviceScaleFactor": 1,
                           "mobile": False}, session)
            shot = devtools.call("Page.captureScreenshot",
                                 {"format": "png", "captureBeyondViewport": True,
                                  "clip": {"x": 0, "y": 0, "width": max(width, page_width), "height": page_height,
                                           "scale": scale}}, session)
            with open(screenshot, "wb") as image:
                image.write(base64.b64decode(shot["data"]))
            written = screenshot
        devtools.drain(0.05)
        errors, messages, remote = classify(devtools.events)
        try:
            devtools.send("Browser.close")
        except OSError:
            pass
    except BrowserError as error:
        with open(log_path, "rb") as log:
            tail = log.read()[-2000:].decode("utf-8", "replace").strip()
        raise BrowserError(f"{error}\n--- Chromium's output (last lines) ---\n{tail}") from None
    finally:
        stop_chromium(process)
        os.close(to_browser)
        os.close(from_browser)
        shutil.rmtree(profile, ignore_errors=True)
    return {"chromium": binary, "url": facts.get("url", url), "title": facts.get("title", ""), "errors": errors,
            "messages": messages, "remote_requests": remote, "elements": facts.get("elements", {}),
            "screenshot": written, "size": [page_width, page_height]}


def problems(report: Dict[str, Any], expected: Sequence[str] = (),
             expected_texts: Sequence[Tuple[str, str]] = ()) -> List[str]:
    """What is wrong with a check_page report: each console error, remote request, missing element or text."""
    found = [f"console error: {error}" for error in report["errors"]]
    found += [f"request leaves the machine: {url} (expected only {', '.join(LOCAL_SCHEMES)} URLs)"
              for url in report["remote_requests"]]
    elements = report["elements"]
    for selector in expected:
        element = elements.get(selector, {"count": 0})
        if element["count"] == 0:
            found.append(f"missing element: no match for selector {selector!r} in {report['url']}")
        elif element["width"] <= 0 or element["height"] <= 0:
            found.append(f"element not rendered: {selector!r} has a {element['width']}x{element['height']} box")
    for selector, text in expected_texts:
        element = elements.get(selector, {"count": 0, "text": "", "parts": []})
        words = tokens(" ".join(element["parts"]) if element["parts"] else element["text"])
        if text.replace("\u2212", "-") not in words:
            found.append(f"missing text: {text!r} not among the words of {selector!r} "
                         f"({element['count']} match(es); words: {' '.join(words[:40])})")
    return found


def main(arguments: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="browser_check.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("page", help="the HTML file to open")
    parser.add_argument("--screenshot", help="write a full-page PNG here")
    parser.add_argument("--expect", action="append", default=[], metavar="SELECTOR",
                        help="a CSS selector that must match a rendered element (repeatable)")
    parser.add_argument("--expect-text", action="append", default=[], nargs=2, metavar=("SELECTOR", "TEXT"),
                        help="a word that must occur in the first element matching SELECTOR (repeatable)")
    parser.add_argument("--chromium", help="the Chromium binary (default: $CHROMIUM, then PATH)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before giving up (default 60)")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels (default 1280)")
    options = parser.parse_args(arguments)
    expected_texts = [(selector, text) for selector, text in options.expect_text]
    selectors = list(options.expect) + [selector for selector, _ in expected_texts]
    try:
        report = check_page(options.page, options.screenshot, selectors, options.chromium, options.timeout,
                            options.width)
    except BrowserError as error:
        print(f"browser_check: {error}", file=sys.stderr)
        return 2 if "no Chromium found" in str(error) or "does not exist" in str(error) else 1
    print(f"chromium: {report['chromium']}")
    print(f"page: {report['url']} (title {report['title']!r}, {report['size'][0]}x{report['size'][1]} CSS px)")
    for line in report["messages"]:
        print(f"message: {line}")
    for selector in sorted(set(selectors)):
        element = report["elements"][selector]
        print(f"element {selector!r}: {element['count']} match(es), "
              f"first {element['width']:.0f}x{element['height']:.0f}")
    if report["screenshot"]:
        print(f"screenshot: {os.path.abspath(report['screenshot'])}")
    found = problems(report, options.expect, expected_texts)
    for problem in found:
        print(f"PROBLEM {problem}")
    print(f"{len(report['errors'])} console error(s), {len(report['remote_requests'])} remote request(s), "
          f"{len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
