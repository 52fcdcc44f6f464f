from django.contrib import admin

from .models import Product, Release


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_active")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Read-only: releases are created and published on the release pages (their services tell customers)."""

    list_display = ("product", "version", "is_security", "published_at")
    list_filter = ("product", "is_security")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
