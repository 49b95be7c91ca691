"""Settings validated once at start-up: where scomm keeps its state and which database it uses."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Environment-driven configuration (`SCOMM_HOME`, `SCOMM_DATABASE_URL`, ...)."""

    model_config = SettingsConfigDict(env_prefix="SCOMM_", frozen=True)

    home: Path = Field(default=Path(".scomm"), description="State folder: SQLite file, world, reports.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite under home if unset.")
    level_definition: str = Field(default="2010", description="Priority-level definition: 2008 or 2010.")
    search_device: Literal["cpu", "gpu", "auto"] = Field(
        default="cpu", description="Where 1:N search runs its compact stage: cpu, gpu (an NVIDIA GPU through "
        "numba.cuda; the whole gallery, no index stage) or auto (gpu when one is present).")

    @field_validator("search_device")
    @classmethod
    def _gpu_is_there(cls, device: str) -> str:
        """A missing GPU is a configuration error at start-up, not a failure at the first search."""
        if device == "gpu":
            from scomm.fingerprints import gpu

            if not gpu.available():
                raise ValueError("SCOMM_SEARCH_DEVICE=gpu, but numba.cuda sees no CUDA GPU (use cpu or auto)")
        return device

    @cached_property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'scomm.db').resolve()}"

    @property
    def world_dir(self) -> Path:
        return self.home / "world"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"


def get_settings() -> Settings:
    return Settings()
