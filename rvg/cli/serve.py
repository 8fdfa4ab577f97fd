"""``rvg serve``: all deployments from one process, for a single machine."""

from __future__ import annotations

import os


def serve() -> None:
    """Serve every deployment (schedules, event triggers) until Ctrl-C; needs PREFECT_API_URL."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from deployments.serve import main  # the composition root (see rvg.cli._prefect), late

    main()
