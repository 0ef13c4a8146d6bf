"""Procedural requirements: evidence records, cadence and due dates."""
