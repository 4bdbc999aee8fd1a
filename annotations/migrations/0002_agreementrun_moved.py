from django.db import migrations


class Migration(migrations.Migration):
    """AgreementRun now belongs to `agreement`, which took over its table and rows; only the
    model state leaves this app."""

    dependencies = [
        ('annotations', '0001_initial'),
        ('agreement', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AgreementRun')],
        ),
    ]
