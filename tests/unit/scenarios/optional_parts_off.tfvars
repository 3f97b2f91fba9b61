# Every optional part explicitly off; environment_variables overrides an auto-configured
# variable (the page: "Override them in the environment_variables map").
name                     = "fdk-off"
region                   = "us-west-2"
dns_name                 = "off.fdk.example.net"
host                     = ""
docker_image             = "ghcr.io/your-org/fdk_server"
docker_image_version     = "0.3.0"
docker_registry_username = null
docker_registry_password = null
with_bastion             = false
monitoring_enabled       = false
wasm_clients             = {}
buckets_prefix           = "off-tenant-"

environment_variables = {
  AUTH__ISSUER       = "https://auth.example.net/realms/fdk"
  AUTH__CLIENT_ID    = "fdk-off"
  AUTH__REFRESH_URL  = "https://auth.example.net/realms/fdk/protocol/openid-connect/token"
  DATABASE__SSL_MODE = "verify-full"
}
