"""The researcher export: person-free, documented columns, CSV and Parquet."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from scomm.stats.exports import COLUMNS, FORBIDDEN, ExportError, export_detainers
from tests.stats import factories as f

DOCS = Path(__file__).resolve().parents[2] / "docs" / "exports.md"


@pytest.fixture
def records(session):
    j = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    f.removed(session, j, datetime(2009, 1, 5, 9), "level_1", datetime(2009, 2, 20))
    b = f.booking(session, j, datetime(2009, 1, 6), hit=True, mscc="1313")
    f.decision(session, b, f.detainer(session, b, state="released", closed=datetime(2009, 1, 7)), hold=False,
               rule="not_convicted")
    return session


def test_csv_has_the_documented_columns_and_no_personal_fields(records, tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    assert export_detainers(records, out, "csv") == 2
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == COLUMNS and not FORBIDDEN & set(rows[0])
    text = out.read_text()
    assert "DOE" not in text and "1980-01-01" not in text and ",T1" not in text and "FIN" not in text


def test_rows_carry_level_outcome_and_local_decision(records, tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    export_detainers(records, out)
    with out.open(newline="") as fh:
        first, second = list(csv.DictReader(fh))
    assert (first["level"], first["outcome"], first["removed"], first["removal_date"]) == (
        "level_1", "removed", "True", "2009-02-20")
    assert (first["state"], first["county"], first["booking_date"]) == ("MA", "Suffolk", "2009-01-05")
    assert (second["local_hold"], second["local_rule"], second["mscc_ncic"]) == ("False", "not_convicted", "1313")


def test_parquet_reads_back_with_pyarrow(records, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "d.parquet"
    export_detainers(records, out, "parquet")
    table = pq.read_table(out)
    assert tuple(table.column_names) == COLUMNS and table.num_rows == 2
    assert table.column("removed").to_pylist() == [True, False]


def test_unknown_format_is_refused(records, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="xlsx"):
        export_detainers(records, tmp_path / "d.xlsx", "xlsx")


def test_every_column_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert all(f"`{c}`" in text for c in COLUMNS)
