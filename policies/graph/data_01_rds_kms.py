"""FDK-DATA-01: RDS storage encrypted with a customer-managed KMS key that rotates."""

from ._lib import DB_TYPES, Verdicts, is_unknown, show

CONTROL = "FDK-DATA-01"


def check(g):
    v = Verdicts(CONTROL)
    for db in g.of_type(*DB_TYPES):
        problems, unknowns = [], []
        encrypted = g.value(db, "storage_encrypted")
        if is_unknown(encrypted):
            unknowns.append(f"storage_encrypted = {show(encrypted)}")
        elif encrypted is not True:
            problems.append(f"storage_encrypted = {encrypted!r}")
        key = g.value(db, "kms_key_id")
        keys = g.targets(key, "aws_kms_key", "aws_kms_replica_key")
        if key is None:
            problems.append("no kms_key_id: storage uses the AWS-managed key aws/rds")
        elif isinstance(key, str) and "alias/aws/" in key:
            problems.append(f"kms_key_id = {key!r}: the AWS-managed key")
        elif keys is None and isinstance(key, str):
            unknowns.append(
                f"kms_key_id {key!r} is not managed here: rotation is checked after deploy"
            )
        elif keys is None:
            unknowns.append(f"kms_key_id cannot be followed ({show(key)})")
        for k in keys or []:
            rotation = g.value(k, "enable_key_rotation")
            if is_unknown(rotation):
                unknowns.append(f"{k.address} enable_key_rotation = {show(rotation)}")
            elif rotation is not True and k.type == "aws_kms_key":
                problems.append(f"{k.address}: enable_key_rotation = {rotation!r}")
        names = [k.address for k in keys or []]
        v.judge(db, problems, unknowns, f"encrypted with {names}, rotating")
    return v.done("no database in this root")
