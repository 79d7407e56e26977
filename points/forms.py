"""The admin's forms: the rules an editor meets on save, each message saying how to fix the problem."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from points.markdown import render_markdown
from points.models import Combination, PointCategory, Status
from points.notation import normalise_key

UNRESOLVED_REFERENCE = (
    "%(reference)s does not match any point or source. "
    "Write a WHO code such as [[BL23]] or a source as [[source:slug]]."
)
PUBLISH_REFUSED = "Only reviewers can publish. Choose “In review” to submit it; a reviewer will publish it."
PUBLISHED_EDIT_REFUSED = (
    "Only reviewers can publish, and saving a published page would publish your changes. "
    "Choose “In review” to submit them; the page leaves the public site until a reviewer publishes it again."
)


class EditorialForm(forms.ModelForm):
    """Every admin form for a model with Markdown fields or a workflow status.

    ``can_publish`` is set for each request by the admin (``EditorialAdmin.get_form``).
    After a valid ``clean()``, ``removed_html`` maps each field's label to what the
    sanitiser will leave out of the page, so the admin can tell the editor.
    """

    can_publish = False

    def clean(self):
        cleaned_data = super().clean()
        self.removed_html = {}
        for name in getattr(self._meta.model, "markdown_fields", ()):
            if name not in self.fields or name not in cleaned_data:
                continue
            rendered = render_markdown(cleaned_data[name])
            if rendered.unresolved:
                self.add_error(
                    name,
                    [
                        ValidationError(UNRESOLVED_REFERENCE, code="unresolved_reference", params={"reference": ref})
                        for ref in dict.fromkeys(rendered.unresolved)
                    ],
                )
            if rendered.removed:
                self.removed_html[self.fields[name].label] = rendered.removed
        return cleaned_data

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == Status.PUBLISHED and not self.can_publish:
            was_published = self.instance.pk is not None and self.initial.get("status") == Status.PUBLISHED
            raise ValidationError(PUBLISHED_EDIT_REFUSED if was_published else PUBLISH_REFUSED, code="publish")
        return status


class PointForm(EditorialForm):
    categories = forms.MultipleChoiceField(
        choices=PointCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The point's categories in the standard (Yuan-Source, Back-Shu, ...).",
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class MeridianForm(EditorialForm):
    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class AliasFormSet(BaseInlineFormSet):
    """Two rows naming the same alias (He Gu, hegu) would break a database constraint: say so instead."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            name = getattr(form, "cleaned_data", {}).get("name")
            if not name or self._should_delete_form(form):
                continue
            key = normalise_key(name)
            if key in seen:
                form.add_error(
                    "name",
                    f"“{name}” is the same alias as “{seen[key]}” above (case, tone marks, spaces and "
                    "punctuation do not count); keep one of them.",
                )
            else:
                seen[key] = name


class CombinationForm(forms.ModelForm):
    """A pair is stored once and shown from both sides, so it may not be entered again the other way round."""

    def clean(self):
        cleaned_data = super().clean()
        point, partner = cleaned_data.get("point"), cleaned_data.get("partner")
        reverse_pair = Combination.objects.filter(point=partner, partner=point)
        if point is not None and point.pk and partner is not None and reverse_pair.exists():
            self.add_error(
                "partner",
                f"{partner.code} is already combined with {point.code} on {partner.code}'s page; "
                "a pair is written once and shown on both points.",
            )
        return cleaned_data
