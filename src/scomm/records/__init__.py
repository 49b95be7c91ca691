"""The data model and its storage: SQLAlchemy 2 models, Alembic migrations, sessions.

The database is the source of truth; in-memory galleries and reports are rebuilt from it.
"""

from scomm.records.access import ApiClient, ApiUpload, ClientRole
from scomm.records.audit import AuditEvent
from scomm.records.base import Base
from scomm.records.bookings import Booking, BookingStage, Response, Submission
from scomm.records.criminal_history import Arrest, ArrestCharge, CriminalIdentity
from scomm.records.database import Database
from scomm.records.detainers import Detainer, DetainerState, LocalDecisionRecord
from scomm.records.galleries import FingerprintImage, GalleryName, StoredTemplate
from scomm.records.immigration import Encounter, ImmigrationIdentity
from scomm.records.jurisdictions import Agency, AgencyKind, Jurisdiction
from scomm.records.matches import MatchRecord

__all__ = [
    "Agency", "AgencyKind", "ApiClient", "ApiUpload", "Arrest", "ArrestCharge", "AuditEvent", "Base", "Booking",
    "BookingStage", "ClientRole", "CriminalIdentity", "Database", "Detainer", "DetainerState", "Encounter",
    "FingerprintImage", "GalleryName", "ImmigrationIdentity", "Jurisdiction", "LocalDecisionRecord", "MatchRecord", "Response", "StoredTemplate",
    "Submission",
]
