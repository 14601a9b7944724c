"""Where each worked example's numbers come from: the document, the section, and its words.

A Source quotes a few lines of the document verbatim (in its own language, German decimal
commas and all) and glosses them in English where the document is not in English. The quotes
ship with the package, so a checkout or a wheel without the documents still shows where a
number comes from; tests/test_tour_cli.py checks each quoted line against the document itself
where the documents are at hand (the folder ../shared/seeds/ beside the repository).

    source(name)     the Source of a worked example (names as in refnet/worked_examples.py)
"""

from refnet._checks import as_int, as_list, as_text
from refnet.errors import InputError
from refnet.worked_examples import canonical

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List


MINIMUM_WIDTH = 3  # the gloss is indented by two columns: at least one is left for its words


class Source:
    """A document's words behind a worked example.

    document   the file name (002_22dd3b33c61b9037.txt) or, for a text that is not one of
               the documents, what it is (micrograd's README.md)
    language   the document's language
    section    the slide or section the excerpt is from
    excerpt    lines quoted verbatim, in the document's order (each one occurs in the document)
    gloss      what the lines say, in English, and what the document leaves out
    """

    __slots__ = ("document", "language", "section", "excerpt", "gloss")

    def __init__(self, document: str, language: str, section: str, excerpt: "List[str]", gloss: str) -> None:
        self.document = as_text(document, "Source(document)")
        self.language = as_text(language, "Source(language)")
        self.section = as_text(section, "Source(section)")
        self.excerpt = [as_text(line, f"Source(excerpt)[{index}]")
                        for index, line in enumerate(as_list(excerpt, "Source(excerpt)", InputError, "lines"))]
        self.gloss = as_text(gloss, "Source(gloss)")

    def lines(self, width: int = 96) -> "List[str]":
        """The source as printable lines: where, the quoted lines, the gloss (wrapped at `width`)."""
        columns = as_int(width, "Source.lines(width)", minimum=MINIMUM_WIDTH)
        lines = [f"{self.document} ({self.language}), {self.section}:"]
        lines += ["  | " + line for line in self.excerpt]
        lines += ["  " + line for line in wrapped(self.gloss, columns - 2)]
        return lines


def wrapped(text: str, width: int) -> "List[str]":
    """`text` in lines of at most `width` characters, broken at spaces (a longer word stands alone)."""
    words = as_text(text, "sources.wrapped(text)").split(" ")
    columns = as_int(width, "sources.wrapped(width)", minimum=1)
    lines: "List[str]" = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > columns:
            lines.append(line)
            line = word
        else:
            line = line + " " + word if line else word
    return lines + [line] if line else lines


DOC001 = "001_251e29975c1497b8.txt"
DOC002 = "002_22dd3b33c61b9037.txt"
DOC003 = "003_83fae8590fc0f361.txt"
MICROGRAD_README = "micrograd's README.md (github.com/karpathy/micrograd)"

SOURCES = [
    ("doc002-expression", Source(DOC002, "German", 'slide "Backpropagation Beispiel"', [
        "$$\\text{Beispiel: } x = -2, y = 5, z = -4$$",
        "$$f = qz; \\quad \\frac{\\partial f}{\\partial q} = z; \\quad \\frac{\\partial f}{\\partial z} = q$$",
        "$$q = x + y; \\quad \\frac{\\partial q}{\\partial x} = 1; \\quad \\frac{\\partial q}{\\partial y} = 1$$",
    ], "Example: x = -2, y = 5, z = -4; f = qz with df/dq = z, df/dz = q; q = x + y with dq/dx = dq/dy = 1. "
       "The figure with f = -12 and the gradients -4, -4, 3 is lost in the text; these lines give them.")),
    ("doc002-sigmoid-neuron", Source(DOC002, "German", 'slide "Backpropagation eines Neurons mit einer '
                                     'Sigmoid-Aktivierungsfunktion"', [
        "$$f(w, x) = \\frac{1}{1 + e^{-(w_0x_0 + w_1x_1 + w_2x_2)}}$$",
        "$$-1 \\cdot (-0,19)$$",
        "$$e^{-1}(-0,53)$$",
        "$$(1)(-0,53)$$",
        "$$\\left(\\frac{-1}{1,37^2}\\right)(1,0)$$",
        "$$(1 - 0.73)(0.73) = 0.2$$",
    ], "The gradient at each gate's input, output first: 1/x gives (-1/1.37²)(1.0) = -0.53, +1 passes "
       "(1)(-0.53) = -0.53, exp gives e^-1(-0.53) = -0.20, ·(-1) gives -1·(-0.19) = 0.20 (decimal commas; "
       "the slide multiplies -0.19 where the gate above printed -0.20). Last line: the sigmoid's shortcut.")),
    ("doc002-second-neuron", Source(DOC002, "German", "the two slides after the sigmoid gate", [
        "ADD-Gate: Gradient weiterleiten",
        "MULT-Gate: Gradient Switcher",
        "$w_0 = -1; w_1 = 2; w_2 = -2; w_3 = 4$",
        "$x_0 = 2; x_1 = 4; x_2 = 3$",
    ], "The add gate passes the gradient on, the mul gate swaps it between its inputs; the second "
       "neuron's weights and inputs. The document prints no result for it: refnet's numbers are computed.")),
    ("doc003-network", Source(DOC003, "English", 'slide 15, "Our Example"', [
        "• Computed output: y = .76",
        "• Correct output: t = 1.0",
        "– δG = (t − y) y’ = (1 − .76) 0.181 = .0434",
        "– ∆wGD = µ δG hD = 10 × .0434 × .90 = .391",
        "– ∆wGE = µ δG hE = 10 × .0434 × .17 = .074",
        "– ∆wGF = µ δG hF = 10 × .0434 × 1 = .434",
    ], "The weights are read off the slide's figure (D: 3.7, 3.7, -1.5; E: 2.9, 2.9, -4.5; G: 4.5, "
       "-5.2, -2.0); slide 16 writes the new weight -5.126 over -5.2.")),
    ("doc001-softmax", Source(DOC001, "Russian", 'slide "Softmax"', [
        "Формула:",
        "Код (numpy):",
        "logits = [2.0, 1.0, 0.1]",
        "exps = [np.exp(i) for i in logits]",
        "sum_of_exps = sum(exps)",
        "softmax = [j/sum_of_exps for j in exps]",
    ], "\"Formula:\" (the softmax formula), then \"Code (numpy):\". The document prints no result: "
       "refnet's numbers are computed.")),
    ("micrograd-readme", Source(MICROGRAD_README, "English", 'section "Example usage"', [
        "print(f'{g.data:.4f}') # prints 24.7041, the outcome of this forward pass",
        "print(f'{a.grad:.4f}') # prints 138.8338, i.e. the numerical value of dg/da",
        "print(f'{b.grad:.4f}') # prints 645.5773, i.e. the numerical value of dg/db",
    ], "micrograd 0.1.0 (Karpathy, MIT licence); not one of the five documents.")),
]


def source(name: str) -> Source:
    """The Source of the worked example `name` (an alias such as "expression" is accepted)."""
    wanted = canonical(name, "sources.source(name)")
    return [found for known, found in SOURCES if known == wanted][0]
