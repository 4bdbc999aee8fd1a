"""Every way in counts failed passwords and refuses while locked, under the same keys, and every
limiter reads the client's address by one rule (`TRUSTED_PROXIES`)."""

import uuid

import pytest
from rest_framework.test import APIClient

from core.api.auth import TokenRateThrottle

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-1"


@pytest.fixture
def alice(world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    world.alice.set_password(PASSWORD)
    world.alice.is_staff = True  # so the admin's login accepts her
    world.alice.save()
    return world.alice


def page_login(client, password, username="alice", **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def admin_login(client, password, username="alice", **extra):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post("/admin/login/", data, **extra)


def token_login(password, username="alice", **extra):
    data = {"username": username, "password": password}
    return APIClient().post("/api/auth/token/", data, format="json", **extra)


def test_the_admin_login_locks_out_after_repeated_failures(alice, client):
    for _ in range(3):
        assert admin_login(client, "wrong").status_code == 200
    locked = admin_login(client, PASSWORD)
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_failures_on_the_login_page_lock_the_admin_login_and_the_token(alice, client):
    for _ in range(3):
        page_login(client, "wrong")
    assert admin_login(client, PASSWORD).status_code == 429
    assert token_login(PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_on_the_admin_login_lock_the_login_page_and_the_token(alice, client):
    for _ in range(3):
        admin_login(client, "wrong")
    assert page_login(client, PASSWORD).status_code == 429
    assert token_login(PASSWORD).status_code == 429


def test_failures_spread_over_every_path_count_together(alice, client):
    page_login(client, "wrong")
    admin_login(client, "wrong")
    token_login("wrong")
    assert admin_login(client, PASSWORD).status_code == 429


def test_any_other_password_check_is_refused_while_locked(alice, client):
    for number in range(12):
        token_login("wrong", REMOTE_ADDR=f"10.0.0.{number}")
    assert client.login(username="alice", password=PASSWORD) is False


def test_an_account_is_locked_by_failures_from_many_addresses(alice, client, settings):
    # Four times the per-address limit in all, each address staying under its own limit.
    for number in range(12):
        token_login("wrong", REMOTE_ADDR=f"10.0.0.{number // 2}")
    assert page_login(client, PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_failures_with_random_usernames_never_refuse_a_correct_password(alice, client):
    for _ in range(30):
        page_login(client, "wrong", username=f"nobody-{uuid.uuid4().hex[:8]}")
    assert token_login(PASSWORD).status_code == 200
    assert admin_login(client, PASSWORD).status_code == 302
    assert page_login(client, PASSWORD).status_code == 302


def test_a_flooding_address_gets_one_guess_per_account(alice, world, client):
    world.bob.set_password("bobs-password-1")
    world.bob.save()
    for _ in range(12):
        page_login(client, "wrong", username=f"nobody-{uuid.uuid4().hex[:8]}")
    assert page_login(client, "wrong", username="bob").status_code == 200
    assert page_login(client, "bobs-password-1", username="bob").status_code == 429
    assert page_login(client, PASSWORD).status_code == 302


def test_without_trusted_proxies_x_forwarded_for_is_ignored_by_the_lockout(alice, client):
    for number in range(3):
        token_login("wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert token_login(PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_without_trusted_proxies_x_forwarded_for_is_ignored_by_the_token_rate(alice, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"auth-token": "5/minute"})
    statuses = [
        token_login(PASSWORD, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}").status_code
        for number in range(8)
    ]
    assert statuses == [200] * 5 + [429] * 3


def test_behind_one_trusted_proxy_the_forwarded_address_is_the_client(
    alice, client, settings, monkeypatch
):
    settings.TRUSTED_PROXIES = 1
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"auth-token": "5/minute"})
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        token_login("wrong", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.7", **proxy)
    # Another client behind the same proxy is neither locked out nor rate-limited.
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.8", **proxy}
    assert page_login(client, PASSWORD, **other).status_code == 302
    assert token_login("wrong", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    statuses = [token_login(PASSWORD, **other).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
