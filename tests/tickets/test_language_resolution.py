# ruff: noqa: RUF001 - the texts are written in their own scripts
"""The language of a new ticket (DESIGN §4): explicit → customer → header → detected → default.

`resolve_language` is pure; `ticket_language`/`ticket_create` run on PostgreSQL with the
languages the data migration enables and the real offline detector.
"""

from __future__ import annotations

from typing import cast

import pytest
from django.test import override_settings

from supportdesk.clients.models import ClientApplication
from supportdesk.languages.models import Language
from supportdesk.languages.resolution import Detected, resolve_language
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.models import Ticket, TicketEvent
from supportdesk.tickets.services import MIN_DETECTION_CONFIDENCE, ticket_create, ticket_language
from tests.factories import ClientAppFactory

NOTHING: dict[str, object] = {
    "explicit": None,
    "customer_locale": None,
    "negotiated": None,
    "detected": None,
    "default": "en",
    "min_confidence": 0.5,
}


# --- the pure chain --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "tag", "source"),
    [
        ({"explicit": "pt-BR", "customer_locale": "nl", "negotiated": "de"}, "pt-BR", "explicit"),
        ({"customer_locale": "nl", "negotiated": "de"}, "nl", "customer"),
        ({"negotiated": "de", "detected": Detected("fr", 0.99)}, "de", "header"),
        ({"detected": Detected("fr", 0.91)}, "fr", "detected"),
        ({"detected": Detected("fr", 0.5)}, "fr", "detected"),  # the threshold is inclusive
        ({"detected": Detected("fr", 0.49)}, "en", "default"),
        ({}, "en", "default"),
    ],
)
def test_resolve_language_takes_the_first_step_that_applies(
    given: dict[str, object], tag: str, source: str
) -> None:
    resolved = resolve_language(**{**NOTHING, **given})  # type: ignore[arg-type]
    assert (resolved.tag, resolved.source) == (tag, source)


def test_only_a_detected_language_carries_a_confidence() -> None:
    detected = resolve_language(**{**NOTHING, "detected": Detected("ja", 0.87)})  # type: ignore[arg-type]
    assert detected.confidence == 0.87
    explicit = resolve_language(**{**NOTHING, "explicit": "ja"})  # type: ignore[arg-type]
    assert explicit.confidence is None


# --- through the service, on PostgreSQL --------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _new(
    subject: str,
    body: str,
    *,
    language: str | None = None,
    locale: str = "",
    country: str = "",
    email: str = "customer@example.com",
) -> NewTicket:
    customer = NewCustomer(email=email, name="Customer", locale=locale, country=country)
    return NewTicket(subject=subject, body=body, customer=customer, language=language)


def _create(new: NewTicket, *, accept_language: str | None = None) -> Ticket:
    client_app = cast("ClientApplication", ClientAppFactory())  # type: ignore[no-untyped-call]
    ticket, created = ticket_create(client_app=client_app, new=new, accept_language=accept_language)
    assert created
    ticket.refresh_from_db()
    return ticket


@pytestmark_db
def test_explicit_language_wins_over_everything() -> None:
    new = _new("Où est mon colis ?", "Toujours rien reçu.", language="pt-BR", locale="nl-NL")
    ticket = _create(new, accept_language="de")
    assert (ticket.language, ticket.language_source, ticket.language_confidence) == (
        "pt-BR",
        "explicit",
        None,
    )


@pytestmark_db
@pytest.mark.parametrize(
    ("locale", "tag"),
    [("nl-NL", "nl"), ("nl", "nl"), ("zh-TW", "zh-Hant"), ("pt-AO", "pt-PT"), ("no", "nb")],
)
def test_customer_locale_maps_to_the_enabled_language(locale: str, tag: str) -> None:
    new = _new("Where is my parcel?", "Still nothing after two weeks.", locale=locale)
    ticket = _create(new, accept_language="de")
    assert (ticket.language, ticket.language_source) == (tag, "customer")


