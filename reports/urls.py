"""The manager dashboard and the monthly reports, under /dashboard/ (namespace "dashboard")."""

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("export/<slug:table>.csv", views.dashboard_export, name="export"),
    path("sla-audit/", views.sla_audit, name="sla_audit"),
    path("sla-audit/csv/", views.sla_audit_csv, name="sla_audit_csv"),
    path("monthly/", views.monthly_index, name="monthly"),
    path("deflection/", views.deflection, name="deflection"),
    path("monthly/<str:customer_number>/<int:year>/<int:month>/", views.monthly_report_page, name="monthly_report"),
    path("monthly/<str:customer_number>/<int:year>/<int:month>/csv/", views.monthly_report_csv, name="monthly_csv"),
]
