from django.apps import AppConfig
from django.db.models.signals import m2m_changed

from points import cache as content_cache


def _bump_on_link_change(sender, action, **kwargs):
    # Links between content (a point's areas and sources...) are content too: written outside
    # a model's save (the shell, a data migration, a command), they must still retire old copies.
    if action in ("post_add", "post_remove", "post_clear"):
        content_cache.bump_now_and_on_commit()


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = "Acupressure content"

    def ready(self):
        for model in self.get_models():
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(_bump_on_link_change, sender=field.remote_field.through)
