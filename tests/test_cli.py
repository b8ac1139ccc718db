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


# ---- messages that fit an 80-column terminal --------------------------------------------------


def test_a_long_message_wraps_at_79_columns_indenting_what_follows():
    from myonn.plumbing.cli import fit

    # 70 + 1 + 5 = 76 characters fit on the first line; 6 more would make 82.
    assert fit("x" * 70 + " yyyyy zzzzz") == "x" * 70 + " yyyyy\n  zzzzz"
    assert fit("short") == "short"
    # A word longer than a line (a path) is never broken.
    path = "/" + "p" * 99
    assert fit(f"error: {path} is missing") == f"error:\n  {path}\n  is missing"
    # A word that fits only if indented less is indented less (a mirror's address and a colon: 78).
    address = "https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz:"
    assert fit(f"  failed: {address} timed out") == f"  failed:\n {address}\n    timed out"
    # A message that starts indented keeps its indent, and indents what follows two more.
    # 10 + 66 = 76 columns; " more" would make 81.
    assert fit("  failed: " + "w" * 66 + " more") == "  failed: " + "w" * 66 + "\n    more"


def test_a_command_in_a_message_gets_lines_of_its_own_broken_only_after_and_and():
    from myonn.plumbing.cli import fit

    assert fit("do this first:\n. .venv/bin/activate") == "do this first:\n    . .venv/bin/activate"
    p, q, r = "p" * 30, "q" * 30, "r" * 30
    # 4 + 30 + 4 + 30 = 68 columns for two parts; the third would make 102.
    assert fit(f"then:\n{p} && {q} && {r}") == f"then:\n    {p} && {q} &&\n      {r}"


def test_from_the_root_folder_a_path_is_shown_in_full(monkeypatch, tmp_path):
    from myonn.plumbing import paths

    monkeypatch.chdir(tmp_path)
    assert paths.shown(tmp_path / "shot.png") == "shot.png"  # below where the learner stands: relative
    monkeypatch.chdir("/")
    assert paths.shown(tmp_path / "shot.png") == str(tmp_path / "shot.png")  # not "tmp/..."


def test_the_progress_bar_stays_off_a_stream_that_is_not_a_terminal(capsys):
    from myonn.training_run import EpochProgress

    progress = EpochProgress(1000, 1)
    progress.batch_done(500)  # capsys's stderr is not a terminal: a file would fill with redraws
    progress.close()
    assert capsys.readouterr().err == ""


def test_ladder_takes_its_options_abbreviated_as_argparse_allows_any_option():
    # argparse reads --lim as --limit and --data as --data-dir; refusing them beside --ladder
    # would refuse what every other run of the script accepts.
    import mnist_train

    args = mnist_train.parse_args(["--ladder", "--lim", "30", "--data", "somewhere"])

    assert args.ladder and args.limit == 30 and str(args.data_dir) == "somewhere"
