from fdk_base import FdkCheck, get, items, params


class ResponseHeadersCoepCoop(FdkCheck):
    CONTROL = "FDK-WEB-01"
    NAME = "Response headers policy sends COEP require-corp and COOP same-origin"
    TYPES = ("aws_cloudfront_response_headers_policy",)

    def problems(self, conf):
        want = {h.lower(): v for h, v in params(self.CONTROL)["headers"].items()}
        got = {}
        for cfg in items(conf, "custom_headers_config"):
            for item in items(cfg, "items"):
                got[str(get(item, "header")).lower()] = get(item, "value")
        return [f"{h} = {got.get(h)!r}, want {w!r}" for h, w in want.items() if got.get(h) != w]


check = ResponseHeadersCoepCoop()
