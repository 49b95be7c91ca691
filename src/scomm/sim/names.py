"""Name parts for synthetic people; combinations are random, so no name denotes a real person."""

from __future__ import annotations

import numpy as np

FAMILY = ("SMITH", "GARCIA", "NGUYEN", "JOHNSON", "MARTINEZ", "LOPEZ", "KIM", "BROWN", "PATEL", "HERNANDEZ",
          "OKAFOR", "SILVA", "ROSSI", "MULLER", "KOWALSKI", "IVANOV", "CHEN", "WANG", "DIAZ", "REYES",
          "TORRES", "FLORES", "MORALES", "WALKER", "YOUNG", "ALI", "KHAN", "SANTOS", "PEREIRA", "MENSAH",
          "OBRIEN", "MURPHY", "DUBOIS", "LAURENT", "NOVAK", "HORVAT", "TANAKA", "SATO", "CRUZ", "RAMOS")
GIVEN_M = ("JAMES", "JOSE", "MIGUEL", "DAVID", "LUIS", "JOHN", "CARLOS", "MINH", "ARJUN", "KWAME", "PAULO",
           "MARCO", "PIOTR", "IVAN", "WEI", "JUAN", "MICHAEL", "OMAR", "KENJI", "SEAN")
GIVEN_F = ("MARIA", "ANA", "LINH", "SARAH", "ROSA", "JENNIFER", "PRIYA", "AMA", "JULIA", "GIULIA", "ANNA",
           "OLGA", "MEI", "CARMEN", "LAURA", "FATIMA", "YUKI", "AOIFE", "SOFIA", "ELENA")


def synthetic_name(rng: np.random.Generator, sex: str) -> str:
    """EBTS NAM form: SURNAME,GIVEN."""
    given = GIVEN_M if sex == "M" else GIVEN_F
    return f"{FAMILY[rng.integers(len(FAMILY))]},{given[rng.integers(len(given))]}"
