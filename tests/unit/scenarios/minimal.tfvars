# Required inputs only; everything else takes its default (no CloudFront, no bastion,
# no monitoring sidecar, public image).
name                 = "fdk-min"
region               = "ap-southeast-2"
dns_name             = "min.fdk.example.com"
docker_image         = "ghcr.io/your-org/fdk_server"
docker_image_version = "0.3.0"
buckets_prefix       = "fdk-min-data-"

environment_variables = {
  AUTH__ISSUER    = "https://auth.example.com/realms/fdk"
  AUTH__CLIENT_ID = "fdk"
}
