from fdk_base import FdkCheck, items


class CorsNoWildcardOrigin(FdkCheck):
    CONTROL = "FDK-DATA-06"
    NAME = "S3 CORS allows only https origins, never *"
    TYPES = ("aws_s3_bucket_cors_configuration",)

    def problems(self, conf):
        bad = []
        for rule in items(conf, "cors_rule"):
            bad += [
                o
                for o in items(rule, "allowed_origins")
                if o == "*" or not o.startswith("https://")
            ]
        return [f"allowed_origins {bad}"] if bad else []


check = CorsNoWildcardOrigin()
