from django.urls import path

from insights import views

app_name = "insights"

urlpatterns: list = [
    path("segments/<slug:slug>/matrix/", views.matrix, name="matrix"),
    path("segments/<slug:slug>/matrix/export/", views.matrix_export, name="matrix_export"),
]
