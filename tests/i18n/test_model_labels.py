"""Every field of our models has a translated label: the admin shows a field's verbose name in
forms, list headings and filters, and a name Django derives from the attribute ("client app",
"created at") stays English in every other language."""

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise


def _our_fields() -> list[tuple[str, object]]:
    return [
        (f"{model._meta.label}.{field.name}", field)
        for model in apps.get_models()
        if model.__module__.startswith("supportdesk.")
        for field in model._meta.get_fields()
        if hasattr(field, "verbose_name") and not getattr(field, "auto_created", False)
    ]


def test_every_field_label_goes_through_gettext() -> None:
    untranslatable = [
        name for name, field in _our_fields() if not isinstance(field.verbose_name, Promise)
    ]  # type: ignore[attr-defined]
    assert untranslatable == []


def test_a_mailbox_form_reads_in_german() -> None:
    from supportdesk.mail.models import Mailbox

    with translation.override("de"):
        labels = {
            f.name: str(f.verbose_name)
            for f in Mailbox._meta.get_fields()
            if hasattr(f, "verbose_name")
        }
    assert (labels["client_app"], labels["created_at"], labels["updated_at"]) == (
        "Client-Anwendung",
        "erstellt am",
        "aktualisiert am",
    )
