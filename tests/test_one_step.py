"""One training step in numbers (myonn.one_step) and T in the drawing window.

Every expected array is worked out here from the book's rules in float64, and checked
against the change `NeuralNetwork.train` itself makes to a copy of the weights.
"""

from __future__ import annotations

import copy

import numpy as np
import pygame
import pytest

from myonn.network import WEIGHTS
from myonn.one_step import LEARNING_RATE, one_step


def by_definition(network, inputs, digit, lr):
    """The step from the definitions, in float64: (hidden, outputs, output_errors, hidden_errors, steps)."""
    x = inputs.astype(np.float64)
    hidden = 1 / (1 + np.exp(-(network.wih.astype(np.float64) @ x + network.bh)))
    scores = network.who.astype(np.float64) @ hidden + network.bo
    outputs = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    targets = np.eye(10)[digit]
    output_errors = targets - outputs
    hidden_errors = (network.who.T.astype(np.float64) @ output_errors) * hidden * (1 - hidden)
    steps = {
        "who": lr * np.outer(output_errors, hidden),
        "bo": lr * output_errors,
        "wih": lr * np.outer(hidden_errors, x),
        "bh": lr * hidden_errors,
    }
    return hidden, outputs, output_errors, hidden_errors, steps


@pytest.fixture(scope="module")
def image(test_set):
    return test_set[0][0]  # a 7


@pytest.mark.parametrize("digit", [7, 1, 0, 9])
def test_the_step_shown_is_the_book_s_rules_in_float64(small_model, image, digit):
    step = one_step(small_model, image, digit)
    assert step.learning_rate == LEARNING_RATE
    hidden, outputs, output_errors, hidden_errors, steps = by_definition(small_model, step.inputs, digit, LEARNING_RATE)
    assert np.allclose(step.hidden_outputs, hidden, atol=1e-5)
    assert np.allclose(step.final_outputs, outputs, atol=1e-5)
    assert step.targets.tolist() == np.eye(10)[digit].tolist()
    assert np.allclose(step.output_errors, output_errors, atol=1e-5)
    assert np.allclose(step.hidden_errors, hidden_errors, atol=1e-6)
    for name in WEIGHTS:
        assert np.allclose(step.steps[name], steps[name], atol=1e-6), name


def test_the_step_shown_is_the_change_train_makes_to_the_weights(small_model, image):
    step = one_step(small_model, image, 3)
    trained = copy.deepcopy(small_model)
    for velocity in trained.velocities.values():
        velocity[:] = 0
    targets = np.zeros((1, 10), np.float32)
    targets[0, 3] = 1
    trained.train(small_model.prepare_inputs(image), targets, LEARNING_RATE, momentum=0.0)
    for name in WEIGHTS:
        change = getattr(trained, name) - getattr(small_model, name)
        assert np.allclose(change, step.steps[name], atol=1e-6), name


def test_the_answer_after_is_the_stepped_network_s_and_the_network_is_not_changed(small_model, image):
    before = {name: getattr(small_model, name).copy() for name in WEIGHTS}
    step = one_step(small_model, image, 2)
    for name in WEIGHTS:
        assert np.array_equal(getattr(small_model, name), before[name]), "one_step must not train the network"
    stepped = copy.deepcopy(small_model)
    for name in WEIGHTS:
        setattr(stepped, name, (before[name].astype(np.float64) + step.steps[name]).astype(np.float32))
    _, outputs, *_ = by_definition(stepped, step.inputs, 2, 0.0)
    assert np.allclose(step.after, outputs, atol=1e-5)
    assert step.after[2] > step.final_outputs[2]  # a step toward the label raises its probability


def test_the_nodes_moved_most_are_those_whose_weights_change_most(small_model, image):
    step = one_step(small_model, image, 5)
    sizes = [np.abs(row).sum() for row in step.steps["wih"]]
    assert list(step.moved_most()) == sorted(range(len(sizes)), key=lambda node: -sizes[node])[:4]  # four, as T shows


@pytest.mark.parametrize("digit", [-1, 10, 1.5])
def test_a_step_for_a_label_that_is_not_a_digit_is_refused(small_model, image, digit):
    with pytest.raises(ValueError, match="0 to 9"):
        one_step(small_model, image, digit)


def test_a_lesson_s_step_size_is_the_one_shown():
    from myonn import teaching

    assert LEARNING_RATE == teaching.LEARNING_RATE


# ---- T in the drawing window --------------------------------------------------------------


