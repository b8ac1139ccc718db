"""myonn.answer and the drawing's size in pen widths: what both windows say about an answer."""

import numpy as np

from myonn.answer import SURE, clear_answer, whole_percentages
from myonn.preprocess import FEWEST_PEN_WIDTHS, size_in_pen_widths, too_small


def test_a_digit_clearly_ahead_is_the_answer():
    probabilities = np.full(10, 0.1 / 9)
    probabilities[7] = 0.9
    assert clear_answer(probabilities) == 7


def test_no_digit_clearly_ahead_is_not_sure():
    # A horizontal line as the issue saw it read: "2, 47%".
    assert clear_answer([0.02, 0.01, 0.47, 0.43, 0.01, 0.02, 0.01, 0.01, 0.01, 0.01]) is None


def test_the_threshold_lies_between_a_coin_toss_and_confidence():
    assert 0.5 <= SURE < 0.9
    # A coin toss between two digits is never an answer, whichever comes first.
    tie = np.zeros(10)
    tie[2] = tie[8] = 0.5
    assert clear_answer(tie) is None and clear_answer(tie, [0, 0, 50, 0, 0, 0, 0, 0, 50, 0]) is None


def test_a_bar_ten_pen_widths_long_is_about_ten_pen_widths_across():
    canvas = np.zeros((448, 448), np.uint8)
    canvas[200:228, 50:330] = 255  # 28 high, 280 long
    assert 9 < size_in_pen_widths(canvas) < 11.5
    assert not too_small(canvas)


def test_a_blob_two_pen_widths_across_is_too_small():
    canvas = np.zeros((448, 448), np.uint8)
    ys, xs = np.mgrid[:448, :448]
    canvas[(ys - 200) ** 2 + (xs - 200) ** 2 <= 28**2] = 255  # a disc 56 across, drawn with nothing thinner
    assert size_in_pen_widths(canvas) < FEWEST_PEN_WIDTHS
    assert too_small(canvas)


def test_an_empty_canvas_is_not_too_small():
    assert not too_small(np.zeros((448, 448), np.uint8))


def test_a_digit_exactly_at_the_threshold_is_not_clearly_ahead_and_just_above_it_is():
    probabilities = np.zeros(10)
    probabilities[3], probabilities[5] = SURE, 1 - SURE  # a digit must hold more than SURE
    assert clear_answer(probabilities) is None
    probabilities[3], probabilities[5] = SURE + 0.001, 1 - SURE - 0.001
    assert clear_answer(probabilities) == 3


def test_with_the_figures_a_window_shows_the_rule_reads_those_figures():
    probabilities = np.zeros(10)
    probabilities[6], probabilities[1] = 0.5004, 0.4996  # above SURE itself, but shown as 50% and 50%
    assert clear_answer(probabilities) == 6
    assert clear_answer(probabilities, [0, 50, 0, 0, 0, 0, 50, 0, 0, 0]) is None
    assert clear_answer(probabilities, [0, 49.9, 0, 0, 0, 0, 50.1, 0, 0, 0]) == 6


def test_whole_percentages_give_the_missing_points_to_the_largest_remainders():
    # 59.96 + 40.04: floors 59 + 40 = 99, the missing point to .96, the larger remainder.
    assert whole_percentages([0.5996, 0.4004, 0, 0, 0, 0, 0, 0, 0, 0]) == [60, 40, 0, 0, 0, 0, 0, 0, 0, 0]
    # Three thirds: floors 33 each, the one missing point to the first of equal remainders.
    assert whole_percentages([1 / 3, 1 / 3, 1 / 3, 0, 0, 0, 0, 0, 0, 0]) == [34, 33, 33, 0, 0, 0, 0, 0, 0, 0]
