#!/usr/bin/env python3
"""How many drawn digits the network reads right through myonn.preprocess.to_mnist: real ones, and made ones.

The real drawings: the 2,314 digits people wrote with a pen in ../shared/drawn_dev
(see benchmarks/drawn_dev.py), read through `to_mnist` as the drawing window reads
them, by source (who collected them, on what device), by digit, by pen width for the
digit's size, with the most frequent mistakes. Its last line is the figure:
`real drawings read right: 97.58% (2314 drawings by 239 writers)`.

Then made ones, for scale: MNIST test digits redrawn the way a person draws in
./mnist_draw.py (round brush strokes of one width on a 448x448 canvas, at random
sizes, places and brush widths: see myonn/drawings.py), each read through `to_mnist`
and, for comparison, through three other preparations, and the same digits as
MNIST's own images:

* shrink: the whole canvas shrunk to 28x28 by area averaging, nothing else;
* crop and centre: the canvas cropped to its ink, padded to a square with the ink
  in its middle, shrunk to 28x28 by area averaging and stretched to full contrast:
  `to_mnist` without its two MNIST steps, the fit into a 20x20 box inside the
  28x28 image and the placing by the centre of mass;
* fit, box centred: the same crop fitted into the 20x20 box, the box centred in
  the 28x28 image (`to_mnist` as first written, less the centre of mass).

Made drawings are the project's own, and `to_mnist` was tuned on them once: the real
ones are the figure to trust. --failures saves a PNG of the worst made-drawing
failures for a person to look at.

    python benchmarks/drawn_digits.py
    python benchmarks/drawn_digits.py --model data/my_nn.npz --count 2000 --failures failures.png
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # drawn_dev, beside it, also when imported by the tests

from drawn_dev import DRAWN_DEV, load  # noqa: E402
from myonn import NeuralNetwork, mnist  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.plumbing.cli import ArgumentParser, non_negative_int, positive_int, run
from drawings import drawn_digits
from myonn.plumbing.errors import MyonnError
from myonn.preprocess import BOX, SIZE, area_resize_matrix, ink_square, to_mnist

PROGRAM = "drawn_digits.py"
CANVAS = 448  # the drawing window's canvas, in pixels a side
CHUNK = 250  # drawings made and read at a time: 250 canvases are 50 MB
THUMBNAIL = 112  # pixels a side of each picture in the failures PNG

# Bands for the breakdowns: (lower edges..., upper end).
PEN_BANDS = [2, 6, 12, 20, 30, 41]
HEIGHT_BANDS = [0.25, 0.4, 0.55, 0.7, 0.91]  # fractions of the canvas side
SHARE_BANDS = [0.0, 0.03, 0.06, 0.09, 0.12, 0.19]  # brush width over height


def area_shrink(canvases: np.ndarray, size: int) -> np.ndarray:
    """Square canvases (n, side, side) shrunk to (n, size, size) by area averaging, as float32.

    Two large matrix products over the whole batch rather than two small ones per
    canvas: each row, then each column, averaged down.
    """
    n, side, _ = canvases.shape
    resize = area_resize_matrix(side, size).astype(np.float32)
    rows_done = canvases.astype(np.float32).reshape(n * side, side) @ resize.T  # (n * side, size)
    columns_done = rows_done.reshape(n, side, size).transpose(0, 2, 1).reshape(n * size, side) @ resize.T
    return columns_done.reshape(n, size, size).transpose(0, 2, 1)


def shrink(canvases: np.ndarray) -> np.ndarray:
    """The first naive preparation: each whole canvas shrunk to 28x28 by area averaging. uint8 (n, 28, 28)."""
    return np.rint(area_shrink(canvases, SIZE)).astype(np.uint8)


def crop_and_centre(canvas: np.ndarray, box: int = SIZE) -> np.ndarray:
    """The ink's box, padded to a square, shrunk into `box` pixels a side by area averaging,
    stretched to full contrast and centred in a 28x28 image: uint8 (28, 28).

    With box = 28 (the naive preparation) the drawing fills the image; with box = 20
    it is the fit into MNIST's 20x20 box, centred by the box, not the centre of mass.
    """
    square = ink_square(canvas)
    out = np.zeros((SIZE, SIZE), np.uint8)
    if square is None:
        return out
    resize = area_resize_matrix(len(square), box).astype(np.float32)
    image = resize @ square @ resize.T
    start = (SIZE - box) // 2
    out[start : start + box, start : start + box] = np.rint(image * (255.0 / image.max()))
    return out


def thumbnails(canvases: np.ndarray) -> np.ndarray:
    """Canvases shrunk to THUMBNAIL pixels a side by area averaging, for the failures PNG."""
    return np.rint(area_shrink(canvases, THUMBNAIL)).astype(np.uint8)


class Results:
    """What was measured on each drawing, gathered chunk by chunk."""

    def __init__(self):
        self.columns: dict[str, list[np.ndarray]] = {}
        self.failures: list[tuple] = []  # (p(true digit), thumbnail, to_mnist image, digit, guess, p(guess))

    def add(self, **values: np.ndarray) -> None:
        """Append one chunk's values, one array per name."""
        for name, value in values.items():
            self.columns.setdefault(name, []).append(np.asarray(value))

    def __getitem__(self, name: str) -> np.ndarray:
        return np.concatenate(self.columns[name])


