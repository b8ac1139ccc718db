"""The conventions a Python learner expects: `python -m myonn train|render|draw` and the
`myonn-train`, `myonn-render`, `myonn-draw` commands, run from any folder, are the scripts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, one_message, unwrapped

COMMANDS = Path(sys.executable).parent  # where pip put the commands: beside this Python


def run(command, cwd):
    """Run `command` in the folder `cwd`, in an 80-column terminal; return the finished process."""
    env = dict(os.environ, COLUMNS="80")  # what an 80-column terminal tells argparse
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120, env=env)


@pytest.fixture(scope="module")
def script_help(tmp_path_factory):
    """Each script's own --help, run once from a folder outside the project: {"train": process, ...}."""
    folder = tmp_path_factory.mktemp("elsewhere")
    return {name: run([sys.executable, str(ROOT / f"mnist_{name}.py"), "--help"], folder) for name in PROGRAMS}


PROGRAMS = ["train", "render", "draw"]


@pytest.mark.parametrize("name", PROGRAMS)
def test_python_m_myonn_gives_the_script_s_own_help(tmp_path, name, script_help):
    # The same text, program name too: the messages name the scripts, as the README does.
    script = script_help[name]
    module = run([sys.executable, "-m", "myonn", name, "--help"], tmp_path)
    assert script.returncode == module.returncode == 0
    assert module.stdout == script.stdout and f"usage: mnist_{name}.py" in module.stdout


@pytest.mark.parametrize("name", PROGRAMS)
def test_the_installed_commands_give_the_script_s_own_help(tmp_path, name, script_help):
    command = COMMANDS / f"myonn-{name}"
    assert command.exists(), f"{command} is missing: pip install -e . makes it"
    result = run([str(command), "--help"], tmp_path)
    assert result.returncode == 0 and result.stdout == script_help[name].stdout


def test_a_mistake_in_a_command_is_the_script_s_one_line_error(tmp_path):
    result = run([str(COMMANDS / "myonn-train"), "--learning-rate", "-1"], tmp_path)
    assert result.returncode == 2
    assert one_message(result.stderr), result.stderr
    assert unwrapped(result.stderr).strip() == (
        "mnist_train.py: error: argument --learning-rate: must be a number above 0, got -1 (see --help)"
    )


def test_python_m_myonn_help_lists_the_three_programs(tmp_path):
    result = run([sys.executable, "-m", "myonn", "--help"], tmp_path)
    assert result.returncode == 0
    assert all(f"  {name} " in result.stdout for name in ("train", "render", "draw"))


@pytest.mark.parametrize("arguments", [[], ["bogus"], ["--epochs", "2"]])
def test_no_or_a_wrong_program_is_a_one_line_error(tmp_path, arguments):
    result = run([sys.executable, "-m", "myonn", *arguments], tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert one_message(result.stderr) and result.stderr.startswith("python -m myonn: error: "), result.stderr


def test_the_commands_load_no_numpy_before_the_script_sets_its_threads(tmp_path):
    # The scripts set the BLAS threads before NumPy loads (myonn.plumbing.installed.one_blas_thread).
    result = run([sys.executable, "-c", "import sys, myonn.plumbing.commands; print('numpy' in sys.modules)"], tmp_path)
    assert result.stdout == "False\n", result.stderr


@pytest.mark.parametrize("name", PROGRAMS)
def test_every_line_of_help_fits_an_80_column_terminal(name, script_help):
    result = script_help[name]
    assert result.returncode == 0
    too_long = [line for line in result.stdout.splitlines() if len(line) >= 80]
    assert not too_long
    assert "--view VIEW" in result.stdout or name != "render"


@pytest.mark.parametrize("name", ["train", "render", "draw"])
def test_each_command_runs_its_own_script_with_the_options_it_was_given(monkeypatch, capsys, name):
    """`myonn-draw --help` is `./mnist_draw.py --help`: called here in this process, as pip's command calls it."""
    from myonn.plumbing import commands

    monkeypatch.setattr(sys, "argv", [f"myonn-{name}", "--help"])
    with pytest.raises(SystemExit) as exited:
        getattr(commands, name)()
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: mnist_{name}.py ")


def test_python_m_myonn_help_gives_its_usage_what_program_takes_and_a_line_for_each(capsys):
    from myonn.plumbing import commands

    with pytest.raises(SystemExit) as exited:
        commands.main(["--help"])
    lines = capsys.readouterr().out.splitlines()
    assert exited.value.code == 0
    assert lines[0] == "usage: python -m myonn {train,render,draw} [options]"
    assert any(line.split() == ["PROGRAM", "train,", "render", "or", "draw"] for line in lines), lines
    # One line each, as the module's docstring lays them out, not run together into a paragraph.
    for name in ("train", "render", "draw"):
        assert sum(line.startswith(f"  {name} ") for line in lines) == 1, lines


def test_python_m_myonn_hands_the_script_only_the_options_after_the_program(monkeypatch, capsys):
    """`python -m myonn train OPTIONS` is `./mnist_train.py OPTIONS`: the word "train" is not one of its options."""
    from myonn.plumbing import commands

    argv = ["train", "--one-at-a-time", "--extra", "somewhere"]
    monkeypatch.setattr(sys, "argv", ["python -m myonn", *argv])  # as Python sets it for `python -m myonn ...`
    with pytest.raises(SystemExit) as exited:
        commands.main(argv)
    assert exited.value.code == 2
    # The script's own check of these options speaks, not argparse about a stray "train".
    assert "argument --one-at-a-time: not with --extra" in unwrapped(capsys.readouterr().err)
