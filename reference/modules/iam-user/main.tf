# The S3 half is built from the bucket name alone, so the plan shows the whole policy;
# the distribution ARN is only known after apply, so invalidation is a policy of its own.
locals {
  bucket_arn = "arn:aws:s3:::${var.bucket_name}"
}

resource "aws_iam_user" "ci" {
  # checkov:skip=CKV_AWS_273:the page provisions a CI IAM user for static-key pipelines; GitHub OIDC is the keyless alternative
  name = var.name
  path = "/ci/"
}

resource "aws_iam_access_key" "ci" {
  count = var.create_access_key ? 1 : 0

  user = aws_iam_user.ci.name
}

data "aws_iam_policy_document" "s3_deploy" {
  statement {
    sid       = "ListWasmBucket"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "SyncWasmObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.bucket_arn}/*"]
  }
}

data "aws_iam_policy_document" "invalidate" {
  count = var.cloudfront_enabled ? 1 : 0

  statement {
    sid       = "InvalidateWasmDistribution"
    actions   = ["cloudfront:CreateInvalidation"]
    resources = [var.cloudfront_distribution_arn]
  }
}

resource "aws_iam_user_policy" "s3_deploy" {
  # checkov:skip=CKV_AWS_40:the page provisions a single CI user; its two inline policies are scoped to one bucket and one distribution
  name   = "wasm-s3-deploy"
  user   = aws_iam_user.ci.name
  policy = data.aws_iam_policy_document.s3_deploy.json
}

resource "aws_iam_user_policy" "invalidate" {
  # checkov:skip=CKV_AWS_40:the page provisions a single CI user; its two inline policies are scoped to one bucket and one distribution
  count = var.cloudfront_enabled ? 1 : 0

  name   = "wasm-cloudfront-invalidation"
  user   = aws_iam_user.ci.name
  policy = data.aws_iam_policy_document.invalidate[0].json
}

# ---- GitHub Actions through OIDC (the page's recommended variant) --------------------------
# A role that workflows of exactly one repository can assume with a GitHub-issued token
# (audience sts.amazonaws.com), with the same two policies as the CI user and nothing more.

locals {
  github_enabled      = var.github_repository != null
  github_oidc_host    = "token.actions.githubusercontent.com"
  create_oidc         = local.github_enabled && var.create_github_oidc_provider
  github_provider_arn = local.create_oidc ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn
}

resource "aws_iam_openid_connect_provider" "github" {
  count = local.create_oidc ? 1 : 0

  url            = "https://${local.github_oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
  # GitHub's published intermediate thumbprints (IAM no longer relies on them for GitHub).
  thumbprint_list = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
  ]
}

data "aws_iam_policy_document" "github_assume" {
  count = local.github_enabled ? 1 : 0

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    # Any branch, tag, environment or pull request of this one repository.
    condition {
      test     = "StringLike"
      variable = "${local.github_oidc_host}:sub"
      values   = ["repo:${var.github_repository}:*"]
    }
  }
}

resource "aws_iam_role" "github_deploy" {
  count = local.github_enabled ? 1 : 0

  name                 = "${var.name}-github-deploy"
  description          = "WASM deploys from GitHub Actions of ${var.github_repository}"
  assume_role_policy   = data.aws_iam_policy_document.github_assume[0].json
  max_session_duration = 3600

  lifecycle {
    precondition {
      condition     = local.github_provider_arn != null
      error_message = "Set create_github_oidc_provider = true or github_oidc_provider_arn when github_repository is set."
    }
  }
}

resource "aws_iam_role_policy" "github_s3_deploy" {
  count = local.github_enabled ? 1 : 0

  name   = "wasm-s3-deploy"
  role   = aws_iam_role.github_deploy[0].id
  policy = data.aws_iam_policy_document.s3_deploy.json
}

resource "aws_iam_role_policy" "github_invalidate" {
  count = local.github_enabled && var.cloudfront_enabled ? 1 : 0

  name   = "wasm-cloudfront-invalidation"
  role   = aws_iam_role.github_deploy[0].id
  policy = data.aws_iam_policy_document.invalidate[0].json
}
