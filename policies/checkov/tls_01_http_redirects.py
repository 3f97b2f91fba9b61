from fdk_base import FdkCheck, get, items, params


class HttpListenerRedirectsToHttps(FdkCheck):
    CONTROL = "FDK-TLS-01"
    NAME = "ALB HTTP listener redirects to HTTPS 443 with 301"
    TYPES = ("aws_lb_listener", "aws_alb_listener")

    def problems(self, conf):
        if get(conf, "protocol") != "HTTP":
            return None
        want = params(self.CONTROL)["redirect"]
        out = []
        for action in items(conf, "default_action"):
            if get(action, "type") != "redirect":
                out.append(f"default action {get(action, 'type')!r}, not a redirect")
                continue
            got = {k: str(get(action, "redirect", k)) for k in want}
            if got != {k: str(v) for k, v in want.items()}:
                out.append(f"redirects to {got}, not {want}")
        return out


check = HttpListenerRedirectsToHttps()
