from django.contrib import admin

from points import models

for model in (
    models.Source,
    models.Meridian,
    models.BodyArea,
    models.Condition,
    models.Precaution,
    models.Guide,
    models.Point,
    models.Alias,
):
    admin.site.register(model)
