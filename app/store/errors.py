"""The two errors of the store API."""


class StoreError(Exception):
    pass


class NotFound(StoreError):
    """No such record (or it expired, or was already consumed)."""


class AlreadyExists(StoreError):
    """A record with that key exists already."""
