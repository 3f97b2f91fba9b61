"""FDK-DATA-01: RDS storage encrypted with a customer-managed KMS key that rotates."""

from ._lib import Verdicts, is_unknown

CONTROL = "FDK-DATA-01"


def check(g):
    v = Verdicts(CONTROL)
    for db in g.of_type("aws_db_instance", "aws_rds_cluster"):
        problems, unknowns = [], []
        if db.get("storage_encrypted") is not True:
            problems.append(f"storage_encrypted = {db.get('storage_encrypted')!r}")
        key_arn = db.get("kms_key_id")
        keys = [r for r in g.ref_resources(db, "kms_key_id") or [] if r.type == "aws_kms_key"]
        if not keys:
            expr = db.expression("kms_key_id") or {}
            if "references" not in expr and not (isinstance(key_arn, str) and key_arn):
                problems.append("no kms_key_id: storage uses the AWS-managed key aws/rds")
            elif is_unknown(key_arn):
                unknowns.append("kms_key_id cannot be followed to an aws_kms_key")
            elif isinstance(key_arn, str) and key_arn and "alias/aws/" not in key_arn:
                unknowns.append("kms_key_id is an external key: rotation checked after deploy")
            else:
                problems.append(f"kms_key_id = {key_arn!r}: not a customer-managed key")
        for key in keys:
            if key.get("enable_key_rotation") is not True:
                problems.append(
                    f"{key.address}: enable_key_rotation = {key.get('enable_key_rotation')!r}"
                )
        v.judge(db, problems, unknowns, f"encrypted with {[k.address for k in keys]}, rotating")
    return v.done("no RDS instance in the plan")
