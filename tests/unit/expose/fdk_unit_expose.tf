# Added to the unit tests' copy of the reference only (tests/unit/plans.py), never to
# reference/: values the planned resources cannot show. tests/unit/inventory.py folds them
# into the summary under the resource's address, then drops these outputs.

# The task's container list before jsonencode, whose known parts stay known in the plan
# while the container_definitions string is unknown (it names secret ARNs created in the
# same plan). Replaces the unknown container_definitions of that address.
output "fdk_unit_containers" {
  value = {
    "module.ecs_service.aws_ecs_task_definition.this" = module.ecs_service.fdk_unit_containers
  }
}

# Extra keys per address (null: not added): the region each certificate is issued in.
output "fdk_unit_values" {
  value = {
    "module.ssl.aws_acm_certificate.this" = {
      provider_region = module.ssl.fdk_unit_region
    }
    "module.ssl_cloudfront[0].aws_acm_certificate.this" = {
      provider_region = try(module.ssl_cloudfront[0].fdk_unit_region, null)
    }
  }
}
