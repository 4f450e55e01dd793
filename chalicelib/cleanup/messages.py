"""What people are told after a cleanup run, per group, on SNS and in Slack."""

from __future__ import annotations

from typing import Any

from chalicelib.cleanup.report import GroupReport, Tally
from chalicelib.shared.notification import Notification
from chalicelib.shared.slack_text import escape, section

KIND = "cleanup.summary"


def cleanup_notification(report: GroupReport) -> Notification:
    verb = "would delete" if report.dry_run else "deleted"
    kept = sum(tally.count for tally in report.kept.values())
    text = (
        f"{report.group}: cleanup {verb} {report.deleted.count} rejected version(s), kept {kept}, "
        f"{report.failure_count} failure(s)"
        + (" (dry-run: nothing changed)" if report.dry_run else "")
        + ("; continues next run" if report.stopped_early else "")
    )
    attributes = {"type": KIND, "group": report.group, "dry_run": str(report.dry_run).lower()}
    return Notification(KIND, text, {"type": KIND, **report.as_dict()}, attributes, _blocks(report, text, verb))


def _blocks(report: GroupReport, text: str, verb: str) -> list[dict[str, Any]]:
    lines = [f"*{verb}*: {_versions(report.deleted)}"]
    lines += [f"*kept, {reason.value}*: {_versions(tally)}" for reason, tally in sorted(report.kept.items())]
    if report.already_gone.count:
        lines.append(f"*already gone*: {_versions(report.already_gone)}")
    if report.artifacts_deleted:
        lines.append(f"*S3 artifacts deleted*: {report.artifacts_deleted}")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"{report.group}: cleanup"[:150]}},
        section(escape(text) + "\n" + "\n".join(lines)),
    ]
    if report.failures:
        failures = [
            f"• {'v' + str(f.version) if f.version else 'group'}: {escape(f.error)}" for f in report.failures[:10]
        ]
        blocks.append(section(f"*failures ({report.failure_count})*\n" + "\n".join(failures)))
    return blocks


def _versions(tally: Tally) -> str:
    shown = ", ".join(f"v{number}" for number in tally.sample[:20])
    more = tally.count - min(len(tally.sample), 20)
    return f"{tally.count}" + (f" ({shown}{f' and {more} more' if more else ''})" if shown else "")
