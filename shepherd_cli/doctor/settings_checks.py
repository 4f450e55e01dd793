"""The settings, checked as the app checks them when it starts, with every problem named."""

from __future__ import annotations

from chalicelib.shared import setting_checks
from chalicelib.shared.errors import ConfigurationError
from chalicelib.shared.settings import load_settings
from shepherd_cli.doctor.results import Account, Check, fail, ok

REQUIRED = ("SHEPHERD_IDEMPOTENCY_TABLE", "SHEPHERD_STATE_TABLE", "SHEPHERD_TOPIC_ARN")


def check_settings(account: Account) -> Check:
    env = account.environment
    problems = setting_checks.problems(env)
    problems += [f"{name} is not set" for name in REQUIRED if not env.get(name, "").strip()]
    if not problems:
        try:
            load_settings(env)
        except ConfigurationError as error:
            problems.append(str(error))
    if problems:
        return fail("settings", "; ".join(problems) + f" (fix them in .chalice/config.json, stage {account.stage})")
    return ok("settings", f"stage {account.stage}: every setting is valid")
