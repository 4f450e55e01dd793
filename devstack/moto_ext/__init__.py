"""What moto 5.2.5 lacks and the app (or its users) call, added to moto itself.

The same patches serve in-process tests (`mock_aws`) and the moto server of the local stack:
moto dispatches an action to the response-class method of the same (snake_case) name, so adding
that method and its backend logic is enough. Written for one moto version; `install()` refuses others.
Each capability adds its own module below and lists it in EXTENSIONS.
"""

from __future__ import annotations

import importlib
from importlib.metadata import version

MOTO_VERSION = "5.2.5"
EXTENSIONS: list[str] = [
    # every request checked against the service model before moto serves it, refused as AWS refuses it
    "devstack.aws_validation.server",
    # UpdateEndpoint with DeploymentConfig (release engine): it validates, then hands the update to
    # endpoint_lifecycle.begin_update, the one source of endpoint transitions and their events
    "devstack.moto_ext.endpoints",
    "devstack.moto_ext.model_packages",  # DeleteModelPackage(Group), no version reuse (cleanup)
    # local stack: model packages as SageMaker keeps them (before the events, which report the result),
    # SageMaker events, endpoint lifecycle and invocations (delays default to 0: moto's timing)
    "devstack.moto_ext.model_package_fidelity",
    "devstack.moto_ext.sagemaker_events",
    "devstack.moto_ext.endpoint_runtime",
    "devstack.moto_ext.endpoint_lifecycle",
]
_installed = False


def install() -> None:
    """Patch moto once per process; safe to call again."""
    global _installed
    if _installed:
        return
    found = version("moto")
    if found != MOTO_VERSION:
        raise RuntimeError(f"devstack.moto_ext is written for moto {MOTO_VERSION}, found {found}")
    for name in EXTENSIONS:
        importlib.import_module(name).install()
    _installed = True
