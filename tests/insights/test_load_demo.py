"""`make run` loads the demo: it must be a matrix a PM recognises, and loading it twice is safe."""

import pytest
from django.core.management import call_command

from insights.matrix import segment_matrix
from interviews.models import Interview, Segment


@pytest.mark.django_db(transaction=True)  # the import's extraction and regroup run on commit
def test_demo_loads_twice_into_a_matrix_with_several_distinct_themes():
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)
    segment = Segment.objects.get(slug="small-fintech-saas")
    assert Interview.objects.filter(segment=segment).count() == 15
    rows = segment_matrix(segment=segment, with_figures=True).rows
    by_name = {r.name: r for r in rows}
    # The reviewer's synonym themes of load_demo are rows of their own, each with evidence.
    for name in ("Board and investor reporting", "Bank reconciliation", "Compliance deadlines and filings"):
        assert by_name[name].interviews >= 3, name
    recurring = [r for r in rows if r.interviews >= 3]
    assert len({r.interviews for r in recurring}) >= 3  # distinct frequencies
    assert len({r.severity for r in recurring}) >= 2
    assert sum(r.yearly_cost is not None for r in recurring) >= 3
    assert sum(r.wtp.n > 0 for r in recurring) >= 3


@pytest.mark.django_db(transaction=True)
def test_loading_the_demo_again_keeps_what_reviewers_changed():
    from insights.models import Theme, ThemeSynonym

    call_command("load_demo", stdout=None)
    kyc = Theme.objects.get(segment__slug="small-fintech-saas", key="kyc")
    kyc.name = "Identity checks"
    kyc.save()
    ThemeSynonym.objects.filter(theme=kyc, phrase="onboarding").delete()
    call_command("load_demo", stdout=None)
    kyc.refresh_from_db()
    assert kyc.name == "Identity checks" and not kyc.synonyms.filter(phrase="onboarding").exists()
