Feature: Network
  Public subnets hold only the internet-facing ALB; ECS tasks, the database and the optional
  bastion live in private subnets without public addresses; security groups open nothing to
  the internet except the ALB's HTTP and HTTPS ports.

  @FDK-NET-03 @pass_if_none_selected
  Scenario: No application load balancer is internal
    Given I have aws_lb defined
    When its load_balancer_type is application
    And its internal is true
    Then it must fail

  @FDK-NET-04
  Scenario: ECS tasks get no public IP address
    Given I have aws_ecs_service defined
    When it has assign_public_ip
    Then it must contain network_configuration
    And it must contain assign_public_ip
    And its value must be false

  @FDK-NET-05
  Scenario: The database is not publicly accessible
    Given I have aws_db_instance defined
    When it has publicly_accessible
    Then it must contain publicly_accessible
    And its value must be false

  @FDK-NET-06
  Scenario: No security group opens ports below 80 to the internet
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 1-79 for 0.0.0.0/0

  @FDK-NET-06
  Scenario: No security group opens ports between 80 and 443 to the internet
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 81-442 for 0.0.0.0/0

  @FDK-NET-06
  Scenario: No security group opens ports above 443 to the internet
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 444-65535 for 0.0.0.0/0

  @FDK-NET-06
  Scenario: Standalone IPv4 ingress rules from the internet are only for HTTP and HTTPS
    Given I have aws_vpc_security_group_ingress_rule defined
    When its cidr_ipv4 is 0.0.0.0/0
    Then it must contain from_port
    And its value must match the "^(80|443)$" regex

  @FDK-NET-06
  Scenario: Standalone IPv6 ingress rules from the internet are only for HTTP and HTTPS
    Given I have aws_vpc_security_group_ingress_rule defined
    When its cidr_ipv6 is ::/0
    Then it must contain from_port
    And its value must match the "^(80|443)$" regex

  @FDK-NET-06
  Scenario: Standalone IPv4 ingress rules from the internet end at HTTP or HTTPS
    Given I have aws_vpc_security_group_ingress_rule defined
    When its cidr_ipv4 is 0.0.0.0/0
    Then it must contain to_port
    And its value must match the "^(80|443)$" regex

  @FDK-NET-06
  Scenario: Standalone IPv6 ingress rules from the internet end at HTTP or HTTPS
    Given I have aws_vpc_security_group_ingress_rule defined
    When its cidr_ipv6 is ::/0
    Then it must contain to_port
    And its value must match the "^(80|443)$" regex

  @FDK-NET-07
  Scenario: The bastion requires IMDSv2 tokens
    Given I have aws_instance defined
    Then it must contain metadata_options
    And it must contain http_tokens
    And its value must be required

  @FDK-NET-07
  Scenario: The bastion has an instance profile (for SSM)
    Given I have aws_instance defined
    Then it must contain iam_instance_profile

  @FDK-NET-07 @pass_if_none_selected
  Scenario: The bastion asks for no public IP address
    Given I have aws_instance defined
    When its associate_public_ip_address is true
    Then it must fail

  @FDK-NET-07
  Scenario: No security group opens SSH (port 22) from any network
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 22 for .*
