from fdk_base import FdkCheck, get


class KmsKeyRotates(FdkCheck):
    CONTROL = "FDK-DATA-01"
    NAME = "KMS keys rotate"
    TYPES = ("aws_kms_key",)

    def problems(self, conf):
        on = get(conf, "enable_key_rotation")
        return [] if on is True else [f"enable_key_rotation = {on!r}"]


check = KmsKeyRotates()
