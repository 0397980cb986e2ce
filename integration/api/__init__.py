"""The REST API (/api/v1/): authentication, permissions, one error format, resources."""
