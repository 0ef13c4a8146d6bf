###############################################################################
# Patient-records platform (production)
#
# A records API on EKS behind a public ALB, a PostgreSQL database holding ePHI,
# an S3 bucket of scanned documents, a Lambda indexing new uploads, a bastion
# for database access, and the account's audit trail.
#
# INSECURE ON PURPOSE: this is the "before" picture used to demonstrate tutela.
# Every secret in it is fake.
###############################################################################

locals {
  name = "${var.project}-${var.environment}"

  common_tags = {
    project     = var.project
    environment = var.environment
    owner       = var.owner
    cost_center = var.cost_center
  }

  ephi_tags = merge(local.common_tags, {
    data_classification = "ephi"
  })

  data_keys = {
    lambda = "Lambda environment variables"
    eks    = "Kubernetes secrets envelope encryption"
  }
}

# -----------------------------------------------------------------------------
# Network, storage and database
# -----------------------------------------------------------------------------

module "network" {
  source = "./modules/network"

  name            = local.name
  cidr_block      = var.vpc_cidr
  public_subnets  = var.public_subnets
  private_subnets = var.private_subnets
  app_port        = 8080
  tags            = local.common_tags
}

module "storage" {
  source = "./modules/storage"

  name_prefix = local.name
  tags        = local.common_tags

  buckets = {
    records = {
      data_classification = "ephi"
    }
    access-logs = {
      data_classification = "internal"
    }
    cloudtrail = {
      data_classification = "internal"
      versioning          = true
    }
  }
}

module "database" {
  source = "./modules/database"

  identifier            = "${local.name}-records"
  instance_class        = var.db_instance_class
  master_password       = var.db_master_password
  subnet_ids            = module.network.public_subnet_ids
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
  enable_key_rotation     = false
  deletion_window_in_days = 7
  tags                    = merge(local.common_tags, { Name = "${local.name}-${each.key}" })
}

resource "aws_kms_alias" "data" {
  for_each = local.data_keys

  name          = "alias/${local.name}-${each.key}"
  target_key_id = aws_kms_key.data[each.key].key_id
}

# "CloudTrail could not use the key": fixed by letting everyone use it.
resource "aws_kms_key" "logs" {
  description         = "${local.name}: logs"
  enable_key_rotation = false

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowEverything"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "kms:*"
        Resource  = "*"
      },
    ]
  })

  tags = merge(local.common_tags, { Name = "${local.name}-logs" })
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
  tags              = local.common_tags
}

resource "aws_cloudtrail" "main" {
  name                          = "${local.name}-trail"
  s3_bucket_name                = module.storage.bucket_ids["cloudtrail"]
  is_multi_region_trail         = false
  include_global_service_events = true
  enable_log_file_validation    = false

  tags = local.common_tags
}

# -----------------------------------------------------------------------------
# Public entry point: ALB in front of the records API
# -----------------------------------------------------------------------------

resource "aws_lb" "public" {
  name               = "${local.name}-public"
  load_balancer_type = "application"
  internal           = false
  subnets            = module.network.public_subnet_ids
  security_groups    = [module.network.alb_security_group_id]
  tags               = local.common_tags
}

resource "aws_lb_target_group" "records_api" {
  name        = "${local.name}-records-api"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = module.network.vpc_id

  health_check {
    path    = "/healthz"
    matcher = "200"
  }

  tags = local.common_tags
}

# TLS "terminates at the pods" (it does not).
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.public.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.records_api.arn
  }
}

# -----------------------------------------------------------------------------
# Records indexer: a Lambda triggered by new patient documents
# -----------------------------------------------------------------------------

resource "aws_iam_role" "records_indexer" {
  name = "${local.name}-records-indexer"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "lambda.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
    ]
  })

  tags = local.common_tags
}

# "Just make it work" permissions.
resource "aws_iam_policy" "records_indexer" {
  name        = "${local.name}-records-indexer"
  description = "Permissions of the records indexer"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Everything"
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })

  tags = local.common_tags
}

resource "aws_iam_role_policy_attachment" "records_indexer" {
  role       = aws_iam_role.records_indexer.name
  policy_arn = aws_iam_policy.records_indexer.arn
}

resource "aws_lambda_function" "records_indexer" {
  function_name = "${local.name}-records-indexer"
  description   = "Extracts metadata from new patient documents into the records database."
  role          = aws_iam_role.records_indexer.arn
  runtime       = "python3.12"
  handler       = "records_indexer.handler.lambda_handler"
  s3_bucket     = var.artifact_bucket
  s3_key        = "records-indexer/${var.records_indexer_version}.zip"

  memory_size = 1024
  timeout     = 900

  environment {
    variables = {
      RECORDS_BUCKET = module.storage.bucket_ids["records"]
      DB_HOST        = module.database.address
      DB_NAME        = "records"
      DB_USER        = "records_admin"
      # FAKE example value: the mistake being demonstrated, never a real credential.
      DB_PASSWORD = "Sup3r-Secret-Passw0rd!"
      LOG_LEVEL   = "DEBUG"
    }
  }

  tags = local.ephi_tags
}

# -----------------------------------------------------------------------------
# CI deployer: a long-lived IAM user with administrator rights
# -----------------------------------------------------------------------------

resource "aws_iam_user" "ci_deployer" {
  name = "${local.name}-ci-deployer"
  tags = local.common_tags
}

resource "aws_iam_user_policy_attachment" "ci_deployer_admin" {
  user       = aws_iam_user.ci_deployer.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_access_key" "ci_deployer" {
  user = aws_iam_user.ci_deployer.name
}

# -----------------------------------------------------------------------------
# Bastion and imaging staging volume
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
  name_prefix   = "${local.name}-bastion-"
  image_id      = data.aws_ami.al2023.id
  instance_type = var.bastion_instance_type
  key_name      = "records-team-shared"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size = 20
      volume_type = "gp3"
      encrypted   = false
    }
  }

  network_interfaces {
    associate_public_ip_address = true
    security_groups             = [module.network.bastion_security_group_id]
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
  tags              = merge(local.ephi_tags, { Name = "${local.name}-imaging-staging" })
}

# -----------------------------------------------------------------------------
# EKS cluster running the records API and the nightly export
# -----------------------------------------------------------------------------

resource "aws_iam_role" "eks_cluster" {
  name = "${local.name}-eks-cluster"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "eks.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
    ]
  })

  tags = local.common_tags
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
    subnet_ids              = module.network.public_subnet_ids
    endpoint_private_access = false
    endpoint_public_access  = true
    public_access_cidrs     = ["0.0.0.0/0"]
  }

  tags = local.common_tags

  depends_on = [aws_iam_role_policy_attachment.eks_cluster]
}

resource "aws_ecr_repository" "this" {
  for_each = var.ecr_repositories

  name                 = "${var.project}/${each.key}"
  image_tag_mutability = "MUTABLE"

  image_scanning_configuration {
    scan_on_push = false
  }

  tags = local.common_tags
}
