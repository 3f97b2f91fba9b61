# Added to the unit tests' copy of the reference only (tests/unit/plans.py): the task's
# container list before jsonencode, whose known parts stay known in the plan while the
# container_definitions string is unknown (it names secret ARNs created in the same plan).
# Keyed by the task definition's address; tests/unit/inventory.py decodes it in place.
output "fdk_unit_containers" {
  value = {
    "module.ecs_service.aws_ecs_task_definition.this" = module.ecs_service.fdk_unit_containers
  }
}
