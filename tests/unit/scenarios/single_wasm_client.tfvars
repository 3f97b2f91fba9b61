# One WASM client, the server on a subdomain, and every other input of the page's
# Configuration table set to a non-default value.
name                     = "fdk-eu"
region                   = "eu-central-1"
root_cidr                = "10.42.0.0/20"
dns_name                 = "eu.fdk.example.org"
host                     = "api"
docker_image             = "registry.example.com/team/fdk_server"
docker_image_version     = "1.2.3-rc1"
docker_registry_username = null
docker_registry_password = null
database_schemas         = ["public", "spatial", "audit"]
with_bastion             = true
bastion_ami              = "ami-0123456789abcdef0"
buckets_prefix           = "eu-data-"
environment              = "staging"
monitoring_enabled       = false

environment_variables = {
  AUTH__ISSUER    = "https://login.example.org/realms/eu"
  AUTH__CLIENT_ID = "fdk-eu"
  SENTRY_DSN      = "https://public@sentry.example.org/7"
}

wasm_clients = {
  viewer = "releases/v1"
}
