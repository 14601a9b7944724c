// Reverse-mode automatic differentiation on a tape: the scalar form of refnet/value.py in JavaScript.
//
// Every operation appends one node to the tape: its value, the nodes it was computed from, and
// its local derivatives ∂out/∂in, computed beside the value (002: each gate knows its output
// and its local gradients). Nodes are appended in evaluation order, so the tape read backwards
// is a reverse topological order, and one sweep applies the chain rule to every edge (004):
//
//     ∂L/∂parent  +=  ∂node/∂parent · ∂L/∂node        for every node, last to first
//
// A node used several times receives the sum over its uses. Conventions (docs/conventions.md):
// ReLU′(0) = 0, leaky ReLU′(0) = α, |x|′(0) = 0, max at a tie sends ½ to each input, sigmoid is
// computed without exp of a large positive number, exp past the largest float is +Infinity.
// log(x ≤ 0), x / 0, 0 to a negative power and a negative base to a fractional or node power
// throw DomainError: there the mathematics has no value.
//
// Precision: `round` is applied to every value, local derivative and accumulated gradient:
// the identity for float64, Math.fround for float32 (each operation rounded to 24 bits).

export class DomainError extends Error {}

export const ROUNDING = { float64: (x) => x, float32: Math.fround };

export class Tape {
  constructor(precision = "float64") {
    if (!(precision in ROUNDING)) throw new Error(`precision: expected float64 or float32, got ${precision}`);
    this.round = ROUNDING[precision];
    this.nodes = [];
  }

  // -- leaves -----------------------------------------------------------------------------------

  leaf(value) {
    return this.record(value, [], []);
  }

  constant(value) {
    return this.record(value, [], [], true);
  }

  record(value, parents, localGrads, isConstant = false) {
    const node = { value: this.round(value), parents, localGrads: localGrads.map(this.round), grad: 0, isConstant };
    this.nodes.push(node);
    return node;
  }

  // A number argument becomes a constant node (it gets no gradient that anyone reads).
  node(x) {
    return typeof x === "number" ? this.constant(x) : x;
  }

  // -- arithmetic -------------------------------------------------------------------------------

  add(a, b) {
    [a, b] = [this.node(a), this.node(b)];
    // a + b;  ∂/∂a = 1, ∂/∂b = 1
    return this.record(a.value + b.value, [a, b], [1, 1]);
  }

  sub(a, b) {
    [a, b] = [this.node(a), this.node(b)];
    // a − b;  ∂/∂a = 1, ∂/∂b = −1
    return this.record(a.value - b.value, [a, b], [1, -1]);
  }

  mul(a, b) {
    [a, b] = [this.node(a), this.node(b)];
    // a · b;  ∂/∂a = b, ∂/∂b = a
    return this.record(a.value * b.value, [a, b], [b.value, a.value]);
  }

  div(a, b) {
    [a, b] = [this.node(a), this.node(b)];
    if (b.value === 0) throw new DomainError(`div: ${a.value} / 0 is undefined; expected a non-zero divisor`);
    const quotient = this.round(a.value / b.value);
    // a / b;  ∂/∂a = 1/b, ∂/∂b = −a/b²
    return this.record(quotient, [a, b], [1 / b.value, -quotient / b.value]);
  }

  neg(a) {
    a = this.node(a);
    // −a;  ∂/∂a = −1
    return this.record(-a.value, [a], [-1]);
  }

  pow(a, b) {
    a = this.node(a);
    if (typeof b === "number") {
      if (a.value === 0 && b < 0) throw new DomainError(`pow: 0 ** ${b} divides by zero; expected a non-zero base`);
      if (a.value < 0 && !Number.isInteger(b)) {
        throw new DomainError(`pow: ${a.value} ** ${b} has no real value; expected an integer exponent for a negative base`);
      }
      // aⁿ;  ∂/∂a = n·aⁿ⁻¹   (0 to a power in (0, 1) has slope +Infinity, the IEEE pole)
      return this.record(a.value ** b, [a], [powerSlope(a.value, b)]);
    }
    if (!(a.value > 0)) {
      throw new DomainError(`pow: base ${a.value} with a node exponent; expected a positive base, since ∂(aᵇ)/∂b = aᵇ·ln a`);
    }
    const out = this.round(a.value ** b.value);
    // aᵇ;  ∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·ln a
    return this.record(out, [a, b], [b.value * a.value ** (b.value - 1), out * Math.log(a.value)]);
  }

