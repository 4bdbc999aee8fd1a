"""Nominal Krippendorff's alpha on a large float matrix: ours, the krippendorff package, a floor.

4 coders x 1,000,000 units, 16 categories, 10% missing (NaN), float64. Prints the median time of
a few runs and the peak memory allocated during one run (tracemalloc, which sees numpy's
buffers) for:
  (a) agreement.math.krippendorff_alpha,
  (b) krippendorff.alpha (GPL-3.0, used here only as a yardstick; run once: seconds and GiBs),
  (c) the leanest plain-numpy formulation: agreeing coder pairs per unit by vectorised
      comparisons, marginals from one bincount, no units x categories x categories arrays.
No assertions on time. Usage: python benchmarks/alpha_bench.py [--quick] [--skip-package]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agreement.math import krippendorff_alpha

CODERS, CATEGORIES, MISSING = 4, 16, 0.10


def reliability_data(units: int, seed: int = 0) -> np.ndarray:
    """Coders mostly agree on a unit's true category, so alpha lands around 0.7."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, CATEGORIES, size=units)
    data = np.where(
        rng.random((CODERS, units)) < 0.75, truth, rng.integers(0, CATEGORIES, (CODERS, units))
    ).astype(np.float64)
    data[rng.random((CODERS, units)) < MISSING] = np.nan
    return data


def floor_alpha(data: np.ndarray) -> float:
    """Nominal alpha with as little work and memory as plain numpy allows."""
    present = ~np.isnan(data)
    values_per_unit = present.sum(axis=0, dtype=np.uint8)
    agreeing = np.zeros(data.shape[1], dtype=np.uint8)
    for i in range(len(data)):
        for j in range(i + 1, len(data)):
            agreeing += data[i] == data[j]
    pairable = values_per_unit >= 2
    # sum of the coincidence diagonal: ordered agreeing pairs / (m_u - 1), grouped by m_u
    by_size = np.bincount(values_per_unit, weights=agreeing, minlength=len(data) + 1)
    diagonal = float((2 * by_size[2:] / np.arange(1, len(data))).sum())
    counts = np.bincount(data[present & pairable].astype(np.intp))
    n = int(counts.sum())
    return 1 - (n - 1) * (n - diagonal) / (n * n - int((counts * counts).sum()))


def package_alpha(data: np.ndarray) -> float:
    import krippendorff

    return float(krippendorff.alpha(data, level_of_measurement="nominal"))


def measure(function: Callable[[np.ndarray], float], data: np.ndarray, runs: int):
    """(value, median seconds over ``runs``, peak bytes allocated during one more run)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        value = function(data)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    function(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return value, statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 units instead of 1,000,000")
    parser.add_argument("--skip-package", action="store_true", help="leave out krippendorff")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    units = 100_000 if args.quick else 1_000_000
    data = reliability_data(units)
    print(f"{CODERS} coders x {units:,} units, {CATEGORIES} categories, {MISSING:.0%} missing")
    results = {
        "ours": measure(lambda d: krippendorff_alpha(d, "nominal"), data, args.runs),
        "floor": measure(floor_alpha, data, args.runs),
    }
    if not args.skip_package:
        results["package"] = measure(package_alpha, data, 1)
    for name, (value, seconds, peak) in results.items():
        milliseconds, mebibytes = seconds * 1000, peak / 2**20
        print(
            f"{name:8} alpha={value:.12f}  time={milliseconds:9.1f} ms  peak={mebibytes:8.1f} MiB"
        )
    ours, floor = results["ours"], results["floor"]
    print(f"ours/floor:   time {ours[1] / floor[1]:.2f}x  memory {ours[2] / floor[2]:.2f}x")
    if "package" in results:
        package = results["package"]
        print(f"package/ours: time {package[1] / ours[1]:.1f}x  memory {package[2] / ours[2]:.1f}x")


if __name__ == "__main__":
    main()
