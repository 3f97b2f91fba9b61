# Unit-test copy only: the same list local.container_definitions jsonencodes.
output "fdk_unit_containers" {
  value = concat(local.migration_containers, local.server_containers, var.sidecar_containers)
}
