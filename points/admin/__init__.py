"""The editors' admin: lists to curate from, the review workflow, history, and the rules checked on save.

Roles are the groups made by migration 0002_roles. Editors write and submit
for review; reviewers also publish, mark reviewed and delete. The admin
enforces the difference on the server (a form error, a read-only field, a
missing action, a 403), so hiding a button is never the only guard.

- ``base``: ``HistoryAdmin``, the change form every model with a page shares
  (pending revisions of live pages, stale forms, presence, a busy database);
- ``workflow``: the reviewer's pages for a pending revision, and unpublishing;
- ``preview``: a page as readers will see it once published;
- ``history``: django-reversion's registrations, revert and recovery;
- ``editorial``: ``EditorialAdmin``, status, review dates and the list actions;
- ``inlines``: the rows a page edits on its own form;
- ``pages`` and ``reference``: each model's admin.

Django's autodiscover imports this package; importing the two modules that
register the admins is what puts them on the site.
"""

from django.contrib import admin

from points.admin import pages, reference  # noqa: F401  (registers the admins)
from points.auth import LockoutAdminAuthenticationForm

admin.site.login_form = LockoutAdminAuthenticationForm
