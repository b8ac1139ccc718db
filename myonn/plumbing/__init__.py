"""The plumbing: what keeps the programs safe and friendly, and out of a learner's way.

errors      the one-line errors a learner sees instead of a traceback
cli         the scripts' shared command line: checked option values, clean exits
paths       where the project keeps its data and networks
files       write a file whole or not at all
saving      save a trained network without spoiling a better one the learner keeps
installed   whether the packages a script needs are there, before it starts
cores       how many cores the matrix products get: those other programs leave free
commands    myonn-train, myonn-render, myonn-draw and python -m myonn: the three scripts as commands
"""
