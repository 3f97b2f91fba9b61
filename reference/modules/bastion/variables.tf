variable "name" {
  description = "Name prefix of the bastion and its IAM role."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the bastion."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; the bastion may reach PostgreSQL (5432) inside it."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet of the bastion (it never gets a public IP)."
  type        = string
}

variable "ami" {
  description = "x86_64 AMI with the SSM agent (e.g. Amazon Linux 2023)."
  type        = string

  validation {
    condition     = can(regex("^ami-[0-9a-f]{8,17}$", var.ami))
    error_message = "ami must look like ami-0123456789abcdef0."
  }
}

variable "instance_type" {
  description = "EC2 instance type (x86_64)."
  type        = string
  default     = "t3.micro"
}

variable "root_volume_size" {
  description = "Root volume size in GiB (at least the AMI's snapshot size)."
  type        = number
  default     = 10
}
