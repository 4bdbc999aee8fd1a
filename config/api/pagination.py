from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` (default 100, at most 1000: one source's passages fit a page)."""

    page_size_query_param = "page_size"
    max_page_size = 1000
