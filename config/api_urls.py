from rest_framework.routers import DefaultRouter

from interviews.api import InterviewViewSet, SegmentViewSet

router = DefaultRouter()
router.register("segments", SegmentViewSet, basename="segment")
router.register("interviews", InterviewViewSet, basename="interview")

urlpatterns = router.urls