@pytestmark_db
def test_a_valid_locale_nobody_serves_is_kept_as_given() -> None:
    new = _new("Gde je moj paket?", "Još uvek ništa.", locale="sr-Latn")
    ticket = _create(new)
    assert (ticket.language, ticket.language_source) == ("sr-Latn", "customer")


@pytestmark_db
@pytest.mark.parametrize(
    ("header", "tag"),
    [
        ("de-AT,de;q=0.9,en;q=0.5", "de"),
        ("zh-TW,zh;q=0.9,en;q=0.5", "zh-Hant"),
        ("sr, fr;q=0.4", "fr"),
        ("pt-BR", "pt-BR"),
    ],
)
def test_accept_language_is_negotiated_when_the_customer_has_no_locale(
    header: str, tag: str
) -> None:
    new = _new("Where is my parcel?", "Still nothing after two weeks.")
    ticket = _create(new, accept_language=header)
    assert (ticket.language, ticket.language_source) == (tag, "header")


# Written for this test (not the corpus): (expected tag, customer country, subject, body).
DETECTED = [
    (
        "de",
        "DE",
        "Paket beschädigt angekommen",
        "Der Karton war eingedrückt und die Tasse darin ist zerbrochen. Ich hätte gern Ersatz.",
    ),
    (
        "fr",
        "FR",
        "Abonnement résilié mais toujours facturé",
        "J'ai résilié mon abonnement le mois dernier, pourtant on m'a encore prélevé 14,99 €.",
    ),
    (
        "es",
        "MX",
        "No puedo descargar mi factura",
        "Cuando le doy clic a descargar la factura de febrero, la página se queda en blanco.",
    ),
    (
        "pt-BR",
        "BR",
        "Produto veio com defeito",
        "A tela do celular chegou trincada. Vocês podem trocar ou me devolver o dinheiro?",
    ),
    (
        "pt-PT",
        "PT",
        "Fatura com valor errado",
        "A fatura deste mês tem um valor superior ao do meu tarifário. Podem corrigir, por favor?",
    ),
    (
        "it",
        "IT",
        "Pacco consegnato al vicino sbagliato",
        "Il corriere ha lasciato il pacco a un vicino che non conosco. Come posso recuperarlo?",
    ),
    (
        "nl",
        "BE",
        "Levering op verkeerde dag",
        "Ik koos levering op zaterdag, maar de koerier kwam vandaag toen niemand thuis was.",
    ),
    (
        "pl",
        "PL",
        "Nie działa płatność BLIK",
        "Przy próbie zapłaty kodem BLIK strona wyświetla błąd i zamówienie nie zostaje złożone.",
    ),
    (
        "sv",
        "SE",
        "Fel vara i paketet",
        "Jag beställde en svart ryggsäck men fick en röd väska. Hur gör jag för att byta?",
    ),
    (
        "tr",
        "TR",
        "Kargo ücreti iki kez alındı",
        "Siparişimde kargo ücreti iki kere yansıtılmış. Fazla ücretin iadesini rica ederim.",
    ),
    (
        "ru",
        "RU",
        "Не приходит письмо для сброса пароля",
        "Я уже три раза запрашивал ссылку для сброса пароля, но письмо так и не пришло.",
    ),
    (
        "uk",
        "UA",
        "Товар прийшов пошкодженим",
        "Коробка була м'ята, а чашка всередині розбита. Прошу замінити товар або повернути гроші.",
    ),
    (
        "el",
        "GR",
        "Λάθος χρέωση στο τιμολόγιο",
        "Στο τιμολόγιο του Μαΐου υπάρχει μια χρέωση που δεν αναγνωρίζω. Μπορείτε να το ελέγξετε;",
    ),
    (
        "ar",
        "SA",
        "الطلب وصل ناقصاً",
        "وصلني الطلب اليوم لكن ينقصه الشاحن. أرجو إرسال القطعة الناقصة في أقرب وقت.",
    ),
    (
        "he",
        "IL",
        "המשלוח התעכב מאוד",
        "ההזמנה הייתה אמורה להגיע לפני שבוע ועדיין לא קיבלתי שום עדכון. מה קורה איתה?",
    ),
    (
        "ja",
        "JP",
        "領収書の宛名を変更したい",
        "先週購入した商品の領収書の宛名を会社名に変更していただけますか。よろしくお願いします。",
    ),
    (
        "ko",
        "KR",
        "교환 신청을 했는데 연락이 없어요",
        "지난주에 교환 신청을 했는데 아직 회수 기사님 연락이 없습니다. 확인 부탁드립니다.",
    ),
    (
        "zh-Hans",
        "CN",
        "申请退货后一直没有人联系我",
        "我上周申请了退货，但是到现在还没有快递员上门取件，请尽快帮我处理。",
    ),
    (
        "zh-Hant",
        "TW",
        "申請退貨後一直沒有人聯絡我",
        "我上禮拜申請了退貨，但是到現在還沒有人來收件，麻煩盡快幫我處理。",
    ),
    (
        "hi",
        "IN",
        "रिफंड की स्थिति बताइए",
        "मैंने पिछले हफ़्ते जूते वापस किए थे, लेकिन अभी तक रिफंड नहीं मिला है। कृपया जांच करें।",
    ),
    (
        "th",
        "TH",
        "สั่งของไปแล้วแต่ยังไม่ได้รับ",
        "สั่งรองเท้าไปตั้งแต่วันศุกร์ แต่จนถึงตอนนี้ยังไม่มีการอัปเดตสถานะเลย รบกวนตรวจสอบให้ด้วยค่ะ",
    ),
    (
        "vi",
        "VN",
        "Không áp dụng được mã giảm giá",
        "Tôi nhập mã giảm giá nhưng hệ thống báo mã không hợp lệ, dù mã vẫn còn hạn sử dụng.",
    ),
    (
        "id",
        "ID",
        "Barang yang diterima rusak",
        "Layar tablet yang saya terima retak di sudut kanan. Mohon dibantu untuk penggantian.",
    ),
]


