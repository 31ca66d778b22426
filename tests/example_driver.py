"""Run several of the companion project's scripts in one Python process, as `python` would.

Each check of tests/test_example.py that starts `python scripts/x.py` pays for importing PyTorch
(and ONNX Runtime, Evidently, ...) again: one to two seconds of CPU before any work. This driver
takes a JSON list of steps on its command line and runs them one after the other in this one
process, each with the `sys.argv`, `sys.path[0]` and `__name__ == "__main__"` that its own
command would give it. It prints a marker line, then one JSON list: each step's stdout, stderr
and exit status.

A step is ``["script", path, *args]`` (``python path args``), ``["module", name, *args]``
(``python -m name args``) or ``["code", source, *args]`` (``python -c source args``).
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import tempfile
import traceback

# The results follow this line on stdout.
MARKER = "=== example_driver results ==="


def exit_status(code: object) -> int:
    """The status `python` exits with for `sys.exit(code)`."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def run_step(kind: str, target: str, args: list[str]) -> dict[str, object]:
    """One step with its own argv, import path and environment; its output and exit status.

    The output is caught at the file descriptors, as a pipe from a process of its own would
    catch it: print(), logging handlers made by an earlier step and C code all land in it.
    """
    saved_argv, saved_path, saved_env = sys.argv, list(sys.path), dict(os.environ)
    if kind == "script":
        sys.argv, sys.path[0] = [target, *args], os.path.dirname(os.path.abspath(target))
    else:  # -m and -c put the current folder first
        sys.argv, sys.path[0] = ["-m" if kind == "module" else "-c", *args], os.getcwd()
    status = 0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        real_out, real_err = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        try:
            if kind == "script":
                runpy.run_path(target, run_name="__main__")
            elif kind == "module":
                runpy.run_module(target, run_name="__main__", alter_sys=True)
            else:
                exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
        except SystemExit as done:
            status = exit_status(done.code)
        except BaseException:  # as python does: a traceback, status 1
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(real_out, 1)
            os.dup2(real_err, 2)
            os.close(real_out)
            os.close(real_err)
        out.seek(0)
        err.seek(0)
        result = {
            "stdout": out.read().decode(),
            "stderr": err.read().decode(),
            "returncode": status,
        }
    sys.argv, sys.path[:] = saved_argv, saved_path
    os.environ.clear()  # a step that sets a variable (PREDICTION_DIR) sets it for itself only
    os.environ.update(saved_env)
    return result


def main(steps: list[list[str]]) -> None:
    """Run every step, even after one fails, so that each check sees its own result."""
    results = [run_step(kind, target, args) for kind, target, *args in steps]
    sys.stdout.write(f"\n{MARKER}\n{json.dumps(results)}\n")


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
