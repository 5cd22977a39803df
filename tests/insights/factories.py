import factory

from insights.models import Mention, MentionKind, ReviewStatus, Theme
from tests.factories import InterviewFactory, SegmentFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("segment", "kind", "key")

    segment = factory.SubFactory(SegmentFactory)
    kind = MentionKind.PAIN
    key = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.LazyAttribute(lambda o: o.key.replace("-", " ").capitalize())


class MentionFactory(factory.django.DjangoModelFactory):
    """A mention; the quote is free text (the matrix never re-reads the answer it came from)."""

    class Meta:
        model = Mention

    interview = factory.SubFactory(InterviewFactory)
    kind = MentionKind.PAIN
    field = "whats_broken"
    start = factory.Sequence(lambda n: n)
    end = factory.LazyAttribute(lambda o: o.start + len(o.quote))
    quote = factory.Sequence(lambda n: f"quote {n}")
    review_status = ReviewStatus.UNREVIEWED
    extractor_version = "test"
