"""Run and check the companion project docs/_example/ the way a student would.

Each check takes a copy of the project, so a test can break one file in its copy and watch
the matching check fail. Everything runs offline on CPU: the dependencies come from the test
environment (the copy's venv sees them through a .pth file) and the data is a tiny
fake MNIST that the project's own test fixtures write.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import site
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

import yaml
from filelock import FileLock

from tests.example_driver import MARKER

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "_example"
TOOLS = Path(sys.executable).parent  # hadolint, actionlint, dvc, pre-commit, uv-build
DRIVER = Path(__file__).resolve().with_name("example_driver.py")
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", "__pycache__", "data", "models", "reports", "outputs", ".dvc"
)


@dataclass(frozen=True)
class Project:
    """A copy of the example with its own venv, in which the package is installed editable.

    With `venv`, the copy runs on another copy's venv instead, its own src/ first on the import
    path (PYTHONPATH comes before the editable install's path): see `on_the_venv_of`.
    """

    path: Path
    venv: Path | None = None

    @property
    def bin(self) -> Path:
        return (self.venv or self.path / ".venv") / "bin"

    def env(self) -> dict[str, str]:
        """The copy's venv first on PATH, then the test environment's tools; no GPU, no network."""
        path = os.pathsep.join([str(self.bin), str(TOOLS), os.environ.get("PATH", "")])
        borrowed = {"PYTHONPATH": str(self.path / "src")} if self.venv else {}
        return {
            **os.environ,
            **borrowed,
            "PATH": path,
            "CUDA_VISIBLE_DEVICES": "",
            # One thread per process: on a busy machine PyTorch's spinning threads cost several
            # times the CPU of the work itself (measured: 17.7 s against 4.9 s for one script).
            "OMP_NUM_THREADS": "1",
            "PYTHONWARNINGS": "ignore",
            "DVC_NO_ANALYTICS": "1",
        }

    def run(self, *cmd: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run a command in the project; the caller decides whether failure is expected."""
        return subprocess.run(
            [str(c) for c in cmd],
            cwd=cwd or self.path,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )


def run_steps(
    project: Project, *steps: tuple[str | Path, ...], cwd: Path | None = None
) -> list[subprocess.CompletedProcess[str]]:
    """Run several scripts in one process of the copy's venv (tests/example_driver.py).

    Each step is ``("script", path, *args)``, ``("module", name, *args)`` or
    ``("code", source, *args)``; each gets its own result, as if it had run alone.
    """
    spec = json.dumps([[str(part) for part in step] for step in steps])
    result = project.run(project.bin / "python", DRIVER, spec, cwd=cwd)
    if result.returncode != 0:
        raise AssertionError(f"the driver failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return [
        subprocess.CompletedProcess(list(step), r["returncode"], r["stdout"], r["stderr"])
        for step, r in zip(steps, json.loads(result.stdout.rpartition(MARKER)[2]), strict=True)
    ]


def copy_example(target: Path) -> Path:
    """A fresh copy of the example project, without anything a previous run produced."""
    shutil.copytree(EXAMPLE, target, ignore=COPY_IGNORE)
    return target


def install(path: Path) -> Project:
    """Create the copy's venv and install the project into it (editable, no downloads)."""
    project = Project(path)
    venv.EnvBuilder(with_pip=False).create(path / ".venv")
    # The new venv is based on the system Python; a .pth file lets it see the test
    # environment's packages (torch, hydra, ...) without installing them again.
    site_packages = next((path / ".venv" / "lib").glob("python3*/site-packages"))
    (site_packages / "test-environment.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    result = project.run(
        sys.executable, "-m", "pip", "--python", project.bin / "python", "install",
        "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-e", path,
    )  # fmt: skip
    if result.returncode != 0:
        raise AssertionError(f"installing {path} failed:\n{result.stdout}\n{result.stderr}")
    return project


def on_the_venv_of(installed: Project, path: Path) -> Project:
    """A copy that runs its own code on an installed copy's venv, without a `pip install`.

    For checks of the package's code, not of its installation (pyproject.toml, entry points).
    """
    return Project(path, venv=installed.path / ".venv")


def write_fake_raw_data(project: Project, raw_dir: str = "data/raw", train_size: int = 256) -> None:
    """Write the tiny fake MNIST of the project's own fixtures (tests/conftest.py) into raw_dir.

    It runs in this process, which has imported PyTorch already: one import less per check.
    """
    spec = importlib.util.spec_from_file_location(
        "example_conftest", project.path / "tests" / "conftest.py"
    )
    assert spec is not None and spec.loader is not None
    conftest = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(project.path / "src"))
    try:
        spec.loader.exec_module(conftest)
    finally:
        sys.path.remove(str(project.path / "src"))
    conftest.write_fake_mnist(project.path / raw_dir, train_size=train_size)


