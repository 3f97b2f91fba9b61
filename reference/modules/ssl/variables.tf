variable "dns_name" {
  description = "Domain the certificate covers: `*.dns_name` with `dns_name` as a subject alternative name."
  type        = string
}

variable "zone_id" {
  description = "Route53 zone holding the DNS validation records."
  type        = string
}
