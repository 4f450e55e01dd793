"""Slack's parts (POST /slack/actions and /shepherd): verification, authorisation, and the release and gate
operations a click may start."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.shared.clock import utc_now
from chalicelib.wiring.gate import GateParts
from chalicelib.wiring.release import ReleaseParts

if TYPE_CHECKING:  # Slack approvals
    from chalicelib.slack.command_service import SlackCommandDeps
    from chalicelib.slack.deps import SlackActionDeps
    from chalicelib.slack.ports import Pauses, Promotions, Regates, Retries, Rollbacks


class SlackParts(GateParts, ReleaseParts):
    @cached_property
    def rollbacks(self) -> Rollbacks:
        from chalicelib.release.rollback import ReleaseRollbacks

        return ReleaseRollbacks(lambda: self.release_deps)

    @cached_property
    def retries(self) -> Retries:
        from chalicelib.release.retry import ReleaseRetries

        return ReleaseRetries(lambda: self.release_deps)

    @cached_property
    def promotions(self) -> Promotions:
        from chalicelib.release.promotion import ReleasePromotions

        return ReleasePromotions(lambda: self.release_deps)

    @cached_property
    def pauses(self) -> Pauses:
        from chalicelib.release.pause import ReleasePauses

        return ReleasePauses(lambda: self.release_deps)

    @cached_property
    def regates(self) -> Regates:
        from chalicelib.gate.regate import GateRegates

        return GateRegates(lambda: self.gate_deps)

    @cached_property
    def slack_actions_deps(self) -> SlackActionDeps:
        from chalicelib.adapters.secrets import signing_secret_loader, slack_credentials_loader
        from chalicelib.adapters.slack_api import ResponseUrlResponder, UserGroupDirectory, allowed_reply_prefixes
        from chalicelib.adapters.slack_users import SlackUserDirectory
        from chalicelib.adapters.slack_views import SlackViewOpener
        from chalicelib.adapters.state_table.approval_tallies import DynamoApprovalTallies
        from chalicelib.slack.auth import Workspace
        from chalicelib.slack.deps import SlackActionDeps

        settings = self.settings
        secret = settings.slack_secret or ""  # unset: every click is answered 503, "not configured"
        credentials = slack_credentials_loader(secret, self.client)
        return SlackActionDeps(
            signing_secret=signing_secret_loader(secret, self.client) if secret else _no_slack_secret,
            workspace=Workspace(settings.slack_team_id, settings.slack_app_id),
            registry=self.registry,
            policies=self.policies,
            locks=self.decision_locks,
            responder=ResponseUrlResponder(allowed_reply_prefixes(settings.slack_api_url)),
            user_groups=UserGroupDirectory(credentials, settings.slack_api_url),
            rollbacks=self.rollbacks,
            retries=self.retries,
            promotions=self.promotions,
            pauses=self.pauses,
            regates=self.regates,
            views=SlackViewOpener(credentials, settings.slack_api_url),
            tallies=DynamoApprovalTallies(self.client("dynamodb"), settings.require_state_table()),
            users=SlackUserDirectory(credentials, settings.slack_api_url),
            clock=utc_now,
        )

    @cached_property
    def slack_command_deps(self) -> SlackCommandDeps:
        """/shepherd: verified and authorised like a click; reads only."""
        from chalicelib.adapters.state_table.command_reads import StateTableReads
        from chalicelib.slack.command_service import SlackCommandDeps

        actions = self.slack_actions_deps
        reads = StateTableReads(self.client("dynamodb"), self.settings.require_state_table())
        return SlackCommandDeps(
            actions.signing_secret, actions.workspace, self.policies, actions.user_groups, reads, utc_now
        )


def _no_slack_secret() -> str:
    from chalicelib.shared.errors import ConfigurationError

    raise ConfigurationError("SHEPHERD_SLACK_SECRET is not set: Slack clicks cannot be verified")
