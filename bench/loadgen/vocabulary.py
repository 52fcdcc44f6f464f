"""The words and weights the load data is drawn from (German and US customers, mixed products).

Changing an entry or the order of a list changes the data a seed gives."""

from __future__ import annotations

from sla.choices import Category
from tickets.choices import Channel

PRODUCTS = [
    "ProduktionsPlaner 7.2", "Finanzmodul 7.3", "Lagerverwaltung 5.1", "Kassensystem K3", "Thekenwaage TW-2",
    "Etikettendruck 3.4", "ERP-Konnektor", "Zeiterfassung 2.0", "Prüfstand Süd", "Shipping station",
    "Label service 3.4", "Mobile Ableser-App", "Zählerstandsportal", "Druckserver Halle 2", "Stammdatenimport",
]
PROBLEMS_DE = [
    ("Fehler beim Speichern", "Beim Speichern erscheint „Zeitüberschreitung“ und die Änderungen gehen verloren."),
    ("Druckaufträge hängen", "Die Aufträge bleiben im Spooler auf „Wird gedruckt“ stehen."),
    ("Export bricht ab", "Der Export nach DATEV bricht bei großen Datenmengen ab."),
    ("Anmeldung schlägt fehl", "Mehrere Kollegen können sich seit heute früh nicht anmelden."),
    ("Daten fehlen nach Import", "Nach dem nächtlichen Import fehlen Artikel in der Übersicht."),
    ("Kasse startet nicht", "Die Kasse bleibt beim Startbild stehen; ein Neustart hilft nicht."),
    ("Waage überträgt keine Preise", "Die Thekenwaage zeigt noch die Preise der Vorwoche."),
    ("Bericht zeigt falsche Summen", "Der Monatsbericht weicht um wenige Cent von der Buchhaltung ab."),
    ("Frage zur Benutzerverwaltung", "Wie legen wir eine neue Kollegin mit eingeschränkten Rechten an?"),
    ("Lizenz für weiteren Arbeitsplatz", "Bitte eine weitere Lizenz für den Arbeitsplatz im Lager freischalten."),
]
PROBLEMS_EN = [
    ("Label printer drops jobs", "Roughly every tenth label never prints; no error is shown."),
    ("Nightly sync lost orders", "Orders entered yesterday are missing after the nightly sync."),
    ("Login fails for some users", "Several users cannot sign in since this morning."),
    ("Report totals are off", "The monthly report differs from accounting by a few cents."),
    ("How to add a station", "We are opening a second dock and need another shipping station."),
    ("Slow search in inventory", "Searching the inventory takes more than a minute since the update."),
]
REPLIES_DE = [
    "Wir haben uns verbunden und sehen den Fehler. Können Sie uns das Protokoll schicken?",
    "Bitte starten Sie den Dienst neu; wir beobachten das Verhalten.",
    "Die Korrektur ist eingespielt. Bitte prüfen Sie, ob alles wieder funktioniert.",
    "Danke, das Protokoll hilft uns weiter.",
]
REPLIES_EN = [
    "We connected and can see the fault. Could you send us the log?",
    "Please restart the service; we are watching the behaviour.",
    "The fix is installed. Please check that everything works again.",
    "Thanks, the log helps.",
]
NOTES = [
    "Spooler-Dienst hängt nach dem Update; Treiber zurückspielen.",
    "Reproduziert auf Testsystem, Ticket an Entwicklung.",
    "Connector log shows a timeout; checking the retry queue.",
]
CATEGORY_WEIGHTS = [(Category.FAULT, 50), (Category.QUESTION, 20), (Category.CONFIGURATION, 10),
                    (Category.ORDER, 10), (Category.DATA_LOSS, 10)]
CHANNEL_WEIGHTS = [(Channel.PORTAL, 55), (Channel.EMAIL, 25), (Channel.PHONE, 15), (Channel.DEVICE, 3),
                   (Channel.API, 2)]
WORK_TYPES = ["analysis", "remote", "communication", "configuration", "development", "on_site", "other"]

# Customer organisations and people (`customers`).
NAMES_DE = ["Müller", "Schröder", "Weiß", "Groß", "Bäcker", "Köhler", "Jäger", "Krüger", "Schäfer", "Fuß"]
KINDS_DE = ["Maschinenbau GmbH", "Handels GmbH & Co. KG", "Bäckerei", "Stadtwerke", "Logistik AG", "Apotheke"]
NAMES_US = ["Acme", "Baker", "Miller", "Carter", "Hudson", "Lincoln"]
KINDS_US = ["Tooling Inc.", "Logistics LLC", "Foods Corp.", "Retail Inc."]
FIRST_DE = ["Jürgen", "Käthe", "Özlem", "Grete", "Björn", "Sören", "Anja", "Lukas"]
LAST_DE = ["Müller", "Weiß", "Öztürk", "Schröder", "Größ", "Bär", "Hoffmann", "Wagner"]
FIRST_US = ["Jennifer", "Tom", "Maria", "James"]
LAST_US = ["Miller", "Baker", "Garcia", "Smith"]