def measure(network: NeuralNetwork, images: np.ndarray, labels: np.ndarray, seed: int) -> Results:
    """Draw every image, read each drawing three ways and each image undrawn; keep the failures of `to_mnist`."""
    from tqdm import tqdm

    rng = np.random.default_rng(seed)
    results = Results()
    bar = tqdm(total=len(images), unit="drawing", leave=False, file=sys.stderr, disable=not sys.stderr.isatty())
    with bar:
        for start in range(0, len(images), CHUNK):
            digits, chunk = labels[start : start + CHUNK], images[start : start + CHUNK]
            drawings = drawn_digits(chunk, rng, canvas_size=CANVAS)
            prepared = np.stack([to_mnist(canvas) for canvas in drawings.canvases])
            probabilities = network.predict_proba(prepared)
            guesses = probabilities.argmax(axis=1)
            results.add(
                label=digits,
                drawable=drawings.drawable,
                height=drawings.heights,
                pen=drawings.pen_widths,
                to_mnist=guesses == digits,
                crop_and_centre=network.predict(np.stack([crop_and_centre(c) for c in drawings.canvases])) == digits,
                box_centre=network.predict(np.stack([crop_and_centre(c, BOX) for c in drawings.canvases])) == digits,
                shrink=network.predict(shrink(drawings.canvases)) == digits,
                undrawn=network.predict(chunk) == digits,
                guess=guesses,
            )
            wrong = np.flatnonzero((guesses != digits) & drawings.drawable)
            if wrong.size:
                pictures = thumbnails(drawings.canvases[wrong])
                for k, i in enumerate(wrong):
                    p_true, p_guess = probabilities[i, digits[i]], probabilities[i, guesses[i]]
                    results.failures.append((p_true, pictures[k], prepared[i], digits[i], guesses[i], p_guess))
            bar.update(len(chunk))
    return results


def percent(right: np.ndarray) -> str:
    """The share of true values as a percentage, or a dash for none."""
    return f"{right.mean():7.2%}" if right.size else "      -"


def print_bands(title: str, values: np.ndarray, edges: list[float], right: np.ndarray, shares: bool = False) -> None:
    """One line per band [edge, next edge): its range (as percentages if `shares`), how many drawings, how many read right."""
    print(f"\n{title}")
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (values >= low) & (values < high)
        label = f"{low:.0%}-{high:.0%}" if shares else f"{low:g}-{high:g}"
        print(f"  {label:>9}  {inside.sum():6d} drawings  {percent(right[inside])}")


