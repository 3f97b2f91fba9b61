locals {
  exporter = var.otlp_export_endpoint == null ? "otelcol.exporter.debug.out.input" : "otelcol.exporter.otlphttp.out.input"

  exporter_block = var.otlp_export_endpoint == null ? "otelcol.exporter.debug \"out\" {}" : <<-EOT
    otelcol.exporter.otlphttp "out" {
      client {
        endpoint = "${var.otlp_export_endpoint}"
      }
    }
  EOT

  # The server sends OTLP to localhost:4317 (same task, awsvpc network namespace); the
  # task security group admits only 8080 from the ALB, so these ports stay task-local.
  alloy_config = <<-EOT
    otelcol.receiver.otlp "server" {
      grpc {
        endpoint = "0.0.0.0:4317"
      }
      http {
        endpoint = "0.0.0.0:4318"
      }
      output {
        metrics = [otelcol.processor.batch.default.input]
        logs    = [otelcol.processor.batch.default.input]
        traces  = [otelcol.processor.batch.default.input]
      }
    }

    otelcol.processor.batch "default" {
      output {
        metrics = [${local.exporter}]
        logs    = [${local.exporter}]
        traces  = [${local.exporter}]
      }
    }

    ${local.exporter_block}
  EOT

  container_definition = {
    name      = "alloy"
    image     = var.image
    essential = false
    cpu       = var.cpu
    memory    = var.memory
    # The image has no config for us: write it from the environment, then run it.
    entryPoint = ["/bin/sh", "-c"]
    command    = ["printf '%s' \"$ALLOY_CONFIG\" > /tmp/config.alloy && exec /bin/alloy run --storage.path=/tmp/alloy /tmp/config.alloy"]
    environment = [
      { name = "ALLOY_CONFIG", value = local.alloy_config },
    ]
    portMappings = []
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.alloy.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "alloy"
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "alloy" {
  # checkov:skip=CKV_AWS_338:the deployment page promises exactly 14-day retention for every log group
  # checkov:skip=CKV_AWS_158:CloudWatch's default encryption; a CMK key policy needs the account id, unknown offline
  name              = "/ecs/${var.name}/alloy"
  retention_in_days = var.log_retention_days
}
