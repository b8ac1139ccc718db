"""The windows: everything pygame draws, kept out of the ideas.

    display     open a window (or say why not) and save a frame as a PNG
    watch       the window that shows the network learning (mnist_train.py --watch)
    curves      learning curves, collected from training and drawn
    loop        the one event loop, asleep while nothing happens: run(window)
    view        what every view is: draw(surface, area), and press, hover, click, prepare, ready
    palette, fonts, help_overlay, pictures
                the colours by name, the fonts (and text shrunk to fit a width), the keys' help box,
                arrays of colours as surfaces and where a 28x28 image goes to stay crisp (digit_rect, crisp_side)

The draw window (mnist_draw.py):
    draw_window   the window: mouse and keys to the pad's verbs, one frame, the keys' help
    drawing_pad   the canvas, its strokes and undo, the network's reading, lessons, knock-outs
    brush         the round brush (paint_segment) and the strokes it leaves
    answer_panel  beside the canvas: what the network sees, its answer, ten bars
    inside_view   I: the hidden nodes, live
    why_view      W: the pixels for and against the answer
    steps_view    S: the steps from the drawing to the network
    demo_strokes  the digits --demo starts with

The MNIST browser (mnist_render.py):
    browser                 Browser: the set, the image, the view, and the status line's words;
                            it draws through the views below
    browser_keys            the keys' words (KEYS) and what each does: a table from key to verb
    browser_window          the browser on the display: open_window, run_window
    browsed_sets            the sets, loaded once, and the network's reading of each; Shown
    digit_view              the digit itself, and SPACE's label
    prediction_view         P: the network's ten outputs as bars, and the headline above them
    status_bar              the two lines under the picture, and "H: keys"
    imagined_digits_view    B: what the network imagines for each digit, beside each digit's average
    hidden_nodes_view       G: the hidden nodes' weights, this image's favourites framed
    confusion_matrix_view   M: the confusion matrix, and Selection, the images of one of its cells
"""

import os

# pygame greets on stdout when imported: not on a learner's terminal.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
