"""Secrets for people's API tokens and for devices: random, shown once, stored as a hash.

The two kinds carry different prefixes (`hdt_` for people, `hdd_` for devices), so a key of
the wrong kind is recognised and refused with a clear message instead of being looked up."""

import hashlib
import secrets

TOKEN_PREFIX = "hdt_"  # noqa: S105 (a prefix, not a secret)
DEVICE_PREFIX = "hdd_"
DISPLAY_LENGTH = 12  # how much of a key its owner sees again later


def key_generate(prefix: str) -> str:
    """A new random key: the kind's prefix and 43 URL-safe characters (256 bits)."""
    return prefix + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    """SHA-256 of the key. A fast hash is enough: the keys are long random strings, not
    passwords, and a request must not spend a password hash's time on each call."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_display(key: str) -> str:
    return key[:DISPLAY_LENGTH]
