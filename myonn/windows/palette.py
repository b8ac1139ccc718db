"""The windows' colours, by name."""

BACKGROUND = (232, 232, 228)
PAPER = (255, 255, 255)
FRAME = (150, 150, 150)
TEXT = (30, 30, 30)
FAINT = (120, 120, 120)
WARNING = (190, 30, 30)
ANSWER_BAR = (40, 110, 200)
OTHER_BAR = (175, 175, 175)
# A hidden node lit by its output (from UNLIT at 0 to LIT at 1), or knocked out.
LIT, UNLIT, KNOCKED_OUT = (255, 200, 40), (70, 70, 80), (0, 0, 0)
# The browser's own (mnist_render.py).
BROWSER_FAINT = (110, 110, 110)
STATUS_BACKGROUND = (232, 232, 236)
LABEL_COLOUR = (25, 60, 150)
RIGHT, WRONG = (20, 135, 60), (200, 35, 35)
BAR, TRACK = (120, 140, 190), (236, 236, 242)
MESSAGE_COLOUR = (170, 70, 0)
MARK_TEXT = (20, 110, 50)
