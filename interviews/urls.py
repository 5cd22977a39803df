from django.urls import path

from interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("segments/new/", views.segment_create, name="segment_create"),
    path("segments/<slug:slug>/", views.segment_detail, name="segment_detail"),
    path("segments/<slug:slug>/edit/", views.segment_edit, name="segment_edit"),
    path("interviews/new/", views.interview_create, name="interview_create"),
    path("interviews/upload/", views.transcript_upload, name="transcript_upload"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview_detail"),
]
