"""How the handbook checks external links: Sphinx ``linkcheck_*`` defaults plus its own settings.

The defaults are applied only where ``conf.py`` (or ``-D``) left Sphinx's default in place, so
the configuration file stays short and every value can still be overridden there.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

# Hosts a student runs themselves or that only stand in for a real address.
LOCAL_URLS = (
    r"https?://(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\])([:/?#]|$)",
    r"https?://(10\.\d+|192\.168|172\.(1[6-9]|2\d|3[01])|169\.254)\.\d+\.\d+([:/?#]|$)",
    r"https?://([^/:?#]+\.)?example\.(com|org|net)([:/?#]|$)",
    r"https?://[^/:?#]+\.(example|test|invalid|localhost|local|internal)([:/?#]|$)",
    r"https?://[^/?#]*([{}<>]|%7[bB]|%3[cC])",  # placeholders such as https://<your-bucket>/
)

# Sphinx settings that fit this book; each is used only where conf.py kept Sphinx's default.
LINKCHECK_DEFAULTS: dict[str, Any] = {
    "linkcheck_timeout": 15,
    # Give up on a host that keeps answering 429 without Retry-After after two minutes.
    "linkcheck_rate_limit_timeout": 120.0,
    # GitHub builds its heading anchors with JavaScript, so the served HTML never has them.
    "linkcheck_anchors_ignore_for_url": [r"https://(gist\.)?github\.com/"],
    # Redirects that are how the web normally works; any other redirect is reported.
    "linkcheck_allowed_redirects": {
        r"http://.*": r"https://.*",
        # Documentation sites that send readers to their current version or language.
        r".*": r"https?://[^/]+/(.+/)?(latest|stable|current|main|master|en)(/.*)?$",
        r"https://github\.com/[^/]+/[^/]+/releases/latest/?": r"https://github\.com/.*/tag/.*",
        # Cloud consoles send visitors who are not signed in to the sign-in page.
        r"https://console\.cloud\.google\.com/.*": r"https://accounts\.google\.com/.*",
    },
}

# The handbook's own settings: name -> default.
SETTINGS: dict[str, Any] = {
    # Seconds a confirmed link is trusted before it is checked again (0 checks everything).
    "links_cache_max_age": 24 * 3600,
    # Minimum seconds between two requests to the same host, across all workers.
    "links_host_interval": 0.5,
    # Retries after a failed connection or a 5xx answer, with exponential backoff.
    "links_retries": 3,
    "links_retry_backoff": 1.0,
    # Skip localhost, private addresses and example domains (LOCAL_URLS).
    "links_ignore_local": True,
}


def _left_at_default(config: Config, name: str) -> bool:
    return name not in config.overrides and config[name] == config.values[name].default


def apply_policy(_app: Sphinx, config: Config) -> None:
    """Fill in the handbook's linkcheck defaults, then add the local URLs to the ignore list."""
    for name, value in LINKCHECK_DEFAULTS.items():
        if _left_at_default(config, name):
            config[name] = value
    if config.links_ignore_local:
        config.linkcheck_ignore = [*config.linkcheck_ignore, *LOCAL_URLS]


def setup_policy(app: Sphinx) -> None:
    for name, default in SETTINGS.items():
        types = {type(default), int} if isinstance(default, float) else {type(default)}
        app.add_config_value(name, default, "", types=frozenset(types))
    # Before Sphinx compiles linkcheck_allowed_redirects (priority 900).
    app.connect("config-inited", apply_policy, priority=400)
