class DomainError(Exception):
    """A rule of the domain was broken; views map it onto a message or a field."""


class NotAllowed(DomainError):
    pass


class Conflict(DomainError):
    """Someone saved a newer version of an answer since this form was loaded."""

    def __init__(self, conflicts: list) -> None:
        super().__init__("conflicting saves")
        self.conflicts = conflicts
