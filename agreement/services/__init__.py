"""Agreement runs as background jobs: `start` validates, snapshots and queues a run; `execute`
reads its input, computes with the pure `agreement.math` package and stores the results. Django
lives here, not there."""
