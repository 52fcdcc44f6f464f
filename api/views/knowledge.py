"""Knowledge base articles (read: what the caller may read; write: agents; publish: managers) and
product releases (read: published ones, agents all; create and publish: managers)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import access
from api.errors import RuleRefusal
from api.serializers.knowledge import (
    ArticleChangeSerializer,
    ArticleSerializer,
    ArticleWriteSerializer,
    ReleaseCreateSerializer,
    ReleaseSerializer,
)
from knowledge import selectors as kb_selectors
from knowledge import services as kb_services
from knowledge.models import Category
from knowledge.rules import audience_organisations_for
from knowledge.search import articles_search
from products import selectors as product_selectors
from products import services as product_services
from products.models import Product

from .base import PersonApiMixin

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")
RELEASE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
QUERY = OpenApiParameter(
    "q", {"type": "string", "maxLength": 200}, OpenApiParameter.QUERY, required=False,
    description="Words to search for (all must occur); the best matches first.",
)
LIST_LIMIT = 100
WRITE_ERRORS = {403: OpenApiResponse(description="Agents only."),
                422: OpenApiResponse(description="A rule refuses it (e.g. no title and text in any language).")}


def _references(user, data: dict, article=None) -> dict:
    """The write body as the service takes it: objects for the category and the organisations;
    a name that names nothing the caller may use is a rule's refusal (422)."""
    fields = {name: data[name] for name in ("kind", "visibility", "title_de", "body_de", "title_en", "body_en")
              if name in data}
    if "category" in data:
        fields["category"] = None
        if data["category"]:
            fields["category"] = Category.objects.filter(slug=data["category"]).first()
            if fields["category"] is None:
                raise RuleRefusal({"category": [_("There is no such category.")]})
    if "organisations" in data:
        wanted = set(data["organisations"])
        found = list(audience_organisations_for(user).filter(pk__in=wanted))
        if len(found) != len(wanted):
            raise RuleRefusal({"organisations": [
                _("You can restrict articles only to your own organisation and the customers you support.")]})
        fields["organisations"] = found
    if article is not None:
        current = {name: getattr(article, name) for name in ("kind", "visibility", "title_de", "body_de",
                                                              "title_en", "body_en")}
        current.update(category=article.category, organisations=list(article.organisations.all()))
        fields = {**current, **fields}
    return fields


def _require_writer(user) -> None:
    if not access.is_agent(user):
        raise exceptions.PermissionDenied(_("Only agents write articles."))


