"""ccv — the cloud connection pre-provisioning validator."""

__version__ = "0.1.0"
