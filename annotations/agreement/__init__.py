"""Inter-coder agreement math for Narrative Coder: pure functions over plain data, no Django.

Definitions follow AGREEMENT.md; every function states its inputs, what "undefined" returns
(``math.nan``) and its reference.
"""

from annotations.agreement.alpha import krippendorff_alpha
from annotations.agreement.pairwise import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
    scott_pi,
)

__all__ = [
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi",
]
