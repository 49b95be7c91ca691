"""A fast slice of bench/fuzz_formats.py under Hypothesis: mutated real transactions are accepted or rejected with
TransactionError/FormatError, never anything else (the 100,000-case run is in BENCHMARKS.md)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.fuzz_formats import MUTATIONS, MUTATORS, exercise, load_seeds

from .conftest import DATA

# The image-heavy seeds (NIST's 14-image card, NISTFile2's slap) take ~1 s a case: left to the benchmark.
CHEAP_SEEDS = ("NISTFile.ebts", "type_6_wvu.an2", "write_car-14", "write_car-4")


def _seeds():
    if not DATA.is_dir():
        pytest.skip(f"real data not available: {DATA}")
    seeds, _ = load_seeds(Path(DATA))
    return {seed.name: seed for seed in seeds if seed.name in CHEAP_SEEDS}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(seed_name=st.sampled_from(CHEAP_SEEDS), kinds=st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3),
       rng_seed=st.integers(0, 2**32 - 1))
def test_mutated_transactions_never_crash(seed_name: str, kinds: list[str], rng_seed: int) -> None:
    seed = _seeds()[seed_name]
    rng, data = random.Random(rng_seed), bytearray(seed.data)
    for kind in kinds:
        if data:
            MUTATORS[kind](rng, seed, data)
    assert exercise(bytes(data)) in {"accepted", "rejected"}
