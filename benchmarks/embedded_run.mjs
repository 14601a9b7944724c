// The embedded budget under MicroPython (WebAssembly) in Node: each use of benchmarks/embedded.py
// in a fresh interpreter, then its table.
//
//     node benchmarks/embedded_run.mjs [--json] [--refnet DIR] [STAGE ...]
//
// --json prints the figures as one JSON line instead of the table (benchmarks/embedded.py reads it);
// --refnet DIR loads refnet from DIR/refnet (its .py and .mpy files: from mpy-cross, say) instead of
// the checkout's refnet/.
// The port collects garbage only when control is back in JavaScript, so each use runs with
// runPythonAsync as a coroutine that awaits before every reading (tools/micropython/run.mjs runs
// a script in one synchronous call, where gc.collect() frees nothing). Each use runs in a Node
// process of its own: two interpreters in one process share the port's JavaScript globals.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const require = createRequire(path.join(root, "tools", "micropython", "package.json"));
const { loadMicroPython } = await import(
  pathToFileURL(require.resolve("@micropython/micropython-webassembly-pyscript")).href);

const STAGES = ["import refnet", "inference imports", "inference", "graph inference", "XOR training", "modules",
                "values"];
const MARK = "EMBEDDED-FIGURES ";

const argv = process.argv.slice(2);
const asJson = argv.includes("--json");
const one = argv.includes("--one");  // run the one stage named, print its figures (a child of this runner)
const refnetAt = argv.indexOf("--refnet");
const refnetDir = refnetAt >= 0 ? path.resolve(argv[refnetAt + 1], "refnet") : path.join(root, "refnet");
const named = argv.filter((arg, k) => !arg.startsWith("--") && !(refnetAt >= 0 && k === refnetAt + 1));
const stages = named.length ? named : STAGES;

function copyTree(mp, source, target, wanted, emptyInit) {
  mp.FS.mkdirTree(target);
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "__pycache__") copyTree(mp, from, target + "/" + entry.name, wanted, false);
    } else if (wanted.test(entry.name)) {
      const empty = emptyInit && /^__init__\.(py|mpy)$/.test(entry.name);
      mp.FS.writeFile(target + "/" + (empty ? "__init__.py" : entry.name), empty ? "" : fs.readFileSync(from));
    }
  }
}

async function fresh(lines) {
  const mp = await loadMicroPython({
    heapsize: 8 * 1024 * 1024,
    stdout: (line) => lines.push(line),
    stderr: (line) => process.stderr.write(line + "\n"),
  });
  copyTree(mp, refnetDir, "/work/refnet", /\.m?py$/, false);
  copyTree(mp, refnetDir, "/work/benchmarks/bare/refnet", /\.m?py$/, true);
  mp.FS.mkdirTree("/work/benchmarks");
  for (const name of ["embedded.py", "embedded_model.json"]) {
    mp.FS.writeFile("/work/benchmarks/" + name, fs.readFileSync(path.join(here, name)));
  }
  return mp;
}

async function measure(stage) {
  const lines = [];
  const mp = await fresh(lines);
  mp.runPython("import gc");
  mp.runPython("_bare = gc.mem_alloc()");  // each call starts with a collection of what the last left
  const bare = mp.globals.get("_bare");
  // each reading in a runPython call of its own, after one that only collects: the port frees
  // an object only in the second call after the one that dropped it
  mp.runPython(`
import sys
sys.path.insert(0, "/work/benchmarks")
sys.path.insert(0, "/work")
import embedded
_run = embedded.MicroPythonRun(${JSON.stringify(stage)}, "/work/benchmarks")
`);
  for (;;) {
    mp.runPython("_more = _run.advance()");
    if (!mp.globals.get("_more")) break;
    mp.runPython("gc.collect()");
    mp.runPython("_run.read()");
  }
  mp.runPython("_run.finish()");
  for (const line of lines) {
    process.stdout.write(line.startsWith(MARK) ? MARK + JSON.stringify({ bare, ...JSON.parse(line.slice(MARK.length)) })
                                               : line);
    process.stdout.write("\n");
  }
}

const result = { runtime: "MicroPython (WebAssembly)", stages: {} };
try {
if (one) {
  await measure(stages[0]);
  process.exit(0);
}
for (const stage of stages) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--one", "--refnet",
                                             path.dirname(refnetDir), stage], { encoding: "utf8" });
  const lines = (child.stdout || "").split("\n");
  const found = lines.filter((line) => line.startsWith(MARK));
  for (const line of lines) if (line && !line.startsWith(MARK)) process.stdout.write(line + "\n");
  if (child.status !== 0 || found.length !== 1) {
    const message = (child.stderr || "").split("\n").filter((line) => line.length < 400).join("\n");
    throw new Error(`stage ${stage}: the MicroPython run failed\n${message}`);
  }
  const figures = JSON.parse(found[0].slice(MARK.length));
  result.interpreter = figures.bare;
  delete figures.bare;
  result.stages[stage] = figures;
}

if (asJson) {
  process.stdout.write(JSON.stringify(result) + "\n");
} else {
  const lines = [];
  const mp = await fresh(lines);
  mp.FS.writeFile("/work/figures.json", JSON.stringify(result));
  mp.runPython(`
import sys, json
sys.path.insert(0, "/work/benchmarks")
import embedded
with open("/work/figures.json") as handle:
    print("\\n".join(embedded.report(json.load(handle))))
`);
  process.stdout.write(lines.join("\n") + "\n");
}
} catch (error) {  // a Python error: its message, not the port's minified source
  process.stderr.write(String(error && error.message ? error.message : error) + "\n");
  process.exit(1);
}