  max(a, b) {
    [a, b] = [this.node(a), this.node(b)];
    // max(a, b);  the larger input gets the gradient, ½ each at a tie; NaN if either is NaN
    if (Number.isNaN(a.value) || Number.isNaN(b.value)) return this.record(NaN, [a, b], [NaN, NaN]);
    const routes = a.value > b.value ? [1, 0] : a.value < b.value ? [0, 1] : [0.5, 0.5];
    return this.record(a.value >= b.value ? a.value : b.value, [a, b], routes);
  }

  // -- functions --------------------------------------------------------------------------------

  exp(a) {
    a = this.node(a);
    const out = this.round(Math.exp(a.value));
    // eᵃ;  ∂/∂a = eᵃ   (+Infinity past the largest float, its slope too)
    return this.record(out, [a], [out]);
  }

  log(a) {
    a = this.node(a);
    if (!(a.value > 0) && !Number.isNaN(a.value)) {  // NaN in, NaN out
      throw new DomainError(`log: ln(${a.value}) is undefined; expected a positive argument`);
    }
    // ln a;  ∂/∂a = 1/a
    return this.record(Math.log(a.value), [a], [1 / a.value]);
  }

  tanh(a) {
    a = this.node(a);
    const t = this.round(Math.tanh(a.value));
    // tanh a;  ∂/∂a = 1 − tanh²a = 4e^−2|a|/(1 + e^−2|a|)²   (1 − t² is 0 once t rounds to ±1, |a| > 19.1)
    const e = Math.exp(-2 * Math.abs(a.value));
    return this.record(t, [a], [(4 * e) / ((1 + e) * (1 + e))]);
  }

  sigmoid(a) {
    a = this.node(a);
    const s = this.round(sigmoid(a.value));
    // σ(a);  ∂/∂a = σ(a)(1 − σ(a)) = e^−|a|/(1 + e^−|a|)²   (s(1 − s) is 0 once s rounds to 1, a > 36.7)
    const e = Math.exp(-Math.abs(a.value));
    return this.record(s, [a], [e / ((1 + e) * (1 + e))]);
  }

  relu(a) {
    a = this.node(a);
    // max(0, a);  ∂/∂a = 1 if a > 0 else 0   (ReLU′(0) = 0; NaN in, NaN out, value and slope)
    if (Number.isNaN(a.value)) return this.record(NaN, [a], [NaN]);
    return this.record(a.value > 0 ? a.value : 0, [a], [a.value > 0 ? 1 : 0]);
  }

  leakyRelu(a, alpha) {
    a = this.node(a);
    // a if a > 0 else α·a;  ∂/∂a = 1 if a > 0 else α   (leaky ReLU′(0) = α)
    return this.record(a.value > 0 ? a.value : alpha * a.value, [a], [a.value > 0 ? 1 : alpha]);
  }

  abs(a) {
    a = this.node(a);
    // |a|;  ∂/∂a = sign(a)   (|x|′(0) = 0)
    return this.record(Math.abs(a.value), [a], [a.value > 0 ? 1 : a.value < 0 ? -1 : 0]);
  }

  step(a) {
    a = this.node(a);
    // 1 if a ≥ 0 else 0;  no gradient flows through a step (step′ = 0, step(0) = 1)
    return this.constant(a.value >= 0 ? 1 : 0);
  }

  // Σ terms, added left to right (one node per addition, as refnet's Value sums).
  sum(terms) {
    let total = this.constant(0);
    for (const term of terms) total = this.add(total, term);
    return total;
  }

  // -- the backward pass ------------------------------------------------------------------------

  // seeds: [[node, ∂L/∂node], ...], e.g. [[loss, 1]] or every output with its upstream gradient.
  backward(seeds) {
    for (const [node, gradient] of seeds) node.grad = this.round(node.grad + gradient);
    for (let i = this.nodes.length - 1; i >= 0; i -= 1) {
      const node = this.nodes[i];
      node.parents.forEach((parent, k) => {
        parent.grad = this.round(parent.grad + this.round(node.localGrads[k] * node.grad));
      });
    }
  }
}

// ∂(aⁿ)/∂a = n·aⁿ⁻¹ for a constant n (0 when n = 0). For a < 0 (n an integer) the sign comes from n's
// parity, not from n − 1, which rounds to an even number once n ≥ 2⁵³: −n·|a|ⁿ⁻¹ for even n.
export function powerSlope(a, n) {
  if (n === 0) return 0;
  if (a < 0) {
    const magnitude = n * (-a) ** (n - 1);
    return n % 2 === 0 ? -magnitude : magnitude;
  }
  return n * a ** (n - 1);
}

// σ(x) = 1/(1 + e⁻ˣ) for x ≥ 0, eˣ/(1 + eˣ) for x < 0: exp is never taken of a large positive number.
export function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
