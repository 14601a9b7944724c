// Run a Python script under Pyodide (CPython compiled to WebAssembly) in Node, offline, with the
// repository's refnet/, spec_tests/, fixtures/, tests/ and tools/plain_runner.py copied into
// Pyodide's in-memory file system at /work (the script runs there, with /work on sys.path).
//
//     node tools/pyodide/run.mjs [SCRIPT [ARG ...]]     (default: tools/plain_runner.py tests)
//
// Pyodide loads from the npm package (package.json pins the release): no CDN, so only the standard
// library is there. The exit status is the script's: 0 when it ends or calls sys.exit(0) or
// sys.exit(None), 1 when it raises, calls sys.exit with any other value, or the runtime itself dies.
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const folders = ["refnet", "spec_tests", "fixtures", "tests", "tools", "docs"];
const files = ["README.md", "pyproject.toml"];
const skippedFolders = new Set(["node_modules", "__pycache__", ".mypy_cache", ".pytest_cache"]);

const [script = "tools/plain_runner.py", ...args] = process.argv.slice(2);
const scriptArgs = args.length ? args : script === "tools/plain_runner.py" ? ["tests"] : [];

// a script outside the repository (a path that does not start with it) is copied to /tmp/
const hostScript = path.resolve(root, script);
const inside = hostScript.startsWith(root + path.sep);
const pyScript = inside ? "/work/" + path.relative(root, hostScript).split(path.sep).join("/") : "/tmp/" + path.basename(hostScript);
if (!fs.existsSync(hostScript) || !fs.statSync(hostScript).isFile()) {
  process.stderr.write(`tools/pyodide/run.mjs: SCRIPT: expected a Python file (relative to ${root} or absolute), got ${JSON.stringify(script)}, which is not a file\n`);
  process.exit(2);
}

// unbuffered, so that everything printed before a fatal error in the runtime is seen
const pyodide = await loadPyodide({ env: { PYTHONHASHSEED: "0", PYTHONUNBUFFERED: "1" } });
const writer = (stream) => ({ write: (bytes) => { stream.write(bytes); return bytes.length; } });
pyodide.setStdout(writer(process.stdout));
pyodide.setStderr(writer(process.stderr));

function copyFile(relative) {
  if (!fs.existsSync(path.join(root, relative))) return;
  pyodide.FS.mkdirTree("/work/" + path.posix.dirname(relative));
  pyodide.FS.writeFile("/work/" + relative, fs.readFileSync(path.join(root, relative)));
}

function copyTree(relative) {
  const source = path.join(root, relative);
  if (!fs.existsSync(source)) return;
  pyodide.FS.mkdirTree("/work/" + relative);
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const child = relative + "/" + entry.name;
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) copyTree(child);
    } else if (entry.isFile()) {
      copyFile(child);
    }
  }
}

for (const folder of folders) copyTree(folder);
for (const file of files) copyFile(file);
pyodide.FS.mkdirTree(path.posix.dirname(pyScript));
pyodide.FS.writeFile(pyScript, fs.readFileSync(hostScript));

const argv = JSON.stringify([pyScript, ...scriptArgs]);
// The script's exit status, as CPython's command line gives it: sys.exit(n) exits n, sys.exit(None)
// or the end exits 0, sys.exit("text") prints the text and exits 1, an uncaught exception prints its
// traceback (without this wrapper's and runpy's frames) and exits 1.
const program = `
import os, runpy, sys, traceback
os.chdir("/work")
sys.path.insert(0, "/work")
sys.argv[:] = ${argv}
_refnet_status = 0
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as _refnet_exit:
    _refnet_code = _refnet_exit.code
    if _refnet_code is None:
        _refnet_status = 0
    elif isinstance(_refnet_code, int) and not isinstance(_refnet_code, bool):
        _refnet_status = _refnet_code & 255
    else:
        print(_refnet_code, file=sys.stderr)
        _refnet_status = 1
except BaseException as _refnet_error:
    _refnet_frames = _refnet_error.__traceback__
    while _refnet_frames is not None and _refnet_frames.tb_frame.f_code.co_filename.startswith(("<exec>", "<frozen runpy>")):
        _refnet_frames = _refnet_frames.tb_next
    traceback.print_exception(type(_refnet_error), _refnet_error, _refnet_frames)
    _refnet_status = 1
finally:
    sys.stdout.flush()
    sys.stderr.flush()
`;

let status = 1;
try {
  pyodide.runPython(program);
  status = pyodide.globals.get("_refnet_status");
} catch (error) {
  const what = error && error.pyodide_fatal_error ? "the Pyodide runtime died" : "Pyodide raised";
  process.stderr.write(`tools/pyodide/run.mjs: ${what} running ${script}: ${error && error.message ? error.message : error}\n`);
}
process.exitCode = status;
