"""Inter-coder agreement math for Narrative Coder: pure functions over plain data, no Django.

Definitions follow docs/agreement.md; every function states its inputs, what "undefined" returns
(``math.nan``, or value None with a note in reports) and its reference.
"""

from agreement.math.alpha import krippendorff_alpha
from agreement.math.pairwise import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
    scott_pi,
)
from agreement.math.report import span_agreement
from agreement.math.spans import SourceCoding
from agreement.math.unitizing import unitized_alpha

__all__ = [
    "SourceCoding",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi",
    "span_agreement",
    "unitized_alpha",
]
