from django.contrib.admin.apps import AdminConfig


class SiftAdminConfig(AdminConfig):
    default_site = "config.admin.SiftAdminSite"
