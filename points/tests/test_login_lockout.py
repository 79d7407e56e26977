import time

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.urls import reverse

from points.auth import LockoutAdminAuthenticationForm, _counter_keys
from points.tests.factories import make_editor

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password"
LOCKED = "Too many failed sign-in attempts for this account. Try again in 15 minutes."


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_LOCKOUT_SECONDS = 15 * 60
    # Only to keep the many sign-ins fast; the hasher plays no part in the lockout.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor():
    return make_editor("editor", password=PASSWORD)


def sign_in(client, password, username="editor", address="203.0.113.5"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return SESSION_KEY in client.session


def errors(response):
    return response.context["form"].non_field_errors()


def fail(client, times, **kwargs):
    for _ in range(times):
        response = sign_in(client, "wrong password", **kwargs)
        assert response.status_code == 200
    return response


def test_the_admin_signs_in_with_the_lockout_form():
    assert admin.site.login_form is LockoutAdminAuthenticationForm


def test_the_limit_and_the_lockout_time_come_from_settings(client, editor, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_SECONDS = 3600
    fail(client, 2)
    assert errors(sign_in(client, PASSWORD)) == [
        "Too many failed sign-in attempts for this account. Try again in 60 minutes."
    ]


def test_four_failures_still_allow_a_correct_password(client, editor):
    fail(client, 4)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_five_failures_lock_the_account_with_a_clear_message(client, editor):
    response = fail(client, 5)
    assert LOCKED not in errors(response)
    response = sign_in(client, "wrong password")
    assert errors(response) == [LOCKED]


def test_a_locked_account_refuses_even_the_right_password(client, editor):
    fail(client, 5)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 200
    assert errors(response) == [LOCKED]
    assert not signed_in(client)


def test_the_lock_holds_for_the_account_from_every_address(client, editor):
    for number in range(5):
        sign_in(client, "wrong password", address=f"198.51.100.{number}")
    response = sign_in(client, PASSWORD, address="192.0.2.77")
    assert errors(response) == [LOCKED]


def test_other_accounts_are_not_locked(client, editor):
    make_editor("colleague", password=PASSWORD)
    fail(client, 5)
    assert sign_in(client, PASSWORD, username="colleague").status_code == 302


def test_attempts_against_an_unknown_account_lock_it_too_so_nothing_reveals_which_accounts_exist(client, editor):
    fail(client, 5, username="nobody")
    assert errors(sign_in(client, "wrong password", username="nobody")) == [LOCKED]


def test_a_successful_sign_in_resets_the_count(client, editor):
    fail(client, 4)
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    fail(client, 4)
    assert sign_in(client, PASSWORD).status_code == 302


def test_failures_are_counted_per_account_and_per_account_and_address_in_the_shared_cache(client, editor):
    fail(client, 2)
    fail(client, 1, address="198.51.100.9")
    account, account_here = _counter_keys("editor", "203.0.113.5")
    assert caches["logins"].get_many([account, account_here]) == {account: 3, account_here: 2}


def test_the_lock_ends_after_the_lockout_time(client, editor, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    fail(client, 5)
    assert errors(sign_in(client, PASSWORD)) == [
        "Too many failed sign-in attempts for this account. Try again in 1 minute."
    ]
    time.sleep(1.2)
    assert sign_in(client, PASSWORD).status_code == 302


def test_a_non_staff_account_cannot_use_the_admin(client):
    make_editor("reader", password=PASSWORD, is_staff=False)
    response = sign_in(client, PASSWORD, username="reader")
    assert response.status_code == 200
    assert not signed_in(client)


# Staff sessions are short and end with the browser.


def test_staff_sessions_end_with_the_browser_and_expire(client, editor):
    sign_in(client, PASSWORD)
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 8 * 3600
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"]
    assert not cookie["max-age"]
    assert cookie["httponly"]
