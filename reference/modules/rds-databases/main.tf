# The AWS API cannot create schemas or roles inside PostgreSQL (that needs a PostgreSQL
# provider, which this reference does not use). The database and its owner are created with
# the RDS instance; this module turns the requested schemas into the settings and the
# idempotent SQL that the migration init container applies before the server starts.
locals {
  schemas = distinct(concat(["public"], var.schemas))

  init_sql = join("\n", [
    for s in local.schemas : "CREATE SCHEMA IF NOT EXISTS \"${s}\" AUTHORIZATION \"${var.owner}\";"
  ])

  migration_environment = {
    DATABASE__SCHEMAS  = join(",", local.schemas)
    DATABASE__INIT_SQL = local.init_sql
  }
}
