// The graph, activation, loss and dense families of spec_tests/protocol.py, on the tape of autograd.mjs.
//
// Each family takes the case's input (an object of the protocol's keyword arguments, non-finite
// numbers already decoded) and a precision, builds the computation on a fresh tape, seeds the
// backward pass, and returns plain data shaped like the case's `expected`.
//
//     graph       every node's value and ∂output/∂node, and ∂output/∂input for each input
//     activation  y = f(x) and dx = J(x)ᵀ·upstream: the outputs seeded with the upstream numbers
//     loss        the loss and ∂loss/∂predictions (reductions as in protocol.py's table)
//     dense       y = act(x·Wᵀ + b) on a batch, W out × in (w_ji); dx, dweight, dbias from upstream
//
// Anything else throws Unsupported. Input that the mathematics rejects throws DomainError; input
// of the wrong shape throws InputError: both are replied as {"error": …}.

import { DomainError, Tape } from "./autograd.mjs";

export class Unsupported extends Error {}
export class InputError extends Error {}

// -- float32: inputs it cannot hold (the same rule as spec_tests/backends/numpy_backend.py) -------

const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT32_TINY = 1.1754943508222875e-38;
const SMOOTH_OPS = new Set(["add", "sub", "mul", "neg", "exp", "tanh", "sigmoid"]);
const SMOOTH_ACTIVATIONS = new Set(["linear", "sigmoid", "tanh", "softmax", "log_softmax"]);
const SMOOTH_LOSSES = new Set(["mse", "half_squared_error", "softmax_cross_entropy"]);

function numbersIn(structure) {
  if (typeof structure === "number") return [structure];
  if (Array.isArray(structure)) return structure.flatMap(numbersIn);
  if (structure !== null && typeof structure === "object") return Object.values(structure).flatMap(numbersIn);
  return [];
}

// float32 only: overflow to ±Infinity always changes the case; underflow to 0 does where the
// function has a kink or a pole at 0 (`kinks`); smooth functions move by less than 1e-38.
function checkRepresentable(precision, structure, kinks) {
  if (precision !== "float32") return;
  for (const x of numbersIn(structure)) {
    if (Number.isFinite(x) && Math.abs(x) > FLOAT32_MAX) {
      throw new Unsupported(`input not representable in float32 (${x} overflows to inf)`);
    }
    if (kinks && x !== 0 && Math.abs(x) < FLOAT32_TINY) {
      throw new Unsupported(`input not representable in float32 (${x} underflows to 0 where the function has a kink or a pole)`);
    }
  }
}

const values = (nodes) => nodes.map((node) => node.value);
const grads = (nodes) => nodes.map((node) => node.grad);

