Feature: Data
  The database is PostgreSQL 15+, encrypted with a rotating customer-managed KMS key, with
  generated credentials; buckets are private and encrypted; the WASM bucket is reached only
  through CloudFront, and its CORS names origins, never "*".

  @FDK-DATA-01
  Scenario: RDS storage is encrypted
    Given I have aws_db_instance defined
    Then it must contain storage_encrypted
    And its value must be true

  @FDK-DATA-01
  Scenario: RDS storage uses a customer-managed KMS key, not the AWS-managed default
    Given I have aws_db_instance defined
    Then it must contain kms_key_id
    And its value must not match the "alias/aws/" regex

  @FDK-DATA-01
  Scenario: Every KMS key rotates
    Given I have aws_kms_key defined
    Then it must contain enable_key_rotation
    And its value must be true

  @FDK-DATA-02
  Scenario: The database master password is generated and kept in Secrets Manager
    Given I have aws_db_instance defined
    Then it must contain manage_master_user_password
    And its value must be true

  @FDK-DATA-02
  Scenario: No literal database password in the code
    Given I have aws_db_instance defined
    Then it must contain password
    And its value must be null

  @FDK-DATA-03
  Scenario: The database engine is PostgreSQL
    Given I have aws_db_instance defined
    Then it must contain engine
    And its value must match the "^(postgres|aurora-postgresql)$" regex

  @FDK-DATA-03
  Scenario: The PostgreSQL major version is 15 or later
    Given I have aws_db_instance defined
    When it has engine_version
    Then it must contain engine_version
    And its value must match the "^(1[5-9]|[2-9][0-9]|[1-9][0-9][0-9]+)(\.[0-9]+)*$" regex

  @FDK-DATA-04
  Scenario: The S3 public access block blocks public ACLs
    Given I have aws_s3_bucket_public_access_block defined
    Then it must contain block_public_acls
    And its value must be true

  @FDK-DATA-04
  Scenario: The S3 public access block blocks public bucket policies
    Given I have aws_s3_bucket_public_access_block defined
    Then it must contain block_public_policy
    And its value must be true

  @FDK-DATA-04
  Scenario: The S3 public access block ignores public ACLs
    Given I have aws_s3_bucket_public_access_block defined
    Then it must contain ignore_public_acls
    And its value must be true

  @FDK-DATA-04
  Scenario: The S3 public access block restricts public buckets
    Given I have aws_s3_bucket_public_access_block defined
    Then it must contain restrict_public_buckets
    And its value must be true

  @FDK-DATA-05
  Scenario: CloudFront signs its requests to S3 with an origin access control
    Given I have aws_cloudfront_origin_access_control defined
    Then it must contain origin_access_control_origin_type
    And its value must be s3

  @FDK-DATA-05
  Scenario: The origin access control always signs, with SigV4
    Given I have aws_cloudfront_origin_access_control defined
    Then it must contain signing_behavior
    And its value must be always

  @FDK-DATA-05
  Scenario: Every CloudFront origin uses the origin access control
    Given I have aws_cloudfront_distribution defined
    Then it must contain origin
    And it must contain origin_access_control_id

  @FDK-DATA-06
  Scenario: The bucket CORS never allows any origin
    Given I have aws_s3_bucket_cors_configuration defined
    Then it must contain cors_rule
    And it must contain allowed_origins
    And its value must not match the "^\*$" regex