@pytest.fixture
def window(small_model):
    from myonn.windows.draw_window import WINDOW, DrawWindow
    from myonn.windows.drawing_pad import DrawingPad

    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode(WINDOW)

    class NoLessons:
        """A teacher that fails the test if asked for a lesson."""

        def teach(self, *args):
            pytest.fail("a digit key in the T view must not teach")

    pad = DrawingPad(small_model, live=False)
    pad.teacher = NoLessons()
    yield DrawWindow(pad), screen
    pygame.quit()


def key(window, screen, code):
    window.process([pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="")])
    window.draw(screen)


def test_t_shows_the_step_for_the_digit_key_pressed_and_teaches_nothing(window, small_model):
    from myonn.windows.demo_strokes import DEMO_ONE

    window, screen = window
    window.pad.trace(DEMO_ONE)
    window.pad.read()
    key(window, screen, pygame.K_t)
    assert window.view == "learn"
    view = window.views["learn"]
    assert int(view.step().targets.argmax()) == window.pad.answer  # before a key: the digit read
    key(window, screen, pygame.K_4)
    step = view.step()
    assert int(step.targets.argmax()) == 4
    expected = one_step(small_model, window.pad.seen, 4)
    assert np.array_equal(step.steps["who"], expected.steps["who"])
    key(window, screen, pygame.K_ESCAPE)
    assert window.view == "canvas" and window.running


def test_t_draws_each_output_error_as_a_bar_of_its_size_and_sign(window, small_model):
    from myonn.windows.demo_strokes import DEMO_ONE
    from myonn import inside

    window, screen = window
    window.pad.trace(DEMO_ONE)
    window.pad.read()
    key(window, screen, pygame.K_t)
    key(window, screen, pygame.K_1)
    step = window.views["learn"].step()
    pixels = pygame.surfarray.array3d(screen).transpose(1, 0, 2)
    # The bars: from x = middle, one row of 8 pixels per digit, 140 pixels for an error of 1.
    area = window.views["learn"].area
    left, top = area.left + 10, area.top + 34 + 130
    middle = left + 160
    for digit, error in enumerate(step.output_errors):
        y = top + 18 + digit * 8 + 3
        width = round(abs(float(error)) * 140)
        if width < 2:
            continue
        colour = inside.POSITIVE if error > 0 else inside.NEGATIVE
        inside_bar = middle + width // 2 if error > 0 else middle - width // 2 - 1
        assert tuple(pixels[y, inside_bar]) == colour, digit
        beyond = middle + width + 2 if error > 0 else middle - width - 3
        assert tuple(pixels[y, beyond]) != colour, digit


def test_the_pen_does_not_draw_under_t_which_covers_the_canvas(window):
    window, screen = window
    window.process([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_t, mod=0, unicode="t")])
    middle = window.canvas_rect.center
    window.process(
        [
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=middle, button=1),
            pygame.event.Event(pygame.MOUSEMOTION, pos=(middle[0] + 40, middle[1]), rel=(40, 0), buttons=(1, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(middle[0] + 40, middle[1]), button=1),
        ]
    )
    assert not window.pad.canvas.any() and window.pad.stroke is None


def test_t_draws_its_picture_once_a_step_and_again_for_a_new_label_or_after_a_lesson(window, monkeypatch):
    from myonn.windows.demo_strokes import DEMO_ONE

    window, screen = window
    window.pad.trace(DEMO_ONE)
    window.pad.read()
    view = window.views["learn"]
    painted = []
    real_paint = view.paint
    monkeypatch.setattr(view, "paint", lambda surface: painted.append(1) or real_paint(surface))
    key(window, screen, pygame.K_t)
    window.draw(screen)
    assert len(painted) == 1
    key(window, screen, pygame.K_3)
    assert len(painted) == 2
    window.forget_weights()  # as a lesson does
    window.draw(screen)
    assert len(painted) == 3


def test_one_step_takes_one_image_not_a_batch(small_model, test_set):
    with pytest.raises(ValueError, match=r"one image, shaped \(28, 28\), not \(2, 28, 28\)"):
        one_step(small_model, test_set[0][:2], 7)
    with pytest.raises(ValueError, match=r"not \(2, 784\)"):
        one_step(small_model, test_set[0][:2].reshape(2, 784), 7)
    flat = one_step(small_model, test_set[0][:1].reshape(1, 784), 7)  # one image as a row is one image
    assert np.array_equal(flat.steps["who"], one_step(small_model, test_set[0][0], 7).steps["who"])
