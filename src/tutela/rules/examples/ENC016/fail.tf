resource "aws_sns_topic" "appointment_reminders" {
  name = "appointment-reminders"
}
