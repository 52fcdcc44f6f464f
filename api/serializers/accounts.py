from rest_framework import serializers

from accounts.models import Organisation

from .common import RefSerializer


class OrganisationSerializer(serializers.ModelSerializer):
    support_partner = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "customer_number", "kind", "country", "language", "support_partner"]
        read_only_fields = fields
