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
