"""The web app's guards: where it may listen, the password login, the CSRF token of every form
and the response headers that keep pages from being framed or scripted."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from typing import TYPE_CHECKING

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import RedirectResponse, Response

from crawler.config import ConfigError

if TYPE_CHECKING:
    from starlette.middleware.base import RequestResponseEndpoint
    from starlette.requests import Request

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8470
PASSWORD_VARIABLE = "JAJAK_WEB_PASSWORD"
LOOPBACK_NAMES = ("localhost",)
# Paths served without a login: the form itself and the stylesheet it uses.
_OPEN_PATHS = ("/login", "/static/")
# No script and nothing from elsewhere: every page is plain HTML and our own stylesheet.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or localhost): reachable from this machine only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: whatever it resolves to, it may be reachable from elsewhere


def check_bind(host: str, password: str) -> None:
    """Refuse to listen beyond this machine without a password (ConfigError, exit 2)."""
    if not password and not is_loopback(host):
        raise ConfigError(
            f"--host {host}: set {PASSWORD_VARIABLE} to listen on an address other than 127.0.0.1 "
            "(without a password anyone who reaches it reads and judges the stored articles)"
        )


def allowed_hosts(host: str, password: str) -> list[str]:
    """Host headers the app answers. Bound to loopback without a password, only loopback names:
    a page elsewhere that rebinds its own DNS name to 127.0.0.1 gets no answer."""
    if password or not is_loopback(host):
        return ["*"]
    return ["127.0.0.1", "localhost", "::1", "[::1]"]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; every POST form carries it."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, submitted: object) -> bool:
    expected = request.session.get("csrf")
    return (isinstance(expected, str) and isinstance(submitted, str) and bool(expected)
            and hmac.compare_digest(expected.encode(), submitted.encode()))


def password_ok(given: object, password: str) -> bool:
    return bool(password) and isinstance(given, str) and hmac.compare_digest(given.encode(), password.encode())


def safe_next(target: object) -> str:
    """Where to go after the login: a path of this app, never another site (``//evil``)."""
    if isinstance(target, str) and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


class GuardMiddleware(BaseHTTPMiddleware):
    """Sends a visitor without a session to the login form (when a password is set) and adds the
    security headers to every answer."""

    def __init__(self, app: object, password: str) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.password = password

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        if self.password and not request.session.get("user") and not path.startswith(_OPEN_PATHS):
            wanted = path + (f"?{request.url.query}" if request.url.query else "")
            if request.method == "GET":
                response: Response = RedirectResponse(f"/login?next={_quote(wanted)}", status_code=303)
            else:
                response = Response("log in first", status_code=403, media_type="text/plain")
        else:
            response = await call_next(request)
        response.headers.update(_HEADERS)
        return response


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="")
