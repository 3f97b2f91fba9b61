from fdk_guard.live.checks import bad, check, ok


@check("FDK-DATA-01", "RDS storage is encrypted with a customer-managed KMS key that rotates")
def rds_encrypted_with_rotating_cmk(snap):
    for db in snap.db_instances:
        arn, key_id = db["DBInstanceArn"], db.get("KmsKeyId")
        key = snap.kms_keys.get(key_id or "", {})
        meta = key.get("metadata", {})
        if not db.get("StorageEncrypted"):
            yield bad(arn, "storage is not encrypted")
        elif not meta:
            yield bad(arn, f"encryption key {key_id} could not be read")
        elif meta.get("KeyManager") != "CUSTOMER":
            yield bad(arn, f"key {meta.get('KeyId')} is AWS-managed, not customer-managed")
        elif not key.get("rotation"):
            yield bad(arn, f"key {meta.get('KeyId')} does not rotate")
        else:
            yield ok(arn, f"encrypted with rotating customer key {meta.get('KeyId')}")
