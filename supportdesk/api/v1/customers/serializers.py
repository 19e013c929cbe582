from typing import Any

from rest_framework import serializers

from supportdesk.privacy.models import ExportJob, ExportStatus


class CustomerRequestSerializer(serializers.Serializer[dict[str, Any]]):
    email = serializers.EmailField(max_length=254)
    client_application = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Staff only (required for them): the client application whose customer this "
        "is. A client application's own key names it.",
    )


class ErasureInputSerializer(CustomerRequestSerializer):
    dry_run = serializers.BooleanField(
        default=False, help_text="List what would change, change nothing."
    )
    force = serializers.BooleanField(
        default=False, help_text="Managers only: erase even with open tickets."
    )


class ErasureOutputSerializer(serializers.Serializer[dict[str, Any]]):
    pseudonym = serializers.CharField(help_text="What stands for the customer from now on.")
    dry_run = serializers.BooleanField()
    already_erased = serializers.BooleanField()
    tickets = serializers.IntegerField(help_text="Tickets whose content is (would be) erased.")
    changes = serializers.DictField(
        child=serializers.IntegerField(), help_text="Rows or files changed, per kind of data."
    )


class ExportInputSerializer(CustomerRequestSerializer):
    include_internal = serializers.BooleanField(
        default=False, help_text="Managers only: include agents' internal notes."
    )


class ExportJobSerializer(serializers.ModelSerializer[ExportJob]):
    status = serializers.ChoiceField(choices=ExportStatus.choices, read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="A signed link, valid until `expires_at`; null until the export is done."
    )

    class Meta:
        model = ExportJob
        fields = ("id", "status", "include_internal", "created_at", "finished_at", "expires_at",
                  "size", "download_url")  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, job: ExportJob) -> str | None:
        from supportdesk.privacy.links import export_link

        return export_link(job=job)
