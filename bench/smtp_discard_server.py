"""An SMTP server that accepts and discards every message: the far end of bench/dispatch.py.

Run as its own process so that it does not share the benchmark's CPU core and event loop.
"""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from aiosmtpd.controller import Controller


class Discard:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 Accepted"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    controller = Controller(Discard(), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
