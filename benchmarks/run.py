"""refnet's benchmarks: every figure of docs/performance.md, measured side by side in one run.

    bash benchmarks/run.sh          (creates benchmarks/.venv with micrograd 0.1.0, NumPy, PyTorch,
                                     and benchmarks/.venv/pypy with micrograd where pypy3 is installed)
    python benchmarks/run.py [--quick] [--pypy PATH]

Times on a shared machine are noisy, so nothing here is an absolute target: each figure is a
ratio of contenders measured in the same run, interleaved (one step of each in turn, eleven
rounds; a short step is repeated from the same weights to fill 0.2 s; each turn starts with an
untimed collection and an untimed step, so that each contender pays for its own garbage and
no other's), the median of the per-round ratios, with their range. The pure-Python contenders
run in a fresh interpreter without NumPy or PyTorch (clean_step_times: micrograd's collector would
otherwise scan PyTorch's objects too). Before timing, every contender runs three steps from the
same weights and must agree with micrograd (or the first available contender) to 1e-9.
Every contender is measured as its users write it: micrograd's demo code on micrograd and, with
only its import changed, on refnet.compat.micrograd (no collector pause, no fused loss);
refnet's own API as train.fit uses it; the dense path. On PyPy each contender first takes
WARM_STEPS steps, so that the JIT has compiled it; the same pure-Python contenders are timed on
PyPy (benchmarks/.venv/pypy, or --pypy PATH) in a fresh process and shown beside CPython's.
Whole-process figures (the ten steps, the suite) count start-up, with the bytecode of refnet
compiled first, as an installed package has it (compile_bytecode). The run ends with one line
per target of docs/performance.md: measured, target, met or not.
"""

import compileall
import gc
import json
import os
import statistics
import subprocess
import sys
import time

try:
    import tracemalloc
except ImportError:  # PyPy has no tracemalloc
    tracemalloc = None

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, ROOT)

import contenders as C  # noqa: E402
from refnet import Value  # noqa: E402


def compile_bytecode():
    """Compile the bytecode of refnet, spec_tests and the benchmarks, as pip does for a package
    it installs into site-packages (NumPy and PyTorch came with theirs). refnet is installed here
    in editable mode, from the working tree, whose bytecode Python writes on the first import,
    unless PYTHONDONTWRITEBYTECODE is set, as it is on the machine of docs/performance.md: there
    every process compiled refnet and the benchmarks again, 35–50 ms of start-up in each
    whole-process figure (the ten steps, the suite) that no installed copy of refnet spends.
    True when all of it compiled."""
    folders = [("refnet", 10), ("spec_tests", 10), ("benchmarks", 0)]  # levels of subfolders: not benchmarks/.venv
    return all([compileall.compile_dir(os.path.join(ROOT, folder), maxlevels=levels, quiet=1)
                for folder, levels in folders])


WARM_STEPS = 25  # on PyPy, steps each contender takes before it is timed


def step_times(classes, rounds, window=0.2):
    """ms per training step of each contender in each of `rounds` interleaved rounds.

    In a round every contender takes the same step, from the weights all of them share at that
    point. A step much shorter than `window` seconds is timed several times from the same weights
    (reloaded, untimed, before each) and averaged: a 1-second micrograd step averages over the
    machine's slow and fast spells, and so should a 5-millisecond one.

    Each contender pays for its own garbage and no other's. Its turn starts with an untimed
    gc.collect(), which reclaims what the contender before it left, and one untimed step from
    the same weights, which leaves what a step of a training loop finds: the previous step's
    graph, garbage. micrograd's graph is all reference cycles, so only the collector frees it,
    during micrograd's next step, as in its own loop; without these two, part of that work fell
    into the turn of whichever contender came next.
    """
    points, targets = C.problem()
    runners = [cls(points, targets, C.initial_weights()) for cls in classes]
    if sys.implementation.name == "pypy":  # a JIT: time the compiled step, not the compiling
        for runner in runners:
            for _ in range(WARM_STEPS):
                runner.step()
    repeats = []
    for runner in runners:  # warm up, and size the repeats
        gc.collect()
        start = time.perf_counter()
        runner.step()
        repeats.append(max(1, min(100, int(window / max(time.perf_counter() - start, 1e-6)))))
    samples = [[] for _ in runners]
    for _ in range(rounds):
        for k, runner in enumerate(runners):
            before = runner.weights()
            gc.collect()  # the garbage of the contender before this one
            runner.step()  # the step before, as in a training loop
            spent = 0.0
            for _ in range(repeats[k]):
                runner.load(before)
                start = time.perf_counter()
                runner.step()
                spent += time.perf_counter() - start
            samples[k].append(spent / repeats[k] * 1000.0)
    return samples


