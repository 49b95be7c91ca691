"""SRE / ERRT / IAR responses: readable by nistitl and by parse_transaction."""

from __future__ import annotations

from datetime import date

import nistitl

from scomm.errors import Violation
from scomm.formats import (
    parse_transaction,
    validate_car,
    write_errt,
    write_iar,
    write_sre,
)


def test_sre_ident() -> None:
    data = write_sre("TCN1", "SC0420000", "123456AB1", "ARREST 2009 DUI\nARREST 2010 THEFT", True,
                     when=date(2011, 3, 4))
    tx = parse_transaction(data)
    assert (tx.tot, tx.tcr, tx.tcn, tx.dai, tx.date) == ("SRE", "TCN1", "TCN1-SRE", "SC0420000", date(2011, 3, 4))
    assert tx.fbi == "123456AB1" and tx.text("2.059") == "I"
    assert tx.messages == ["IDENT", "ARREST 2009 DUI", "ARREST 2010 THEFT"]
    message = nistitl.Message()
    message.parse(data)
    assert message.TOT == "SRE"


def test_sre_non_ident() -> None:
    tx = parse_transaction(write_sre("TCN1", "SC0420000", None, "", False))
    assert tx.messages == ["NON-IDENT"] and tx.fbi is None and tx.text("2.059") == "N"
    assert [v.message for v in validate_car(tx)][0] == "TOT SRE is not a booking submission"


def test_errt_lists_every_violation() -> None:
    violations = [Violation("2", "2.022", "missing-mandatory-field", "record 2: field 2.022 DOB missing"),
                  Violation("4.1", "", "image-decode", "record 4.1: data is not a recognisable WSQ image")]
    tx = parse_transaction(write_errt("TCN1", "SC0420000", violations))
    assert tx.tot == "ERRT" and tx.messages == [v.message for v in violations]


def test_iar_scomm_convention() -> None:
    tx = parse_transaction(write_iar("TCN1", "SC0420000", "REMOVABLE_CRIMINAL", "012345678",
                                     "Subject is removable.\nDetainer to follow."))
    assert tx.tot == "IAR" and tx.a_number == "012345678"
    assert tx.messages == ["IAR STATUS REMOVABLE_CRIMINAL", "Subject is removable.", "Detainer to follow."]


def test_separators_in_text_are_neutralised() -> None:
    tx = parse_transaction(write_sre("TCN1", "SC0420000", "1", "a\x1cb\x1dc é ☃", True))
    assert tx.messages[1] == "a b c é ?"
