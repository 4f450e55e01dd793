"""What people are told as a review runs out: the half-time reminder, the rejection, the last reminder."""

from __future__ import annotations

from typing import Any

from chalicelib.gate.messages import console_url, decision_buttons
from chalicelib.release.state import Review
from chalicelib.review.rules import Step
from chalicelib.shared.notification import Notification
from chalicelib.shared.slack_text import context, escape, link, section

KINDS = {Step.REMIND: "review.reminder", Step.EXPIRE: "review.expired", Step.LAST_REMINDER: "review.last_reminder"}
HEADLINES = {
    Step.REMIND: ":alarm_clock: Reminder: {label} still waits for a review; it expires {when}",
    Step.EXPIRE: ":hourglass_flowing_sand: {label} was Rejected: review expired (nobody decided by {when})",
    Step.LAST_REMINDER: ":alarm_clock: Last reminder: {label} still waits for a review (expired {when}; kept Pending)",
}
ASKING = (Step.REMIND, Step.LAST_REMINDER)  # these carry Approve / Reject again


def review_notification(group: str, review: Review, step: Step) -> Notification:
    kind = KINDS[step]
    when = review.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    text = HEADLINES[step].format(label=f"{group} v{review.version}", when=when)
    body: dict[str, Any] = {
        "type": kind,
        "group": group,
        "version": review.version,
        "arn": review.arn,
        "review_started_at": review.started_at.isoformat(timespec="seconds"),
        "expires_at": review.expires_at.isoformat(timespec="seconds"),
        "on_expiry": "keep" if review.keep else "reject",
    }
    blocks = [section(escape(text)), context(link(console_url(review.arn), review.arn))]
    if step in ASKING:
        blocks.append(decision_buttons(review.arn))
    return Notification(kind, text, body, {"type": kind, "group": group}, blocks)
