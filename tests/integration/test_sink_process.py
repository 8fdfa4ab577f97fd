"""The demo's SMTP sink in a process of its own: it stores, counts and stops; a taken port is
refused with a message, not a hang."""

from __future__ import annotations

import smtplib
import socket
import stat
from email.message import EmailMessage
from pathlib import Path

import pytest

from rvg.loopback import free_port
from rvg.notifications.sink import SinkProcess


def _message(number: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "team@example.org"
    message["To"] = f"person{number}@example.org"
    message["Subject"] = f"Bericht {number}"
    message.set_content("Regel één\n.\nEen regel met alleen een punt hierboven.\n")
    return message


def test_the_sink_process_stores_every_message_owner_only_and_counts_them(tmp_path: Path):
    port = free_port()
    maildir = tmp_path / "mail"
    sink = SinkProcess("127.0.0.1", port, maildir)
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            for number in range(3):
                client.send_message(_message(number))
        assert sink.received == 3
    finally:
        sink.stop()
    files = sorted(maildir.glob("*.eml"))
    assert len(files) == 3
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)
    body = files[0].read_bytes()
    assert b"Subject: Bericht 0" in body
    lines = body.replace(b"\r\n", b"\n").split(b"\n")
    assert b"." in lines and b".." not in lines  # the sender's dot-stuffing undone
    assert sink.received == 3  # still readable after the process ended
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_a_taken_port_is_refused_with_the_reason(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}"):
            SinkProcess("127.0.0.1", port, tmp_path / "mail")
