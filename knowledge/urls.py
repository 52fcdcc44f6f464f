"""The knowledge base under /kb/ (namespace "knowledge")."""

from django.urls import path

from .views import manage, portal

app_name = "knowledge"

urlpatterns = [
    path("", portal.kb_index, name="index"),
    path("suggest/", portal.suggest, name="suggest"),
    path("solved/", portal.solved, name="solved"),
    path("manage/", manage.manage_list, name="manage"),
    path("manage/new/", manage.article_create, name="create"),
    path("from-ticket/<str:reference>/", manage.article_from_ticket, name="from_ticket"),
    path("<slug:slug>/", portal.article_detail, name="article"),
    path("<slug:slug>/edit/", manage.article_edit, name="edit"),
    path("<slug:slug>/history/", manage.article_history, name="history"),
    path("<slug:slug>/publish/", manage.article_publish, name="publish"),
    path("<slug:slug>/archive/", manage.article_archive, name="archive"),
    path("<slug:slug>/images/", manage.image_upload, name="image_upload"),
    path("<slug:slug>/images/<uuid:public_id>/", portal.article_image, name="image"),
]
