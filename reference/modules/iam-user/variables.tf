variable "name" {
  description = "Name of the CI IAM user."
  type        = string
}

variable "bucket_name" {
  description = "WASM bucket the user may sync to (list, get, put, delete objects)."
  type        = string
}

variable "cloudfront_enabled" {
  description = "Whether a distribution exists (a plan-time constant: whether wasm_clients is non-empty)."
  type        = bool
}

variable "cloudfront_distribution_arn" {
  description = "ARN of the distribution the user may invalidate (ignored when cloudfront_enabled is false)."
  type        = string
  default     = null
}

variable "create_access_key" {
  description = "Create a static access key for the user (the page's \"static IAM credentials\" variant)."
  type        = bool
  default     = true
}
