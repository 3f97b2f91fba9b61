variable "dns_name" {
  description = "Domain of the hosted zone (the application's root domain)."
  type        = string
}

variable "force_destroy" {
  description = "Delete all records when the zone is destroyed."
  type        = bool
  default     = true
}
