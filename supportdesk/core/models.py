from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True


def index_where_set(column: str, name: str) -> models.Index:
    """An index of `column` over the rows where it is not NULL: a row inserted without it
    writes no entry, and lookups by value or range (which imply NOT NULL) still use it."""
    return models.Index(fields=[column], condition=Q(**{f"{column}__isnull": False}), name=name)
