"""Where each version is, as the SageMaker console and Studio show it: a version's `ModelLifeCycle`.

botocore's service model (sagemaker 2017-07-24, shape ModelLifeCycle): `Stage` and `StageStatus` are
required, 1-63 characters of `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}` (letters and digits, inner hyphens);
`StageDescription` 0-1024 characters of `.{0,1024}` (a Java regex: any character but a line terminator).
The values are free: AWS's "staging construct" docs (model-registry-staging-construct-set-up) offer the
templates Development/QA/PreProduction/Production/Archived and PendingApproval/InProgress/OnHold/
Approved/Rejected/Retired, and admins may limit them per role with the IAM condition keys
`sagemaker:ModelLifeCycle:stage` and `sagemaker:ModelLifeCycle:stageStatus`. We use AWS's words where
they mean the same (Production, Archived, InProgress, PendingApproval, OnHold, Approved) and the engine's
own otherwise (docs/concepts/lifecycle.md has the table).
"""

from __future__ import annotations

import unicodedata

from chalicelib.release.state import Deployed, LifeCycle, Release, Stage

STAGING = "Staging"
PRODUCTION = "Production"
ARCHIVED = "Archived"
STAGES = (STAGING, PRODUCTION, ARCHIVED)  # every Stage we write: the IAM grant is limited to them
DESCRIPTION_LIMIT = 1024  # characters, which the service counts in UTF-16 code units (Java strings)
_LINE_TERMINATORS = frozenset("\n\r\u0085\u2028\u2029")  # what Java's `.` does not match


# The release's own stage -> (Stage, StageStatus). PAUSED and FAILED depend on where it was (below).
_OF_STAGE: dict[Stage, tuple[str, str]] = {
    Stage.STAGING: (STAGING, "InProgress"),
    Stage.SMOKE_TESTING: (STAGING, "InProgress"),
    Stage.AWAITING_PROMOTION: (STAGING, "PendingApproval"),  # AWS's word for "a person decides"
    Stage.SHADOW: (PRODUCTION, "Shadow"),
    Stage.PRODUCTION: (PRODUCTION, "InProgress"),
    Stage.WATCHING: (PRODUCTION, "Watching"),
    Stage.LIVE: (PRODUCTION, "Approved"),
    Stage.ROLLED_BACK: (PRODUCTION, "RolledBack"),
    Stage.SUPERSEDED: (STAGING, "Superseded"),  # only a version that never reached production is superseded
    Stage.STOPPED: (STAGING, "Stopped"),
    Stage.EXPIRED: (STAGING, "Expired"),
}
_PRODUCTION_STAGES = frozenset({Stage.SHADOW, Stage.PRODUCTION, Stage.WATCHING, Stage.LIVE, Stage.PAUSED})
_DEFAULT_WORDS: dict[Stage, str] = {
    Stage.STAGING: "deploying to the staging endpoint",
    Stage.SMOKE_TESTING: "smoke testing on the staging endpoint",
    Stage.AWAITING_PROMOTION: "smoke tests passed: waiting for a person to promote it",
    Stage.SHADOW: "answering copies of production's requests, judged against the live version",
    Stage.PRODUCTION: "rolling out to production",
    Stage.WATCHING: "serving production, inside its watch window",
    Stage.LIVE: "serving production",
    Stage.PAUSED: "paused: the analysis found too little data; continue it or roll it back",
}


def of_release(release: Release) -> LifeCycle:
    """The lifecycle of the version a release carries, from the release's stage (the table in the docs)."""
    words = release.reason or _DEFAULT_WORDS.get(release.stage, release.stage.value.lower().replace("_", " "))
    if release.stage is Stage.PAUSED:
        return LifeCycle(_stage_of(release.rollout.paused_from or Stage.PRODUCTION), "OnHold", description(words))
    if release.stage is Stage.FAILED:
        return LifeCycle(_failed_at(release), "Failed", description(words))
    stage, status = _OF_STAGE[release.stage]
    return LifeCycle(stage, status, description(words))


def serving(deployed: Deployed, why: str = "") -> LifeCycle:
    """A version production serves outside a release of it: live again after a rollback, say."""
    return LifeCycle(PRODUCTION, "Approved", description(why or f"serving production since {_at(deployed)}"))


def archived(replaced_by: int | None) -> LifeCycle:
    said = f"replaced in production by v{replaced_by}" if replaced_by is not None else "no longer serving production"
    return LifeCycle(ARCHIVED, "Replaced", description(said))


def rolled_away(to_version: int | None) -> LifeCycle:
    """Production was sent back from this version to an earlier one (a person's rollback, say)."""
    said = f"rolled back: production returned to v{to_version}" if to_version is not None else "rolled back"
    return LifeCycle(PRODUCTION, "RolledBack", description(said))


def description(text: str) -> str:
    """`text` as StageDescription accepts it: no line terminators or lone surrogates, at most 1024 UTF-16
    units (a character beyond the BMP counts twice), cut at a character with an ellipsis when too long."""
    kept = "".join(" " if char in _LINE_TERMINATORS else char for char in text if not _lone_surrogate(char)).strip()
    if _units(kept) <= DESCRIPTION_LIMIT:
        return kept
    cut: list[str] = []
    room = DESCRIPTION_LIMIT - 1  # the ellipsis
    for char in kept:
        room -= _units(char)
        if room < 0:
            break
        cut.append(char)
    return "".join(cut).rstrip() + "…"


def _stage_of(stage: Stage) -> str:
    return PRODUCTION if stage in _PRODUCTION_STAGES else STAGING


def _failed_at(release: Release) -> str:
    """FAILED names the stage it reached: a failure in staging never touched production."""
    try:
        return _stage_of(Stage(release.reached))
    except ValueError:  # stored before `reached` was recorded
        return PRODUCTION if release.live_since is not None else STAGING


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _lone_surrogate(char: str) -> bool:
    return unicodedata.category(char) == "Cs"


def _at(deployed: Deployed) -> str:
    return deployed.since.isoformat(timespec="seconds")
