"""A script started by a Python that lacks a package says which, and how to get it, before any work.

Each test runs the real script with this Python started without its site-packages
(`-S`) and a folder of links to all of them except the ones a new terminal lacks.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT, one_message, unwrapped


def python_without(folder: Path, *hidden: str) -> list[str]:
    """A command running this Python with every installed package except `hidden` (import names)."""
    site = Path(sysconfig.get_paths()["purelib"])
    folder.mkdir()
    for entry in site.iterdir():
        if not any(
            entry.name == name or entry.name.startswith(f"{name}-") or entry.name.startswith(f"{name}.")
            for name in hidden
        ):
            (folder / entry.name).symlink_to(entry)
    return [sys.executable, "-S"]


def run_without(tmp_path, hidden, script, *args):
    command = python_without(tmp_path / "site", *hidden)
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return subprocess.run(
        [*command, str(ROOT / script), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=elsewhere,
        timeout=60,
    ), elsewhere


@pytest.mark.parametrize(
    "script, hidden",
    [
        ("mnist_draw.py", "pygame"),
        ("mnist_render.py", "pygame"),
        ("mnist_train.py", "tqdm"),
        ("mnist_train.py", "numpy"),
        ("mnist_render.py", "numpy"),
    ],
)
def test_a_missing_package_is_one_line_naming_it_before_any_work(tmp_path, script, hidden):
    result, elsewhere = run_without(tmp_path, [hidden], script, "--data-dir", "new_data")
    assert result.returncode == 2
    assert one_message(result.stderr), result.stderr
    message = unwrapped(result.stderr).strip()
    assert message.startswith(f"{script}: error: {hidden} is not installed for {sys.executable}; ")
    # The command to type stands whole on a line of its own.
    command = result.stderr.strip().splitlines()[-1].strip()
    assert command.startswith(("pip install -e ", ". ", "python3 -m venv ", "cd ")), result.stderr
    assert result.stdout == ""
    assert list(elsewhere.iterdir()) == []  # no data folder made, nothing downloaded


def test_the_scripts_run_with_every_package_there(tmp_path):
    result, _ = run_without(tmp_path, [], "mnist_train.py", "--help")
    assert result.returncode == 0 and "--output" in result.stdout


@pytest.mark.parametrize("script", ["mnist_train.py", "mnist_render.py", "mnist_draw.py"])
def test_a_script_away_from_its_package_says_so_in_one_line(tmp_path, script):
    moved = tmp_path / script
    shutil.copy2(ROOT / script, moved)
    # Every package but none installed by `pip install -e .` (its link to the project is a .pth file, which -S skips).
    command = python_without(tmp_path / "site")
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    result = subprocess.run(
        [*command, str(moved)], capture_output=True, text=True, cwd=tmp_path, env=environment, timeout=60
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"{script}: error: cannot find the myonn package beside this script;",
        "  run the copy in the project's folder",
    ]


def test_importing_the_package_needs_no_numpy(tmp_path):
    command = python_without(tmp_path / "site", "numpy")
    environment = {**os.environ, "PYTHONPATH": f"{tmp_path / 'site'}{os.pathsep}{ROOT}"}
    result = subprocess.run(
        [
            *command,
            "-c",
            "import myonn, myonn.plumbing.installed, myonn.plumbing.paths, myonn.plumbing.cli; print('ok')",
        ],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.stdout == "ok\n", result.stderr


# ---- one_blas_thread ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "variable", ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"]
)
def test_every_blas_starts_on_one_thread_when_the_learner_set_none(monkeypatch, variable):
    from myonn.plumbing.installed import BLAS_THREADS, one_blas_thread

    for name in BLAS_THREADS:
        monkeypatch.delenv(name, raising=False)
    assert one_blas_thread() is False
    assert os.environ[variable] == "1"


@pytest.mark.parametrize(
    "variable", ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"]
)
def test_a_thread_count_the_learner_set_is_kept_and_reported(monkeypatch, variable):
    from myonn.plumbing.installed import BLAS_THREADS, one_blas_thread

    for name in BLAS_THREADS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "3")
    assert one_blas_thread() is True
    assert os.environ[variable] == "3"


# ---- how_to_install, for each kind of Python the learner may have run ------------------------


@pytest.fixture
def project_folder(tmp_path, monkeypatch):
    """The project's folder as `how_to_install` sees it: a fresh one, with no .venv yet, not the Python running."""
    from myonn.plumbing import installed, paths

    folder = tmp_path / "myonn-clone"
    folder.mkdir()
    monkeypatch.setattr(paths, "PROJECT", folder)
    monkeypatch.setattr(installed.sys, "prefix", "/usr")
    monkeypatch.setattr(installed.sys, "base_prefix", "/usr")
    return folder


