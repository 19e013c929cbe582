"""Languages the hub serves, with CLDR names in the reader's language. Managers edit them;
agents may look."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from supportdesk.languages import tags
from supportdesk.languages.models import Language


def language_label(tag: str) -> str:
    """`Dutch (nl)` in the active language; the tag alone when CLDR does not know it."""
    try:
        name = tags.display_name(tag, in_language=get_language() or settings.LANGUAGE_CODE)
    except tags.InvalidTag:
        return tag
    return f"{name} ({tag})"


class LanguageForm(forms.ModelForm[Language]):
    class Meta:
        model = Language
        fields = ("tag", "enabled", "fallbacks", "position")

    def clean_tag(self) -> str:
        return self._normalised(self.cleaned_data["tag"])

    def clean_fallbacks(self) -> list[str]:
        given = self.cleaned_data["fallbacks"] or []
        if not isinstance(given, list):
            raise forms.ValidationError(_('Give a list of language tags, e.g. ["es", "en"].'))
        return [self._normalised(str(tag)) for tag in given]

    @staticmethod
    def _normalised(tag: str) -> str:
        try:
            return tags.normalise(tag)
        except tags.InvalidTag as exc:
            raise forms.ValidationError(
                _("“%(tag)s” is not a valid BCP 47 language tag."), params={"tag": exc.tag}
            ) from exc


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin[Language]):
    form = LanguageForm
    list_display = ("tag", "name", "native_name", "enabled", "fallback_chain", "position")
    list_filter = ("enabled",)
    search_fields = ("tag",)
    ordering = ("position", "tag")

    @admin.display(description=_("name"))
    def name(self, language: Language) -> str:
        return language_label(language.tag)

    @admin.display(description=_("native name"))
    def native_name(self, language: Language) -> str:
        try:
            return tags.native_name(language.tag)
        except tags.InvalidTag:
            return language.tag

    @admin.display(description=_("fallback chain"))
    def fallback_chain(self, language: Language) -> str:
        return " → ".join([language.tag, *language.fallbacks])
