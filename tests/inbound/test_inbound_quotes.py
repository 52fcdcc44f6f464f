"""Quoted text and signatures are removed from replies; HTML becomes text."""

import pytest

from api.inbound.html_text import html_to_text
from api.inbound.quotes import quoted_text_strip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Geht wieder.\n\nAm Mo., 23. Nov. 2026 um 10:15 Uhr schrieb Helpdesk <h@x>:\n> Bitte testen.", "Geht wieder."),
        ("Works now.\n\nOn Mon, 23 Nov 2026 at 10:15, Helpdesk <h@x> wrote:\n> Please test.", "Works now."),
        ("Works now.\n\nOn Mon, 23 Nov 2026 at 10:15, Helpdesk\n<h@x> wrote:\n> Please test.", "Works now."),
        ("Ja.\n\n-----Ursprüngliche Nachricht-----\nVon: Helpdesk\nBetreff: Frage", "Ja."),
        ("Yes.\n\n-----Original Message-----\nFrom: Helpdesk", "Yes."),
        ("Nr. 4711\n\nVon: Helpdesk <h@x>\nGesendet: Montag\nAn: Jürgen\nBetreff: Frage\n\nWelche Nummer?", "Nr. 4711"),
        ("Danke!\n-- \nJürgen Müller\nStraße 1", "Danke!"),
        ("Antwort oben\n\n> zitiert\n> noch mehr\n", "Antwort oben"),
        ("> Frage 1\nAntwort 1\n> Frage 2\nAntwort 2", "> Frage 1\nAntwort 1\n> Frage 2\nAntwort 2"),
        ("> nur ein Zitat", "> nur ein Zitat"),  # nothing else: keep it rather than lose the mail
        ("Von mir aus gern.\nGesendet vom Handy", "Von mir aus gern.\nGesendet vom Handy"),
    ],
)
def test_quoted_text_strip(text, expected):
    assert quoted_text_strip(text) == expected


def test_html_quotes_are_dropped_only_when_asked():
    html = ('<div>Neue Antwort</div><div class="gmail_quote">On Mon wrote:<blockquote>Alt</blockquote></div>'
            '<div id="divRplyFwdMsg">Von: Helpdesk</div><p>Outlook-Zitat</p>')
    assert html_to_text(html, drop_quotes=True) == "Neue Antwort"
    full = html_to_text(html)
    assert "Alt" in full and "Outlook-Zitat" in full


def test_html_text_keeps_line_structure_and_entities():
    html = "<p>Zeile&nbsp;1<br>Zeile 2</p><table><tr><td>A</td><td>B</td></tr></table><p>&bdquo;Ende&ldquo;</p>"
    assert html_to_text(html) == "Zeile 1\nZeile 2\n\nA B\n\n„Ende“"


def test_broken_html_does_not_break_the_text():
    assert html_to_text("<div><p>offen<div>noch <b>fett</div></p> ende") == "offen\nnoch fett\n\nende"
