"""Which account and stage to check, and every check in order."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from shepherd_cli.doctor import messaging, releases, roles, rules, settings_checks, tables
from shepherd_cli.doctor.expected_policies import PROJECT, checkout_module
from shepherd_cli.doctor.results import Account, Check, skip

DEFAULT_STAGE = "prod"
_STATE_TABLE = re.compile(r"^model-shepherd-(?P<stage>[a-z0-9]+)-state$")


def default_stage(environ: Mapping[str, str]) -> str:
    """SHEPHERD_STAGE, else the stage the state table's name says (the local stack's `local`), else prod."""
    if environ.get("SHEPHERD_STAGE", "").strip():
        return environ["SHEPHERD_STAGE"].strip()
    found = _STATE_TABLE.match(environ.get("SHEPHERD_STATE_TABLE", "").strip())
    return found["stage"] if found else DEFAULT_STAGE


def stage_settings(stage: str, environ: Mapping[str, str], project: Path = PROJECT) -> dict[str, str]:
    """A stage of .chalice/config.json: its settings there. Any other (the local stack): the environment's."""
    names = checkout_module("infra.names")
    load_config, stage_environment = names.load_config, names.stage_environment
    config = load_config(project / ".chalice" / "config.json")
    if stage in config.get("stages", {}):
        overrides = {name: value for name, value in environ.items() if name == "SHEPHERD_POLICY_DIR"}
        return {**stage_environment(config, stage), **overrides}
    return {name: value for name, value in environ.items() if name.startswith("SHEPHERD_")}


def account_for(stage: str, client: Callable[[str], Any], environ: Mapping[str, str] | None = None) -> Account:
    env = os.environ if environ is None else environ
    return Account(stage, stage_settings(stage, env), client, PROJECT)


def run_checks(account: Account) -> list[Check]:
    first = settings_checks.check_settings(account)
    if first.failed:
        return [first, skip("aws", "the settings must pass first: nothing else was checked")]
    return [
        first,
        *tables.check_tables(account),
        messaging.check_topic(account),
        messaging.check_slack_secret(account),
        *releases.check_releases(account),
        *roles.check_roles(account),
        *rules.check_rules(account),
    ]
