variable "name" {
  description = "Name prefix for every resource of the VPC."
  type        = string
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC; split into one public and one private subnet per availability zone."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 23
    error_message = "cidr must be an IPv4 CIDR block of /23 or larger (subnets of /27 or larger), e.g. 10.0.0.0/16."
  }
}

variable "availability_zones" {
  description = "Availability zones to span (at least two)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 8
    error_message = "availability_zones needs two to eight zones (the CIDR is split into 8 public and 8 private slots)."
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
