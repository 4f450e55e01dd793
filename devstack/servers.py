"""The two HTTP servers of the local stack, each bound at once (so a taken port fails right here)."""

from __future__ import annotations

import socket
import threading
from typing import Any

from devstack.errors import PortInUseError


class BackgroundServer:
    """An already-bound server whose serve_forever runs on a daemon thread."""

    def __init__(self, name: str, server: Any) -> None:
        self.name = name
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])


def moto_server(host: str, port: int) -> BackgroundServer:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    application = DomainDispatcherApplication(create_backend_app)
    ensure_free(host, port)
    server = _bind(
        port, lambda: make_server(host, port, application, threaded=True, request_handler=MotoRequestHandler)
    )
    return BackgroundServer("aws", server)


def app_server(app: Any, host: str, port: int, log_requests: bool = False) -> BackgroundServer:
    from functools import partial

    from chalice.config import Config
    from chalice.local import ChaliceRequestHandler, LocalChalice, ThreadedHTTPServer

    from devstack.report_route import with_report_route

    config = Config.create(chalice_stage="local", app_name=app.app_name, lambda_timeout=30, lambda_memory_size=512)
    if not isinstance(app, LocalChalice):
        # What `chalice local` does: per-thread current_request, so concurrent requests do not mix.
        app.__class__ = type("LocalApp", (LocalChalice, app.__class__), {})
    handler_class = with_report_route(ChaliceRequestHandler if log_requests else _quiet_handler_class())
    handler = partial(handler_class, app_object=app, config=config)
    return BackgroundServer("app", _bind(port, lambda: ThreadedHTTPServer((host, port), handler)))


def _quiet_handler_class() -> Any:
    from chalice.local import ChaliceRequestHandler

    class QuietHandler(ChaliceRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    return QuietHandler


def _bind(port: int, make: Any) -> Any:
    # werkzeug answers a taken port with its own message and sys.exit: catch both ways of saying it.
    try:
        return make()
    except (OSError, SystemExit):
        raise _port_in_use(port) from None


def _port_in_use(port: int) -> PortInUseError:
    return PortInUseError(
        f"port {port} is in use: stop what holds it, or pick another port "
        f"(--aws-port/--app-port, SHEPHERD_LOCAL_AWS_PORT/SHEPHERD_LOCAL_APP_PORT)"
    )


def ensure_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: TIME_WAIT is fine
        try:
            probe.bind((host, port))
        except OSError:
            raise _port_in_use(port) from None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