def in_fresh_interpreter(expression, python=sys.executable):
    """The value of `expression` (JSON-able; run and contenders imported as C) computed in a
    fresh interpreter that imports neither NumPy nor PyTorch.

    micrograd's step is mostly its cyclic garbage collector, which scans every live object:
    with PyTorch imported (hundreds of thousands of objects) its step is about a quarter slower,
    which would flatter every ratio against it. The targets are judged on such clean runs.
    """
    code = ("import sys, json; sys.path[:0] = [%r, %r]\nimport run, contenders as C\n"
            "print(json.dumps(%s))" % (HERE, ROOT, expression))
    output = subprocess.run([python, "-c", code], cwd=ROOT, check=True, stdout=subprocess.PIPE)
    return json.loads(output.stdout.decode().strip().splitlines()[-1])


def clean_step_times(classes, rounds, python=sys.executable):
    """step_times() in a fresh interpreter (in_fresh_interpreter), by default this one."""
    return in_fresh_interpreter("run.step_times([getattr(C, n) for n in %r], %d)"
                                % ([cls.__name__ for cls in classes], rounds), python)


def find_pypy(argv):
    """The PyPy to time the pure-Python contenders on: --pypy PATH, else benchmarks/.venv/pypy
    (run.sh installs micrograd there), else pypy3 on the PATH; None when there is none."""
    if "--pypy" in argv:
        return argv[argv.index("--pypy") + 1]
    local = os.path.join(HERE, ".venv", "pypy", "bin", "python")
    if os.path.exists(local):
        return local
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(folder, "pypy3")
        if os.path.exists(candidate):
            return candidate
    return None


def pypy_available(pypy):
    """The names of the contenders that `pypy` can run (micrograd only where it is installed)."""
    return in_fresh_interpreter("[c.__name__ for c in C.ALL if c not in (C.Numpy, C.Torch) and C.available(c)]",
                                pypy)


def print_side_by_side(classes, cpython, pypy, rounds):
    """Median ms per step of each contender on CPython and on PyPy (warmed), each runtime's
    ratio to its own first contender (median over the rounds), and PyPy's speed-up."""
    print("| contender | CPython ms/step | vs %s | PyPy ms/step (warmed) | vs %s | PyPy speed-up |"
          % (classes[0].label, classes[0].label))
    print("|---|---|---|---|---|---|")
    figures = {}
    for k, cls in enumerate(classes):
        row = []
        for samples in (cpython, pypy):
            ratios = sorted(b / t for b, t in zip(samples[0], samples[k]))
            row.append((statistics.median(samples[k]), statistics.median(ratios), ratios[0], ratios[-1]))
        speedup = row[0][0] / row[1][0]
        figures[cls] = (row[1][1], speedup)
        print("| %s | %.2f | %.1fx (%.0f-%.0f) | %.2f | %.1fx (%.0f-%.0f) | %.1fx |"
              % ((cls.label,) + row[0] + row[1] + (speedup,)))
    return figures


def loop_step_ms(cls, steps):
    """ms per step of one contender alone, in a training loop of its own: `steps` steps back to
    back, the median of all but the first. A cross-check of step_times() for micrograd, whose
    step there is timed after one untimed step of its own to stand for this loop."""
    points, targets = C.problem()
    runner = cls(points, targets, C.initial_weights())
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        runner.step()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times[1:])


