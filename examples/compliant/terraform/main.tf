###############################################################################
# Patient-records platform (production)
#
# A records API on EKS behind a public ALB, a PostgreSQL database holding ePHI,
# an S3 bucket of scanned documents, a Lambda indexing new uploads, a bastion
# for break-glass database access, and the account's audit trail.
###############################################################################

locals {
  name = "${var.project}-${var.environment}"

  common_tags = {
    project     = var.project
    environment = var.environment
    owner       = var.owner
    cost_center = var.cost_center
  }

  # Resources that store or process electronic protected health information.
  ephi_tags = merge(local.common_tags, {
    data_classification = "ephi"
  })

  # Customer-managed keys, one per kind of data.
  data_keys = {
    records = "Patient document bucket (ePHI)"
    lambda  = "Lambda environment variables and the indexer dead-letter queue"
    eks     = "Kubernetes secrets envelope encryption"
    volumes = "EBS volumes of the imaging staging hosts"
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# -----------------------------------------------------------------------------
# Network, storage and database
# -----------------------------------------------------------------------------

module "network" {
  source = "./modules/network"

  name               = local.name
  cidr_block         = var.vpc_cidr
  public_subnets     = var.public_subnets
  private_subnets    = var.private_subnets
  admin_cidr_blocks  = var.admin_cidr_blocks
  app_port           = 8080
  flow_log_retention = var.log_retention_days
  tags               = local.common_tags
}

module "storage" {
  source = "./modules/storage"

  name_prefix = local.name
  tags        = local.common_tags

  buckets = {
    records = {
      data_classification = "ephi"
      sse_algorithm       = "aws:kms"
      kms_key_arn         = aws_kms_key.data["records"].arn
    }
    # S3 server access logs and ALB logs: their delivery only supports SSE-S3.
    access-logs = {
      data_classification = "internal"
      sse_algorithm       = "AES256"
      access_logging      = false
      log_writer          = "logging.s3.amazonaws.com"
    }
    cloudtrail = {
      data_classification = "internal"
      sse_algorithm       = "aws:kms"
      kms_key_arn         = aws_kms_key.logs.arn
      log_writer          = "cloudtrail.amazonaws.com"
      object_lock_days    = 2557 # audit evidence kept WORM for seven years
    }
  }
}

module "database" {
  source = "./modules/database"

  identifier            = "${local.name}-records"
  instance_class        = var.db_instance_class
  subnet_ids            = module.network.private_subnet_ids
  security_group_ids    = [module.network.database_security_group_id]
  backup_retention_days = var.db_backup_retention_days
  tags                  = local.ephi_tags
}

# -----------------------------------------------------------------------------
# Keys
# -----------------------------------------------------------------------------

resource "aws_kms_key" "data" {
  for_each = local.data_keys

  description             = "${local.name}: ${each.value}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  multi_region            = true # replicated to the DR region for restores (3.3.2.b.4)
  tags                    = merge(local.ephi_tags, { Name = "${local.name}-${each.key}" })
}

resource "aws_kms_alias" "data" {
  for_each = local.data_keys

  name          = "alias/${local.name}-${each.key}"
  target_key_id = aws_kms_key.data[each.key].key_id
}

data "aws_iam_policy_document" "logs_key" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudTrailEncrypt"
    actions   = ["kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:cloudtrail:arn"
      values   = ["arn:${data.aws_partition.current.partition}:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*"]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncrypt"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "logs" {
  description             = "${local.name}: CloudTrail and CloudWatch Logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.logs_key.json
  tags                    = merge(local.common_tags, { Name = "${local.name}-logs" })
}

# -----------------------------------------------------------------------------
# Audit trail and logs
# -----------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "this" {
  for_each = {
    cloudtrail      = "/aws/cloudtrail/${local.name}"
    records_indexer = "/aws/lambda/${local.name}-records-indexer"
    eks             = "/aws/eks/${local.name}/cluster"
  }

  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
  tags              = local.common_tags
}

data "aws_iam_policy_document" "cloudtrail_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cloudtrail_to_cloudwatch" {
  name               = "${local.name}-cloudtrail-to-cloudwatch"
  assume_role_policy = data.aws_iam_policy_document.cloudtrail_assume.json
  tags               = local.common_tags
}

data "aws_iam_policy_document" "cloudtrail_to_cloudwatch" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this["cloudtrail"].arn}:*"]
  }
}

resource "aws_iam_role_policy" "cloudtrail_to_cloudwatch" {
  name   = "deliver-to-cloudwatch"
  role   = aws_iam_role.cloudtrail_to_cloudwatch.id
  policy = data.aws_iam_policy_document.cloudtrail_to_cloudwatch.json
}

