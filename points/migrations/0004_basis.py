from django.db import migrations, models

BASIS_CHOICES = [
    ("classical", "a classical use (standard texts)"),
    ("tested", "tested in a trial or review"),
    ("popular", "popular self-help advice, not found in standard texts"),
]
BASIS_HELP = (
    "Classical: cite a standard text (Deadman, WHO). Tested: cite the study or review. "
    "Popular: cite the popular source, and say in the note that it is popular advice."
)


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0003_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="pointcondition",
            name="basis",
            field=models.CharField(choices=BASIS_CHOICES, default="classical", help_text=BASIS_HELP, max_length=10),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="combination",
            name="basis",
            field=models.CharField(choices=BASIS_CHOICES, default="classical", help_text=BASIS_HELP, max_length=10),
            preserve_default=False,
        ),
    ]
