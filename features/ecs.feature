Feature: ECS
  The FDK server runs on Fargate in awsvpc mode, listens on 8080, and the load balancer
  checks /healthz on 8080.

  @FDK-ECS-01
  Scenario: The task definition is for Fargate
    Given I have aws_ecs_task_definition defined
    Then it must contain requires_compatibilities
    And its value must contain FARGATE

  @FDK-ECS-01
  Scenario: The task definition uses awsvpc networking
    Given I have aws_ecs_task_definition defined
    Then it must contain network_mode
    And its value must be awsvpc

  @FDK-ECS-01 @pass_if_none_selected
  Scenario: A service that names a launch type launches on Fargate
    Given I have aws_ecs_service defined
    When its launch_type is not FARGATE
    Then it must fail

  @FDK-ECS-01
  Scenario: A service's capacity provider strategy uses only Fargate
    Given I have aws_ecs_service defined
    When it has capacity_provider_strategy
    Then it must contain capacity_provider_strategy
    And it must contain capacity_provider
    And its value must match the "^(FARGATE|FARGATE_SPOT)$" regex

  @FDK-ECS-01
  Scenario: The service sends load-balancer traffic to container port 8080
    Given I have aws_ecs_service defined
    When it has load_balancer
    Then it must contain load_balancer
    And it must contain container_port
    And its value must be 8080

  @FDK-ECS-02 @pass_if_none_selected @traffic_port_is_registered
  Scenario: A target group on another port than 8080 health-checks port 8080
    Given I have aws_lb_target_group defined
    When its port is not 8080
    Then it must contain health_check
    And it must contain port
    And its value must be 8080

  @FDK-ECS-02
  Scenario: The health check asks for /healthz
    Given I have aws_lb_target_group defined
    Then it must contain health_check
    And it must contain path
    And its value must be /healthz

  @FDK-ECS-02
  Scenario: The health check targets port 8080
    Given I have aws_lb_target_group defined
    Then it must contain health_check
    And it must contain port
    And its value must match the "^(8080|traffic-port)$" regex
