"""The REST API's shared plumbing (/api/v1/): authentication, permissions, throttling,
pagination, the schema, one error format, strict fields and filters; and the integration app's
own resources (rulebooks, the stateless evaluator). Each app's resources live in `<app>/api/`."""
