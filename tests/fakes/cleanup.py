"""In-memory fakes of the cleanup's ports: real behaviour (paging, conditional leases), recording calls."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from chalicelib.cleanup.ports import Lease
from chalicelib.cleanup.retention import VersionDetail, VersionSummary
from chalicelib.shared.errors import ConflictError, DeleteFailedError
from chalicelib.shared.model_version import REJECTED


@dataclass
class FakeCleanupRegistry:
    versions: dict[str, VersionDetail] = field(default_factory=dict)
    page_size: int = 100
    calls: Counter[str] = field(default_factory=Counter)
    failing: dict[str, str] = field(default_factory=dict)  # arn -> error its delete raises
    on_describe: Callable[[str], object] = lambda arn: None  # runs before a re-read: changes "mid-run"
    fail_listing_after_pages: int | None = None

    def add(
        self, group: str, number: int, created: datetime, status: str = REJECTED, artifacts: tuple[str, ...] = ()
    ) -> str:
        arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{group}/{number}"
        self.versions[arn] = VersionDetail(VersionSummary(arn, number, status, created), artifacts)
        return arn

    def set_status(self, arn: str, status: str) -> None:
        detail = self.versions[arn]
        self.versions[arn] = replace(detail, summary=replace(detail.summary, status=status))

    def _in_group(self, group: str) -> list[VersionSummary]:
        return sorted(
            (d.summary for d in self.versions.values() if f"/{group}/" in d.summary.arn),
            key=lambda s: (s.created, s.version),
        )

    def rejected_pages(
        self, group: str, created_before: datetime, created_after: datetime | None
    ) -> Iterator[list[VersionSummary]]:
        last: tuple[datetime, int] | None = None
        while True:  # each page is read from the current state, as a server would
            if self.fail_listing_after_pages is not None and self.calls["list"] >= self.fail_listing_after_pages:
                raise RuntimeError("ThrottlingException: Rate exceeded (retries exhausted)")
            self.calls["list"] += 1
            matching = [
                s
                for s in self._in_group(group)
                if s.status == REJECTED
                and s.created < created_before
                and (created_after is None or s.created >= created_after)
                and (last is None or (s.created, s.version) > last)
            ]
            page = matching[: self.page_size]
            if page:
                yield page
            if len(matching) <= self.page_size:
                return
            last = (page[-1].created, page[-1].version)

    def newest_rejected(self, group: str, count: int) -> frozenset[str]:
        self.calls["newest"] += 1
        rejected = [s.arn for s in self._in_group(group) if s.status == REJECTED]
        return frozenset(rejected[::-1][:count])

    def describe(self, arn: str) -> VersionDetail | None:
        self.calls["describe"] += 1
        self.on_describe(arn)
        return self.versions.get(arn)

    def delete(self, arn: str) -> bool:
        self.calls["delete"] += 1
        if arn in self.failing:
            raise DeleteFailedError(self.failing[arn])
        return self.versions.pop(arn, None) is not None


@dataclass
class FakeArtifacts:
    deleted: list[str] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)

    def delete(self, uri: str) -> None:
        if uri in self.failing:
            raise DeleteFailedError(f"{uri}: AccessDenied")
        self.deleted.append(uri)


@dataclass
class FakeProtected:
    arns: dict[str, frozenset[str]] = field(default_factory=dict)

    def protected_arns(self, group: str) -> frozenset[str]:
        return self.arns.get(group, frozenset())


@dataclass
class FakeCleanupState:
    """The DynamoDB adapter's contract: one holder per group until its lease expires."""

    items: dict[str, dict[str, object]] = field(default_factory=dict)
    writes: int = 0

    def acquire(self, group: str, owner: str, now: datetime, until: datetime) -> Lease | None:
        item = self.items.setdefault(group, {})
        held_until = item.get("until")
        if isinstance(held_until, datetime) and held_until >= now:
            return None
        item.update(owner=owner, until=until)
        self.writes += 1
        cursor = item.get("cursor")
        return Lease(owner, cursor if isinstance(cursor, datetime) else None)

    def save(self, group: str, owner: str, cursor: datetime) -> None:
        self._holder(group, owner)["cursor"] = cursor

    def release(self, group: str, owner: str, cursor: datetime | None) -> None:
        item = self._holder(group, owner)
        item.update(owner=None, until=None, cursor=cursor)

    def _holder(self, group: str, owner: str) -> dict[str, object]:
        item = self.items.get(group, {})
        if item.get("owner") != owner:
            raise ConflictError(f"cleanup of {group}: the lease was lost to another run")
        self.writes += 1
        return item

    def cursor(self, group: str) -> object:
        return self.items.get(group, {}).get("cursor")
