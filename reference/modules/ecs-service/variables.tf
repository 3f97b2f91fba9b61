variable "name" {
  description = "Name of the service, task family, roles, log group and security group."
  type        = string
}

variable "region" {
  description = "Region of the CloudWatch log group (awslogs driver)."
  type        = string
}

variable "cluster_arn" {
  description = "ECS cluster the service runs in."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; tasks may reach PostgreSQL (5432) inside it."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets the tasks run in (no public IP)."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer: the only source allowed into the container port."
  type        = string
}

variable "target_group_arn" {
  description = "ALB target group the server container registers in."
  type        = string
}

variable "image" {
  description = "Server image, `repository:tag`."
  type        = string
}

variable "container_port" {
  description = "Port the server listens on."
  type        = number
  default     = 8080
}

variable "cpu" {
  description = "Task CPU units (Fargate sizes)."
  type        = number
  default     = 1024
}

variable "memory" {
  description = "Task memory in MiB (Fargate sizes)."
  type        = number
  default     = 2048
}

variable "desired_count" {
  description = "Number of server tasks."
  type        = number
  default     = 2
}

variable "environment" {
  description = "Plain environment of the server container (never secrets); STORAGE__READER_ROLE_ARN is added by the module unless set here."
  type        = map(string)
}

variable "database_secret_arn" {
  description = "Secrets Manager secret holding the database credentials (JSON key `password`)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the database secret; also encrypts the registry credentials secret."
  type        = string
}

variable "registry_username" {
  description = "Private registry user name; null for a public image."
  type        = string
  default     = null
}

variable "registry_password" {
  description = "Private registry password or token; stored in Secrets Manager, never in the task definition."
  type        = string
  default     = null
  sensitive   = true
}

variable "with_migrations" {
  description = "Run the migration init container before the server starts (the server waits for it to succeed)."
  type        = bool
  default     = true
}

variable "migration_command" {
  description = "Command of the migration init container (same image as the server)."
  type        = list(string)
  default     = ["migrate"]
}

variable "migration_environment" {
  description = "Extra environment of the migration container (e.g. the schemas to create)."
  type        = map(string)
  default     = {}
}

variable "sidecar_containers" {
  description = "Additional container definitions (objects), e.g. the monitoring sidecar."
  type        = any
  default     = []
}

variable "sidecar_log_group_arns" {
  description = "Log groups of the sidecars (the execution role may write to them)."
  type        = list(string)
  default     = []
}

variable "buckets_prefix" {
  description = "Prefix of the data buckets the server creates and reads at runtime."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the service's log group, in days."
  type        = number
  default     = 14
}
