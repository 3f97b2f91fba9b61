locals {
  data_bucket_arns  = "arn:aws:s3:::${var.buckets_prefix}*"
  data_object_arns  = "arn:aws:s3:::${var.buckets_prefix}*/*"
  with_registry     = var.registry_username != null
  server_container  = "server"
  migration_name    = "migrations"
  log_stream_prefix = "ecs"

  # The password reaches the containers from Secrets Manager, never as plain environment.
  database_secrets = [
    { name = "DATABASE__AUTH__PASSWORD", valueFrom = "${var.database_secret_arn}:password::" },
  ]

  registry = local.with_registry ? {
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry[0].arn }
  } : {}

  log_configuration = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.this.name
      awslogs-region        = var.region
      awslogs-stream-prefix = local.log_stream_prefix
    }
  }

  # STORAGE__READER_ROLE_ARN is this module's own role; an explicit value in var.environment wins.
  server_environment    = merge({ STORAGE__READER_ROLE_ARN = aws_iam_role.storage_reader.arn }, var.environment)
  migration_environment = merge(local.server_environment, var.migration_environment)

  migration_containers = var.with_migrations ? [merge({
    name             = local.migration_name
    image            = var.image
    essential        = false
    command          = var.migration_command
    environment      = [for k in sort(keys(local.migration_environment)) : { name = k, value = local.migration_environment[k] }]
    secrets          = local.database_secrets
    logConfiguration = local.log_configuration
  }, local.registry)] : []

  # The server starts only once the migrations exited 0.
  server_depends_on = var.with_migrations ? {
    dependsOn = [{ containerName = local.migration_name, condition = "SUCCESS" }]
  } : {}

  server_containers = [merge({
    name      = local.server_container
    image     = var.image
    essential = true
    portMappings = [{
      name          = "http"
      containerPort = var.container_port
      hostPort      = var.container_port
      protocol      = "tcp"
      appProtocol   = "http"
    }]
    environment      = [for k in sort(keys(local.server_environment)) : { name = k, value = local.server_environment[k] }]
    secrets          = local.database_secrets
    logConfiguration = local.log_configuration
  }, local.registry, local.server_depends_on)]

  container_definitions = jsonencode(concat(
    local.migration_containers,
    local.server_containers,
    var.sidecar_containers,
  ))

  secret_arns = compact([
    var.database_secret_arn,
    local.with_registry ? aws_secretsmanager_secret.registry[0].arn : "",
  ])
}

resource "aws_cloudwatch_log_group" "this" {
  # checkov:skip=CKV_AWS_338:the deployment page promises exactly 14-day retention for every log group
  # checkov:skip=CKV_AWS_158:CloudWatch's default encryption; a CMK key policy needs the account id, unknown offline
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
}

# Private registry credentials, as ECS expects them: {"username": ..., "password": ...}.
resource "aws_secretsmanager_secret" "registry" {
  # checkov:skip=CKV2_AWS_57:registry tokens are issued by the registry, not rotatable by a Lambda here
  # checkov:skip=CKV_AWS_149:kms_key_id is the RDS customer-managed key; a plan cannot show its ARN before apply
  count = local.with_registry ? 1 : 0

  name_prefix             = "${var.name}-registry-"
  description             = "Container registry credentials of ${var.name}"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "registry" {
  count = local.with_registry ? 1 : 0

  secret_id = aws_secretsmanager_secret.registry[0].id
  secret_string = jsonencode({
    username = var.registry_username
    password = var.registry_password
  })
}

resource "aws_security_group" "tasks" {
  name        = "${var.name}-tasks"
  description = "Server tasks: the container port from the ALB only"
  vpc_id      = var.vpc_id

  ingress {
    description     = "Server port from the load balancer"
    from_port       = var.container_port
    to_port         = var.container_port
    protocol        = "tcp"
    security_groups = [var.alb_security_group_id]
  }

  egress {
    description      = "HTTPS: image registry, S3, Secrets Manager, OIDC issuer, telemetry (through NAT)"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    description = "PostgreSQL inside the VPC"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  tags = { Name = "${var.name}-tasks" }
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Execution role: what ECS itself needs to start the containers.
resource "aws_iam_role" "execution" {
  name               = "${var.name}-task-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "WriteContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for arn in concat([aws_cloudwatch_log_group.this.arn], var.sidecar_log_group_arns) : "${arn}:*"]
  }

  statement {
    sid       = "ReadContainerSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.secret_arns
  }

  statement {
    sid       = "DecryptContainerSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "start-containers"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# Task role: what the server itself may do. It manages data buckets under buckets_prefix
# only, and hands out the reader role below for project data access.
resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "ManageDataBuckets"
    actions = [
      "s3:CreateBucket",
      "s3:ListBucket",
      "s3:GetBucketLocation",
      "s3:PutBucketPublicAccessBlock",
      "s3:PutEncryptionConfiguration",
      "s3:PutBucketOwnershipControls",
      "s3:PutBucketTagging",
      "s3:PutBucketVersioning",
      "s3:PutLifecycleConfiguration",
      "s3:PutBucketCORS",
    ]
    resources = [local.data_bucket_arns]
  }

  statement {
    sid = "ReadWriteProjectData"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = [local.data_object_arns]
  }

  statement {
    sid       = "AssumeStorageReader"
    actions   = ["sts:AssumeRole", "sts:TagSession"]
    resources = [aws_iam_role.storage_reader.arn]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "project-data"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# STORAGE__READER_ROLE_ARN: read-only access to the data buckets, assumable only by the
# server's task role (the server issues scoped credentials from it).
data "aws_iam_policy_document" "storage_reader_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.task.arn]
    }
  }
}

resource "aws_iam_role" "storage_reader" {
  name                 = "${var.name}-storage-reader"
  assume_role_policy   = data.aws_iam_policy_document.storage_reader_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "storage_reader" {
  statement {
    sid       = "ListDataBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [local.data_bucket_arns]
  }

  statement {
    sid       = "ReadProjectData"
    actions   = ["s3:GetObject"]
    resources = [local.data_object_arns]
  }
}

resource "aws_iam_role_policy" "storage_reader" {
  name   = "read-project-data"
  role   = aws_iam_role.storage_reader.id
  policy = data.aws_iam_policy_document.storage_reader.json
}

resource "aws_ecs_task_definition" "this" {
  # checkov:skip=CKV_AWS_336:the server image's writable paths are not documented; a read-only root file system may break it
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = local.container_definitions

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  health_check_grace_period_seconds  = 120
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  propagate_tags                     = "SERVICE"
  wait_for_steady_state              = false

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = local.server_container
    container_port   = var.container_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}
