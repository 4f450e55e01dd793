"""How a local endpoint (or one of its variants) behaves: a fixed answer, injected errors and latency.

Set from Python with `configure(name, ...)` (`configure(name, variant="Challenger", ...)` for one variant),
or from the endpoint's tags, which any client can set on CreateEndpoint or AddTags:
  shepherd-local:response     the body returned          shepherd-local:error-rate   0..1 ModelError
  shepherd-local:latency-ms   added before answering     shepherd-local:create-fails "true": Failed
  shepherd-local:response-base64   the body, base64-encoded: a tag value cannot hold JSON (AWS allows
                                   only letters, digits, spaces and _.:/=+-@ in it), base64 fits
A key ending `@<VariantName>` (`shepherd-local:latency-ms@Challenger`) sets it for that variant only; tag
keys allow `@`, and the longest (`shepherd-local:response-base64@` + a 63-character variant name) stays
within their 128 characters. A variant's own setting wins over the endpoint's; a tag over `configure`.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

TAG_PREFIX = "shepherd-local:"


@dataclass(frozen=True)
class EndpointBehaviour:
    response: str | None = None
    content_type: str = "application/json"
    error_rate: float = 0.0
    latency_ms: int = 0
    create_fails: bool = False


_configured: dict[tuple[str, str], dict[str, Any]] = {}  # (endpoint, variant or ""): the fields set
_lock = threading.Lock()
_FROM_TAG: Mapping[str, tuple[str, Callable[[str], Any]]] = {
    "response": ("response", str),
    "response-base64": ("response", lambda value: base64.b64decode(value).decode()),
    "error-rate": ("error_rate", float),
    "latency-ms": ("latency_ms", int),
    "create-fails": ("create_fails", lambda value: value.lower() == "true"),
}


def configure(endpoint_name: str, variant: str | None = None, **fields: Any) -> EndpointBehaviour:
    EndpointBehaviour(**fields)  # an unknown field is refused here, not at the next invocation
    with _lock:
        key = (endpoint_name, variant or "")
        _configured[key] = {**_configured.get(key, {}), **fields}
        merged = {**_configured.get((endpoint_name, ""), {}), **_configured[key]}
    return EndpointBehaviour(**merged)


def reset() -> None:
    with _lock:
        _configured.clear()


def behaviour_for(endpoint: Any, variant: str | None = None) -> EndpointBehaviour:
    """The endpoint's behaviour, and `variant`'s own settings over it."""
    tags = {
        tag["Key"][len(TAG_PREFIX) :]: tag["Value"] for tag in endpoint.tags or () if tag["Key"].startswith(TAG_PREFIX)
    }
    name = endpoint.endpoint_name
    with _lock:
        fields = {**_configured.get((name, ""), {}), **_from_tags(tags, "")}
        if variant:
            fields.update({**_configured.get((name, variant), {}), **_from_tags(tags, f"@{variant}")})
    return EndpointBehaviour(**fields)


def _from_tags(tags: Mapping[str, str], suffix: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, (field, parse) in _FROM_TAG.items():  # response-base64 after response: it wins when both are set
        if key + suffix in tags:
            found[field] = parse(tags[key + suffix])
    return found
