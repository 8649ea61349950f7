"""ccv — the cloud connection pre-provisioning validator.

>>> from validator import validate
>>> report = validate("examples/three-clouds.yaml")
"""

__version__ = "0.1.0"

from validator.api import validate  # noqa: E402
from validator.config import ConfigError  # noqa: E402
from validator.load.document import InputError  # noqa: E402
from validator.report import Finding, Report  # noqa: E402

__all__ = ["ConfigError", "Finding", "InputError", "Report", "__version__", "validate"]