def print_step_table(classes, samples, rounds):
    """Median ms per step, and the median and range over the rounds of the ratio to the first
    contender measured in the same round (a round's contenders run seconds apart, so a slow
    spell of the machine touches the pair alike)."""
    base = samples[0]
    print("| contender | ms/step (median of %d) | vs %s: median (range) |" % (rounds, classes[0].label))
    print("|---|---|---|")
    medians = {}
    for cls, times in zip(classes, samples):
        ratios = sorted(b / t for b, t in zip(base, times))
        medians[cls] = statistics.median(ratios)
        print("| %s | %.2f | %.1fx (%.0f-%.0f) |" % (cls.label, statistics.median(times), medians[cls],
                                                    ratios[0], ratios[-1]))
    return medians


def chain_bytes_per_node(value_class, links):
    """tracemalloc's bytes per node for v = v*1.0001 + 0.001 repeated: every op makes a constant
    leaf and a product or sum node, so `links` links are 4*links nodes."""
    gc.collect()
    tracemalloc.start()
    v = value_class(0.5)
    for _ in range(links):
        v = v * 1.0001 + 0.001
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    nodes = count_nodes(v)
    return nodes, size / nodes


def count_nodes(root):
    """The nodes of root's graph, micrograd's (children in `_prev`) or refnet's (`_children`)."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            stack.extend(getattr(node, "_children", None) or getattr(node, "_prev", ()))
    return len(seen)


def graph_bytes_per_node(which, n_points):
    """tracemalloc's bytes for the forward graph of the standard step on n_points, per node."""
    points, targets = C.problem(n_points)
    runner = which(points, targets, C.initial_weights())
    gc.collect()
    tracemalloc.start()
    if which is C.RefnetMLP:
        from refnet import losses

        scores = [runner.model(row)[0] for row in runner.points]
        total = losses.binary_hinge(scores, runner.targets) + losses.l2_regularization(runner.parameters, C.ALPHA)
    else:
        make = runner.Value
        scores = list(map(runner.model, [list(map(make, row)) for row in runner.points]))
        hinge = [(1 + -t * s).relu() for t, s in zip(runner.targets, scores)]
        total = sum(hinge) * (1.0 / len(hinge)) + C.ALPHA * sum((p * p for p in runner.model.parameters()))
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    nodes = count_nodes(total)
    return nodes, size / nodes


def chain_backward(n):
    """Seconds per node of backward() on a chain of n tanh nodes."""
    x = Value(0.5)
    v = x
    for _ in range(n):
        v = v.tanh()
    start = time.perf_counter()
    v.backward()
    return (time.perf_counter() - start) / n


def process_seconds(codes, runs):
    """Wall times of `python -c code` as a fresh process, start-up included, for each of `codes`:
    one list per code. The codes take turns, `runs` times, so that a slow spell of the machine
    touches them alike. Their output is not shown (an error still is, and stops the run)."""
    times = [[] for _ in codes]
    for _ in range(runs):
        for k, code in enumerate(codes):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            times[k].append(time.perf_counter() - start)
    return times


TEN_STEPS = ("import sys; sys.path[:0] = ['benchmarks', '.']\nimport contenders as C\n"
             "p, t = C.problem(); r = C.{name}(p, t, C.initial_weights())\nfor _ in range(10): r.step()\n")


def suite_seconds(backend, runs):
    """Median wall time of the conformance suite against `backend`, as a fresh process."""
    code = "import sys; from spec_tests.__main__ import main; sys.exit(main(['--backend', '%s', '--quiet']))" % backend
    return statistics.median(process_seconds([code], runs)[0])


