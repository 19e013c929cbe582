from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from benchmarks.intake.floor.models import Note


class NoteSerializer(serializers.ModelSerializer[Note]):
    class Meta:
        model = Note
        fields = ("id", "subject", "body", "created_at")


class NoteCreateView(generics.CreateAPIView[Note]):
    """A bare DRF create endpoint: the floor the ticket intake is measured against."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()
