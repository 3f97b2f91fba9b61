from fdk_guard.live.checks import bad, check, ok


@check("FDK-ECS-04", "private registry credentials come from Secrets Manager", optional=True)
def registry_credentials_from_secrets_manager(snap):
    for arn, td in sorted(snap.task_definitions.items()):
        for c in td.get("containerDefinitions", []):
            creds = (c.get("repositoryCredentials") or {}).get("credentialsParameter")
            if creds is None:
                continue
            if creds.startswith("arn:") and ":secretsmanager:" in creds:
                yield ok(arn, f"{c['name']}: repositoryCredentials from Secrets Manager")
            else:
                yield bad(
                    arn, f"{c['name']}: repositoryCredentials {creds!r} not a Secrets Manager ARN"
                )
