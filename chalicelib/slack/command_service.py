"""POST /slack/commands: /shepherd, verified like a click, authorised per group, answered at once.

Who may ask about a group: its approvers (`slack.approvers`, `slack.approver_groups`) and the members of
its read-only user groups (`slack.reader_groups`), from the configured workspace and app. Every read is
bounded so the answer comes inside Slack's 3 s: `status` one GetItem, `history` one Query page, `pending`
one BatchGetItem per 100 groups (at most MAX_GROUPS groups) and at most MAX_USER_GROUPS user-group
lookups (cached 60 s). The policies are local files, but a cold process validates each on first read
(about 2.5 ms apiece): `pending` stops reading them after POLICY_SECONDS and says how many groups it
could not check. Nothing is ever changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.observability import count
from chalicelib.shared.ports import Policies
from chalicelib.shared.slack_text import escape
from chalicelib.slack.auth import Approvers, Workspace, authorise
from chalicelib.slack.click import Click
from chalicelib.slack.command import Ask, BadAsk, SlashCommand, Verb, parse_text, read_command
from chalicelib.slack.command_answers import HELP, answer, history_answer, pending_answer, status_answer, waiting_in
from chalicelib.slack.ports import SlackUserGroups, StateReads
from chalicelib.slack.verified import members_or_nobody, verify_request

HISTORY_ROWS = 10
MAX_GROUPS = 1000  # `pending` reads at most ten batches of group states
MAX_USER_GROUPS = 5  # Slack user-group lookups per command (each up to 2 s uncached)
POLICY_SECONDS = 1.5  # `pending`'s budget for reading policies (a cold start's imports take ~0.7 s more)
BATCH = 100
NO_GROUPS = ":no_entry: You may see no group: ask to be added to its `slack.approvers` or `slack.reader_groups`."


@dataclass(frozen=True)
class SlackCommandDeps:
    signing_secret: Callable[[], str]
    workspace: Workspace
    policies: Policies
    user_groups: SlackUserGroups
    reads: StateReads
    clock: Callable[[], datetime]
    elapsed: Callable[[], float] = time.monotonic  # seconds, for the time budget only


def handle_command(body: bytes, headers: Mapping[str, str], deps: SlackCommandDeps) -> dict[str, Any]:
    """The answer's JSON. Raises InvalidSignatureError or ConfigurationError (the route answers 401 / 503);
    a signed request we cannot read is answered, not raised."""
    verify_request(body, headers, deps.signing_secret, deps.clock)
    try:
        command = read_command(body)
    except ShepherdError as error:
        count("SlackCommandMalformed")
        return answer(f":warning: Could not read the command: {escape(str(error))}.")
    asked = parse_text(command.text)
    if isinstance(asked, BadAsk):
        count("SlackCommandRefused")
        return answer(f":warning: {escape(asked.why)}.", HELP)
    return _answer(command, asked, _Lookups(deps))


def _answer(command: SlashCommand, asked: Ask, lookups: _Lookups) -> dict[str, Any]:
    deps = lookups.deps
    if asked.verb is Verb.HELP:
        return answer(HELP)
    if asked.verb is Verb.PENDING:
        return _pending(command, lookups)
    group = _known(asked.group or "", deps.policies)
    if group is None or not lookups.may_read(command, group):
        count("SlackCommandRefused")  # the same words either way: a stranger learns no group names
        return answer(f":no_entry: No group `{escape(asked.group or '')}` that you may see.")
    if asked.verb is Verb.STATUS:
        return status_answer(deps.reads.state(group))
    return history_answer(group, deps.reads.recent_history(group, HISTORY_ROWS))


def _pending(command: SlashCommand, lookups: _Lookups) -> dict[str, Any]:
    groups = lookups.deps.policies.groups()[:MAX_GROUPS]
    visible, started, unseen = [], lookups.deps.elapsed(), 0
    for index, group in enumerate(groups):
        if lookups.deps.elapsed() - started > POLICY_SECONDS:
            unseen = len(groups) - index  # a cold process still validating policies: answer in time instead
            break
        if lookups.may_read(command, group):
            visible.append(group)
    if not visible and not unseen and not lookups.unchecked:
        count("SlackCommandRefused")
        return answer(NO_GROUPS)
    found = []
    for start in range(0, len(visible), BATCH):
        states = lookups.deps.reads.states(visible[start : start + BATCH])
        found += [item for state in states.values() for item in waiting_in(state)]
    return pending_answer(found, unseen=lookups.unchecked + unseen)


class _Lookups:
    """Authorisation for one command: user-group members looked up at most MAX_USER_GROUPS times."""

    def __init__(self, deps: SlackCommandDeps) -> None:
        self.deps = deps
        self.members: dict[str, frozenset[str]] = {}
        self.unchecked = 0

    def may_read(self, command: SlashCommand, group: str) -> bool:
        try:
            section = self.deps.policies.get(group).section("slack")
        except ShepherdError:
            return False  # no policy, or an invalid one: nobody may look
        readers = Approvers.from_section(section)
        readers = replace(readers, groups=(*readers.groups, *section.get("reader_groups", ())))
        asking = Click("/shepherd", "", command.user_id, command.user_name, command.team_id, command.app_id, "")
        return authorise(asking, self.deps.workspace, readers, self._members).allowed

    def _members(self, group_id: str) -> frozenset[str]:
        if group_id not in self.members:
            if len(self.members) >= MAX_USER_GROUPS:
                self.unchecked += 1
                return frozenset()
            self.members[group_id] = members_or_nobody(group_id, self.deps.user_groups)
        return self.members[group_id]


def _known(group: str, policies: Policies) -> str | None:
    folded = group.casefold()
    return next((known for known in policies.groups() if known.casefold() == folded), None)
