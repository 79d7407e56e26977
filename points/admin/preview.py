"""The preview: the page exactly as readers will see it once published, never shown to a reader."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponseRedirect, QueryDict
from django.urls import resolve, reverse

from points import cache as content_cache
from points.admin.workflow import RollBack, open_revision_of
from points.models import ContentModel, Status


class PreviewView:
    def preview_view(self, request, object_id):
        """The page exactly as readers will see it once published, in a transaction that is always undone."""
        obj = self.get_item(request, object_id)
        revision = open_revision_of(obj)
        url = obj.get_absolute_url()
        try:
            with transaction.atomic(), content_cache.previewing():
                if revision is not None:
                    form, formsets, valid = self.replay(request, obj, revision)
                    if not valid:
                        messages.error(
                            request,
                            "The pending change cannot be previewed: " + " ".join(self.replay_errors(form, formsets)),
                        )
                        raise RollBack
                    self.workflow(request).publishing = True
                    new_object = self.save_form(request, form, change=True)
                    self.save_model(request, new_object, form, change=True)
                    self.save_related(request, form, formsets, change=True)
                    obj = new_object
                    url = obj.get_absolute_url()
                elif isinstance(obj, ContentModel) and not obj.is_published:
                    type(obj)._default_manager.filter(pk=obj.pk).update(status=Status.PUBLISHED)
                response = self.render_as_reader(request, url)
                raise RollBack(response)
        except RollBack as rollback:
            if rollback.args:
                return rollback.args[0]
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    def render_as_reader(self, request, url):
        parts = urlsplit(url)
        url = parts.path
        match = resolve(url)
        reader = type(request)(request.environ.copy())
        reader.path = reader.path_info = url
        reader.method = "GET"
        reader.user = AnonymousUser()
        reader.resolver_match = match
        reader.session = request.session
        reader.skip_page_cache = True
        reader.preview = True
        reader._csp_nonce = getattr(request, "_csp_nonce", None)
        reader.GET = QueryDict(parts.query)
        with content_cache.previewing():
            response = match.func(reader, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
