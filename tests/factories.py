import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from annotations.models import Annotation, Assignment, Layer
from narratives.models import Code, Codebook
from narratives.services import code_number_next
from sources.models import Membership, Project, Role, Source, normalize_text, text_sha256


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CODER


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Source {n}")
    text = factory.Sequence(lambda n: normalize_text(f"Source text number {n}. It has words."))
    sha256 = factory.LazyAttribute(lambda source: text_sha256(source.text))


class CodebookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Codebook
        django_get_or_create = ["project"]

    project = factory.SubFactory(ProjectFactory)


class CodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Code

    codebook = factory.SubFactory(CodebookFactory)
    name = factory.Sequence(lambda n: f"Code {n}")
    number = factory.LazyAttribute(lambda code: code_number_next(code.codebook))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    source = factory.SubFactory(SourceFactory)
    coder = factory.SubFactory(UserFactory)


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation

    source = factory.SubFactory(SourceFactory)
    code = factory.SubFactory(
        CodeFactory,
        codebook=factory.LazyAttribute(
            lambda c: CodebookFactory(project=c.factory_parent.source.project)
        ),
    )
    coder = factory.SubFactory(UserFactory)
    start = 0
    end = 6
    quote = factory.LazyAttribute(lambda a: a.source.text[a.start : a.end])

    class Params:
        # A passage of the gold standard, adjudicated by the lead who drew it, now.
        gold = factory.Trait(
            layer=Layer.GOLD,
            adjudicated_by=factory.SelfAttribute("coder"),
            adjudicated_at=factory.LazyFunction(timezone.now),
        )
