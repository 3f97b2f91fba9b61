locals {
  major_version = split(".", var.engine_version)[0]
  # RDS names the exported log groups itself; creating them first fixes their retention.
  exported_logs = ["postgresql", "upgrade"]
}

# Customer-managed key for storage, the master-user secret and Performance Insights.
resource "aws_kms_key" "this" {
  # checkov:skip=CKV2_AWS_64:the default key policy (account root) applies; an explicit one needs the account id, unknown to an offline plan
  description             = "${var.name} RDS storage and credentials"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-rds"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_db_subnet_group" "this" {
  name       = "${var.name}-db"
  subnet_ids = var.subnet_ids

  tags = { Name = "${var.name}-db" }
}

resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "PostgreSQL reachable only from the allowed security groups"
  vpc_id      = var.vpc_id

  ingress {
    description     = "PostgreSQL from the allowed security groups"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = values(var.allowed_security_group_ids)
  }

  tags = { Name = "${var.name}-db" }
}

# rds.force_ssl=1 refuses clients without TLS (the default of PostgreSQL 15+, kept explicit).
resource "aws_db_parameter_group" "this" {
  name        = "${var.name}-postgres${local.major_version}"
  family      = "postgres${local.major_version}"
  description = "${var.name} PostgreSQL ${local.major_version}: TLS required, connections logged"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "exported" {
  # checkov:skip=CKV_AWS_338:the deployment page promises exactly 14-day retention for every log group
  # checkov:skip=CKV_AWS_158:CloudWatch's default encryption; a CMK key policy needs the account id, unknown offline
  for_each = toset(local.exported_logs)

  name              = "/aws/rds/instance/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_db_instance" "this" {
  # checkov:skip=CKV_AWS_118:enhanced monitoring writes to the shared RDSOSMetrics log group, whose retention this root does not own; Performance Insights is on
  # checkov:skip=CKV_AWS_293:deletion_protection is a variable (off by default so the reference can be destroyed); turn it on in production
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  db_name  = var.database_name
  username = var.username
  # RDS generates the password and keeps it in Secrets Manager, encrypted with the CMK.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.this.arn

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage > 0 ? var.max_allocated_storage : null
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.this.arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  multi_az               = var.multi_az
  port                   = 5432

  parameter_group_name                = aws_db_parameter_group.this.name
  ca_cert_identifier                  = var.ca_cert_identifier
  iam_database_authentication_enabled = true
  auto_minor_version_upgrade          = true
  enabled_cloudwatch_logs_exports     = local.exported_logs

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.this.arn
  performance_insights_retention_period = 7

  backup_retention_period   = var.backup_retention_days
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = var.skip_final_snapshot
  final_snapshot_identifier = var.skip_final_snapshot ? null : "${var.name}-final"

  depends_on = [aws_cloudwatch_log_group.exported]
}
