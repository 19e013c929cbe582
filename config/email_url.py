"""EMAIL_* settings from one EMAIL_URL (README "Configuration"), apart from the settings module
so they can be tested without configuring Django."""

from urllib.parse import urlsplit

import environ


def email_settings(url: str, *, debug: bool) -> dict[str, object]:
    """EMAIL_* from EMAIL_URL. `filemail:///tmp/mail` is the absolute path /tmp/mail (django-
    environ alone would drop the leading slash); `consolemail://` prints whole customer e-mails
    to the log, so it needs DEBUG."""
    config: dict[str, object] = environ.Env.email_url_config(url)
    if url.startswith("filemail://"):
        parts = urlsplit(url)
        config["EMAIL_FILE_PATH"] = f"{parts.netloc}{parts.path}" if parts.netloc else parts.path
        config["EMAIL_HOST"] = None
    if str(config["EMAIL_BACKEND"]).endswith("console.EmailBackend") and not debug:
        raise environ.ImproperlyConfigured("EMAIL_URL=consolemail:// needs DEBUG (use smtp://)")
    return config
