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

variable "github_repository" {
  description = "GitHub repository (`owner/repo`) whose workflows may assume the deploy role through OIDC; null creates no role."
  type        = string
  default     = null

  validation {
    condition     = var.github_repository == null || can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be one repository, owner/repo, without wildcards."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC identity provider (token.actions.githubusercontent.com); false uses github_oidc_provider_arn (one provider per account)."
  type        = bool
  default     = false
}

variable "github_oidc_provider_arn" {
  description = "ARN of an existing GitHub OIDC identity provider, when create_github_oidc_provider is false."
  type        = string
  default     = null
}
