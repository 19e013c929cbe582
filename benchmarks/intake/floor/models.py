from django.db import models


class Note(models.Model):
    """The floor: one small row, nothing else (no auth, no throttle, no events)."""

    subject = models.CharField(max_length=255)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.subject
