"""Test settings: the real settings, with PostgreSQL required and fast password hashing."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/supportdesk")
# each parallel runner may point DATABASE_URL at its own database name (test_<name>)
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="supportdesk-media-"))

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# a worker subprocess that must reach a real SMTP server sets TEST_EMAIL_BACKEND (and EMAIL_URL)
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
API_BAD_KEY_RATE = ""  # counted per address, and every test client is 127.0.0.1: tests opt in
