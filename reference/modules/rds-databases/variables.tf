variable "database_name" {
  description = "Database the schemas live in (created with the RDS instance)."
  type        = string
}

variable "owner" {
  description = "Role that owns the schemas (the application user)."
  type        = string
}

variable "schemas" {
  description = "PostgreSQL schemas the application needs; `public` always exists."
  type        = list(string)
  default     = ["public"]

  validation {
    condition     = alltrue([for s in var.schemas : can(regex("^[a-z_][a-z0-9_]{0,62}$", s))])
    error_message = "Each schema must be a lower-case PostgreSQL identifier (letters, digits, underscore; at most 63 characters)."
  }
}
