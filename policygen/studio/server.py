"""Starting the studio: a socket on a free loopback port, the token, uvicorn, the browser."""

from __future__ import annotations

import ipaddress
import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from policygen.core.clauses import ClauseLibrary
from policygen.studio.app import create_app
from policygen.studio.engine import Studio


@dataclass(frozen=True)
class Started:
    """A bound studio, ready to serve."""

    address: str  # the URL with the token, as printed
    socket: socket.socket
    server: uvicorn.Server
    studio: Studio


def is_loopback(host: str) -> bool:
    """Whether a host name or address stays on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def start(library: ClauseLibrary, target: Path, host: str = "127.0.0.1", port: int = 0,
          ui: str = "en") -> Started:
    """Bind the socket (port 0: a free one) and build the server; serve with `serve`."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    bound = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    shown = f"[{host}]" if ":" in host else host
    hosts = {f"{shown}:{bound}"}
    if is_loopback(host):
        hosts |= {f"127.0.0.1:{bound}", f"localhost:{bound}"}
    studio = Studio(library, target)
    app = create_app(studio, token, frozenset(hosts), ui)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    return Started(f"http://{shown}:{bound}/?token={token}", sock, server, studio)


def warm_up(studio: Studio) -> None:
    """Compile the schema and templates once in the background, so the first preview is fast."""
    def run() -> None:
        from policygen.studio import form

        evaluation = studio.evaluate({})
        del evaluation
        form.fields()

    threading.Thread(target=run, daemon=True).start()


def serve(started: Started, open_browser: bool, announce: Callable[[str], None]) -> None:
    """Serve until interrupted; print the address first and open the browser if wanted."""
    announce(started.address)
    if open_browser:
        webbrowser.open(started.address)
    warm_up(started.studio)
    started.server.run(sockets=[started.socket])
