from fdk_base import FdkCheck, get


class AcmWildcardDnsValidated(FdkCheck):
    CONTROL = "FDK-TLS-03"
    NAME = "ACM certificate is a wildcard, validated through DNS"
    TYPES = ("aws_acm_certificate",)

    def problems(self, conf):
        out = []
        if get(conf, "validation_method") != "DNS":
            out.append(f"validation_method = {get(conf, 'validation_method')!r}")
        if not str(get(conf, "domain_name")).startswith("*."):
            out.append(f"domain_name = {get(conf, 'domain_name')!r}, not a wildcard")
        return out


check = AcmWildcardDnsValidated()
