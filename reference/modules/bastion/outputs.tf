output "instance_id" {
  description = "ID of the bastion instance (target of `aws ssm start-session`)."
  value       = aws_instance.this.id
}

output "security_group_id" {
  description = "Security group of the bastion (allowed into RDS)."
  value       = aws_security_group.bastion.id
}

output "role_name" {
  description = "IAM role of the bastion's instance profile."
  value       = aws_iam_role.this.name
}
