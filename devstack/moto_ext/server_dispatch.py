"""The moto server finds a request's backend without listing its own package directory each time.

moto 5.2.5's server resolves every request's backend from its host under one process-wide lock, and
on the way lists moto's package directory (``os.listdir`` and ~150 ``isdir`` calls). Under a burst
that lock made every AWS call of the local stack wait for the others' disk scans (about a quarter of
the server's time). The answer depends only on the host, so it is kept per host.
"""

from __future__ import annotations

from typing import Any

from devstack.moto_ext.patching import Method, Patch, Wrap

GAP = "every request lists moto's package directory"
_FOUND = "_shepherd_backend_for_host"  # per server application: {host: backend name}


def patches() -> list[Patch]:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    return [Wrap(DomainDispatcherApplication, "get_backend_for_host", _remembered, gap=GAP)]


def _remembered(call_next: Method, application: Any, host: str | None) -> Any:
    found: dict[str | None, Any] = application.__dict__.setdefault(_FOUND, {})
    if host not in found:
        found[host] = call_next(application, host)
    return found[host]
