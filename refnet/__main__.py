"""python -m refnet: the source documents' worked examples, computed live (refnet/worked_examples.py)."""

from refnet import worked_examples as examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Tuple


def block(title: str, source: str, rows: "List[Tuple[str, str, float]]") -> "List[str]":
    """A titled table: one line per (quantity, what the document prints, refnet's value)."""
    lines = ["", title, f"  source: {source}", f"  {'quantity':<30} {'document':>10}   refnet"]
    for name, printed, value in rows:
        lines.append(f"  {name:<30} {printed:>10}   {value:.10g}")
    return lines


def report() -> "List[str]":
    """Every worked example as printable lines."""
    lines = ["refnet: the documents' worked examples, computed live"]

    f = examples.expression_002()
    lines += block("(x + y)·z at x = -2, y = 5, z = -4", "002_22dd3b33c61b9037.txt, computational graph",
         [("f", "-12", f["f"]), ("df/dx", "-4", f["df/dx"]), ("df/dy", "-4", f["df/dy"]),
          ("df/dz", "3", f["df/dz"])])

    n = examples.sigmoid_neuron_002()
    lines += block("A sigmoid neuron gate by gate: w = (2, -3, -3), x = (-1, -2)", "002_22dd3b33c61b9037.txt, sigmoid gate",
         [("net input w.x", "1", n["net_input"]), ("output 1/(1+exp(-w.x))", "0.73", n["output"]),
          ("gradient at 1/x gate input", "-0.53", n["gate 1/x input gradient"]),
          ("gradient at +1 gate input", "-0.53", n["gate +1 input gradient"]),
          ("gradient at exp gate input", "-0.20", n["gate exp input gradient"]),
          ("gradient at *-1 gate input", "0.20", n["gate *-1 input gradient"]),
          ("local gradient s(1-s)", "0.2", n["local gradient"]),
          ("dw0, dw1, dw2", "", n["dw0"]), ("", "", n["dw1"]), ("", "", n["dw2"]),
          ("dx0, dx1", "", n["dx0"]), ("", "", n["dx1"])])
    lines.append("  (the book's shortcut (1 - 0.73)(0.73) = 0.1971 rounds to its printed 0.2)")

    exact = examples.network_003()
    book = examples.network_003_book()
    rows: "List[Tuple[str, str, float]]" = []
    printed: "Dict[str, str]" = {"hD": ".90", "hE": ".17", "y": ".76", "y'": ".181", "deltaG": ".0434",
                                 "dwGD": ".391", "dwGE": ".074", "dwGF": ".434", "new wGE": "-5.126"}
    for key in ("hD", "hE", "y", "y'", "deltaG", "dwGD", "dwGE", "dwGF", "new wGE"):
        rows.append((f"{key} exact", printed[key], exact[key]))
        rows.append((f"{key} from rounded steps", "", book[key]))
    lines += block("The network of 003: inputs (1.0, 0.0), target 1.0, learning rate 10",
         "003_83fae8590fc0f361.txt, back-propagation example", rows)
    lines += [
        "  The printed digits come from rounded intermediates: hidden outputs .90 and .17 give",
        f"  y = sigmoid({book['output net input']:.3f}) = {book['y']:.4f}, printed .76, and y' = .181; then",
        "  (1 - .76) x .181 = .0434 and 10 x .0434 x .90 = .391. Unrounded, y = .7645 and",
        f"  deltaG = {exact['deltaG']:.5f}, dwGD = {exact['dwGD']:.4f}.",
        f"  Hidden deltas (exact): deltaD = {exact['deltaD']:.6f}, deltaE = {exact['deltaE']:.6f}",
    ]

    p = examples.softmax_001()
    lines += block("softmax([2.0, 1.0, 0.1])", "001_251e29975c1497b8.txt, softmax code",
         [("p0", "", p[0]), ("p1", "", p[1]), ("p2", "", p[2])])

    m = examples.micrograd_readme()
    lines += block("micrograd's README expression, through refnet.compat.micrograd", "micrograd 0.1.0 README",
         [("g", "24.7041", m["g"]), ("dg/da", "138.8338", m["dg/da"]), ("dg/db", "645.5773", m["dg/db"])])
    return lines


def main() -> None:
    print("\n".join(report()))


if __name__ == "__main__":
    main()