def pipeline(project: Project) -> float:
    """data -> train (two epochs) -> evaluate through the installed `corrupt-mnist` command."""
    write_fake_raw_data(project)
    for step in (
        ["preprocess"],
        ["train", "training.epochs=2"],
        ["evaluate"],
    ):
        result = project.run("corrupt-mnist", *step)
        if result.returncode != 0:
            raise AssertionError(f"corrupt-mnist {' '.join(step)} failed:\n{result.stderr}")
    if "test accuracy:" not in result.stdout:
        raise AssertionError(f"evaluate printed no accuracy: {result.stdout!r}")
    return json.loads((project.path / "reports" / "metrics.json").read_text())["accuracy"]


def made_files(path: Path) -> set[Path]:
    """The files of a copy, relative to it, apart from its venv."""
    return {
        f.relative_to(path)
        for f in path.rglob("*")
        if f.is_file() and f.relative_to(path).parts[0] != ".venv"
    }


def train_once(project: Project, store: Path) -> float:
    """The pipeline in the first pytest-xdist worker's copy; the other worker copies what it made.

    Both workers need a trained copy. The chain runs through the installed entry points once per
    test run; `store` (in the run's temporary folder, which both workers share) keeps the data,
    weights and metrics it wrote, and a file lock makes the second worker wait for them.
    """
    with FileLock(f"{store}.lock"):
        if not store.is_dir():
            before = made_files(project.path)
            accuracy = pipeline(project)
            part = store.with_name(f"{store.name}.part")
            for made in made_files(project.path) - before:
                (part / made).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(project.path / made, part / made)
            part.rename(store)
            return accuracy
    shutil.copytree(store, project.path, dirs_exist_ok=True)
    return json.loads((project.path / "reports" / "metrics.json").read_text())["accuracy"]


def dvc_repro(project: Project, remote: Path) -> list[str]:
    """Track the raw data, run the pipeline with `dvc repro`, push to a local remote.

    The dvc commands run in one process (`python -m dvc`, tests/example_driver.py), which
    imports dvc once; the stages that `dvc repro` runs are processes of their own, as always.
    """
    write_fake_raw_data(project)
    initialised = project.run("git", "init", "--quiet")
    if initialised.returncode != 0:
        raise AssertionError(f"git init failed:\n{initialised.stderr}")
    steps = [
        ("module", "dvc", "init", "--quiet"),
        ("module", "dvc", "remote", "add", "--default", "local", remote),
        ("module", "dvc", "add", "data/raw"),
        ("module", "dvc", "repro"),
        ("module", "dvc", "push"),
        ("module", "dvc", "status"),
    ]
    outputs = []
    for step, result in zip(steps, run_steps(project, *steps), strict=True):
        if result.returncode != 0:
            raise AssertionError(
                f"dvc {' '.join(map(str, step[2:]))} failed:\n{result.stdout}{result.stderr}"
            )
        outputs.append(result.stdout)
    return outputs


def invoke_tasks(project: Project) -> str:
    """`invoke --list`, then the data step through its task, as the pages tell students to.

    Returns the task list. Raises AssertionError when either fails or the task writes no data.
    """
    listing = project.run("invoke", "--list")
    if listing.returncode != 0:
        raise AssertionError(f"invoke --list failed:\n{listing.stdout}{listing.stderr}")
    write_fake_raw_data(project)
    result = project.run("invoke", "preprocess")
    if result.returncode != 0:
        raise AssertionError(f"invoke preprocess failed:\n{result.stdout}{result.stderr}")
    if not (project.path / "data" / "processed" / "train_images.pt").is_file():
        raise AssertionError("invoke preprocess wrote no data/processed/train_images.pt")
    return listing.stdout


