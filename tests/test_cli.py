"""myonn.plumbing.cli: the option types' limits, and a learner's mistake as one line and exit status 2."""

import argparse

import pytest

from myonn.plumbing.cli import non_negative_int, positive_float, positive_int, run, whole_number_up_to
from myonn.plumbing.errors import MyonnError


@pytest.mark.parametrize(
    "check, text, value",
    [
        (positive_int, "1", 1),
        (positive_int, "60000", 60000),
        (non_negative_int, "0", 0),
        (whole_number_up_to(100), "1", 1),
        (whole_number_up_to(100), "100", 100),
        (positive_float, "0.3", 0.3),
        (positive_float, "1e-9", 1e-9),
    ],
)
def test_the_limits_of_an_option_are_allowed(check, text, value):
    assert check(text) == value


@pytest.mark.parametrize(
    "check, text",
    [
        (positive_int, "0"),
        (positive_int, "-3"),
        (positive_int, "1.5"),
        (positive_int, "ten"),
        (non_negative_int, "-1"),
        (whole_number_up_to(100), "0"),
        (whole_number_up_to(100), "101"),
        (positive_float, "0"),
        (positive_float, "-0.1"),
        (positive_float, "nan"),
        (positive_float, "inf"),
        (positive_float, "x"),
    ],
)
def test_a_value_beyond_an_option_s_limits_is_refused_saying_why(check, text):
    with pytest.raises(argparse.ArgumentTypeError) as refusal:
        check(text)
    assert text in str(refusal.value)


def test_a_learner_s_mistake_is_one_line_and_exit_status_2(capsys):
    def mistaken():
        raise MyonnError("data/x.npz: no such model file")

    with pytest.raises(SystemExit) as exit_info:
        run(mistaken, "mnist_draw.py")

    assert exit_info.value.code == 2
    assert capsys.readouterr().err == "mnist_draw.py: error: data/x.npz: no such model file\n"


def test_ctrl_c_is_a_short_line_and_exit_status_130(capsys):
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(SystemExit) as exit_info:
        run(interrupted, "mnist_train.py")

    assert exit_info.value.code == 130
    assert capsys.readouterr().err.strip() == "mnist_train.py: interrupted"


@pytest.mark.parametrize("status, code", [(None, 0), (0, 0), (3, 3)])
def test_the_script_s_own_status_is_its_exit_status(status, code):
    with pytest.raises(SystemExit) as exit_info:
        run(lambda: status, "mnist_train.py")
    assert (exit_info.value.code or 0) == code
