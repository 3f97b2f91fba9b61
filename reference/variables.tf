# The page's Configuration table, same names; then the reference's own knobs, all defaulted.

variable "name" {
  description = "Application name prefix of every resource (the WASM bucket is `<name>-wasm`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 3-20 characters of lower-case letters, digits and single hyphens, starting with a letter (it names the database, bucket, ALB and target group)."
  }
}

variable "region" {
  description = "AWS region of the deployment."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as ap-southeast-2."
  }
}

variable "root_cidr" {
  description = "VPC CIDR block (IPv4, /16 to /23); split into 16 equal subnets, a public and a private one per availability zone (an ALB needs /27 or larger)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.root_cidr, 0)) && can(regex("^[0-9.]+/(1[6-9]|2[0-3])$", var.root_cidr))
    error_message = "root_cidr must be an IPv4 CIDR block between /16 and /23, e.g. 10.0.0.0/16."
  }
}

variable "dns_name" {
  description = "Root domain of the application; a Route53 hosted zone is created for it."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.dns_name)) && length(var.dns_name) <= 253
    error_message = "dns_name must be a lower-case domain name such as demo.fdk.fsl.dev (no trailing dot)."
  }
}

variable "host" {
  description = "Subdomain of the server (optional): the server answers at `<host>.<dns_name>`, or at `dns_name` when empty."
  type        = string
  default     = ""

  validation {
    condition     = var.host == "" || can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.host))
    error_message = "host must be empty or one DNS label (lower-case letters, digits, hyphens; at most 63 characters)."
  }
}

variable "docker_image" {
  description = "Container image repository of the FDK server, without tag (e.g. ghcr.io/your-org/fdk_server)."
  type        = string

  validation {
    condition     = length(trimspace(var.docker_image)) > 0 && !can(regex("\\s", var.docker_image))
    error_message = "docker_image must be a non-empty image repository without spaces."
  }
}

variable "docker_image_version" {
  description = "Image tag of the FDK server (e.g. 0.3.0)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.docker_image_version))
    error_message = "docker_image_version must be a valid image tag (letters, digits, '_', '.', '-'; at most 128 characters)."
  }
}

variable "docker_registry_username" {
  description = "Registry user name when the image is private (null for a public image)."
  type        = string
  default     = null
}

variable "docker_registry_password" {
  description = "Registry password or token when the image is private; kept in Secrets Manager and passed to ECS as repositoryCredentials."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = (var.docker_registry_password == null) == (var.docker_registry_username == null)
    error_message = "Set docker_registry_username and docker_registry_password together, or neither."
  }
}

variable "database_schemas" {
  description = "PostgreSQL schemas the server needs (`public` always exists); created by the migration init container."
  type        = list(string)
  default     = ["public"]

  validation {
    condition     = alltrue([for s in var.database_schemas : can(regex("^[a-z_][a-z0-9_]{0,62}$", s))])
    error_message = "Each schema must be a lower-case PostgreSQL identifier (letters, digits, underscore)."
  }
}

variable "with_bastion" {
  description = "Deploy the SSM-only bastion host (private subnet, no public IP, no SSH) for tunnelling to RDS."
  type        = bool
  default     = false
}

variable "bastion_ami" {
  description = "x86_64 AMI of the bastion, with the SSM agent (region-specific; e.g. Amazon Linux 2023). The default is an Amazon Linux 2 id known to the local AWS emulator: set your region's AMI."
  type        = string
  default     = "ami-04681a1dbd79675a5"

  validation {
    condition     = can(regex("^ami-[0-9a-f]{8,17}$", var.bastion_ami))
    error_message = "bastion_ami must look like ami-0123456789abcdef0."
  }
}

variable "buckets_prefix" {
  description = "Name prefix of the S3 buckets the server creates at runtime for project data; the server may touch only buckets under it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{2,39}$", var.buckets_prefix))
    error_message = "buckets_prefix must be 3-40 characters of lower-case letters, digits, '.' and '-' (a bucket-name prefix), e.g. dag-tenant-."
  }
}

variable "environment" {
  description = "Environment name, applied to every resource as the Environment tag."
  type        = string
  default     = "production"

  validation {
    condition     = length(trimspace(var.environment)) > 0
    error_message = "environment must not be empty."
  }
}

variable "environment_variables" {
  description = "Additional environment of the server container, merged over the auto-configured variables; must hold the OIDC settings AUTH__ISSUER and AUTH__CLIENT_ID (AUTH__REFRESH_URL, SENTRY_DSN optional). Never put secrets here."
  type        = map(string)

  validation {
    condition     = can(regex("^https://", lookup(var.environment_variables, "AUTH__ISSUER", ""))) && length(trimspace(lookup(var.environment_variables, "AUTH__CLIENT_ID", ""))) > 0
    error_message = "environment_variables must set AUTH__ISSUER (an https:// URL) and AUTH__CLIENT_ID: the server validates OIDC tokens."
  }

  validation {
    condition     = !contains(keys(var.environment_variables), "DATABASE__AUTH__PASSWORD")
    error_message = "DATABASE__AUTH__PASSWORD comes from Secrets Manager; do not set it in environment_variables."
  }
}

variable "monitoring_enabled" {
  description = "Run the Alloy (OpenTelemetry) monitoring sidecar and point the server's OTLP exporter at it."
  type        = bool
  default     = false
}

