from fdk_base import FdkCheck, get, params


class S3PublicAccessBlockAllOn(FdkCheck):
    CONTROL = "FDK-DATA-04"
    NAME = "S3 public access block: all four settings on"
    TYPES = ("aws_s3_bucket_public_access_block",)

    def problems(self, conf):
        off = [f for f in params(self.CONTROL)["public_access_blocks"] if get(conf, f) is not True]
        return [f"{', '.join(off)} not true"] if off else []


check = S3PublicAccessBlockAllOn()
