from django.db import migrations, models

HELP = (
    "Given when the code is created and never changed: the number and underline pattern that "
    "mark its passages."
)


def number_existing_codes(apps, schema_editor):
    """Number each codebook's codes in the order the coding page numbered them until now
    (depth first, siblings by order then name, retired codes included), so no mark changes."""
    Codebook = apps.get_model("narratives", "Codebook")
    Code = apps.get_model("narratives", "Code")
    HistoricalCode = apps.get_model("narratives", "HistoricalCode")
    for codebook in Codebook.objects.all():
        by_parent = {}
        for code in Code.objects.filter(codebook=codebook).order_by("order", "name"):
            by_parent.setdefault(code.parent_id, []).append(code)
        ordered = []

        def visit(parent_id):
            for code in by_parent.get(parent_id, []):
                ordered.append(code)
                visit(code.pk)

        visit(None)
        for number, code in enumerate(ordered, start=1):
            Code.objects.filter(pk=code.pk).update(number=number)
            HistoricalCode.objects.filter(id=code.pk).update(number=number)
        Codebook.objects.filter(pk=codebook.pk).update(numbers_given=len(ordered))
    # Deleted codes keep no number: their history rows get 0.
    HistoricalCode.objects.filter(number__isnull=True).update(number=0)


class Migration(migrations.Migration):
    dependencies = [("narratives", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="codebook",
            name="numbers_given",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="code",
            name="number",
            field=models.PositiveIntegerField(editable=False, null=True, help_text=HELP),
        ),
        migrations.AddField(
            model_name="historicalcode",
            name="number",
            field=models.PositiveIntegerField(editable=False, null=True, help_text=HELP),
        ),
        migrations.RunPython(number_existing_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="code",
            name="number",
            field=models.PositiveIntegerField(editable=False, help_text=HELP),
        ),
        migrations.AlterField(
            model_name="historicalcode",
            name="number",
            field=models.PositiveIntegerField(editable=False, help_text=HELP),
        ),
        migrations.AddConstraint(
            model_name="code",
            constraint=models.UniqueConstraint(
                fields=("codebook", "number"), name="code_unique_number"
            ),
        ),
    ]
