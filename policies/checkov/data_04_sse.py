from fdk_base import FdkCheck, get, items, params


class S3ServerSideEncryption(FdkCheck):
    CONTROL = "FDK-DATA-04"
    NAME = "S3 server-side encryption configured"
    TYPES = ("aws_s3_bucket_server_side_encryption_configuration",)

    def problems(self, conf):
        algos = [
            get(rule, "apply_server_side_encryption_by_default", "sse_algorithm")
            for rule in items(conf, "rule")
        ]
        ok = params(self.CONTROL)["sse_algorithms"]
        return [] if algos and all(a in ok for a in algos) else [f"sse_algorithm {algos}"]


check = S3ServerSideEncryption()
