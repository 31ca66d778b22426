"""Runs before cookiecutter writes anything: stop on a name that makes a bad package."""

import re
import sys

NAME = "{{ cookiecutter.project_name }}"

if not re.fullmatch(r"[a-z][a-z0-9-]*", NAME):
    print(f"project_name {NAME!r}: use lowercase letters, digits and dashes; start with a letter")
    sys.exit(1)
