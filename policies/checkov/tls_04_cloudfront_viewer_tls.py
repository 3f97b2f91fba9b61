from fdk_base import FdkCheck, get, items

MIN_TLS = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")


class CloudFrontViewerHttpsTls12(FdkCheck):
    CONTROL = "FDK-TLS-04"
    NAME = "CloudFront redirects viewers to HTTPS with TLSv1.2_2021 or newer"
    TYPES = ("aws_cloudfront_distribution",)

    def problems(self, conf):
        out = []
        behaviors = items(conf, "default_cache_behavior") + (
            items(conf, "ordered_cache_behavior") if "ordered_cache_behavior" in conf else []
        )
        for b in behaviors:
            vpp = get(b, "viewer_protocol_policy")
            if vpp not in ("redirect-to-https", "https-only"):
                out.append(f"viewer_protocol_policy = {vpp!r}")
        version = get(conf, "viewer_certificate", "minimum_protocol_version")
        if version not in MIN_TLS:
            out.append(f"minimum_protocol_version = {version!r}")
        if get(conf, "viewer_certificate", "cloudfront_default_certificate") is True and get(
            conf, "aliases"
        ):
            out.append("aliases served with the default CloudFront certificate")
        return out


check = CloudFrontViewerHttpsTls12()
