"""Admin sign-in that locks an account after repeated failed attempts.

Failures are counted in a database-backed cache (``settings.CACHES["logins"]``),
so every worker and every app server sees the same counts, with or without Redis,
and a Redis outage does not open or close the door. Each failure counts twice: once for
the account (someone guessing from many addresses) and once for the account
from this address. Either count reaching ``settings.LOGIN_FAILURE_LIMIT`` locks
for ``settings.LOGIN_LOCKOUT_SECONDS``; a successful sign-in clears both.
"""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.views.decorators.debug import sensitive_variables

logger = logging.getLogger(__name__)


def client_address(request):
    # REMOTE_ADDR, not X-Forwarded-For: a forged header must not buy an
    # attacker fresh attempts. Behind a proxy the per-account count still holds.
    return (request.META.get("REMOTE_ADDR") if request is not None else None) or "unknown"


def _counter_keys(username, address):
    # Hashed: usernames may hold characters some cache backends refuse in keys.
    account = hashlib.sha256(username.encode()).hexdigest()
    return [f"login-failures:account:{account}", f"login-failures:account-address:{account}:{address}"]


def _lock_key(counter_key):
    return f"{counter_key}:locked-until"


def seconds_locked(username, address):
    """How long this account must wait before trying again from this address; 0 when it may try now."""
    locks = caches["logins"].get_many([_lock_key(key) for key in _counter_keys(username, address)])
    return max([until - time.time() for until in locks.values()] + [0])


def record_failure(username, address):
    limit, lockout = settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_LOCKOUT_SECONDS
    cache = caches["logins"]
    for key in _counter_keys(username, address):
        cache.add(key, 0, timeout=lockout)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=lockout)
            count = 1
        if count >= limit:
            cache.set(_lock_key(key), time.time() + lockout, timeout=lockout)
            # After the lock the account starts again with its full allowance.
            cache.delete(key)
            logger.warning("admin sign-in locked", extra={"counter": key.split(":")[1], "address": address})


def clear_failures(username, address):
    caches["logins"].delete_many(_counter_keys(username, address))


def describe_wait(seconds):
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": "Too many failed sign-in attempts for this account. Try again in %(wait)s.",
    }

    @sensitive_variables()
    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        address = client_address(self.request)
        # Checked before the password, so a correct guess during a lock is refused too.
        wait = seconds_locked(username, address)
        if wait > 0:
            raise ValidationError(self.error_messages["locked"], code="locked", params={"wait": describe_wait(wait)})
        try:
            cleaned_data = super().clean()
        except ValidationError:
            record_failure(username, address)
            raise
        clear_failures(username, address)
        return cleaned_data
