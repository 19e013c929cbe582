"""factory_boy factories. Agents get skills through `skills=[...]` (tags, fluent)."""

from collections.abc import Sequence
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.clients.models import ClientApplication
from supportdesk.languages.tags import primary
from supportdesk.tickets.models import Customer, Message, Ticket


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    status = Agent.Status.ONLINE
    last_seen = factory.LazyFunction(timezone.now)
    capacity = 5
    load = 0

    @factory.post_generation
    def skills(self, create: bool, extracted: Sequence[str] | None, **kwargs: Any) -> None:
        for tag in extracted or ():
            tag_name, _, level = tag.partition(":")
            AgentLanguage.objects.create(
                agent=self,
                tag=tag_name,
                language_base=primary(tag_name),
                proficiency=level or AgentLanguage.Proficiency.FLUENT,
            )


class ClientAppFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientApplication
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"client-app-{n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    client_app = factory.SubFactory(ClientAppFactory)
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    name = factory.Sequence(lambda n: f"Customer {n}")


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    customer = factory.SubFactory(CustomerFactory)
    client_app = factory.SelfAttribute("customer.client_app")
    subject = factory.Sequence(lambda n: f"Question {n}")
    language = "en"
    language_source = "explicit"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    author_kind = "customer"
    body = "Hello"
