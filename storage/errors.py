"""Errors of the store's configuration, which stop a process before it touches any data."""


class ConfigurationError(Exception):
    pass
