"""Find the Chromium-family browser that prints the book.

The PDF is the HTML printed by the system's own Chromium, Chrome or Edge, so nothing has to be
downloaded at build time. ``MLOPS_HANDBOOK_BROWSER`` picks a specific executable.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "MLOPS_HANDBOOK_BROWSER"

# Names on PATH, most specific first: Debian's package, the snap, Google's and Microsoft's builds.
NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)

# Where installers put the browser when it is not on PATH (macOS apps, Windows program files).
LOCATIONS = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "C:/Program Files/Google/Chrome/Application/chrome.exe",
    "C:/Program Files (x86)/Google/Chrome/Application/chrome.exe",
    "C:/Program Files (x86)/Microsoft/Edge/Application/msedge.exe",
    "C:/Program Files/Microsoft/Edge/Application/msedge.exe",
)

INSTALL_HINT = (
    "The PDF is printed by a Chromium-family browser (Chromium, Google Chrome or Microsoft Edge), "
    "and none was found on PATH or in the usual install locations.\n"
    "  Debian/Ubuntu: sudo apt-get install chromium fonts-noto-color-emoji\n"
    "  macOS:         brew install --cask chromium\n"
    f"Or point {ENV_VAR} at the browser's executable."
)


class BrowserNotFoundError(RuntimeError):
    """No browser to print with; the message says how to install one."""


def find_browser(
    environ: Mapping[str, str] = os.environ,
    names: tuple[str, ...] = NAMES,
    locations: tuple[str, ...] = LOCATIONS,
) -> Path:
    """Return the browser executable: the one named by the environment, else the first found."""
    chosen = environ.get(ENV_VAR)
    if chosen:
        found = shutil.which(chosen, path=environ.get("PATH"))
        if found is None:
            raise BrowserNotFoundError(
                f"{ENV_VAR}={chosen} is not an executable browser.\n{INSTALL_HINT}"
            )
        return Path(found)
    for name in names:
        found = shutil.which(name, path=environ.get("PATH"))
        if found:
            return Path(found)
    for location in locations:
        if os.access(location, os.X_OK):
            return Path(location)
    raise BrowserNotFoundError(INSTALL_HINT)
