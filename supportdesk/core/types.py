from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a client application (by id), a staff user, or nobody."""

    client_app_id: int | None = None
    user_id: int | None = None
    is_staff: bool = False
    is_manager: bool = False
