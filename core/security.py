"""Security middleware: a Content-Security-Policy on every response and login throttling."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core.login_throttle import client_address, login_failed, login_retry_after, login_succeeded

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
    """Refuses login-form posts while the username or the address is locked out.

    The login view answers a failed attempt by showing the form again (200) and a successful one
    with a redirect, which is what is counted here.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path != reverse("login"):
            return self.get_response(request)
        username = request.POST.get("username", "")
        address = client_address(request)
        wait = login_retry_after(username=username, address=address)
        if wait:
            response = render(
                request, "registration/login_locked.html", {"minutes": -(-wait // 60)}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
        response = self.get_response(request)
        if response.status_code == 200:
            login_failed(username=username, address=address)
        elif response.status_code == 302:
            login_succeeded(username=username, address=address)
        return response
