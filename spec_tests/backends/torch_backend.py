"""The PyTorch adapter: every family through PyTorch's own autograd, modules, losses and optimizers.

    python -m spec_tests --backend torch
    python -m spec_tests --backend torch --precision float32 --device cuda:0

PyTorch is an optional dependency of the suite: this module imports it, refnet never does.
How each family maps onto PyTorch:

    graph        every input is a leaf tensor with requires_grad; every node a torch op
                 (torch.add … torch.maximum, F.leaky_relu) whose result keeps its gradient
                 (retain_grad); one backward() from the output fills every .grad. Autograd adds
                 the gradients of a node used several times by itself.
    activation   nn.Sigmoid, nn.Tanh, nn.ReLU, nn.LeakyReLU, nn.Softmax, nn.LogSoftmax on a leaf
                 x; y.backward(upstream) leaves Jᵀ·upstream in x.grad. step is torch.heaviside
                 with value 1 at 0; it has no derivative in PyTorch and none here (dx = 0).
    loss         F.mse_loss, F.l1_loss, F.nll_loss (on ln p), F.cross_entropy (on logits) and
                 F.multi_margin_loss; the rest are written with tensor ops (see below).
    dense        F.linear(x, W, b) = x·Wᵀ + b: PyTorch stores W out × in, as refnet does.
    network      an nn.Sequential of nn.Linear layers (weights copied in) and activation modules;
                 the L2 term c·ΣW² is added to the loss before backward().
    optimizer    torch.optim.SGD, Adagrad, RMSprop and Adam on one flat parameter tensor whose
    training     .grad is set by hand (optimizer) or by backward() (training). Their rules match
                 the protocol: SGD's momentum is PyTorch's own velocity form v ← ρv + g (dampening
                 0, no Nesterov); Adagrad adds ε outside the root and starts its sum at 0
                 (initial_accumulator_value=0, lr_decay=0); RMSprop is s ← αs + (1 − α)g²,
                 w ← w − ηg/(√s + ε) (momentum 0, not centered); Adam bias-corrects m and v by
                 1 − βᵗ (no weight decay, no AMSGrad).
    prng, init   SplitMix64 in int64 tensors (see below); normals with torch.log and torch.cos.
    schedule     torch.optim.lr_scheduler on an SGD optimizer, reading param_groups[0]["lr"]
                 before each step: LambdaLR(1) for constant, StepLR for step, LinearLR for
                 linear (factors start/end ≤ 1 on base rate max(start, end); LambdaLR with the
                 formula when a rate is 0, which LinearLR's start_factor may not be). The rates
                 are Python floats at either precision, as in PyTorch.
    dropout      x·mask·(1/(1 − p)) with tensor ops, as F.dropout's kernel computes it with the
                 mask given; backward(upstream) gives dx. p = 1 raises (F.dropout returns zeros).
    numeric_gradient  the graph's torch ops on leaf tensors; torch.autograd.grad for the analytic
                 gradient; under no_grad the one-sided and central differences and the relative
                 error, all in the chosen dtype.

Losses PyTorch lacks or defines differently, written with tensor ops and differentiated by autograd:
    mape, half_squared_error, categorical_cross_entropy (on probabilities), binary_hinge;
    binary_cross_entropy: F.binary_cross_entropy clamps ln p at −100 and its gradient's
        denominator p(1 − p) at 1e−12, so it gives a loss of 100 for p = 1e−300 (exactly
        690.78) and a gradient of 0 at p = t = 1 (exactly −1/m: 0·ln 0 = 0 leaves only −t ln p).
        Cases loss.binary_cross_entropy.tiny and .certain pin that down; the adapter writes
        −[t ln p + (1 − t) ln(1 − p)] with each zero-coefficient term left out.
    multiclass_hinge: F.multi_margin_loss divides each example's sum by the number of classes
        C; the protocol does not, so the adapter multiplies by C.

Derivatives PyTorch forms differently, patched with torch.autograd.Functions (graph, activation,
dense, network, training and numeric_gradient all use them):
    tanh, sigmoid: torch differentiates them as 1 − y² and y(1 − y), exactly 0 once y rounds to
        ±1 (|x| > 19.1 and x > 36.7 in float64) although the true slope is representable up to
        |x| ≈ 354 and 745. StableTanh and StableSigmoid keep torch.tanh and torch.sigmoid's values
        and give the slopes 4e^−2|x|/(1 + e^−2|x|)² and e^−|x|/(1 + e^−|x|)².
    pow with a constant exponent n: torch forms n·aⁿ⁻¹ with n − 1 in floating point, which for an
        even n ≥ 2⁵³ rounds to n, so at a < 0 the sign is wrong ((−1)^(2⁵⁴) gives +2⁵⁴, the
        protocol −2⁵⁴). ConstantPower takes the sign from n's parity: −n·|a|ⁿ⁻¹ for even n. A node
        exponent (base > 0) keeps torch.pow.

The PRNG: PyTorch has no unsigned 64-bit integers, so the generator runs on int64 tensors as
two's-complement bit patterns. Addition and multiplication wrap mod 2⁶⁴ exactly as unsigned
arithmetic does (the low 64 bits of a product do not depend on signedness), XOR is the same,
and the logical right shift is an arithmetic shift with the sign-extended bits masked off.
The 128-bit product of below(n) = (u·n) >> 64 is taken in Python integers.

Precision: "float64" or "float32" sets the dtype of every tensor in the numeric families.
prng and init are specified on 64-bit integers and float64 (refnet/prng.py) and run in
float64 at either precision. An input float32 cannot hold (1e-300, 1e200) raises Unsupported
("input not representable in float32") where rounding it to 0 or inf changes the answer.

Errors: PyTorch returns nan or ±inf where the mathematics has no value. The adapter raises
instead, as the protocol asks: a nan value or gradient, ln 0 (−inf), a division by zero, 0 to a
negative power, a base ≤ 0 with a node exponent and MAPE with a zero target. exp past the
largest float is +inf (value and gradient), as IEEE 754 and PyTorch say, and is returned. A nan
computed from a nan input is returned too: nan propagates (docs/conventions.md), it is not a
domain error. half_squared_error is written (½(t − y))·(t − y), so that its gradient is finite
wherever t − y is (pow's backward would form 2(t − y)).

Tensors are created on `device` (default "cpu"; "cuda", "cuda:N", "mps"), so the same adapter
runs on a GPU; results are moved back and returned as plain Python floats and lists. A device
that is not present raises ValueError listing the devices that are. On CUDA the adapter turns
TF32 off (torch.backends.cuda.matmul.allow_tf32 = False, torch.backends.cudnn.allow_tf32 = False),
so float32 matmuls keep their 24-bit significands. `device_name` is "cpu" or the GPU's name
(torch.cuda.get_device_name); `notes` lists the settings that affect results. docs/gpus.md has
the commands and what differs on a GPU.
"""