# Dockerfiles -----------------------------------------------------------------------------

COPY = re.compile(r"^\s*(?:COPY|ADD)\s+(?P<args>.+)$", re.IGNORECASE | re.MULTILINE)


def copy_sources(dockerfile: str) -> list[str]:
    """The build-context paths that the COPY and ADD lines of a Dockerfile read."""
    sources = []
    for line in COPY.finditer(dockerfile):
        words = [w for w in line["args"].split() if not w.startswith("--")]
        if any(w.startswith("--from") for w in line["args"].split()):
            continue  # copies from another stage, not from the context
        sources.extend(w.rstrip("/") for w in words[:-1])
    return sources


def _pattern(rule: str) -> re.Pattern[str]:
    """Docker's .dockerignore syntax: Go's filepath.Match plus `**` for any number of folders."""
    rule = rule.strip().strip("/")
    out = ""
    i = 0
    while i < len(rule):
        if rule.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif rule.startswith("**", i):
            out, i = out + ".*", i + 2
        elif rule[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif rule[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(rule[i]), i + 1
    return re.compile(out)


def dockerignored(rules: list[str], path: str) -> bool:
    """Whether .dockerignore keeps `path` out of the build context (the last matching rule wins)."""
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    excluded = False
    for raw in rules:
        rule = raw.strip()
        if not rule or rule.startswith("#"):
            continue
        negate = rule.startswith("!")
        pattern = _pattern(rule.lstrip("!"))
        if any(pattern.fullmatch(p) for p in prefixes):
            excluded = not negate
    return excluded


def dockerfile_problems(project_dir: Path) -> list[str]:
    """Every COPY source that is missing or excluded by .dockerignore, for each Dockerfile."""
    rules = (project_dir / ".dockerignore").read_text().splitlines()
    problems = []
    for dockerfile in sorted((project_dir / "dockerfiles").glob("*.dockerfile")):
        for source in copy_sources(dockerfile.read_text()):
            name = f"{dockerfile.relative_to(project_dir)}: COPY {source}"
            if not (project_dir / source).exists():
                problems.append(f"{name}: no such file in the project")
            elif dockerignored(rules, source):
                problems.append(f"{name}: excluded by .dockerignore")
    return problems


def unpinned_images(dockerfile: str) -> list[str]:
    """Images in FROM and COPY --from with no tag or the tag `latest`, which change under a build.

    Names of the file's own build stages, stage numbers and `scratch` are not images.
    """
    stages = {s.lower() for s in re.findall(r"^\s*FROM\s.*\sAS\s+(\S+)", dockerfile, re.M | re.I)}
    images = re.findall(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", dockerfile, re.M | re.I)
    images += re.findall(r"^\s*COPY\s[^\n]*--from=(\S+)", dockerfile, re.M | re.I)
    unpinned = []
    for image in images:
        if image.lower() in stages | {"scratch"} or image.isdigit() or "@" in image:
            continue
        tag = image.rsplit("/", 1)[-1].partition(":")[2]
        if tag in ("", "latest"):
            unpinned.append(image)
    return unpinned


# Options of `docker run` that take the next word as their value (when not written with `=`).
DOCKER_RUN_VALUE_OPTIONS = {
    "-e", "--env", "--env-file", "-v", "--volume", "-p", "--publish", "--name", "--entrypoint",
    "--add-host", "-w", "--workdir", "-u", "--user", "--gpus", "--platform", "--mount",
    "--network", "--memory", "-m", "--cpus", "--label", "-l",
}  # fmt: skip
# Images a page runs only to show that Docker works, where a tag would teach nothing.
UNPINNED_ON_PURPOSE = {"hello-world"}


def docker_command_images(text: str) -> list[str]:
    """The image of every `docker run` and `docker pull` in a shell snippet."""
    # Line continuations: a backslash (sh) or a backtick (PowerShell) at the end of a line.
    joined = re.sub(r"[\\`]\n\s*", " ", text)
    images = []
    for command in re.split(r"\n|&&|;|\|", joined):
        for found in re.finditer(r"\bdocker\s+(run|pull)\s+(.*)", command):
            words = found[2].split()
            i = 0
            while i < len(words) and words[i].startswith("-"):
                takes_value = words[i] in DOCKER_RUN_VALUE_OPTIONS
                i += 2 if takes_value else 1
            if i < len(words):
                images.append(words[i].strip("\"'"))
    return images


def unpinned_docker_commands(pages: Path, own_images: list[str]) -> list[str]:
    """`page:line image` for every third-party image a page runs or pulls without a fixed tag.

    The student's own images (the naming table's) and placeholders (IMAGE, <user>/...) are left
    out: their tags are the student's choice.
    """
    found = []
    for where, block in _page_blocks(pages, SHELL_FENCE):
        for image in docker_command_images(block):
            name, _, tag = image.rsplit("/", 1)[-1].partition(":")
            if name in own_images or name in UNPINNED_ON_PURPOSE or "<" in image:
                continue
            if image.isupper() or not re.fullmatch(r"[\w./:@-]+", image):
                continue
            if tag in ("", "latest") and "@" not in image:
                found.append(f"{where} {image}")
    return found


def table_image_names() -> list[str]:
    """The image names of the naming table in CONTRIBUTING.md, the one place they are written."""
    table = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    row = re.search(r"^\| image names \|(.*)\|$", table, re.M)
    assert row, "CONTRIBUTING.md: the naming table has no `| image names |` row"
    return re.findall(r"`([\w-]+)`", row[1])


def build_config_problems(project_dir: Path) -> list[str]:
    """Cloud Build and Compose files that name a missing Dockerfile or an image off the table.

    Every Cloud Build step needs a builder image (`name`); every `-f` and `dockerfile:` must
    exist; every image pushed to the registry is one of the naming table's image names; the
    project's own images in these files and in vertex_config.yaml carry a fixed tag, not `latest`.
    """
    images = table_image_names()
    problems = []
    for path in sorted(project_dir.glob("cloudbuild*.yaml")):
        steps = (yaml.safe_load(path.read_text()) or {}).get("steps") or []
        if not steps:
            problems.append(f"{path.name}: no steps")
        for n, step in enumerate(steps, start=1):
            args = [str(arg) for arg in step.get("args", [])]
            if "name" not in step:
                problems.append(f"{path.name}: step {n} has no builder image (name)")
            dockerfiles = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "-f"]
            problems += [
                f"{path.name}: step {n}: no {d}"
                for d in dockerfiles
                if not (project_dir / d).exists()
            ]
            for image, tag in re.findall(r"mlops-images/([\w-]+):(\S*)", " ".join(args)):
                if image not in images:
                    problems.append(f"{path.name}: step {n}: image {image} is not in the table")
                if tag in ("", "latest"):
                    problems.append(f"{path.name}: step {n}: {image} has no fixed tag")
        for listed in (yaml.safe_load(path.read_text()) or {}).get("images") or []:
            if floating_tag(listed):
                problems.append(f"{path.name}: images: {listed} has no fixed tag")
    compose = project_dir / "compose.yaml"
    for name, service in yaml.safe_load(compose.read_text())["services"].items():
        dockerfile = service.get("build", {}).get("dockerfile")
        if dockerfile and not (project_dir / dockerfile).exists():
            problems.append(f"compose.yaml: service {name}: no {dockerfile}")
        image = service.get("image", "").partition(":")[0]
        if image and image not in images:
            problems.append(f"compose.yaml: service {name}: image {image} is not in the table")
        if image and floating_tag(service["image"]):
            problems.append(f"compose.yaml: service {name}: {service['image']} has no fixed tag")
    vertex = project_dir / "vertex_config.yaml"
    if vertex.is_file():
        uris = re.findall(r"imageUri:\s*(\S+)", vertex.read_text())
        problems += [
            f"vertex_config.yaml: {uri} has no fixed tag" for uri in uris if floating_tag(uri)
        ]
    return problems


def floating_tag(image: str) -> bool:
    """An image reference without a tag or with `latest`: it names another image after a build."""
    return "@" not in image and image.rsplit("/", 1)[-1].partition(":")[2] in ("", "latest")


def own_latest_images(pages: Path, own_images: list[str]) -> list[str]:
    """`page:line image` for every image of the table in the registry with the tag `latest`."""
    registry = re.compile(r"mlops-images/(" + "|".join(map(re.escape, own_images)) + r"):latest\b")
    found = []
    for where, block in _page_blocks(pages, SHELL_FENCE) + _page_blocks(pages, FENCE):
        found += [f"{where} {m[1]}" for m in registry.finditer(block)]
    return found


def ruff(project_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Ruff with the example's own configuration from its pyproject.toml."""
    return subprocess.run(
        [TOOLS / "ruff", *args, "."], cwd=project_dir, capture_output=True, text=True, check=False
    )


def hadolint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TOOLS / "hadolint", dockerfile], capture_output=True, text=True, check=False
    )


# Workflows and pre-commit configurations --------------------------------------------------

FENCE = re.compile(r"^(?P<indent>[ \t]*)```ya?ml[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)


SHELL_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?:bash|sh|shell|console|powershell)[^\n]*\n"
    r"(?P<body>.*?)^(?P=indent)```",
    re.M | re.S,
)


