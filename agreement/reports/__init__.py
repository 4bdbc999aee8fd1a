"""Agreement results for people: tables, figures, CSV and the self-contained HTML report."""

from agreement.reports.render import agreement_report_csv, agreement_report_html, results_context

__all__ = ["agreement_report_csv", "agreement_report_html", "results_context"]
