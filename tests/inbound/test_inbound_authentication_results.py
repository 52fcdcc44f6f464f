"""Reading Authentication-Results (RFC 8601): only our servers' topmost block counts."""

import pytest

from api.inbound.trust import aligned, authentication_results_parse, authentication_verdict, trusted_results

TRUSTED = {"mx.helpdesk.example"}


def headers(*values: str, name="authentication-results") -> list[tuple[str, str]]:
    return [(name, value) for value in values]


def test_a_header_with_comments_versions_and_quoted_values_is_read():
    authserv_id, results = authentication_results_parse(
        'MX.Helpdesk.Example 1; (our server) spf=pass (sender SPF authorized) smtp.mailfrom="a;b@demo.example"; '
        'dkim=pass header.d=demo.example header.s=mail; dmarc/1=pass (p=reject dis=none) header.from=demo.example'
    )
    assert authserv_id == "mx.helpdesk.example"
    assert [(r.method, r.result) for r in results] == [("spf", "pass"), ("dkim", "pass"), ("dmarc", "pass")]
    assert results[0].properties == {"smtp.mailfrom": "a;b@demo.example"}
    assert results[2].properties == {"header.from": "demo.example"}


def test_no_result_and_garbage_yield_nothing():
    assert authentication_results_parse("mx.helpdesk.example; none") == ("mx.helpdesk.example", [])
    assert authentication_results_parse("") == ("", [])
    assert authentication_results_parse("((unbalanced") == ("", [])


def test_only_the_topmost_block_of_trusted_headers_counts():
    block = [
        ("delivered-to", "support@helpdesk.example"),
        ("authentication-results", "mx.helpdesk.example; dmarc=none header.from=demo.example"),
        ("authentication-results", "mx.helpdesk.example; spf=softfail smtp.mailfrom=demo.example"),
        ("received", "from evil.example by mx.helpdesk.example"),
        ("authentication-results", "mx.helpdesk.example; dmarc=pass header.from=demo.example"),
    ]
    assert [(r.method, r.result) for r in trusted_results(block, TRUSTED)] == [("dmarc", "none"), ("spf", "softfail")]
    assert trusted_results(block, set()) == []


def test_within_the_block_the_first_result_of_a_method_counts():
    verdict = authentication_verdict(
        headers("mx.helpdesk.example; dmarc=fail header.from=demo.example",
                "mx.helpdesk.example; dmarc=pass header.from=demo.example"),
        from_address="customer@demo.example", trusted_ids=TRUSTED,
    )
    assert verdict == "dmarc_fail"


@pytest.mark.parametrize(("value", "verdict"), [
    ("mx.helpdesk.example; dmarc=pass header.from=demo.example", "dmarc"),
    ("mx.helpdesk.example; dmarc=pass", "dmarc"),
    ("mx.helpdesk.example; dmarc=pass header.from=other.example", "not_authenticated"),
    ("mx.helpdesk.example; spf=pass smtp.mailfrom=customer@demo.example", "spf"),
    ("mx.helpdesk.example; spf=pass smtp.mailfrom=bounce.demo.example", "spf"),
    ("mx.helpdesk.example; spf=pass smtp.helo=demo.example", "not_authenticated"),
    ("mx.helpdesk.example; spf=fail smtp.mailfrom=demo.example", "not_authenticated"),
    ("mx.helpdesk.example; dmarc=fail; spf=pass smtp.mailfrom=demo.example", "dmarc_fail"),
    ("mx.helpdesk.example; dmarc=temperror; spf=pass smtp.mailfrom=demo.example", "spf"),
    ("mx.other.example; dmarc=pass header.from=demo.example", "no_trusted_result"),
])
def test_verdicts(value, verdict):
    assert authentication_verdict(headers(value), from_address="customer@demo.example", trusted_ids=TRUSTED) == verdict


@pytest.mark.parametrize(("domain", "from_domain", "expected"), [
    ("demo.example", "demo.example", True),
    ("mail.demo.example", "demo.example", True),
    ("demo.example", "sub.demo.example", True),
    ("evildemo.example", "demo.example", False),
    ("example", "demo.example", False),
    ("", "demo.example", False),
])
def test_relaxed_alignment(domain, from_domain, expected):
    assert aligned(domain, from_domain) is expected
