"""The identification response's rap sheet: the criminal history as text, arrest by arrest."""

from __future__ import annotations

from scomm.records import CriminalIdentity


def rap_sheet_text(identity: CriminalIdentity) -> str:
    lines = [f"FBI/{identity.fbi_number} NAM/{identity.name} DOB/{identity.dob:%Y%m%d} SEX/{identity.sex}"
             f" POB/{identity.pob or 'UNK'}", f"ARRESTS: {len(identity.arrests)}"]
    for n, arrest in enumerate(identity.arrests, start=1):
        lines.append(f"{n}. DOA/{arrest.date:%Y%m%d} ORI/{arrest.ori}" + (f" TCN/{arrest.tcn}" if arrest.tcn else ""))
        for c in arrest.charges:
            disp = c.disposition.upper()
            if c.disposition_date:
                disp += f" {c.disposition_date:%Y%m%d}"
            if c.sentence_days:
                disp += f" SENTENCE {c.sentence_days} DAYS"
            lines.append(f"   OFF/{c.ncic_code or '????'} {c.literal} ({c.offense_class.upper()}) DISP/{disp}")
    return "\n".join(lines)
