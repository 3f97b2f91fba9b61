# FDK server on AWS ECS Fargate: the reference root. Each module below is local; swap its
# `source` for `tf.fsl.dev/fslabs/<name>/aws` to use the FSLabs registry (see README.md).

locals {
  availability_zones = length(var.availability_zones) > 0 ? var.availability_zones : ["${var.region}a", "${var.region}b"]
  server_fqdn        = var.host == "" ? var.dns_name : "${var.host}.${var.dns_name}"
  cloudfront_enabled = length(var.wasm_clients) > 0
  log_retention_days = 14

  # The page's "Server Environment Variables", wired from module outputs; AUTH__* and the
  # rest come from environment_variables, which wins on conflicts. The password is not here:
  # it reaches the container through `secrets` (modules/ecs-service).
  auto_environment = merge(
    {
      DATABASE__HOST           = module.rds_instance.address
      DATABASE__PORT           = tostring(module.rds_instance.port)
      DATABASE__NAME           = module.rds_databases.database_name
      DATABASE__SSL_MODE       = var.database_ssl_mode
      DATABASE__AUTH__USERNAME = module.rds_instance.username
      STORAGE__BACKEND         = "s3"
      STORAGE__REGION          = var.region
      STORAGE__BUCKET_PREFIX   = var.buckets_prefix
    },
    var.monitoring_enabled ? {
      OBSERVABILITY__OTEL_EXPORTER_OTLP_ENDPOINT = module.ecs_monitoring[0].otlp_endpoint
    } : {},
  )
  server_environment = merge(local.auto_environment, var.environment_variables)
}

module "vpc" {
  source = "./modules/vpc"

  name                    = var.name
  cidr                    = var.root_cidr
  availability_zones      = local.availability_zones
  nat_gateway_per_az      = var.nat_gateway_per_az
  flow_log_retention_days = local.log_retention_days
}

module "dns" {
  source = "./modules/dns"

  dns_name = var.dns_name
}

module "ssl" {
  source = "./modules/ssl"

  dns_name = var.dns_name
  zone_id  = module.dns.zone_id
}

# The same wildcard certificate again in us-east-1, for CloudFront.
module "ssl_cloudfront" {
  source = "./modules/ssl"
  count  = local.cloudfront_enabled ? 1 : 0

  providers = {
    aws = aws.us_east_1
  }

  dns_name = var.dns_name
  zone_id  = module.dns.zone_id
}

module "load_balancer" {
  source = "./modules/load-balancer"

  name                = var.name
  vpc_id              = module.vpc.vpc_id
  vpc_cidr            = module.vpc.vpc_cidr
  public_subnet_ids   = module.vpc.public_subnet_ids
  certificate_arn     = module.ssl.certificate_arn
  zone_id             = module.dns.zone_id
  server_fqdn         = local.server_fqdn
  deletion_protection = var.deletion_protection
}

module "rds_instance" {
  source = "./modules/rds-instance"

  name           = var.name
  vpc_id         = module.vpc.vpc_id
  subnet_ids     = module.vpc.private_subnet_ids
  engine_version = var.database_engine_version
  instance_class = var.database_instance_class
  database_name  = var.database_name
  username       = var.database_username
  multi_az       = var.database_multi_az

  deletion_protection = var.deletion_protection
  skip_final_snapshot = !var.deletion_protection
  log_retention_days  = local.log_retention_days

  allowed_security_group_ids = merge(
    { tasks = module.ecs_service.security_group_id },
    var.with_bastion ? { bastion = module.bastion[0].security_group_id } : {},
  )
}

module "rds_databases" {
  source = "./modules/rds-databases"

  database_name = var.database_name
  owner         = var.database_username
  schemas       = var.database_schemas
}

module "bastion" {
  source = "./modules/bastion"
  count  = var.with_bastion ? 1 : 0

  name      = var.name
  vpc_id    = module.vpc.vpc_id
  vpc_cidr  = module.vpc.vpc_cidr
  subnet_id = module.vpc.private_subnet_ids[0]
  ami       = var.bastion_ami
}

module "s3" {
  source = "./modules/s3"

  name            = var.name
  dns_name        = var.dns_name
  zone_id         = module.dns.zone_id
  wasm_clients    = var.wasm_clients
  certificate_arn = local.cloudfront_enabled ? module.ssl_cloudfront[0].certificate_arn : null
  price_class     = var.cloudfront_price_class
}

module "iam_user" {
  source = "./modules/iam-user"

  name                        = "${var.name}-ci"
  bucket_name                 = module.s3.bucket_name
  cloudfront_enabled          = local.cloudfront_enabled
  cloudfront_distribution_arn = module.s3.cloudfront_distribution_arn
  create_access_key           = var.create_ci_access_key

  github_repository           = var.github_repository
  create_github_oidc_provider = var.create_github_oidc_provider
  github_oidc_provider_arn    = var.github_oidc_provider_arn
}

module "ecs_cluster" {
  source = "./modules/ecs-cluster"

  name = var.name
}

module "ecs_monitoring" {
  source = "./modules/ecs-monitoring"
  count  = var.monitoring_enabled ? 1 : 0

  name                 = var.name
  region               = var.region
  image                = var.monitoring_image
  otlp_export_endpoint = var.monitoring_otlp_export_endpoint
  log_retention_days   = local.log_retention_days
}

module "ecs_service" {
  source = "./modules/ecs-service"

  name                  = var.name
  region                = var.region
  cluster_arn           = module.ecs_cluster.cluster_arn
  vpc_id                = module.vpc.vpc_id
  vpc_cidr              = module.vpc.vpc_cidr
  private_subnet_ids    = module.vpc.private_subnet_ids
  alb_security_group_id = module.load_balancer.security_group_id
  target_group_arn      = module.load_balancer.target_group_arn

  image         = "${var.docker_image}:${var.docker_image_version}"
  cpu           = var.task_cpu
  memory        = var.task_memory
  desired_count = var.desired_count
  environment   = local.server_environment

  database_secret_arn = module.rds_instance.master_user_secret_arn
  kms_key_arn         = module.rds_instance.kms_key_arn
  registry_username   = var.docker_registry_username
  registry_password   = var.docker_registry_password

  with_migrations       = var.with_migrations
  migration_command     = var.migration_command
  migration_environment = module.rds_databases.migration_environment

  sidecar_containers     = var.monitoring_enabled ? [module.ecs_monitoring[0].container_definition] : []
  sidecar_log_group_arns = var.monitoring_enabled ? [module.ecs_monitoring[0].log_group_arn] : []

  buckets_prefix     = var.buckets_prefix
  log_retention_days = local.log_retention_days
}
