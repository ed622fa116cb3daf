"""``grant_type=password`` (RFC 6749 §4.3). Off unless a client lists it in its
``grant_types`` (RFC 9700 §2.4: it "MUST NOT be used"; kept for legacy apps under test), and
only for clients the admin manages: dynamic registration refuses it, and a client that
registered itself with it before that rule (it still holds a registration access token) is
refused here.

RFC 6749 §10.10: https://www.rfc-editor.org/rfc/rfc6749#section-10.10 -- failed attempts
count against the login form's throttle (``login_throttle``): same username and address,
same settings, one counter.
"""

from authlib.oauth2.rfc6749 import InvalidGrantError, UnauthorizedClientError, grants
from flask import current_app, request

from ...events import emit
from ..login_throttle import failed_sign_ins, wait_message
from .base import Grant


class ThrottledError(InvalidGrantError):
    """§5.2 has no code for "wait": invalid_grant (400, as §5.2 requires), with the wait in
    the description and a ``Retry-After`` header (RFC 9110 §10.2.3) a client may honour."""

    def __init__(self, wait: int):
        super().__init__(wait_message(wait))
        self.wait = wait

    def get_headers(self):
        return [*super().get_headers(), ("Retry-After", str(self.wait))]


class PasswordGrant(Grant, grants.ResourceOwnerPasswordCredentialsGrant):
    def authenticate_token_endpoint_client(self):
        """The authenticated client; one that registered itself may not use this grant."""
        client = super().authenticate_token_endpoint_client()
        if (client.check_grant_type(self.GRANT_TYPE)
                and current_app.store.check_registered_dynamically(client.client_id)):
            raise UnauthorizedClientError(
                "The password grant is only for clients created or enabled in the admin.")
        return client

    def authenticate_user(self, username: str, password: str):
        """§4.3.2: "validate the resource owner password credentials"; §10.10: throttled
        attempts are refused before the password is checked. Wrong credentials are
        invalid_grant (§5.2: "resource owner credentials [...] invalid")."""
        settings, failures = current_app.settings, failed_sign_ins()
        limits = (settings.login_max_failures, settings.login_failure_window)
        address, client_id = request.remote_addr or "", self.request.client.client_id
        wait = failures.retry_after(username, address, *limits)
        if wait is not None:
            emit("login.throttled", username=username[:100], ip=address, client_id=client_id,
                 grant_type=self.GRANT_TYPE, retry_after=wait)
            raise ThrottledError(wait)
        user = current_app.store.authenticate_user(username, password)
        if user is None:
            failures.record(username, address, *limits)
            emit("login.failed", username=username[:100], ip=address, client_id=client_id,
                 grant_type=self.GRANT_TYPE)
            raise InvalidGrantError("Invalid 'username' or 'password' in request.")
        failures.clear(username, address)
        return user
