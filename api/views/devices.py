"""Reports from devices and monitoring tools, authenticated by the device's own key only."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import services
from api.authentication import DeviceKeyAuthentication
from api.permissions import IsDevice
from api.serializers.devices import DeviceReportResultSerializer, DeviceReportSerializer
from api.services.devices import OPENED
from api.throttling import DeviceThrottle


class DeviceReportView(APIView):
    authentication_classes = [DeviceKeyAuthentication]
    permission_classes = [IsDevice]
    throttle_classes = [DeviceThrottle]
    request_serializers = {"POST": DeviceReportSerializer}  # for OPTIONS

    @extend_schema(
        summary="Report a device fault or its recovery",
        description="Authenticate with `Authorization: Device <key>`. Personal tokens and sign-ins are refused.",
        request=DeviceReportSerializer,
        responses={
            201: OpenApiResponse(DeviceReportResultSerializer, description="A ticket was opened."),
            200: OpenApiResponse(DeviceReportResultSerializer, description="Added to the open ticket, or ignored."),
        },
        examples=[OpenApiExample("Fault", value={"error_code": "E42", "level": "critical",
                                                 "message": "Drucker: Papierstau"}, request_only=True)],
    )
    def post(self, request):
        incoming = DeviceReportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        result = services.device_report(device=request.auth, **incoming.validated_data)
        body = {"action": result.action, "ticket": result.ticket.reference if result.ticket else None}
        return Response(body, status=status.HTTP_201_CREATED if result.action == OPENED else status.HTTP_200_OK)
