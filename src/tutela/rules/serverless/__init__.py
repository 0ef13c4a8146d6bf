"""Rules for the policy area `serverless`, one module per source or provider."""
