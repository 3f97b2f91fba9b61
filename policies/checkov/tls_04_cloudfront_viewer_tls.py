from fdk_base import FdkCheck, get, items, params


class CloudFrontViewerHttpsTls12(FdkCheck):
    CONTROL = "FDK-TLS-04"
    NAME = "CloudFront redirects viewers to HTTPS with TLSv1.2_2021 or newer"
    TYPES = ("aws_cloudfront_distribution",)

    def problems(self, conf):
        p = params(self.CONTROL)
        out = []
        behaviors = items(conf, "default_cache_behavior") + (
            items(conf, "ordered_cache_behavior") if "ordered_cache_behavior" in conf else []
        )
        for b in behaviors:
            vpp = get(b, "viewer_protocol_policy")
            if vpp not in p["viewer_protocol_policies"]:
                out.append(f"viewer_protocol_policy = {vpp!r}")
        if get(conf, "viewer_certificate", "cloudfront_default_certificate") is True:
            out.append("the default *.cloudfront.net certificate (minimum protocol TLSv1)")
        version = get(conf, "viewer_certificate", "minimum_protocol_version")
        if version not in p["minimum_protocol_versions"]:
            out.append(f"minimum_protocol_version = {version!r}")
        return out


check = CloudFrontViewerHttpsTls12()