resource "aws_cloudtrail" "main" {
  name                          = "${local.name}-trail"
  s3_bucket_name                = module.storage.bucket_ids["cloudtrail"]
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.logs.arn
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.this["cloudtrail"].arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.cloudtrail_to_cloudwatch.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    # Object-level access to patient documents.
    data_resource {
      type   = "AWS::S3::Object"
      values = ["${module.storage.bucket_arns["records"]}/"]
    }
  }

  tags = local.common_tags
}

# -----------------------------------------------------------------------------
# Alerting on the audit trail (CIS AWS Foundations 4.x): metric filters on the trail's
# log group and alarms that page the security team
# -----------------------------------------------------------------------------

locals {
  trail_detectors = {
    unauthorized-api-calls     = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
    console-signin-without-mfa = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"
    root-account-usage         = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    iam-policy-changes         = "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }"
    cloudtrail-changes         = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
    kms-key-deletion           = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"
    security-group-changes     = "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"
  }
}

resource "aws_sns_topic" "security_alerts" {
  name              = "${local.name}-security-alerts"
  kms_master_key_id = aws_kms_key.logs.arn
  tags              = local.common_tags
}

resource "aws_cloudwatch_log_metric_filter" "trail" {
  for_each = local.trail_detectors

  name           = "${local.name}-${each.key}"
  log_group_name = aws_cloudwatch_log_group.this["cloudtrail"].name
  pattern        = each.value

  metric_transformation {
    name      = each.key
    namespace = "${local.name}/CloudTrail"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "trail" {
  for_each = local.trail_detectors

  alarm_name          = "${local.name}-${each.key}"
  alarm_description   = "CloudTrail detector ${each.key}"
  metric_name         = each.key
  namespace           = "${local.name}/CloudTrail"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.security_alerts.arn]
  tags                = local.common_tags
}

# -----------------------------------------------------------------------------
# Public entry point: ALB in front of the records API
# -----------------------------------------------------------------------------

resource "aws_lb" "public" {
  name                       = "${local.name}-public"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = module.network.public_subnet_ids
  security_groups            = [module.network.alb_security_group_id]
  drop_invalid_header_fields = true
  enable_deletion_protection = true

  access_logs {
    bucket  = module.storage.bucket_ids["access-logs"]
    prefix  = "alb"
    enabled = true
  }

  tags = local.common_tags
}

resource "aws_lb_target_group" "records_api" {
  name        = "${local.name}-records-api"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = module.network.vpc_id

  health_check {
    path                = "/healthz"
    matcher             = "200"
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = local.common_tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.records_api.arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.public.arn
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

# -----------------------------------------------------------------------------
# Records indexer: a Lambda triggered by new patient documents
# -----------------------------------------------------------------------------

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "records_indexer" {
  name               = "${local.name}-records-indexer"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
  tags               = local.common_tags
}

data "aws_iam_policy_document" "records_indexer" {
  statement {
    sid       = "ReadPatientDocuments"
    actions   = ["s3:GetObject", "s3:GetObjectTagging"]
    resources = ["${module.storage.bucket_arns["records"]}/*"]
  }

  statement {
    sid       = "ReadDatabaseCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [module.database.master_user_secret_arn]
  }

  statement {
    sid     = "UseDataKeys"
    actions = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [
      aws_kms_key.data["records"].arn,
      aws_kms_key.data["lambda"].arn,
    ]
  }

  statement {
    sid       = "DeadLetter"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.records_indexer_dlq.arn]
  }
}

resource "aws_iam_policy" "records_indexer" {
  name        = "${local.name}-records-indexer"
  description = "What the records indexer needs, and nothing else."
  policy      = data.aws_iam_policy_document.records_indexer.json
  tags        = local.common_tags
}

resource "aws_iam_role_policy_attachment" "records_indexer" {
  role       = aws_iam_role.records_indexer.name
  policy_arn = aws_iam_policy.records_indexer.arn
}

resource "aws_iam_role_policy_attachment" "records_indexer_vpc" {
  role       = aws_iam_role.records_indexer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_sqs_queue" "records_indexer_dlq" {
  name                      = "${local.name}-records-indexer-dlq"
  message_retention_seconds = 1209600
  kms_master_key_id         = aws_kms_key.data["lambda"].arn
  tags                      = local.ephi_tags
}

# Only packages signed by the release pipeline's signing profile deploy (3.4.2.b.4).
resource "aws_signer_signing_profile" "release" {
  name_prefix = "records_release_"
  platform_id = "AWSLambda-SHA384-ECDSA"
  tags        = local.common_tags
}

resource "aws_lambda_code_signing_config" "release" {
  description = "${local.name}: signed release artifacts only"

  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.release.version_arn]
  }

  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}

