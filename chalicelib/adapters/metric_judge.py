"""The Judge port on CloudWatch: every check of an analysis, for both variants, in one GetMetricData call.

A refused or throttled read (after botocore's adaptive retries) raises MetricsReadError rather than
answering INCONCLUSIVE: an inconclusive measurement counts towards pausing the release and asking people,
while a read that did not happen says nothing about the model; the engine measures again on its next tick.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from chalicelib.analysis.judging import judgement
from chalicelib.analysis.policy import Analysis
from chalicelib.analysis.ports import Subject
from chalicelib.analysis.queries import metric_data_request, samples_of, unreadable, whole_minutes
from chalicelib.analysis.verdict import Judgement
from chalicelib.shared.errors import MetricsReadError

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch import CloudWatchClient

# One call answers up to 100,800 datapoints: ten pages hold a day of per-minute samples for 70 queries.
MAX_PAGES = 10


class CloudWatchJudge:
    def __init__(self, client: CloudWatchClient, max_pages: int = MAX_PAGES) -> None:
        self._client = client
        self._max_pages = max_pages

    def judge(self, analysis: Analysis, subject: Subject, start: datetime, end: datetime) -> Judgement:
        start, end = whole_minutes(start, end)
        if end <= start:  # CloudWatch refuses an empty window; nothing can be measured in it yet
            raise MetricsReadError(f"no whole minute to measure from {start.isoformat()} to {end.isoformat()}")
        pages = self._read(metric_data_request(analysis, subject, start, end))
        if broken := unreadable(pages):
            raise MetricsReadError(f"GetMetricData could not compute {', '.join(broken)}")
        return judgement(analysis, subject, samples_of(pages))

    def _read(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        pages: list[dict[str, Any]] = []
        token: str | None = None
        while len(pages) < self._max_pages:
            try:
                page: Any = self._client.get_metric_data(**_paged(request, token))
            except ClientError as error:
                raise MetricsReadError(f"GetMetricData refused: {error_code(error)}: {error}") from None
            pages.append(page)
            token = page.get("NextToken")
            if not token:
                return pages
        raise MetricsReadError(f"GetMetricData answered more than {self._max_pages} pages: the window is too long")


def _paged(request: dict[str, Any], token: str | None) -> Any:
    return {**request, "NextToken": token} if token else request
