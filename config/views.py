from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness probe; also the floor the load benchmark compares the API against."""
    return JsonResponse({"status": "ok"})
