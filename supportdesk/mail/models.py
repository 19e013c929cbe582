"""Mailboxes the hub reads and every message read from them (raw bytes kept for audit)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from supportdesk.clients.models import ClientApplication
from supportdesk.core.models import TimeStampedModel
from supportdesk.tickets.models import Message, Ticket


class Transport(models.TextChoices):
    IMAP = "imap", _("IMAP")
    WEBHOOK = "webhook", _("provider webhook")


class ImapSecurity(models.TextChoices):
    TLS = "tls", _("TLS (IMAPS)")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("none (loopback or tests only)")


class ImapAuth(models.TextChoices):
    PASSWORD = "password", _("password")
    OAUTH2 = "oauth2", _("OAuth2 token (XOAUTH2)")


class Mailbox(TimeStampedModel):
    """An address customers write to. Its tickets belong to `client_app`. The password or
    OAuth2 token is never stored: `secret_env` names the environment variable holding it."""

    address = models.EmailField(_("address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    client_app = models.ForeignKey(
        ClientApplication,
        on_delete=models.PROTECT,
        related_name="mailboxes",
        verbose_name=_("client application"),
    )
    default_language = models.CharField(_("default language"), max_length=35, default="en")
    language_explicit = models.BooleanField(
        _("every ticket in the default language"),
        default=False,
        help_text=_("For a mailbox per language (support-nl@…): no detection."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    transport = models.CharField(
        _("how mail arrives"), max_length=10, choices=Transport.choices, default=Transport.IMAP
    )
    imap_host = models.CharField(_("IMAP host"), max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("IMAP security"), max_length=10, choices=ImapSecurity.choices, default=ImapSecurity.TLS
    )
    imap_user = models.CharField(_("IMAP user"), max_length=255, blank=True)
    imap_auth = models.CharField(
        _("IMAP sign-in"), max_length=10, choices=ImapAuth.choices, default=ImapAuth.PASSWORD
    )
    imap_folder = models.CharField(_("IMAP folder"), max_length=255, default="INBOX")
    secret_env = models.CharField(
        _("secret's environment variable"),
        max_length=100,
        blank=True,
        help_text=_("Name of the environment variable with the password or OAuth2 token."),
    )
    last_fetch_at = models.DateTimeField(_("last fetch"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        ordering = ("address",)
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.address


class Outcome(models.TextChoices):
    CREATED = "created", _("new ticket")
    APPENDED = "appended", _("added to a ticket")
    NOTED = "noted", _("automatic reply noted on a ticket")
    BOUNCE = "bounce", _("bounce recorded")
    SKIPPED = "skipped", _("skipped (automatic or own mail)")
    REFUSED = "refused", _("refused")


class InboundMessage(models.Model):
    """One message read from a mailbox. `message_id` is unique per mailbox, so a message read
    twice (a fetch that died before marking it seen, a webhook retried) is stored once."""

    # PROTECT: the log holds the raw mail behind tickets (audit); a mailbox that ever received
    # mail is disabled, not deleted (docs/mail.md)
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.PROTECT, related_name="messages", verbose_name=_("mailbox")
    )
    message_id = models.CharField(_("Message-ID"), max_length=255)
    sender = models.EmailField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    acknowledged = models.BooleanField(_("acknowledgement sent"), default=False)
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbound_emails",
        verbose_name=_("ticket"),
    )
    ticket_message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )
    raw = models.BinaryField(_("raw message (RFC 5322)"))
    html = models.TextField(_("sanitised HTML"), blank=True)
    full_text = models.TextField(_("full text (with quoted history)"), blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-received_at", "-id")
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "message_id"], name="inbound_message_id_per_mailbox"
            )
        ]
        indexes = [
            models.Index(fields=["sender", "outcome", "received_at"], name="inbound_sender_recent"),
            models.Index(fields=["message_id"], name="inbound_message_id"),
        ]

    def __str__(self) -> str:
        return self.message_id