def save_failures(failures: list[tuple], path: Path, count: int) -> int:
    """Write a PNG grid of the `count` worst failures (least probability on the right digit first); return how many."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    worst = sorted(failures, key=lambda failure: failure[0])[:count]
    if not worst:
        return 0
    columns = min(4, len(worst))
    rows = -(-len(worst) // columns)
    gap, caption = 6, 20
    cell_w, cell_h = 2 * THUMBNAIL + gap, THUMBNAIL + caption
    picture = np.full((rows * (cell_h + gap) + gap, columns * (cell_w + 3 * gap) + gap), 90, np.uint8)
    for n, (_, thumb, prepared, digit, guess, p_guess) in enumerate(worst):
        r, c = divmod(n, columns)
        y, x = gap + r * (cell_h + gap), gap + c * (cell_w + 3 * gap)
        picture[y : y + THUMBNAIL, x : x + THUMBNAIL] = thumb
        enlarged = np.kron(prepared, np.ones((THUMBNAIL // SIZE, THUMBNAIL // SIZE), np.uint8))
        picture[y : y + THUMBNAIL, x + THUMBNAIL + gap : x + 2 * THUMBNAIL + gap] = enlarged
    surface = pygame.surfarray.make_surface(np.repeat(picture.T[:, :, None], 3, axis=2))
    pygame.font.init()
    font = pygame.font.Font(None, 20)
    for n, (_, _, _, digit, guess, p_guess) in enumerate(worst):
        r, c = divmod(n, columns)
        y, x = gap + r * (cell_h + gap), gap + c * (cell_w + 3 * gap)
        text = font.render(f"{digit} read as {guess} ({p_guess:.0%})", True, (255, 220, 120))
        surface.blit(text, (x, y + THUMBNAIL + 3))
    try:
        pygame.image.save(surface, str(path))
    except pygame.error as error:
        raise MyonnError(f"{path}: cannot save the picture ({error})") from None
    return len(worst)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line; a bad value exits with a one-line error and status 2."""
    parser = ArgumentParser(
        prog=PROGRAM,
        description="Measure how many mouse-drawn digits (MNIST test digits redrawn with a round brush on a "
        "448x448 canvas) the network reads right through myonn.preprocess.to_mnist.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--model", type=Path, default=paths.SHIPPED_MODEL, help="the trained network to measure")
    parser.add_argument("--drawn-dev", type=Path, default=DRAWN_DEV, help="the folder of real drawings")
    parser.add_argument(
        "--count", type=positive_int, default=5000, help="how many MNIST test digits to draw (at most 10000)"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=paths.DATA_DIR, help="where the MNIST files are (downloaded if missing)"
    )
    parser.add_argument(
        "--seed",
        type=non_negative_int,
        default=0,
        help="random seed: which digits, and how each is drawn; the same seed gives the same drawings",
    )
    parser.add_argument(
        "--failures",
        type=Path,
        default=None,
        metavar="PNG",
        help="save a picture of the worst failures here: each drawing, what to_mnist made of it, "
        "the digit and the guess",
    )
    parser.add_argument(
        "--failures-count", type=positive_int, default=40, metavar="N", help="how many failures the picture shows"
    )
    args = parser.parse_args(argv)
    if args.count > mnist.SPLITS["test"][2]:
        parser.error(f"argument --count: MNIST has {mnist.SPLITS['test'][2]} test digits; ask for at most that many")
    if args.failures is not None:
        if args.failures.suffix.lower() != ".png":
            parser.error(f"argument --failures: {args.failures} should be a .png file")
        if not args.failures.absolute().parent.is_dir():
            parser.error(f"argument --failures: no folder {args.failures.absolute().parent}")
    return args


