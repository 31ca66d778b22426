"""The companion project works when followed, and each check fails when its link is broken.

Run alone with ``nox -s example``; ``nox -s tests`` runs it too. CPU only and offline: the
data is a tiny fake MNIST, the tools come from the test environment.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import py_compile
import re
import socket
import subprocess
import sys
import threading
import time
import tomllib
import types
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

from tests.example_project import (
    DEPRECATED_LANGUAGE,
    EXAMPLE,
    ROOT,
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
    own_latest_images,
    page_dockerfile_blocks,
    page_yaml_blocks,
    pipeline,
    precommit_validate,
    ruff,
    table_image_names,
    unpinned_docker_commands,
    unpinned_images,
    write_fake_raw_data,
)

pytestmark = pytest.mark.example

PAGES = ROOT / "docs" / "sessions"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One installed copy of the example, shared by the tests that only read it."""
    return install(copy_example(tmp_path_factory.mktemp("example") / "corrupt-mnist"))


@pytest.fixture(scope="module")
def trained(project: Project) -> Project:
    """The shared copy after data -> train -> evaluate, for the checks that need weights."""
    accuracy = pipeline(project)
    assert 0.0 <= accuracy <= 1.0
    return project


def test_pipeline_runs_through_the_entry_points(trained: Project) -> None:
    assert (trained.path / "models" / "model.pt").is_file()
    assert (trained.path / "reports" / "metrics.json").is_file()