@extend_schema_view(
    list=extend_schema(summary="List or search knowledge base articles", parameters=[QUERY],
                       description="Published articles the caller may read (agents: every status), "
                                   f"at most {LIST_LIMIT}; with `q`, the best matches first."),
    retrieve=extend_schema(summary="Read an article", parameters=[SLUG]),
    create=extend_schema(summary="Write an article (a draft)", request=ArticleWriteSerializer,
                         responses={201: ArticleSerializer, **WRITE_ERRORS}),
    partial_update=extend_schema(summary="Change an article", parameters=[SLUG], request=ArticleChangeSerializer,
                                 responses={200: ArticleSerializer, **WRITE_ERRORS}),
    publish=extend_schema(summary="Publish an article (managers)", parameters=[SLUG], request=None,
                          responses={200: ArticleSerializer, 403: OpenApiResponse(description="Managers only.")}),
)
class ArticleViewSet(PersonApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = ArticleSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]
    request_serializers = {"POST": ArticleWriteSerializer, "PATCH": ArticleChangeSerializer}  # for OPTIONS

    def _readable(self):
        user = self.request.user
        visible = kb_selectors.articles_visible_to(user=user)
        readable = visible if access.is_agent(user) else kb_selectors.articles_readable_by(user=user)
        return readable.select_related("category")

    def get_queryset(self):
        return self._readable()

    def get_object(self):
        return kb_selectors.article_get_for_user(user=self.request.user, slug=self.kwargs["slug"])

    def list(self, request, *args, **kwargs):
        query = request.query_params.get("q", "")[:200]
        if query.strip():
            hits = articles_search(articles=self._readable(), text=query, language=get_language() or "en",
                                   limit=LIST_LIMIT)
            articles = [hit.article for hit in hits]
        else:
            articles = list(self._readable().order_by("-updated_at", "-pk")[:LIST_LIMIT])
        return Response(ArticleSerializer(articles, many=True).data)

    def create(self, request, *args, **kwargs):
        _require_writer(request.user)
        incoming = ArticleWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        fields = {"kind": "howto", "visibility": "customers", **_references(request.user, incoming.validated_data)}
        article = kb_services.article_create(actor=request.user, now=timezone.now(), **fields)
        return Response(ArticleSerializer(article).data, status=status.HTTP_201_CREATED,
                        headers={"Location": request.build_absolute_uri(f"{article.slug}/")})

    def partial_update(self, request, *args, **kwargs):
        _require_writer(request.user)
        article = self.get_object()
        incoming = ArticleChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        article, _changed = kb_services.article_update(
            article=article, actor=request.user, now=timezone.now(),
            **_references(request.user, incoming.validated_data, article=article),
        )
        return Response(ArticleSerializer(article).data)

    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        if not access.is_manager(request.user):
            raise exceptions.PermissionDenied(_("Only managers publish and archive articles."))
        article, _changed = kb_services.article_publish(article=self.get_object(), actor=request.user,
                                                        now=timezone.now())
        return Response(ArticleSerializer(article).data)


@extend_schema_view(
    list=extend_schema(summary="List product releases",
                       description="Published releases, newest first (agents: also those not yet published)."),
    retrieve=extend_schema(summary="Read a release", parameters=[RELEASE_ID]),
    create=extend_schema(summary="Add a release (managers)", request=ReleaseCreateSerializer,
                         responses={201: ReleaseSerializer, 403: OpenApiResponse(description="Managers only."),
                                    422: OpenApiResponse(description="A rule refuses it.")}),
    publish=extend_schema(summary="Publish a release (managers): tells the requesters waiting for its fix",
                          parameters=[RELEASE_ID], request=None,
                          responses={200: ReleaseSerializer, 403: OpenApiResponse(description="Managers only.")}),
)
class ReleaseViewSet(PersonApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    serializer_class = ReleaseSerializer
    lookup_value_regex = r"[0-9]{1,18}"
    pagination_class = None
    http_method_names = ["get", "post", "head", "options"]
    request_serializers = {"POST": ReleaseCreateSerializer}  # for OPTIONS

    def get_queryset(self):
        return product_selectors.releases_visible_to(user=self.request.user).order_by(
            "-published_at", "-created_at", "-pk")

    def list(self, request, *args, **kwargs):
        return Response(ReleaseSerializer(self.get_queryset()[:LIST_LIMIT], many=True).data)

    def create(self, request, *args, **kwargs):
        if not access.is_manager(request.user):
            raise exceptions.PermissionDenied(_("Only managers create and publish releases."))
        incoming = ReleaseCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        product = Product.objects.filter(slug=data.pop("product"), is_active=True).first()
        if product is None:
            raise RuleRefusal({"product": [_("There is no such product.")]})
        release = product_services.release_create(actor=request.user, now=timezone.now(), product=product, **data)
        return Response(ReleaseSerializer(release).data, status=status.HTTP_201_CREATED,
                        headers={"Location": request.build_absolute_uri(f"{release.pk}/")})

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        if not access.is_manager(request.user):
            raise exceptions.PermissionDenied(_("Only managers create and publish releases."))
        release, _published = product_services.release_publish(release=self.get_object(), actor=request.user,
                                                                now=timezone.now())
        return Response(ReleaseSerializer(release).data)