def interpreter_probe(samples=15):
    """ns per 16-term dot product, sum(map(mul, a, b), 0.0) (the dense path's inner loop): the
    median and range of `samples` short timings. It tells how fast the machine runs interpreted
    code just now. On a shared VM that varies by up to 2x within minutes, and the contenders
    whose step is interpreter-bound (all of refnet's) then lose more against micrograd, whose
    step is mostly its memory-bound garbage collector, than they gain in a quiet moment."""
    from operator import mul

    a, b = [0.5] * 16, [0.25] * 16
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(2000):
            sum(map(mul, a, b), 0.0)
        times.append((time.perf_counter() - start) / 2000 * 1e9)
    return statistics.median(times), min(times), max(times)


# The targets of docs/performance.md, as (key, figure, is it a floor, target); main() records
# each measured figure under its key. Each is judged on a full run (not --quick) of CPython 3.11.
TARGETS = [
    ("compat", "micrograd's code on compat, times micrograd", True, 12.0),
    ("mlp", "refnet.nn.MLP, times micrograd's step", True, 150.0),
    ("dense", "dense path, times micrograd's step", True, 300.0),
    ("bytes", "compat bytes per node, v = v*1.0001 + 0.001", False, 100.0),
    ("chain", "chain backward, us per node", False, 1.0),
    ("ten steps", "dense 10 steps, whole process, per NumPy's", False, 1.0),
    ("suite", "conformance suite against refnet, seconds", False, 20.0),
    ("pypy compat", "PyPy: compat, times micrograd on PyPy", True, 5.0),
    ("pypy speed-up", "PyPy: least speed-up over CPython", True, 1.0),
]


def print_targets(measured, judged):
    """One line per target: the figure measured in this run, the target, and whether it holds."""
    print("\ntargets (docs/performance.md)" + ("" if judged else ": this is not a full CPython 3.11 run, so "
                                                 "they are shown, not judged"))
    for key, figure, floor, target in TARGETS:
        bound = "%s %g" % (">=" if floor else "<=", target)
        if key not in measured:
            print("  %-46s %10s   %s   (not measured here)" % (figure, "-", bound))
            continue
        value = measured[key]
        holds = value >= target if floor else value <= target
        print("  %-46s %10.3g   %s   %s" % (figure, value, bound, ("met" if holds else "NOT MET") if judged else ""))


def print_probe(when):
    print("interpreter probe %s: a 16-term dot product takes %.0f ns (median; range %.0f-%.0f)"
          % ((when,) + interpreter_probe()))


