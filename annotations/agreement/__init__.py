"""Inter-coder agreement math for Narrative Coder: pure functions over plain data, no Django.

Definitions follow AGREEMENT.md; every function states its inputs, what "undefined" returns
(``math.nan``, or value None with a note in reports) and its reference.
"""

from annotations.agreement.alpha import krippendorff_alpha
from annotations.agreement.pairwise import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
    scott_pi,
)
from annotations.agreement.report import span_agreement
from annotations.agreement.spans import SourceCoding
from annotations.agreement.unitizing import unitized_alpha

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