function sameLength(a, b, where) {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
    throw new InputError(`${where}: expected lists of equal length, got ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
  }
}

// -- graph ----------------------------------------------------------------------------------------

const GRAPH_OPS = {
  add: (tape, [a, b]) => tape.add(a, b),
  sub: (tape, [a, b]) => tape.sub(a, b),
  mul: (tape, [a, b]) => tape.mul(a, b),
  div: (tape, [a, b]) => tape.div(a, b),
  pow: (tape, [a, b]) => tape.pow(a, b),
  max: (tape, [a, b]) => tape.max(a, b),
  neg: (tape, [a]) => tape.neg(a),
  exp: (tape, [a]) => tape.exp(a),
  log: (tape, [a]) => tape.log(a),
  tanh: (tape, [a]) => tape.tanh(a),
  sigmoid: (tape, [a]) => tape.sigmoid(a),
  relu: (tape, [a]) => tape.relu(a),
  abs: (tape, [a]) => tape.abs(a),
  leaky_relu: (tape, [a], attrs) => tape.leakyRelu(a, attrs.alpha ?? 0.01),
};
const BINARY_OPS = new Set(["add", "sub", "mul", "div", "pow", "max"]);

function graph({ inputs, nodes }, precision) {
  const kinks = nodes.some((node) => !SMOOTH_OPS.has(node.op));
  checkRepresentable(precision, [inputs.map(([, value]) => value), nodes.map((node) => node.args)], kinks);
  const tape = new Tape(precision);
  const named = new Map();
  const leaves = inputs.map(([name, value]) => {
    const leaf = tape.leaf(value);
    named.set(name, leaf);
    return leaf;
  });
  const computed = nodes.map((node, index) => {
    const where = `graph: nodes[${index}] (${JSON.stringify(node.name)}, op ${JSON.stringify(node.op)})`;
    if (!(node.op in GRAPH_OPS)) throw new Unsupported(`the JavaScript backend has no graph op ${JSON.stringify(node.op)}`);
    const arity = BINARY_OPS.has(node.op) ? 2 : 1;
    if (node.args.length !== arity) throw new InputError(`${where}: expected ${arity} argument(s), got ${node.args.length}`);
    const args = node.args.map((arg) => {
      if (typeof arg === "number") return arg;
      if (!named.has(arg)) throw new InputError(`${where}: argument ${JSON.stringify(arg)} names no input or earlier node`);
      return named.get(arg);
    });
    const out = GRAPH_OPS[node.op](tape, args, node.attrs ?? {});
    named.set(node.name, out);
    return out;
  });
  tape.backward([[computed[computed.length - 1], 1]]);
  return { values: values(computed), gradients: grads(computed), input_gradients: grads(leaves) };
}

// -- activations: a vector of nodes in, a vector of nodes out -------------------------------------

const ACTIVATIONS = {
  linear: (tape, xs) => xs,
  sigmoid: (tape, xs) => xs.map((x) => tape.sigmoid(x)),
  tanh: (tape, xs) => xs.map((x) => tape.tanh(x)),
  relu: (tape, xs) => xs.map((x) => tape.relu(x)),
  leaky_relu: (tape, xs, attrs) => xs.map((x) => tape.leakyRelu(x, attrs.alpha ?? 0.01)),
  step: (tape, xs) => xs.map((x) => tape.step(x)),
  // softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m), m = max x (a constant: the result does not depend on it)
  softmax: (tape, xs) => {
    const exps = shifted(tape, xs).map((s) => tape.exp(s));
    const total = tape.sum(exps);
    return exps.map((e) => tape.div(e, total));
  },
  // log_softmax(x)ᵢ = (xᵢ − m) − ln Σⱼ e^(xⱼ − m)
  log_softmax: (tape, xs) => {
    const shifts = shifted(tape, xs);
    const logTotal = tape.log(tape.sum(shifts.map((s) => tape.exp(s))));
    return shifts.map((s) => tape.sub(s, logTotal));
  },
};

function shifted(tape, xs) {
  const largest = Math.max(...values(xs));
  return xs.map((x) => tape.sub(x, largest));
}

function activation({ name, x, upstream, attrs = {} }, precision) {
  if (!(name in ACTIVATIONS)) throw new Unsupported(`the JavaScript backend has no activation ${JSON.stringify(name)}`);
  sameLength(x, upstream, `activation ${name}: x and upstream`);
  checkRepresentable(precision, [x, upstream], !SMOOTH_ACTIVATIONS.has(name));
  const tape = new Tape(precision);
  const inputs = x.map((value) => tape.leaf(value));
  const outputs = ACTIVATIONS[name](tape, inputs, attrs);
  tape.backward(outputs.map((y, i) => [y, upstream[i]]));
  return { y: values(outputs), dx: grads(inputs) };
}

// -- losses: rows of prediction nodes and the targets in, the loss node out ------------------------

// (prediction node, target number, "[n][j]") for every element; targets shaped like predictions.
function elements(rows, targets, name) {
  sameLength(rows, targets, `loss ${name}: predictions and targets`);
  return rows.flatMap((row, n) => {
    sameLength(row, targets[n], `loss ${name}: predictions[${n}] and targets[${n}]`);
    return row.map((y, j) => [y, targets[n][j], `[${n}][${j}]`]);
  });
}

function label(labels, n, row, name) {
  const y = labels[n];
  if (!Number.isInteger(y) || y < 0 || y >= row.length) {
    throw new InputError(`loss ${name}: targets[${n}] is ${JSON.stringify(y)}; expected a class index in 0..${row.length - 1}`);
  }
  return y;
}

const mean = (tape, terms, count = terms.length) => tape.div(tape.sum(terms), count);

function probability(p, where) {
  if (!(p.value >= 0 && p.value <= 1) && !Number.isNaN(p.value)) throw new DomainError(`${where}: expected a probability in [0, 1], got ${p.value}`);
  return p;
}

// −ln p, where a probability of 0 for a non-zero target makes the loss infinite
function minusLog(tape, p, where) {
  if (p.value === 0) throw new DomainError(`${where}: probability 0 for a non-zero target makes the loss infinite`);
  return tape.neg(tape.log(p));
}

const LOSSES = {
  // (1/m) Σ (y − t)²
  mse: (tape, rows, targets) => mean(tape, elements(rows, targets, "mse").map(([y, t]) => {
    const difference = tape.sub(y, t);
    return tape.mul(difference, difference);
  })),
  // (1/m) Σ |y − t|   (|x|′(0) = 0)
  mae: (tape, rows, targets) => mean(tape, elements(rows, targets, "mae").map(([y, t]) => tape.abs(tape.sub(y, t)))),
  // (100/m) Σ |(t − y)/t|; a zero target has no relative error
  mape: (tape, rows, targets) => mean(tape, elements(rows, targets, "mape").map(([y, t, where]) => {
    if (t === 0) throw new DomainError(`loss mape: targets${where} is 0, and an error relative to 0 is undefined`);
    return tape.mul(tape.abs(tape.div(tape.sub(t, y), t)), 100);
  })),
  // (1/n) Σₙ ½ Σⱼ (tⱼ − yⱼ)²
  half_squared_error: (tape, rows, targets) => mean(tape, elements(rows, targets, "half_squared_error").map(([y, t]) => {
    const difference = tape.sub(t, y);
    return tape.mul(tape.mul(difference, difference), 0.5);
  }), rows.length),
  // (1/m) Σ −[t ln p + (1 − t) ln(1 − p)], a term with coefficient 0 left out (0·ln 0 = 0)
  binary_cross_entropy: (tape, rows, targets) => mean(tape, elements(rows, targets, "binary_cross_entropy").map(([p, t, at]) => {
    const where = `loss binary_cross_entropy at ${at}`;
    probability(p, where);
    if (!(t >= 0 && t <= 1)) throw new DomainError(`${where}: expected a target in [0, 1], got ${t}`);
    const terms = [];
    if (t !== 0) terms.push(tape.mul(minusLog(tape, p, where), t));
    if (t !== 1) terms.push(tape.mul(minusLog(tape, tape.sub(1, p), where), 1 - t));
    return tape.sum(terms);
  })),
  // (1/n) Σₙ −Σⱼ tⱼ ln pⱼ
  categorical_cross_entropy: (tape, rows, targets) => {
    sameLength(rows, targets, "loss categorical_cross_entropy: predictions and targets");
    return mean(tape, rows.map((row, n) => {
      sameLength(row, targets[n], `loss categorical_cross_entropy: predictions[${n}] and targets[${n}]`);
      const terms = [];
      row.forEach((p, j) => {
        const where = `loss categorical_cross_entropy at [${n}][${j}]`;
        probability(p, where);
        if (targets[n][j] !== 0) terms.push(tape.mul(minusLog(tape, p, where), targets[n][j]));
      });
      return tape.sum(terms);
    }));
  },
  // (1/n) Σₙ −ln p_yₙ
  sparse_categorical_cross_entropy: (tape, rows, labels) => {
    sameLength(rows, labels, "loss sparse_categorical_cross_entropy: predictions and targets");
    return mean(tape, rows.map((row, n) => {
      const y = label(labels, n, row, "sparse_categorical_cross_entropy");
      const where = `loss sparse_categorical_cross_entropy at [${n}][${y}]`;
      return minusLog(tape, probability(row[y], where), where);
    }));
  },
  // (1/n) Σₙ −Σⱼ tⱼ log_softmax(s)ⱼ over the tⱼ ≠ 0, t one-hot of the label (or a row of target
  // probabilities); log_softmax(s)ⱼ = (sⱼ − m) − ln Σᵢ e^(sᵢ − m) with m = max s, so logits of ±1000 stay
  // finite, a loss near 0 keeps its digits (logsumexp(s) − s_y cancels), and a masked class (sⱼ = −∞, tⱼ = 0) adds 0
  softmax_cross_entropy: (tape, rows, labels) => {
    sameLength(rows, labels, "loss softmax_cross_entropy: predictions and targets");
    return mean(tape, rows.map((row, n) => {
      const target = Array.isArray(labels[n])
        ? labels[n]
        : row.map((_, j) => (j === label(labels, n, row, "softmax_cross_entropy") ? 1 : 0));
      sameLength(row, target, `loss softmax_cross_entropy: predictions[${n}] and targets[${n}]`);
      const shifts = shifted(tape, row);
      const logTotal = tape.log(tape.sum(shifts.map((s) => tape.exp(s))));
      return tape.neg(tape.sum(shifts.flatMap((s, j) => (target[j] !== 0 ? [tape.mul(tape.sub(s, logTotal), target[j])] : []))));
    }));
  },
  // (1/n) Σₙ Σ_{j≠y} max(0, sⱼ − s_y + margin); at the margin the slope is 0 (ReLU′(0) = 0)
  multiclass_hinge: (tape, rows, labels, attrs) => {
    const margin = attrs.margin ?? 1;
    sameLength(rows, labels, "loss multiclass_hinge: predictions and targets");
    return mean(tape, rows.map((row, n) => {
      const y = label(labels, n, row, "multiclass_hinge");
      const terms = row.flatMap((s, j) => (j === y ? [] : [tape.relu(tape.add(tape.sub(s, row[y]), margin))]));
      return tape.sum(terms);
    }));
  },
  // (1/m) Σ max(0, 1 − t·s) with t = ±1; slope 0 at the margin
  binary_hinge: (tape, rows, targets) => mean(tape, elements(rows, targets, "binary_hinge").map(([s, t, where]) => {
    if (t !== 1 && t !== -1) throw new InputError(`loss binary_hinge: targets${where} is ${t}; expected -1 or +1`);
    return tape.relu(tape.sub(1, tape.mul(s, t)));
  })),
};

function loss({ name, predictions, targets, attrs = {} }, precision) {
  if (!(name in LOSSES)) throw new Unsupported(`the JavaScript backend has no loss ${JSON.stringify(name)}`);
  checkRepresentable(precision, [predictions, targets, attrs], !SMOOTH_LOSSES.has(name));
  const tape = new Tape(precision);
  const rows = predictions.map((row) => row.map((value) => tape.leaf(value)));
  const total = LOSSES[name](tape, rows, targets, attrs);
  tape.backward([[total, 1]]);
  return { loss: total.value, dpredictions: rows.map(grads) };
}

// -- dense ----------------------------------------------------------------------------------------

// A ReLU unit whose slope is 0 passes no gradient back, even an infinite one (as refnet/dense.py
// selects): its output is a constant 0 rather than a node multiplying by 0.
function denseActivation(tape, name, nets, attrs) {
  if (name === "relu") return nets.map((net) => (net.value > 0 || Number.isNaN(net.value) ? tape.relu(net) : tape.constant(0)));
  return ACTIVATIONS[name](tape, nets, attrs);
}

function dense({ activation: name, weight, bias, x, upstream, attrs = {} }, precision) {
  if (!(name in ACTIVATIONS)) throw new Unsupported(`the JavaScript backend has no activation ${JSON.stringify(name)}`);
  checkRepresentable(precision, [weight, bias, x, upstream, attrs], true);
  sameLength(weight, bias, "dense: weight rows and bias");
  sameLength(x, upstream, "dense: x and upstream rows");
  const tape = new Tape(precision);
  const W = weight.map((row) => row.map((value) => tape.leaf(value)));
  const b = bias.map((value) => tape.leaf(value));
  const X = x.map((row) => row.map((value) => tape.leaf(value)));
  const Y = X.map((xRow, n) => {
    sameLength(upstream[n], weight, `dense: upstream[${n}] and weight rows`);
    // net_j = Σᵢ w_ji xᵢ + b_j
    const nets = W.map((wRow, j) => {
      sameLength(wRow, xRow, `dense: weight[${j}] and x[${n}]`);
      return tape.add(tape.sum(wRow.map((w, i) => tape.mul(w, xRow[i]))), b[j]);
    });
    return denseActivation(tape, name, nets, attrs);
  });
  tape.backward(Y.flatMap((yRow, n) => yRow.map((y, j) => [y, upstream[n][j]])));
  return { y: Y.map(values), dx: X.map(grads), dweight: W.map(grads), dbias: grads(b) };
}

export const FAMILIES = { graph, activation, loss, dense };