def main(argv):
    quick = "--quick" in argv
    rounds = 3 if quick else 11
    print("refnet benchmarks, " + sys.implementation.name + " " + sys.version.split()[0] + ", " + time.strftime("%Y-%m-%d"))
    if not compile_bytecode():
        print("some bytecode (refnet, spec_tests or the benchmarks) could not be written: processes compile it at start-up")
    available = [cls for cls in C.ALL if C.available(cls)]
    missing = [cls.label for cls in C.ALL if cls not in available]
    if missing:
        print("not installed, skipped: " + ", ".join(missing))
    worst = C.check_agreement(available)
    print("agreement after 3 steps from identical weights: worst relative difference %.1e" % worst)
    if worst > 1e-9:
        raise SystemExit("the contenders disagree; not timing them")
    print("\nthe standard training step (MLP 2-16-16-1, 100 two-moons points, hinge + 1e-4*sum w^2, SGD 0.1)")
    pure = [cls for cls in available if cls not in (C.Numpy, C.Torch)]
    measured = {}
    print_probe("before")
    print("pure Python, in a fresh interpreter without NumPy or PyTorch (the targets' figures):")
    pure_samples = clean_step_times(pure, rounds)
    ratios = print_step_table(pure, pure_samples, rounds)
    if pure and pure[0] is C.Micrograd:
        steps = 3 if quick else 6
        print("micrograd 0.1.0 alone, %d steps back to back in a fresh interpreter (its own training loop): "
              "%.0f ms/step" % (steps, in_fresh_interpreter("run.loop_step_ms(C.Micrograd, %d)" % steps)))
        for cls, key in ((C.RefnetCompat, "compat"), (C.RefnetMLP, "mlp"), (C.RefnetDense, "dense")):
            if cls in ratios:
                measured[key] = ratios[cls]
    print_probe("after")
    pypy = find_pypy(argv)
    if pypy is not None and sys.implementation.name == "cpython":
        names = pypy_available(pypy)
        both = [cls for cls in pure if cls.__name__ in names]
        print("\nCPython (the table above) and PyPy side by side (%s, a fresh interpreter; each contender takes "
              "%d steps before it is timed):" % (pypy, WARM_STEPS))
        cpython_samples = [pure_samples[pure.index(cls)] for cls in both]
        pypy_samples = clean_step_times(both, rounds, pypy)
        figures = print_side_by_side(both, cpython_samples, pypy_samples, rounds)
        if both and both[0] is C.Micrograd and C.RefnetCompat in figures:
            measured["pypy compat"] = figures[C.RefnetCompat][0]
        if both:
            measured["pypy speed-up"] = min(speedup for _, speedup in figures.values())
    elif sys.implementation.name == "cpython":
        print("\nno PyPy found (benchmarks/.venv/pypy, pypy3 on the PATH, or --pypy PATH): its figures are skipped")
    native = [cls for cls in available if cls in (C.Numpy, C.Torch)]
    if native:
        mixed = [pure[0], C.RefnetDense] + native if C.RefnetDense in pure else [pure[0]] + native
        print("\nwith NumPy and PyTorch, in this interpreter (PyTorch's objects slow micrograd's collector):")
        print_step_table(mixed, step_times(mixed, rounds), rounds)
    if tracemalloc is not None:
        links = 25000 if quick else 250000
        print("\nbytes per node (tracemalloc), a %s-node graph: v = v*1.0001 + 0.001, %d times" % (format(4 * links, ","), links))
        for cls in [c for c in (C.Micrograd, C.RefnetCompat) if c in available]:
            value_class = __import__("micrograd.engine").engine.Value if cls is C.Micrograd else C.compat.Value
            nodes, per_node = chain_bytes_per_node(value_class, links)
            print("  %-42s %9d nodes  %6.1f bytes/node" % (cls.label, nodes, per_node))
            if cls is C.RefnetCompat:
                measured["bytes"] = per_node
        print("\nbytes per node (tracemalloc), the forward graph of the step on %d points" % (300 if quick else 1500))
        for cls in [c for c in (C.Micrograd, C.RefnetCompat, C.RefnetMLP) if c in available]:
            nodes, per_node = graph_bytes_per_node(cls, 300 if quick else 1500)
            print("  %-42s %9d nodes  %6.1f bytes/node" % (cls.label, nodes, per_node))
    n = 100000 if quick else 1000000
    measured["chain"] = chain_backward(n) * 1e6
    print("\nbackward on a chain of %d tanh nodes: %.2f us/node (no recursion)" % (n, measured["chain"]))
    if C.Numpy in available and C.RefnetDense in available:
        runs = 3 if quick else 5
        dense_times, numpy_times = process_seconds([TEN_STEPS.format(name=name) for name in ("RefnetDense", "Numpy")],
                                                   runs)
        dense, numpy = statistics.median(dense_times), statistics.median(numpy_times)
        print("\nwhole process, 10 steps, start-up included (taking turns, median of %d): refnet.dense %.3f s, NumPy %.3f s"
              % (runs, dense, numpy))
        measured["ten steps"] = dense / numpy
    print("\nconformance suite wall time per adapter (whole process, median of 3)")
    for backend in ("refnet", "refnet-dense", "numpy", "torch"):
        try:
            seconds = suite_seconds(backend, 3)
        except subprocess.CalledProcessError:
            print("  %-14s not available" % backend)
            continue
        print("  %-14s %.2f s" % (backend, seconds))
        if backend == "refnet":
            measured["suite"] = seconds
    full_cpython_311 = not quick and sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11)
    print_targets(measured, full_cpython_311)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
