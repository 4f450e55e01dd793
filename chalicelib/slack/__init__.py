"""Slack approvals: verified, authorised button clicks on POST /slack/actions."""