def test_the_projects_own_tests_pass(project: Project) -> None:
    """Its pytest suite: config overrides, training, the API's /health and /predict."""
    result = project.run(project.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
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


def test_training_before_the_data_step_says_what_to_run(tmp_path: Path) -> None:
    project = install(copy_example(tmp_path / "p"))
    result = project.run("corrupt-mnist", "train")
    assert result.returncode == 1
    assert "run `corrupt-mnist preprocess` first" in result.stderr


def test_dvc_repro_with_a_local_remote(tmp_path: Path) -> None:
    project = install(copy_example(tmp_path / "p"))
    outputs = dvc_repro(project, tmp_path / "remote")
    assert (project.path / "reports" / "metrics.json").is_file()
    assert any((tmp_path / "remote").rglob("*")), "dvc push stored nothing in the remote"
    assert "up to date" in outputs[-1].lower()


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


def run_pipeline(path: Path) -> None:
    pipeline(install(path))


BREAKAGES: dict[str, tuple[Callable[[Path], None], Callable[[Path], object]]] = {
    "data file renamed between steps": (
        lambda p: edit(p / "src/corrupt_mnist/data.py", '"train_targets.pt"', '"train_labels.pt"'),
        run_pipeline,
    ),
    "config beside the script": (
        lambda p: edit(p / "src/corrupt_mnist/config.py", '"../../configs"', '"configs"'),
        run_pipeline,
    ),
    "entry point at a function that returns a value": (
        lambda p: edit(
            p / "pyproject.toml", "corrupt_mnist.cli:app", "corrupt_mnist.evaluate:evaluate"
        ),
        run_pipeline,
    ),
    "data step that takes no arguments": (
        lambda p: edit(p / "dvc.yaml", "--raw-dir data/raw", "data/raw data/processed"),
        lambda p: dvc_repro(install(p), p.parent / "remote"),
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_the_chain_fails_when_a_link_breaks(breakage: str, tmp_path: Path) -> None:
    break_it, check = BREAKAGES[breakage]
    path = copy_example(tmp_path / "p")
    break_it(path)
    with pytest.raises(AssertionError):
        check(path)


def test_a_task_that_calls_a_missing_command_fails(tmp_path: Path) -> None:
    path = copy_example(tmp_path / "p")
    edit(path / "tasks.py", "corrupt-mnist preprocess", "corrupt-mnist prepare")
    with pytest.raises(AssertionError, match="invoke preprocess failed"):
        invoke_tasks(install(path))


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


@pytest.mark.parametrize("bug", ["none", *FRIDAY_BUGS])
def test_each_bug_fails_exactly_one_regression_test(bug: str, tmp_path: Path) -> None:
    fixed = (EXAMPLE / "sandbox" / "friday_pr.py").read_text()
    (tmp_path / "friday_pr.py").write_text(fixed if bug == "none" else with_bugs(fixed, [bug]))
    (tmp_path / "test_friday_pr.py").write_text((EXAMPLE / "sandbox/test_friday_pr.py").read_text())
    result = python("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=tmp_path)
    if bug == "none":
        assert "4 passed" in result.stdout and "failed" not in result.stdout, result.stdout
    else:
        assert "1 failed, 3 passed" in result.stdout, result.stdout
        assert f"FAILED test_friday_pr.py::{FRIDAY_BUGS[bug][0]}" in result.stdout


def test_evaluating_with_another_model_config_is_a_size_mismatch(trained: Project) -> None:
    result = trained.run("corrupt-mnist", "evaluate", "model=wide")
    assert result.returncode == 1
    assert "size mismatch for features.0.weight" in result.stderr


def test_overfitting_one_batch_catches_softmax_before_the_loss(trained: Project) -> None:
    script = trained.path / "sandbox" / "overfit_one_batch.py"

    def last_loss() -> float:
        """The page's script on a smaller batch for fewer steps (its defaults: 64 and 150)."""
        code = "import sys; sys.path.insert(0, 'sandbox'); import overfit_one_batch as o; "
        code += "o.main(batch_size=16, steps=60)"
        result = trained.run(trained.bin / "python", "-c", code)
        found = re.search(r"at step 60: ([\d.]+)", result.stdout)
        assert found, result.stdout + result.stderr
        return float(found[1])

    assert last_loss() < 0.05
    correct = "loss_fn(model(images), targets)"
    edit(script, correct, "loss_fn(model(images).softmax(dim=1), targets)")
    try:
        assert last_loss() > 1.0
    finally:
        edit(script, "loss_fn(model(images).softmax(dim=1), targets)", correct)


def test_the_data_contract_names_a_missing_class(trained: Project, tmp_path: Path) -> None:
    report = tmp_path / "gate.md"
    sizes = ["--min-train", "200", "--min-test", "50", "--report", report]
    check = [trained.bin / "python", "scripts/check_data.py"]
    passed = trained.run(*check, *sizes)
    assert passed.returncode == 0, passed.stderr
    assert report.read_text().count("| pass |") == 10

    no_sevens = tmp_path / "no_sevens"
    drop_sevens = (
        "import sys, pathlib, torch; src, out = map(pathlib.Path, sys.argv[1:]); out.mkdir()\n"
        "for split in ('train', 'test'):\n"
        "    x, y = (torch.load(src / f'{split}_{kind}.pt') for kind in ('images', 'targets'))\n"
        "    torch.save(x[y != 7], out / f'{split}_images.pt')\n"
        "    torch.save(y[y != 7], out / f'{split}_targets.pt')\n"
    )
    made = trained.run(trained.bin / "python", "-c", drop_sevens, "data/processed", no_sevens)
    assert made.returncode == 0, made.stderr
    broken = trained.run(*check, no_sevens, *sizes)
    assert broken.returncode == 1
    assert broken.stderr.splitlines() == [
        "data contract broken: train: every class holds 7-13 %",
        "data contract broken: test: every class holds 7-13 %",
    ]
    assert report.read_text().count("### Data contract") == 2  # the report is appended to


def test_the_model_gate_closes_only_on_a_real_step_back(trained: Project, tmp_path: Path) -> None:
    def gate(candidate: float, baseline: float) -> subprocess.CompletedProcess[str]:
        (tmp_path / "candidate.json").write_text(json.dumps({"accuracy": candidate}))
        (tmp_path / "baseline.json").write_text(json.dumps({"accuracy": baseline}))
        return trained.run(
            trained.bin / "python", "scripts/gate.py", tmp_path / "candidate.json",
            tmp_path / "baseline.json", "--report", tmp_path / "gate.md",
        )  # fmt: skip

    assert gate(0.958, 0.962).returncode == 0
    closed = gate(0.931, 0.962)
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


def run_main(project: Project, script: str, arguments: str) -> str:
    """Call main() of scripts/loading/<script>.py with fewer steps than a real measurement."""
    code = f"import sys; sys.path.insert(0, 'scripts/loading'); import {script}; "
    code += f"{script}.main({arguments})"
    result = project.run(project.bin / "python", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_loading_scripts_measure_the_wait_share(loading: Project) -> None:
    out = run_main(loading, "in_memory", "steps=3, warmup=2")
    assert re.fullmatch(r"in memory, workers=0: waiting \d+% of [\d.]+ ms per step\n", out)
    out = run_main(loading, "workers_in_memory", "workers=(0, 1), steps=3")
    assert len(re.findall(r"^(cnn|linear) +workers=[01]: waiting +\d+%", out, re.M)) == 4, out

    result = loading.run(loading.bin / "python", "scripts/loading/export_pngs.py")
    assert result.returncode == 0, result.stderr
    assert len(list((loading.path / "data/png/train").glob("[0-9]/*.png"))) == 1024
    out = run_main(loading, "workers_png", "max_workers=1, steps=3")
    assert re.search(r"^cnn +workers=0: waiting", out, re.M), out
    assert re.search(r"^linear +workers=0: waiting", out, re.M), out


def test_workers_share_one_random_generator_until_reseeded(loading: Project) -> None:
    handed_out = loading.path / "scripts/loading/shifts_handed_out.py"
    handed_out.write_text(earlier_stage(DATA_LOADING, "scripts/loading/shifts.py"))
    repeats = r"workers=(\d): (\d) of 8 batches repeat"
    before = loading.run(loading.bin / "python", handed_out)
    assert re.findall(repeats, before.stdout) == [("0", "0"), ("2", "4"), ("4", "6")]
    after = loading.run(loading.bin / "python", "scripts/loading/shifts.py")
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


def run_prediction_log_test(path: Path) -> None:
    """The project's test of the first link of the drift chain: the API logs each prediction."""
    project = install(path)
    result = project.run(
        project.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "tests/integrationtests/test_api.py::test_each_prediction_is_logged_as_one_json_file",
    )  # fmt: skip
    if result.returncode != 0:
        raise AssertionError(f"the drift chain is broken:\n{result.stdout}")


def test_the_drift_chain_fails_when_the_api_stops_logging(tmp_path: Path) -> None:
    """The second link, drift.py reading that log, is the project's test_drift.py (run above)."""
    path = copy_example(tmp_path / "p")
    edit(
        path / "src/corrupt_mnist/iris_api.py",
        "    background_tasks.add_task(log_prediction, flower, prediction)\n",
        "",
    )
    with pytest.raises(AssertionError, match="the drift chain is broken"):
        run_prediction_log_test(path)


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
    assert classes == ["IrisClassifier", "IrisGateway"]  # the naming table's BentoML row
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


@pytest.fixture(scope="module")
def lit(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy with processed data, trained once with `corrupt-mnist train-lit` for one epoch."""
    project = install(copy_example(tmp_path_factory.mktemp("lit") / "corrupt-mnist"))
    write_fake_raw_data(project)
    for step in (["preprocess"], ["train-lit", "training.epochs=1", "trainer.log_every_n_steps=1"]):
        result = project.run("corrupt-mnist", *step)
        assert result.returncode == 0, result.stderr
    return project


def test_lightning_writes_the_checkpoints_and_weights_the_pages_name(lit: Project) -> None:
    checkpoints = lit.path / "models" / "checkpoints"
    assert (checkpoints / "last.ckpt").is_file()
    best = list(checkpoints.glob("epoch=*.ckpt"))  # the best one by val_loss
    assert len(best) == 1
    log = (lit.path / "logs" / "train.log").read_text()
    best_line = rf"best checkpoint by val_loss: \S*models/checkpoints/{re.escape(best[0].name)}$"
    assert re.search(best_line, log, re.M), log[-1000:]
    code = (
        "from corrupt_mnist.train_lit import LitMnistCNN; "
        "lit = LitMnistCNN.load_from_checkpoint('models/checkpoints/last.ckpt'); "
        "print(dict(lit.hparams))"
    )
    reloaded = lit.run(lit.bin / "python", "-c", code)
    assert reloaded.stdout.strip() == "{'channels': 32, 'dropout': 0.25, 'lr': 0.001}", (
        reloaded.stderr
    )
    metrics = (lit.path / "logs/lightning_logs/version_0/metrics.csv").read_text()
    assert {"train_loss", "val_acc", "test_acc"} <= set(metrics.splitlines()[0].split(","))
    # The plain state dict beside them: evaluate (and the API) read it as after `train`.
    evaluated = lit.run("corrupt-mnist", "evaluate")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "test accuracy:" in evaluated.stdout


def test_the_logging_config_routes_messages_by_level(lit: Project) -> None:
    """configs/logging.yaml: everything from DEBUG into logs/train.log, INFO up on the console."""
    log = (lit.path / "logs" / "train.log").read_text()
    line = re.search(r"^\S+ \S+ INFO +corrupt_mnist\.train_lit: saved weights to .*$", log, re.M)
    assert line, log[-2000:]
    assert re.search(r"^\S+ \S+ DEBUG +", log, re.M), "the file handler dropped DEBUG lines"
    assert re.search(r" INFO +lightning\.", log), "Lightning's messages bypass the config"


def test_the_smoke_run_of_the_boilerplate_page(lit: Project) -> None:
    """boilerplate.md exercise 1: one batch per loop, no metrics, only the final last.ckpt."""
    runs = sorted((lit.path / "logs" / "lightning_logs").iterdir())
    smoke = lit.run(
        "corrupt-mnist", "train-lit", "+trainer.fast_dev_run=true",
        "paths.model=models/smoke.pt", "paths.checkpoints=models/smoke-checkpoints",
    )  # fmt: skip
    assert smoke.returncode == 0, smoke.stderr
    assert "fast_dev_run" in smoke.stderr
    assert SAVED_AFTER.findall(smoke.stderr) == [("models/smoke.pt", "1")], smoke.stderr
    checkpoints = [p.name for p in (lit.path / "models" / "smoke-checkpoints").iterdir()]
    assert checkpoints == ["last.ckpt"]  # save_last writes it when training ends, any flags
    assert sorted((lit.path / "logs" / "lightning_logs").iterdir()) == runs
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


def test_the_tuning_script_scores_trials_on_a_validation_split(lit: Project) -> None:
    test_set = (lit.path / "data" / "processed" / "test_images.pt").read_bytes()
    result = lit.run(lit.bin / "python", "scripts/tune_mnist.py", "--trials", "2")
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"^best validation accuracy [01]\.\d{3} with \{'lr': [\d.e-]+, 'channels': (16|32|64), "
        r"'dropout': [\d.]+\}$",
        result.stdout,
        re.M,
    ), result.stdout
    assert len(list((lit.path / "models" / "tuning").glob("trial_*.pt"))) == 2
    sizes = lit.run(
        lit.bin / "python", "-c",
        "import torch; print(*(len(torch.load(f'data/tuning/{s}_targets.pt')) "
        "for s in ('train', 'test')))",
    )  # fmt: skip
    assert sizes.stdout.split() == ["230", "26"], sizes.stderr  # 90/10 of the 256 fake images
    assert (lit.path / "data" / "processed" / "test_images.pt").read_bytes() == test_set


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


def test_the_cnn_exports_to_onnx_and_matches_pytorch(trained: Project) -> None:
    """The ML deployment module's second export, on the 64 test images of the fake data."""
    result = trained.run(trained.bin / "python", "scripts/export_onnx_cnn.py")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "ONNX Runtime matches PyTorch on 64 test images" in result.stdout
    assert (trained.path / "models" / "model.onnx").is_file()
    assert not (trained.path / "models" / "model.onnx.data").exists()  # one file to ship


@contextmanager
def recording_server() -> Iterator[tuple[str, list[tuple[str, object]]]]:
    """A stand-in for `bentoml serve` on 127.0.0.1, so a load test runs without BentoML.

    It answers GET /health with a status, every POST with [0], and records (path, JSON body).
    """
    received: list[tuple[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
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

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def predict_parameter() -> str:
    """The name of IrisClassifier.predict's input, which is the JSON key BentoML expects."""
    tree = ast.parse((EXAMPLE / "service.py").read_text())
    service = next(
        n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "IrisClassifier"
    )
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


def drift_demo(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return project.run(project.bin / "python", "scripts/drift_demo.py", *args)


def test_the_drift_demo_flags_the_longer_petals_and_nothing_else(project: Project) -> None:
    """The data drifting module's first report: exit 1 and one failed test with the drift."""
    drifting = drift_demo(project)
    assert drifting.returncode == 1, drifting.stdout + drifting.stderr[-3000:]
    failed = [line for line in drifting.stdout.splitlines() if line.startswith("FAIL")]
    assert failed == ["FAIL     Value Drift for column petal_length"], drifting.stdout
    assert drifting.stdout.splitlines()[-1] == "drifted: petal_length"
    assert (project.path / "reports" / "iris_drift.html").is_file()

    calm = drift_demo(project, "1.0")
    assert calm.returncode == 0, calm.stdout + calm.stderr[-3000:]
    assert "FAIL" not in calm.stdout and calm.stdout.splitlines()[-1] == "drifted: none"


def frontend_tests(project: Project) -> subprocess.CompletedProcess[str]:
    return project.run(
        project.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "tests/test_frontend.py",
    )  # fmt: skip


def test_the_digit_page_tests_pass_and_catch_a_page_that_forgets_to_invert(
    project: Project, tmp_path: Path
) -> None:
    """The frontend module's tests of the digit page, then on a copy whose page skips a step."""
    fine = frontend_tests(project)
    assert "3 passed" in fine.stdout, fine.stdout
    broken = copy_example(tmp_path / "p")
    edit(
        broken / "src/corrupt_mnist/frontend.py",
        'ImageOps.invert(Image.open(uploaded).convert("L"))',
        'Image.open(uploaded).convert("L")',
    )
    result = frontend_tests(install(broken))
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


@pytest.fixture(scope="module")
def traffic_log(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The prediction log of exercise 4: 100 typical flowers, then 100 with longer petals."""
    folder = tmp_path_factory.mktemp("traffic") / "log"
    logged = project.run(project.bin / "python", "-c", LOG_THE_TRAFFIC, folder)
    assert len(list(folder.rglob("*.json"))) == 200, logged.stderr[-3000:]
    return folder


def test_the_drift_windows_show_the_trade_off_of_the_window_size(
    project: Project, traffic_log: Path
) -> None:
    """Data drifting, exercise 12: every window finds the change; the small one also errs."""
    result = project.run(project.bin / "python", "scripts/drift_windows.py", traffic_log)
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
    project: Project, traffic_log: Path
) -> None:
    """Data drifting, exercise 11: a chance-level score, then a high one that blames the petals."""
    result = project.run(project.bin / "python", "scripts/drift_auc.py", traffic_log)
    assert result.returncode == 0, result.stderr[-3000:]
    scores = [
        float(s) for s in re.findall(r"^(?:first|last) 100: AUC ([\d.]+)$", result.stdout, re.M)
    ]
    assert len(scores) == 2 and scores[0] <= 0.6 and scores[1] >= 0.9, result.stdout
    weights = ast.literal_eval(result.stdout.split("importances: ", 1)[1])
    assert max(weights, key=weights.get) == "petal_length", result.stdout


def test_only_the_low_contrast_images_drift_in_contrast(trained: Project) -> None:
    """Data drifting, exercise 9: KS on brightness and contrast of three pairs of image sets."""
    result = trained.run(trained.bin / "python", "scripts/image_drift.py")
    assert result.returncode == 0, result.stderr[-3000:]
    statistics = {
        (pair.strip(), feature): float(ks)
        for pair, feature, ks in re.findall(r"^(.+?) +(\w+): KS ([\d.]+),", result.stdout, re.M)
    }
    assert len(statistics) == 6, result.stdout
    assert statistics.pop(("low contrast", "contrast")) > 0.9, result.stdout  # every image
    assert max(statistics.values()) < 0.5, result.stdout


def test_the_predicted_digits_give_away_a_user_base_of_small_digits(trained: Project) -> None:
    """Data drifting, exercise 10: a chi-square p-value that collapses without any label."""
    result = trained.run(trained.bin / "python", "scripts/prediction_shift.py")
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


def test_train_lit_resumes_from_the_last_checkpoint(lit: Project) -> None:
    """The clusters module's exercise 5: a second job continues where the first one stopped."""
    single = SAVED_AFTER.search((lit.path / "logs" / "train.log").read_text())
    assert single
    folder = lit.path / "models" / "resume-checkpoints"
    folder.mkdir()
    (folder / "last.ckpt").write_bytes((lit.path / "models/checkpoints/last.ckpt").read_bytes())
    resumed = lit.run(
        "corrupt-mnist", "train-lit", "training.resume=last", "training.epochs=2",
        "paths.checkpoints=models/resume-checkpoints", "paths.model=models/resumed.pt",
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert "Restoring states from the checkpoint path" in resumed.stderr, resumed.stderr[-2000:]
    # One epoch was done: the second adds as many steps again, not two epochs' worth.
    assert SAVED_AFTER.findall(resumed.stderr) == [
        ("models/resumed.pt", str(2 * int(single[2])))
    ], resumed.stderr[-2000:]


# ML deployment, exercises 5, 8, 10 and 11: timing, providers, optimisation, quantization -------


def iris_onnx(project: Project) -> Path:
    """models/iris.onnx as the page makes it: train the iris network, then export it."""
    for step in (["-m", "corrupt_mnist.iris"], ["scripts/export_onnx.py"]):
        result = project.run(project.bin / "python", *step)
        assert result.returncode == 0, result.stderr[-3000:]
    return project.path / "models" / "iris.onnx"


def cnn_onnx(trained: Project) -> Path:
    """models/model.onnx from exercise 4's script, written only if an earlier test did not."""
    path = trained.path / "models" / "model.onnx"
    if not path.is_file():
        result = trained.run(trained.bin / "python", "scripts/export_onnx_cnn.py")
        assert result.returncode == 0, result.stderr[-3000:]
    return path


COUNT_THE_CALLS = """
import sys
sys.path.insert(0, "scripts")
from time_runtimes import seconds_per_call
calls = []
seconds = seconds_per_call(lambda: calls.append(1), calls=5, warmup=3)
print(len(calls), seconds >= 0)
"""


def test_the_timing_loop_warms_up_then_times_the_calls(project: Project) -> None:
    """Exercise 5's `seconds_per_call` makes warm-up plus timed calls, and both runtimes run."""
    counted = project.run(project.bin / "python", "-c", COUNT_THE_CALLS)
    assert counted.stdout.split() == ["8", "True"], counted.stderr[-3000:]
    iris_onnx(project)
    timed = project.run(project.bin / "python", "scripts/time_runtimes.py", "models/iris.pt",
                        "models/iris.onnx", "5")  # fmt: skip
    assert timed.returncode == 0, timed.stderr[-3000:]
    runtimes = re.findall(r"^(\w+): [\d.]+ microseconds per call$", timed.stdout, re.M)
    assert runtimes == ["pytorch", "onnxruntime"], timed.stdout


def test_asking_for_cuda_without_it_runs_on_the_cpu(project: Project) -> None:
    """Exercise 8: the provider list is a preference; without CUDA the session uses the CPU."""
    iris_onnx(project)
    result = project.run(project.bin / "python", "scripts/onnx_providers.py")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "session uses: ['CPUExecutionProvider']" in result.stdout.splitlines(), result.stdout
    assert re.search(r"^\d+ providers exist in ONNX Runtime$", result.stdout, re.M), result.stdout


def test_the_optimised_graph_fuses_the_relus_into_the_convolutions(trained: Project) -> None:
    """Exercise 10: fewer nodes after ORT_ENABLE_ALL, the saved file being the one it counts."""
    cnn_onnx(trained)
    result = trained.run(trained.bin / "python", "scripts/onnx_optimize.py", "models/model.onnx",
                         "models/model.optimized.onnx", "5")  # fmt: skip
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


def test_quantizing_shrinks_the_cnn_and_keeps_its_accuracy(trained: Project) -> None:
    """Exercise 11: the float file scores as `evaluate` did, the int8 file is smaller and close."""
    cnn_onnx(trained)
    result = trained.run(trained.bin / "python", "scripts/quantize_onnx.py", "models/model.onnx",
                         "models/model.int8.onnx", "5")  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    files = {name: (int(kb), float(acc)) for name, kb, acc in QUANTIZED.findall(result.stdout)}
    assert sorted(files) == ["model", "model.int8"], result.stdout
    evaluated = json.loads((trained.path / "reports" / "metrics.json").read_text())["accuracy"]
    assert files["model"][1] == pytest.approx(evaluated, abs=1e-4), result.stdout
    assert files["model.int8"][0] * 2 < files["model"][0], result.stdout  # 1 byte per weight, not 4
    assert abs(files["model.int8"][1] - files["model"][1]) <= 0.1, result.stdout
    # The page says the convolutions are quantized too, not only the linear layer.
    int8 = trained.run(trained.bin / "python", "-c", "import onnx, sys; print(*{n.op_type for n in "
                       "onnx.load(sys.argv[1]).graph.node})", "models/model.int8.onnx")  # fmt: skip
    assert {"ConvInteger", "MatMulInteger"} <= set(int8.stdout.split()), int8.stderr[-3000:]


# Data drifting, exercise 3: a test's verdict follows the sample size, a distance's does not ---

SIGNIFICANCE = """
import sys
sys.path.insert(0, "scripts")
from drift_significance import drift_verdicts, main
main()
print("no shift:", drift_verdicts(100_000, 0.0))
"""


def test_a_tiny_shift_is_significant_only_with_many_rows(project: Project) -> None:
    """With 100 000 rows KS flags a 0.05 shift that the distance measures as 0.05, no drift."""
    result = project.run(project.bin / "python", "-c", SIGNIFICANCE)
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


def test_the_image_feature_report_flags_only_the_darkened_brightness(trained: Project) -> None:
    """Darker images drift in brightness, not in contrast; the untouched halves do not drift."""
    darker = trained.run(trained.bin / "python", "scripts/image_feature_drift.py")
    assert darker.returncode == 1, darker.stderr[-3000:]
    assert darker.stdout.splitlines()[-1] == "drifted: brightness", darker.stdout
    assert (trained.path / "reports" / "image_drift.html").is_file()
    alike = trained.run(trained.bin / "python", "scripts/image_feature_drift.py", "0")
    assert (alike.returncode, alike.stdout.splitlines()[-1]) == (0, "drifted: none"), alike.stdout


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

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


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
