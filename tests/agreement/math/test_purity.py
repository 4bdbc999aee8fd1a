import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_the_agreement_package_imports_neither_django_nor_the_gpl_package():
    probe = (
        "import sys, agreement.math; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'krippendorff'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
