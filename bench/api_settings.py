"""Settings for bench/api.py: production settings, the benchmark's URLs, rates it cannot reach.

The throttles still run and still count in Redis (that cost is part of what is measured); the
rates are only raised so that a load generator is never refused.
"""

from integration.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "10000000/minute", "token": "10000000/minute"},
}
