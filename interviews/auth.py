from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def request_user(request: HttpRequest) -> User:
    """The signed-in user behind a request that requires login (views, admin actions, API)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user


def require_role(*, user: User, workspace_ids: Iterable[int], role: str, action: str) -> None:
    """Refuse (403) unless the user holds `role` or higher in every one of these workspaces.

    Services call this for what not every member may do; which rows a user can reach at all stays
    the selectors' job (another workspace's row is a 404 before it gets here).
    """
    from interviews.selectors import member_may

    for workspace_id in set(workspace_ids):
        if not member_may(user=user, workspace=workspace_id, role=role):
            raise PermissionDenied(
                f"{action} needs the {role} role in this workspace; ask one of its admins to give it to you."
            )