resource "aws_lambda_function" "records_indexer" {
  function_name = "${local.name}-records-indexer"
  description   = "Extracts metadata from new patient documents into the records database."
  role          = aws_iam_role.records_indexer.arn
  runtime       = "python3.12"
  handler       = "records_indexer.handler.lambda_handler"
  s3_bucket     = var.artifact_bucket
  s3_key        = "records-indexer/${var.records_indexer_version}.zip"
  architectures = ["arm64"]

  memory_size                    = 512
  timeout                        = 30
  reserved_concurrent_executions = 20
  kms_key_arn                    = aws_kms_key.data["lambda"].arn
  code_signing_config_arn        = aws_lambda_code_signing_config.release.arn

  environment {
    variables = {
      RECORDS_BUCKET = module.storage.bucket_ids["records"]
      DB_HOST        = module.database.address
      DB_NAME        = "records"
      DB_SECRET_ARN  = module.database.master_user_secret_arn
      LOG_LEVEL      = "INFO"
    }
  }

  tracing_config {
    mode = "Active"
  }

  vpc_config {
    subnet_ids         = module.network.private_subnet_ids
    security_group_ids = [module.network.app_security_group_id]
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.records_indexer_dlq.arn
  }

  tags       = local.ephi_tags
  depends_on = [aws_cloudwatch_log_group.this]
}

# -----------------------------------------------------------------------------
# Human access: operators get permissions through a group that requires MFA
# -----------------------------------------------------------------------------

resource "aws_iam_group" "platform_operators" {
  name = "${local.name}-platform-operators"
}

data "aws_iam_policy_document" "platform_operators" {
  statement {
    sid       = "ReadPlatformState"
    actions   = ["rds:Describe*", "eks:Describe*", "eks:List*", "logs:FilterLogEvents", "cloudwatch:GetMetricData"]
    resources = ["*"]
  }

  statement {
    sid       = "DenyWithoutMfa"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]

    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_policy" "platform_operators" {
  name   = "${local.name}-platform-operators"
  policy = data.aws_iam_policy_document.platform_operators.json
  tags   = local.common_tags
}

resource "aws_iam_group_policy_attachment" "platform_operators" {
  group      = aws_iam_group.platform_operators.name
  policy_arn = aws_iam_policy.platform_operators.arn
}

resource "aws_iam_user" "operator" {
  for_each = var.platform_operators

  name          = "${local.name}-${each.key}"
  force_destroy = false
  tags          = local.common_tags
}

resource "aws_iam_user_group_membership" "operator" {
  for_each = var.platform_operators

  user   = aws_iam_user.operator[each.key].name
  groups = [aws_iam_group.platform_operators.name]
}

# -----------------------------------------------------------------------------
# Bastion (break-glass database access) and imaging staging volume
# -----------------------------------------------------------------------------

data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}

resource "aws_launch_template" "bastion" {
  name_prefix            = "${local.name}-bastion-"
  image_id               = data.aws_ami.al2023.id
  instance_type          = var.bastion_instance_type
  vpc_security_group_ids = [module.network.bastion_security_group_id]

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size = 20
      volume_type = "gp3"
      encrypted   = true
      kms_key_id  = aws_kms_key.data["volumes"].arn
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.common_tags, { Name = "${local.name}-bastion" })
  }

  tags = local.common_tags
}

resource "aws_ebs_volume" "imaging_staging" {
  availability_zone = "us-east-1a"
  size              = 500
  type              = "gp3"
  encrypted         = true
  kms_key_id        = aws_kms_key.data["volumes"].arn
  tags              = merge(local.ephi_tags, { Name = "${local.name}-imaging-staging" })
}

# -----------------------------------------------------------------------------
# EKS cluster running the records API and the nightly export
# -----------------------------------------------------------------------------

data "aws_iam_policy_document" "eks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "eks_cluster" {
  name               = "${local.name}-eks-cluster"
  assume_role_policy = data.aws_iam_policy_document.eks_assume.json
  tags               = local.common_tags
}

resource "aws_iam_role_policy_attachment" "eks_cluster" {
  role       = aws_iam_role.eks_cluster.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
}

resource "aws_eks_cluster" "main" {
  name     = local.name
  version  = var.eks_version
  role_arn = aws_iam_role.eks_cluster.arn

  vpc_config {
    subnet_ids              = module.network.private_subnet_ids
    security_group_ids      = [module.network.app_security_group_id]
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = aws_kms_key.data["eks"].arn
    }
  }

  tags = local.ephi_tags

  depends_on = [
    aws_iam_role_policy_attachment.eks_cluster,
    aws_cloudwatch_log_group.this,
  ]
}

resource "aws_ecr_repository" "this" {
  for_each = var.ecr_repositories

  name                 = "${var.project}/${each.key}"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.data["eks"].arn
  }

  tags = local.common_tags
}
