from fdk_base import FdkCheck, get, items, params


class AcmWildcardDnsValidated(FdkCheck):
    CONTROL = "FDK-TLS-03"
    NAME = "ACM certificate is a wildcard, validated through DNS"
    TYPES = ("aws_acm_certificate",)

    def problems(self, conf):
        out = []
        method = get(conf, "validation_method")
        if method != params(self.CONTROL)["validation_method"]:
            out.append(f"validation_method = {method!r}")
        names = [get(conf, "domain_name")] + list(items(conf, "subject_alternative_names"))
        if not any(str(n).startswith("*.") for n in names):
            out.append(f"names {names}: no wildcard")
        return out


check = AcmWildcardDnsValidated()