import math
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from spec_tests.protocol import Backend, Unsupported

MASK_64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB
TWO_TO_MINUS_53 = 2.0 ** -53

SMOOTH_OPS = frozenset(["add", "sub", "mul", "neg", "exp", "tanh", "sigmoid"])
SMOOTH_ACTIVATIONS = frozenset(["linear", "sigmoid", "tanh", "softmax", "log_softmax"])
SMOOTH_LOSSES = frozenset(["mse", "half_squared_error", "softmax_cross_entropy"])
LABEL_LOSSES = frozenset(["sparse_categorical_cross_entropy", "softmax_cross_entropy", "multiclass_hinge"])



class StableTanh(torch.autograd.Function):
    """tanh x with slope 4e^−2|x|/(1 + e^−2|x|)²: torch's 1 − y² is 0 once y rounds to ±1."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        return torch.tanh(x)

    @staticmethod
    def backward(ctx: Any, upstream: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        e = torch.exp(-2.0 * x.abs())
        return upstream * (4.0 * e / ((1.0 + e) * (1.0 + e)))


class StableSigmoid(torch.autograd.Function):
    """σ(x) with slope e^−|x|/(1 + e^−|x|)²: torch's y(1 − y) is 0 once y rounds to 1."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        return torch.sigmoid(x)

    @staticmethod
    def backward(ctx: Any, upstream: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        e = torch.exp(-x.abs())
        return upstream * (e / ((1.0 + e) * (1.0 + e)))


class ConstantPower(torch.autograd.Function):
    """aⁿ for a constant n, with ∂/∂a = n·aⁿ⁻¹ signed by n's parity for a < 0 (−n·|a|ⁿ⁻¹ for even n):
    torch forms n − 1 in floating point, which rounds to the even n once n ≥ 2⁵³."""

    @staticmethod
    def forward(ctx: Any, a: torch.Tensor, n: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(a, n)
        return torch.pow(a, n)

    @staticmethod
    def backward(ctx: Any, upstream: torch.Tensor) -> Tuple[torch.Tensor, None]:
        a, n = ctx.saved_tensors
        sign = torch.where(torch.fmod(n, 2.0) == 0, -1.0, 1.0).to(a.dtype)
        magnitude = torch.where(a < 0, sign * torch.pow(-a, n - 1.0), torch.pow(a, n - 1.0))
        slope = torch.where(n == 0, torch.zeros_like(a), n * magnitude)  # 0 for n = 0, as torch gives
        return upstream * slope, None


def stable_tanh(x: torch.Tensor) -> torch.Tensor:
    return StableTanh.apply(x)  # type: ignore[no-untyped-call, no-any-return]  # Function.apply is unannotated


def stable_sigmoid(x: torch.Tensor) -> torch.Tensor:
    return StableSigmoid.apply(x)  # type: ignore[no-untyped-call, no-any-return]


def power(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """torch.pow, through ConstantPower when the exponent is a constant (needs no gradient)."""
    return torch.pow(a, b) if b.requires_grad else ConstantPower.apply(a, b)  # type: ignore[no-untyped-call]


class Tanh(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return stable_tanh(x)


class Sigmoid(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return stable_sigmoid(x)


UNARY_OPS: Dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "neg": torch.neg, "exp": torch.exp, "log": torch.log, "tanh": stable_tanh, "sigmoid": stable_sigmoid,
    "relu": torch.relu, "abs": torch.abs,
}
BINARY_OPS: Dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": power,
    "max": torch.maximum,  # its gradient at a tie is ½ to each side, the protocol's convention
}


def _numbers(structure: Any) -> Iterator[float]:
    """Every number in a nested structure of lists and dicts."""
    if isinstance(structure, (list, tuple)):
        for item in structure:
            yield from _numbers(item)
    elif isinstance(structure, dict):
        for item in structure.values():
            yield from _numbers(item)
    elif isinstance(structure, (int, float)) and not isinstance(structure, bool):
        yield float(structure)


def _signed(value: int) -> int:
    """An unsigned 64-bit integer as the int64 with the same bits."""
    value &= MASK_64
    return value - (1 << 64) if value >= (1 << 63) else value


def _shift_right(z: torch.Tensor, k: int) -> torch.Tensor:
    """The logical right shift of int64 bit patterns: torch's >> copies the sign bit, so mask it off."""
    return (z >> k) & ((1 << (64 - k)) - 1)


class Step(nn.Module):
    """step(x) = 1 for x ≥ 0, else 0 (torch.heaviside with value 1 at 0). No gradient flows through it."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.heaviside(x.detach(), torch.ones((), dtype=x.dtype, device=x.device))


def activation_module(name: str, alpha: float = 0.01) -> nn.Module:
    """The torch.nn module for one of the protocol's activations."""
    if name == "linear":
        return nn.Identity()
    if name == "sigmoid":
        return Sigmoid()  # nn.Sigmoid's value, the exact slope (StableSigmoid)
    if name == "tanh":
        return Tanh()  # nn.Tanh's value, the exact slope (StableTanh)
    if name == "relu":
        return nn.ReLU()
    if name == "leaky_relu":
        return nn.LeakyReLU(negative_slope=alpha)  # slope α at 0, as the protocol says
    if name == "step":
        return Step()
    if name == "softmax":
        return nn.Softmax(dim=-1)
    if name == "log_softmax":
        return nn.LogSoftmax(dim=-1)
    raise Unsupported("torch backend: no activation " + repr(name))


# -- losses: (predictions, targets, attrs) -> scalar tensor -------------------------------------

def _mape(p: torch.Tensor, t: torch.Tensor, attrs: Dict[str, Any]) -> torch.Tensor:
    if bool((t == 0).any()):
        raise ZeroDivisionError("mape: a target is 0 (the percentage error divides by the target)")
    return 100.0 * ((t - p) / t).abs().mean()


def _half_squared_error(p: torch.Tensor, t: torch.Tensor, attrs: Dict[str, Any]) -> torch.Tensor:
    # (½(t − y))·(t − y), not ½(t − y)²: pow's backward forms 2(t − y), which overflows for |t − y| > 9e307
    error = t - p
    return ((0.5 * error) * error).sum() / p.shape[0]


def _binary_cross_entropy(p: torch.Tensor, t: torch.Tensor, attrs: Dict[str, Any]) -> torch.Tensor:
    positive, negative = t != 0, t != 1
    if bool((positive & (p <= 0)).any()) or bool((negative & (p >= 1)).any()):
        raise ValueError("binary_cross_entropy: ln of a probability ≤ 0 where its coefficient is not 0")
    # Where a term is left out its log sees 1, not p: ln 1 = 0 and no 0/0 in the backward pass.
    p_pos = torch.where(positive, p, torch.ones_like(p))
    q_neg = torch.where(negative, 1.0 - p, torch.ones_like(p))
    return -(t * torch.log(p_pos) + (1.0 - t) * torch.log(q_neg)).mean()


def _categorical_cross_entropy(p: torch.Tensor, t: torch.Tensor, attrs: Dict[str, Any]) -> torch.Tensor:
    used = t != 0
    if bool((used & (p <= 0)).any()):
        raise ValueError("categorical_cross_entropy: probability 0 where the target is not 0")
    return -(t * torch.log(torch.where(used, p, torch.ones_like(p)))).sum() / p.shape[0]


def _sparse_categorical_cross_entropy(p: torch.Tensor, labels: torch.Tensor, attrs: Dict[str, Any]) -> torch.Tensor:
    if bool((p.gather(1, labels[:, None]) <= 0).any()):
        raise ValueError("sparse_categorical_cross_entropy: probability 0 at the label")
    # nll_loss reads ln p at the labels only; a 0 elsewhere becomes 1 so that ln's backward has no 0/0.
    return F.nll_loss(torch.log(torch.where(p > 0, p, torch.ones_like(p))), labels)


def _multiclass_hinge(s: torch.Tensor, labels: torch.Tensor, attrs: Dict[str, Any]) -> torch.Tensor:
    # multi_margin_loss averages Σ_{j≠y} max(0, margin − s_y + s_j) over the C classes; undo that.
    return F.multi_margin_loss(s, labels, p=1, margin=float(attrs.get("margin", 1.0))) * s.shape[1]


def _binary_hinge(s: torch.Tensor, t: torch.Tensor, attrs: Dict[str, Any]) -> torch.Tensor:
    return torch.relu(1.0 - t * s).mean()  # relu′(0) = 0: no gradient exactly at the margin


LOSSES: Dict[str, Callable[[torch.Tensor, torch.Tensor, Dict[str, Any]], torch.Tensor]] = {
    "mse": lambda p, t, attrs: F.mse_loss(p, t),
    "mae": lambda p, t, attrs: F.l1_loss(p, t),
    "mape": _mape,
    "half_squared_error": _half_squared_error,
    "binary_cross_entropy": _binary_cross_entropy,
    "categorical_cross_entropy": _categorical_cross_entropy,
    "sparse_categorical_cross_entropy": _sparse_categorical_cross_entropy,
    "softmax_cross_entropy": lambda s, labels, attrs: F.cross_entropy(s, labels),
    "multiclass_hinge": _multiclass_hinge,
    "binary_hinge": _binary_hinge,
}


def _loss(name: str, predictions: torch.Tensor, targets: torch.Tensor, attrs: Dict[str, Any]) -> torch.Tensor:
    if name not in LOSSES:
        raise Unsupported("torch backend: no loss " + repr(name))
    return LOSSES[name](predictions, targets, attrs)


def _optimizer(name: str, params: Iterable[torch.Tensor], h: Dict[str, float]) -> torch.optim.Optimizer:
    """The torch.optim optimizer for the protocol's rule, every option that changes the rule pinned."""
    if name == "sgd":
        return torch.optim.SGD(params, lr=h["lr"], momentum=h.get("momentum", 0.0), dampening=0.0, nesterov=False)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=h["lr"], eps=h.get("eps", 1e-10), lr_decay=0.0,
                                   initial_accumulator_value=0.0)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=h["lr"], alpha=h.get("alpha", 0.99), eps=h.get("eps", 1e-8),
                                   momentum=0.0, centered=False)
    if name == "adam":
        return torch.optim.Adam(params, lr=h.get("lr", 0.001), betas=(h.get("beta1", 0.9), h.get("beta2", 0.999)),
                                eps=h.get("eps", 1e-8), amsgrad=False)
    raise Unsupported("torch backend: no optimizer " + repr(name))


def available_devices() -> str:
    """Every device this PyTorch build can use here, e.g. "cpu, cuda:0 (NVIDIA A100-SXM4-40GB)"."""
    names = ["cpu"]
    if torch.cuda.is_available():
        names += ["cuda:" + str(i) + " (" + torch.cuda.get_device_name(i) + ")" for i in range(torch.cuda.device_count())]
    if torch.backends.mps.is_available():
        names.append("mps")
    return ", ".join(names)


def checked_device(device: str) -> torch.device:
    """The torch.device named `device`, once a tensor can be made on it; ValueError naming what is there otherwise."""
    try:
        chosen = torch.device(device)
        torch.empty(0, device=chosen)  # a build without CUDA, or a missing GPU, fails here
    except Exception as error:  # noqa: BLE001 - torch raises RuntimeError, AssertionError or NotImplementedError
        reason = " ".join(str(error).split())[:200]
        raise ValueError("torch backend: device " + repr(device) + " is not available here (" + type(error).__name__
                         + ": " + reason + "); available: " + available_devices())
    return chosen


def device_description(device: torch.device) -> str:
    """"cpu", or the GPU's name as PyTorch reports it (torch.cuda.get_device_name)."""
    if device.type == "cuda":
        return str(torch.cuda.get_device_name(device))
    return device.type


class TorchBackend(Backend):
    """The conformance suite's PyTorch backend (autograd, torch.nn, torch.optim)."""

    name = "torch"

    def __init__(self, precision: str = "float64", device: str = "cpu") -> None:
        if precision not in ("float64", "float32"):
            raise ValueError("torch backend: precision must be 'float64' or 'float32', got " + repr(precision))
        self.precision = precision
        self.device = device
        self.torch_device = checked_device(device)
        self.device_name = device_description(self.torch_device)
        self.notes: List[str] = []
        if self.torch_device.type == "cuda":  # TF32 rounds float32 matmul inputs to 10-bit significands
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False
            self.notes.append("TF32 disabled for float32 matmuls (torch.backends.cuda.matmul.allow_tf32 = False, "
                              "torch.backends.cudnn.allow_tf32 = False)")
        self.dtype = torch.float64 if precision == "float64" else torch.float32

    # -- plain data in and out ---------------------------------------------------------------

    def tensor(self, values: Any, requires_grad: bool = False) -> torch.Tensor:
        """Plain numbers as a tensor of the chosen dtype on the chosen device."""
        return torch.tensor(values, dtype=self.dtype, device=self.torch_device, requires_grad=requires_grad)

    def targets(self, loss_name: str, targets: Any) -> torch.Tensor:
        if loss_name in LABEL_LOSSES:
            return torch.tensor(targets, dtype=torch.int64, device=self.torch_device)
        return self.tensor(targets)

    @staticmethod
    def plain(t: Optional[torch.Tensor], like: Optional[torch.Tensor] = None) -> Any:
        """A tensor as Python floats (nested lists); a missing gradient as zeros shaped like `like`."""
        if t is None:
            assert like is not None
            t = torch.zeros_like(like)
        return t.detach().cpu().tolist()

    def check_representable(self, numbers: Iterable[float], kinks: bool = True) -> None:
        """float32 only: raise Unsupported when an input float32 cannot hold changes the case
        (overflow to inf always; underflow to 0 where the function has a kink or pole at 0)."""
        if self.dtype != torch.float32:
            return
        info = torch.finfo(torch.float32)
        for x in numbers:
            if math.isfinite(x) and abs(x) > info.max:
                raise Unsupported("input not representable in float32 (" + repr(x) + " overflows to inf)")
            if kinks and x != 0.0 and abs(x) < info.tiny:
                raise Unsupported("input not representable in float32 (" + repr(x) + " underflows to 0 "
                                  "where the function has a kink or a pole)")

    # -- graph ---------------------------------------------------------------------------------

    def graph(self, inputs: List[List[Any]], nodes: List[Dict[str, Any]]) -> Dict[str, Any]:
        kinks = any(node["op"] not in SMOOTH_OPS for node in nodes)
        self.check_representable((value for _, value in inputs), kinks)
        self.check_representable(_numbers([node["args"] for node in nodes]), kinks)
        values: Dict[str, torch.Tensor] = {}
        leaves = []
        for name, number in inputs:
            values[name] = self.tensor(float(number), requires_grad=True)
            leaves.append(values[name])
        computed = []
        for node in nodes:
            op = node["op"]
            args = [values[a] if isinstance(a, str) else self.tensor(float(a)) for a in node["args"]]
            if op == "div" and bool(args[1] == 0):
                raise ZeroDivisionError("div: division by zero (torch would return inf or nan)")
            if op == "pow" and bool(args[0] == 0) and bool(args[1] < 0):
                raise ZeroDivisionError("pow: 0 to a negative power (torch would return inf)")
            if op == "pow" and isinstance(node["args"][1], str) and bool(args[0] <= 0):
                raise ValueError("pow: base " + repr(float(args[0].detach())) + " with a node exponent; expected a positive base, "
                                 "since d(a^b)/db = a^b ln a (torch would return 0 or nan)")
            if op in UNARY_OPS:
                out = UNARY_OPS[op](args[0])
            elif op in BINARY_OPS:
                out = BINARY_OPS[op](args[0], args[1])
            elif op == "leaky_relu":
                out = F.leaky_relu(args[0], negative_slope=node.get("attrs", {}).get("alpha", 0.01))
            else:
                raise Unsupported("torch backend: no graph op " + repr(op))
            nan_in = any(bool(torch.isnan(a)) for a in args)  # nan in, nan out: propagated, not a domain error
            if (bool(torch.isnan(out)) and not nan_in) or (op == "log" and bool(out == -math.inf)):
                raise ValueError(op + ": torch returned " + str(out.item()) + " (no real value)")
            if out.requires_grad:
                out.retain_grad()  # keep the gradient of an intermediate node
            values[node["name"]] = out
            computed.append(out)
        if computed[-1].requires_grad:
            computed[-1].backward()  # type: ignore[no-untyped-call]
        gradients = [self.plain(t.grad, t) for t in computed]
        if not computed[-1].requires_grad:
            gradients[-1] = 1.0
        input_gradients = [self.plain(t.grad, t) for t in leaves]
        nan_input = any(math.isnan(float(value)) for _, value in inputs) or any(
            math.isnan(float(a)) for a in _numbers([node["args"] for node in nodes]))
        if not nan_input and any(math.isnan(g) for g in gradients + input_gradients):
            raise ValueError("torch's gradient is nan (e.g. a node exponent on a base ≤ 0: ∂(aᵇ)/∂b = aᵇ ln a)")
        return {"values": [t.item() for t in computed], "gradients": gradients, "input_gradients": input_gradients}

    # -- activations -------------------------------------------------------------------------

    def activation(self, name: str, x: List[float], upstream: List[float], attrs: Dict[str, Any]) -> Dict[str, Any]:
        self.check_representable(_numbers([x, upstream]), kinks=name not in SMOOTH_ACTIVATIONS)
        inputs = self.tensor(x, requires_grad=True)
        outputs = activation_module(name, attrs.get("alpha", 0.01))(inputs)
        if outputs.requires_grad:  # step's output does not: no gradient flows through it
            outputs.backward(self.tensor(upstream))
        return {"y": self.plain(outputs), "dx": self.plain(inputs.grad, inputs)}

    # -- losses --------------------------------------------------------------------------------

    def loss(self, name: str, predictions: List[List[float]], targets: Any, attrs: Dict[str, Any]) -> Dict[str, Any]:
        self.check_representable(_numbers([predictions, targets, attrs]), kinks=name not in SMOOTH_LOSSES)
        rows = self.tensor(predictions, requires_grad=True)
        value = _loss(name, rows, self.targets(name, targets), attrs)
        value.backward()  # type: ignore[no-untyped-call]
        return {"loss": value.item(), "dpredictions": self.plain(rows.grad, rows)}

    # -- one dense layer -----------------------------------------------------------------------

    def dense(self, activation: str, weight: List[List[float]], bias: List[float], x: List[List[float]],
              upstream: List[List[float]], attrs: Dict[str, Any]) -> Dict[str, Any]:
        self.check_representable(_numbers([weight, bias, x, upstream, attrs]))
        w = self.tensor(weight, requires_grad=True)
        b = self.tensor(bias, requires_grad=True)
        inputs = self.tensor(x, requires_grad=True)
        outputs = activation_module(activation, attrs.get("alpha", 0.01))(F.linear(inputs, w, b))
        if outputs.requires_grad:
            outputs.backward(self.tensor(upstream))
        return {"y": self.plain(outputs), "dx": self.plain(inputs.grad, inputs), "dweight": self.plain(w.grad, w),
                "dbias": self.plain(b.grad, b)}

    # -- whole networks ------------------------------------------------------------------------

    def model(self, layers: List[Dict[str, Any]]) -> nn.Sequential:
        """nn.Linear layers (W out × in, as given) each followed by its activation module."""
        modules: List[nn.Module] = []
        for layer in layers:
            weight = self.tensor(layer["weight"])
            linear = nn.utils.skip_init(nn.Linear, weight.shape[1], weight.shape[0], dtype=self.dtype,  # type: ignore[no-untyped-call]
                                        device=self.torch_device)
            with torch.no_grad():
                linear.weight.copy_(weight)
                linear.bias.copy_(self.tensor(layer["bias"]))
            modules.append(linear)
            modules.append(activation_module(layer["activation"], layer.get("alpha", 0.01)))
        return nn.Sequential(*modules)

    def objective(self, model: nn.Sequential, x: torch.Tensor, targets: torch.Tensor, loss: Dict[str, Any],
                  l2: float) -> Tuple[torch.Tensor, torch.Tensor]:
        """(outputs, loss + c·ΣW² over the weight matrices, not the biases)."""
        outputs = model(x)
        value = _loss(loss["name"], outputs, targets, loss.get("attrs", {}))
        if l2:
            value = value + l2 * sum(m.weight.pow(2).sum() for m in model if isinstance(m, nn.Linear))
        return outputs, value

    @staticmethod
    def linears(model: nn.Sequential) -> List[nn.Linear]:
        return [m for m in model if isinstance(m, nn.Linear)]

    def network(self, layers: List[Dict[str, Any]], x: List[List[float]], targets: Any, loss: Dict[str, Any],
                l2: float) -> Dict[str, Any]:
        self.check_representable(_numbers([layers, x, targets, l2]))
        model = self.model(layers)
        outputs, value = self.objective(model, self.tensor(x), self.targets(loss["name"], targets), loss, l2)
        value.backward()  # type: ignore[no-untyped-call]
        return {"outputs": self.plain(outputs), "loss": value.item(),
                "gradients": [{"weight": self.plain(m.weight.grad, m.weight), "bias": self.plain(m.bias.grad, m.bias)}
                              for m in self.linears(model)]}

    # -- optimizers and training ---------------------------------------------------------------

    def optimizer(self, name: str, hyperparameters: Dict[str, float], params: List[float],
                  gradients: List[List[float]]) -> Dict[str, Any]:
        self.check_representable(_numbers([hyperparameters, params, gradients]))
        weights = self.tensor(params, requires_grad=True)
        optimizer = _optimizer(name, [weights], hyperparameters)
        history = []
        for step in gradients:
            weights.grad = self.tensor(step)
            optimizer.step()
            history.append(self.plain(weights))
        return {"params": history}

    def training(self, layers: List[Dict[str, Any]], x: List[List[float]], targets: Any, loss: Dict[str, Any],
                 l2: float, optimizer: Dict[str, Any], steps: int) -> Dict[str, Any]:
        self.check_representable(_numbers([layers, x, targets, l2, optimizer]))
        model = self.model(layers)
        inputs, labels = self.tensor(x), self.targets(loss["name"], targets)
        opt = _optimizer(optimizer["name"], model.parameters(), optimizer["hyperparameters"])
        recorded = []
        for _ in range(steps):
            opt.zero_grad()
            _, value = self.objective(model, inputs, labels, loss, l2)
            recorded.append(value.item())
            value.backward()  # type: ignore[no-untyped-call]
            opt.step()
        return {"losses": recorded,
                "layers": [{"weight": self.plain(m.weight), "bias": self.plain(m.bias)} for m in self.linears(model)]}

    # -- the PRNG on int64 tensors (always 64-bit integers and float64) ------------------------

    def prng_outputs(self, seed: int, count: int) -> torch.Tensor:
        """The first `count` SplitMix64 outputs for `seed` as int64 bit patterns, all at once:
        the k-th state is seed + (k + 1)·γ mod 2⁶⁴, and the output mixes that state."""
        steps = torch.arange(1, count + 1, dtype=torch.int64, device=self.torch_device)
        z = _signed(int(seed)) + steps * _signed(GOLDEN_GAMMA)  # wraps mod 2⁶⁴
        z = (z ^ _shift_right(z, 30)) * _signed(MIX_1)
        z = (z ^ _shift_right(z, 27)) * _signed(MIX_2)
        return z ^ _shift_right(z, 31)

    @staticmethod
    def prng_unit(u: torch.Tensor) -> torch.Tensor:
        """random() = (u >> 11)·2⁻⁵³ in float64: at most 53 bits, so exactly representable."""
        return _shift_right(u, 11).to(torch.float64) * TWO_TO_MINUS_53

    def prng_normal(self, u1_raw: torch.Tensor, u2_raw: torch.Tensor, mean: float, std: float) -> torch.Tensor:
        """Box–Muller, cosine branch: u₁ = 1 − random() first, u₂ = random(); mean + std·√(−2 ln u₁)·cos(2π u₂)."""
        u1 = 1.0 - self.prng_unit(u1_raw)
        u2 = self.prng_unit(u2_raw)
        return mean + std * torch.sqrt(-2.0 * torch.log(u1)) * torch.cos(2.0 * math.pi * u2)

    def prng(self, seed: int, draws: List[Dict[str, Any]]) -> Dict[str, Any]:
        needed = sum(2 if draw["kind"] == "normal" else 1 for draw in draws)
        outputs = self.prng_outputs(seed, needed)
        values: List[Any] = []
        k = 0
        for draw in draws:
            kind = draw["kind"]
            u = outputs[k:k + 1]
            k += 1
            if kind == "u64":
                values.append("0x%016X" % (int(u.item()) & MASK_64))
            elif kind == "random":
                values.append(self.prng_unit(u).item())
            elif kind == "uniform":
                low, high = float(draw["low"]), float(draw["high"])
                values.append((low + (high - low) * self.prng_unit(u)).item())
            elif kind == "below":  # (u·n) >> 64 needs a 128-bit product: Python integers
                values.append(((int(u.item()) & MASK_64) * int(draw["n"])) >> 64)
            elif kind == "normal":
                values.append(self.prng_normal(u, outputs[k:k + 1], float(draw["mean"]), float(draw["std"])).item())
                k += 1
            else:
                raise Unsupported("torch backend: unknown draw kind " + repr(kind))
        return {"values": values}

    def init(self, name: str, seed: int, fan_in: int, fan_out: int) -> Dict[str, Any]:
        """refnet's initialisers from the same stream, drawn row by row (fan_out × fan_in)."""
        count = fan_in * fan_out
        if name in ("uniform", "glorot_shallow", "glorot_deep"):
            if name == "uniform":
                limit = 0.01
            elif name == "glorot_shallow":
                limit = 1.0 / math.sqrt(fan_in)
            else:
                limit = math.sqrt(6.0) / math.sqrt(fan_in + fan_out)
            weight = -limit + (limit - -limit) * self.prng_unit(self.prng_outputs(seed, count))
        elif name in ("xavier_randn", "he_normal"):
            std = 1.0 / math.sqrt(fan_in) if name == "xavier_randn" else math.sqrt(2.0 / fan_in)
            pairs = self.prng_outputs(seed, 2 * count).reshape(count, 2)  # each normal takes two draws
            weight = self.prng_normal(pairs[:, 0], pairs[:, 1], 0.0, 1.0) * std
        else:
            raise Unsupported("torch backend: no initialiser " + repr(name))
        return {"weight": self.plain(weight.reshape(fan_out, fan_in))}

    # -- learning-rate schedules (torch.optim.lr_scheduler) ------------------------------------

    @staticmethod
    def lr_scheduler(name: str, optimizer: torch.optim.Optimizer,
                     h: Dict[str, Any]) -> torch.optim.lr_scheduler.LRScheduler:
        """The scheduler for the protocol's rule, on an optimizer whose lr is the rule's base rate
        (schedule() sets it: `end` for a rising linear rule, else `lr` or `start`)."""
        if name == "constant":
            return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda k: 1.0)
        if name == "step":
            return torch.optim.lr_scheduler.StepLR(optimizer, step_size=h["step_size"], gamma=h["gamma"])
        if name == "linear":
            start, end, total = float(h["start"]), float(h["end"]), int(h["steps"])
            if 0.0 < end <= start:  # LinearLR's factors lie in (0, 1]: a falling rule on base rate start
                return torch.optim.lr_scheduler.LinearLR(optimizer, 1.0, end / start, total)
            if 0.0 < start < end:  # a rising rule on base rate end
                return torch.optim.lr_scheduler.LinearLR(optimizer, start / end, 1.0, total)
            base = max(start, end)  # a rule that starts or ends at 0: LambdaLR with the formula itself
            return torch.optim.lr_scheduler.LambdaLR(
                optimizer, lambda k: (start + (end - start) * min(k, total) / total) / base if base else 0.0)
        raise Unsupported("torch backend: no schedule " + repr(name))

    def schedule(self, name: str, hyperparameters: Dict[str, Any], steps: List[int]) -> Dict[str, Any]:
        h = hyperparameters
        base = max(h["start"], h["end"]) if name == "linear" else h["lr"]
        weight = torch.zeros(1, dtype=self.dtype, device=self.torch_device, requires_grad=True)
        optimizer = torch.optim.SGD([weight], lr=base)
        scheduler = self.lr_scheduler(name, optimizer, h)
        rates: Dict[int, float] = {}
        for k in range(max(steps) + 1):
            rates[k] = float(optimizer.param_groups[0]["lr"])  # the rate step k uses
            optimizer.step()  # no gradient: the weight stays; the scheduler expects a step first
            scheduler.step()
        return {"lr": [rates[k] for k in steps]}

    # -- dropout with a given mask -------------------------------------------------------------

    def dropout(self, x: List[List[float]], mask: List[List[int]], p: float, upstream: List[List[float]]) -> Dict[str, Any]:
        self.check_representable(_numbers([x, upstream]), kinks=False)
        if not 0.0 <= p < 1.0:  # F.dropout returns zeros for p = 1; the protocol's scale 1/(1 − p) is undefined
            raise ValueError("dropout: p = " + repr(p) + "; expected 0 <= p < 1 (the survivors' scale is 1/(1 - p))")
        inputs = self.tensor(x, requires_grad=True)
        outputs = inputs * self.tensor(mask) * (1.0 / (1.0 - p))  # what F.dropout computes, with its mask given
        outputs.backward(self.tensor(upstream))  # type: ignore[no-untyped-call]
        return {"y": self.plain(outputs), "dx": self.plain(inputs.grad, inputs)}

    # -- numeric gradients ---------------------------------------------------------------------

    def expression(self, names: List[str], leaves: List[torch.Tensor], nodes: List[Dict[str, Any]]) -> torch.Tensor:
        """The output node of the expression graph on the given leaf tensors (graph's torch ops)."""
        values = dict(zip(names, leaves))
        for node in nodes:
            op = node["op"]
            args = [values[a] if isinstance(a, str) else self.tensor(float(a)) for a in node["args"]]
            if op in UNARY_OPS:
                values[node["name"]] = UNARY_OPS[op](args[0])
            elif op in BINARY_OPS:
                values[node["name"]] = BINARY_OPS[op](args[0], args[1])
            elif op == "leaky_relu":
                values[node["name"]] = F.leaky_relu(args[0], negative_slope=node.get("attrs", {}).get("alpha", 0.01))
            else:
                raise Unsupported("torch backend: no graph op " + repr(op))
        output = values[nodes[-1]["name"]]
        if bool(torch.isnan(output)):
            raise ValueError("numeric_gradient: the graph's output is nan (no real value)")
        return output

    def numeric_gradient(self, inputs: List[List[Any]], nodes: List[Dict[str, Any]], eps: float) -> Dict[str, Any]:
        kinks = any(node["op"] not in SMOOTH_OPS for node in nodes)
        self.check_representable([float(value) for _, value in inputs] + [eps], kinks)
        names = [name for name, _ in inputs]
        leaves = [self.tensor(float(value), requires_grad=True) for _, value in inputs]
        grads = torch.autograd.grad(self.expression(names, leaves, nodes), leaves, allow_unused=True)
        analytic = torch.stack([torch.zeros_like(x) if g is None else g for g, x in zip(grads, leaves)])
        step = self.tensor(eps)
        one_sided, central = [], []
        with torch.no_grad():
            point = [x.detach() for x in leaves]
            at_x = self.expression(names, point, nodes)
            for i in range(len(point)):
                plus = self.expression(names, point[:i] + [point[i] + step] + point[i + 1:], nodes)
                minus = self.expression(names, point[:i] + [point[i] - step] + point[i + 1:], nodes)
                one_sided.append((plus - at_x) / step)
                central.append((plus - minus) / (2.0 * step))
            numeric = torch.stack(central)
            scale = torch.maximum(analytic.abs(), numeric.abs())
            relative = torch.where(scale == 0, torch.zeros_like(scale), (analytic - numeric).abs() / scale)
        return {"one_sided": self.plain(torch.stack(one_sided)), "central": self.plain(numeric),
                "analytic": self.plain(analytic), "relative_error": self.plain(relative)}


backend = TorchBackend
