variable "name" {
  description = "Name prefix of the load balancer, its target group and security group (at most 26 characters)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; the load balancer forwards to 8080 inside it."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets (two or more availability zones) the internet-facing ALB lives in."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ARN of the validated ACM certificate for the HTTPS listener."
  type        = string
}

variable "ssl_policy" {
  description = "TLS security policy of the HTTPS listener (TLS 1.2 or later)."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "zone_id" {
  description = "Route53 zone in which the server's alias record is created."
  type        = string
}

variable "server_fqdn" {
  description = "Name the server answers at (`<host>.<dns_name>` or `dns_name`); an alias to the ALB."
  type        = string
}

variable "target_port" {
  description = "Container port the target group forwards to."
  type        = number
  default     = 8080
}

variable "health_check_path" {
  description = "HTTP path of the target group health check."
  type        = string
  default     = "/healthz"
}

variable "deletion_protection" {
  description = "Refuse deletion of the load balancer (turn on in production)."
  type        = bool
  default     = false
}
