"""Loading a stored gallery into a search backend, once per process, from the database of record."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.fingerprints import InProcessBackend, SearchBackend, Template
from scomm.records import StoredTemplate


def load_gallery(session: Session, gallery: str, backend: SearchBackend | None = None,
                 device: str = "cpu") -> SearchBackend:
    """Every subject of `gallery` enrolled into `backend` (by default a new in-process backend whose compact
    stage runs on `device`: cpu, gpu or auto)."""
    backend = backend if backend is not None else InProcessBackend(device=device)
    by_subject: dict[str, dict[int, Template]] = defaultdict(dict)
    rows = session.execute(select(StoredTemplate.subject, StoredTemplate.position, StoredTemplate.data)
                           .where(StoredTemplate.gallery == gallery))
    for subject, position, data in rows:
        by_subject[subject][position] = Template.from_bytes(data)
    if isinstance(backend, InProcessBackend):
        backend.enroll_many(by_subject)  # one parallel pass per finger position, not one template at a time
    else:
        for subject, templates in by_subject.items():
            backend.enroll(subject, templates)
    return backend
