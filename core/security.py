"""Security middleware: a Content-Security-Policy on every response and login throttling."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core.login_throttle import login_retry_after, request_address

Handler = Callable[[HttpRequest], HttpResponse]


class ContentSecurityPolicyMiddleware:
    """Pages load scripts only from this site, and never inline: `script-src 'self'`."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}"
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class LoginThrottleMiddleware:
    """Answers a login-form post (the login page or the admin's) with a 429 page while the
    account is locked, instead of the form's usual "wrong password". The authentication
    backend counts the attempts and refuses them on every path; this only says why."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path not in _login_paths():
            return self.get_response(request)
        username = request.POST.get("username", "")
        wait = login_retry_after(username=username, address=request_address(request))
        if not wait:
            return self.get_response(request)
        response = render(
            request, "registration/login_locked.html", {"minutes": -(-wait // 60)}, status=429
        )
        response["Retry-After"] = str(wait)
        return response


def _login_paths() -> set[str]:
    return {reverse("login"), reverse("admin:login")}
