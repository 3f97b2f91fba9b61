variable "name" {
  description = "Application name; the bucket is `<name>-wasm`."
  type        = string
}

variable "dns_name" {
  description = "Application domain; CORS allows `https://<dns_name>` and `https://<subdomain>.<dns_name>`."
  type        = string
}

variable "zone_id" {
  description = "Route53 zone receiving one alias record per WASM client."
  type        = string
}

variable "wasm_clients" {
  description = "Map of subdomain => S3 folder; CloudFront exists exactly when this map is non-empty."
  type        = map(string)
  default     = {}
}

variable "certificate_arn" {
  description = "Validated ACM certificate in us-east-1 covering `*.<dns_name>` (required when wasm_clients is non-empty)."
  type        = string
  default     = null
}

variable "price_class" {
  description = "CloudFront price class."
  type        = string
  default     = "PriceClass_100"
}

variable "force_destroy" {
  description = "Delete the bucket's objects when it is destroyed."
  type        = bool
  default     = true
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which overwritten WASM builds are deleted."
  type        = number
  default     = 30
}
