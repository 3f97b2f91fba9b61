locals {
  bucket_name        = "${var.name}-wasm"
  bucket_arn         = "arn:aws:s3:::${local.bucket_name}"
  cloudfront_enabled = length(var.wasm_clients) > 0

  client_hosts = { for sub, folder in var.wasm_clients : "${sub}.${var.dns_name}" => folder }

  cors_origins = concat(
    ["https://${var.dns_name}"],
    [for sub in sort(keys(var.wasm_clients)) : "https://${sub}.${var.dns_name}"],
  )

  # AWS-managed "CachingOptimized" cache policy.
  caching_optimized_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  # Fixed hosted-zone ID of every CloudFront distribution, for alias records.
  cloudfront_zone_id = "Z2FDTNDATAQYW2"
}

resource "aws_s3_bucket" "wasm" {
  # checkov:skip=CKV_AWS_18:server access logs need a separate log bucket; CloudFront is the only reader
  # checkov:skip=CKV_AWS_144:cross-region replication is not needed for build artifacts CI can re-upload
  # checkov:skip=CKV2_AWS_62:no consumer of object events exists in this architecture
  # checkov:skip=CKV_AWS_145:SSE-S3 (AES256) keeps CloudFront OAC reads free of a KMS key policy that needs the account id
  bucket        = local.bucket_name
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "wasm" {
  bucket = aws_s3_bucket.wasm.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "wasm" {
  bucket = aws_s3_bucket.wasm.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# SSE-S3: CloudFront's origin access control reads SSE-KMS objects only with a key policy
# naming the distribution, which needs the account id (unknown to an offline plan).
resource "aws_s3_bucket_server_side_encryption_configuration" "wasm" {
  bucket = aws_s3_bucket.wasm.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "wasm" {
  bucket = aws_s3_bucket.wasm.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "wasm" {
  bucket = aws_s3_bucket.wasm.id

  rule {
    id     = "expire-old-builds"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.wasm]
}

# Only the application domain's origins may fetch the assets cross-origin.
resource "aws_s3_bucket_cors_configuration" "wasm" {
  bucket = aws_s3_bucket.wasm.id

  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = local.cors_origins
    allowed_headers = ["Authorization", "Range"]
    expose_headers  = ["ETag", "Content-Length", "Content-Type"]
    max_age_seconds = 3600
  }
}

data "aws_iam_policy_document" "wasm" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # Readable only by this bucket's own CloudFront distribution.
  dynamic "statement" {
    for_each = local.cloudfront_enabled ? [1] : []

    content {
      sid       = "AllowCloudFrontOriginAccessControl"
      effect    = "Allow"
      actions   = ["s3:GetObject"]
      resources = ["${local.bucket_arn}/*"]

      principals {
        type        = "Service"
        identifiers = ["cloudfront.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "AWS:SourceArn"
        values   = [aws_cloudfront_distribution.wasm[0].arn]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "wasm" {
  bucket = aws_s3_bucket.wasm.id
  policy = data.aws_iam_policy_document.wasm.json

  depends_on = [aws_s3_bucket_public_access_block.wasm]
}

resource "aws_cloudfront_origin_access_control" "wasm" {
  count = local.cloudfront_enabled ? 1 : 0

  name                              = local.bucket_name
  description                       = "CloudFront access to ${local.bucket_name}"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# One distribution serves every client: the viewer's Host picks the S3 folder.
resource "aws_cloudfront_function" "host_to_folder" {
  count = local.cloudfront_enabled ? 1 : 0

  name    = "${var.name}-wasm-host-to-folder"
  runtime = "cloudfront-js-2.0"
  comment = "Maps <subdomain>.<dns_name> to its S3 folder"
  publish = true
  code = templatefile("${path.module}/host_to_folder.js.tftpl", {
    folders = jsonencode(local.client_hosts)
  })
}

# The WASM viewer needs cross-origin isolation for SharedArrayBuffer.
resource "aws_cloudfront_response_headers_policy" "wasm" {
  count = local.cloudfront_enabled ? 1 : 0

  name    = "${var.name}-wasm-cross-origin-isolation"
  comment = "COEP/COOP for SharedArrayBuffer, plus security headers"

  custom_headers_config {
    items {
      header   = "Cross-Origin-Embedder-Policy"
      value    = "require-corp"
      override = true
    }

    items {
      header   = "Cross-Origin-Opener-Policy"
      value    = "same-origin"
      override = true
    }
  }

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }
}

resource "aws_cloudfront_distribution" "wasm" {
  # checkov:skip=CKV_AWS_68:a WAF web ACL is an operator choice for static assets (cost, rules)
  # checkov:skip=CKV2_AWS_47:a WAF web ACL is an operator choice for static assets (cost, rules)
  # checkov:skip=CKV_AWS_86:access logs need a log bucket with ACLs enabled; left to the operator
  # checkov:skip=CKV_AWS_310:a single S3 origin; CI re-uploads on loss, no failover origin exists
  # checkov:skip=CKV_AWS_374:the WASM viewer is served worldwide; no geo restriction is wanted
  # checkov:skip=CKV2_AWS_42:viewer_certificate uses the us-east-1 ACM certificate; a plan cannot show its ARN before apply
  count = local.cloudfront_enabled ? 1 : 0

  enabled             = true
  is_ipv6_enabled     = true
  comment             = "${var.name} WASM clients"
  aliases             = sort(keys(local.client_hosts))
  default_root_object = "index.html"
  price_class         = var.price_class

  origin {
    origin_id                = "wasm-s3"
    domain_name              = aws_s3_bucket.wasm.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.wasm[0].id
  }

  default_cache_behavior {
    target_origin_id           = "wasm-s3"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching_optimized_policy_id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.wasm[0].id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.host_to_folder[0].arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = var.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}

resource "aws_route53_record" "wasm" {
  for_each = local.cloudfront_enabled ? local.client_hosts : {}

  zone_id = var.zone_id
  name    = each.key
  type    = "A"

  alias {
    name                   = aws_cloudfront_distribution.wasm[0].domain_name
    zone_id                = local.cloudfront_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "wasm_ipv6" {
  for_each = local.cloudfront_enabled ? local.client_hosts : {}

  zone_id = var.zone_id
  name    = each.key
  type    = "AAAA"

  alias {
    name                   = aws_cloudfront_distribution.wasm[0].domain_name
    zone_id                = local.cloudfront_zone_id
    evaluate_target_health = false
  }
}
