from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok

CONTROL = "FDK-TLS-01"


@check(CONTROL, "every HTTP listener redirects to HTTPS 443 with 301")
def http_listeners_redirect(snap):
    r = params(CONTROL)["redirect"]
    want = (r["protocol"], str(r["port"]), r["status_code"])
    for listeners in snap.listeners.values():
        for listener in listeners:
            if listener.get("Protocol") != "HTTP":
                continue
            arn, actions = listener["ListenerArn"], listener.get("DefaultActions", [])
            redirects = [
                a.get("RedirectConfig", {}) for a in actions if a.get("Type") == "redirect"
            ]
            others = [a.get("Type") for a in actions if a.get("Type") != "redirect"]
            if others or not redirects:
                yield bad(
                    arn, f"port {listener.get('Port')} does {others or 'nothing'}, not a redirect"
                )
                continue
            rc = redirects[0]
            got = (rc.get("Protocol"), str(rc.get("Port")), rc.get("StatusCode"))
            if got == want:
                yield ok(arn, f"port {listener.get('Port')} redirects as {want}")
            else:
                yield bad(arn, f"redirect is {got}, expected {want}")
