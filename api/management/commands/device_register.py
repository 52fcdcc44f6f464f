"""Register a device of a customer organisation and print its key (shown this once)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from api.services import device_register


class Command(BaseCommand):
    help = "Register a device (or monitoring tool) for a customer and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("customer_number", help="The organisation's customer number, e.g. 30001.")
        parser.add_argument("name", help="A name people recognise, e.g. “Kasse 3, Filiale Köln”.")
        parser.add_argument("serial", help="The device's serial number or identifier.")

    def handle(self, *args, customer_number, name, serial, **options):
        organisation = Organisation.objects.filter(customer_number=customer_number).first()
        if organisation is None:
            raise CommandError(f"no organisation with customer number {customer_number}")
        try:
            device, key = device_register(organisation=organisation, name=name, serial=serial)
        except ValidationError as error:
            raise CommandError("; ".join(m for ms in error.message_dict.values() for m in ms)) from error
        self.stdout.write(f"Registered {device} for {organisation}. Its key (shown only now):")
        self.stdout.write(key)
