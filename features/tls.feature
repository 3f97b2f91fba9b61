Feature: TLS
  HTTP is redirected to HTTPS; TLS terminates at the ALB with the DNS-validated ACM wildcard
  certificate and a TLS 1.2+ policy; CloudFront viewers are sent to HTTPS with TLS 1.2 or later.

  @FDK-TLS-01
  Scenario: Every HTTP listener's default action is a redirect
    Given I have aws_lb_listener defined
    When its protocol is HTTP
    Then it must contain default_action
    And it must contain type
    And its value must be redirect

  @FDK-TLS-01
  Scenario: The HTTP redirect goes to HTTPS
    Given I have aws_lb_listener defined
    When its protocol is HTTP
    And it has redirect
    Then it must contain default_action
    And it must contain redirect
    And it must contain protocol
    And its value must be HTTPS

  @FDK-TLS-01
  Scenario: The HTTP redirect goes to port 443
    Given I have aws_lb_listener defined
    When its protocol is HTTP
    And it has redirect
    Then it must contain default_action
    And it must contain redirect
    And it must contain port
    And its value must be 443

  @FDK-TLS-01
  Scenario: The HTTP redirect is permanent (301)
    Given I have aws_lb_listener defined
    When its protocol is HTTP
    And it has redirect
    Then it must contain default_action
    And it must contain redirect
    And it must contain status_code
    And its value must be HTTP_301

  @FDK-TLS-02
  Scenario: HTTPS listeners name a security policy (the default one offers TLS 1.0)
    Given I have aws_lb_listener defined
    When its protocol is HTTPS
    Then it must contain ssl_policy

  @FDK-TLS-02
  Scenario: HTTPS listeners use a TLS 1.2+ security policy
    Given I have aws_lb_listener defined
    When its protocol is HTTPS
    And it has ssl_policy
    Then it must contain ssl_policy
    And its value must match the "^(ELBSecurityPolicy-TLS13-1-2-2021-06|ELBSecurityPolicy-TLS13-1-2-Res-2021-06|ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06|ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06|ELBSecurityPolicy-TLS13-1-3-2021-06|ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04|ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04|ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04|ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04|ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04|ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04|ELBSecurityPolicy-TLS13-1-2-PQ-2025-09|ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09|ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09|ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09|ELBSecurityPolicy-TLS13-1-3-PQ-2025-09|ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09|ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09|ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09|ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09|ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09|ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09|ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07|ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07|ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07|ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07|ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07|ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07|ELBSecurityPolicy-TLS-1-2-2017-01|ELBSecurityPolicy-TLS-1-2-Ext-2018-06|ELBSecurityPolicy-FS-1-2-2019-08|ELBSecurityPolicy-FS-1-2-Res-2019-08|ELBSecurityPolicy-FS-1-2-Res-2020-10)$" regex

  @FDK-TLS-02
  Scenario: HTTPS listeners serve a certificate
    Given I have aws_lb_listener defined
    When its protocol is HTTPS
    And it has certificate_arn
    Then it must contain certificate_arn
    And its value must not be null

  @FDK-TLS-03
  Scenario: ACM certificates are validated through DNS
    Given I have aws_acm_certificate defined
    Then it must contain validation_method
    And its value must be DNS

  @FDK-TLS-03 @pass_if_none_selected
  Scenario: A certificate whose domain name is not a wildcard lists a wildcard alternative name
    Given I have aws_acm_certificate defined
    When its domain_name is not "^\*\." regex
    And its subject_alternative_names does not include "^\*\." regex
    Then it must fail

  @FDK-TLS-03
  Scenario: The certificate's DNS validation is awaited before use
    Given I have aws_acm_certificate_validation defined
    Then it must contain validation_record_fqdns
    And its value must not be null

  @FDK-TLS-04
  Scenario: CloudFront sends viewers to HTTPS
    Given I have aws_cloudfront_distribution defined
    Then it must contain default_cache_behavior
    And it must contain viewer_protocol_policy
    And its value must match the "^(redirect-to-https|https-only)$" regex

  @FDK-TLS-04
  Scenario: CloudFront accepts TLS 1.2 (2021 ciphers) or later only
    Given I have aws_cloudfront_distribution defined
    Then it must contain viewer_certificate
    And it must contain minimum_protocol_version
    And its value must match the "^(TLSv1\.2_2021|TLSv1\.2_2025|TLSv1\.3_2025)$" regex

  @FDK-TLS-04
  Scenario: CloudFront serves its aliases with an ACM certificate
    Given I have aws_cloudfront_distribution defined
    When it has acm_certificate_arn
    Then it must contain viewer_certificate
    And it must contain acm_certificate_arn
    And its value must not be null
