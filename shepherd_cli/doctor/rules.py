"""The EventBridge rules that start the event and schedule functions: one per handler, enabled, with the
app's event pattern (or schedule) and targeting that handler's function.

The stack names each rule after itself (`model-shepherd-<stage>-...`) and each function
`model-shepherd-<stage>-<handler>`; the local stack's rules target a queue of that name, its function's stand-in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from shepherd_cli.doctor.event_sources import EventSource, event_sources, target_name
from shepherd_cli.doctor.expected_policies import APP
from shepherd_cli.doctor.results import Account, Check, fail, ok, refused

PAGE_SIZE = 100  # ListRules' and ListTargetsByRule's largest Limit
Rule = Mapping[str, Any]


def check_rules(account: Account, sources: Sequence[EventSource] | None = None) -> list[Check]:
    prefix = f"{APP}-{account.stage}-"
    events = account.client("events")
    try:
        rules = list_rules(events, prefix)
        targets = {rule["Name"]: [target_name(t["Arn"]) for t in list_targets(events, rule["Name"])] for rule in rules}
    except ClientError as error:
        return [refused("rules", error, "cannot list EventBridge rules and their targets")]
    expected = event_sources() if sources is None else sources
    functions = {f"{prefix}{source.handler}" for source in expected}
    checks = [check_source(source, prefix, rules, targets) for source in expected]
    for rule in rules:  # a rule of the stage that starts none of the app's functions, nor is named for one
        if not set(targets[rule["Name"]]) & functions and not any(named_for(rule, s.handler, prefix) for s in expected):
            checks.append(stray_rule(rule, prefix, targets[rule["Name"]]))
    return checks


def check_source(source: EventSource, prefix: str, rules: Sequence[Rule], targets: Mapping[str, list[str]]) -> Check:
    name, function = f"rule:{source.handler}", f"{prefix}{source.handler}"
    named = [rule for rule in rules if named_for(rule, source.handler, prefix)]
    found = sorted((rule for rule in rules if function in targets[rule["Name"]]), key=lambda rule: rule not in named)
    if not found and named:
        return wrong_target(name, named[0], targets[named[0]["Name"]], function)
    if not found:
        return fail(name, f"no rule named {prefix}* targets function {function}: deploy the app")
    rule = found[0]
    if rule.get("State") != "ENABLED":
        return fail(name, f"rule {rule['Name']} is {rule.get('State') or 'in no state'}: enable it (EnableRule)")
    if not source.matches(rule):
        return fail(name, f"rule {rule['Name']} {source.mismatch(rule)}: deploy the app")
    return ok(name, f"rule {rule['Name']} is enabled and starts {function}")


def named_for(rule: Rule, handler: str, prefix: str) -> bool:
    """The rule Chalice or the local stack names `<prefix><handler>`, or CloudFormation `<prefix><Handler>...`."""
    rest = str(rule["Name"]).removeprefix(prefix)
    return rest == handler or rest.startswith("".join(part.title() for part in handler.split("_")))


def wrong_target(name: str, rule: Rule, targets: list[str], function: str) -> Check:
    if not targets:
        return fail(name, f"rule {rule['Name']} has no target, it should start {function}: deploy the app")
    return fail(name, f"rule {rule['Name']} targets {', '.join(targets)}, not function {function}: deploy the app")


def stray_rule(rule: Rule, prefix: str, targets: list[str]) -> Check:
    name = f"rule:{rule['Name'].removeprefix(prefix)}"
    if not targets:
        return fail(name, f"rule {rule['Name']} has no target: deploy the app, or delete the rule")
    return fail(name, f"rule {rule['Name']} targets {', '.join(targets)}, none of the app's functions: deploy the app")


def list_rules(events: Any, prefix: str) -> list[dict[str, Any]]:
    return _pages(events.list_rules, "Rules", {"NamePrefix": prefix, "Limit": PAGE_SIZE})


def list_targets(events: Any, rule: str) -> list[dict[str, Any]]:
    return _pages(events.list_targets_by_rule, "Targets", {"Rule": rule, "Limit": PAGE_SIZE})


def _pages(call: Any, key: str, request: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = call(**request)
        items += page.get(key, [])
        if not page.get("NextToken"):
            return items
        request = {**request, "NextToken": page["NextToken"]}
