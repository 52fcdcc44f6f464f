"""What the demo's three months of history are made of: who files, about what, who answers, and
how the desk usually performs. Read by `tickets.demo_history`."""

from sla.choices import Category, Severity

WEEKS = 13  # about three months, ending the day before seeding
SEED = 18  # the random generator's seed: the same history for the same day

# requester, the agent who answers, tickets per weekday (mean), the hours (local) they file in
CUSTOMERS = [
    ("customer", "agent", 0.85, (8, 16)),
    ("us-customer", "us-agent", 0.4, (15, 22)),  # New York office hours, in Berlin time
    ("pos-customer", "agent", 0.5, (9, 19)),
    ("partner-customer", "partner-agent", 0.25, (8, 15)),
]

# The manager helps out now and then on the German desk.
STAND_INS = {"agent": "manager"}

FAULT_DETAILS = {
    "de": {
        "occurring_since": "heute früh",
        "impact": "Die Abteilung arbeitet eingeschränkt.",
    },
    "en": {
        "occurring_since": "this morning",
        "impact": "The team works around it for now.",
    },
}

# requester: [(subject, category, severity, affected system, description)]
TOPICS = {
    "customer": [
        ("Druckserver Halle 1 reagiert nicht", Category.FAULT, Severity.SEVERE, "Druckserver Halle 1",
         "Keine Arbeitskarten mehr seit dem Schichtwechsel."),
        ("Maschinendaten kommen verspätet an", Category.FAULT, Severity.MINOR, "BDE-Schnittstelle",
         "Die Stückzahlen erscheinen mit 20 Minuten Verzögerung."),
        ("Auftragsliste lädt sehr langsam", Category.FAULT, Severity.MINOR, "ProduktionsPlaner 7.2",
         "Das Öffnen der Auftragsliste dauert über eine Minute."),
        ("Fehler beim Buchen von Lagerbewegungen", Category.FAULT, Severity.SEVERE, "Lagermodul",
         "Umbuchungen brechen mit „Sperrkonflikt“ ab."),
        ("Wie exportiere ich die Stückliste?", Category.QUESTION, "", "",
         "Wir brauchen die Stückliste als CSV für den Einkauf."),
        ("Neue Kostenstelle anlegen", Category.CONFIGURATION, "", "",
         "Bitte die Kostenstelle 4711 „Instandhaltung“ anlegen."),
        ("Zusätzliche Lizenz Arbeitsvorbereitung", Category.ORDER, "", "",
         "Wir benötigen eine weitere Lizenz für die Arbeitsvorbereitung."),
    ],
    "us-customer": [
        ("Label service stops after restart", Category.FAULT, Severity.SEVERE, "Label service 3.4",
         "After the nightly restart the label service does not come back."),
        ("Tracking numbers missing on invoices", Category.FAULT, Severity.MINOR, "Invoicing",
         "Some invoices show an empty tracking number."),
        ("Scanner beeps twice on every parcel", Category.FAULT, Severity.MINOR, "Shipping station 1",
         "Every scan is confirmed twice; the parcel is counted once."),
        ("How do I change the default carrier?", Category.QUESTION, "", "",
         "We want UPS as the default carrier for Canada."),
        ("Add a user for the night shift", Category.CONFIGURATION, "", "",
         "Please add a shipping user for our night shift lead."),
    ],
    "pos-customer": [
        ("Kartenzahlung an Kasse 2 schlägt fehl", Category.FAULT, Severity.SEVERE, "Kasse 2, Filiale Bochum",
         "Jede Kartenzahlung endet mit „Terminal nicht erreichbar“."),
        ("Bondrucker schneidet nicht ab", Category.FAULT, Severity.MINOR, "Bondrucker Kasse 1",
         "Der Bon wird gedruckt, aber nicht abgeschnitten."),
        ("Artikelpreise nach Aktion nicht zurückgesetzt", Category.FAULT, Severity.MINOR, "Preispflege",
         "Die Aktionspreise gelten noch nach Aktionsende."),
        ("Tagesabschluss fehlt in der Zentrale", Category.DATA_LOSS, Severity.SEVERE, "Filialabgleich",
         "Der Tagesabschluss der Filiale Essen ist nicht angekommen."),
        ("Neue Warengruppe „Regional“", Category.CONFIGURATION, "", "",
         "Bitte eine Warengruppe für regionale Produkte anlegen."),
        ("Schulung für neue Filialleitung", Category.QUESTION, "", "",
         "Wann ist die nächste Schulung zum Kassenabschluss?"),
    ],
    "partner-customer": [
        ("Etiketten der Thekenwaage bleiben leer", Category.FAULT, Severity.SEVERE, "Thekenwaage 2",
         "Die Waage wiegt, aber das Etikett bleibt leer."),
        ("Kassenbon zeigt alte Adresse", Category.FAULT, Severity.MINOR, "Bon-Layout",
         "Auf dem Bon steht noch die alte Straße."),
        ("Wie lege ich Sonntagspreise an?", Category.QUESTION, "", "",
         "Sonntags sollen Brötchen 10 Cent mehr kosten."),
    ],
}

REPLIES = {
    "de": {
        "reaction": "Danke für Ihre Meldung, wir sehen uns das an und melden uns.",
        "question": "Können Sie uns sagen, seit wann genau das auftritt?",
        "answer": "Seit heute früh, etwa ab Schichtbeginn.",
        "resolution": "Die Ursache ist behoben; bitte prüfen Sie es bei sich.",
        "note": "Kunde telefonisch informiert.",
        "effort": "Analyse und Fernwartung",
    },
    "en": {
        "reaction": "Thank you for reporting this; we are looking into it.",
        "question": "Could you tell us since when exactly this happens?",
        "answer": "Since this morning, about when the shift started.",
        "resolution": "The cause is fixed; please check on your side.",
        "note": "Called the customer.",
        "effort": "Analysis and remote session",
    },
}

# How the desk performs: the share of reactions and resolutions later than their deadline, of
# tickets where the agent asks the customer something first, and of resolutions the customer
# confirms (the others stay resolved until the customer or the desk closes them).
LATE_REACTION, LATE_RESOLUTION, ASKS_FIRST, CONFIRMED = 0.08, 0.1, 0.3, 0.6
