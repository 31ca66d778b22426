"""Tell "this machine is offline" apart from "these links are broken", before checking.

Offline, every one of a few hundred links fails after its retries and pace: minutes of
output that all say the same thing. A handful of name lookups answers the question at once.
"""

from __future__ import annotations

import ipaddress
import socket
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

PROBES = 3


def _is_name(host: str) -> bool:
    """A DNS name, not an IP literal or this machine."""
    if host in {"localhost", ""}:
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return True
    return False


def resolves(host: str) -> bool:
    try:
        socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    return True


def offline_hosts(urls: Iterable[str], probes: int = PROBES) -> list[str]:
    """The hosts tried, when none of the most linked ``probes`` hosts resolves; else ``[]``."""
    hosts = Counter(
        host
        for url in urls
        if urlsplit(url).scheme in {"http", "https"}
        and _is_name(host := (urlsplit(url).hostname or ""))
    )
    tried = [host for host, _ in hosts.most_common(probes)]
    if not tried or any(resolves(host) for host in tried):
        return []
    return tried
