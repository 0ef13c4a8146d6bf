"""Rules for the policy area `monitoring`, one module per source or provider."""
