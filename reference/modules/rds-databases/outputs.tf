output "database_name" {
  description = "Database the schemas live in."
  value       = var.database_name
}

output "schemas" {
  description = "Schemas to ensure, `public` first."
  value       = local.schemas
}

output "init_sql" {
  description = "Idempotent SQL creating the schemas, owned by the application user."
  value       = local.init_sql
}

output "migration_environment" {
  description = "Environment for the migration init container (DATABASE__SCHEMAS, DATABASE__INIT_SQL)."
  value       = local.migration_environment
}
