from typing import Any

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` (default 100, at most 1000: one source's passages fit a page)."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page: default {self.page_size}, at most {self.max_page_size} "
                    "(larger values are capped)."
                )
        return parameters


class ShortPagination(Pagination):
    """Lists a person reads on a page, newest first (agreement runs, exports): 20 a page."""

    page_size = 20
