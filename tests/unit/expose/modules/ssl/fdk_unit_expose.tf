# Unit-test copy only: the region of the provider this module instance runs with (read from
# the provider configuration; no AWS call), so a test can see the us-east-1 certificate.
data "aws_region" "fdk_unit" {}

output "fdk_unit_region" {
  value = data.aws_region.fdk_unit.name
}
