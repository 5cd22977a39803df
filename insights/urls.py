from django.urls import path

from insights import decision_views, views

app_name = "insights"

urlpatterns: list = [
    path("segments/<slug:slug>/matrix/", views.matrix, name="matrix"),
    path("segments/<slug:slug>/matrix/export/", views.matrix_export, name="matrix_export"),
    path("segments/<slug:slug>/saturation/", decision_views.saturation, name="saturation"),
    path("segments/<slug:slug>/pricing/", decision_views.pricing, name="pricing"),
    path("segments/<slug:slug>/prd/", decision_views.prd, name="prd"),
    path("segments/<slug:slug>/assessment/", decision_views.assessment, name="assessment"),
    path("compare/", decision_views.compare, name="compare"),
]
