"""POST actions of the web app beyond judging a story: the deliveries page's "send test message",
which sends what `jajak notify --test` sends (alerts.send_test) to one configured channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, RedirectResponse, Response

import alerts
from crawler.web.security import csrf_ok

if TYPE_CHECKING:
    from starlette.requests import Request

    from crawler.config import Config

# The session key holding the last test's outcome, shown once by the deliveries page.
TESTED = "tested"


def configured_channels(config: Config) -> list[alerts.Channel]:
    """The channels of JAJAK_NOTIFY / JAJAK_APPRISE_CONFIG; raises ValueError (masked) if one is bad."""
    return alerts.load_channels(config.notify, config.apprise_config, timeout=config.notify_timeout.total_seconds())


async def send_test(request: Request, config: Config) -> Response:
    """Send the test message to the channel numbered by the form, then back to /deliveries
    (post/redirect/get: reloading the page does not send again)."""
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return PlainTextResponse("the form's token is missing or stale: reload the page", status_code=403)
    try:
        channels = await run_in_threadpool(configured_channels, config)
        channel = channels[int(str(form.get("channel", "")))]
    except (ValueError, IndexError):
        return PlainTextResponse("no such channel: reload the deliveries page", status_code=400)
    outcome = await run_in_threadpool(alerts.send_test, channel)
    state = "sent" if outcome.ok else f"failed: {outcome.error}"
    if outcome.uncertain:
        state += " (the request went out: it may still arrive)"
    # Only the masked display and the masked error go into the (signed, not encrypted) cookie.
    request.session[TESTED] = {"ok": outcome.ok, "line": f"Test message to {channel.kind} {channel.display}: {state}"}
    return RedirectResponse("/deliveries", status_code=303)