@pytestmark_db
@pytest.mark.parametrize(
    ("tag", "country", "subject", "body"), DETECTED, ids=[d[0] for d in DETECTED]
)
def test_detected_from_subject_and_body(tag: str, country: str, subject: str, body: str) -> None:
    ticket = _create(_new(subject, body, country=country))
    assert (ticket.language, ticket.language_source) == (tag, "detected")
    assert ticket.language_confidence is not None
    assert MIN_DETECTION_CONFIDENCE <= ticket.language_confidence <= 1
    event = TicketEvent.objects.get(ticket=ticket, kind="language_set")
    assert event.data == {
        "language": tag,
        "source": "detected",
        "confidence": ticket.language_confidence,
    }


@pytestmark_db
@pytest.mark.parametrize(("subject", "body"), [("ok 123", "ok"), ("12345", "👍👍"), ("???", "!!!")])
def test_text_without_a_confident_language_gets_the_default(subject: str, body: str) -> None:
    ticket = _create(_new(subject, body))
    assert (ticket.language, ticket.language_source, ticket.language_confidence) == (
        "en",
        "default",
        None,
    )


@pytestmark_db
def test_the_default_is_the_configured_one() -> None:
    with override_settings(DEFAULT_LANGUAGE="nl"):
        resolved = ticket_language(new=_new("ok 123", "ok"), accept_language=None)
    assert (resolved.tag, resolved.source) == ("nl", "default")


@pytestmark_db
def test_detection_only_answers_enabled_languages() -> None:
    Language.objects.exclude(tag__in=["en", "nl"]).update(enabled=False)
    new = _new("Paket beschädigt angekommen", "Der Karton war eingedrückt, die Tasse zerbrochen.")
    resolved = ticket_language(new=new, accept_language=None)
    assert resolved.tag in {"en", "nl"}
