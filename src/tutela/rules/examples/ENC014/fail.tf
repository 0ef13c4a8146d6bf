resource "aws_efs_file_system" "scratch_share" {
  creation_token   = "scratch-share"
  performance_mode = "generalPurpose"
}
