"""`seed_macros`: the demo hub's macros from seeds/macros.json, in several languages; running it
again adds nothing and keeps a manager's edits."""

from io import StringIO

import pytest
from django.core.management import call_command

from supportdesk.macros.models import Macro, MacroVariant

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_macros", stdout=out)
    return out.getvalue()


def test_the_demo_macros_come_in_several_languages_and_a_second_run_adds_nothing() -> None:
    first = seed()

    assert first.startswith("seeded 4 new macros, ")
    assert first.count("\n") == 1
    languages = set(MacroVariant.objects.values_list("language", flat=True))
    assert {"en", "nl", "de", "fr", "es", "pt-BR", "pt", "ar", "ja"} <= languages
    note = Macro.objects.get(name="Escalate to billing")
    assert (note.internal, note.set_priority, note.add_tags) == (True, 3, ["billing"])

    dutch = MacroVariant.objects.get(macro__name="Order shipped", language="nl")
    dutch.body = "Aangepast door een manager."
    dutch.save()
    MacroVariant.objects.filter(macro__name="Refund issued", language="fr").delete()

    assert seed() == "seeded 0 new macros, 1 new texts\n"
    dutch.refresh_from_db()
    assert dutch.body == "Aangepast door een manager."
