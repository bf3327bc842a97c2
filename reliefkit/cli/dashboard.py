"""``reliefkit dashboard``: the office's dashboard (Voilà) on this machine or its network.

The arguments are declared here (:func:`add_arguments`) and the command is
:func:`dashboard_command`; ``reliefkit.cli.main`` wires both in. It serves until stopped
(Ctrl-C or SIGTERM), then exits 0; a bad region, year or option exits 2 with the kit's
message.
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_arguments", "dashboard_command"]


def add_arguments(d: argparse.ArgumentParser) -> None:
    """The options of ``reliefkit dashboard``.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_arguments(p)
    >>> a = p.parse_args(["data/sample", "--port", "9000"])
    >>> a.ip, a.port, a.year
    ('127.0.0.1', 9000, 2026)
    """
    d.add_argument("region_dir", type=Path, nargs="?", default=Path("data/sample"),
                   help="region folder, workbook or store (default data/sample)")
    d.add_argument("--year", type=int, default=2026, help="the year (default 2026)")
    d.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the page (default zh)")
    d.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    d.add_argument("--ip", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 or the machine's "
                        "address for the office's network, which needs a token)")
    d.add_argument("--token", default=None,
                   help="the token the page asks for (default: $RELIEFKIT_DASHBOARD_TOKEN; prefer the variable, "
                        "a command line is visible to the machine's other users)")
    d.add_argument("--pool-size", type=int, default=1, metavar="N",
                   help="kernels kept started with the region loaded, one per visitor arriving at once (default 1)")


def dashboard_command(args: argparse.Namespace) -> int:  # pragma: no cover - a server; tests/browser runs it
    """Serve the dashboard (:func:`reliefkit.dashboard.server.serve`) until stopped.

    Examples
    --------
    >>> callable(dashboard_command)
    True
    """
    from reliefkit.dashboard.server import serve

    return serve(args.region_dir, args.year, lang=args.lang, port=args.port, ip=args.ip, token=args.token,
                 pool_size=args.pool_size)
