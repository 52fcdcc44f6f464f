from . import access
from .navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": navigation_for(user, request.path),
        "user_is_agent": access.is_agent(user),
        "user_is_customer": access.is_customer(user),
    }
