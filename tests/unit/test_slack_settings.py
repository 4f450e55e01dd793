"""The Slack settings: the workspace and app whose clicks are accepted."""

from __future__ import annotations

from chalicelib.shared.settings import load_settings


def test_team_and_app_ids_are_read_from_the_environment() -> None:
    settings = load_settings({"SHEPHERD_SLACK_TEAM_ID": " T0123 ", "SHEPHERD_SLACK_APP_ID": "A0456"})
    assert (settings.slack_team_id, settings.slack_app_id) == ("T0123", "A0456")


def test_unset_team_and_app_ids_stay_unset() -> None:
    settings = load_settings({})
    assert (settings.slack_team_id, settings.slack_app_id) == (None, None)
