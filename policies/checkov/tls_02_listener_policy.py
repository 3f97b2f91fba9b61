from fdk_base import FdkCheck, Unknown, get, params


class HttpsListenerTls12Policy(FdkCheck):
    CONTROL = "FDK-TLS-02"
    NAME = "ALB HTTPS listener uses a TLS 1.2+ security policy and a certificate"
    TYPES = ("aws_lb_listener", "aws_alb_listener")

    def problems(self, conf):
        if get(conf, "protocol") != "HTTPS":
            return None
        out = []
        policy = get(conf, "ssl_policy")
        if policy not in params(self.CONTROL)["ssl_policies"]:
            out.append(f"ssl_policy = {policy!r}")
        try:
            cert = get(conf, "certificate_arn")
        except Unknown:  # a reference to the ACM certificate: what the rule wants
            cert = "ref"
        if not cert:
            out.append("no certificate_arn")
        return out


check = HttpsListenerTls12Policy()
