"""Markdown is rendered, then sanitised: nothing active, nothing remote."""

from tickets.markdown import render_markdown


def test_formatting_survives():
    html = render_markdown("**fett** und *kursiv*\n\n- eins\n- zwei\n\n`code`")
    assert "<strong>fett</strong>" in html and "<em>kursiv</em>" in html
    assert "<li>eins</li>" in html and "<code>code</code>" in html


def test_scripts_and_handlers_are_removed():
    html = render_markdown('<script>alert(1)</script><b onclick="alert(2)">x</b><iframe src="https://x"></iframe>')
    assert "script" not in html and "alert" not in html and "onclick" not in html and "iframe" not in html


def test_images_are_dropped_remote_and_inline():
    html = render_markdown('![Logo](https://tracker.example/pixel.png) <img src="https://evil.example/x.png">')
    assert "<img" not in html and "tracker.example" not in html and "evil.example" not in html


def test_only_safe_link_schemes_and_no_referrer():
    html = render_markdown("[a](javascript:alert(1)) [b](https://nordlicht.example/hilfe) [c](data:text/html,x)")
    assert "javascript:" not in html and "data:" not in html
    assert 'href="https://nordlicht.example/hilfe"' in html
    assert "noopener" in html and "noreferrer" in html and "nofollow" in html


def test_umlauts_and_empty_text():
    assert "Größe" in render_markdown("Größe")
    assert render_markdown("") == ""
