# Internet-facing ALB: only 80 (redirect) and 443 are open to the world.

resource "aws_security_group" "alb" {
  # checkov:skip=CKV_AWS_260:port 80 is open to the world only to answer with a 301 redirect to HTTPS
  name        = "${var.name}-alb"
  description = "Internet-facing ALB: HTTP (redirected) and HTTPS in, the server port out"
  vpc_id      = var.vpc_id

  ingress {
    description      = "HTTP, answered with a redirect to HTTPS"
    from_port        = 80
    to_port          = 80
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  ingress {
    description      = "HTTPS"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    description = "To the server containers inside the VPC"
    from_port   = var.target_port
    to_port     = var.target_port
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  tags = { Name = "${var.name}-alb" }
}

resource "aws_lb" "this" {
  # checkov:skip=CKV_AWS_91:access logs need a log bucket with the regional ELB log-delivery policy; left to the operator
  # checkov:skip=CKV_AWS_150:deletion_protection is a variable (off by default so the reference can be destroyed)
  # checkov:skip=CKV2_AWS_28:a WAF web ACL is an operator choice (cost, rules) outside the page's architecture
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = 60

  tags = { Name = var.name }
}

resource "aws_lb_target_group" "server" {
  # checkov:skip=CKV_AWS_378:TLS ends at the ALB; the hop to the task stays inside the VPC's private subnets
  name                 = "${var.name}-server"
  port                 = var.target_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    enabled             = true
    path                = var.health_check_path
    port                = tostring(var.target_port)
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

}

# Port 80 only ever redirects: every plain-HTTP request gets a 301 to HTTPS.
resource "aws_lb_listener" "http" {
  # checkov:skip=CKV_AWS_2:this listener only redirects to HTTPS
  # checkov:skip=CKV_AWS_103:this listener only redirects to HTTPS
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.server.arn
  }
}

resource "aws_route53_record" "server" {
  zone_id = var.zone_id
  name    = var.server_fqdn
  type    = "A"

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}
