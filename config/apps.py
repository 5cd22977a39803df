from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save


class SiftAdminConfig(AdminConfig):
    default_site = "config.admin.SiftAdminSite"


class SiftConfig(AppConfig):
    """The project's own wiring, done at start-up in every process (web, worker, management
    command): a token deleted from a shell is forgotten by the API like one deleted in the admin."""

    name = "config"

    def ready(self) -> None:
        from rest_framework.authtoken.models import Token, TokenProxy

        from config import auth

        # The admin saves tokens as TokenProxy (and may give one to another user): signals name the
        # proxy. Its deletes go through Token.
        for token_model in (Token, TokenProxy):
            post_save.connect(
                auth.on_token_saved_or_deleted, sender=token_model, dispatch_uid=f"sift.{token_model.__name__}.saved"
            )
            post_delete.connect(
                auth.on_token_saved_or_deleted, sender=token_model, dispatch_uid=f"sift.{token_model.__name__}.deleted"
            )
        post_save.connect(auth.on_user_saved, sender=get_user_model(), dispatch_uid="sift.user.saved")