def real_drawings(network: NeuralNetwork, folder: Path) -> str:
    """Read the real drawings in `folder`, print the breakdowns; return the figure's line."""
    drawings = load(folder)
    if drawings is None:
        return f"real drawings: none measured (no {folder}/drawn_dev.npz)"
    guesses = network.predict(drawings.prepared())
    right = guesses == drawings.labels
    print(f"\nreal drawings: {len(right)} digits written with a pen by {len(set(drawings.writers))} people ({folder})")
    print("read right, by source")
    for source in sorted(set(drawings.sources)):
        inside = drawings.sources == source
        print(f"  {source:12}  {inside.sum():4d} drawings  {percent(right[inside])}")
    print("read right, by digit")
    print("  " + "  ".join(f"{d}: {percent(right[drawings.labels == d]).strip()}" for d in range(10)))
    share = drawings.pen_radius * 2 / drawings.heights()
    print_bands("read right, by pen width / height", share, [0.0, 0.03, 0.05, 0.07, 0.1, 1.0], right, shares=True)
    mistakes = Counter(zip(drawings.labels[~right].tolist(), guesses[~right].tolist())).most_common(8)
    print("most frequent mistakes: " + ", ".join(f"{d} read as {g} ({n})" for (d, g), n in mistakes))
    return (
        f"real drawings read right: {right.mean():.2%} ({right.size} drawings by {len(set(drawings.writers))} writers)"
    )


def main(argv: list[str] | None = None) -> int:
    """Draw, read, and print the accuracies; the last line is the figure (the real drawings')."""
    args = parse_args(argv)
    network = NeuralNetwork.load(args.model)
    images, labels = mnist.load("test", args.data_dir)
    # Which digits: a fixed random sample of the test set, so the figure does not favour its first digits.
    chosen = np.random.default_rng(args.seed).permutation(len(images))[: args.count]
    results = measure(network, images[chosen], labels[chosen], args.seed)

    keep = results["drawable"]
    right = results["to_mnist"][keep]
    print(
        f"{paths.shown(args.model)}: {args.count} MNIST test digits drawn on {CANVAS}x{CANVAS} canvases (seed {args.seed})"
    )
    print(
        f"{keep.sum()} drawings measured; {(~keep).sum()} digits written with a filled loop set aside "
        "(a pen of one width cannot redraw them)"
    )
    print("\nread right, by how the drawing reaches the network")
    print(f"  to_mnist: crop, fit into 20x20, centre of mass at the centre  {percent(right)}")
    print(f"  crop, fit into 20x20, centre the box (no centre of mass)      {percent(results['box_centre'][keep])}")
    print(
        f"  crop and centre only (the ink fills the 28x28 image)          {percent(results['crop_and_centre'][keep])}"
    )
    print(f"  shrink the whole canvas to 28x28                              {percent(results['shrink'][keep])}")
    print(f"  the same digits undrawn (MNIST's own images)                  {percent(results['undrawn'][keep])}")

    heights, pens = results["height"][keep], results["pen"][keep]
    print_bands("to_mnist by brush width (pixels)", pens, PEN_BANDS, right)
    print_bands("to_mnist by height (share of the canvas side)", heights / CANVAS, HEIGHT_BANDS, right, shares=True)
    print_bands("to_mnist by brush width / height", pens / heights, SHARE_BANDS, right, shares=True)

    digits, guesses = results["label"][keep], results["guess"][keep]
    print("\nto_mnist by digit")
    print("  " + "  ".join(f"{d}: {percent(right[digits == d]).strip()}" for d in range(10)))
    mistakes = Counter(zip(digits[~right].tolist(), guesses[~right].tolist())).most_common(6)
    if mistakes:
        print("most frequent mistakes: " + ", ".join(f"{d} read as {g} ({n})" for (d, g), n in mistakes))
    set_aside = results["to_mnist"][~keep]
    if set_aside.size:
        print(
            f"the set-aside digits, drawn: {percent(set_aside).strip()} read right ({set_aside.size}); "
            f"all {args.count} together: {percent(results['to_mnist']).strip()}"
        )
    if args.failures is not None:
        shown = save_failures(results.failures, args.failures, args.failures_count)
        print(f"the {shown} worst failures are pictured in {args.failures}")

    print(f"\nmade drawings read right: {right.mean():.2%} ({right.size} drawings)")
    print(real_drawings(network, args.drawn_dev))
    return 0


if __name__ == "__main__":
    run(main, PROGRAM)
