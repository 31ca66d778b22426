"""The `corrupt-mnist` command, called in-process with Typer's CliRunner.

Every test runs from an empty temporary folder, so none of them sees your real data/ or models/.
"""

from pathlib import Path

import pytest
from conftest import write_fake_mnist
from typer.testing import CliRunner

from corrupt_mnist.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run each test from a fresh folder; the config is still found, next to the package."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_train_help_exits_0() -> None:
    result = runner.invoke(app, ["train", "--help"])
    assert result.exit_code == 0
    assert "Hydra overrides" in result.output


def test_evaluate_without_a_model_exits_1() -> None:
    result = runner.invoke(app, ["evaluate"])
    assert result.exit_code == 1
    assert "run `corrupt-mnist train` first" in result.stderr


# [failure-paths]
def test_a_mistyped_override_exits_2() -> None:
    result = runner.invoke(app, ["train", "training.lrr=0.1"])
    assert result.exit_code == 2
    assert "training.lrr" in result.stderr


def test_training_without_data_says_what_to_run() -> None:
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 1
    assert "run `corrupt-mnist preprocess` first" in result.stderr


# [failure-paths-end]


def test_help_lists_every_step() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("download", "preprocess", "train", "evaluate"):
        assert command in result.output


def test_a_size_below_1_is_refused_while_parsing() -> None:
    # There is no data/raw here: had the command started, it would exit 1 for that instead.
    result = runner.invoke(app, ["preprocess", "--train-size", "0"])
    assert result.exit_code == 2
    assert "--train-size" in result.stderr


def test_the_raw_folder_comes_from_the_environment(empty_folder: Path) -> None:
    write_fake_mnist(empty_folder / "elsewhere")
    result = runner.invoke(app, ["preprocess"], env={"CORRUPT_MNIST_RAW_DIR": "elsewhere"})
    assert result.exit_code == 0, result.output
    assert (empty_folder / "data" / "processed" / "train_images.pt").is_file()


def test_an_explicit_raw_dir_wins_over_the_environment(empty_folder: Path) -> None:
    write_fake_mnist(empty_folder / "elsewhere")
    result = runner.invoke(
        app, ["preprocess", "--raw-dir", "missing"], env={"CORRUPT_MNIST_RAW_DIR": "elsewhere"}
    )
    assert result.exit_code == 1
    assert "missing does not exist" in result.stderr


def test_verbose_prints_the_composed_config() -> None:
    result = runner.invoke(app, ["--verbose", "train", "training.lr=0.5"])
    assert "lr: 0.5" in result.stderr
    quiet = runner.invoke(app, ["train", "training.lr=0.5"])
    assert "lr: 0.5" not in quiet.stderr


def test_verbose_after_the_command_is_refused() -> None:
    result = runner.invoke(app, ["train", "-v"])
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_the_data_commands_are_also_a_group() -> None:
    result = runner.invoke(app, ["data", "--help"])
    assert result.exit_code == 0
    assert "download" in result.output and "preprocess" in result.output
    refused = runner.invoke(app, ["data", "preprocess", "--test-size", "0"])
    assert refused.exit_code == 2


# [device-tests]
def test_train_help_lists_the_three_devices() -> None:
    result = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "<cpu|cuda|mps>" in result.output


def test_a_device_outside_the_enum_is_refused_while_parsing() -> None:
    # No data/processed here: had the command started, it would exit 1 for that instead.
    result = runner.invoke(app, ["train", "--device", "tpu"])
    assert result.exit_code == 2
    assert "Invalid value for '--device'" in result.stderr and "'tpu'" in result.stderr


# [device-tests-end]


def test_an_asked_for_device_is_used_not_picked(
    processed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_picking() -> None:
        raise AssertionError("--device was given, yet train picked a device itself")

    monkeypatch.setattr("corrupt_mnist.train.pick_device", no_picking)
    overrides = [f"paths.processed={processed_dir}", "training.epochs=1"]
    result = runner.invoke(app, ["train", "--device", "cpu", *overrides])
    assert result.exit_code == 0, result.output
    assert "(trained on cpu)" in result.output
