variable "name" {
  description = "Name prefix for every resource of the VPC."
  type        = string
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC; split into one public and one private subnet per availability zone."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 24
    error_message = "cidr must be an IPv4 CIDR block of /24 or larger, e.g. 10.0.0.0/16."
  }
}

variable "availability_zones" {
  description = "Availability zones to span (at least two)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "availability_zones needs at least two zones."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per availability zone (true) or a single shared one (false, cheaper, not zone-redundant)."
  type        = bool
  default     = true
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group, in days."
  type        = number
  default     = 14
}
