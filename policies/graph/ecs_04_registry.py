"""FDK-ECS-04: a private registry's credentials live in Secrets Manager and reach ECS as
repositoryCredentials."""

from fdk_guard.plangraph import Resource, is_unknown
from fdk_guard.plangraph.iam import statements

from ._lib import Verdicts, container_definitions
from .data_07_data_buckets import role_policies

CONTROL = "FDK-ECS-04"


def _private(container: dict, image) -> bool:
    """Pulled from the private registry: the server's image (sidecars may be public)."""
    if isinstance(image, str) and image:
        return str(container.get("image", "")).startswith(image)
    return container.get("essential", True) is not False


def check(g):
    v = Verdicts(CONTROL)
    private = g.variables.get("docker_registry_username") is not None
    if not private:
        v.na("(root)", "public image: docker_registry_username is null")
        return v.done()
    secrets = g.of_type("aws_secretsmanager_secret")
    image = g.var("docker_image")
    for td in g.of_type("aws_ecs_task_definition"):
        containers = container_definitions(td)
        if containers is None:
            v.defer(
                td, "container_definitions unknown until apply: repositoryCredentials not visible"
            )
        else:
            bare = [
                c.get("name")
                for c in containers
                if _private(c, image)
                and not (c.get("repositoryCredentials") or {}).get("credentialsParameter")
            ]
            v.judge(
                td,
                [f"containers without repositoryCredentials: {bare}"] if bare else [],
                [],
                "repositoryCredentials set",
            )
        # the execution role must be able to read a secret of this root
        roles = [
            r for r in g.ref_resources(td, "execution_role_arn") or [] if r.type == "aws_iam_role"
        ]

        readable, unknown = False, not roles
        for role in roles:
            for pol in role_policies(g, role):
                sts = statements(g, pol)
                if sts is None:
                    unknown = True
                    continue
                for st in sts:
                    readable |= any(
                        isinstance(r, Resource) and r.type == "aws_secretsmanager_secret"
                        for r in st.resources
                    )
                    unknown |= any(is_unknown(r) for r in st.resources)
        if not secrets:
            v.fail(td, "private registry but no aws_secretsmanager_secret in the root")
        elif readable:
            v.ok(td, "registry secret in Secrets Manager, readable by the execution role")
        elif unknown:
            v.defer(td, "the execution role's secret ARNs are unknown until apply")
        else:
            v.fail(td, "the execution role cannot read the registry secret")
    return v.done()
