"""The loopback interface the project's local servers listen on (the demo's SMTP sink and web
app, the test servers): a free TCP port there."""

from __future__ import annotations

import socket


def free_port(host: str = "127.0.0.1", preferred: int | None = None) -> int:
    """``preferred`` when nothing listens there, else a port the operating system picks."""
    with socket.socket() as probe:
        # as the servers bind: a port whose last connections wait out TIME_WAIT is free
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, preferred or 0))
        except OSError:
            probe.bind((host, 0))
        return int(probe.getsockname()[1])
