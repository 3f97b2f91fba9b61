variable "name" {
  description = "Application name; the sidecar logs to `/ecs/<name>/alloy`."
  type        = string
}

variable "region" {
  description = "Region of the CloudWatch log group."
  type        = string
}

variable "image" {
  description = "Grafana Alloy image."
  type        = string
  default     = "grafana/alloy:v1.5.1"
}

variable "otlp_export_endpoint" {
  description = "OTLP/HTTP endpoint the sidecar forwards telemetry to (e.g. Grafana Cloud); null prints it to the sidecar's log instead."
  type        = string
  default     = null
}

variable "cpu" {
  description = "CPU units reserved for the sidecar."
  type        = number
  default     = 128
}

variable "memory" {
  description = "Memory (MiB) reserved for the sidecar."
  type        = number
  default     = 256
}

variable "log_retention_days" {
  description = "Retention of the sidecar's log group, in days."
  type        = number
  default     = 14
}
