"""Agreement runs as background jobs: start (validate, snapshot, queue) and execute (read,
compute with the pure `annotations.agreement` package, store). Django lives here, not there."""

from annotations.jobs.execute import (
    agreement_run_execute,
    agreement_run_fail,
    agreement_runs_unfinished,
)
from annotations.jobs.start import agreement_run_start

__all__ = [
    "agreement_run_execute",
    "agreement_run_fail",
    "agreement_run_start",
    "agreement_runs_unfinished",
]
