"""The EventBridge rules that start the event and schedule functions: there, and enabled.

Chalice names each rule after the stack (`model-shepherd-<stage>-...`); so does the local relay.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from shepherd_cli.doctor.expected_policies import APP, checkout_module
from shepherd_cli.doctor.results import Account, Check, fail, ok, refused

PAGE_SIZE = 100  # ListRules' largest Limit


def check_rules(account: Account, expected: int) -> list[Check]:
    prefix = f"{APP}-{account.stage}-"
    try:
        rules = list_rules(account.client("events"), prefix)
    except ClientError as error:
        return [refused("rules", error, "cannot list EventBridge rules")]
    if len(rules) < expected:
        return [fail("rules", f"{len(rules)} rules named {prefix}*, the app has {expected} event handlers: deploy it")]
    checks = []
    for rule in rules:
        name, state = f"rule:{rule['Name'].removeprefix(prefix)}", rule.get("State", "")
        if state == "ENABLED":
            checks.append(ok(name, f"rule {rule['Name']} is enabled"))
        else:
            checks.append(fail(name, f"rule {rule['Name']} is {state or 'in no state'}: enable it (EnableRule)"))
    return checks


def list_rules(events: Any, prefix: str) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    request: dict[str, Any] = {"NamePrefix": prefix, "Limit": PAGE_SIZE}
    while True:
        page = events.list_rules(**request)
        rules += page.get("Rules", [])
        if not page.get("NextToken"):
            return rules
        request["NextToken"] = page["NextToken"]


def event_handler_count() -> int:
    """How many functions EventBridge starts: every @app.on_cw_event and @app.schedule in app.py."""
    from chalice.app import CloudWatchEventConfig, ScheduledEventConfig

    app = checkout_module("app").app
    return sum(isinstance(source, CloudWatchEventConfig | ScheduledEventConfig) for source in app.event_sources)