variable "wasm_clients" {
  description = "WASM client applications served via CloudFront: map of subdomain => S3 folder. Non-empty turns CloudFront on."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for sub in keys(var.wasm_clients) : can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", sub))])
    error_message = "Each wasm_clients key must be one DNS label (lower-case letters, digits, hyphens; at most 63 characters)."
  }

  validation {
    condition     = alltrue([for folder in values(var.wasm_clients) : can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", folder))])
    error_message = "Each wasm_clients value must be an S3 folder such as latest or releases/v1 (no leading or trailing slash)."
  }
}

# ---- the reference's own knobs -------------------------------------------------------------

variable "availability_zones" {
  description = "Availability zones to span (two or more, at most eight); empty means `<region>a` and `<region>b`."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) >= 2
    error_message = "availability_zones must be empty (derived from region) or list at least two zones."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per availability zone (true, zone-redundant) or one shared (false, cheaper)."
  type        = bool
  default     = true
}

variable "database_engine_version" {
  description = "PostgreSQL version, 15 or later (\"16\" follows the newest 16.x)."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^(1[5-9]|[2-9][0-9])(\\.[0-9]+)?$", var.database_engine_version))
    error_message = "database_engine_version must be PostgreSQL 15 or later, e.g. \"16\" or \"16.4\"."
  }
}

variable "database_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "database_name" {
  description = "Name of the application database (DATABASE__NAME)."
  type        = string
  default     = "fdk"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a lower-case PostgreSQL identifier starting with a letter."
  }
}

variable "database_username" {
  description = "Database user of the server (DATABASE__AUTH__USERNAME); its password is generated by RDS."
  type        = string
  default     = "fdk"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_username)) && !contains(["postgres", "admin", "rdsadmin"], var.database_username)
    error_message = "database_username must be a lower-case identifier and not a reserved name (postgres, admin, rdsadmin)."
  }
}

variable "database_multi_az" {
  description = "Keep a standby database in a second availability zone."
  type        = bool
  default     = true
}

variable "database_ssl_mode" {
  description = "DATABASE__SSL_MODE of the server: require, verify-ca or verify-full (TLS is always on)."
  type        = string
  default     = "require"

  validation {
    condition     = contains(["require", "verify-ca", "verify-full"], var.database_ssl_mode)
    error_message = "database_ssl_mode must be require, verify-ca or verify-full."
  }
}

variable "deletion_protection" {
  description = "Deletion protection of the database and the load balancer (turn on in production; off lets `terraform destroy` work)."
  type        = bool
  default     = false
}

variable "task_cpu" {
  description = "CPU units of the server task (Fargate sizes, e.g. 512, 1024, 2048)."
  type        = number
  default     = 1024
}

variable "task_memory" {
  description = "Memory of the server task in MiB (a valid Fargate size for task_cpu)."
  type        = number
  default     = 2048
}

variable "desired_count" {
  description = "Number of server tasks."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= 1
    error_message = "desired_count must be at least 1."
  }
}

variable "with_migrations" {
  description = "Run the migration init container (same image, migration_command) before the server; the server starts only after it succeeds. It also creates database_schemas."
  type        = bool
  default     = true
}

variable "migration_command" {
  description = "Command of the migration init container, passed to the server image's entrypoint."
  type        = list(string)
  default     = ["migrate"]

  validation {
    condition     = length(var.migration_command) > 0
    error_message = "migration_command must not be empty (turn with_migrations off instead)."
  }
}

variable "monitoring_image" {
  description = "Grafana Alloy image of the monitoring sidecar."
  type        = string
  default     = "grafana/alloy:v1.5.1"
}

variable "monitoring_otlp_export_endpoint" {
  description = "OTLP/HTTP endpoint the sidecar forwards telemetry to (e.g. Grafana Cloud); null logs it to CloudWatch."
  type        = string
  default     = null

  validation {
    condition     = var.monitoring_otlp_export_endpoint == null || can(regex("^https://", var.monitoring_otlp_export_endpoint))
    error_message = "monitoring_otlp_export_endpoint must be an https:// URL or null."
  }
}

variable "cloudfront_price_class" {
  description = "CloudFront price class of the WASM distribution."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.cloudfront_price_class)
    error_message = "cloudfront_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "create_ci_access_key" {
  description = "Create a static access key for the CI user (the page's static-credentials variant); turn off when CI uses GitHub OIDC."
  type        = bool
  default     = true
}

variable "github_repository" {
  description = "GitHub repository (`owner/repo`) allowed to deploy the WASM clients through OIDC (the page's recommended CI variant): creates a deploy role trusted only by that repository's workflows. null (default) creates none."
  type        = string
  default     = null

  validation {
    condition     = var.github_repository == null || can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be exactly one repository, owner/repo, without wildcards."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC identity provider with the deploy role (an account holds one; false reuses github_oidc_provider_arn)."
  type        = bool
  default     = false
}

variable "github_oidc_provider_arn" {
  description = "ARN of the account's existing GitHub OIDC identity provider, used when github_repository is set and create_github_oidc_provider is false."
  type        = string
  default     = null

  validation {
    condition     = var.github_oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.github_oidc_provider_arn))
    error_message = "github_oidc_provider_arn must be arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com."
  }

  validation {
    condition     = var.github_repository == null || var.create_github_oidc_provider || var.github_oidc_provider_arn != null
    error_message = "With github_repository set, set create_github_oidc_provider = true or give github_oidc_provider_arn."
  }
}
