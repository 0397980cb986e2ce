"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in its own
process, with its own settings and SQLite database (started by tests/sso/conftest.py).

Besides the standard endpoints it has two JSON endpoints the tests use to set it up (users with
their claims, the client), and it can be told to misbehave for one user: issue expired ID
tokens, or ID tokens altered after signing.
"""
