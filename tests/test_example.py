"""The companion project works when followed, and each check fails when its link is broken.

Run alone with ``nox -s example``; ``nox -s tests`` runs it too. CPU only and offline: the
data is a tiny fake MNIST, the tools come from the test environment.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import importlib.util
import json
import os
import py_compile
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import tomllib
import types
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import flask
import google.cloud
import pytest
import yaml
from hydra import compose, initialize_config_dir
from hydra.errors import HydraException
from hydra.utils import instantiate
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from tests.conftest import example_groups
from tests.example_project import (
    DEPRECATED_LANGUAGE,
    EARLIER_STAGE,
    EXAMPLE,
    ROOT,
    TOOLS,
    Project,
    actionlint,
    build_config_problems,
    copy_example,
    copy_sources,
    docker_command_images,
    dockerfile_problems,
    dockerignored,
    dvc_repro,
    earlier_stage,
    hadolint,
    install,
    invoke_tasks,
    is_precommit_config,
    is_workflow,
    on_the_venv_of,
    own_latest_images,
    page_dockerfile_blocks,
    page_yaml_blocks,
    pipeline,
    precommit_validate,
    ruff,
    run_steps,
    table_image_names,
    train_once,
    unpinned_docker_commands,
    unpinned_images,
    write_fake_raw_data,
)

pytestmark = pytest.mark.example

PAGES = ROOT / "docs" / "sessions"
# Each step's result of a run of several commands in one process (run_steps), by name.
Runs = dict[str, subprocess.CompletedProcess[str]]
CORRUPT_MNIST = ("module", "corrupt_mnist")  # `python -m corrupt_mnist`: the launcher's command


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One installed copy of the example, shared by the tests that only read it."""
    return install(copy_example(tmp_path_factory.mktemp("example") / "corrupt-mnist"))


