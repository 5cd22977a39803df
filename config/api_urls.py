from django.urls import path
from rest_framework.routers import DefaultRouter

from insights.api import MentionViewSet, SegmentMatrixView, ThemeViewSet
from interviews.api import InterviewViewSet, SegmentViewSet

router = DefaultRouter()
router.register("segments", SegmentViewSet, basename="segment")
router.register("interviews", InterviewViewSet, basename="interview")
router.register("mentions", MentionViewSet, basename="mention")
router.register("themes", ThemeViewSet, basename="theme")

urlpatterns = [
    # The matrix streams CSV, Markdown or JSON itself, so it is a plain APIView beside the router.
    path("segments/<slug:slug>/matrix/", SegmentMatrixView.as_view(), name="segment-matrix"),
    *router.urls,
]
