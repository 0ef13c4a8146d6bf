"""Rules for the policy area `backup`, one module per source or provider."""
