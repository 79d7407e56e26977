"""The editorial roles, created here so every database (laptop, CI, production) has them.

Editors write and submit for review; reviewers also publish, mark reviewed and
delete. The admin enforces the difference (points.admin); these groups only
carry the permissions it checks.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
REVIEWERS = "Reviewers"

CONTENT_MODELS = ("point", "condition", "precaution", "guide")
# Rows that belong to a page and are edited in its inlines. Removing one is
# part of editing that page: it goes through review with the page and is
# restored when the page is reverted, so editors may delete these rows.
PAGE_PARTS = ("alias", "pointcondition", "pointprecaution", "conditionprecaution", "combination")
# Vocabulary behind public URLs (/points/?area=lower-back): editors only look.
VOCABULARY = ("bodyarea",)
REFERENCE = ("source", "meridian")


def editor_codenames():
    codenames = []
    for model in CONTENT_MODELS + REFERENCE + PAGE_PARTS:
        codenames += [f"add_{model}", f"change_{model}", f"view_{model}"]
    codenames += [f"delete_{model}" for model in PAGE_PARTS]
    codenames += [f"view_{model}" for model in VOCABULARY]
    return codenames


def reviewer_codenames():
    codenames = []
    for model in CONTENT_MODELS + REFERENCE + PAGE_PARTS + VOCABULARY:
        codenames += [f"{action}_{model}" for action in ("add", "change", "delete", "view")]
    for model in CONTENT_MODELS:
        codenames += [f"publish_{model}", f"review_{model}"]
    return codenames


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate finishes (post_migrate);
    # create them now so the groups can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ((EDITORS, editor_codenames()), (REVIEWERS, reviewer_codenames())):
        permissions = Permission.objects.filter(content_type__app_label="points", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for the {name} group: {', '.join(sorted(missing))}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=(EDITORS, REVIEWERS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("points", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
