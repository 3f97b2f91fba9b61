# demo.tfvars plus the GitHub OIDC deploy role (the page's recommended CI variant), with
# the account's OIDC provider created here and no static CI access key.
name                 = "fdk-demo"
region               = "ap-southeast-2"
root_cidr            = "10.0.0.0/16"
dns_name             = "demo.fdk.fsl.dev"
host                 = ""
docker_image         = "ghcr.io/your-org/fdk_server"
docker_image_version = "0.3.0"

# A private registry: kept in Secrets Manager, passed to ECS as repositoryCredentials.
# Placeholder values for the example; supply real ones through TF_VAR_docker_registry_password.
docker_registry_username = "fdk-deploy"
docker_registry_password = "example-registry-token"

database_schemas   = ["public", "spatial"]
with_bastion       = true
buckets_prefix     = "dag-tenant-"
environment        = "production"
monitoring_enabled = true

environment_variables = {
  AUTH__ISSUER      = "https://auth.demo.fdk.fsl.dev/realms/fdk"
  AUTH__CLIENT_ID   = "fdk-server"
  AUTH__REFRESH_URL = "https://auth.demo.fdk.fsl.dev/realms/fdk/protocol/openid-connect/token"
}

wasm_clients = {
  app     = "latest"
  staging = "next"
}

github_repository           = "your-org/fdk-viewer"
create_github_oidc_provider = true
create_ci_access_key        = false
