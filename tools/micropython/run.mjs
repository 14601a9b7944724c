// Run a Python script under MicroPython (WebAssembly) in Node, with the repository's refnet/,
// spec_tests/, fixtures/, tests/ and tools/ copied into MicroPython's in-memory file system.
//
//     node tools/micropython/run.mjs [SCRIPT [ARG ...]]     (default: tools/plain_runner.py tests)
//
// The package's own CLI exits 0 on an uncaught exception; this runner exits 1 when the script
// raises or calls sys.exit with a non-zero status, so CI sees every failure.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const folders = ["refnet", "spec_tests", "fixtures", "tests", "tools"];
const wanted = /\.(py|json|svg|dot)$/;

const [script = "tools/plain_runner.py", ...args] = process.argv.slice(2);
const scriptArgs = args.length ? args : script === "tools/plain_runner.py" ? ["tests"] : [];

const mp = await loadMicroPython({
  heapsize: 256 * 1024 * 1024,
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});

function copyTree(relative) {
  const source = path.join(root, relative);
  if (!fs.existsSync(source)) return;
  mp.FS.mkdirTree("/work/" + relative);
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const child = relative + "/" + entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "__pycache__") copyTree(child);
    } else if (wanted.test(entry.name)) {
      mp.FS.writeFile("/work/" + child, fs.readFileSync(path.join(root, child)));
    }
  }
}

for (const folder of folders) copyTree(folder);

const argv = JSON.stringify(["/work/" + script, ...scriptArgs]);
const program = `
import os, sys
os.chdir("/work")
sys.path.insert(0, "/work")
sys.argv[:] = ${argv}
_refnet_status = 0
try:
    with open(sys.argv[0]) as _refnet_file:
        _refnet_source = _refnet_file.read()
    exec(compile(_refnet_source, sys.argv[0], "exec"), {"__name__": "__main__", "__file__": sys.argv[0]})
except SystemExit as _refnet_exit:
    _refnet_code = _refnet_exit.args[0] if _refnet_exit.args else 0
    _refnet_status = 0 if _refnet_code is None or _refnet_code == 0 else 1
`;

let status = 0;
try {
  mp.runPython(program);
  status = mp.globals.get("_refnet_status");
} catch (error) {
  process.stderr.write(String(error && error.message ? error.message : error) + "\n");
  status = 1;
}
process.exit(status ? 1 : 0);