@pytest.fixture(scope="module")
def trained(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The shared copy after data -> train -> evaluate, for the checks that need weights.

    The chain runs once per test run (in whichever worker gets there first), not once per worker.
    """
    run_folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's folder is in the run's folder
        run_folder = run_folder.parent
    accuracy = train_once(project, run_folder / "trained-example")
    assert 0.0 <= accuracy <= 1.0
    return project


def test_pipeline_runs_through_the_entry_points(trained: Project) -> None:
    assert (trained.path / "models" / "model.pt").is_file()
    assert (trained.path / "reports" / "metrics.json").is_file()


@pytest.fixture(scope="module")
def own_tests(trained: Project) -> subprocess.CompletedProcess[str]:
    """The project's pytest suite, run once, where the data step has run.

    `-rA` lists each test with its outcome, which the checks of single test files read.
    """
    return trained.run(
        trained.bin / "python", "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider"
    )


def passed_in(run: subprocess.CompletedProcess[str], *files: str) -> int:
    """How many tests of these files a `pytest -rA` run lists as passed."""
    return sum(len(re.findall(rf"^PASSED {re.escape(f)}::", run.stdout, re.M)) for f in files)


def test_the_projects_own_tests_pass(own_tests: subprocess.CompletedProcess[str]) -> None:
    """Its pytest suite: config overrides, training, the API's /health and /predict."""
    result = own_tests
    assert result.returncode == 0, result.stdout + result.stderr
    passed = re.search(r"\b(\d+) passed\b", result.stdout)
    assert passed and int(passed[1]) >= 40, result.stdout  # all ran, the deployment ones too


def test_hydra_overrides_compose(project: Project) -> None:
    code = (
        "from corrupt_mnist.config import load_config; "
        "cfg = load_config(['training.lr=0.01', 'model=wide']); "
        "print(cfg.training.lr, cfg.model._target_, cfg.model.channels)"
    )
    result = project.run(project.bin / "python", "-c", code)
    assert result.stdout.split() == ["0.01", "corrupt_mnist.model.MnistCNN", "64"], result.stderr


def test_a_mistyped_override_is_one_line_not_a_traceback(project: Project) -> None:
    result = project.run("corrupt-mnist", "train", "training.lrr=0.1")
    assert result.returncode == 2
    assert "training.lrr" in result.stderr
    assert "Traceback" not in result.stderr


def test_training_before_the_data_step_says_what_to_run(project: Project, tmp_path: Path) -> None:
    fresh = on_the_venv_of(project, copy_example(tmp_path / "p"))  # no data/processed here
    result = fresh.run("corrupt-mnist", "train")
    assert result.returncode == 1
    assert "run `corrupt-mnist preprocess` first" in result.stderr


def test_dvc_repro_with_a_local_remote(tmp_path: Path) -> None:
    """The pipeline runs and is stored; then it fails when dvc.yaml gives the data step arguments.

    The breaking half reuses the set-up repository: dvc runs the changed stage again, as it
    would in a fresh one, without a second install, git init, dvc init, remote add and dvc add.
    """
    project = install(copy_example(tmp_path / "p"))
    outputs = dvc_repro(project, tmp_path / "remote")
    assert (project.path / "reports" / "metrics.json").is_file()
    assert any((tmp_path / "remote").rglob("*")), "dvc push stored nothing in the remote"
    assert "up to date" in outputs[-1].lower()
    edit(project.path / "dvc.yaml", "--raw-dir data/raw", "data/raw data/processed")
    broken = project.run("dvc", "repro")
    assert broken.returncode != 0, broken.stdout
    assert "data/raw data/processed" in broken.stdout + broken.stderr  # that stage ran and failed


def test_the_example_passes_its_own_ruff_rules(tmp_path: Path) -> None:
    """Docstrings included: the pages show model.py as the solution of a docstring exercise."""
    path = copy_example(tmp_path / "p")
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        result = ruff(path, *command)
        assert result.returncode == 0, result.stdout
    model = path / "src/corrupt_mnist/model.py"
    edit(model, '"""The convolutional network that classifies corrupted MNIST digits."""\n', "")
    edit(
        model,
        '        """Build the layers; `channels` is the width of the first convolution."""\n',
        "",
    )
    output = ruff(path, "check", "--no-cache").stdout
    assert "D100" in output and "D107" in output


def test_every_dockerfile_passes_hadolint() -> None:
    dockerfiles = sorted((EXAMPLE / "dockerfiles").glob("*.dockerfile"))
    assert len(dockerfiles) == 3
    for dockerfile in dockerfiles:
        result = hadolint(dockerfile)
        assert result.returncode == 0, f"{dockerfile}:\n{result.stdout}"


def test_no_dockerfile_builds_on_a_floating_image() -> None:
    files = sorted((EXAMPLE / "dockerfiles").glob("*.dockerfile"))
    texts = [(str(f.relative_to(ROOT)), f.read_text()) for f in files]
    texts += page_dockerfile_blocks(PAGES)
    assert len(texts) >= 5
    assert [(where, unpinned_images(text)) for where, text in texts if unpinned_images(text)] == []


def test_no_page_runs_a_third_party_image_without_a_tag() -> None:
    assert unpinned_docker_commands(PAGES, table_image_names()) == []


def test_floating_images_in_commands_are_found(tmp_path: Path) -> None:
    commands = (
        "docker run --rm -p 9090:9090 --add-host=host.docker.internal:host-gateway \\\n"
        '    -v "$(pwd)/monitoring:/etc/prometheus" prom/prometheus\n'
        "docker pull python:3.12-slim\n"
        "docker run --rm --entrypoint promtool prom/prometheus:latest check rules x.yml\n"
        "docker run hello-world && docker run --rm -it corrupt-mnist-api\n"
    )
    assert docker_command_images(commands) == [
        "prom/prometheus",
        "python:3.12-slim",
        "prom/prometheus:latest",
        "hello-world",
        "corrupt-mnist-api",
    ]
    (tmp_path / "page.md").write_text(f"Text\n\n```bash\n{commands}```\n")
    found = unpinned_docker_commands(tmp_path, ["corrupt-mnist-api"])
    assert [f.split(" ", 1)[1] for f in found] == ["prom/prometheus", "prom/prometheus:latest"]


def test_floating_images_are_found() -> None:
    dockerfile = (
        "FROM python AS build\n"
        "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\n"
        "FROM --platform=linux/amd64 ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
        "COPY --from=build /app /app\n"
        "COPY --chown=app --from=localhost:5000/tools /t /t\n"
        "FROM scratch\n"
    )
    assert unpinned_images(dockerfile) == [
        "python",
        "ghcr.io/astral-sh/uv:latest",
        "localhost:5000/tools",
    ]


def test_cloud_build_and_compose_name_real_dockerfiles_and_table_images() -> None:
    assert build_config_problems(EXAMPLE) == []


def test_build_config_check_finds_a_missing_dockerfile_and_an_off_table_image(
    tmp_path: Path,
) -> None:
    (tmp_path / "dockerfiles").mkdir()
    (tmp_path / "dockerfiles/api.dockerfile").write_text("FROM python:3.12-slim\n")
    (tmp_path / "cloudbuild_api.yaml").write_text(
        "steps:\n"
        "  - name: gcr.io/cloud-builders/docker\n"
        "    args: [build, -f, dockerfiles/web.dockerfile, -t, r/mlops-images/flower-api:v1, .]\n"
        "  - args: [push, r/mlops-images/corrupt-mnist-api:v1]\n"
    )
    (tmp_path / "compose.yaml").write_text(
        "services:\n  api:\n    build: {dockerfile: dockerfiles/api.dockerfile}\n"
        "    image: corrupt-mnist-api:latest\n"
        "  web:\n    build: {dockerfile: dockerfiles/web.dockerfile}\n"
        "  train:\n    image: corrupt-mnist-train:0.1.0\n"
    )
    (tmp_path / "vertex_config.yaml").write_text(
        "workerPoolSpecs:\n  containerSpec:\n    imageUri: r/mlops-images/corrupt-mnist-train\n"
    )
    assert build_config_problems(tmp_path) == [
        "cloudbuild_api.yaml: step 1: no dockerfiles/web.dockerfile",
        "cloudbuild_api.yaml: step 1: image flower-api is not in the table",
        "cloudbuild_api.yaml: step 2 has no builder image (name)",
        "compose.yaml: service api: corrupt-mnist-api:latest has no fixed tag",
        "compose.yaml: service web: no dockerfiles/web.dockerfile",
        "vertex_config.yaml: r/mlops-images/corrupt-mnist-train has no fixed tag",
    ]
    (tmp_path / "cloudbuild_api.yaml").write_text(
        "steps:\n  - name: gcr.io/cloud-builders/docker\n"
        "    args: [build, -t, r/mlops-images/corrupt-mnist-api:latest, .]\n"
        "images: [r/mlops-images/corrupt-mnist-api:$SHORT_SHA, r/mlops-images/corrupt-mnist-api]\n"
    )
    assert build_config_problems(tmp_path)[:2] == [
        "cloudbuild_api.yaml: step 1: corrupt-mnist-api has no fixed tag",
        "cloudbuild_api.yaml: images: r/mlops-images/corrupt-mnist-api has no fixed tag",
    ]


def test_no_page_pushes_a_student_image_as_latest(tmp_path: Path) -> None:
    assert own_latest_images(PAGES, table_image_names()) == []
    (tmp_path / "page.md").write_text(
        "```bash\ndocker push r/mlops-images/corrupt-mnist-api:latest\n"
        "docker run corrupt-mnist-api:latest\n```\n\n"
        "```yaml\nimage: r/mlops-images/corrupt-mnist-train:latest\nimage: r/x/y:latest\n```\n"
    )
    assert [f.split(":", 1)[1] for f in own_latest_images(tmp_path, table_image_names())] == [
        "1 corrupt-mnist-api",
        "6 corrupt-mnist-train",
    ]


def test_every_copy_source_exists_and_is_not_dockerignored() -> None:
    assert dockerfile_problems(EXAMPLE) == []


def test_every_workflow_passes_actionlint(tmp_path: Path) -> None:
    files = sorted((EXAMPLE / ".github" / "workflows").glob("*.yaml"))
    for where, block in page_yaml_blocks(PAGES):
        if is_workflow(block):
            page_copy = tmp_path / f"{len(files)}-{Path(where.split(':')[0]).stem}.yaml"
            page_copy.write_text(block)
            files.append(page_copy)
    assert len(files) >= 6
    result = actionlint(files)
    assert result.returncode == 0, result.stdout


def test_every_precommit_config_validates(tmp_path: Path) -> None:
    files = [EXAMPLE / ".pre-commit-config.yaml"]
    for n, (_, block) in enumerate(page_yaml_blocks(PAGES)):
        if is_precommit_config(block):
            files.append(tmp_path / f"page-{n}.yaml")
            files[-1].write_text(block)
    result = precommit_validate(files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [f for f in files if DEPRECATED_LANGUAGE.search(f.read_text())] == []


TASKS = ("preprocess", "train", "evaluate", "pipeline", "pull-data", "test", "lint", "docker-build")


def test_the_tasks_are_listed_and_run_offline(project: Project) -> None:
    """The cli module's tasks.py: every task listed with its docstring, one run for real."""
    listing = invoke_tasks(project)
    for name in TASKS:
        assert re.search(rf"^ +{name} +\S", listing, re.M), f"{name} has no help:\n{listing}"


# Each check fails when its link is broken ------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1))


# Each breakage, and whether it breaks the installation (then the copy is installed again;
# otherwise it runs its broken code on the shared copy's venv, see `on_the_venv_of`).
BREAKAGES: dict[str, tuple[Callable[[Path], None], bool]] = {
    "data file renamed between steps": (
        lambda p: edit(p / "src/corrupt_mnist/data.py", '"train_targets.pt"', '"train_labels.pt"'),
        False,
    ),
    "config beside the script": (
        lambda p: edit(p / "src/corrupt_mnist/config.py", '"../../configs"', '"configs"'),
        False,
    ),
    "entry point at a function that returns a value": (
        lambda p: edit(
            p / "pyproject.toml", "corrupt_mnist.cli:app", "corrupt_mnist.evaluate:evaluate"
        ),
        True,
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_the_chain_fails_when_a_link_breaks(
    breakage: str, project: Project, tmp_path: Path
) -> None:
    break_it, installation_broken = BREAKAGES[breakage]
    path = copy_example(tmp_path / "p")
    break_it(path)
    broken = install(path) if installation_broken else on_the_venv_of(project, path)
    with pytest.raises(AssertionError):
        pipeline(broken)


def test_a_task_that_calls_a_missing_command_fails(project: Project, tmp_path: Path) -> None:
    path = copy_example(tmp_path / "p")
    edit(path / "tasks.py", "corrupt-mnist preprocess", "corrupt-mnist prepare")
    with pytest.raises(AssertionError, match="invoke preprocess failed"):
        invoke_tasks(on_the_venv_of(project, path))


def test_copy_check_catches_an_excluded_or_missing_source(tmp_path: Path) -> None:
    path = copy_example(tmp_path / "p")
    (path / ".dockerignore").write_text((path / ".dockerignore").read_text() + "configs/\n")
    edit(
        path / "dockerfiles/api.dockerfile",
        "COPY src/ src/",
        "COPY src/ src/\nCOPY models/ models/",
    )
    assert dockerfile_problems(path) == [
        "dockerfiles/api.dockerfile: COPY configs: excluded by .dockerignore",
        "dockerfiles/api.dockerfile: COPY models: no such file in the project",
        "dockerfiles/train.dockerfile: COPY configs: excluded by .dockerignore",
    ]


@pytest.mark.parametrize(
    ("rules", "path", "excluded"),
    [
        (["data/"], "data/processed/x.pt", True),
        (["models/"], "src/models", False),
        (["**/__pycache__/"], "src/pkg/__pycache__", True),
        (["*.md", "!README.md"], "README.md", False),
        (["*.md", "!README.md"], "NOTES.md", True),
        (["/configs"], "configs/model/cnn.yaml", True),
    ],
)
def test_dockerignore_rules(rules: list[str], path: str, excluded: bool) -> None:
    assert dockerignored(rules, path) is excluded


def test_copy_sources_skips_the_destination_and_flags() -> None:
    text = (
        "COPY --chown=app pyproject.toml uv.lock ./\nCOPY --from=build /app /app\nADD src/ src/\n"
    )
    assert copy_sources(text) == ["pyproject.toml", "uv.lock", "src"]


def test_linters_reject_broken_files(tmp_path: Path) -> None:
    bad_dockerfile = tmp_path / "bad.dockerfile"
    bad_dockerfile.write_text("FROM python\nRUN cd /app && pip install torch\n")
    assert hadolint(bad_dockerfile).returncode != 0  # untagged image, cd, unpinned pip

    workflow = (EXAMPLE / ".github/workflows/tests.yaml").read_text()
    bad_workflow = tmp_path / "bad.yaml"
    bad_workflow.write_text(
        workflow.replace("runs-on: ${{ matrix.os }}", "runs-on: ${{ matrix.oss }}")
    )
    assert actionlint([bad_workflow]).returncode != 0

    bad_hooks = tmp_path / "bad-hooks.yaml"
    bad_hooks.write_text("repos:\n  - repo: local\n    hooks:\n      - id: x\n")
    assert precommit_validate([bad_hooks]).returncode != 0
    assert DEPRECATED_LANGUAGE.search("        language: system\n")


# The scripts the exercise pages ask for: debugging (M12), CML (M19), data loading (M29) ------

DEBUGGING = PAGES / "s4_debugging_and_logging" / "debugging.md"
DATA_LOADING = PAGES / "s9_scalable_applications" / "data_loading.md"

# The four bugs of the debugging module's pull request, each as (fixed text, buggy text) edits
# of the example's sandbox/friday_pr.py, with the one regression test that must catch it.
FRIDAY_BUGS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "validation labels from the unshuffled data": (
        "test_split_keeps_labels_with_their_images",
        [("(images[val_idx], targets[val_idx])", "(images[val_idx], targets[:n_val])")],
    ),
    "accuracy divided by the number of batches": (
        "test_a_perfect_model_scores_one",
        [
            ("    correct = 0\n", "    correct, batches = 0, 0\n"),
            (
                ".sum().item()\n    return correct / len(images)",
                ".sum().item()\n            batches += 1\n    return correct / batches",
            ),
        ],
    ),
    "softmax before CrossEntropyLoss": (
        "test_loss_can_approach_zero",
        [
            ("logits = model(train_x[batch])\n", "scores = model(train_x[batch]).softmax(dim=1)\n"),
            ("loss_fn(logits, train_y[batch])", "loss_fn(scores, train_y[batch])"),
        ],
    ),
    "checkpoint read as if it held only the weights": (
        "test_evaluate_reads_what_train_writes",
        [('torch.load(checkpoint)["model"]', "torch.load(checkpoint)")],
    ),
}


def with_bugs(fixed: str, bugs: list[str]) -> str:
    for bug in bugs:
        for good, bad in FRIDAY_BUGS[bug][1]:
            assert fixed.count(good) == 1, f"sandbox/friday_pr.py: {good!r} is not there once"
            fixed = fixed.replace(good, bad)
    return fixed


def python(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the test environment's Python, which has torch and pytest, on the CPU."""
    env = Project(cwd).env()
    return subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_handed_out_pull_request_is_the_fix_with_four_bugs() -> None:
    fixed = (EXAMPLE / "sandbox" / "friday_pr.py").read_text()
    handed_out = earlier_stage(DEBUGGING, "sandbox/friday_pr.py")
    assert with_bugs(fixed, list(FRIDAY_BUGS)) == handed_out


def test_the_handed_out_pull_request_shows_the_symptoms_on_the_page(tmp_path: Path) -> None:
    (tmp_path / "friday_pr.py").write_text(earlier_stage(DEBUGGING, "sandbox/friday_pr.py"))
    result = python("friday_pr.py", cwd=tmp_path)
    accuracies = [float(a) for a in re.findall(r"validation accuracy ([\d.]+)", result.stdout)]
    assert len(accuracies) == 5 and min(accuracies) > 1, result.stdout  # "cannot exceed 1"
    assert 'Unexpected key(s) in state_dict: "model", "epoch"' in result.stderr


# Runs pytest in each folder in turn, in one process: PyTorch and pytest are imported once.
PYTEST_EACH_FOLDER = """
import os, sys, pytest
for folder in sys.argv[1:]:
    for module in ("friday_pr", "test_friday_pr"):
        sys.modules.pop(module, None)
    path = list(sys.path)
    os.chdir(folder)
    print(f"=== {folder}", flush=True)
    pytest.main(["-q", "-p", "no:cacheprovider"])
    sys.stdout.flush()
    sys.path[:] = path
"""


@pytest.fixture(scope="module")
def friday_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The regression tests' output against the fixed file and against each bug alone."""
    fixed = (EXAMPLE / "sandbox" / "friday_pr.py").read_text()
    regression_tests = (EXAMPLE / "sandbox" / "test_friday_pr.py").read_text()
    folders = {}
    for bug in ["none", *FRIDAY_BUGS]:
        folder = folders[bug] = tmp_path_factory.mktemp("friday")
        (folder / "friday_pr.py").write_text(fixed if bug == "none" else with_bugs(fixed, [bug]))
        (folder / "test_friday_pr.py").write_text(regression_tests)
    result = python("-c", PYTEST_EACH_FOLDER, *folders.values(), cwd=folders["none"])
    outputs = dict(re.findall(r"^=== (\S+)\n(.*?)(?=^=== |\Z)", result.stdout, re.M | re.S))
    assert len(outputs) == len(folders), result.stdout + result.stderr
    return {bug: outputs[str(folder)] for bug, folder in folders.items()}


@pytest.mark.parametrize("bug", ["none", *FRIDAY_BUGS])
def test_each_bug_fails_exactly_one_regression_test(bug: str, friday_runs: dict[str, str]) -> None:
    out = friday_runs[bug]
    if bug == "none":
        assert "4 passed" in out and "failed" not in out, out
    else:
        assert "1 failed, 3 passed" in out, out
        assert f"FAILED test_friday_pr.py::{FRIDAY_BUGS[bug][0]}" in out


DROP_SEVENS = (
    "import sys, pathlib, torch; src, out = map(pathlib.Path, sys.argv[1:]); out.mkdir()\n"
    "for split in ('train', 'test'):\n"
    "    x, y = (torch.load(src / f'{split}_{kind}.pt') for kind in ('images', 'targets'))\n"
    "    torch.save(x[y != 7], out / f'{split}_images.pt')\n"
    "    torch.save(y[y != 7], out / f'{split}_targets.pt')\n"
)
COUNT_PASSES = "import sys; print(open(sys.argv[1]).read().count('| pass |'))"
SAMPLE_TITLES = (
    "import sys, torch; sys.path.insert(0, 'scripts'); from visualize import plot_samples; "
    "x, y = (torch.load(f'data/processed/train_{k}.pt')[:16] for k in ('images', 'targets')); "
    "print(*(ax.get_title() for ax in plot_samples(x, y).axes)); print(*y.tolist())"
)
CONFUSION = (
    "import torch; from corrupt_mnist.evaluate import confusion_matrix, top_mistakes; "
    "m = confusion_matrix(torch.tensor([4, 4, 4, 0, 0, 7, 1]), "
    "torch.tensor([9, 9, 9, 1, 1, 2, 1])); "
    "print(int(m.sum()), int(m.trace()), int(m[4, 9]), top_mistakes(m, k=3))"
)
# The model gate's cases: (candidate accuracy, baseline accuracy).
GATE_CASES = {"gate open": (0.958, 0.962), "gate closed": (0.931, 0.962)}


@pytest.fixture(scope="module")
def trained_runs(trained: Project, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """The commands and scripts that read the trained copy, in one process (one torch import).

    The data contract and the model gate write their reports and inputs in a folder of their own.
    """
    folder = tmp_path_factory.mktemp("trained-checks")
    report, no_sevens = folder / "gate.md", folder / "no_sevens"
    sizes = ("--min-train", "200", "--min-test", "50", "--report", report)
    gates = {}
    for name, (candidate, baseline) in GATE_CASES.items():
        stem = name.replace(" ", "-")
        files = folder / f"{stem}-candidate.json", folder / f"{stem}-baseline.json"
        for file, accuracy in zip(files, (candidate, baseline), strict=True):
            file.write_text(json.dumps({"accuracy": accuracy}))
        gates[name] = ("script", "scripts/gate.py", *files, "--report", folder / "gate-report.md")
    steps = {
        "evaluate wide": (*CORRUPT_MNIST, "evaluate", "model=wide"),
        **{case: (*CORRUPT_MNIST, "train", *DEVICE_ANSWERS[case][0]) for case in DEVICE_ANSWERS},
        "samples": ("script", "scripts/visualize.py"),
        "sample titles": ("code", SAMPLE_TITLES),
        "contract": ("script", "scripts/check_data.py", *sizes),
        "contract passes": ("code", COUNT_PASSES, report),
        "drop sevens": ("code", DROP_SEVENS, "data/processed", no_sevens),
        "contract without sevens": ("script", "scripts/check_data.py", no_sevens, *sizes),
        **gates,
        "confusion": ("code", CONFUSION),
    }
    runs = dict(zip(steps, run_steps(trained, *steps.values()), strict=True))
    return {**runs, "report": subprocess.CompletedProcess([], 0, report.read_text(), "")}


def test_evaluating_with_another_model_config_is_a_size_mismatch(trained_runs: Runs) -> None:
    result = trained_runs["evaluate wide"]
    assert result.returncode == 1
    assert "size mismatch for features.0.weight" in result.stderr


def test_overfitting_one_batch_catches_softmax_before_the_loss(trained: Project) -> None:
    """The page's script, then a copy with the softmax bug, in one process (one torch import).

    Both on a smaller batch for fewer steps than the script's defaults of 64 and 150.
    """
    sandbox = trained.path / "sandbox"
    buggy = sandbox / "overfit_softmax.py"
    shutil.copy(sandbox / "overfit_one_batch.py", buggy)
    edit(buggy, "loss_fn(model(images), targets)", "loss_fn(model(images).softmax(dim=1), targets)")
    code = "import sys; sys.path.insert(0, 'sandbox'); import overfit_one_batch, overfit_softmax; "
    code += "overfit_one_batch.main(batch_size=16, steps=60); overfit_softmax.main(16, 60)"
    try:
        result = trained.run(trained.bin / "python", "-c", code)
    finally:
        buggy.unlink()
    last_losses = [float(loss) for loss in re.findall(r"at step 60: ([\d.]+)", result.stdout)]
    assert len(last_losses) == 2, result.stdout + result.stderr
    assert last_losses[0] < 0.05
    assert last_losses[1] > 1.0


def test_the_data_contract_names_a_missing_class(trained_runs: Runs) -> None:
    passed = trained_runs["contract"]
    assert passed.returncode == 0, passed.stderr
    assert trained_runs["contract passes"].stdout == "10\n"  # the report after this first check

    made = trained_runs["drop sevens"]
    assert made.returncode == 0, made.stderr
    broken = trained_runs["contract without sevens"]
    assert broken.returncode == 1
    assert broken.stderr.splitlines() == [
        "data contract broken: train: every class holds 7-13 %",
        "data contract broken: test: every class holds 7-13 %",
    ]
    assert trained_runs["report"].stdout.count("### Data contract") == 2  # appended to


def test_the_model_gate_closes_only_on_a_real_step_back(trained_runs: Runs) -> None:
    assert trained_runs["gate open"].returncode == 0, trained_runs["gate open"].stderr
    closed = trained_runs["gate closed"]
    assert closed.returncode == 1
    assert closed.stderr == "model gate closed: no worse than main by more than 0.01\n"


@pytest.fixture(scope="module")
def loading(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy with enough fake training images (1024) for a few measured loader steps."""
    project = install(copy_example(tmp_path_factory.mktemp("loading") / "corrupt-mnist"))
    write_fake_raw_data(project, train_size=1024)
    result = project.run("corrupt-mnist", "preprocess")
    assert result.returncode == 0, result.stderr
    return project


def run_mains(project: Project, *calls: tuple[str, str]) -> list[str]:
    """Call main() of scripts/loading/<script>.py with fewer steps than a real measurement.

    All in one process, which imports PyTorch once; returns each call's output. The script name
    `export_pngs` runs that file as `python scripts/loading/export_pngs.py` would.
    """
    code = "import runpy, sys; sys.path.insert(0, 'scripts/loading')\n"
    for script, arguments in calls:
        code += f"print('--- {script}', flush=True)\n"
        if script == "export_pngs":
            code += "runpy.run_path('scripts/loading/export_pngs.py', run_name='__main__')\n"
        else:
            code += f"import {script}; {script}.main({arguments})\n"
    result = project.run(project.bin / "python", "-c", code)
    assert result.returncode == 0, result.stderr
    outputs = re.split(r"^--- \w+\n", result.stdout, flags=re.M)
    assert len(outputs) == len(calls) + 1, result.stdout
    return outputs[1:]


def test_the_loading_scripts_measure_the_wait_share(loading: Project) -> None:
    in_memory, workers, exported, png = run_mains(
        loading,
        ("in_memory", "steps=3, warmup=2"),
        ("workers_in_memory", "workers=(0, 1), steps=3"),
        ("export_pngs", ""),
        ("workers_png", "max_workers=1, steps=3"),
    )
    assert re.fullmatch(r"in memory, workers=0: waiting \d+% of [\d.]+ ms per step\n", in_memory)
    assert len(re.findall(r"^(cnn|linear) +workers=[01]: waiting +\d+%", workers, re.M)) == 4
    assert exported == ""
    assert len(list((loading.path / "data/png/train").glob("[0-9]/*.png"))) == 1024
    assert re.search(r"^cnn +workers=0: waiting", png, re.M), png
    assert re.search(r"^linear +workers=0: waiting", png, re.M), png


def test_workers_share_one_random_generator_until_reseeded(loading: Project) -> None:
    handed_out = loading.path / "scripts/loading/shifts_handed_out.py"
    handed_out.write_text(earlier_stage(DATA_LOADING, "scripts/loading/shifts.py"))
    repeats = r"workers=(\d): (\d) of 8 batches repeat"
    before, after = run_steps(  # one process, one torch import; the workers start afresh
        loading, ("script", handed_out), ("script", "scripts/loading/shifts.py")
    )
    assert re.findall(repeats, before.stdout) == [("0", "0"), ("2", "4"), ("4", "6")]
    assert re.findall(repeats, after.stdout) == [("0", "0"), ("2", "0"), ("4", "0")]


def test_spawned_workers_need_the_entry_point_guard(loading: Project) -> None:
    unguarded = loading.path / "scripts/loading/spawn_unguarded.py"
    unguarded.write_text(earlier_stage(DATA_LOADING, "scripts/loading/spawn_check.py"))
    failed = loading.run(loading.bin / "python", unguarded)
    assert failed.returncode != 0
    assert "bootstrapping phase" in failed.stderr
    guarded = loading.run(loading.bin / "python", "scripts/loading/spawn_check.py")
    assert guarded.stdout == "256 samples through spawned workers\n", guarded.stderr


def test_training_with_workers_from_the_config(loading: Project) -> None:
    result = loading.run("corrupt-mnist", "train", "training.num_workers=2", "training.epochs=1")
    assert result.returncode == 0, result.stderr
    assert "epoch 1: loss" in result.stdout


# The iris side example (API, API testing, data drifting and monitoring modules) ------------

IRIS_STAGES = {
    "apis": PAGES / "s7_deployment" / "apis.md",
    "testing_apis": PAGES / "s7_deployment" / "testing_apis.md",
}
SERVE_A_FLOWER = """
import os, sys
from fastapi.testclient import TestClient
from corrupt_mnist.iris import train
train(sys.argv[1], steps=300)
os.environ["MODEL_PATH"] = sys.argv[1]
flower = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
for stage in sys.argv[2:]:
    app = __import__(f"corrupt_mnist.{stage}", fromlist=["app"]).app
    with TestClient(app) as client:
        print(stage, client.post("/predict", json=flower).json()["label"],
              client.post("/predict", json={**flower, "petal_width": -1}).status_code)
"""


def test_the_earlier_iris_apis_on_the_pages_serve_a_flower(project: Project) -> None:
    """The iris API as apis.md and testing_apis.md show it, before the later modules add to it."""
    for stage, page in IRIS_STAGES.items():
        module = project.path / "src" / "corrupt_mnist" / f"iris_api_{stage}.py"
        module.write_text(earlier_stage(page, "src/corrupt_mnist/iris_api.py"))
    weights = project.path / "models" / "iris-stages.pt"
    stages = [f"iris_api_{stage}" for stage in IRIS_STAGES]
    result = project.run(project.bin / "python", "-c", SERVE_A_FLOWER, weights, *stages)
    assert result.stdout.splitlines()[-2:] == [f"{s} setosa 422" for s in stages], result.stderr


def run_prediction_log_test(project: Project) -> None:
    """The project's test of the first link of the drift chain: the API logs each prediction."""
    result = project.run(
        project.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "tests/integrationtests/test_api.py::test_each_prediction_is_logged_as_one_json_file",
    )  # fmt: skip
    if result.returncode != 0:
        raise AssertionError(f"the drift chain is broken:\n{result.stdout}")


def test_the_drift_chain_fails_when_the_api_stops_logging(project: Project, tmp_path: Path) -> None:
    """The second link, drift.py reading that log, is the project's test_drift.py (run above)."""
    path = copy_example(tmp_path / "p")
    edit(
        path / "src/corrupt_mnist/iris_api.py",
        "    background_tasks.add_task(log_prediction, flower, prediction)\n",
        "",
    )
    with pytest.raises(AssertionError, match="the drift chain is broken"):
        run_prediction_log_test(on_the_venv_of(project, path))


# The deployment modules' files: doctest, live test, load test, ONNX and BentoML, function ---


def test_the_docstring_example_of_corrupt_passes(project: Project) -> None:
    """The documentation module's command, run as the page gives it."""
    result = project.run(
        project.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "--doctest-modules", "src/corrupt_mnist/data.py",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def iris_server(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The iris API under uvicorn on 127.0.0.1, weights from `python -m corrupt_mnist.iris`."""
    trained = project.run(project.bin / "python", "-m", "corrupt_mnist.iris")
    assert trained.returncode == 0, trained.stderr
    env = {**project.env(), "PREDICTION_DIR": str(tmp_path_factory.mktemp("predictions"))}
    with uvicorn_server(project, "corrupt_mnist.iris_api:app", env) as url:
        yield url


def run_live_test(project: Project, url: str) -> subprocess.CompletedProcess[str]:
    """tests/deployment/ of the project, with DEPLOYED_URL set as the API testing page does."""
    return subprocess.run(
        [
            project.bin / "python",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/deployment",
        ],
        cwd=project.path,
        env={**project.env(), "DEPLOYED_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_live_smoke_test_passes_only_against_a_running_api(
    project: Project, iris_server: str
) -> None:
    assert "1 passed" in run_live_test(project, iris_server).stdout
    nothing_there = run_live_test(project, f"http://127.0.0.1:{free_port()}")
    assert "1 failed" in nothing_there.stdout


def locust_tasks(module: str, user: str, calls: str) -> str:
    """A script that calls ``user``'s tasks from ``module`` and prints each request's outcome.

    Locust patches the standard library with gevent on import: its tasks run in a subprocess.
    ``calls`` runs them, with the user as ``user``; the host is the script's first argument.
    """
    return f"""
import sys
from locust.env import Environment
sys.path.insert(0, "tests/performance")
from {module} import {user} as User
User.host = sys.argv[1]
environment = Environment(user_classes=[User], host=sys.argv[1])
environment.events.request.add_listener(
    lambda request_type, name, response, exception, **_: print(
        request_type, name, response.status_code, exception
    )
)
user = User(environment)
{calls}
"""


CALL_THE_TASKS = locust_tasks(
    "locustfile", "IrisUser", "for _ in range(3):\n    user.predict()\nuser.health()"
)


def test_the_locustfile_tasks_get_answers_from_the_api(project: Project, iris_server: str) -> None:
    """Each task of the load test, called once against the running API: no failed request."""
    result = project.run(project.bin / "python", "-c", CALL_THE_TASKS, iris_server)
    assert result.stdout.splitlines() == ["POST /predict 200 None"] * 3 + [
        "GET /health 200 None"
    ], result.stdout + result.stderr[-2000:]


def assigned(tree: ast.Module, name: str) -> object:
    """The literal value given to a module-level `name = ...` in a parsed file."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"no module-level {name}")


def test_the_bento_serves_what_the_export_writes() -> None:
    """BentoML is not installed here (see the example's README): its files are checked.

    Compiled, and their names held against the export script, the iris classes and the table.
    """
    service = (EXAMPLE / "service.py").read_text()
    py_compile.compile(str(EXAMPLE / "service.py"), doraise=True)
    tree = ast.parse(service)
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    assert classes == ["IrisClassifier", "IrisGateway", "MnistClassifier"]  # the naming table
    bentofile = yaml.safe_load((EXAMPLE / "bentofile.yaml").read_text())
    assert bentofile["service"] == "service:IrisGateway"
    assert "service.py" in bentofile["include"]

    export = ast.parse((EXAMPLE / "scripts" / "export_onnx.py").read_text())
    function = next(n for n in export.body if isinstance(n, ast.FunctionDef) and n.name == "export")
    weights, onnx_file = (ast.literal_eval(d) for d in function.args.defaults)
    assert weights == "models/iris.pt"  # what `python -m corrupt_mnist.iris` writes
    assert onnx_file in bentofile["include"] and f'"{onnx_file}"' in service
    names = next(k.value for k in ast.walk(export) if getattr(k, "arg", "") == "input_names")
    assert ast.literal_eval(names) == ["input"] and '{"input": ' in service

    iris = ast.parse((EXAMPLE / "src" / "corrupt_mnist" / "iris.py").read_text())
    assert assigned(tree, "CLASSES") == assigned(iris, "CLASS_NAMES")


def load_module(path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_function_answers_with_the_model_the_script_uploads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cloud deployment module's Cloud Run function, with a bucket that lives in memory."""
    uploader = load_module(EXAMPLE / "scripts" / "iris_sklearn.py")
    bucket: dict[tuple[str, str], bytes] = {}

    class Blob:
        def __init__(self, key: tuple[str, str]) -> None:
            self.key, self.name = key, key[1]

        def upload_from_string(self, data: bytes) -> None:
            bucket[self.key] = data

        def download_as_bytes(self) -> bytes:
            return bucket[self.key]

    storage = types.SimpleNamespace(
        Client=lambda: types.SimpleNamespace(
            bucket=lambda name: types.SimpleNamespace(blob=lambda blob: Blob((name, blob)))
        )
    )
    # functions-framework brings the namespace package google.cloud, not its storage client.
    monkeypatch.setattr(google.cloud, "storage", storage, raising=False)
    monkeypatch.setitem(sys.modules, "google.cloud.storage", storage)
    uploader.upload(uploader.train())

    function = load_module(EXAMPLE / "function" / "main.py")
    web = flask.Flask(__name__)
    answers = []
    for body in ({"features": [5.1, 3.5, 1.4, 0.2]}, {"features": [5.1]}, None):
        with web.test_request_context("/", method="POST", json=body):
            answers.append(function.predict(flask.request))
    assert answers[0] == {"label": "setosa"}
    assert [answer[1] for answer in answers[1:]] == [400, 400]


# The command line module (cli.md): its console blocks and exercises, run as written ----------

CLI_PAGE = PAGES / "s2_organisation_and_version_control" / "cli.md"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def console_output(page: Path, command: str) -> str:
    """What a console block on `page` shows after `$ command`, up to the next prompt or fence."""
    text = page.read_text(encoding="utf-8")
    start = text.index(f"$ {command}\n") + len(f"$ {command}\n")
    ends = [i for i in (text.find("\n$ ", start), text.find("\n```", start)) if i >= 0]
    return text[start : min(ends)].strip()


# (file of the earlier-stage block, arguments, exit status); a status 0 run must print what
# the page's console block shows after `$ uv run python src/corrupt_mnist/<file> <arguments>`.
EARLIER_STAGE_RUNS = [
    ("train.py", "--lr 0.01 --batch-size 32", 0),
    ("train.py", "--epochs ten", 2),
    ("cli.py", "train --lr 0.1 --epochs 3", 0),
    ("cli.py", "evaluate", 2),  # exercise 2: the checkpoint argument is required
    ("cli.py", "train --epochs ten", 2),
]


@pytest.mark.parametrize(("file", "arguments", "status"), EARLIER_STAGE_RUNS)
def test_the_earlier_stage_interfaces_answer_as_the_page_shows(
    file: str, arguments: str, status: int, tmp_path: Path
) -> None:
    script = tmp_path / "src" / "corrupt_mnist" / file
    script.parent.mkdir(parents=True)
    script.write_text(earlier_stage(CLI_PAGE, f"src/corrupt_mnist/{file}"))
    result = python(script.relative_to(tmp_path), *arguments.split(), cwd=tmp_path)
    assert result.returncode == status, result.stdout + result.stderr
    if status == 0:
        command = f"uv run python src/corrupt_mnist/{file} {arguments}"
        assert result.stdout.strip() == console_output(CLI_PAGE, command)


def test_the_page_lists_the_tasks_as_invoke_does(project: Project) -> None:
    listing = project.run("invoke", "--list")
    assert listing.returncode == 0, listing.stderr
    assert console_output(CLI_PAGE, "uv run invoke --list") == listing.stdout.strip()


def test_the_dry_pipeline_prints_the_three_steps_in_order(project: Project) -> None:
    """Exercise 5: `invoke --dry pipeline` shows the pre-tasks' commands and runs none."""
    result = project.run("invoke", "--dry", "pipeline")
    assert ANSI.sub("", result.stdout).split("\n")[:3] == [
        "corrupt-mnist preprocess --raw-dir data/raw",
        "corrupt-mnist train ",
        "corrupt-mnist evaluate",
    ], result.stdout + result.stderr


# What the exercises of the finished command say, as (command, exit status, text in the output).
FINISHED_COMMAND_ANSWERS = {
    "help lists the data group (9)": (["corrupt-mnist", "--help"], 0, "Get and prepare the data"),
    "no --epochs option (8)": (
        ["corrupt-mnist", "train", "--epochs", "3"], 2, "No such option: --epochs"
    ),
    "size below 1 (11)": (
        ["corrupt-mnist", "preprocess", "--train-size", "0"], 2, "Invalid value for '--train-size'"
    ),
    "raw folder from the environment (13)": (
        ["env", "CORRUPT_MNIST_RAW_DIR=elsewhere", "corrupt-mnist", "preprocess"],
        1,
        "elsewhere does not exist",
    ),
    "verbose before the command (14)": (
        ["corrupt-mnist", "-v", "train", "paths.processed=nowhere"], 1, "processed: nowhere"
    ),
    "verbose after the command (14)": (["corrupt-mnist", "train", "-v"], 2, "No such option: -v"),
    "data group help (9)": (["corrupt-mnist", "data", "--help"], 0, "preprocess"),
    "data group runs the same preprocess (9)": (
        ["corrupt-mnist", "data", "preprocess", "--raw-dir", "nowhere"], 1, "nowhere does not exist"
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", FINISHED_COMMAND_ANSWERS, ids=list(FINISHED_COMMAND_ANSWERS))
def test_the_finished_command_answers_as_the_exercises_say(case: str, project: Project) -> None:
    command, status, text = FINISHED_COMMAND_ANSWERS[case]
    result = project.run(*command)
    assert result.returncode == status, result.stdout + result.stderr
    assert text in result.stdout + result.stderr


def test_python_m_prints_the_launchers_help(project: Project) -> None:
    """Exercise 10: `python -m corrupt_mnist` is the same tool under the same name."""
    module = project.run(project.bin / "python", "-m", "corrupt_mnist", "--help")
    launcher = project.run("corrupt-mnist", "--help")
    assert module.returncode == launcher.returncode == 0, module.stderr
    assert module.stdout == launcher.stdout


def test_the_clean_task_asks_first_and_keeps_the_raw_data(tmp_path: Path) -> None:
    """Exercise 16: `invoke clean` deletes what the pipeline rebuilds, nothing else."""
    project = Project(copy_example(tmp_path / "p"))
    generated = ["data/processed/train_images.pt", "models/model.pt", "reports/metrics.json"]
    kept = ["data/raw/train-images-idx3-ubyte.gz", "reports/figures/loss.png"]
    for name in generated + kept:
        (project.path / name).parent.mkdir(parents=True, exist_ok=True)
        (project.path / name).write_text("x")

    def clean(*options: str, answer: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["invoke", "clean", *options],
            cwd=project.path,
            env=project.env(),
            input=answer,
            capture_output=True,
            text=True,
            check=False,
        )

    refused = clean(answer="n\n")
    assert refused.returncode == 0, refused.stderr
    assert all((project.path / name).exists() for name in generated + kept)
    deleted = clean("--yes")  # no answer on stdin: asking now would fail on end of file
    assert deleted.returncode == 0, deleted.stderr
    assert [name for name in generated if (project.path / name).exists()] == []
    assert all((project.path / name).exists() for name in kept)
    assert "nothing to clean" in clean().stdout


def test_the_steps_take_overrides_and_the_pipeline_does_not(project: Project) -> None:
    """Knowledge check 6: pre-tasks run with their defaults; name the steps to pass overrides."""
    steps = project.run(
        "invoke", "--dry", "preprocess", "train", "--overrides", "training.epochs=1", "evaluate"
    )
    assert "corrupt-mnist train training.epochs=1" in ANSI.sub("", steps.stdout), steps.stderr
    pipeline_run = project.run("invoke", "--dry", "pipeline", "--overrides", "training.epochs=1")
    assert pipeline_run.returncode != 0
    assert "--overrides" in pipeline_run.stderr


# Training tooling: Lightning, the logging config, the tuning script, project paths -----------

BOILERPLATE = PAGES / "s4_debugging_and_logging" / "boilerplate.md"
SAVED_AFTER = re.compile(r"corrupt_mnist\.train_lit: saved weights to (\S+) after (\d+) optimiser")
LIST_RUNS = "import os; print(sorted(os.listdir('logs/lightning_logs')))"
LIST_TUNING_SIZES = (
    "import torch; print(*(len(torch.load(f'data/tuning/{s}_targets.pt')) "
    "for s in ('train', 'test')))"
)
HASH_TEST_SET = (
    "import hashlib; "
    "print(hashlib.sha256(open('data/processed/test_images.pt', 'rb').read()).hexdigest())"
)
COPY_LAST_CHECKPOINT = (
    "import pathlib, shutil; folder = pathlib.Path('models/resume-checkpoints'); "
    "folder.mkdir(); shutil.copy('models/checkpoints/last.ckpt', folder)"
)
RELOAD_LAST_CHECKPOINT = (
    "from corrupt_mnist.train_lit import LitMnistCNN; "
    "lit = LitMnistCNN.load_from_checkpoint('models/checkpoints/last.ckpt'); "
    "print(dict(lit.hparams))"
)
LIGHTNING_TOY = "scripts/distributed/train_lightning.py"
# The Lightning module's commands in the order its checks need them, all in one process, which
# imports Lightning (seconds of CPU) once; each check reads its step's result. The order matters:
# the first train-lit writes the checkpoints and log lines the later steps compare with, the smoke
# run sits between two listings of the run folders, and the cluster run, which must fail, is last.
# Each train-lit applies configs/logging.yaml afresh; the other steps keep the last train-lit's
# handlers, which only adds lines to stderr and logs/train.log that no check of theirs reads.
LIT_STEPS = {
    "preprocess": (*CORRUPT_MNIST, "preprocess"),
    "test set": ("code", HASH_TEST_SET),
    "train-lit": (*CORRUPT_MNIST, "train-lit", "training.epochs=1", "trainer.log_every_n_steps=1"),
    "reload": ("code", RELOAD_LAST_CHECKPOINT),
    "evaluate": (*CORRUPT_MNIST, "evaluate"),
    "runs before smoke": ("code", LIST_RUNS),
    "smoke": (
        *CORRUPT_MNIST, "train-lit", "+trainer.fast_dev_run=true", "paths.model=models/smoke.pt",
        "paths.checkpoints=models/smoke-checkpoints",
    ),
    "runs after smoke": ("code", LIST_RUNS),
    "copy last": ("code", COPY_LAST_CHECKPOINT),
    "resume": (
        *CORRUPT_MNIST, "train-lit", "training.resume=last", "training.epochs=2",
        "paths.checkpoints=models/resume-checkpoints", "paths.model=models/resumed.pt",
    ),
    "step lr": ("script", "scripts/lit_step_lr.py", "training.epochs=6",
                "+trainer.limit_train_batches=1", "+trainer.limit_val_batches=1"),
    "tune": ("script", "scripts/tune_mnist.py", "--trials", "2"),
    "tuning sizes": ("code", LIST_TUNING_SIZES),
    "tune defaults": (
        "code",
        "import sys; sys.path.insert(0, 'scripts'); import tune_mnist; "
        "print(tune_mnist.main(trials=1).trials[0].params)",
    ),
    "accumulate": ("script", LIGHTNING_TOY, "--devices", "1", "--accumulate", "2"),
    "cluster": (*CORRUPT_MNIST, "train-lit", "trainer=cluster", "paths.model=models/gpu.pt"),
}  # fmt: skip


@pytest.fixture(scope="module")
def lit_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Runs]:
    """A copy with processed data, trained once with `train-lit` for one epoch, then LIT_STEPS."""
    project = install(copy_example(tmp_path_factory.mktemp("lit") / "corrupt-mnist"))
    write_fake_raw_data(project)
    runs = dict(zip(LIT_STEPS, run_steps(project, *LIT_STEPS.values()), strict=True))
    for step in ("preprocess", "train-lit"):
        assert runs[step].returncode == 0, runs[step].stderr[-3000:]
    return project, runs


@pytest.fixture(scope="module")
def lit(lit_run: tuple[Project, Runs]) -> Project:
    """The copy of `lit_run`, for the checks that run commands of their own in it."""
    return lit_run[0]


@pytest.fixture(scope="module")
def lit_runs(lit_run: tuple[Project, Runs]) -> Runs:
    """What each of LIT_STEPS printed and returned."""
    return lit_run[1]


def test_lightning_writes_the_checkpoints_and_weights_the_pages_name(
    lit: Project, lit_runs: Runs
) -> None:
    checkpoints = lit.path / "models" / "checkpoints"
    assert (checkpoints / "last.ckpt").is_file()
    best = list(checkpoints.glob("epoch=*.ckpt"))  # the best one by val_loss
    assert len(best) == 1
    log = (lit.path / "logs" / "train.log").read_text()
    best_line = rf"best checkpoint by val_loss: \S*models/checkpoints/{re.escape(best[0].name)}$"
    assert re.search(best_line, log, re.M), log[-1000:]
    reloaded = lit_runs["reload"]
    assert reloaded.stdout.strip() == "{'channels': 32, 'dropout': 0.25, 'lr': 0.001}", (
        reloaded.stderr
    )
    metrics = (lit.path / "logs/lightning_logs/version_0/metrics.csv").read_text()
    assert {"train_loss", "val_acc", "test_acc"} <= set(metrics.splitlines()[0].split(","))
    # The plain state dict beside them: evaluate (and the API) read it as after `train`.
    evaluated = lit_runs["evaluate"]
    assert evaluated.returncode == 0, evaluated.stderr
    assert "test accuracy:" in evaluated.stdout


def test_the_logging_config_routes_messages_by_level(lit: Project) -> None:
    """configs/logging.yaml: everything from DEBUG into logs/train.log, INFO up on the console."""
    log = (lit.path / "logs" / "train.log").read_text()
    line = re.search(r"^\S+ \S+ INFO +corrupt_mnist\.train_lit: saved weights to .*$", log, re.M)
    assert line, log[-2000:]
    assert re.search(r"^\S+ \S+ DEBUG +", log, re.M), "the file handler dropped DEBUG lines"
    assert re.search(r" INFO +lightning\.", log), "Lightning's messages bypass the config"


def test_the_smoke_run_of_the_boilerplate_page(lit: Project, lit_runs: Runs) -> None:
    """boilerplate.md exercise 1: one batch per loop, no metrics, only the final last.ckpt."""
    smoke = lit_runs["smoke"]
    assert smoke.returncode == 0, smoke.stderr
    assert "fast_dev_run" in smoke.stderr
    assert SAVED_AFTER.findall(smoke.stderr) == [("models/smoke.pt", "1")], smoke.stderr
    checkpoints = [p.name for p in (lit.path / "models" / "smoke-checkpoints").iterdir()]
    assert checkpoints == ["last.ckpt"]  # save_last writes it when training ends, any flags
    assert lit_runs["runs after smoke"].stdout == lit_runs["runs before smoke"].stdout != ""
    assert " DEBUG " not in smoke.stderr
    assert "best checkpoint" not in smoke.stderr
    assert smoke.stderr.count("Seed set to 42") == 1  # Lightning's own handlers are replaced


def test_two_processes_with_ddp_on_cpu_halve_the_steps(lit: Project) -> None:
    """distributed_training.md's overrides: the same epoch in half the optimiser steps."""
    single = SAVED_AFTER.search((lit.path / "logs" / "train.log").read_text())
    assert single and single[1] == "models/model.pt"
    result = lit.run(
        "corrupt-mnist", "train-lit", "training.epochs=1", "trainer.accelerator=cpu",
        "trainer.devices=2", "trainer.strategy=ddp", "paths.model=models/ddp.pt",
        "paths.checkpoints=models/ddp-checkpoints",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "MEMBER: 2/2" in result.stderr
    saved = SAVED_AFTER.findall(result.stderr)
    assert saved == [("models/ddp.pt", str(int(single[2]) // 2))], result.stderr
    assert (lit.path / "models" / "ddp-checkpoints" / "last.ckpt").is_file()


def test_the_tuning_script_scores_trials_on_a_validation_split(
    lit: Project, lit_runs: Runs
) -> None:
    result = lit_runs["tune"]
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"^best validation accuracy [01]\.\d{3} with \{'lr': [\d.e-]+, 'channels': (16|32|64), "
        r"'dropout': [\d.]+\}$",
        result.stdout,
        re.M,
    ), result.stdout
    assert len(list((lit.path / "models" / "tuning").glob("trial_*.pt"))) == 2
    sizes = lit_runs["tuning sizes"]
    assert sizes.stdout.split() == ["230", "26"], sizes.stderr  # 90/10 of the 256 fake images
    test_set = (lit.path / "data" / "processed" / "test_images.pt").read_bytes()
    assert hashlib.sha256(test_set).hexdigest() == lit_runs["test set"].stdout.strip()


def test_paths_find_the_project_root_from_any_folder(project: Project) -> None:
    elsewhere = project.path / "reports" / "figures"
    elsewhere.mkdir(parents=True, exist_ok=True)
    code = (
        "from corrupt_mnist import paths; print(paths.PROJECT_ROOT, paths.PROCESSED_DIR, "
        "(paths.CONFIGS_DIR / 'config.yaml').is_file())"
    )
    result = project.run(project.bin / "python", "-c", code, cwd=elsewhere)
    root = project.path.resolve()
    assert result.stdout.split() == [str(root), str(root / "data" / "processed"), "True"], (
        result.stderr
    )


def test_warnings_reach_the_log_file_after_setup(project: Project) -> None:
    """logging.md exercise 17, with the command the page gives (-W: the test env ignores all)."""
    code = (
        "import warnings; from corrupt_mnist.logging_setup import setup_logging; "
        "setup_logging(); warnings.warn('old API', stacklevel=1)"
    )
    result = project.run(project.bin / "python", "-W", "default", "-c", code)
    assert result.returncode == 0, result.stderr
    log = (project.path / "logs" / "train.log").read_text()
    assert re.search(r" WARNING +py\.warnings: .*UserWarning: old API", log), log


TRAIN_LIT_COMMAND = re.compile(r"corrupt-mnist train-lit((?: +[\w.+=/-]+)*)")


def page_train_lit_overrides(pages: Path) -> list[tuple[str, list[str]]]:
    """(`page:line`, overrides) of every `corrupt-mnist train-lit` command on the pages."""
    found = []
    for page in sorted(pages.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for command in TRAIN_LIT_COMMAND.finditer(text):
            line = text.count("\n", 0, command.start()) + 1
            found.append((f"{page.relative_to(ROOT)}:{line}", command[1].split()))
    return found


def test_every_train_lit_command_on_the_pages_composes() -> None:
    """A page's override that Hydra refuses (a missing `+`, a renamed key) fails here."""
    commands = page_train_lit_overrides(PAGES)
    assert len(commands) >= 5
    refused = []
    with initialize_config_dir(version_base="1.3", config_dir=str(EXAMPLE / "configs")):
        for where, overrides in commands:
            try:
                dict(compose(config_name="config", overrides=overrides).trainer)
            except (HydraException, OmegaConfBaseException) as error:
                refused.append(f"{where}: {' '.join(overrides)}: {error}")
    assert refused == []


# The deployment and monitoring modules' own scripts (issue 12): image tags, smoke test, CNN to
# ONNX, the BentoML load test, the drift demo, the digit page's tests, Cloud Build from Actions --


def docker_build_dry_run(project: Project, image: str) -> str:
    """The command `invoke --dry docker-build --image IMAGE` prints instead of running it."""
    result = project.run("invoke", "--dry", "docker-build", "--image", image)
    assert result.returncode == 0, result.stdout + result.stderr
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).strip()  # invoke echoes in bold


def test_docker_build_tags_images_as_compose_and_the_cli_page_do(project: Project) -> None:
    """One tag per own image, the project version: in tasks.py, compose.yaml and on cli.md."""
    version = tomllib.loads((project.path / "pyproject.toml").read_text())["project"]["version"]
    services = yaml.safe_load((project.path / "compose.yaml").read_text())["services"]
    for name, service in services.items():
        assert service["image"] == f"corrupt-mnist-{name}:{version}"
        built = f"docker build -f {service['build']['dockerfile']} -t {service['image']} ."
        assert docker_build_dry_run(project, name) == built
    shown = re.search(r"The dry run prints `([^`]+)`", CLI_PAGE.read_text(encoding="utf-8"))
    assert shown, f"{CLI_PAGE}: no dry run line"
    assert shown[1] == docker_build_dry_run(project, "api")


@contextmanager
def uvicorn_server(project: Project, app: str, env: dict[str, str]) -> Iterator[str]:
    """An app of the project under uvicorn on 127.0.0.1; its URL once /health answers."""
    port = free_port()
    command = [project.bin / "python", "-m", "uvicorn", app, "--port", str(port)]
    server = subprocess.Popen(
        command,
        cwd=project.path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # until /health answers; the server imports PyTorch first
            if server.poll() is not None:
                pytest.fail(f"uvicorn stopped:\n{server.stderr.read() if server.stderr else ''}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def mnist_server(trained: Project) -> Iterator[str]:
    """The corrupted MNIST API with the weights of the shared pipeline run."""
    with uvicorn_server(trained, "corrupt_mnist.api:app", trained.env()) as url:
        yield url


def smoke_test(project: Project, url: str) -> subprocess.CompletedProcess[str]:
    return project.run(project.bin / "python", "scripts/smoke_test.py", url)


def test_the_smoke_test_passes_only_against_a_working_api(
    trained: Project, mnist_server: str, iris_server: str
) -> None:
    """The cloud deployment module's script, against the API, a wrong API and no server."""
    working = smoke_test(trained, mnist_server)
    assert (working.returncode, working.stdout[:3]) == (0, "ok:"), working.stdout + working.stderr
    wrong_api = smoke_test(trained, iris_server)  # wants a flower, not an image
    assert wrong_api.returncode == 1
    assert wrong_api.stdout.startswith("FAILED: /predict answered 422"), wrong_api.stdout
    nobody = smoke_test(trained, f"http://127.0.0.1:{free_port()}")
    assert nobody.returncode == 1
    assert nobody.stdout.startswith("FAILED: no answer from"), nobody.stdout + nobody.stderr
    with recording_server() as (url, _):  # healthy, but /predict answers [0]
        no_digit = smoke_test(trained, url)
    assert no_digit.returncode == 1
    assert no_digit.stdout.startswith("FAILED: /predict answered without a digit"), no_digit.stdout


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing: the stand-in servers' base."""

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free port of 127.0.0.1 for the block; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def recording_server() -> Iterator[tuple[str, list[tuple[str, object]]]]:
    """A stand-in for `bentoml serve` on 127.0.0.1, so a load test runs without BentoML.

    It answers GET /health with a status, every POST with [0], and records (path, JSON body).
    """
    received: list[tuple[str, object]] = []

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append((self.path, json.loads(body)))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"[0]")

        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/health" else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "ok"}')

    with serving(Handler) as url:
        yield url, received


def predict_parameter(service_class: str = "IrisClassifier") -> str:
    """The name of a service's predict input, which is the JSON key BentoML expects."""
    tree = ast.parse((EXAMPLE / "service.py").read_text())
    service = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == service_class)
    predict = next(n for n in service.body if getattr(n, "name", "") == "predict")
    return predict.args.args[1].arg


def test_the_bento_load_test_posts_single_rows_to_the_classifier(project: Project) -> None:
    """locust_bento.py run as the ML deployment page runs it, against a recording server."""
    with recording_server() as (url, received):
        result = project.run(
            project.bin / "python", "-m", "locust", "-f", "tests/performance/locust_bento.py",
            "--host", url, "--headless", "-u", "2", "-r", "2", "-t", "3s", "--only-summary",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert received, "no request reached the server"
    for path, body in received:
        assert path == "/predict"
        assert isinstance(body, dict) and list(body) == [predict_parameter()]
        rows = body[predict_parameter()]
        assert len(rows) == 1 and len(rows[0]) == 4, body  # one flower: BentoML makes the batch


def test_the_drift_demo_flags_the_longer_petals_and_nothing_else(
    trained: Project, drift_runs: Runs
) -> None:
    """The data drifting module's first report: exit 1 and one failed test with the drift."""
    drifting = drift_runs["demo"]
    assert drifting.returncode == 1, drifting.stdout + drifting.stderr[-3000:]
    failed = [line for line in drifting.stdout.splitlines() if line.startswith("FAIL")]
    assert failed == ["FAIL     Value Drift for column petal_length"], drifting.stdout
    assert drifting.stdout.splitlines()[-1] == "drifted: petal_length"
    assert (trained.path / "reports" / "iris_drift.html").is_file()

    calm = drift_runs["demo 1.0"]
    assert calm.returncode == 0, calm.stdout + calm.stderr[-3000:]
    assert "FAIL" not in calm.stdout and calm.stdout.splitlines()[-1] == "drifted: none"


def frontend_tests(project: Project, *files: str) -> subprocess.CompletedProcess[str]:
    """The project's pytest on some test files, tests/test_frontend.py unless told otherwise."""
    return project.run(
        project.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        *(files or ["tests/test_frontend.py"]),
    )  # fmt: skip


def test_the_digit_page_tests_pass_and_catch_a_page_that_forgets_to_invert(
    project: Project, own_tests: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    """The frontend module's tests of the digit page, then on a copy whose page skips a step.

    They pass in the run of the project's whole suite; the broken copy runs them alone.
    """
    assert passed_in(own_tests, "tests/test_frontend.py") == 3, own_tests.stdout
    broken = copy_example(tmp_path / "p")
    edit(
        broken / "src/corrupt_mnist/frontend.py",
        'ImageOps.invert(Image.open(uploaded).convert("L"))',
        'Image.open(uploaded).convert("L")',
    )
    result = frontend_tests(on_the_venv_of(project, broken))
    assert "1 failed, 2 passed" in result.stdout, result.stdout
    assert "test_the_drawn_strokes_become_the_bright_pixels" in result.stdout


def test_the_cloud_build_workflow_submits_a_config_that_takes_its_substitutions() -> None:
    """Using the Cloud, exercise 21: the workflow's build config exists and uses each value."""
    workflow = yaml.safe_load((EXAMPLE / ".github/workflows/cloud-build.yaml").read_text())
    commands = " ".join(step.get("run", "") for step in workflow["jobs"]["build"]["steps"])
    submit = re.search(r"gcloud builds submit --config=(\S+) --substitutions=(\S+) \.", commands)
    assert submit, commands
    config = (EXAMPLE / submit[1]).read_text()
    for substitution in submit[2].split(","):
        name = substitution.partition("=")[0]
        assert re.search(rf"\$\{{?{name}\b", config), f"{submit[1]} never uses ${name}"


def gcloudignore_rules(project_dir: Path) -> list[str]:
    """The rules of .gcloudignore, with the files its `#!include:` lines pull in."""
    rules = []
    for line in (project_dir / ".gcloudignore").read_text().splitlines():
        included = line.removeprefix("#!include:")
        rules += (project_dir / included).read_text().splitlines() if included != line else [line]
    return rules


def test_the_gcloudignore_keeps_data_out_and_what_the_dockerfiles_copy_in() -> None:
    """Using the Cloud, exercise 17: a small upload that still holds every COPY source.

    .gcloudignore has .gitignore's syntax, which for these top-level paths matches the way
    .dockerignore does.
    """
    rules = gcloudignore_rules(EXAMPLE)
    for left_out in (".git", ".venv", "data/raw", "models/model.pt", "outputs"):
        assert dockerignored(rules, left_out), f"{left_out} would be uploaded"
    for dockerfile in sorted((EXAMPLE / "dockerfiles").glob("*.dockerfile")):
        for source in copy_sources(dockerfile.read_text()):
            assert not dockerignored(rules, source), f"{dockerfile.name}: COPY {source} left out"


def test_the_secret_check_step_reads_the_secret_it_declares() -> None:
    """Using the Cloud, exercise 26: each secretEnv is declared, and bash reads it through $$."""
    config = yaml.safe_load((EXAMPLE / "secret_check.yaml").read_text())
    declared = {secret["env"] for secret in config["availableSecrets"]["secretManager"]}
    used = [(step, name) for step in config["steps"] for name in step.get("secretEnv", [])]
    assert used, "no step reads a secret"
    for step, name in used:
        assert name in declared, f"{name} is not in availableSecrets"
        command = " ".join(step["args"])
        assert re.search(rf"\$\$\{{#?{name}\}}", command), command
        # A single $ would make Cloud Build substitute the name itself, and reject the build.
        assert not re.search(rf"(?<!\$)\$\{{#?{name}\}}", command), command


def test_the_startup_script_switches_the_vm_off_only_after_every_step_worked() -> None:
    """Using the Cloud, exercise 7: valid bash, `set -e` first and `shutdown` last."""
    script = EXAMPLE / "scripts" / "train_and_stop.sh"
    syntax = subprocess.run(["bash", "-n", script], capture_output=True, text=True, check=False)
    assert syntax.returncode == 0, syntax.stderr
    lines = [line for line in script.read_text().splitlines() if line and line[0] != "#"]
    assert lines[0].startswith("set -e") and lines[-1] == "shutdown -h now", lines
    assert "uv run corrupt-mnist train training.epochs=1" in lines


# The keys gcloud reads in a bucket lifecycle file and in an Artifact Registry cleanup policy.
LIFECYCLE_ACTIONS = {"Delete", "SetStorageClass", "AbortIncompleteMultipartUpload"}
CLEANUP_KEYS = {"name", "action", "condition", "mostRecentVersions"}


def test_the_bucket_and_registry_rules_have_the_shape_gcloud_reads() -> None:
    """Using the Cloud, exercises 11 and 15: the two JSON files the gcloud commands pass."""
    lifecycle = json.loads((EXAMPLE / "lifecycle.json").read_text())
    assert list(lifecycle) == ["rule"] and lifecycle["rule"]
    for rule in lifecycle["rule"]:
        assert rule["action"]["type"] in LIFECYCLE_ACTIONS and rule["condition"], rule
    policies = json.loads((EXAMPLE / "cleanup_policy.json").read_text())
    assert isinstance(policies, list) and {p["action"]["type"] for p in policies} == {
        "Keep",
        "Delete",
    }
    for policy in policies:
        assert set(policy) <= CLEANUP_KEYS and "name" in policy, policy
        # A policy selects versions by a condition or by recency, never by both.
        assert ("condition" in policy) != ("mostRecentVersions" in policy), policy


# send_traffic.py against a stand-in for the API that logs each flower as /predict does.
LOG_THE_TRAFFIC = """
import os, sys
os.environ["PREDICTION_DIR"] = sys.argv[1]
sys.path.insert(0, "scripts")
from send_traffic import send
from corrupt_mnist.iris_api import Flower, Prediction, log_prediction

class LoggingClient:
    def post(self, path, json):
        log_prediction(Flower(**json), Prediction(label="setosa", probability=1.0))
        return self

    def raise_for_status(self):
        pass

send(LoggingClient())
"""


# The drift service's answers to the drifted log, to its 100 oldest predictions, to no log.
SERVICE_QUESTIONS = (
    ("log", "/health"), ("log", "/drift"), ("log", "/report"), ("typical", "/drift"),
    ("nothing-yet", "/report"), ("nothing-yet", "/drift?latest=5"),
)  # fmt: skip


@pytest.fixture(scope="module")
def drift_runs(trained: Project, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """The data drifting module's scripts, all in one process: Evidently is imported once.

    First the prediction log of exercise 4 (100 typical flowers, then 100 with longer petals)
    and a folder with its 100 oldest predictions; the other steps read them.
    """
    folder = tmp_path_factory.mktemp("traffic")
    log = folder / "log"
    questions = [[str(folder / name), path] for name, path in SERVICE_QUESTIONS]
    steps = {
        "log": ("code", LOG_THE_TRAFFIC, log),
        "typical": ("code", COPY_THE_OLDEST, log, folder / "typical"),
        "windows": ("script", "scripts/drift_windows.py", log),
        "auc": ("script", "scripts/drift_auc.py", log),
        "service": ("code", ASK_THE_DRIFT_SERVICE, json.dumps(questions)),
        "demo": ("script", "scripts/drift_demo.py"),
        "demo 1.0": ("script", "scripts/drift_demo.py", "1.0"),
        "image drift": ("script", "scripts/image_drift.py"),
        "prediction shift": ("script", "scripts/prediction_shift.py"),
        "significance": ("code", SIGNIFICANCE),
        "feature drift": ("script", "scripts/image_feature_drift.py"),
        "feature drift 0": ("script", "scripts/image_feature_drift.py", "0"),
        "clip stand-in": ("code", CLIP_WITH_A_STAND_IN),
        "clip": (
            "code",
            "import sys; sys.path.insert(0, 'scripts'); import clip_drift; clip_drift.main()",
        ),
    }
    runs = dict(zip(steps, run_steps(trained, *steps.values()), strict=True))
    assert len(list(log.rglob("*.json"))) == 200, runs["log"].stderr[-3000:]
    return runs


def test_the_drift_windows_show_the_trade_off_of_the_window_size(drift_runs: Runs) -> None:
    """Data drifting, exercise 12: every window finds the change; the small one also errs."""
    result = drift_runs["windows"]
    assert result.returncode == 0, result.stderr[-3000:]
    found = {
        int(size): (int(first), ast.literal_eval(alarms))
        for size, first, alarms in re.findall(
            r"^window (\d+): first flag at row (\d+), false alarms at rows (\[.*\])$",
            result.stdout,
            re.M,
        )
    }
    assert sorted(found) == [20, 50, 100], result.stdout
    assert all(first > 100 for first, _ in found.values()), result.stdout  # after the change
    assert found[100][1] == [] and found[20][1] != [], result.stdout  # only small windows err
    assert found[100][0] >= found[20][0], result.stdout  # a large window reports later


def test_a_classifier_tells_only_the_drifted_window_from_the_training_data(
    drift_runs: Runs,
) -> None:
    """Data drifting, exercise 11: a chance-level score, then a high one that blames the petals."""
    result = drift_runs["auc"]
    assert result.returncode == 0, result.stderr[-3000:]
    scores = [
        float(s) for s in re.findall(r"^(?:first|last) 100: AUC ([\d.]+)$", result.stdout, re.M)
    ]
    assert len(scores) == 2 and scores[0] <= 0.6 and scores[1] >= 0.9, result.stdout
    weights = ast.literal_eval(result.stdout.split("importances: ", 1)[1])
    assert max(weights, key=weights.get) == "petal_length", result.stdout


def test_only_the_low_contrast_images_drift_in_contrast(drift_runs: Runs) -> None:
    """Data drifting, exercise 9: KS on brightness and contrast of three pairs of image sets."""
    result = drift_runs["image drift"]
    assert result.returncode == 0, result.stderr[-3000:]
    statistics = {
        (pair.strip(), feature): float(ks)
        for pair, feature, ks in re.findall(r"^(.+?) +(\w+): KS ([\d.]+),", result.stdout, re.M)
    }
    assert len(statistics) == 6, result.stdout
    assert statistics.pop(("low contrast", "contrast")) > 0.9, result.stdout  # every image
    assert max(statistics.values()) < 0.5, result.stdout


def test_the_predicted_digits_give_away_a_user_base_of_small_digits(drift_runs: Runs) -> None:
    """Data drifting, exercise 10: a chi-square p-value that collapses without any label."""
    result = drift_runs["prediction shift"]
    assert result.returncode == 0, result.stderr[-3000:]
    p_values = [float(p) for p in re.findall(r": p (\S+)$", result.stdout, re.M)]
    assert len(p_values) == 2 and p_values[0] > 0.01 and p_values[1] < 0.001, result.stdout


# Testing APIs, exercise 11: the load test that reads its answers ------------------------------

CALL_THE_CHECKED_TASK = locust_tasks(
    "locust_checked", "CheckedIrisUser", "for _ in range(2):\n    user.predict()"
)


def test_the_checked_load_test_fails_a_200_without_a_label(
    project: Project, iris_server: str
) -> None:
    """The real API passes; a server that answers 200 with no label fails every request."""
    passing = project.run(project.bin / "python", "-c", CALL_THE_CHECKED_TASK, iris_server)
    assert passing.stdout.splitlines() == ["POST /predict 200 None"] * 2, passing.stderr
    with recording_server() as (url, _):
        failing = project.run(project.bin / "python", "-c", CALL_THE_CHECKED_TASK, url)
    assert failing.stdout.splitlines() == ["POST /predict 200 no label in '[0]'"] * 2, (
        failing.stdout + failing.stderr[-2000:]
    )


def test_train_lit_resumes_from_the_last_checkpoint(lit: Project, lit_runs: Runs) -> None:
    """The clusters module's exercise 5: a second job continues where the first one stopped."""
    single = SAVED_AFTER.search((lit.path / "logs" / "train.log").read_text())
    assert single
    assert lit_runs["copy last"].returncode == 0, lit_runs["copy last"].stderr
    resumed = lit_runs["resume"]
    assert resumed.returncode == 0, resumed.stderr
    assert "Restoring states from the checkpoint path" in resumed.stderr, resumed.stderr[-2000:]
    # One epoch was done: the second adds as many steps again, not two epochs' worth.
    assert SAVED_AFTER.findall(resumed.stderr) == [
        ("models/resumed.pt", str(2 * int(single[2])))
    ], resumed.stderr[-2000:]


# ML deployment, exercises 5, 8, 10 and 11: timing, providers, optimisation, quantization -------


COUNT_THE_CALLS = """
import sys
sys.path.insert(0, "scripts")
from time_runtimes import seconds_per_call
calls = []
seconds = seconds_per_call(lambda: calls.append(1), calls=5, warmup=3)
print(len(calls), seconds >= 0)
"""
INT8_OPERATORS = "import onnx, sys; print(*{n.op_type for n in onnx.load(sys.argv[1]).graph.node})"
# The module's commands in the order the page runs them, each with the arguments of its check.
ONNX_STEPS = {
    "train iris": ("module", "corrupt_mnist.iris"),
    "export iris": ("script", "scripts/export_onnx.py"),
    "export cnn": ("script", "scripts/export_onnx_cnn.py"),
    "count calls": ("code", COUNT_THE_CALLS),
    "time runtimes": (
        "script",
        "scripts/time_runtimes.py",
        "models/iris.pt",
        "models/iris.onnx",
        "5",
    ),
    "providers": ("script", "scripts/onnx_providers.py"),
    "optimize": (
        "script",
        "scripts/onnx_optimize.py",
        "models/model.onnx",
        "models/model.optimized.onnx",
        "5",
    ),
    "quantize": (
        "script",
        "scripts/quantize_onnx.py",
        "models/model.onnx",
        "models/model.int8.onnx",
        "5",
    ),
    "int8 operators": ("code", INT8_OPERATORS, "models/model.int8.onnx"),
    "provider timing": (
        "script",
        "scripts/provider_timing.py",
        "CUDAExecutionProvider",
        "models/model.onnx",
        "3",
    ),
}


@pytest.fixture(scope="module")
def onnx_runs(trained: Project) -> Runs:
    """Every ONNX step of the module in one process: each export (seconds of CPU) runs once."""
    return dict(zip(ONNX_STEPS, run_steps(trained, *ONNX_STEPS.values()), strict=True))


def test_the_cnn_exports_to_onnx_and_matches_pytorch(trained: Project, onnx_runs: Runs) -> None:
    """The ML deployment module's second export, on the 64 test images of the fake data."""
    result = onnx_runs["export cnn"]
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "ONNX Runtime matches PyTorch on 64 test images" in result.stdout
    assert (trained.path / "models" / "model.onnx").is_file()
    assert not (trained.path / "models" / "model.onnx.data").exists()  # one file to ship


def test_the_timing_loop_warms_up_then_times_the_calls(onnx_runs: Runs) -> None:
    """Exercise 5's `seconds_per_call` makes warm-up plus timed calls, and both runtimes run."""
    counted = onnx_runs["count calls"]
    assert counted.stdout.split() == ["8", "True"], counted.stderr[-3000:]
    for step in ("train iris", "export iris"):
        assert onnx_runs[step].returncode == 0, onnx_runs[step].stderr[-3000:]
    timed = onnx_runs["time runtimes"]
    assert timed.returncode == 0, timed.stderr[-3000:]
    runtimes = re.findall(r"^(\w+): [\d.]+ microseconds per call$", timed.stdout, re.M)
    assert runtimes == ["pytorch", "onnxruntime"], timed.stdout


def test_asking_for_cuda_without_it_runs_on_the_cpu(onnx_runs: Runs) -> None:
    """Exercise 8: the provider list is a preference; without CUDA the session uses the CPU."""
    result = onnx_runs["providers"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "session uses: ['CPUExecutionProvider']" in result.stdout.splitlines(), result.stdout
    assert re.search(r"^\d+ providers exist in ONNX Runtime$", result.stdout, re.M), result.stdout


def test_the_optimised_graph_fuses_the_relus_into_the_convolutions(
    trained: Project, onnx_runs: Runs
) -> None:
    """Exercise 10: fewer nodes after ORT_ENABLE_ALL, the saved file being the one it counts."""
    result = onnx_runs["optimize"]
    assert result.returncode == 0, result.stderr[-3000:]
    graphs = {
        name: (int(count), ast.literal_eval(operators))
        for name, count, operators in re.findall(
            r"^(plain|optimized): (\d+) nodes (\{.*\})$", result.stdout, re.M
        )
    }
    assert sorted(graphs) == ["optimized", "plain"], result.stdout
    assert graphs["optimized"][0] < graphs["plain"][0], result.stdout
    assert graphs["plain"][1].get("Relu", 0) >= 2 > graphs["optimized"][1].get("Relu", 0), (
        result.stdout
    )
    assert (trained.path / "models" / "model.optimized.onnx").is_file()


QUANTIZED = re.compile(
    r"^models/(model(?:\.int8)?)\.onnx: (\d+) kB, accuracy ([\d.]+), [\d.]+ ms per batch of 64$",
    re.M,
)


def test_quantizing_shrinks_the_cnn_and_keeps_its_accuracy(
    trained: Project, onnx_runs: Runs
) -> None:
    """Exercise 11: the float file scores as `evaluate` did, the int8 file is smaller and close."""
    result = onnx_runs["quantize"]
    assert result.returncode == 0, result.stderr[-3000:]
    files = {name: (int(kb), float(acc)) for name, kb, acc in QUANTIZED.findall(result.stdout)}
    assert sorted(files) == ["model", "model.int8"], result.stdout
    evaluated = json.loads((trained.path / "reports" / "metrics.json").read_text())["accuracy"]
    assert files["model"][1] == pytest.approx(evaluated, abs=1e-4), result.stdout
    assert files["model.int8"][0] * 2 < files["model"][0], result.stdout  # 1 byte per weight, not 4
    assert abs(files["model.int8"][1] - files["model"][1]) <= 0.1, result.stdout
    # The page says the convolutions are quantized too, not only the linear layer.
    int8 = onnx_runs["int8 operators"]
    assert {"ConvInteger", "MatMulInteger"} <= set(int8.stdout.split()), int8.stderr[-3000:]


# Data drifting, exercise 3: a test's verdict follows the sample size, a distance's does not ---

SIGNIFICANCE = """
import sys
sys.path.insert(0, "scripts")
from drift_significance import drift_verdicts, main
main()
print("no shift:", drift_verdicts(100_000, 0.0))
"""


def test_a_tiny_shift_is_significant_only_with_many_rows(drift_runs: Runs) -> None:
    """With 100 000 rows KS flags a 0.05 shift that the distance measures as 0.05, no drift."""
    result = drift_runs["significance"]
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {
        int(n): {
            m: (float(v), d == "drift")
            for m, v, d in re.findall(r"(\w+) ([\d.]+) \((no drift|drift)\)", line)
        }
        for n, line in re.findall(r"^ *(\d+) rows: (.*)$", result.stdout, re.M)
    }
    assert sorted(rows) == [100, 1_000, 100_000], result.stdout
    assert not rows[100]["ks"][1] and rows[100_000]["ks"][1], result.stdout
    distance, drifted = rows[100_000]["wasserstein"]
    assert distance == pytest.approx(0.05, abs=0.01) and not drifted, result.stdout
    unshifted = ast.literal_eval(result.stdout.split("no shift: ", 1)[1])
    assert not unshifted["ks"][1] and not unshifted["wasserstein"][1], result.stdout


# Data drifting, exercise 6: a drift report on features of the images --------------------------


def test_the_image_feature_report_flags_only_the_darkened_brightness(
    trained: Project, drift_runs: Runs
) -> None:
    """Darker images drift in brightness, not in contrast; the untouched halves do not drift."""
    darker = drift_runs["feature drift"]
    assert darker.returncode == 1, darker.stderr[-3000:]
    assert darker.stdout.splitlines()[-1] == "drifted: brightness", darker.stdout
    assert (trained.path / "reports" / "image_drift.html").is_file()
    alike = drift_runs["feature drift 0"]
    assert (alike.returncode, alike.stdout.splitlines()[-1]) == (0, "drifted: none"), alike.stdout


# --- ex-cloud: cloud setup exercise 3, using the cloud exercises 10, 19, 20, 22, 23 and 25 ---


class FakeBucket:
    """Holds objects in memory behind the Bucket and Blob calls that bucket_roundtrip.py makes.

    `keep` says how many bytes of an upload arrive, so a test can lose the last one.
    """

    def __init__(self, name: str, keep: Callable[[bytes], bytes] = lambda data: data) -> None:
        self.name, self.keep, self.objects = name, keep, {}

    def blob(self, object_name: str) -> types.SimpleNamespace:
        def upload_from_filename(filename: str) -> None:
            self.objects[object_name] = self.keep(Path(filename).read_bytes())

        return types.SimpleNamespace(upload_from_filename=upload_from_filename)

    def get_blob(self, object_name: str) -> types.SimpleNamespace:
        data = self.objects[object_name]
        return types.SimpleNamespace(
            size=len(data), download_to_filename=lambda filename: Path(filename).write_bytes(data)
        )


def fake_storage(monkeypatch: pytest.MonkeyPatch, bucket: FakeBucket) -> list[str]:
    """Stand in for google.cloud.storage; returns the bucket names the script asked for."""
    opened: list[str] = []

    def open_bucket(name: str) -> FakeBucket:
        opened.append(name)
        return bucket

    storage = types.SimpleNamespace(Client=lambda: types.SimpleNamespace(bucket=open_bucket))
    monkeypatch.setattr(google.cloud, "storage", storage, raising=False)
    monkeypatch.setitem(sys.modules, "google.cloud.storage", storage)
    return opened


@pytest.mark.parametrize("lost", [0, 1])
def test_the_bucket_round_trip_downloads_only_a_complete_upload(
    lost: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Exercise 10: the weights go up and come back whole; a short object fails before the copy."""
    roundtrip = load_module(EXAMPLE / "scripts" / "bucket_roundtrip.py")
    weights = tmp_path / "models" / "model.pt"
    weights.parent.mkdir()
    weights.write_bytes(bytes(range(256)) * 40)
    bucket = FakeBucket("mlops-group-42-data", keep=lambda data: data[: len(data) - lost])
    opened = fake_storage(monkeypatch, bucket)
    copy = tmp_path / "models" / "model_copy.pt"

    status = roundtrip.main([str(weights), "--copy", str(copy)])

    out, err = capsys.readouterr()
    assert opened == ["mlops-group-42-data"] and list(bucket.objects) == ["models/model.pt"]
    assert f"bucket: {10240 - lost} bytes, local: 10240 bytes" in out.splitlines(), out
    if lost:
        assert status == 1 and not copy.exists(), out
        assert err.startswith("FAILED: gs://mlops-group-42-data/models/model.pt is not a full"), err
    else:
        assert status == 0 and copy.read_bytes() == weights.read_bytes(), err


def test_the_credentials_check_lists_the_buckets_of_the_default_project(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cloud setup, exercise 3: the project ADC finds is the one whose buckets are listed."""
    asked: list[str] = []

    def client(project: str) -> types.SimpleNamespace:
        asked.append(project)
        bucket = types.SimpleNamespace(name="mlops-group-42-data")
        return types.SimpleNamespace(list_buckets=lambda: iter([bucket]))

    auth = types.SimpleNamespace(default=lambda: (object(), "mlops-group-42-2026"))
    monkeypatch.setattr(google, "auth", auth, raising=False)
    monkeypatch.setitem(sys.modules, "google.auth", auth)
    storage = types.SimpleNamespace(Client=client)
    monkeypatch.setattr(google.cloud, "storage", storage, raising=False)
    monkeypatch.setitem(sys.modules, "google.cloud.storage", storage)
    load_module(EXAMPLE / "scripts" / "check_gcp.py").main()
    assert asked == ["mlops-group-42-2026"]
    assert capsys.readouterr().out.splitlines() == [
        "Authenticated, default project: mlops-group-42-2026",
        "Buckets: ['mlops-group-42-data']",
    ]


class FakeSecretClient:
    """Answers access_secret_version like Secret Manager's client and remembers the names."""

    def __init__(self, value: str) -> None:
        self.value, self.names = value, []

    def access_secret_version(self, request: dict[str, str]) -> types.SimpleNamespace:
        self.names.append(request["name"])
        return types.SimpleNamespace(payload=types.SimpleNamespace(data=self.value.encode()))


def vertex_secret() -> tuple[str, str]:
    """The variable and secret that the Vertex AI job config hands to the training container."""
    config = yaml.safe_load((EXAMPLE / "vertex_config.yaml").read_text())
    [variable] = config["workerPoolSpecs"]["containerSpec"]["env"]
    return variable["name"], variable["value"]


def test_a_wandb_key_that_is_set_never_reaches_secret_manager(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Exercise 25: a key from the shell (or the platform) wins; Secret Manager is not asked."""
    secrets = load_module(EXAMPLE / "src" / "corrupt_mnist" / "cloud_secrets.py")
    client = FakeSecretClient("from-the-vault")
    monkeypatch.setenv("WANDB_API_KEY", "from-the-shell")
    monkeypatch.setenv(*vertex_secret())
    secrets.ensure_wandb_key(client)
    assert client.names == [] and os.environ["WANDB_API_KEY"] == "from-the-shell"


def test_without_a_key_training_reads_the_latest_version_of_the_vertex_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exercise 25: the job's variable names the secret; its latest version becomes the key."""
    secrets = load_module(EXAMPLE / "src" / "corrupt_mnist" / "cloud_secrets.py")
    variable, secret = vertex_secret()
    assert variable == secrets.SECRET_ENV
    # The same secret that exercise 26's Cloud Build config reads.
    check = yaml.safe_load((EXAMPLE / "secret_check.yaml").read_text())
    [declared] = check["availableSecrets"]["secretManager"]
    assert declared["versionName"].split("/")[3] == secret.split("/")[3] == "wandb-api-key"
    client = FakeSecretClient("from-the-vault")
    monkeypatch.delenv("WANDB_API_KEY", raising=False)
    monkeypatch.setenv(variable, secret)
    secrets.ensure_wandb_key(client)
    assert client.names == [f"{secret}/versions/latest"]
    assert os.environ["WANDB_API_KEY"] == "from-the-vault"
    out, err = capsys.readouterr()
    assert "from-the-vault" not in out + err and secret in out, out


def test_without_a_key_or_a_secret_to_read_training_asks_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A laptop run with neither variable: W&B uses `wandb login`, and the cloud is not asked."""
    secrets = load_module(EXAMPLE / "src" / "corrupt_mnist" / "cloud_secrets.py")
    client = FakeSecretClient("from-the-vault")
    monkeypatch.delenv("WANDB_API_KEY", raising=False)
    monkeypatch.delenv(secrets.SECRET_ENV, raising=False)
    secrets.ensure_wandb_key(client)
    assert client.names == [] and "WANDB_API_KEY" not in os.environ


# train() in a process where google.cloud.secretmanager is a fake that records its calls.
TRAIN_WITH_A_SECRET = """
import os, sys, types
import google.cloud

names = []

class SecretManagerServiceClient:
    def access_secret_version(self, request):
        names.append(request["name"])
        return types.SimpleNamespace(payload=types.SimpleNamespace(data=b"from-the-vault"))

fake = types.SimpleNamespace(SecretManagerServiceClient=SecretManagerServiceClient)
google.cloud.secretmanager = fake
sys.modules["google.cloud.secretmanager"] = fake
from corrupt_mnist.config import load_config
from corrupt_mnist.train import train
try:  # no data there: the key must be in place before train() even looks for it
    train(load_config(["paths.processed=no/data/here"]))
except FileNotFoundError:
    print("stopped at the data")
print("asked:", names, os.environ["WANDB_API_KEY"] == "from-the-vault")
"""


def test_training_loads_the_key_before_it_starts(project: Project) -> None:
    """The hook in train(): the job's secret is read once, first, and its value never printed."""
    variable, secret = vertex_secret()
    env = {key: value for key, value in project.env().items() if key != "WANDB_API_KEY"}
    result = subprocess.run(
        [project.bin / "python", "-c", TRAIN_WITH_A_SECRET],
        cwd=project.path,
        env={**env, variable: secret},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines == [
        f"WANDB_API_KEY read from {secret}",
        "stopped at the data",
        f"asked: ['{secret}/versions/latest'] True",
    ], lines
    assert "from-the-vault" not in result.stdout + result.stderr


def cloud_page_yaml(marker: str) -> str:
    """The one YAML block of the using-the-cloud page that contains `marker`."""
    page = "using_the_cloud.md"
    [block] = [text for where, text in page_yaml_blocks(PAGES) if page in where and marker in text]
    return block


def image_tags(config: dict) -> dict[str, str]:
    """The image each `docker build` step of a Cloud Build config tags, by step id."""
    tags = {}
    for step in config["steps"]:
        if step["args"][0] == "build":
            tags[step["id"]] = step["args"][step["args"].index("-t") + 1]
    return tags


def test_the_substitutions_exercise_builds_the_image_the_project_builds() -> None:
    """Exercise 19: every ${_NAME} is defined, and its defaults give cloudbuild.yaml's tag."""
    block = cloud_page_yaml("substitutions:")
    config = yaml.safe_load(block)
    defaults = config["substitutions"]
    assert all(re.fullmatch(r"_[A-Z][A-Z0-9_]*", name) for name in defaults), defaults
    own = re.compile(r"\$\{?(_[A-Z0-9_]+)\}?")  # ${_REGION}, or $_REGION where nothing follows
    assert set(own.findall(block)) == set(defaults), own.findall(block)
    resolved = yaml.safe_load(own.sub(lambda m: defaults[m[1]], block))
    project = yaml.safe_load((EXAMPLE / "cloudbuild.yaml").read_text())
    assert image_tags(resolved)["build-train"] == image_tags(project)["build-train"]
    assert resolved["images"] == [image_tags(project)["build-train"]]


def test_the_smoke_test_step_runs_the_image_just_built_with_help(project: Project) -> None:
    """Exercise 20: the step waits for build-train, runs its tag, and `--help` passes only as is."""
    config = yaml.safe_load((EXAMPLE / "cloudbuild.yaml").read_text())
    [step] = yaml.safe_load(cloud_page_yaml("id: smoke-test"))
    ids = [existing["id"] for existing in config["steps"]]
    assert step["waitFor"] == ["build-train"] and step["id"] not in ids
    run, remove, image, *arguments = step["args"]
    assert (run, remove) == ("run", "--rm") and image == image_tags(config)["build-train"]
    dockerfile = (EXAMPLE / "dockerfiles" / "train.dockerfile").read_text()
    [entrypoint] = re.findall(r"^ENTRYPOINT (\[.*\])$", dockerfile, re.M)
    command = json.loads(entrypoint)
    assert project.run(*command, *arguments).returncode == 0
    assert project.run(*command, "--no-such-option").returncode != 0


def vertex_jobs() -> list[tuple[str, list[str]]]:
    """(where, args) of the Vertex AI jobs: vertex_config.yaml and the page's --args= flags."""
    config = yaml.safe_load((EXAMPLE / "vertex_config.yaml").read_text())
    jobs = [("vertex_config.yaml", config["workerPoolSpecs"]["containerSpec"]["args"])]
    page = PAGES / "s6_the_cloud" / "using_the_cloud.md"
    for flag in re.finditer(r"--args=(\S+)", page.read_text(encoding="utf-8")):
        jobs.append((f"using_the_cloud.md: {flag[0]}", flag[1].split(",")))
    return jobs


def test_every_vertex_job_names_the_subcommand_and_composes() -> None:
    """Issue 12's error 7: args replace CMD, so `train` comes first; the rest must compose."""
    jobs = vertex_jobs()
    assert len(jobs) >= 2
    with initialize_config_dir(version_base="1.3", config_dir=str(EXAMPLE / "configs")):
        for where, (command, *overrides) in jobs:
            assert command == "train", where
            cfg = compose(config_name="config", overrides=overrides)
            # Both paths in the bucket that Vertex AI mounts, or the weights vanish with the VM.
            for path in (cfg.paths.processed, cfg.paths.model):
                assert path.startswith("/gcs/mlops-group-42-data/"), (where, path)


# --- ex-infer: the inference module (quantization, pruning, distillation) ---------------------


# Each check's command, as (script of scripts/inference/, arguments); fewer steps than the page.
INFERENCE_COMMANDS = {
    "by hand": ("by_hand",),
    "quantize": ("digits", "quantize", "--epochs", "100", "--hidden", "128"),
    "distil": ("digits", "distil", "--epochs", "150", "--hidden", "128"),
    "prune": ("prune",),
    "distil cnn": ("distil_cnn", "--teacher", "models/model.pt", "--teacher-model", "cnn",
                   "--epochs", "1"),
    "latency": ("latency", "--model", "mnist", "--min-run-time", "0.2"),
}  # fmt: skip


@pytest.fixture(scope="module")
def inference_runs(trained: Project) -> Runs:
    """The inference module's scripts, run in one process that imports PyTorch once."""
    steps = [("script", f"scripts/inference/{script}.py", *args)
             for script, *args in INFERENCE_COMMANDS.values()]  # fmt: skip
    return dict(zip(INFERENCE_COMMANDS, run_steps(trained, *steps), strict=True))


def inference_script(runs: Runs, name: str) -> str:
    """What the script of INFERENCE_COMMANDS[name] printed; it must have succeeded."""
    result = runs[name]
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_quantizing_by_hand_shows_the_range_and_resolution_trade_off(inference_runs: Runs) -> None:
    """Exercises 6-8: coarse and fine scales, the min-max parameters, per-row scales."""
    lines = inference_script(inference_runs, "by hand").splitlines()
    assert lines[0] == "[-10, 0, 0, 5, 27] [-1.0, 0.0, 0.0, 0.5, 2.7]"
    assert lines[1] == "[-100, 0, 4, 50, 127] [-1.0, 0.0, 0.04, 0.5, 1.27]"  # 2.7 is clipped
    by_hand, observer = (re.search(r"scale (\S+), zero point (\d+)", line) for line in lines[2:4])
    assert by_hand and observer and by_hand.groups() == observer.groups()
    error, half_step = map(float, re.findall(r"[\d.]+", lines[4]))
    assert error <= half_step
    per_tensor, per_channel = ([float(e) for e in line.split()[2:]] for line in lines[5:7])
    assert per_tensor[0] == 1.0 and max(per_channel) < 0.005  # the smallest row rounds to 0


def test_dynamic_quantization_quarters_the_mlp_and_keeps_its_accuracy(inference_runs: Runs) -> None:
    """Exercises 9-10, with a narrower MLP and fewer steps than the page so that it stays quick."""
    out = inference_script(inference_runs, "quantize")
    (float_acc, float_mb), (int_acc, int_mb) = (
        (float(a), float(mb)) for a, mb in re.findall(r"accuracy ([\d.]+), ([\d.]+) MB", out)
    )
    assert float_acc > 0.9 and abs(float_acc - int_acc) < 0.03, out
    assert int_mb < 0.35 * float_mb, out
    assert "DynamicQuantizedLinear" in out and "_packed_params" in out, out


def test_a_teacher_teaches_a_student_without_labels(inference_runs: Runs) -> None:
    """Exercises 22-23: the soft term alone trains the student; T=4 softens the targets."""
    out = inference_script(inference_runs, "distil")
    distilled = float(re.search(r"distilled student, no labels: accuracy ([\d.]+)", out)[1])
    assert distilled > 0.4, out  # chance is 0.1: the teacher's soft targets carried the classes
    sharp, soft = (ast.literal_eval(p) for p in re.findall(r"^T=\d: (.*)$", out, re.M))
    assert max(soft) < max(sharp) and sum(p > 0.005 for p in soft) > sum(p > 0.005 for p in sharp)


def test_pruning_the_project_model_and_cutting_out_filters(inference_runs: Runs) -> None:
    """Exercises 14, 17-19: masks on the trained model, the bias fix, sparse formats."""
    out = inference_script(inference_runs, "prune")
    assert "features.0: 50% zeros" in out and "features.3: 50% zeros" in out, out
    assert "'features.0.weight_orig'" in out and "'features.0.weight_mask'" in out, out
    kept = r"bias fixed (\w+): 24 filters kept, largest difference (\S+)"
    differences = dict(re.findall(kept, out))
    assert float(differences["False"]) > 1e-4 and float(differences["True"]) < 1e-5, out
    half = re.search(r"50% zeros: dense (\d+), COO (\d+), CSR (\d+) bytes", out)
    assert half and half.groups() == ("1048576", str(20 * 131072), str(12 * 131072 + 8 * 513))


def test_the_cnn_student_is_a_fifth_of_the_teacher(inference_runs: Runs) -> None:
    """Exercise 25, taught by the trained default model for one epoch."""
    out = inference_script(inference_runs, "distil cnn")
    params = dict(re.findall(r"^(\w+) +(\d+) parameters", out, re.M))
    assert params["student"] == params["plain"] == "9098", out
    assert int(params["teacher"]) > 5 * 9098, out


def test_the_latency_script_times_the_project_model(inference_runs: Runs) -> None:
    """The module's timing function, on MnistCNN (resnet18 needs torchvision)."""
    out = inference_script(inference_runs, "latency")
    assert re.search(r"^first call [\d.]+ ms, median afterwards [\d.]+ ms$", out, re.M), out
    assert re.search(r"^mnist: [\d.]+ ms per batch of 1$", out, re.M), out


# --- ex-front: frontend exercises 1, 3, 7, 9 and 10 ---

FRONTEND_EXERCISE_TESTS = (
    "tests/test_hello_frontend.py",
    "tests/test_gradio_frontend.py",
    "tests/test_frontend_live.py",
)


def test_the_frontend_exercises_pass_and_catch_a_page_that_asks_for_health_each_run(
    project: Project, own_tests: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    """Exercises 1, 7, 9 and 10 pass; a page whose health check is not cached fails one test.

    Without st.cache_data every rerun of the page asks /health again.
    """
    assert passed_in(own_tests, *FRONTEND_EXERCISE_TESTS) == 6, own_tests.stdout
    broken = copy_example(tmp_path / "p")
    edit(broken / "src/corrupt_mnist/frontend.py", "@st.cache_data(ttl=10)\n", "")
    result = frontend_tests(on_the_venv_of(project, broken), "tests/test_frontend_live.py")
    assert "1 failed, 3 passed" in result.stdout, result.stdout
    assert "test_the_sidebar_asks_for_health_once_per_10_seconds" in result.stdout


# --- ex-drift: CLIP embeddings, the drift service, BentoML on a GPU -------------------------

CLIP_WITH_A_STAND_IN = """
import sys
import torch
sys.path.insert(0, "scripts")
from clip_drift import main

print("transformers imported:", "transformers" in sys.modules)
# A fixed random projection of the pixels: deterministic, offline, and blind to nothing linear.
projection = torch.randn(784, 16, generator=torch.Generator().manual_seed(0))
main(lambda images: images.flatten(start_dim=1) @ projection)
"""
VERDICTS = re.compile(r"^(.+): statistics (\[.*\]), embedding (\[.*\])$", re.M)


def test_embeddings_see_turned_digits_that_brightness_and_contrast_miss(drift_runs: Runs) -> None:
    """Data drifting, exercise 7, with a stand-in encoder: each kind of change where it shows."""
    result = drift_runs["clip stand-in"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("transformers imported: False"), result.stdout
    verdicts = {
        name: (ast.literal_eval(features), ast.literal_eval(components))
        for name, features, components in VERDICTS.findall(result.stdout)
    }
    assert sorted(verdicts) == ["darker", "same kind", "turned"], result.stdout
    assert verdicts["same kind"] == ([], []), result.stdout
    assert "brightness" in verdicts["darker"][0] and verdicts["darker"][1], result.stdout
    assert verdicts["turned"][0] == [] and verdicts["turned"][1], result.stdout


def test_the_clip_script_loads_transformers_only_when_it_embeds(drift_runs: Runs) -> None:
    """Without an encoder, main() goes for CLIP: here, without transformers, it says so."""
    result = drift_runs["clip"]
    assert result.returncode == 1
    assert "No module named 'transformers'" in result.stderr, result.stderr[-3000:]


# Each question is [folder, path]: the service reads PREDICTION_DIR again on every request.
ASK_THE_DRIFT_SERVICE = """
import json, os, sys
from fastapi.testclient import TestClient
from corrupt_mnist.drift_service import app

client = TestClient(app)
for folder, path in json.loads(sys.argv[1]):
    os.environ["PREDICTION_DIR"] = folder
    response = client.get(path)
    kind = response.headers["content-type"].split(";")[0]
    body = response.json() if kind == "application/json" else "petal_length" in response.text
    print(json.dumps([response.status_code, kind, body]))
"""
COPY_THE_OLDEST = """
import sys
from pathlib import Path
log, typical = map(Path, sys.argv[1:])
typical.mkdir()
for file in sorted(log.rglob("*.json"), key=lambda f: f.name)[:100]:
    (typical / file.name).write_text(file.read_text())
"""


def test_the_drift_service_reports_the_window_that_prediction_dir_holds(
    drift_runs: Runs,
) -> None:
    """Data drifting, exercise 8: the report service on exercise 4's log, through TestClient.

    Then on the log's 100 oldest predictions (the flowers before the change), then on no log.
    """
    result = drift_runs["service"]
    assert result.returncode == 0, result.stderr[-3000:]
    answers = dict(zip(SERVICE_QUESTIONS, map(json.loads, result.stdout.splitlines()), strict=True))
    assert answers["log", "/health"] == [200, "application/json", {"status": "ok"}]
    petals = "Value Drift for column petal_length"
    assert answers["log", "/drift"] == [200, "application/json", {"rows": 100, "failed": [petals],
                                                                  "drift": False}]  # fmt: skip
    assert answers["log", "/report"] == [200, "text/html", True]
    calm = answers["typical", "/drift"]
    assert calm == [200, "application/json", {"rows": 100, "failed": [], "drift": False}]
    empty = answers["nothing-yet", "/report"]
    assert empty[:2] == [404, "application/json"], empty
    assert "no logged predictions" in empty[2]["detail"], empty
    assert answers["nothing-yet", "/drift?latest=5"][0] == 422, answers  # too few rows to test


SERVE_THE_CNN_WITHOUT_BENTOML = """
import logging, sys, types, warnings
import numpy as np

options = {}  # what the decorators were given, by class and by method


def recorder(target=None, **given):
    def record(decorated):
        options[decorated.__qualname__] = given
        return decorated
    return record(target) if target else record


# A stand-in for the bentoml module: the decorators only record, the classes stay plain classes.
sys.modules["bentoml"] = types.SimpleNamespace(service=recorder, api=recorder, depends=lambda s: s)
sys.path.insert(0, ".")
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s", stream=sys.stdout)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import service
    classifier = service.MnistClassifier()
print("warned:", any("CUDAExecutionProvider" in str(w.message) for w in caught))
print("digits:", classifier.predict(np.zeros((3, 1, 28, 28))).tolist())  # float64, as from JSON
print("resources:", options["MnistClassifier"].get("resources"))
print("batchable:", options["MnistClassifier.predict"].get("batchable"))
"""


def test_the_gpu_service_asks_for_cuda_and_falls_back_to_the_cpu(
    trained: Project, onnx_runs: Runs
) -> None:
    """ML deployment, exercise 17, on the CPU: CUDA first, a warning, the CPU in the log.

    It runs alone: the service configures logging, which an earlier step in one process may not.
    """
    assert onnx_runs["export cnn"].returncode == 0, "no models/model.onnx to serve"
    result = trained.run(trained.bin / "python", "-c", SERVE_THE_CNN_WITHOUT_BENTOML)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert "bentoml: models/model.onnx runs on ['CPUExecutionProvider']" in lines, result.stdout
    assert "warned: True" in lines, result.stdout  # CUDA was asked for first
    digits = ast.literal_eval(result.stdout.split("digits: ", 1)[1].splitlines()[0])
    assert len(digits) == 3 and all(0 <= d <= 9 for d in digits), result.stdout
    assert {"resources: {'gpu': 1}", "batchable: True"} <= set(lines), result.stdout


def test_the_gpu_load_test_posts_one_image_per_request(project: Project) -> None:
    """locust_bento_mnist.py as the page runs it: a (1, 1, 28, 28) batch under predict's name."""
    with recording_server() as (url, received):
        result = project.run(
            project.bin / "python", "-m", "locust", "-f", "tests/performance/locust_bento_mnist.py",
            "--host", url, "--headless", "-u", "2", "-r", "2", "-t", "3s", "--only-summary",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert received, "no request reached the server"
    key = predict_parameter("MnistClassifier")
    for path, body in received:
        assert path == "/predict" and isinstance(body, dict) and list(body) == [key], body
        images = body[key]
        assert [len(images), len(images[0]), len(images[0][0]), len(images[0][0][0])] == [
            1, 1, 28, 28,
        ], path  # fmt: skip


def test_the_provider_timing_names_the_provider_that_really_ran(onnx_runs: Runs) -> None:
    """ML deployment, exercise 9: asking for a missing provider shows the fallback in the line."""
    result = onnx_runs["provider timing"]
    assert result.returncode == 0, result.stderr[-3000:]
    runs = re.findall(r"^asked for (\w+), runs on (\w+): [\d.]+ ms per batch of 64$",
                      result.stdout, re.M)  # fmt: skip
    assert runs == [
        ("CUDAExecutionProvider", "CPUExecutionProvider"),
        ("CPUExecutionProvider", "CPUExecutionProvider"),
    ], result.stdout


# --- ex-s4: debugging, logging and monitoring exercises the pages include ---


def test_the_step_schedule_halves_the_learning_rate_every_two_epochs(
    lit: Project, lit_runs: Runs
) -> None:
    """boilerplate.md exercise 10: the Trainer steps StepLR once per epoch, the monitor logs it."""
    result = lit_runs["step lr"]
    assert result.returncode == 0, result.stderr[-2000:]
    with (lit.path / "logs/step_lr/version_0/metrics.csv").open() as metrics:
        rates = [float(row["lr-Adam"]) for row in csv.DictReader(metrics) if row["lr-Adam"]]
    assert rates == [0.001, 0.001, 0.0005, 0.0005, 0.00025, 0.00025]


LOGGING_PAGE = PAGES / "s4_debugging_and_logging" / "logging.md"


def test_basic_config_shows_info_and_hides_debug(tmp_path: Path) -> None:
    """logging.md exercise 1, the earlier stage: INFO lines with time, level and module name."""
    script = tmp_path / "cli.py"
    script.write_text(earlier_stage(LOGGING_PAGE, "src/corrupt_mnist/cli.py"))
    result = python(script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\S+ \S+ INFO __main__: Starting training\n", result.stderr)


def test_one_logger_is_turned_down_and_its_siblings_are_not() -> None:
    """logging.md exercise 9: the data logger's INFO is dropped, the train logger's DEBUG kept."""
    result = python(EXAMPLE / "sandbox" / "quiet_loggers.py", cwd=EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "DEBUG    corrupt_mnist.train: shown: the train logger inherits DEBUG"
    ]


def served_series(url: str) -> set[str]:
    """The names of the series that GET /metrics/ of an API at url serves right now."""
    with urllib.request.urlopen(f"{url}/metrics/", timeout=10) as response:
        text = response.read().decode()
    return {re.split(r"[{ ]", line)[0] for line in text.splitlines() if not line.startswith("#")}


def test_the_alert_rules_and_the_rates_script_ask_for_metrics_the_api_serves(
    iris_server: str,
) -> None:
    """monitoring.md exercises 10 and 11: a misspelt metric makes a query silently empty."""
    flower = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
    request = urllib.request.Request(
        f"{iris_server}/predict",
        data=json.dumps(flower).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10):
        pass  # one prediction, so the labelled counters have a series too
    served = served_series(iris_server)
    rules = yaml.safe_load((EXAMPLE / "monitoring" / "alerts.yml").read_text())
    rules = [rule for group in rules["groups"] for rule in group["rules"]]
    assert [rule["alert"] for rule in rules] == ["HighErrorRate", "LowConfidence"]
    queries = [rule["expr"] for rule in rules]
    queries.append((EXAMPLE / "scripts" / "request_rates.py").read_text())
    for query in queries:
        named = set(re.findall(r"\biris_\w+", query))
        assert named and named <= served, f"not served: {sorted(named - served)}"
    for rule in rules:
        assert re.fullmatch(r"\d+m", rule["for"]) and rule["annotations"]["summary"], rule


@contextmanager
def fake_prometheus(result: list[dict[str, object]]) -> Iterator[tuple[str, list[str]]]:
    """A stand-in for Prometheus's /api/v1/query on 127.0.0.1 that answers with `result`."""
    asked: list[str] = []

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            asked.extend(urllib.parse.parse_qs(query).get("query", []))
            found = path == "/api/v1/query"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            data = {"resultType": "vector", "result": result}
            self.wfile.write(json.dumps({"status": "success", "data": data}).encode())

    with serving(Handler) as url:
        yield url, asked


def test_the_rates_script_prints_what_prometheus_answers(project: Project) -> None:
    """monitoring.md exercise 10, against a fake Prometheus: one line per status, in order."""
    result = [
        {"metric": {"status": "500"}, "value": [1764850000.0, "0.25"]},
        {"metric": {"status": "200"}, "value": [1764850000.0, "3.5"]},
    ]
    with fake_prometheus(result) as (url, asked):
        printed = project.run(project.bin / "python", "scripts/request_rates.py", url)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.splitlines() == ["200 3.50 requests/s", "500 0.25 requests/s"]
    assert asked == ["sum by (status) (rate(iris_http_requests_total[1m]))"]


def test_the_failing_route_is_counted_as_the_alert_expects(
    project: Project, iris_server: str, tmp_path: Path
) -> None:
    """monitoring.md exercise 5: FailingUser's requests to /fail end as 500s in the counter."""
    env = {**project.env(), "PYTHONPATH": "sandbox", "PREDICTION_DIR": str(tmp_path)}
    # uvicorn closes the connection after an unhandled exception: a new one for the next task.
    calls = locust_tasks(
        "locust_fail", "FailingUser", "user.fail()\nuser.client.close()\nuser.health()"
    )
    with uvicorn_server(project, "failing_iris_api:app", env) as url:  # models/iris.pt: iris_server
        result = project.run(project.bin / "python", "-c", calls, url)
        served = urllib.request.urlopen(f"{url}/metrics/", timeout=10).read().decode()
    assert result.stdout.splitlines() == [
        "GET /fail 500 500 Server Error: Internal Server Error for url: /fail",
        "GET /health 200 None",
    ], result.stdout + result.stderr[-2000:]
    assert 'iris_http_requests_total{method="GET",path="/fail",status="500"} 1.0' in served


PREDICT_THEN_SHOW_METRICS = """
import sys
from fastapi.testclient import TestClient
from corrupt_mnist.iris_api import app
flower = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
with TestClient(app) as client:
    for _ in range(int(sys.argv[1])):
        assert client.post("/predict", json=flower).status_code == 200
    print(client.get("/metrics/").text)
"""


def test_processes_add_up_their_counts_in_multiprocess_mode(
    project: Project, iris_server: str, tmp_path: Path
) -> None:
    """monitoring.md exercise 12: a second process serves the first one's predictions too."""
    (tmp_path / "metrics").mkdir()
    env = {
        **project.env(),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "PREDICTION_DIR": str(tmp_path / "predictions"),
    }
    series = 'iris_http_requests_total{method="POST",path="/predict",status="200"}'
    for predictions, total in ((1, 1.0), (2, 3.0)):  # models/iris.pt: from iris_server
        result = subprocess.run(
            [project.bin / "python", "-c", PREDICT_THEN_SHOW_METRICS, str(predictions)],
            cwd=project.path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert f"{series} {total}" in result.stdout, result.stdout


def test_the_profile_summary_lists_the_busiest_function_first(tmp_path: Path) -> None:
    """profiling.md exercise 2: pstats sorted by own time puts the hot loop at the top."""
    loop = "def busy() -> int:\n    total = 0\n    for i in range(300_000):\n        total += i\n"
    (tmp_path / "hot.py").write_text(loop + "    return total\n\n\nbusy()\n")
    profiled = python("-m", "cProfile", "-o", "hot.prof", "hot.py", cwd=tmp_path)
    assert profiled.returncode == 0, profiled.stderr
    shown = python(EXAMPLE / "sandbox" / "show_profile.py", "hot.prof", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Ordered by: internal time" in shown.stdout
    rows = shown.stdout.split("filename:lineno(function)\n", 1)[1].splitlines()
    assert "hot.py:1(busy)" in rows[0], shown.stdout  # its loop calls nothing: all own time


def test_the_two_normalise_versions_agree_before_they_are_timed() -> None:
    """profiling.md exercise 10: the script refuses to time versions that give other results."""
    result = python(EXAMPLE / "sandbox" / "benchmark_normalise.py", cwd=EXAMPLE)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"^speed-up \d+x$", result.stdout, re.M), result.stdout


# --- ex-s1: session 1's exercises (deep learning software), hyperparameters, documentation ---

DL_PAGE = PAGES / "s1_development_environment" / "deep_learning_software.md"


@pytest.fixture(scope="module")
def session_one(trained: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Session 1's flat folder: model.py beside the scripts, the trained copy's data and weights."""
    folder = tmp_path_factory.mktemp("dtu-mlops-exercises")
    shutil.copy(trained.path / "src" / "corrupt_mnist" / "model.py", folder / "model.py")
    shutil.copytree(trained.path / "data" / "processed", folder / "data" / "processed")
    (folder / "models").mkdir()
    shutil.copy(trained.path / "models" / "model.pt", folder / "models" / "model.pt")
    (folder / "reports" / "figures").mkdir(parents=True)
    return folder


SAVE_A_CHECKPOINT = (
    "import torch; from checkpoint import save_checkpoint, save_curve; "
    "from model import MnistCNN; model = MnistCNN(); "
    "optimizer = torch.optim.Adam(model.parameters()); "
    "model(torch.rand(2, 1, 28, 28)).sum().backward(); optimizer.step(); "
    "save_curve([0.9, 0.5, 0.3]); save_checkpoint(model, optimizer, 3); "
    "saved = torch.load('models/checkpoint.pt'); MnistCNN().load_state_dict(saved['model']); "
    "print(len(saved['optimizer']['state']))"
)
# The page's files, run in this order: the saving code needs checkpoint.py, which then resumes.
SESSION_ONE_STEPS = {
    "evaluate.py": ("script", "evaluate.py"),
    "overfit.py": ("script", "overfit.py"),
    "shapes.py": ("script", "shapes.py"),
    "save": ("code", SAVE_A_CHECKPOINT),
    "checkpoint.py": ("script", "checkpoint.py"),
}


@pytest.fixture(scope="module")
def session_one_runs(trained: Project, session_one: Path) -> Runs:
    """The page's earlier-stage blocks saved in the flat folder, all run in one process."""
    for file in SESSION_ONE_STEPS:
        if file.endswith(".py"):
            (session_one / file).write_text(earlier_stage(DL_PAGE, file))
    runs = run_steps(trained, *SESSION_ONE_STEPS.values(), cwd=session_one)
    return dict(zip(SESSION_ONE_STEPS, runs, strict=True))


def run_session_one(runs: Runs, file: str) -> subprocess.CompletedProcess[str]:
    """How the page's block for `file` ran; it must have succeeded."""
    result = runs[file]
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_the_session_one_evaluate_scores_the_weights_as_the_package_does(
    trained: Project, session_one_runs: Runs
) -> None:
    printed = run_session_one(session_one_runs, "evaluate.py").stdout
    accuracy = json.loads((trained.path / "reports" / "metrics.json").read_text())["accuracy"]
    assert printed == f"test accuracy: {accuracy:.3f}\n"


def test_overfitting_one_batch_on_the_first_page_drives_the_loss_to_zero(
    session_one_runs: Runs,
) -> None:
    last = run_session_one(session_one_runs, "overfit.py").stdout.splitlines()[-1]
    found = re.fullmatch(r"step 200: loss ([\d.]+), accuracy ([\d.]+)", last)
    assert found, last
    assert float(found[1]) < 0.1 and found[2] == "1.00", last


def test_the_layer_shapes_are_the_ones_the_page_lists(session_one_runs: Runs) -> None:
    printed = run_session_one(session_one_runs, "shapes.py").stdout.splitlines()
    text = DL_PAGE.read_text(encoding="utf-8")
    listed = text[text.index("The shapes go ") : text.index("(8, 10).")] + "(8, 10)"
    assert [line.split(maxsplit=1)[1] for line in printed] == re.findall(r"\([\d, ]+\)", listed)


def test_the_checkpoint_helpers_save_a_curve_and_what_resuming_needs(
    session_one: Path, session_one_runs: Runs
) -> None:
    saved = session_one_runs["save"]
    assert saved.stdout == "6\n", saved.stdout + saved.stderr  # Adam's state for 6 tensors
    curve = session_one / "reports" / "figures" / "training_curve.png"
    assert curve.read_bytes().startswith(b"\x89PNG")
    resumed = run_session_one(session_one_runs, "checkpoint.py")
    assert resumed.stdout == "checkpoint from epoch 3\n"


def test_the_sample_grid_titles_each_digit_with_its_label(
    trained: Project, trained_runs: Runs
) -> None:
    figure = trained.path / "reports" / "figures" / "samples.png"
    result = trained_runs["samples"]
    assert result.stdout == f"saved {figure.relative_to(trained.path)}\n", result.stderr
    assert figure.read_bytes().startswith(b"\x89PNG")
    shown, labels = trained_runs["sample titles"].stdout.splitlines()
    assert shown == labels


def test_the_confusion_matrix_counts_true_digits_by_row(trained_runs: Runs) -> None:
    result = trained_runs["confusion"]
    assert result.stdout == "7 1 3 [(4, 9, 3), (0, 1, 2), (7, 2, 1)]\n", result.stderr


# The hyperparameter module: the tuning baseline and the digits study's scripts.


def test_the_tuning_study_starts_from_the_config_defaults(lit_runs: Runs) -> None:
    result = lit_runs["tune defaults"]
    assert result.stdout.splitlines()[-1] == "{'lr': 0.001, 'channels': 32, 'dropout': 0.25}", (
        result.stdout + result.stderr
    )


CLIMBING = (
    "import optuna; from compare_samplers import best_so_far; values = iter([0.5, 0.9, 0.7]); "
    "print(best_so_far(optuna.samplers.RandomSampler(), 3, lambda t: next(values)).tolist())"
)
FILL_THE_STUDY = """
import optuna, sys
study = optuna.create_study(study_name='digits-mlp', storage=sys.argv[1],
                            direction='maximize', sampler=optuna.samplers.RandomSampler(seed=0))
score = lambda t: t.suggest_float('lr', 0, 1) + 0.01 * t.suggest_float('dropout', 0, 1)
study.optimize(score, n_trials=6)
"""
PARETO_PICK = (
    "from optuna.trial import create_trial; from digits_pareto import smallest_within\n"
    "front = [create_trial(values=v) for v in ([0.97, 5000], [0.962, 1200], [0.95, 300])]\n"
    "print(smallest_within(front).values)"
)


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the digits scripts write their study, figures and tables."""
    return tmp_path_factory.mktemp("studies")


@pytest.fixture(scope="module")
def study_runs(project: Project, studies: Path) -> Runs:
    """The hyperparameter module's digits scripts, in one process that imports Optuna once."""
    folder = studies
    storage = f"sqlite:///{folder / 'optuna.db'}"
    steps = {
        "study": ("script", "scripts/tune_digits.py", "--trials", "1"),
        "samplers": ("script", "scripts/compare_samplers.py", "--trials", "1",
                     "--figure", folder / "samplers.png"),
        "climbing": ("code", "import sys; sys.path.insert(0, 'scripts')\n" + CLIMBING),
        "fill": ("code", FILL_THE_STUDY, storage),
        "report": ("script", "scripts/digits_report.py", "--storage", storage,
                   "--folder", folder / "figures"),
        "pareto": ("script", "scripts/digits_pareto.py", "--trials", "1"),
        "pick": ("code", "import sys; sys.path.insert(0, 'scripts')\n" + PARETO_PICK),
    }  # fmt: skip
    return dict(zip(steps, run_steps(project, *steps.values()), strict=True))


def test_the_digits_study_and_the_sampler_comparison_run(study_runs: Runs, studies: Path) -> None:
    found = study_runs["study"]
    assert re.fullmatch(r"best accuracy 0\.\d{3} with \{'dropout': .*'lr': .*\}\n", found.stdout), (
        found.stdout + found.stderr
    )
    compared = study_runs["samplers"]
    assert [line.split(":")[0] for line in compared.stdout.splitlines()] == ["TPE", "random"], (
        compared.stdout + compared.stderr
    )
    assert (studies / "samplers.png").read_bytes().startswith(b"\x89PNG")
    climbing = study_runs["climbing"]
    assert climbing.stdout == "[0.5, 0.9, 0.9]\n", climbing.stderr[-3000:]


def test_the_digits_report_reads_the_shared_study(study_runs: Runs, studies: Path) -> None:
    assert study_runs["fill"].returncode == 0, study_runs["fill"].stderr[-3000:]
    folder = studies / "figures"
    report = study_runs["report"]
    assert report.stdout == "6 trials; most important first: lr, dropout\n", report.stderr
    assert sorted(path.name for path in folder.iterdir()) == [
        "optimization_history.png", "param_importances.png", "trials.csv",
    ]  # fmt: skip
    assert len((folder / "trials.csv").read_text().splitlines()) == 7


def test_the_pareto_pick_is_the_smallest_model_close_to_the_best(study_runs: Runs) -> None:
    ran = study_runs["pareto"]
    assert re.search(r"^pick: trial 0 with \d+ parameters$", ran.stdout, re.M), (
        ran.stdout + ran.stderr
    )
    pick = study_runs["pick"]
    assert pick.stdout == "[0.962, 1200]\n", pick.stderr[-3000:]


# The documentation module: the configuration page's snippet and the generated CLI page.

SNIPPET = re.compile(r'^\s*--8<-- "([^"]+)"', re.M)


def mkdocs_problems(project_dir: Path) -> list[str]:
    """What `mkdocs build --strict` refuses, checked without MkDocs: nav pages and snippets."""
    config = yaml.safe_load((project_dir / "mkdocs.yml").read_text())
    docs = project_dir / "docs"
    listed = {page for entry in config["nav"] for page in entry.values()}
    problems = [
        f"nav: {page} does not exist" for page in sorted(listed) if not (docs / page).is_file()
    ]
    problems += [
        f"{page.name} is not in nav"
        for page in sorted(docs.glob("*.md"))
        if page.name not in listed
    ]
    snippets = next(
        e["pymdownx.snippets"] for e in config["markdown_extensions"] if "pymdownx.snippets" in e
    )
    for page in sorted(docs.glob("*.md")):
        for path in SNIPPET.findall(page.read_text()):
            if not any((project_dir / base / path).is_file() for base in snippets["base_path"]):
                problems.append(f"{page.name}: snippet {path} does not exist")
    return problems


def test_the_docs_site_lists_its_pages_and_pulls_in_the_real_config(tmp_path: Path) -> None:
    assert mkdocs_problems(EXAMPLE) == []
    assert SNIPPET.findall((EXAMPLE / "docs" / "configuration.md").read_text()) == [
        "configs/config.yaml"
    ]
    broken = copy_example(tmp_path / "p")
    snippet = '--8<-- "configs/config.yaml"'
    edit(broken / "docs" / "configuration.md", snippet, snippet.replace("config.", "configs."))
    (broken / "docs" / "api.md").rename(broken / "docs" / "reference.md")
    assert mkdocs_problems(broken) == [
        "nav: api.md does not exist",
        "reference.md is not in nav",
        "configuration.md: snippet configs/configs.yaml does not exist",
    ]


def test_the_committed_cli_page_is_what_the_docs_workflow_regenerates(
    project: Project, tmp_path: Path
) -> None:
    """The workflow's own command, writing elsewhere: a stale docs/cli.md fails as in CI."""
    workflow = yaml.safe_load((EXAMPLE / ".github" / "workflows" / "docs.yaml").read_text())
    steps = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    command = next(run for run in steps if "utils docs" in run).split()
    assert command[:3] == ["uv", "run", "typer"] and command[-2:] == ["--output", "docs/cli.md"]
    assert "git diff --exit-code docs/cli.md" in steps
    generated = tmp_path / "cli.md"
    result = project.run(project.bin / "python", "-m", *command[2:-1], generated)
    assert result.returncode == 0, result.stderr
    assert generated.read_text() == (EXAMPLE / "docs" / "cli.md").read_text()


# --- ex-s5: continuous integration (unit testing, GitHub Actions, pre-commit) ---

CI_PAGES = PAGES / "s5_continuous_integration"
DEPENDABOT_ECOSYSTEMS = {"uv", "github-actions"}
DEPENDABOT_INTERVALS = {"daily", "weekly", "monthly", "quarterly", "semiannually", "yearly", "cron"}


def dependabot_problems(config: dict[str, object]) -> list[str]:
    """What Dependabot would reject or what the page promises and the file lacks."""
    problems = [] if config.get("version") == 2 else [f"version {config.get('version')!r}, not 2"]
    updates = config.get("updates")
    if not isinstance(updates, list):
        return [*problems, "no list of updates"]
    for n, update in enumerate(updates, start=1):
        if not update.get("directory"):
            problems.append(f"update {n}: no directory")
        if update.get("schedule", {}).get("interval") not in DEPENDABOT_INTERVALS:
            problems.append(f"update {n}: no schedule interval")
    ecosystems = {update.get("package-ecosystem") for update in updates}
    problems += [f"no {e} updates" for e in sorted(DEPENDABOT_ECOSYSTEMS - ecosystems)]
    return problems


def test_dependabot_updates_the_packages_and_the_actions() -> None:
    config = yaml.safe_load((EXAMPLE / ".github" / "dependabot.yml").read_text())
    assert dependabot_problems(config) == []
    broken = {"version": 1, "updates": [{"package-ecosystem": "uv", "directory": "/"}]}
    assert dependabot_problems(broken) == [
        "version 1, not 2",
        "update 1: no schedule interval",
        "no github-actions updates",
    ]


WORKFLOW_CAPTION = re.compile(r":caption: (\.github/workflows/[\w.-]+\.yaml)")


def page_workflow_variants(pages: Path) -> list[tuple[str, str]]:
    """(caption, whole workflow) for each earlier-stage workflow block of the pages.

    A block that is only a part (the triggers, a job, a few steps) is put where the page says:
    triggers replace the example file's `on:`, a job or steps go at the end of its last job.
    """
    variants = []
    for page in sorted(pages.glob("*.md")):
        for block in EARLIER_STAGE.finditer(page.read_text(encoding="utf-8")):
            caption = WORKFLOW_CAPTION.search(block["options"])
            if "earlier-stage" not in block["options"] or not caption:
                continue
            indent = len(block["indent"])
            body = "".join(line[indent:] or "\n" for line in block["body"].splitlines(True))
            if not is_workflow(body):
                body = splice((EXAMPLE / caption[1]).read_text(), body)
            variants.append((caption[1], body))
    return variants


TRIGGERS = re.compile(r"^on:\n(?:(?:[ \t].*)?\n)*", re.M)


def splice(workflow: str, part: str) -> str:
    """The workflow with `part` in it: new triggers replace `on:`, anything else goes last."""
    if part.startswith("on:"):
        triggers = TRIGGERS.search(workflow)
        assert triggers, workflow
        return workflow[: triggers.start()] + part + "\n" + workflow[triggers.end() :]
    return workflow + part


def test_the_workflow_variants_on_the_ci_pages_pass_actionlint(tmp_path: Path) -> None:
    variants = page_workflow_variants(CI_PAGES)
    assert len(variants) >= 9
    files = []
    for n, (_, workflow) in enumerate(variants):
        assert is_workflow(workflow), workflow
        files.append(tmp_path / f"variant-{n}.yaml")
        files[-1].write_text(workflow)
    result = actionlint(files)
    assert result.returncode == 0, result.stdout
    (tmp_path / "page.md").write_text(
        "```{code-block} yaml\n:caption: .github/workflows/tests.yaml, a job\n"
        ":class: earlier-stage\n  docker:\n    needs: tset\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo\n```\n"
    )
    [(_, spliced)] = page_workflow_variants(tmp_path)
    (tmp_path / "broken.yaml").write_text(spliced)
    assert "tset" in actionlint([tmp_path / "broken.yaml"]).stdout


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pre-commit in `repo`, with its cache there too: nothing is downloaded or shared."""
    return subprocess.run(
        [str(TOOLS / "pre-commit"), *args],
        cwd=repo,
        env={**os.environ, "PRE_COMMIT_HOME": str(repo / ".pre-commit-cache")},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def local_hooks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with the example's model and only the local hooks of its config.

    The remote hook repositories would be cloned over the network; the local ones need nothing.
    """
    repo = tmp_path_factory.mktemp("hooks")
    config = yaml.safe_load((EXAMPLE / ".pre-commit-config.yaml").read_text())
    config["repos"] = [r for r in config["repos"] if r["repo"] == "local"]
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (repo / "src" / "corrupt_mnist").mkdir(parents=True)
    shutil.copy(EXAMPLE / "src/corrupt_mnist/model.py", repo / "src/corrupt_mnist/model.py")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    return repo


def test_the_cuda_hook_names_the_line_that_hard_codes_the_gpu(local_hooks: Path) -> None:
    model = local_hooks / "src/corrupt_mnist/model.py"
    check = ("run", "no-hard-coded-cuda", "--files", "src/corrupt_mnist/model.py")
    assert pre_commit(local_hooks, *check).returncode == 0
    clean = model.read_text()
    forward = clean.index("    def forward")
    body = clean.index('"""\n', clean.index('"""', forward) + 3) + 4
    model.write_text(clean[:body] + "        x = x.cuda()\n" + clean[body:])
    try:
        result = pre_commit(local_hooks, *check)
    finally:
        model.write_text(clean)
    line = clean[:body].count("\n") + 1
    assert result.returncode == 1
    assert f"src/corrupt_mnist/model.py:{line}:        x = x.cuda()" in result.stdout


def test_the_commit_message_hook_wants_ten_characters_and_runs_alone(local_hooks: Path) -> None:
    outcomes = {}
    for message in ("fix\n# a comment line long enough\n", "Fix the shape check in forward\n"):
        (local_hooks / "MSG").write_text(message)
        result = pre_commit(
            local_hooks, "run", "--hook-stage", "commit-msg", "--commit-msg-filename", "MSG"
        )
        outcomes[message.split()[0]] = result.returncode
        assert "cuda" not in result.stdout, "a pre-commit hook ran on the message"
    assert outcomes == {"fix": 1, "Fix": 0}


def test_slow_tests_are_registered_and_left_out_on_request(project: Project) -> None:
    result = project.run(
        project.bin / "python", "-m", "pytest", "--collect-only", "-q", "--strict-markers",
        "-p", "no:cacheprovider", "-m", "not slow", "tests/test_train.py",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_one_training_step_changes_the_weights" in result.stdout
    assert "test_loss_decreases_on_a_tiny_batch" not in result.stdout
    assert "1 deselected" in result.stdout


def test_the_data_tests_run_where_the_processed_data_is(
    own_tests: subprocess.CompletedProcess[str],
) -> None:
    """What the data tests workflow relies on: with data/processed present, none is skipped."""
    result = own_tests
    for test in ("test_training_data_is_consistent", "test_read_idx_rejects_other_files"):
        assert f"PASSED tests/test_data.py::{test}" in result.stdout, result.stdout


def test_coverage_measures_the_package_and_not_the_tests(project: Project) -> None:
    for command in (("run", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_model.py"),
                    ("report",)):  # fmt: skip
        result = project.run(project.bin / "python", "-m", "coverage", *command)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "src/corrupt_mnist/model.py" in result.stdout, result.stdout
    assert "tests/" not in result.stdout, result.stdout


# --- ex-train: the device option, the Lightning toy on two processes, the cluster pages ---

# cli.md exercise 12, as (arguments after `corrupt-mnist train`, exit status, text in the output).
DEVICE_ANSWERS = {
    "help lists the choices": (["--help"], 0, "<cpu|cuda|mps>"),
    "tpu is refused while parsing": (["--device", "tpu"], 2, "'tpu' is not one of 'cpu',"),
    "cuda without CUDA is one line": (["--device", "cuda"], 1, "--device cuda is not usable here"),
    "mps off a Mac is one line": (["--device", "mps"], 1, "--device mps is not usable here"),
    "cpu trains on the cpu": (
        ["--device", "cpu", "training.epochs=1", "paths.model=models/on-cpu.pt"],
        0,
        "(trained on cpu)",
    ),
}


@pytest.mark.parametrize("case", DEVICE_ANSWERS, ids=list(DEVICE_ANSWERS))
def test_train_takes_one_of_three_devices(case: str, trained_runs: Runs) -> None:
    _, status, text = DEVICE_ANSWERS[case]
    result = trained_runs[case]  # no GPU: CUDA_VISIBLE_DEVICES=""
    assert result.returncode == status, result.stdout + result.stderr[-2000:]
    assert text in ANSI.sub("", result.stdout + result.stderr)
    if status == 1:  # the project's own error: one line, no traceback
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr[-2000:]


def test_the_lightning_toy_trains_on_two_processes_and_writes_once(
    project: Project, tmp_path: Path
) -> None:
    """distributed_training.md exercise 4: one run folder, one checkpoint, one report line."""
    result = project.run(project.bin / "python", project.path / LIGHTNING_TOY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "MEMBER: 2/2" in result.stderr
    reports = [line for line in result.stdout.splitlines() if "optimiser steps" in line]
    assert reports == ["160 optimiser steps on 2 process(es)"], result.stdout
    runs = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.ckpt")]
    assert runs == ["lightning_logs/version_0/checkpoints/epoch=4-step=160.ckpt"]


def test_accumulating_two_batches_on_one_process_takes_as_many_steps(lit_runs: Runs) -> None:
    """Exercise 10: the effective batch of two processes, on one (in the Lightning copy)."""
    result = lit_runs["accumulate"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines()[-1] == "160 optimiser steps on 1 process(es)"


def torchrun(project: Project, processes: int, script: str, *args: str) -> tuple[str, ...]:
    """A driver step: a script of scripts/distributed/ on Gloo processes, as the page runs it."""
    return (
        "module", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}",
        str(project.path / "scripts" / "distributed" / script), *args,
    )  # fmt: skip


LOAD_THE_DDP_MODEL = (
    "import torch; from torch import nn; "
    "model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 1)); "
    "print(model.load_state_dict(torch.load('model.pt')))"
)


@pytest.fixture(scope="module")
def ddp_runs(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """The distributed page's torchrun launches, from one process that imports PyTorch once.

    Each launch starts its Gloo processes as `torchrun` does; they write different files
    (model.pt, checkpoint.pt) in one folder, and the checked script's second launch resumes.
    """
    steps = {
        "train_ddp": torchrun(project, 2, "train_ddp.py"),
        "load": ("code", LOAD_THE_DDP_MODEL),
        "checked on 2": torchrun(project, 2, "train_ddp_checked.py", "--epochs", "2"),
        "checked on 3": torchrun(project, 3, "train_ddp_checked.py", "--epochs", "4"),
    }
    runs = run_steps(project, *steps.values(), cwd=tmp_path_factory.mktemp("ddp"))
    return dict(zip(steps, runs, strict=True))


def launched(runs: Runs, name: str) -> str:
    """The stdout of a torchrun launch of `ddp_runs`, which must have succeeded."""
    result = runs[name]
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_torchrun_script_prints_and_saves_once(ddp_runs: Runs) -> None:
    """distributed_training.md's DDP script on two Gloo processes, launched as the page shows."""
    out = launched(ddp_runs, "train_ddp")
    epochs = re.findall(r"^epoch (\d): loss [\d.]+, world size 2$", out, re.M)
    assert epochs == ["0", "1", "2", "3", "4"], out
    loaded = ddp_runs["load"]
    assert loaded.stdout.strip() == "<All keys matched successfully>", loaded.stderr[-2000:]


def test_the_checked_ddp_script_shards_resumes_and_agrees(ddp_runs: Runs) -> None:
    """Exercises 1, 2, 8 and 9: two processes for 2 epochs, then three resume for 2 more."""
    for processes, shard, done, seen in ((2, 2048, "01", 1000), (3, 1366, "23", 1002)):
        out = launched(ddp_runs, f"checked on {processes}")
        shards = sorted(re.findall(r"rank (\d): (\d+) samples", out))  # ranks share one stdout
        assert shards == [(str(rank), str(shard)) for rank in range(processes)], out
        assert "".join(re.findall(r"epoch (\d): ", out)) == done, out  # resumed, not redone
        sums = ast.literal_eval(re.search(r"^parameter sums: (.+)$", out, re.M)[1])
        assert len(sums) == processes and len(set(sums)) == 1, out
        assert re.search(rf"^accuracy 0\.\d{{4}} on {seen} samples$", out, re.M), out


# The clusters module: the job scripts run as a scheduler would, with stand-ins for uv and the GPU.

HPC = Path("scripts") / "hpc"
FAKE_TOOLS = {
    # Record the command; run it too unless UV_ONLY_RECORD is set (then only the choice matters).
    "uv": '[ "$1" = run ] || exit 9\nshift\necho "$*" >> "$UV_RECORD"\n'
    '[ -n "$UV_ONLY_RECORD" ] && exit 0\nexec "$@"\n',
    "srun": 'exec "$@"\n',
    "nvidia-smi": "echo '| NVIDIA-SMI stand-in |'\n",
}


def run_job(
    project: Project, script: str, tmp_path: Path, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """`bash script` from a home holding the project; returns the result and uv's commands."""
    fakes, home, record = tmp_path / "fakes", tmp_path / "home", tmp_path / "uv.log"
    if not fakes.exists():
        fakes.mkdir()
        for name, body in FAKE_TOOLS.items():
            (fakes / name).write_text(f"#!/bin/bash\n{body}")
            (fakes / name).chmod(0o755)
        # The project folder as a fresh clone has it: no data, no models, whatever ran before.
        (home / "corrupt-mnist").mkdir(parents=True)
        (home / "corrupt-mnist" / "scripts").symlink_to(project.path / "scripts")
    record.write_text("")
    base = project.env()
    result = subprocess.run(
        ["bash", str(project.path / HPC / script)],
        cwd=tmp_path,
        env={
            **base,
            "PATH": f"{fakes}:{base['PATH']}",
            "HOME": str(home),
            "UV_RECORD": str(record),
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    return result, record.read_text().splitlines()


PREPROCESS_FIRST = "run `corrupt-mnist preprocess` first"
# (job script, its array index if any, what the real command answers in a project without data).
# Exit status 1 with the hint means the command, its options and its overrides were all accepted.
JOB_SCRIPTS = {
    "train.sh": ({}, PREPROCESS_FIRST),
    "train_slurm.sh": ({}, PREPROCESS_FIRST),
    "lr_sweep.sh": ({"LSB_JOBINDEX": "2"}, PREPROCESS_FIRST),
    "lr_sweep_slurm.sh": ({"SLURM_ARRAY_TASK_ID": "2"}, PREPROCESS_FIRST),
    "evaluate.sh": ({}, "run `corrupt-mnist train` first"),
    "tune_sweep.sh": ({"LSB_JOBINDEX": "1"}, "run this script with --split first"),
}


@pytest.mark.parametrize("script", JOB_SCRIPTS)
def test_the_job_scripts_run_commands_the_project_accepts(
    script: str, project: Project, tmp_path: Path
) -> None:
    env, hint = JOB_SCRIPTS[script]
    result, commands = run_job(project, script, tmp_path, **env)
    assert len(commands) == 1, commands
    assert (result.returncode, hint in result.stderr) == (1, True), result.stdout + result.stderr


def test_the_first_job_prints_where_it_ran(project: Project, tmp_path: Path) -> None:
    result, _ = run_job(project, "hello.sh", tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"running on \S+ at .+\ncores visible: \d+\n", result.stdout)


SWEEP_RATES = ["0.1", "0.03", "0.01", "0.003", "0.001"]


@pytest.mark.parametrize(
    ("script", "index"),
    [("lr_sweep.sh", "LSB_JOBINDEX"), ("lr_sweep_slurm.sh", "SLURM_ARRAY_TASK_ID")],
)
def test_each_array_element_trains_its_own_rate_into_its_own_file(
    script: str, index: str, project: Project, tmp_path: Path
) -> None:
    """Indices 1 to 5 pick every rate once (the knowledge check's bug skips the first)."""
    chosen = []
    for element in range(1, 6):
        result, commands = run_job(
            project, script, tmp_path, UV_ONLY_RECORD="1", **{index: str(element)}
        )
        assert result.returncode == 0, result.stderr
        chosen += commands
    assert chosen == [
        f"corrupt-mnist train --device cuda training.lr={lr} paths.model=models/lr_{lr}.pt"
        for lr in SWEEP_RATES
    ]


def test_the_cluster_trainer_config_stops_where_there_is_no_gpu(lit_runs: Runs) -> None:
    """clusters exercise 5: trainer=cluster keeps the default flags, then asks for a GPU."""
    with initialize_config_dir(version_base="1.3", config_dir=str(EXAMPLE / "configs")):
        cluster = compose(config_name="config", overrides=["trainer=cluster", "training.epochs=20"])
    assert dict(cluster.trainer) == {
        "accelerator": "gpu", "devices": 1, "strategy": "auto", "num_nodes": 1,
        "max_epochs": 20, "log_every_n_steps": 50, "enable_progress_bar": False,
    }  # fmt: skip
    result = lit_runs["cluster"]
    assert result.returncode != 0
    assert "gpu" in result.stderr.lower() and "saved weights" not in result.stderr


def test_two_tuning_workers_fill_one_study(lit: Project, tmp_path: Path) -> None:
    """clusters exercise 11: two array elements, one trial each, one journal, the host on each."""
    (tmp_path / "data").mkdir()  # a folder of its own: the tuning test counts models/tuning/
    (tmp_path / "data" / "processed").symlink_to(lit.path / "data" / "processed")
    scripts = lit.path / "scripts"
    code = (
        f"import socket, sys; sys.path.insert(0, {str(scripts)!r}); "
        "from tune_worker import shared_study; trials = shared_study().trials; "
        "print(len(trials), all(t.user_attrs['host'] == socket.gethostname() for t in trials))"
    )
    # One process runs the three commands (Lightning is imported once); each opens the journal
    # afresh, as a job of its own would.
    *workers, study = run_steps(
        lit,
        *(("script", scripts / "tune_worker.py", *arguments)
          for arguments in (["--split"], ["--trials", "1"], ["--trials", "1"])),
        ("code", code),
        cwd=tmp_path,
    )  # fmt: skip
    for result in workers:
        assert result.returncode == 0, result.stderr[-3000:]
    assert study.stdout.split() == ["2", "True"], study.stderr[-3000:]


# --- ex-s23: good coding practice and API exercises as example scripts ---

GOOD_CODING = PAGES / "s2_organisation_and_version_control" / "good_coding_practice.md"


@pytest.mark.parametrize(
    ("stage", "printed", "b006"),
    [("fixed", "[0.5] [0.3]", False), ("handed out", "[0.5, 0.3] [0.5, 0.3]", True)],
)
def test_only_the_bugbear_fix_starts_each_history_afresh(
    stage: str, printed: str, b006: bool, tmp_path: Path
) -> None:
    """Good coding practice, exercise 10: the page's starting point shares one list; the fix not."""
    if stage == "fixed":
        code = (EXAMPLE / "sandbox" / "record_loss.py").read_text()
    else:
        code = earlier_stage(GOOD_CODING, "sandbox/record_loss.py")
    (tmp_path / "record_loss.py").write_text(code + "\nprint(record(0.5), record(0.3))\n")
    (tmp_path / "pyproject.toml").write_text('[tool.ruff.lint]\nselect = ["B"]\n')
    result = python("record_loss.py", cwd=tmp_path)
    assert result.stdout.splitlines()[-1] == printed, result.stdout + result.stderr
    assert ("B006" in ruff(tmp_path, "check", "--no-cache").stdout) is b006


def test_the_split_type_names_exactly_the_splits_the_data_step_writes(project: Project) -> None:
    """Good coding practice, exercise 8: mypy can only reject what the Literal leaves out."""
    code = (
        "import typing; from corrupt_mnist.data import RAW_FILES, load_split; "
        "print(sorted(typing.get_args(typing.get_type_hints(load_split)['split'])), "
        "sorted(RAW_FILES))"
    )
    result = project.run(project.bin / "python", "-c", code)
    assert result.stdout.split() == ["['test',", "'train']", "['test',", "'train']"], result.stderr


def test_the_iris_client_gets_setosa_then_the_reason_for_a_422(
    project: Project, iris_server: str
) -> None:
    result = project.run(project.bin / "python", "scripts/call_iris.py", iris_server)
    good, bad = result.stdout.splitlines()
    assert good.startswith("200 {'label': 'setosa', 'probability': "), result.stderr
    assert bad == "422 Input should be greater than 0"


def test_the_openapi_listing_shows_the_routes_and_answer_fields(
    trained: Project, mnist_server: str
) -> None:
    result = trained.run(trained.bin / "python", "scripts/openapi_routes.py", mnist_server)
    lines = result.stdout.splitlines()
    assert {"/health get", "/predict post"} <= set(lines), result.stdout + result.stderr
    assert lines[-1] == "digit probability"


@contextmanager
def unavailable_server() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that answers every GET with 503 and records the paths asked for."""
    asked: list[str] = []

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with serving(Handler) as url:
        yield url, asked


PATIENT_CALL = (
    "import sys; sys.path.insert(0, 'scripts'); from patient_client import patient_session; "
    "patient_session(backoff=0).get(sys.argv[1] + '/health', timeout=2)"
)


def test_the_patient_client_retries_three_times_then_gives_up(
    trained: Project, mnist_server: str
) -> None:
    """API exercise 12: an answer when the API is up, four tries on 503, an error with no server."""
    up = trained.run(trained.bin / "python", "scripts/patient_client.py", mnist_server)
    assert up.stdout.strip() == "200 {'status': 'ok'}", up.stderr
    with unavailable_server() as (url, asked):
        busy = trained.run(trained.bin / "python", "-c", PATIENT_CALL, url)
    assert asked == ["/health"] * 4
    assert "RetryError" in busy.stderr, busy.stderr[-2000:]
    nobody = trained.run(
        trained.bin / "python", "-c", PATIENT_CALL, f"http://127.0.0.1:{free_port()}"
    )
    assert "ConnectionError" in nobody.stderr, nobody.stderr[-2000:]


def test_the_training_schema_refuses_a_word_for_epochs_and_an_unknown_key(
    project: Project, tmp_path: Path
) -> None:
    """Config files, exercise 14: the project's config passes; a wrong type or key stops it."""
    script = project.bin / "python", "scripts/training_schema.py"
    config = (project.path / "configs" / "config.yaml").read_text()
    assert "epochs: 3" in project.run(*script).stdout
    for broken, error in (
        ("epochs: three", "ValidationError: Value 'three'"),
        ("epochs: 3\n  lrr: 0.1", "ConfigKeyError: Key 'lrr'"),
    ):
        (tmp_path / "config.yaml").write_text(config.replace("epochs: 3", broken))
        result = project.run(*script, tmp_path / "config.yaml")
        assert result.returncode == 1, result.stdout
        assert error in result.stderr, result.stderr[-2000:]


# Code structure, exercises 10-12 and 15: the group's own cookiecutter template ----------------

MINI_TEMPLATE = EXAMPLE / "sandbox" / "mlops-mini-template"


def cookiecutter(output: Path, *answers: str) -> subprocess.CompletedProcess[str]:
    """Generate from the template without questions; replays and clones stay inside `output`."""
    output.mkdir(parents=True, exist_ok=True)
    config = output / "cookiecutter-config.yaml"
    config.write_text(f"cookiecutters_dir: {output / 'cc'}\nreplay_dir: {output / 'replay'}\n")
    command = [sys.executable, "-m", "cookiecutter", MINI_TEMPLATE, "--no-input"]
    return subprocess.run(
        [*map(str, command), "--config-file", str(config), "-o", str(output), *answers],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_mini_template_makes_an_installable_project(tmp_path: Path) -> None:
    """The first Python version is the default; 3.11 is chosen so this interpreter installs it."""
    default = cookiecutter(tmp_path / "default", "project_name=corrupt-mnist")
    assert default.returncode == 0, default.stderr[-2000:]
    pyproject = tmp_path / "default" / "corrupt-mnist" / "pyproject.toml"
    assert tomllib.loads(pyproject.read_text())["project"]["requires-python"] == ">=3.12"
    made = cookiecutter(tmp_path, "project_name=corrupt-mnist", "python_version=3.11")
    assert made.returncode == 0, made.stderr[-2000:]
    assert "next: cd corrupt-mnist && uv sync" in made.stdout
    path = tmp_path / "corrupt-mnist"
    for folder in ("data/raw", "data/processed", "models", "reports/figures", "tests", ".git"):
        assert (path / folder).is_dir(), folder
    project = install(path)
    code = "import corrupt_mnist as m; print(m.__doc__)"
    imported = project.run(project.bin / "python", "-c", code)
    assert imported.stdout.strip() == "An MLOps course project.", imported.stderr


def test_the_mini_template_refuses_a_name_that_is_no_package(tmp_path: Path) -> None:
    refused = cookiecutter(tmp_path, "project_name=My Project")
    assert refused.returncode != 0
    assert "use lowercase letters, digits and dashes" in refused.stdout + refused.stderr
    assert not (tmp_path / "My Project").exists()


# API, exercise 3: the first FastAPI app on the page answers as the exercise says ----------------

APIS = PAGES / "s7_deployment" / "apis.md"
ASK_THE_FIRST_APP = """
import sys
from fastapi.testclient import TestClient
sys.path.insert(0, sys.argv[1])
from first_app import app
client = TestClient(app)
for path in ("/", "/classes/1?uppercase=true", "/classes/7", "/classes/abc"):
    response = client.get(path)
    print(response.status_code, response.json())
"""


def test_the_first_fastapi_app_answers_as_exercise_3_says(tmp_path: Path) -> None:
    (tmp_path / "first_app.py").write_text(earlier_stage(APIS, "src/corrupt_mnist/iris_api.py,"))
    result = python("-c", ASK_THE_FIRST_APP, tmp_path, cwd=tmp_path)
    status = [line.split()[0] for line in result.stdout.splitlines()]
    assert status == ["200", "200", "404", "422"], result.stdout + result.stderr
    assert "{'name': 'VERSICOLOR'}" in result.stdout.splitlines()[1]


# Config files, exercises 4, 5 and 7: the config group tree the module builds --------------------

CONFIG_GROUPS = EXAMPLE / "sandbox" / "config_groups"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ([], {"model.hidden_dim": 128, "optimizer._target_": "torch.optim.Adam", "seed": 42}),
        (
            ["model=large", "optimizer=sgd"],
            {
                "model.hidden_dim": 512,
                "optimizer._target_": "torch.optim.SGD",
                "optimizer.lr": 0.01,
            },
        ),
        (
            ["+experiment=big_model"],
            {"model.hidden_dim": 512, "optimizer.lr": 0.05, "seed": 7, "training.epochs": 20},
        ),
    ],
)
def test_the_config_groups_compose_as_the_exercises_say(
    overrides: list[str], expected: dict[str, object]
) -> None:
    with initialize_config_dir(version_base="1.3", config_dir=str(CONFIG_GROUPS)):
        cfg = compose(config_name="config", overrides=overrides)
    assert {key: OmegaConf.select(cfg, key) for key in expected} == expected
    make_optimizer = instantiate(cfg.optimizer)  # _partial_: the parameters come later
    assert f"torch.optim.{make_optimizer.func.__name__}" == cfg.optimizer._target_
    assert make_optimizer.keywords["lr"] == cfg.optimizer.lr


def test_the_tests_of_one_expensive_fixture_share_an_xdist_group() -> None:
    """`nox -s example` builds the Lightning run and the loading data once, not once per worker."""
    groups = example_groups()
    assert groups["test_two_processes_with_ddp_on_cpu_halve_the_steps"] == "lit"
    assert groups["test_the_loading_scripts_measure_the_wait_share"] == "loading"
    assert groups["test_the_smoke_test_passes_only_against_a_working_api"] == "servers"
    assert groups["test_quantizing_shrinks_the_cnn_and_keeps_its_accuracy"] == "onnx"
    assert groups["test_the_drift_service_reports_the_window_that_prediction_dir_holds"] == "drift"
    assert groups["test_the_checked_ddp_script_shards_resumes_and_agrees"] == "ddp"
    assert groups["test_the_model_gate_closes_only_on_a_real_step_back"] == "trained_runs"
    assert groups["test_accumulating_two_batches_on_one_process_takes_as_many_steps"] == "lit"
    assert "test_pipeline_runs_through_the_entry_points" not in groups  # `trained`: both workers
