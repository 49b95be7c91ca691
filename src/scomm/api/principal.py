"""Who is calling and what they may see: decided once per request, then used by every query.

    role            scope                                   may
    booking_agency  its ORI                                 submit (own ORI only), read its bookings and their
                                                            SRE/IDR/IAR/I247/ERRT, its detainers, report releases
    state_bureau    its state (jurisdiction.state; an       read bookings and SRE/IDR, overdue holds
                    unregistered ORI by its state prefix)
    ice             its office (jurisdiction.ice_office)    read bookings, IAQ/IAR/I247, detainers; review, custody
    auditor         everything                              read everything; never write
    public          nothing                                 aggregate statistics (small cells suppressed)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from scomm.records import Booking, ClientRole, Jurisdiction


class Capability(StrEnum):
    SUBMIT = "transactions.submit"
    READ_BOOKINGS = "bookings.read"
    READ_DETAINERS = "detainers.read"
    READ_ALARMS = "alarms.read"
    READ_STATISTICS = "statistics.read"
    UNSUPPRESSED_STATISTICS = "statistics.unsuppressed"
    RECORD_RELEASE = "jail.release"
    RECORD_REVIEW = "ice.review"
    RECORD_CUSTODY = "ice.custody"


READS = {Capability.READ_BOOKINGS, Capability.READ_ALARMS, Capability.READ_STATISTICS}
CAPABILITIES: dict[str, frozenset[Capability]] = {
    ClientRole.BOOKING_AGENCY: frozenset(READS | {Capability.SUBMIT, Capability.READ_DETAINERS,
                                                  Capability.RECORD_RELEASE}),
    ClientRole.STATE_BUREAU: frozenset(READS),
    ClientRole.ICE: frozenset(READS | {Capability.READ_DETAINERS, Capability.RECORD_REVIEW,
                                       Capability.RECORD_CUSTODY}),
    ClientRole.AUDITOR: frozenset(READS | {Capability.READ_DETAINERS, Capability.UNSUPPRESSED_STATISTICS}),
    ClientRole.PUBLIC: frozenset({Capability.READ_STATISTICS}),
}
ALL_KINDS = frozenset({"SRE", "IDR", "IAQ", "IAR", "I247", "ERRT"})
RESPONSE_KINDS: dict[str, frozenset[str]] = {
    ClientRole.BOOKING_AGENCY: frozenset({"SRE", "IDR", "IAR", "I247", "ERRT"}),
    ClientRole.STATE_BUREAU: frozenset({"SRE", "IDR"}),
    ClientRole.ICE: frozenset({"IAQ", "IAR", "I247"}),
    ClientRole.AUDITOR: ALL_KINDS,
    ClientRole.PUBLIC: frozenset(),
}


@dataclass(frozen=True)
class Principal:
    """The caller as the routes see it: role, scope, and the audit actor name."""

    role: str
    name: str
    client_id: int | None = None
    ori: str | None = None
    state: str | None = None
    ice_office: str | None = None
    capabilities: frozenset[Capability] = field(default=frozenset())

    @classmethod
    def public(cls, address: str) -> Principal:
        return cls(ClientRole.PUBLIC, address or "unknown", capabilities=CAPABILITIES[ClientRole.PUBLIC])

    @property
    def actor(self) -> str:
        return f"api:{self.role}:{self.name}"[:60]

    @property
    def rate_key(self) -> str:
        return f"client:{self.client_id}" if self.client_id is not None else f"ip:{self.name}"

    def may(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def may_read_response(self, kind: str) -> bool:
        return kind in RESPONSE_KINDS[self.role]

    def bookings(self) -> ColumnElement[bool]:
        """The WHERE clause selecting exactly the bookings this caller may see."""
        if self.role == ClientRole.AUDITOR:
            return true()
        if self.role == ClientRole.BOOKING_AGENCY and self.ori:
            return Booking.ori == self.ori
        if self.role == ClientRole.STATE_BUREAU and self.state:
            in_state = select(Jurisdiction.id).where(Jurisdiction.state == self.state)
            return or_(Booking.jurisdiction_id.in_(in_state),
                       and_(Booking.jurisdiction_id.is_(None), Booking.ori.startswith(self.state)))
        if self.role == ClientRole.ICE and self.ice_office:
            offices = select(Jurisdiction.id).where(Jurisdiction.ice_office == self.ice_office)
            return Booking.jurisdiction_id.in_(offices)
        return false()
