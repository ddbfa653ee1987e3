"""hoshin: strategy deployment with backward goal-setting and tactical alignment."""

__version__ = "0.1.0"
