"""Fingerprint engine: image → template → matcher → ten-print fusion → 1:N search.

    tpl = extract(pixels, ppi=500)               # Template (minutiae at 500 ppi)
    score = compare(tpl_a, tpl_b)                # 0..1 similarity
    why = explain(tpl_a, tpl_b)                  # score + paired minutiae (examiner view)
    backend = InProcessBackend()                 # a SearchBackend
    backend.enroll("subject-1", {1: tpl, ...})   # finger position → template
    backend.identify({1: probe, ...})            # [Candidate, ...] best first
"""

from scomm.fingerprints.evaluation import evaluate_folder
from scomm.fingerprints.extraction import extract
from scomm.fingerprints.matching import Explanation, compare, explain
from scomm.fingerprints.parameters import ExtractionParameters, FusionParameters, MatchParameters, SearchParameters
from scomm.fingerprints.search import Candidate, InProcessBackend, SearchBackend, merge_candidates
from scomm.fingerprints.templates import EXTRACTOR_NAME, EXTRACTOR_VERSION, Template

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "Candidate", "Explanation", "ExtractionParameters",
           "FusionParameters", "InProcessBackend", "MatchParameters", "SearchBackend", "SearchParameters", "Template",
           "compare", "evaluate_folder", "explain", "extract", "merge_candidates"]
