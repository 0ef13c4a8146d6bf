"""tutela: a written cloud security policy turned into running, provable controls."""

__version__ = "0.1.0"
