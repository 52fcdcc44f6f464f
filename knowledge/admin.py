from django.contrib import admin

from .models import Article, ArticleRevision, Category, FilingSession


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_de", "name_en", "position")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-only: articles are written in the knowledge base pages, through the services."""

    list_display = ("slug", "kind", "status", "visibility", "updated_at")
    list_filter = ("status", "kind", "visibility")
    search_fields = ("slug", "title_de", "title_en")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ("article", "number", "change", "author", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FilingSession)
class FilingSessionAdmin(admin.ModelAdmin):
    list_display = ("token", "organisation", "outcome", "started_at")
    list_filter = ("outcome",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
