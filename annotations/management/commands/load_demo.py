from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotations.demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo project (codebook, sources, users, assignments, annotations)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (the demo users have published passwords).",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo users with published passwords while DEBUG is off; "
                "pass --allow-production if this really is a throwaway instance."
            )
        project, logins = demo_load()
        self.stdout.write(f"Demo project: {project.name} (id {project.pk})")
        self.stdout.write("Logins:")
        for login in logins:
            self.stdout.write(f"  {login.role:<6} {login.username:<8} {login.password}")
