"""The booking pipeline: intake → identify → determine → detain → decide, then outcomes.

Each stage reads a booking at one stage and, in a single transaction, writes its results, its
audit events and the move to the next stage. A crash anywhere loses at most the stage in flight,
which is simply run again: nothing is lost and nothing is answered twice.
"""

from scomm.pipeline.context import PipelineContext
from scomm.pipeline.intake import IntakeResult, submit, submit_many, submit_stream
from scomm.pipeline.runner import run_pending, run_stream

__all__ = ["IntakeResult", "PipelineContext", "run_pending", "run_stream", "submit", "submit_many", "submit_stream"]
