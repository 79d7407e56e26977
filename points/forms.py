"""The admin's forms: the rules an editor meets on save, each message saying how to fix the problem."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.dateformat import format as format_date
from reversion.models import Version

from points.markdown import render_markdown
from points.models import Combination, PointCategory, Status, resolve_references
from points.notation import normalise_key
from points.revisions import normalise_text

UNRESOLVED_REFERENCE = (
    "%(reference)s does not match any point or source. "
    "Write a WHO code such as [[BL23]] or a source as [[source:slug]]."
)
PUBLISH_REFUSED = "Only reviewers can publish. Choose “In review” to submit it; a reviewer will publish it."
DATABASE_BUSY = (
    "The database is busy, so nothing was saved yet. Your text is below, exactly as you typed it: "
    "press Save again in a moment."
)


class NormalisedTextField(forms.CharField):
    """Multi-line text with Unix line endings and no trailing spaces, compared the same way.

    Browsers send textareas with CRLF line endings; without this an untouched
    form would rewrite every multi-line field and history would log phantom changes.
    """

    def to_python(self, value):
        return normalise_text(super().to_python(value))

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return normalise_text(initial or "") != self.to_python(data)


def describe_saver(user):
    return (user.get_full_name() or user.get_username()) if user else "Someone"


class Conflict:
    """Another save came in after this form was loaded: who, when, and what differs from the form."""

    def __init__(self, who, when, differences):
        self.who, self.when, self.differences = who, when, differences

    @property
    def message(self):
        return (
            f"{self.who} saved this page at {format_date(timezone.localtime(self.when), 'j M Y, H:i')}, after you "
            "opened it, so your save was stopped to keep both texts. Nothing of yours is lost: your text is in the "
            "form below, and what differs from the saved version is listed above it. Merge what you need, then "
            "save again."
        )


class EditorialForm(forms.ModelForm):
    """Every admin form for content: Markdown checks, the publish rule, and stale-form protection.

    The admin sets ``can_publish`` and ``workflow`` (``points.admin.workflow.Workflow``)
    for each request. After a valid ``clean()``, ``removed_html`` maps each field's
    label to what the sanitiser will leave out of the page, so the admin can tell
    the editor. ``conflict`` is set when another save came in since the form was loaded.
    """

    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    loaded_revision = forms.CharField(required=False, widget=forms.HiddenInput)

    can_publish = False
    workflow = None
    conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.edit_version
            revision = self.workflow.revision if self.workflow else None
            self.fields["loaded_revision"].initial = revision.token if revision else ""

    def clean(self):
        cleaned_data = super().clean()
        self.removed_html = {}
        self.instance._prerendered = {}
        for name in getattr(self._meta.model, "markdown_fields", ()):
            if name not in self.fields or name not in cleaned_data:
                continue
            rendered = render_markdown(cleaned_data[name], resolve_references)
            self.instance._prerendered[name] = (cleaned_data[name], rendered.html)
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
        workflow = self.workflow
        if workflow is not None:
            if workflow.database_busy:
                self.add_error(None, ValidationError(DATABASE_BUSY, code="database_busy"))
            if workflow.readded:
                names = ", ".join(f"“{name}”" for name in workflow.readded)
                self.add_error(
                    None,
                    f"Rows you were editing were deleted by someone else meanwhile ({names}). They are shown again "
                    "below as new rows: save again to keep them, or tick Delete to leave them out.",
                )
            if self.instance.pk and not workflow.replaying:
                self.check_not_stale(cleaned_data)
        return cleaned_data

    def check_not_stale(self, cleaned_data):
        loaded_version = cleaned_data.get("loaded_version")
        loaded_revision = cleaned_data.get("loaded_revision") or ""
        if loaded_version is None:
            return  # a form that carries no version (a script's post) cannot be checked
        model = type(self.instance)
        current = model._default_manager.filter(pk=self.instance.pk).values_list("edit_version", flat=True).first()
        revision = self.workflow.revision
        if current is not None and loaded_version != current:
            latest = Version.objects.get_for_object(self.instance).select_related("revision__user").first()
            who = describe_saver(latest.revision.user) if latest else "Someone"
            when = latest.revision.date_created if latest else timezone.now()
            differences = [
                (self.fields[name].label or name, self.initial.get(name), cleaned_data.get(name))
                for name in self.changed_data
                if name not in ("loaded_version", "loaded_revision")
            ]
            self.conflict = Conflict(who, when, differences)
        elif revision is not None and loaded_revision != revision.token:
            saved = revision.data
            differences = [
                (field.label or name, " ".join(saved.get(name, [])), " ".join(self.data.getlist(name)))
                for name, field in self.fields.items()
                if name not in ("loaded_version", "loaded_revision") and saved.get(name, []) != self.data.getlist(name)
            ]
            self.conflict = Conflict(describe_saver(revision.last_saved_by), revision.updated_at, differences)
        if self.conflict:
            self.add_error(None, ValidationError(self.conflict.message, code="stale"))
            # The editor has now seen the other save; saving again is a deliberate choice.
            if self.data._mutable:
                self.data["loaded_version"] = str(current)
                self.data["loaded_revision"] = revision.token if revision else ""

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == Status.PUBLISHED and not self.can_publish and self.initial.get("status") != Status.PUBLISHED:
            raise ValidationError(PUBLISH_REFUSED, code="publish")
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
