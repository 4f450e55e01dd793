"""The deployment package `make package` (or the infra tests) built: its template and zip."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Package:
    directory: Path

    @property
    def template(self) -> dict[str, Any]:
        template: dict[str, Any] = json.loads((self.directory / "sam.json").read_text())
        return template

    @property
    def zip_path(self) -> Path:
        return self.directory / "deployment.zip"
