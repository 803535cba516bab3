"""`policygen studio [PROFILE]`: the profile as a form in the browser, with a live preview."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from policygen.cli.common import LANGUAGES, add_library, library


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "studio", help="edit a profile in the browser and watch the policy change",
        description="Start a local web page (on 127.0.0.1 and a free port) with the profile as "
                    "a form, checked as you type with the messages of `policygen validate`, a "
                    "live preview of each edition, why each clause is in or out, the legal "
                    "lint and readiness findings, saving and downloads. The printed address "
                    "carries a token; other users and web pages cannot use the studio "
                    "without it. Stop it with Ctrl+C.")
    parser.add_argument("profile", type=Path, nargs="?", metavar="PROFILE",
                        help="the profile to edit or create (default: policies/new.yaml)")
    parser.add_argument("--port", type=int, default=0,
                        help="port to listen on (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1); another than the "
                             "loopback needs --allow-remote")
    parser.add_argument("--allow-remote", action="store_true",
                        help="allow --host to be an address other machines can reach")
    parser.add_argument("--no-browser", action="store_true", help="do not open the browser")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="language of the page (default: en)")
    add_library(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Start the studio and serve until interrupted."""
    from policygen.cli import usage_error
    from policygen.studio import server

    if not server.is_loopback(args.host) and not args.allow_remote:
        raise usage_error(f"--host {args.host} can be reached from other machines",
                          "use the default 127.0.0.1, or add --allow-remote if you mean it")
    if not 0 <= args.port <= 65535:
        raise usage_error(f"--port {args.port} is not a port number", "use 1-65535, or 0")
    target = args.profile or Path("policies") / "new.yaml"
    if target.is_dir():
        raise usage_error(f"{target} is a folder", "name the profile file, e.g. policies/acme.yaml")
    try:
        started = server.start(library(args), target, args.host, args.port, args.lang)
    except OSError as exc:
        raise usage_error(f"cannot listen on {args.host}:{args.port}: {exc.strerror}",
                          "choose another --port, or leave it out for a free one") from None

    def announce(address: str) -> None:
        print(f"policygen studio: {address}", flush=True)
        print("press Ctrl+C to stop", file=sys.stderr, flush=True)

    server.serve(started, not args.no_browser, announce)
    return 0
