"""Rules for the policy area `network`, one module per source or provider."""
