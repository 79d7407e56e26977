"""Addresses, signed-in clients and form errors the admin's tests share."""

from django.test import Client
from django.urls import reverse

from points.tests.factories import admin_form_data


def changelist(model):
    return reverse(f"admin:points_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:points_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model):
    return reverse(f"admin:points_{model._meta.model_name}_add")


def pending_url(obj):
    return reverse(f"admin:points_{obj._meta.model_name}_pending", args=[obj.pk])


def listed_codes(response):
    return [point.code for point in response.context["cl"].result_list]


def form_errors(response):
    errors = dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        for number, form_errors in enumerate(inline.formset.errors):
            for field, messages in form_errors.items():
                errors[f"{inline.formset.prefix}-{number}-{field}"] = messages
        if inline.formset.non_form_errors():
            errors[f"{inline.formset.prefix}-non-form"] = inline.formset.non_form_errors()
    return errors


def login(user):
    client = Client()
    client.force_login(user)
    return client


def edit(client, obj, **changes):
    page = client.get(change_url(obj))
    return client.post(change_url(obj), admin_form_data(page, **changes))
