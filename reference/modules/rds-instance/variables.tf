variable "name" {
  description = "Identifier prefix of the instance and its companions (subnet group, parameter group, KMS alias, security group)."
  type        = string
}

variable "vpc_id" {
  description = "VPC holding the instance."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the DB subnet group (at least two availability zones)."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to reach PostgreSQL (5432), keyed by a static label (e.g. tasks, bastion)."
  type        = map(string)
  default     = {}
}

variable "engine_version" {
  description = "PostgreSQL engine version (15 or later), major (\"16\") or major.minor (\"16.4\")."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^(1[5-9]|[2-9][0-9])(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be PostgreSQL 15 or later, e.g. \"16\" or \"16.4\"."
  }
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "allocated_storage" {
  description = "Allocated storage in GiB."
  type        = number
  default     = 20
}

variable "max_allocated_storage" {
  description = "Upper bound for storage autoscaling in GiB (0 turns autoscaling off)."
  type        = number
  default     = 100
}

variable "database_name" {
  description = "Name of the database created with the instance."
  type        = string
  default     = "fdk"
}

variable "username" {
  description = "Master user name; its password is generated and kept in Secrets Manager by RDS."
  type        = string
  default     = "fdk"
}

variable "multi_az" {
  description = "Run a standby in a second availability zone."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups."
  type        = number
  default     = 7
}

variable "deletion_protection" {
  description = "Refuse deletion of the instance (turn on in production)."
  type        = bool
  default     = false
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot on destroy."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the PostgreSQL log groups, in days."
  type        = number
  default     = 14
}

variable "ca_cert_identifier" {
  description = "Certificate authority of the instance's TLS certificate (clients using verify-full need its bundle)."
  type        = string
  default     = "rds-ca-rsa2048-g1"
}
