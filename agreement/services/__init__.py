"""Agreement runs as background jobs: start (validate, snapshot, queue) and execute (read,
compute with the pure `agreement.math` package, store). Django lives here, not there."""

from agreement.services.execute import (
    agreement_run_execute,
    agreement_run_fail,
    agreement_runs_unfinished,
)
from agreement.services.start import agreement_run_start

__all__ = [
    "agreement_run_execute",
    "agreement_run_fail",
    "agreement_run_start",
    "agreement_runs_unfinished",
]
