"""Client metadata (RFC 7591 §2, OpenID Connect Registration §2): ``fields`` checks each
field, ``rules`` checks the fields together, and ``validate_client_metadata`` runs both for
dynamic registration, the admin API and import alike.

A known field sent as JSON null counts as omitted. Unknown fields are kept as given (RFC 7591
§2: the server "MAY ignore" them); the fields this server does not act on yet are dropped
(``fields.NOT_ACTED_ON``). Problems raise ``InvalidRedirectURIError`` or
``InvalidClientMetadataError`` whose description names the field.
"""

from __future__ import annotations

import copy

from authlib.oauth2.rfc7591.errors import InvalidClientMetadataError

from ..clients import METADATA_DEFAULTS
from .fields import NOT_ACTED_ON, REFUSED_WHEN_TRUE, check_for, invalid
from .rules import (
    default_response_types,
    server_metadata,
    validate_authentication,
    validate_encryption,
    validate_grant_and_response_types,
    validate_redirect_uris,
    validate_scope,
    validate_sector_identifier,
)


def validate_client_metadata(metadata: dict) -> dict:
    """The clean metadata to store, or raise the RFC 7591 §3.2.2 error naming the field."""
    if not isinstance(metadata, dict):
        raise InvalidClientMetadataError("Client metadata must be a JSON object.")
    clean = {key: value for key, value in metadata.items()
             if not (value is None and check_for(key))}
    for field, value in clean.items():
        check = check_for(field)
        if check is not None:
            check(field, value)
    for field in REFUSED_WHEN_TRUE:
        if clean.get(field) is True:
            raise invalid(field, "this server does not bind access tokens yet")
    clean = {key: value for key, value in clean.items() if key not in NOT_ACTED_ON}
    clean = {**copy.deepcopy(METADATA_DEFAULTS), **default_response_types(clean), **clean}
    server = server_metadata()
    validate_grant_and_response_types(clean, server)
    validate_redirect_uris(clean)
    validate_authentication(clean, server)
    validate_encryption(clean)
    validate_scope(clean)
    validate_sector_identifier(clean)
    return clean
