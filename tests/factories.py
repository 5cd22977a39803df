import factory
from django.contrib.auth import get_user_model

from interviews.models import Interview, Participant, Segment, UsageType, Workspace


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Workspace {n}")


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Segment {n}")
    slug = factory.Sequence(lambda n: f"segment-{n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Faker("name")
    company = factory.Faker("company")
    role = "Head of Operations"
    team_size = 6
    usage = UsageType.NOTHING


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    segment = factory.SubFactory(SegmentFactory)
    participant = factory.SubFactory(ParticipantFactory, workspace=factory.SelfAttribute("..segment.workspace"))
    external_id = factory.Sequence(lambda n: f"int-{n}")
    whats_broken = "Month-end reporting is a nightmare: I lose a whole day rebuilding the board pack by hand."
    current_solution = "Spreadsheets, mostly."
    time_spent = "About 4 hours a week."
    willingness_to_pay = "Maybe $200 a month."
