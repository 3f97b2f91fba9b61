from fdk_base import FdkCheck, Unknown, get


class RdsEncryptedWithCmk(FdkCheck):
    CONTROL = "FDK-DATA-01"
    NAME = "RDS storage encrypted with a customer-managed KMS key"
    TYPES = ("aws_db_instance", "aws_rds_cluster")

    def problems(self, conf):
        out = []
        if get(conf, "storage_encrypted") is not True:
            out.append(f"storage_encrypted = {get(conf, 'storage_encrypted')!r}")
        try:
            key = get(conf, "kms_key_id")
        except Unknown:
            key = "ref"  # a reference: the key resource is judged by its own check
        if not key or "alias/aws/" in str(key):
            out.append(f"kms_key_id = {key!r}: not a customer-managed key")
        return out


check = RdsEncryptedWithCmk()
