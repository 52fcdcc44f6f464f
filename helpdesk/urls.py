from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from accounts.forms import LoginForm
from accounts.views import favicon, healthz, home
from api.errors import not_found as api_not_found
from notifications.password_reset import QueuedPasswordResetForm

admin.site.site_header = _("Helpdesk administration")
admin.site.site_title = _("Helpdesk")

auth_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("account/", include(auth_patterns)),
    path("account/", include("accounts.urls")),
    path("tickets/", include("tickets.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboard/", include("reports.urls")),
    path("privacy/", include("privacy.urls")),
    path("kb/", include("knowledge.urls")),
    path("releases/", include("products.urls")),
    path("chat/", include("chat.urls")),
    path("account/api-tokens/", include("api.token_urls")),
    path("mail/held/", include("api.held_urls")),
    path("account/notifications/", include("notifications.settings_urls")),
    path("api/v1/", include("api.urls")),
    re_path(r"^api(/[\s\S]*)?$", api_not_found),  # every other address under /api/: a JSON 404
    path("admin/", admin.site.urls),
    path("", include("sla.urls", namespace="sla")),
]
