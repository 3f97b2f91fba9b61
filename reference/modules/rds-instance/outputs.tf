output "instance_identifier" {
  description = "Identifier of the RDS instance."
  value       = aws_db_instance.this.identifier
}

output "instance_arn" {
  description = "ARN of the RDS instance."
  value       = aws_db_instance.this.arn
}

output "address" {
  description = "Host name of the instance (DATABASE__HOST)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the instance (DATABASE__PORT)."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the database created with the instance."
  value       = aws_db_instance.this.db_name
}

output "username" {
  description = "Master user name (DATABASE__AUTH__USERNAME)."
  value       = aws_db_instance.this.username
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS keeps the generated credentials in (JSON keys username and password)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key encrypting storage, the secret and Performance Insights."
  value       = aws_kms_key.this.arn
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = aws_security_group.db.id
}

output "log_group_names" {
  description = "CloudWatch log groups receiving the PostgreSQL logs."
  value       = [for g in aws_cloudwatch_log_group.exported : g.name]
}
