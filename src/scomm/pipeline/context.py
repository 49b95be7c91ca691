"""What every stage needs: the database, the two gallery backends, the clock and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from scomm.config import Settings
from scomm.fingerprints import SearchBackend
from scomm.records import Database, GalleryName
from scomm.records.base import utcnow

if TYPE_CHECKING:
    from scomm.pipeline.probes import Probe, ProbePrefetcher


@dataclass
class PipelineContext:
    db: Database
    settings: Settings
    clock: Callable[[], datetime] = utcnow
    _backends: dict[str, SearchBackend] = field(default_factory=dict)
    prefetcher: ProbePrefetcher | None = None  # set by the runner while it extracts probes ahead
    probes: dict[int, Probe] = field(default_factory=dict)  # by booking id: extracted at intake, taken by identify

    def backend(self, gallery: str) -> SearchBackend:
        """The gallery's backend, loaded from the database the first time it is needed."""
        if gallery not in self._backends:
            from scomm.pipeline.galleries import load_gallery

            with self.db.session() as session:
                self._backends[gallery] = load_gallery(session, gallery, device=self.settings.search_device)
        return self._backends[gallery]

    def reload(self, gallery: str) -> None:
        """Forget the gallery's loaded backend, so the next search loads it again from the database
        (after its templates were re-extracted); a gallery never loaded stays unloaded."""
        if self._backends.pop(gallery, None) is not None:
            self.backend(gallery)

    @property
    def criminal(self) -> SearchBackend:
        return self.backend(GalleryName.CRIMINAL)

    @property
    def immigration(self) -> SearchBackend:
        return self.backend(GalleryName.IMMIGRATION)

    @classmethod
    def open(cls, settings: Settings | None = None) -> PipelineContext:
        settings = settings or Settings()
        db = Database(settings.url)
        db.migrate()
        return cls(db=db, settings=settings)
