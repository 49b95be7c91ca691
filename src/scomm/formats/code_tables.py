"""EBTS Type-2 code tables shipped with scomm: NCIC place-of-birth (2.020 POB) and citizenship (2.021 CTZ).

The tables are scomm's own compact lists in `code_tables/*.txt` (codes only, see the header of each file);
the test suite checks them against the EBTS 9.1 tables published with OpenEBTS.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

TABLES: dict[str, str] = {"2.020": "pob", "2.021": "ctz"}


@cache
def load_code_table(name: str) -> frozenset[str]:
    """The codes of table `name` ("pob", "ctz")."""
    text = resources.files("scomm.formats").joinpath("code_tables", f"{name}.txt").read_text(encoding="ascii")
    return frozenset(code for line in text.splitlines() for code in line.split("#", 1)[0].split())


def pob_codes() -> frozenset[str]:
    return load_code_table("pob")


def ctz_codes() -> frozenset[str]:
    return load_code_table("ctz")
