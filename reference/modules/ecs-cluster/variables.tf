variable "name" {
  description = "Name of the ECS cluster."
  type        = string
}

variable "container_insights" {
  description = "CloudWatch Container Insights mode: enabled, enhanced or disabled."
  type        = string
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced", "disabled"], var.container_insights)
    error_message = "container_insights must be enabled, enhanced or disabled."
  }
}
