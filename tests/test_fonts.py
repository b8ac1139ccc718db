"""The windows' one font cache: fonts stay usable when pygame quits and starts again."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402

from myonn.windows import curves  # noqa: E402
from myonn.windows.fonts import Fonts  # noqa: E402


def test_a_font_cached_before_pygame_quit_is_made_again_after_it():
    # A pygame Font kept past pygame.quit() crashes the process (a segmentation fault)
    # when it renders, even after pygame.init(): the training's watch window, opened
    # after another window had quit pygame, did exactly that.
    fonts = Fonts()
    pygame.init()
    before, before_curves = fonts[30], curves.font(30)
    assert fonts[30] is before and curves.font(30) is before_curves  # made once while pygame runs
    pygame.quit()
    pygame.init()
    try:
        after, after_curves = fonts[30], curves.font(30)
        assert after is not before and after_curves is not before_curves
        assert after.render("7", True, (0, 0, 0)).get_height() > 0
        assert after_curves.render("7", True, (0, 0, 0)).get_height() > 0
    finally:
        pygame.quit()


def test_a_font_asked_for_before_pygame_starts_starts_its_font_module():
    pygame.quit()
    assert not pygame.font.get_init()
    Fonts()[22].render("3", True, (255, 255, 255))
    assert pygame.font.get_init()
    pygame.quit()


def test_fitted_text_narrower_than_the_width_keeps_its_size_and_wider_text_shrinks_to_fit():
    fonts = Fonts()
    pygame.init()
    try:
        full = pygame.font.Font(None, 40).render("myonn", True, (0, 0, 0))  # a second font, made here
        same = fonts.fitted("myonn", (0, 0, 0), 40, full.get_width() + 10)
        assert same.get_size() == full.get_size()
        half = full.get_width() // 2
        shrunk = fonts.fitted("myonn", (0, 0, 0), 40, half)
        assert shrunk.get_width() <= half and shrunk.get_height() < full.get_height()
    finally:
        pygame.quit()


def test_fitted_text_never_runs_past_its_width_and_is_the_largest_size_that_fits():
    """pygame's widths do not shrink in proportion to the size: one guess can leave a line a few pixels
    too wide (W's subtitle ran 2 pixels past its panel). Checked against every size, one by one."""
    fonts = Fonts()
    pygame.init()
    try:
        line = "over the 28x28 image the network gets"
        for width in range(120, 300, 7):
            fitted = fonts.fitted(line, (0, 0, 0), 22, width)
            assert fitted.get_width() <= width
            fitting = [s for s in range(8, 23) if pygame.font.Font(None, s).size(line)[0] <= width]
            assert fitted.get_size() == pygame.font.Font(None, max(fitting)).size(line)
    finally:
        pygame.quit()
