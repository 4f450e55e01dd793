"""The two HTTP servers of the local stack, each bound at once (so a taken port fails right here).

A stopped server answers nobody: it stops accepting, closes its port and cuts the kept-alive connections
its clients still hold (HTTP/1.1 keeps them open), so a client of the old stack cannot be served by it
once a new stack runs on the same port in the same process.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

from devstack.errors import PortInUseError, StackError

CLOSE_SECONDS = 5.0  # how long stop() waits for the connections' threads to let go


class BackgroundServer:
    """An already-bound server whose serve_forever runs on a daemon thread."""

    def __init__(self, name: str, server: Any) -> None:
        self.name = name
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        accept, finish = server.get_request, server.shutdown_request

        def get_request() -> tuple[socket.socket, Any]:
            connection, address = accept()
            with self._lock:
                self._connections.add(connection)
            return connection, address

        def shutdown_request(connection: socket.socket) -> None:
            with self._lock:
                self._connections.discard(connection)
            finish(connection)

        server.get_request, server.shutdown_request = get_request, shutdown_request

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Returns once the port is closed and no connection to it is open (StackError if one holds on)."""
        host, port = self._server.server_address[:2]
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=CLOSE_SECONDS)
        self._server.server_close()
        self._cut_connections()
        if answers_on(host, port):
            raise StackError(f"{self.name} on port {port} still answers after it was stopped")

    def _cut_connections(self) -> None:
        with self._lock:
            open_now = list(self._connections)
        for connection in open_now:
            with contextlib.suppress(OSError):  # already closed by its client
                connection.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + CLOSE_SECONDS
        while self.open_connections() and time.monotonic() < deadline:
            time.sleep(0.01)  # each connection's thread ends its request and closes it

    def open_connections(self) -> int:
        with self._lock:
            return len(self._connections)

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
    ensure_free(host, port)
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


def _port_in_use(port: int, why: str = "") -> PortInUseError:
    return PortInUseError(
        f"port {port} is in use{f' ({why})' if why else ''}: stop what holds it, or pick another port "
        f"(--aws-port/--app-port, SHEPHERD_LOCAL_AWS_PORT/SHEPHERD_LOCAL_APP_PORT)"
    )


def ensure_free(host: str, port: int) -> None:
    """PortInUseError when something answers on the port, or holds it: a start never shares a port."""
    if answers_on(host, port):
        raise _port_in_use(port, "something already answers on it")
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


def answers_on(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when a connection to host:port is accepted: a server, ours or not, is there."""
    with socket.socket() as probe:
        probe.settimeout(timeout)
        return probe.connect_ex((host, port)) == 0
