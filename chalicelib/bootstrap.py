"""The composition root: builds settings, clients and adapters lazily, once, and lets tests swap any.

Each feature's parts live in chalicelib.wiring; the container joins them and takes the given ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.aws import SessionClients
from chalicelib.gate.ports import LiveVersions, MetricsReader
from chalicelib.shared.ports import ModelRegistry, Notifier, Policies
from chalicelib.shared.settings import Settings
from chalicelib.wiring.cleanup import CleanupParts
from chalicelib.wiring.reconcile import ReconcileParts
from chalicelib.wiring.slack import SlackParts

if TYPE_CHECKING:  # the parts a test may give, each loaded with its feature
    from chalicelib.cleanup.service import CleanupDeps
    from chalicelib.gate.once import OnceGate
    from chalicelib.hooks.ports import HookCaller
    from chalicelib.release.deps import ReleaseDeps
    from chalicelib.release.places import Places
    from chalicelib.release.sweep import SweepDeps
    from chalicelib.review.service import ReviewDeps
    from chalicelib.slack.command_service import SlackCommandDeps
    from chalicelib.slack.deps import SlackActionDeps


class Container(SlackParts, ReconcileParts, CleanupParts):
    def __init__(
        self,
        settings: Settings | None = None,
        client_factory: Callable[[str], Any] | None = None,
        *,
        registry: ModelRegistry | None = None,
        metrics_reader: MetricsReader | None = None,
        policies: Policies | None = None,
        live_versions: LiveVersions | None = None,
        notifier: Notifier | None = None,
        release_deps: ReleaseDeps | None = None,
        sweep_deps: SweepDeps | None = None,
        slack_actions_deps: SlackActionDeps | None = None,
        slack_command_deps: SlackCommandDeps | None = None,
        review_deps: ReviewDeps | None = None,
        gate_once: OnceGate | None = None,
        cleanup_deps: CleanupDeps | None = None,
        cleanup_clock: Callable[[], datetime] | None = None,
        places: Places | None = None,
        hooks: HookCaller | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Each part given here replaces the one the container would build (keyword-only and typed:
        a misspelled part is a TypeError, not a silent no-op)."""
        self._settings = settings
        self._client_factory = client_factory or SessionClients()  # one boto3 session per container
        given: dict[str, object | None] = {
            "registry": registry,
            "metrics_reader": metrics_reader,
            "policies": policies,
            "live_versions": live_versions,
            "notifier": notifier,
            "release_deps": release_deps,
            "sweep_deps": sweep_deps,
            "slack_actions_deps": slack_actions_deps,
            "slack_command_deps": slack_command_deps,
            "review_deps": review_deps,
            "gate_once": gate_once,
            "cleanup_deps": cleanup_deps,
            "cleanup_clock": cleanup_clock,
            "places": places,
            "hooks": hooks,
            "clock": clock,
        }
        # A cached_property reads the instance's own value first: a given part is never built.
        self.__dict__.update({name: part for name, part in given.items() if part is not None})


_container: Container | None = None


def container() -> Container:
    global _container
    if _container is None:
        _container = Container()
    return _container


def use_container(replacement: Container | None) -> None:
    """Tests and the local stack install their own container; None goes back to the default."""
    global _container
    _container = replacement