DOCKERFILE_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```dockerfile[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S
)


def page_yaml_blocks(pages: Path) -> list[tuple[str, str]]:
    """(``page:line``, text) of every YAML code block in the pages, dedented."""
    return _page_blocks(pages, FENCE)


def page_dockerfile_blocks(pages: Path) -> list[tuple[str, str]]:
    """(``page:line``, text) of every Dockerfile code block in the pages, dedented."""
    return _page_blocks(pages, DOCKERFILE_FENCE)


def _page_blocks(pages: Path, fences: re.Pattern[str]) -> list[tuple[str, str]]:
    blocks = []
    for page in sorted(pages.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for fence in fences.finditer(text):
            indent = len(fence["indent"])
            body = "\n".join(line[indent:] for line in fence["body"].splitlines()) + "\n"
            line = text.count("\n", 0, fence.start()) + 1
            shown = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
            blocks.append((f"{shown}:{line}", body))
    return blocks


def is_workflow(block: str) -> bool:
    return bool(re.search(r"^on:", block, re.M) and re.search(r"^jobs:", block, re.M))


def is_precommit_config(block: str) -> bool:
    return bool(re.search(r"^repos:", block, re.M))


def actionlint(files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TOOLS / "actionlint", "-no-color", *files], capture_output=True, text=True, check=False
    )


def precommit_validate(files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TOOLS / "pre-commit", "validate-config", *files],
        capture_output=True,
        text=True,
        check=False,
    )


# pre-commit 4.4 deprecated these two names for `unsupported` and `unsupported_script`, and
# validate-config does not warn about them; only a hook run does, so check them here.
DEPRECATED_LANGUAGE = re.compile(r"^\s*language:\s*(system|script)\s*$", re.M)


# Code blocks of the pages --------------------------------------------------------------------

EARLIER_STAGE = re.compile(
    r"^(?P<indent>[ \t]*)```\{code-block\}[^\n]*\n(?P<options>(?:(?P=indent):[^\n]*\n)+)"
    r"(?P<body>.*?)^(?P=indent)```",
    re.M | re.S,
)


def earlier_stage(page: Path, file: str) -> str:
    """The code of the block on `page` that shows `file` at an earlier stage, dedented."""
    text = page.read_text(encoding="utf-8")
    for block in EARLIER_STAGE.finditer(text):
        options = block["options"]
        if "earlier-stage" in options and re.search(rf":caption: {re.escape(file)} ", options):
            indent = len(block["indent"])
            return "".join(line[indent:] or "\n" for line in block["body"].splitlines(True))
    raise AssertionError(f"{page}: no earlier-stage code-block with the caption {file}")
