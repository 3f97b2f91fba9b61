"""fdk-fargate-guard: policy and testing suite for the FDK server's ECS Fargate reference."""

__version__ = "0.1.0"