def test_in_a_virtual_environment_without_the_project_it_says_to_install_it(project_folder, monkeypatch):
    from myonn.plumbing import installed

    monkeypatch.setattr(installed.sys, "prefix", "/home/learner/other-venv")
    assert installed.how_to_install(windows=False) == f"install the project into it:\npip install -e {project_folder}"


def test_with_the_project_s_venv_not_active_it_says_how_to_activate_it(project_folder):
    from myonn.plumbing import installed

    venv = project_folder / ".venv"
    venv.mkdir()
    first = "activate the project's virtual environment first:\n"
    assert installed.how_to_install(windows=False) == f"{first}. {venv / 'bin' / 'activate'}"
    assert installed.how_to_install(windows=True) == f"{first}{venv / 'Scripts' / 'activate'}"


def test_with_nothing_set_up_it_gives_the_readme_s_commands_from_the_project_s_folder(project_folder, monkeypatch):
    from myonn.plumbing import installed

    elsewhere = project_folder.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the learner is elsewhere: go to the project first (by its whole path)
    assert installed.how_to_install(windows=False) == (
        'set the project up first (README, "Set up"):\n'
        f"cd {project_folder} && python3 -m venv .venv && . .venv/bin/activate && pip install -e ."
    )
    monkeypatch.chdir(project_folder)  # already there: no cd
    assert installed.how_to_install(windows=False).endswith(
        "\npython3 -m venv .venv && . .venv/bin/activate && pip install -e ."
    )


def test_on_windows_with_nothing_set_up_it_gives_the_readme_s_windows_commands(project_folder, monkeypatch):
    from myonn.plumbing import installed

    monkeypatch.chdir(project_folder.parent)  # just above it: the project by its name
    assert installed.how_to_install(windows=True) == (
        'set the project up first (README, "Set up"):\n'
        "cd myonn-clone, then py -m venv .venv, then .venv\\Scripts\\activate, then pip install -e ."
    )


def test_a_python_too_old_is_one_line_and_exit_2_before_any_package_is_looked_for(monkeypatch, capsys):
    from myonn.plumbing import installed

    monkeypatch.setattr(installed.sys, "version_info", (3, 8, 10))
    monkeypatch.setattr(installed.sys, "version", "3.8.10 (default)")
    monkeypatch.setattr(installed, "missing_packages", lambda *names: pytest.fail("no package looked for"))
    with pytest.raises(SystemExit) as stopped:
        installed.require_packages("mnist_train.py", "numpy")
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert one_message(error)
    assert unwrapped(error).startswith("mnist_train.py: error: needs Python 3.9 or newer, not 3.8.10; ")


def test_missing_packages_are_named_with_the_python_that_lacks_them(monkeypatch, capsys):
    from myonn.plumbing import installed

    monkeypatch.setattr(installed, "missing_packages", lambda *names: ["pygame", "tqdm"])
    with pytest.raises(SystemExit) as stopped:
        installed.require_packages("mnist_draw.py", "numpy", "pygame", "tqdm")
    assert stopped.value.code == 2
    error = unwrapped(capsys.readouterr().err)
    assert f"mnist_draw.py: error: pygame and tqdm are not installed for {sys.executable}; " in error


def test_one_missing_package_is_said_in_the_singular(monkeypatch, capsys):
    from myonn.plumbing import installed

    monkeypatch.setattr(installed, "missing_packages", lambda *names: ["tqdm"])
    with pytest.raises(SystemExit):
        installed.require_packages("mnist_train.py", "numpy", "tqdm")
    assert f"tqdm is not installed for {sys.executable}; " in unwrapped(capsys.readouterr().err)


def test_nothing_missing_goes_on_without_a_word(capsys):
    from myonn.plumbing import installed

    installed.require_packages("mnist_train.py", "numpy", "json")
    assert capsys.readouterr() == ("", "")


def test_missing_packages_finds_what_this_python_lacks_without_importing_it():
    from myonn.plumbing.installed import missing_packages

    assert missing_packages("json", "no_such_package_xyz", "numpy") == ["no_such_package_xyz"]


def test_by_default_the_advice_is_for_the_system_this_is(project_folder, monkeypatch):
    from myonn.plumbing import installed

    (project_folder / ".venv").mkdir()
    assert installed.how_to_install() == installed.how_to_install(windows=os.name == "nt")
    assert ("Scripts" in installed.how_to_install()) == (os.name == "nt")


def test_on_windows_by_default_the_advice_is_windows(project_folder, monkeypatch):
    import types

    from myonn.plumbing import installed

    (project_folder / ".venv").mkdir()
    monkeypatch.setattr(installed, "os", types.SimpleNamespace(name="nt"))  # this module's view of the system only
    assert installed.how_to_install().endswith(str(project_folder / ".venv" / "Scripts" / "activate"))
