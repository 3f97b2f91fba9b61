from fdk_base import FdkCheck, get, items


class HttpListenerRedirectsToHttps(FdkCheck):
    CONTROL = "FDK-TLS-01"
    NAME = "ALB HTTP listener redirects to HTTPS 443 with 301"
    TYPES = ("aws_lb_listener", "aws_alb_listener")

    def problems(self, conf):
        if get(conf, "protocol") != "HTTP":
            return None
        out = []
        for action in items(conf, "default_action"):
            if get(action, "type") != "redirect":
                out.append(f"default action {get(action, 'type')!r}, not a redirect")
                continue
            got = (
                get(action, "redirect", "protocol"),
                str(get(action, "redirect", "port")),
                get(action, "redirect", "status_code"),
            )
            if got != ("HTTPS", "443", "HTTP_301"):
                out.append(f"redirects to {got}, not ('HTTPS', '443', 'HTTP_301')")
        return out


check = HttpListenerRedirectsToHttps()
