from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api.selectors import organisation_of
from api.serializers.accounts import OrganisationSerializer

from .base import PersonApiMixin


@extend_schema(summary="My organisation")
class OrganisationView(PersonApiMixin, generics.RetrieveAPIView):
    """The caller's own organisation."""

    serializer_class = OrganisationSerializer

    def get_object(self):
        return organisation_of(user=self.request.user)
