from fdk_base import FdkCheck, Unknown, get, params


class BastionImdsV2NoPublicIp(FdkCheck):
    CONTROL = "FDK-NET-07"
    NAME = "EC2 instance (bastion) requires IMDSv2 and has no public IP"
    TYPES = ("aws_instance",)

    def problems(self, conf):
        out = []
        if get(conf, "associate_public_ip_address") is True:
            out.append("associate_public_ip_address = true")
        tokens = get(conf, "metadata_options", "http_tokens")
        if tokens != params(self.CONTROL)["http_tokens"]:
            out.append(f"metadata_options.http_tokens = {tokens!r}")
        try:
            profile = get(conf, "iam_instance_profile", default=None)
        except Unknown:
            profile = "a reference"  # to an instance profile: what the rule wants
        if not profile:
            out.append("no iam_instance_profile (SSM needs one)")
        return out


check = BastionImdsV2NoPublicIp()
