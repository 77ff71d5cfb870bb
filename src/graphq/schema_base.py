"""The base of every JSON shape graphq serves: camelCase field names, as the API speaks.

Its own module so the API's schemas and the services' read models (statistics, monitoring)
share one base without the services importing the API.
"""

from __future__ import annotations

import msgspec


class Struct(msgspec.Struct, rename="camel"):
    """A msgspec Struct whose fields are camelCase in JSON (``success_rate`` → ``successRate``)."""
