"""The digits `./mnist_draw.py --demo` starts with, as strokes in canvas pixels (x, y), for screenshots."""

# A "2" drawn as one stroke, in canvas pixels: --demo starts with it (the README's screenshot).
DEMO_STROKE = [
    (140, 165),
    (155, 125),
    (185, 100),
    (225, 90),
    (265, 96),
    (295, 120),
    (305, 155),
    (295, 195),
    (265, 235),
    (225, 275),
    (185, 315),
    (150, 350),
    (140, 362),
    (190, 360),
    (245, 358),
    (300, 357),
    (325, 357),
]

# A European "1", a long up-stroke then the down-stroke, that the shipped network reads
# as a 7: --demo teach starts with it and teaches it (the README's correction screenshot).
DEMO_ONE = [(120, 130), (170, 110), (220, 90), (270, 70), (265, 150), (260, 230), (255, 310), (250, 390)]
